/**
 * The mock behaves like a cluster: one mock for this file, made in this process through the
 * mock package's library with no port (`mock.fetch`), in raw requests and through this package's client. It keeps what it is told, a refused request
 * changes nothing, DELETE resets, forcing an answer with Prefer leaves the state alone, every
 * error reads as a real one (each 400 code reached by the request that earns it), and 50
 * PUTs at once leave one of them stored. Every answer is checked against the spec.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditingApiError, createAuditingClient, basicAuth } from '../../src/index.ts';
import { PAGE_EXAMPLE } from '../support/servers.ts';
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { MOCK_AUTH, MOCK_TOKEN, MOCK_USER } from '../support/mock.ts';
import { PATH, dereferenced, type Json } from '../support/facts.ts';

// The mock with no port (`mock.fetch`): what a port adds is tested with the bin and startMock().
const CLUSTER = 'https://cluster.example.com:9443';
const mock = createMock();
const endpoint = `${CLUSTER}${PATH}`;
afterAll(() => mock.close());

const ajv = new Ajv2020({ allErrors: true, strict: false });
const operations = dereferenced.paths[PATH] as Record<string, Json>;

/** One raw exchange; its answer must be one the spec declares, with a body its schema allows. */
async function send(
  method: string,
  {
    body,
    prefer,
    authorization = MOCK_AUTH,
    contentType,
  }: { body?: unknown; prefer?: string; authorization?: string | null; contentType?: string } = {},
) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization) headers.authorization = authorization;
  if (prefer) headers.prefer = prefer;
  if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
  const response = await mock.fetch(endpoint, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const declared =
    operations[method.toLowerCase()]!.responses[String(response.status)] ?? operations[method.toLowerCase()]!.responses.default;
  expect(declared, `${method} -> ${response.status} is declared`).toBeDefined();
  const schema = declared.content?.['application/json']?.schema;
  if (schema) {
    expect(response.headers.get('content-type')).toBe('application/json');
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(text)), `${method} -> ${response.status}: ${text} ${JSON.stringify(validate.errors)}`).toBe(true);
  } else {
    expect(text).toBe('');
  }
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const read = async () => (await send('GET')).json();

/** Puts the mock in a known state: the page example stored. */
async function storePageExample() {
  await send('DELETE'); // 200, or 404 when nothing was stored
  expect((await send('PUT', { body: PAGE_EXAMPLE })).status).toBe(200);
}

