/**
 * docs/client.md's recipe for a token that stays fresh: the client's `token` function asks
 * POST /v1/users/authorize with a user name and password, keeps the token until shortly before
 * its `exp`, then asks again. Against the mock (createMock, mock.fetch), whose tokens expire.
 */
import { readFileSync } from 'node:fs';
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { freshToken } from '../../docs/examples/fresh-token.ts';
import { AuditingValidationError, createAuditingClient } from '../../src/index.ts';
import { MOCK_USER } from '../support/mock.ts';

const BASE = 'https://cluster.example.com:9443';
const mock = createMock();
afterAll(() => mock.close());
afterEach(() => vi.useRealTimers());

/** The token each request carried, and the authorize calls, as the mock's fetch saw them. */
function watched() {
  const sent: string[] = [];
  let authorized = 0;
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === '/v1/users/authorize') authorized++;
    else sent.push(request.headers.get('authorization') ?? '');
    return mock.fetch(request);
  };
  return { fetch, sent, authorizations: () => authorized };
}

describe('a token kept fresh from a user name and password (docs/client.md)', () => {
  it('docs/client.md shows the example word for word', () => {
    const example = readFileSync(new URL('../../docs/examples/fresh-token.ts', import.meta.url), 'utf8');
    const page = readFileSync(new URL('../../docs/client.md', import.meta.url), 'utf8');
    expect(page).toContain(example.slice(example.indexOf('export function')).trim());
  });

  it('asks authorize once, reuses the token, and asks again before the short ttl runs out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { fetch, sent, authorizations } = watched();
    const token = freshToken({ baseUrl: BASE, ...MOCK_USER, ttl: 5, margin: 1, fetch });
    const auditing = createAuditingClient({ baseUrl: BASE, token, fetch });

    await auditing.get();
    await auditing.update({ audit_port: 12346 });
    expect(authorizations()).toBe(1);
    expect(sent[0]).toMatch(/^Bearer ey/);
    expect(sent[1]).toBe(sent[0]);

    // Past exp - margin: a new token, and the calls go on.
    vi.setSystemTime(Date.now() + 4_500);
    expect((await auditing.get()).audit_port).toBe(12346);
    expect(authorizations()).toBe(2);
    expect(sent[2]).not.toBe(sent[0]);

    // The first token has run out by now: the mock refuses it, and the function never gives it again.
    vi.setSystemTime(Date.now() + 1_000);
    const stale = await mock.fetch(`${BASE}/v1/cluster/auditing/db_conns`, { headers: { authorization: sent[0]! } });
    expect(stale.status).toBe(401);
    await auditing.get();
    expect(sent.at(-1)).toBe(sent[2]);
  });

  it('calls made together share one authorize', async () => {
    const { fetch, authorizations } = watched();
    const token = freshToken({ baseUrl: BASE, ...MOCK_USER, fetch });
    const auditing = createAuditingClient({ baseUrl: BASE, token, fetch });
    await Promise.all([auditing.get(), auditing.get(), auditing.get()]);
    expect(authorizations()).toBe(1);
  });

  it('a wrong password fails the call with the status, and no password or token in the error', async () => {
    const { fetch } = watched();
    const token = freshToken({ baseUrl: BASE, username: MOCK_USER.username, password: 'wrong-password-42', fetch });
    const auditing = createAuditingClient({ baseUrl: BASE, token, fetch });
    const error = await auditing.get().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect(String((error as Error).cause)).toContain('answered 401');
    const text = JSON.stringify(error, Object.getOwnPropertyNames(error)) + String((error as Error).cause);
    expect(text).toContain('401');
    expect(text).not.toContain('wrong-password-42');
  });
});
