/**
 * The password never shows: not in any error's message, stack, cause, JSON form or inspected
 * form, in any way a call can fail, nor in anything written to the console or the streams.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuditingApiError,
  AuditingNetworkError,
  AuditingValidationError,
  createAuditingClient,
  type AuditingClient,
} from '../src/index.ts';
import { json, startServer, type TestServer } from './support/servers.ts';

const PASSWORD = 'Sup3r-s3cret-pa55word!';
const USERNAME = 'admin@example.com';
const FORMS = [PASSWORD, Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'), encodeURIComponent(PASSWORD)];

let server: TestServer;
let closedPort: number;
beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.url!.includes('hang')) return;
    // A proxy's error page that shows the request it got, credentials and all.
    if (request.url!.includes('echo-json'))
      return json(response, 502, {
        error_code: 'proxy_error',
        message: `bad gateway for ${request.headers.authorization} (${PASSWORD})`,
        request: { headers: request.headers },
      });
    if (request.url!.includes('echo-html')) {
      response.writeHead(502, { 'content-type': 'text/html' });
      return response.end(`<pre>${JSON.stringify(request.headers)} ${PASSWORD}</pre>`);
    }
    // The same, in the reason phrase and the headers, one of them named after the password.
    if (request.url!.includes('echo-headers')) {
      response.writeHead(502, `Bad Gateway for ${request.headers.authorization}`, {
        'x-echo-authorization': request.headers.authorization!,
        'x-echo-password': PASSWORD,
        [PASSWORD]: 'set',
        'x-request-id': 'req-7',
        'content-length': '0',
      });
      return response.end();
    }
    response.writeHead(request.method === 'GET' ? 401 : 500, { 'content-type': 'text/html', 'www-authenticate': 'Basic' });
    response.end('<html>nope</html>');
  });
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedPort = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(() => server.close());

/** A client with the default timeout (10 s), or a short one for the case that waits for it. */
const client = (baseUrl: string, timeoutMs?: number) =>
  createAuditingClient({ baseUrl, username: USERNAME, password: PASSWORD, timeoutMs });

/** Every text form of an error and of its cause chain, its headers included. */
function everyTextOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: any = error, depth = 0; e && depth < 10; e = e.cause, depth++) {
    parts.push(
      String(e),
      String(e.message),
      String(e.stack),
      JSON.stringify(e) ?? '',
      JSON.stringify(e.body ?? null),
      String(e.statusText),
    );
    if (e.headers instanceof Headers) parts.push(JSON.stringify([...e.headers]));
  }
  parts.push(inspect(error, { depth: 20, showHidden: true }));
  return parts.join('\n');
}

type Expected = [typeof AuditingApiError | typeof AuditingNetworkError | typeof AuditingValidationError, Record<string, unknown>];

// Each case names the failure it is after, and asserts it got that failure: a timeout or a refused
// connection must not pass for the echo cases.
const FAILURES: [string, (c: (timeoutMs?: number) => AuditingClient) => Promise<unknown>, () => string, Expected][] = [
  ['401 with an HTML body', (c) => c().get(), () => server.url, [AuditingApiError, { status: 401, body: '<html>nope</html>' }]],
  ['500 with an HTML body', (c) => c().reset(), () => server.url, [AuditingApiError, { status: 500 }]],
  ['a refused connection', (c) => c().get(), () => `http://127.0.0.1:${closedPort}`, [AuditingNetworkError, { code: 'ECONNREFUSED' }]],
  ['a timeout', (c) => c(300).get(), () => `${server.url}/hang`, [AuditingNetworkError, { code: 'timeout' }]],
  [
    'an invalid update',
    (c) => c().update({ audit_port: -1 }),
    () => server.url,
    [AuditingValidationError, { problems: [{ field: 'audit_port', rule: 'minimum', message: 'must be >= 1' }] }],
  ],
  [
    'a JSON error body that echoes the credentials',
    (c) => c().get(),
    () => `${server.url}/echo-json`,
    [AuditingApiError, { status: 502, errorCode: 'proxy_error' }],
  ],
  [
    'an HTML error page that echoes the credentials',
    (c) => c().reset(),
    () => `${server.url}/echo-html`,
    [AuditingApiError, { status: 502, errorCode: undefined }],
  ],
  [
    'a reason phrase and headers that echo the credentials',
    (c) => c().get(),
    () => `${server.url}/echo-headers`,
    [AuditingApiError, { status: 502, statusText: 'Bad Gateway for Basic [redacted]' }],
  ],
];

describe('credentials', () => {
  it.each(FAILURES)('never appear in the error of %s, nor in a log line', async (_name, fail, baseUrl, [expectedClass, expectedFields]) => {
    const writes: string[] = [];
    const spies = [
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
        vi.spyOn(console, method).mockImplementation((...args) => void writes.push(args.map(String).join(' '))),
      ),
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        writes.push(String(chunk));
        return true;
      }),
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
        writes.push(String(chunk));
        return true;
      }),
    ];
    let error: unknown;
    try {
      error = await fail((timeoutMs) => client(baseUrl(), timeoutMs)).then(
        () => undefined,
        (e: unknown) => e,
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(error).toBeInstanceOf(expectedClass);
    expect(error).toMatchObject(expectedFields);
    const text = everyTextOf(error);
    for (const form of FORMS) expect(text).not.toContain(form);
    expect(writes.join('\n')).toBe(''); // the client logs nothing at all
  });

  it('are redacted from the headers an API error keeps, and a header named after one is left out', async () => {
    const error = (await client(`${server.url}/echo-headers`)
      .get()
      .catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.headers.get('x-echo-authorization')).toBe('Basic [redacted]');
    expect(error.headers.get('x-echo-password')).toBe('[redacted]');
    expect(error.headers.has(PASSWORD)).toBe(false);
    expect(error.headers.get('x-request-id')).toBe('req-7');
  });

  it('never appear in the error of bad client options', () => {
    let error: unknown;
    try {
      createAuditingClient({ baseUrl: `https://${USERNAME}:${PASSWORD}@cluster.example.com`, username: USERNAME, password: PASSWORD });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    for (const form of FORMS) expect(everyTextOf(error)).not.toContain(form);
  });
});