describe('the mock keeps one configuration', () => {
  beforeEach(storePageExample);

  it('a PUT answers the whole configuration, and a GET reads back what it stored', async () => {
    const answer = await send('PUT', { body: { audit_port: 12346 } });
    expect(answer.status).toBe(200);
    expect(answer.json()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 12346 });
    expect(await read()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 12346 });
  });

  it('merges partial PUTs, field by field', async () => {
    await send('PUT', { body: { audit_reconnect_interval: 5 } });
    await send('PUT', { body: { audit_address: '10.0.0.7', audit_queue_max_bytes: 1024 } });
    expect(await read()).toStrictEqual({
      ...PAGE_EXAMPLE,
      audit_reconnect_interval: 5,
      audit_address: '10.0.0.7',
      audit_queue_max_bytes: 1024,
    });
  });

  it.each([
    ['a wrong type', { audit_port: '12346' }],
    ['an unknown field beside a good one', { audit_port: 12346, audit_format: 'json' }],
    ['a port with local', { audit_protocol: 'local', audit_port: 12346 }],
    ['a body that is not JSON', '{"audit_port": 12346'],
  ])('a refused PUT (%s) changes nothing', async (_, body) => {
    expect((await send('PUT', { body })).status).toBe(400);
    expect(await read()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('switching to local drops the stored port; a port sent while local is stored is refused', async () => {
    const local = await send('PUT', { body: { audit_protocol: 'local', audit_address: '/var/run/audit.sock' } });
    const { audit_port: _, ...withoutPort } = PAGE_EXAMPLE;
    expect(local.json()).toStrictEqual({ ...withoutPort, audit_protocol: 'local', audit_address: '/var/run/audit.sock' });
    const port = await send('PUT', { body: { audit_port: 1 } });
    expect(port.status).toBe(400);
    expect(port.json()).toStrictEqual({
      error_code: 'db_conns_auditing_bad_config',
      description: expect.stringContaining('audit_port must not be specified when audit_protocol is local'),
    });
    // Back to TCP needs a port, since local kept none.
    const tcp = await send('PUT', { body: { audit_protocol: 'TCP', audit_address: '10.0.0.1' } });
    expect(tcp.json()).toStrictEqual({
      error_code: 'db_conns_auditing_missing_config',
      description: 'audit_port is required when audit_protocol is TCP',
    });
    expect((await send('PUT', { body: { audit_protocol: 'TCP', audit_address: '10.0.0.1', audit_port: 514 } })).status).toBe(200);
  });
});

describe('DELETE resets', () => {
  beforeEach(storePageExample);

  it('a reset answers 200 with no body; a second answers 404; GET then answers an empty configuration; a PUT stores again', async () => {
    expect((await send('DELETE')).status).toBe(200);
    const again = await send('DELETE');
    expect(again.status).toBe(404);
    expect(again.json()).toStrictEqual(
      operations.delete!.responses['404'].content['application/json'].examples.db_conns_audit_config_not_found.value,
    );
    expect(await read()).toStrictEqual({});

    const partial = await send('PUT', { body: { audit_port: 514 } });
    expect(partial.status).toBe(400);
    expect(partial.json()).toStrictEqual({
      error_code: 'db_conns_auditing_missing_config',
      description: 'audit_protocol is required: no configuration is stored since the last DELETE; audit_address is required',
    });
    expect(await read()).toStrictEqual({});

    const whole = { audit_protocol: 'TCP', audit_address: '10.1.1.1', audit_port: 514 };
    expect((await send('PUT', { body: whole })).json()).toStrictEqual(whole);
    expect(await read()).toStrictEqual(whole);
    expect((await send('DELETE')).status).toBe(200);
  });
});

describe('Prefer forces an answer and leaves the state alone', () => {
  beforeEach(storePageExample);

  it.each([
    ['PUT', 'code=200, example=localSocket', 200, { audit_port: 1 }],
    ['PUT', 'code=400, example=db_conns_auditing_bad_address', 400, { audit_port: 1 }],
    ['PUT', 'code=406', 406, { audit_port: 1 }],
    ['GET', 'code=403', 403, undefined],
    ['DELETE', 'code=404', 404, undefined],
    ['DELETE', 'code=409, example=cannot_delete_audit_config_when_policy_enabled', 409, undefined],
    ['DELETE', 'code=200', 200, undefined],
  ] as const)('%s with Prefer: %s', async (method, prefer, status, body) => {
    const answer = await send(method, { prefer, body });
    expect(answer.status).toBe(status);
    expect(await read()).toStrictEqual(PAGE_EXAMPLE);
  });

  it("dynamic=true answers a configuration json-schema-faker generates from the schema (the bundle's), new each time", async () => {
    const generate = async () => {
      const answer = await send('GET', { prefer: 'dynamic=true' });
      expect(answer.status).toBe(200);
      return answer.json();
    };
    const [one, two] = [await generate(), await generate()];
    expect(one).not.toStrictEqual(PAGE_EXAMPLE);
    expect(two).not.toStrictEqual(one);
    expect(await read()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('the cannot_delete refusals come through the default response, and the configuration is still there to delete', async () => {
    for (const example of ['cannot_delete_audit_config_when_policy_enabled', 'cannot_delete_audit_config_when_bdb_enabled']) {
      const answer = await send('DELETE', { prefer: `code=409, example=${example}` });
      expect(answer.json()).toMatchObject({ error_code: example });
    }
    expect((await send('DELETE')).status).toBe(200);
  });
});

describe('every answer reads as a real one', () => {
  beforeEach(storePageExample);

  const invalid = [
    ['a wrong type', { audit_port: 'x' }, 'application/json', 'invalid_schema', 'audit_port must be integer'],
    ['a port out of range', { audit_port: 65536 }, 'application/json', 'invalid_schema', 'audit_port must be <= 65535'],
    ['a negative size', { audit_queue_max_bytes: -1 }, 'application/json', 'invalid_schema', 'audit_queue_max_bytes must be >= 0'],
    [
      'a protocol not in the enum',
      { audit_protocol: 'tcp' },
      'application/json',
      'invalid_schema',
      'audit_protocol must be equal to one of the allowed values: TCP, local',
    ],
    [
      'an unknown field',
      { audit_format: 'json' },
      'application/json',
      'invalid_schema',
      'audit_format is not a field of the configuration',
    ],
    [
      'a field name no HTTP header can carry',
      { 監査: 1 },
      'application/json',
      'invalid_schema',
      '監査 is not a field of the configuration',
    ],
    ['a body that is not an object', [1], 'application/json', 'invalid_schema', 'the body must be object'],
    ['a body that is not JSON', '{audit_port: 1}', 'application/json', 'invalid_schema', 'the body is not valid JSON: '],
    ['a wrong Content-Type', '{"audit_port": 1}', 'text/plain', 'invalid_schema', 'Content-Type "text/plain" is not accepted'],
    [
      'a port with local',
      { audit_protocol: 'local', audit_address: '/s.sock', audit_port: 1 },
      'application/json',
      'db_conns_auditing_bad_config',
      'audit_port must not be specified when audit_protocol is local',
    ],
  ] as const;

  it.each(invalid)('%s gets 400 %s naming the field and the rule', async (_, body, contentType, code, text) => {
    const answer = await send('PUT', { body, contentType });
    expect(answer.status).toBe(400);
    expect(answer.json()).toStrictEqual({ error_code: code, description: expect.stringContaining(text) });
  });

  it("JSON's null as the body is a body, not the absence of one: 400 saying it is no object, and only that", async () => {
    const answer = await send('PUT', { body: 'null', contentType: 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.json()).toStrictEqual({ error_code: 'invalid_schema', description: 'the body must be object' });
  });

  it('a PUT without a body gets 400 invalid_schema saying the body is required', async () => {
    const response = await mock.fetch(endpoint, {
      method: 'PUT',
      headers: { authorization: MOCK_AUTH, 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toStrictEqual({
      error_code: 'invalid_schema',
      description: 'the body is required: a JSON object with the fields to change',
    });
  });

  it.each([
    ['no credentials', null],
    ['a wrong password', basicAuth(MOCK_USER.username, 'wrong')],
    ['an unknown user', basicAuth('someone@example.com', MOCK_USER.password)],
    ['a wrong bearer token', `Bearer ${MOCK_TOKEN}-wrong`],
    ['the Basic credentials as a bearer token', MOCK_AUTH.replace('Basic', 'Bearer')],
  ])('%s gets 401 with WWW-Authenticate and a readable body, and changes nothing', async (_, authorization) => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await send(method, { authorization, body: method === 'PUT' ? { audit_port: 1 } : undefined });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(answer.json().error_code).toBe('unauthorized');
      expect(answer.text).not.toContain('"string"');
    }
    expect(await read()).toStrictEqual(PAGE_EXAMPLE);
  });

  // "Bearer" as RFC 6750 spells it: Prism (5.14) refuses the scheme in any other case before the mock sees it.
  it('its bearer token gets in as its user does', async () => {
    expect((await send('GET', { authorization: `Bearer ${MOCK_TOKEN}` })).json()).toStrictEqual(PAGE_EXAMPLE);
    const updated = await send('PUT', { authorization: `Bearer ${MOCK_TOKEN}`, body: { audit_port: 1 } });
    expect(updated.json()).toStrictEqual({ ...PAGE_EXAMPLE, audit_port: 1 });
    expect((await send('DELETE', { authorization: `Bearer ${MOCK_TOKEN}` })).status).toBe(200);
  });

  it('a forced 403 has a readable body', async () => {
    const answer = await send('PUT', { prefer: 'code=403', body: { audit_port: 1 } });
    expect(answer.json()).toMatchObject({ error_code: 'forbidden', description: expect.stringContaining('permission') });
    expect(answer.text).not.toContain('"string"');
  });

  it('a method the path does not have gets 405 with the Allow header', async () => {
    const response = await mock.fetch(endpoint, { method: 'POST', headers: { authorization: MOCK_AUTH } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, PUT, DELETE');
  });
});

describe('concurrent requests', () => {
  beforeEach(storePageExample);

  it('50 PUTs at once each get their own whole configuration, and the one stored is one of them', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => ({
      audit_port: 20_000 + i,
      audit_address: `10.0.0.${i}`,
      audit_reconnect_interval: i,
    }));
    const answers = await Promise.all(bodies.map((body) => send('PUT', { body })));
    for (const [i, answer] of answers.entries()) expect(answer.json()).toStrictEqual({ ...PAGE_EXAMPLE, ...bodies[i] });
    expect(answers.map((answer) => answer.json())).toContainEqual(await read());
  });
});

describe("this package's client against the mock", () => {
  beforeEach(storePageExample);

  it('update() then get() reads back; reset() twice gives the documented 404; update() after a reset needs the whole listener', async () => {
    const client = createAuditingClient({ baseUrl: CLUSTER, fetch: mock.fetch, ...MOCK_USER });
    expect(await client.update({ audit_reconnect_max_attempts: 3 })).toStrictEqual({ ...PAGE_EXAMPLE, audit_reconnect_max_attempts: 3 });
    expect(await client.get()).toStrictEqual({ ...PAGE_EXAMPLE, audit_reconnect_max_attempts: 3 });
    await expect(client.reset()).resolves.toBeUndefined();

    const notFound = (await client.reset().catch((e: unknown) => e)) as AuditingApiError;
    expect(notFound).toBeInstanceOf(AuditingApiError);
    expect([notFound.status, notFound.errorCode, notFound.hasDocumentedCode()]).toEqual([404, 'db_conns_audit_config_not_found', true]);

    const missing = (await client.update({ audit_port: 514 }).catch((e: unknown) => e)) as AuditingApiError;
    expect([missing.status, missing.errorCode, missing.hasDocumentedCode()]).toEqual([400, 'db_conns_auditing_missing_config', true]);
    expect(missing.message).toContain('audit_protocol is required');

    const whole = { audit_protocol: 'TCP', audit_address: '10.2.2.2', audit_port: 514 } as const;
    expect(await client.update(whole)).toStrictEqual(whole);
    expect(await client.get()).toStrictEqual(whole);
  });

  it('a token gets in; a wrong one fails with the 401, its message without the token', async () => {
    expect(await createAuditingClient({ baseUrl: CLUSTER, fetch: mock.fetch, token: MOCK_TOKEN }).get()).toStrictEqual(PAGE_EXAMPLE);
    const error = (await createAuditingClient({ baseUrl: CLUSTER, fetch: mock.fetch, token: 'not-the-token' })
      .get()
      .catch((e: unknown) => e)) as AuditingApiError;
    expect([error.status, error.errorCode]).toEqual([401, 'unauthorized']);
    expect(error.message).toContain('Authentication failed');
    expect(error.message).not.toContain('not-the-token');
  });

  it('a wrong password fails with the 401 and its readable message', async () => {
    const stranger = createAuditingClient({ baseUrl: CLUSTER, fetch: mock.fetch, username: MOCK_USER.username, password: 'wrong' });
    const error = (await stranger.get().catch((e: unknown) => e)) as AuditingApiError;
    expect(error).toBeInstanceOf(AuditingApiError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('Authentication failed');
    expect(error.message).not.toContain('wrong');
  });
});

describe('the token option', () => {
  it('chooses the one token the mock takes, in place of the default', async () => {
    const other = createMock({ token: 'chosen-token' });
    try {
      const status = async (token: string) =>
        (await other.fetch(`${CLUSTER}${PATH}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } })).status;
      expect(await status('chosen-token')).toBe(200);
      expect(await status(MOCK_TOKEN)).toBe(401);
    } finally {
      other.close();
    }
  });
});

describe('a mock of its own', () => {
  it('starts from the page example again, whatever another mock was told', async () => {
    const other = createMock();
    try {
      const update = await other.fetch(`${CLUSTER}${PATH}`, {
        method: 'PUT',
        headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ audit_port: 23456 }),
      });
      expect(update.status).toBe(200);
    } finally {
      other.close();
    }
    const fresh = createMock();
    try {
      expect(await (await fresh.fetch(`${CLUSTER}${PATH}`, { headers: { authorization: MOCK_AUTH } })).json()).toStrictEqual(PAGE_EXAMPLE);
    } finally {
      fresh.close();
    }
  });

  it('stateless answers with the examples, as Prism alone does, and keeps nothing', async () => {
    const plain = createMock({ stateless: true });
    const endpoint = `${CLUSTER}${PATH}`;
    const put = (body: unknown) =>
      plain.fetch(endpoint, {
        method: 'PUT',
        headers: { authorization: MOCK_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      expect(await (await put({ audit_port: 12346 })).json()).toStrictEqual(PAGE_EXAMPLE); // the example, not the port sent
      expect(await (await plain.fetch(endpoint, { headers: { authorization: MOCK_AUTH } })).json()).toStrictEqual(PAGE_EXAMPLE);
      for (let i = 0; i < 2; i++)
        expect((await plain.fetch(endpoint, { method: 'DELETE', headers: { authorization: MOCK_AUTH } })).status).toBe(200);
      // Prism's own choice for an invalid body: the 400's first example, whatever was wrong.
      expect(await (await put({ audit_protocol: 'local', audit_port: 1 })).json()).toMatchObject({ error_code: 'invalid_schema' });
    } finally {
      plain.close();
    }
  });

  it('serves the rendered docs page at /docs, the page npm run docs writes, self-contained', async () => {
    const page = await mock.fetch(`${CLUSTER}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<div id="redoc">');
    expect(html).not.toMatch(/<script[^>]+src="https?:/); // nothing to load from outside
  });
});
