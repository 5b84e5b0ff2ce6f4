/**
 * The mock's tokens, through its library (createMock, mock.fetch): `POST /v1/users/authorize`
 * signs a JWT whose `exp` follows `ttl`, that token gets in until it expires, and a token the
 * mock did not sign, an expired one or an `alg: none` one gets 401 on every path of the
 * contract. `PUT /v1/cluster` turns Basic off (from 8.2): Basic then gets 401, a token still
 * gets in, and authorize still takes Basic, as the spec decides.
 */
import { createHmac } from 'node:crypto';
import { type Exchange, createMock } from 'redis-software-auditing-db-conns-mock';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PATH, dereferenced } from '../support/facts.ts';
import { MOCK_AUTH, MOCK_TOKEN } from '../support/mock.ts';
import { basicAuth } from '../../src/index.ts';

const BASE = 'https://cluster.example.com:9443';
const AUTHORIZE = '/v1/users/authorize';
const TTL = dereferenced.components.schemas.AuthorizeRequest.properties.ttl as { default: number; minimum: number; maximum: number };

const seen: Exchange[] = [];
const mock = createMock({ onExchange: (exchange) => seen.push(exchange) });
const mocks = [mock];
afterAll(() => {
  for (const each of mocks) each.close();
});
afterEach(async () => {
  vi.useRealTimers();
  await mock.reset();
});

