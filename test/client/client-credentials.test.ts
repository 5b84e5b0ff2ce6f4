/**
 * The password and the bearer token never show: not in any error's message, stack, cause, JSON
 * form or inspected form, in any way a call can fail, nor in anything written to the console or
 * the streams. Each case runs with Basic credentials, with a token, and with a token function.
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
  type AuditingClientOptions,
} from '../../src/index.ts';
import { json, startServer, type TestServer } from '../support/servers.ts';

const PASSWORD = 'Sup3r-s3cret-pa55word!';
const USERNAME = 'admin@example.com';
// A JWT's shape: base64url parts and dots, all of them characters a header name may hold too.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbkBleGFtcGxlLmNvbSJ9.S1gn4tur3-_x';
const FORMS = [
  PASSWORD,
  Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'),
  encodeURIComponent(PASSWORD),
  TOKEN,
  TOKEN.toLowerCase(),
];

/** The ways a client holds a secret; the token function renews its token on every call, as an expiring one would be. */
let renewals = 0;
const KINDS = {
  'Basic credentials': { username: USERNAME, password: PASSWORD },
  'a bearer token': { token: TOKEN },
  'a token function': { token: async () => `${TOKEN}${++renewals}` },
} as const satisfies Record<string, Partial<AuditingClientOptions>>;
type Kind = keyof typeof KINDS;

/** What a server that echoes the request shows of its secret: the password, or the token it was sent. */
const secretOf = (authorization = '') => (authorization.startsWith('Bearer ') ? authorization.slice(7) : PASSWORD);

let server: TestServer;
let closedPort: number;
beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.url!.includes('hang')) return;
    // A proxy's error page that shows the request it got, credentials and all.
    if (request.url!.includes('echo-json'))
      return json(response, 502, {
        error_code: 'proxy_error',
        message: `bad gateway for ${request.headers.authorization} (${secretOf(request.headers.authorization)})`,
        request: { headers: request.headers },
      });
    if (request.url!.includes('echo-html')) {
      response.writeHead(502, { 'content-type': 'text/html' });
      return response.end(`<pre>${JSON.stringify(request.headers)} ${secretOf(request.headers.authorization)}</pre>`);
    }
    // The same, in the reason phrase and the headers, one of them named after the password or token.
    if (request.url!.includes('echo-headers')) {
      const secret = secretOf(request.headers.authorization);
      response.writeHead(502, `Bad Gateway for ${request.headers.authorization}`, {
        'x-echo-authorization': request.headers.authorization!,
        'x-echo-password': secret,
        [secret]: 'set',
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
const client = (kind: Kind, baseUrl: string, timeoutMs?: number) =>
  createAuditingClient({ baseUrl, ...KINDS[kind], timeoutMs } as AuditingClientOptions);
const scheme = (kind: Kind) => (kind === 'Basic credentials' ? 'Basic' : 'Bearer');

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
/** Expected fields that depend on how the client authenticates. */
type ExpectedOf = (kind: Kind) => Expected;

// Each case names the failure it is after, and asserts it got that failure: a timeout or a refused
// connection must not pass for the echo cases.
const FAILURES: [string, (c: (timeoutMs?: number) => AuditingClient) => Promise<unknown>, () => string, Expected | ExpectedOf][] = [
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
    (kind) => [AuditingApiError, { status: 502, statusText: `Bad Gateway for ${scheme(kind)} [redacted]` }],
  ],
];

describe.each(Object.keys(KINDS) as Kind[])('%s', (kind) => {
  it.each(FAILURES)('never appear in the error of %s, nor in a log line', async (_name, fail, baseUrl, expected) => {
    const [expectedClass, expectedFields] = typeof expected === 'function' ? expected(kind) : expected;
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
      error = await fail((timeoutMs) => client(kind, baseUrl(), timeoutMs)).then(
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
    const error = (await client(kind, `${server.url}/echo-headers`)
      .get()
      .catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.headers.get('x-echo-authorization')).toBe(`${scheme(kind)} [redacted]`);
    expect(error.headers.get('x-echo-password')).toBe('[redacted]');
    expect([...error.headers.keys()].filter((name) => name.startsWith('x-'))).toEqual([
      'x-echo-authorization',
      'x-echo-password',
      'x-request-id',
    ]);
    expect(error.headers.get('x-request-id')).toBe('req-7');
  });
});

describe('credentials', () => {
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

  it.each([
    ['a token beside a password', { username: USERNAME, password: PASSWORD, token: TOKEN }],
    ['a token with the scheme in front', { token: `Bearer ${TOKEN}` }],
    ['a token with a line break', { token: `${TOKEN}\r\nX-Injected: 1` }],
  ])('never appear in the error of %s', (_name, credentials) => {
    let error: unknown;
    try {
      createAuditingClient({ baseUrl: server.url, ...credentials } as AuditingClientOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuditingValidationError);
    for (const form of FORMS) expect(everyTextOf(error)).not.toContain(form);
  });

  it.each([
    ['with the scheme in front', () => `Bearer ${TOKEN}`, 'pattern'],
    ['with a space in it', async () => `${TOKEN} ${TOKEN}`, 'pattern'],
    ['as a number', () => 42 as unknown as string, 'type'],
  ])('never appear in the error of a token function that returns its token %s; nothing is sent', async (_name, token, rule) => {
    const before = server.requests.length;
    const error = await createAuditingClient({ baseUrl: server.url, token })
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect((error as AuditingValidationError).problems).toMatchObject([{ field: 'token', rule }]);
    for (const form of FORMS) expect(everyTextOf(error)).not.toContain(form);
    expect(server.requests.length).toBe(before);
  });
});
