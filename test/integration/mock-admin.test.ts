/**
 * Steering the mock: its admin API under /__mock/ (admin.openapi.yaml), each row over HTTP and
 * from the TypeScript handle, seen through this package's client as a cluster's answers would
 * be. Scenarios a cluster can be in, faults for the next requests, the request log, a reset
 * of everything, and bad admin requests refused in the contract's words, changing nothing.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ADMIN_DOCUMENT, MockAdminError, NEWEST_VERSION, type RunningMock, startMock } from 'redis-software-auditing-db-conns-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AuditingApiError, AuditingNetworkError, createAuditingClient } from '../../src/index.ts';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { MOCK_AUTH, MOCK_TOKEN, MOCK_USER, eventually } from '../support/mock.ts';
import { PATH } from '../support/facts.ts';

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock();
});
afterAll(() => mock?.stop());
beforeEach(() => mock.reset());

const client = () => createAuditingClient({ baseUrl: mock.url, ...MOCK_USER });
const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${mock.url}/__mock/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

/** Every admin answer is one its document declares, with a body its schema allows. */
const document = parseYaml(readFileSync(ADMIN_DOCUMENT, 'utf8'));
const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ ...document, $id: 'admin' });
function expectDeclared(method: string, path: string, answer: { status: number; body: unknown }) {
  const response = document.paths[`/__mock/${path}`][method.toLowerCase()].responses[String(answer.status)];
  expect(response, `${method} /__mock/${path} -> ${answer.status} is declared`).toBeDefined();
  const ref = response.$ref ?? null;
  const resolved = ref ? document.components.responses[ref.split('/').at(-1)] : response;
  const schema = resolved.content?.['application/json']?.schema;
  if (!schema) return expect(answer.body).toBeUndefined();
  // The document's own references, resolved in the document.
  const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"admin#/components/')));
  expect(validate(answer.body), JSON.stringify(validate.errors)).toBe(true);
}