const call = (authorization: string, method: string, path: string, body?: unknown, on = mock) =>
  on.fetch(`${BASE}${path}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function authorize(body?: unknown, on = mock): Promise<string> {
  const answer = await call(MOCK_AUTH, 'POST', AUTHORIZE, body, on);
  expect(answer.status).toBe(200);
  const { access_token } = (await answer.json()) as { access_token: string };
  return access_token;
}

const part = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8'));
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A GET of each path of the contract that a GET has, with the token. */
const READS = [PATH, '/v1/cluster/policy', '/v1/cluster'];
const statuses = async (authorization: string) => Promise.all(READS.map(async (path) => (await call(authorization, 'GET', path)).status));

describe('POST /v1/users/authorize', () => {
  it('answers a signed JWT for the user, living the spec’s default ttl unless the body says otherwise', async () => {
    const token = await authorize();
    const header = part(token, 0);
    const claims = part(token, 1);
    expect(header).toMatchObject({ alg: 'HS256' });
    expect(claims.sub).toBe('admin@example.com');
    expect(claims.exp - claims.iat).toBe(TTL.default);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5);

    const short = part(await authorize({ ttl: 60 }), 1);
    expect(short.exp - short.iat).toBe(60);
  });

  it('gives a token that gets in on every path until its ttl runs out, then 401', async () => {
    const token = await authorize({ ttl: 60 });
    expect(await statuses(`Bearer ${token}`)).toEqual([200, 200, 200]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 59_000);
    expect(await statuses(`Bearer ${token}`)).toEqual([200, 200, 200]);
    vi.setSystemTime(Date.now() + 2_000);
    expect(await statuses(`Bearer ${token}`)).toEqual([401, 401, 401]);
    const refused = await call(`Bearer ${token}`, 'PUT', '/v1/cluster/policy', { db_conns_auditing: true });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error_code: 'unauthorized' });
  });

  it.each([
    [TTL.minimum - 1, `ttl must be >= ${TTL.minimum}`],
    [TTL.maximum + 1, `ttl must be <= ${TTL.maximum}`],
    [1.5, 'ttl must be integer'],
    ['300', 'ttl must be integer'],
  ])('refuses ttl %j with 400 naming the field and the rule', async (ttl, why) => {
    const answer = await call(MOCK_AUTH, 'POST', AUTHORIZE, { ttl });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({ error_code: 'invalid_schema', description: why });
  });

  it('refuses a JSON null body, which is not the object the spec allows', async () => {
    const answer = await mock.fetch(`${BASE}${AUTHORIZE}`, {
      method: 'POST',
      headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
      body: 'null',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toStrictEqual({ error_code: 'invalid_schema', description: 'the body must be object' });
  });

  it('refuses a wrong password, and a bearer token (the spec gives Basic as its only way in)', async () => {
    const wrong = await call(basicAuth('admin@example.com', 'not-the-password'), 'POST', AUTHORIZE);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error_code: 'unauthorized' });
    expect((await call(`Bearer ${await authorize()}`, 'POST', AUTHORIZE)).status).toBe(401);
  });
});

describe('tokens the mock did not sign', () => {
  it('refuses an alg none token, one signed with another key, one of another mock and a tampered one, on every path', async () => {
    const real = await authorize();
    const claims = part(real, 1);
    const none = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
    const forged = `${unsigned}.${createHmac('sha256', 'a guessed secret').update(unsigned).digest('base64url')}`;
    const other = createMock();
    mocks.push(other);
    const ofOther = await authorize(undefined, other);
    const tampered = `${real.split('.')[0]}.${encode({ ...claims, exp: claims.exp + 3600 })}.${real.split('.')[2]}`;
    for (const token of [none, forged, ofOther, tampered, 'not-a-jwt'])
      expect({ token, statuses: await statuses(`Bearer ${token}`) }).toEqual({ token, statuses: [401, 401, 401] });
    // The mock's own is still good, and the other mock's is good there.
    expect(await statuses(`Bearer ${real}`)).toEqual([200, 200, 200]);
    expect((await call(`Bearer ${ofOther}`, 'GET', PATH, undefined, other)).status).toBe(200);
  });

  it('still takes the fixed token, which never expires, and another one given as the option', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 10 * 365 * 86_400_000);
    expect(await statuses(`Bearer ${MOCK_TOKEN}`)).toEqual([200, 200, 200]);
    vi.useRealTimers();
    const own = createMock({ token: 'an-own-token' });
    mocks.push(own);
    expect((await call('Bearer an-own-token', 'GET', PATH, undefined, own)).status).toBe(200);
    expect((await call(`Bearer ${MOCK_TOKEN}`, 'GET', PATH, undefined, own)).status).toBe(401);
  });

  it('puts no token in the request log, nor in what onExchange is given', async () => {
    const token = await authorize();
    await call(`Bearer ${token}`, 'GET', PATH);
    await call(`Bearer ${token}x`, 'GET', PATH);
    const logged = JSON.stringify([await mock.requests(), seen]);
    expect(logged).toContain(AUTHORIZE);
    expect(logged).not.toContain(token.split('.')[2]);
    expect(logged).not.toContain(MOCK_TOKEN);
  });
});

describe('control_plane_basic_authentication (GET/PUT /v1/cluster)', () => {
  it('is the scenario’s basic_auth: PUT turns Basic off, Basic gets 401, a token and authorize still get in', async () => {
    const token = await authorize();
    expect(await (await call(MOCK_AUTH, 'GET', '/v1/cluster')).json()).toEqual({ control_plane_basic_authentication: true });
    const off = await call(`Bearer ${token}`, 'PUT', '/v1/cluster', { control_plane_basic_authentication: false });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ control_plane_basic_authentication: false });
    expect(await mock.scenario()).toMatchObject({ basic_auth: false });

    expect(await statuses(MOCK_AUTH)).toEqual([401, 401, 401]);
    expect(await statuses(`Bearer ${token}`)).toEqual([200, 200, 200]);
    // This contract's decision (the spec's authorize): it takes Basic while Basic is off.
    const fresh = await authorize({ ttl: 30 });
    expect(await statuses(`Bearer ${fresh}`)).toEqual([200, 200, 200]);

    await mock.scenario({ basic_auth: true }); // the shortcut onto the same state
    expect(await (await call(MOCK_AUTH, 'GET', '/v1/cluster')).json()).toEqual({ control_plane_basic_authentication: true });
    expect(await statuses(MOCK_AUTH)).toEqual([200, 200, 200]);
  });

  it('tolerates the cluster fields it does not describe, and refuses a wrong type naming the field', async () => {
    expect((await call(MOCK_AUTH, 'PUT', '/v1/cluster', { name: 'cluster.example.com' })).status).toBe(200);
    const wrong = await call(MOCK_AUTH, 'PUT', '/v1/cluster', { control_plane_basic_authentication: 'no' });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).description).toContain('control_plane_basic_authentication');
  });

  it('before 8.2 is not a field of the cluster: not returned, and a PUT that names it is refused', async () => {
    const old = createMock({ redisVersion: '8.0' });
    mocks.push(old);
    expect(await (await call(MOCK_AUTH, 'GET', '/v1/cluster', undefined, old)).json()).toEqual({});
    const refused = await call(MOCK_AUTH, 'PUT', '/v1/cluster', { control_plane_basic_authentication: false }, old);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error_code: 'invalid_schema',
      description: 'control_plane_basic_authentication is not a field of Redis Software 8.0: it appeared in 8.2',
    });
    expect(await old.scenario()).toMatchObject({ basic_auth: true });
    expect((await call(MOCK_AUTH, 'GET', PATH, undefined, old)).status).toBe(200);
  });
});
