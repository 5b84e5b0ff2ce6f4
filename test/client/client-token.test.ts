/**
 * A bearer token in place of Basic credentials: a fixed token, or a function the client calls
 * before every request (a token renewed before it expires), against a real loopback server that
 * records what each request carried. What a token function gives is checked before anything is
 * sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditingValidationError, createAuditingClient, type AuditingClientOptions } from '../../src/index.ts';
import { PATH } from '../support/facts.ts';
import { json, PAGE_EXAMPLE, startServer, type TestServer } from '../support/servers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((request, response) => json(response, 200, request.method === 'DELETE' ? {} : PAGE_EXAMPLE));
});
afterAll(() => server.close());

/** The Authorization header of each request the server got since `from`. */
const sentSince = (from: number) => server.requests.slice(from).map((request) => request.headers.authorization);

describe('a client with a token', () => {
  it('sends it as a bearer token on every call, and no Basic credentials', async () => {
    const from = server.requests.length;
    const auditing = createAuditingClient({ baseUrl: server.url, token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln' });
    expect(await auditing.get()).toStrictEqual(PAGE_EXAMPLE);
    await auditing.update({ audit_port: 12346 });
    await auditing.reset();
    expect(sentSince(from)).toEqual(Array(3).fill('Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln'));
  });

  it('calls a token function before every request, and sends the token it gave that time', async () => {
    const from = server.requests.length;
    let issued = 0;
    const auditing = createAuditingClient({ baseUrl: server.url, token: () => `token-${++issued}` });
    await auditing.get();
    await auditing.update({ audit_port: 12346 });
    await auditing.get();
    expect(sentSince(from)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3']);
    expect(issued).toBe(3);
  });

  it('awaits a token function that returns a promise', async () => {
    const from = server.requests.length;
    let issued = 0;
    const renew = () => new Promise<string>((resolve) => setTimeout(() => resolve(`renewed-${++issued}`), 5));
    const auditing = createAuditingClient({ baseUrl: server.url, token: renew });
    await Promise.all([auditing.get(), auditing.get()]);
    expect(sentSince(from).sort()).toEqual(['Bearer renewed-1', 'Bearer renewed-2']);
  });

  it('gives the raw openapi-fetch client a token from the function too', async () => {
    const from = server.requests.length;
    const auditing = createAuditingClient({ baseUrl: server.url, token: async () => 'raw-token' });
    const { data } = await auditing.raw.GET(PATH);
    expect(data).toStrictEqual(PAGE_EXAMPLE);
    expect(sentSince(from)).toEqual(['Bearer raw-token']);
  });

  it('fails with an AuditingValidationError, its cause kept and nothing sent, when the token function throws', async () => {
    const from = server.requests.length;
    const failure = new Error('the identity provider is down');
    const auditing = createAuditingClient({
      baseUrl: server.url,
      token: () => {
        throw failure;
      },
    });
    const error = (await auditing.get().catch((e: unknown) => e)) as AuditingValidationError;
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect(error.problems).toEqual([{ field: 'token', rule: 'call', message: expect.stringContaining('threw') }]);
    expect(error.cause).toBe(failure);
    expect(error.message).not.toContain(failure.message);
    expect(sentSince(from)).toEqual([]);
  });

  it.each([
    ['a number', () => 7, 'type'],
    ['undefined', async () => undefined, 'type'],
    ['an empty string', () => '', 'required'],
    ['a token with a line break', () => 'abc\r\nX-Injected: 1', 'pattern'],
  ])('fails with an AuditingValidationError and sends nothing when the token function returns %s', async (_name, token, rule) => {
    const from = server.requests.length;
    const auditing = createAuditingClient({ baseUrl: server.url, token: token as () => string });
    const error = (await auditing.update({ audit_port: 1 }).catch((e: unknown) => e)) as AuditingValidationError;
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect(error.problems).toMatchObject([{ field: 'token', rule }]);
    expect(error.message).toMatch(/^no bearer token for the request: token must return /);
    expect(sentSince(from)).toEqual([]);
  });
});

describe('createAuditingClient() takes one way in', () => {
  const baseUrl = 'https://cluster.example.com:9443';
  it.each([
    ['both a password and a token', { username: 'admin@example.com', password: 'pw', token: 't' }, '', 'oneOf', 'not more'],
    ['a username and a token', { username: 'admin@example.com', token: 't' }, '', 'oneOf', 'not more'],
    ['a token and mutualTLS', { token: 't', mutualTLS: true }, '', 'oneOf', 'not more'],
    ['no credentials at all', {}, '', 'oneOf', 'one way in'],
    ['mutualTLS other than true', { mutualTLS: 'yes' }, 'mutualTLS', 'const', 'must be true'],
    ['a token that is neither a string nor a function', { token: 42 }, 'token', 'type', 'must be a string or a function'],
    ['an empty token', { token: '' }, 'token', 'required', 'non-empty'],
    ['a token with "Bearer " in front', { token: 'Bearer abc' }, 'token', 'pattern', 'the token alone'],
  ])('rejects %s, naming the options', (_name, credentials, field, rule, words) => {
    let error: unknown;
    try {
      createAuditingClient({ baseUrl, ...credentials } as AuditingClientOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect((error as AuditingValidationError).problems).toEqual([{ field, rule, message: expect.stringContaining(words) }]);
    if (rule === 'oneOf') expect((error as Error).message).toMatch(/one way in: username and password, token, or mutualTLS/);
  });
});