describe('the scenario', () => {
  it('starts as a plain cluster, and PUT changes only the fields given, answering the whole scenario', async () => {
    const plain = { cluster_policy: false, database_auditing: false, capability: true, basic_auth: true, redis_version: NEWEST_VERSION };
    expect(await mock.scenario()).toStrictEqual(plain);
    const answer = await admin('PUT', 'scenario', { database_auditing: true });
    expectDeclared('PUT', 'scenario', answer);
    expect(answer.body).toStrictEqual({ ...plain, database_auditing: true });
    expect(await mock.scenario({ capability: false })).toMatchObject({ database_auditing: true, capability: false });
  });

  it('cluster_policy: DELETE is refused and the configuration stays; once the policy is off, DELETE resets', async () => {
    await mock.scenario({ cluster_policy: true });
    const refused = await client()
      .reset()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuditingApiError);
    expect(refused).toMatchObject({ status: 409, errorCode: 'cannot_delete_audit_config_when_policy_enabled' });
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
    await mock.scenario({ cluster_policy: false });
    await client().reset();
    expect(await client().get()).toStrictEqual({});
  });

  it('database_auditing: DELETE is refused with cannot_delete_audit_config_when_bdb_enabled', async () => {
    await mock.scenario({ database_auditing: true });
    await expect(client().reset()).rejects.toMatchObject({ status: 409, errorCode: 'cannot_delete_audit_config_when_bdb_enabled' });
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('capability: false answers every operation with 406 db_conns_auditing_unsupported_by_capability, and changes nothing', async () => {
    await mock.scenario({ capability: false });
    for (const call of [() => client().get(), () => client().update({ audit_port: 1 }), () => client().reset()])
      await expect(call()).rejects.toMatchObject({ status: 406, errorCode: 'db_conns_auditing_unsupported_by_capability' });
    await mock.scenario({ capability: true });
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('basic_auth: false gives Basic a 401, while the same call with the token gets in', async () => {
    await mock.scenario({ basic_auth: false });
    await expect(client().get()).rejects.toMatchObject({ status: 401 });
    expect(await createAuditingClient({ baseUrl: mock.url, token: MOCK_TOKEN }).get()).toStrictEqual(PAGE_EXAMPLE);
  });
});

describe('the faults', () => {
  it('fail: {status: 503, count: 2} gives the client two AuditingApiErrors with Retry-After, then a configuration', async () => {
    const answer = await admin('PUT', 'faults', { fail: { status: 503, count: 2, retry_after: 7 } });
    expectDeclared('PUT', 'faults', answer);
    for (let i = 0; i < 2; i++) {
      const error = await client()
        .get()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuditingApiError);
      expect((error as AuditingApiError).status).toBe(503);
      expect((error as AuditingApiError).headers.get('retry-after')).toBe('7');
    }
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
    expect((await mock.faults()).fail.count).toBe(0);
  });

  it('fail with 429 works as a server error does', async () => {
    await mock.faults({ fail: { status: 429, count: 1 } });
    await expect(client().get()).rejects.toMatchObject({ status: 429 });
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('reset_connection: {count: 1} resets the next connection, with no answer; the one after is answered', async () => {
    await mock.faults({ reset_connection: { count: 1 } });
    const error = await client()
      .get()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingNetworkError);
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('latency_ms delays every answer until it is set to 0, and reaches the client timeout', async () => {
    await mock.faults({ latency_ms: 300 });
    const started = performance.now();
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const hurried = createAuditingClient({ baseUrl: mock.url, ...MOCK_USER, timeoutMs: 50 });
    await expect(hurried.get()).rejects.toMatchObject({ code: 'timeout' });
    // The mock still answers the request the client gave up on, once its latency is over.
    expect(await eventually(async () => (await mock.requests()).length === 2, 5000)).toBe(true);
    await mock.faults({ latency_ms: 0 });
    expect(await hurried.get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('apply to the contract only: the admin API, the docs and other paths answer at once, and are not logged', async () => {
    await mock.faults({ reset_connection: { count: 5 }, fail: { status: 500, count: 5 } });
    expect((await admin('GET', 'scenario')).status).toBe(200);
    expect((await fetch(`${mock.url}/docs`)).status).not.toBe(500);
    expect((await fetch(`${mock.url}/v1/nodes`)).status).toBe(404); // a path the contract does not have
    expect(await mock.requests()).toEqual([]);
    expect(await mock.faults()).toMatchObject({ reset_connection: { count: 5 }, fail: { count: 5 } });
  });
});

describe('the request log', () => {
  it('has one entry per request to the contract, with its status, time, fault and violations, and none for the admin API', async () => {
    await mock.faults({ fail: { status: 502, count: 1 } });
    await client()
      .get()
      .catch(() => undefined);
    await fetch(`${mock.url}${PATH}`, {
      method: 'PUT',
      headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ audit_port: 'x' }),
    });
    await client().get();
    const answer = await admin('GET', 'requests');
    expectDeclared('GET', 'requests', answer);
    const log = await mock.requests();
    expect(log.map(({ method, status, fault }) => [method, status, fault])).toEqual([
      ['GET', 502, 'fail'],
      ['PUT', 400, undefined],
      ['GET', 200, undefined],
    ]);
    expect(log[1]!.violations).toEqual([
      { where: 'request.body.audit_port', what: 'Request body property audit_port must be integer', severity: 'error' },
    ]);
    for (const entry of log) expect(Number.isNaN(Date.parse(entry.time))).toBe(false);
  });
});

describe('POST /__mock/reset', () => {
  it('puts back the page example and clears the scenario, the faults and the log', async () => {
    await client().update({ audit_port: 4242 });
    await mock.scenario({ cluster_policy: true, capability: false });
    await mock.faults({ latency_ms: 5, fail: { status: 503, count: 9 } });
    const answer = await admin('POST', 'reset');
    expectDeclared('POST', 'reset', answer);
    expect(answer.status).toBe(204);
    expect(await mock.requests()).toEqual([]);
    expect(await mock.scenario()).toMatchObject({ cluster_policy: false, capability: true });
    expect(await mock.faults()).toMatchObject({ latency_ms: 0, fail: { count: 0 } });
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
  });
});

describe('a bad admin request', () => {
  it.each([
    ['scenario', { cluster_policy: 'yes' }, 'cluster_policy must be boolean'],
    ['scenario', { cluster_policy: true, policy: true }, 'policy is not a field of this request'],
    ['scenario', {}, 'must NOT have fewer than 1 properties'],
    ['faults', { latency_ms: -1 }, 'latency_ms must be >= 0'],
    ['faults', { fail: { status: 404, count: 1 } }, 'fail.status must be >= 500'],
    ['faults', { fail: { status: 503 } }, "must have required property 'count'"],
    ['faults', { reset_connection: { count: 1.5 } }, 'reset_connection.count must be integer'],
    ['faults', '{"latency_ms": ', 'the body is not valid JSON'],
  ])('PUT /__mock/%s %j gets 400 naming the field and the rule, and changes nothing', async (path, body, text) => {
    const before = { scenario: await mock.scenario(), faults: await mock.faults() };
    const answer = await admin('PUT', path, body);
    expect(answer.status).toBe(400);
    expect(answer.body).toStrictEqual({ error_code: 'invalid_schema', description: expect.stringContaining(text) });
    expect({ scenario: await mock.scenario(), faults: await mock.faults() }).toStrictEqual(before);
  });

  it('from the handle, throws MockAdminError with the same words', async () => {
    const error = await mock.scenario({ capability: 'no' as unknown as boolean }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockAdminError);
    expect((error as MockAdminError).message).toContain('capability must be boolean');
  });
});
