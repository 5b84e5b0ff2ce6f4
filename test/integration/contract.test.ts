/**
 * The mock (the mock package's library, in this process, with no port: `mock.fetch`) as the
 * contract's stand-in, in raw requests: every response the spec declares can be asked for and matches the spec, every
 * named example comes back verbatim, and bad requests (no credentials, an invalid or non-JSON
 * body, a wrong content type, an unknown method) get the answers written down here. Every
 * answer that the spec declares is checked against its schema as it arrives. The tables are
 * read from the spec, so they grow with it.
 */
import { basicAuth } from '../../src/index.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { MOCK_AUTH, MOCK_TOKEN } from '../support/mock.ts';
import { PATH, dereferenced, type Json } from '../support/facts.ts';

const mock = createMock();
const CLUSTER = 'https://cluster.example.com:9443';

const BASIC = MOCK_AUTH;
const METHODS = ['get', 'put', 'delete'] as const;
type Method = (typeof METHODS)[number];

/** A body every PUT below sends unless it is about the body. */
const VALID_UPDATE = { audit_port: 12346 };
/** `default` has no status of its own: Prism serves it for any status the operation does not declare. */
const UNDECLARED_STATUS = '409';

// The schemas carry OpenAPI annotations and `x-` extensions, which Ajv's strict mode rejects.
const ajv = new Ajv2020({ allErrors: true, strict: false });
const matches = (schema: Json, value: unknown) => {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : validate.errors;
};

interface Declared {
  method: Method;
  /** As the spec writes it: `200`, `401`... or `default`. */
  status: string;
  /** The status to ask Prism for. */
  code: string;
  response: Json;
}

const declared: Declared[] = METHODS.flatMap((method) =>
  Object.entries(dereferenced.paths[PATH][method].responses as Record<string, Json>).map(([status, response]) => ({
    method,
    status,
    code: status === 'default' ? UNDECLARED_STATUS : status,
    response,
  })),
);

const namedExamples = declared.flatMap((entry) =>
  Object.entries((entry.response.content?.['application/json']?.examples ?? {}) as Record<string, Json>).map(([name, example]) => ({
    ...entry,
    name,
    value: example.value as unknown,
  })),
);

const requestExamples = Object.entries(
  dereferenced.paths[PATH].put.requestBody.content['application/json'].examples as Record<string, Json>,
).map(([name, example]) => ({ name, value: example.value as unknown }));

const responseSchema = (method: Method, status: string): Json =>
  dereferenced.paths[PATH][method].responses[status].content['application/json'].schema;

/** One raw exchange with the mock. */
async function send(
  method: string,
  {
    prefer,
    authorization = BASIC,
    contentType,
    body,
  }: { prefer?: string; authorization?: string | null; contentType?: string; body?: string } = {},
) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  if (prefer) headers.prefer = prefer;
  if (contentType) headers['content-type'] = contentType;
  if (method === 'PUT' && body === undefined) {
    body = JSON.stringify(VALID_UPDATE);
    headers['content-type'] ??= 'application/json';
  }
  const response = await mock.fetch(`${CLUSTER}${PATH}`, { method, headers, body });
  const text = await response.text();
  const answer = { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
  expectConformant(method, answer);
  return answer;
}

/**
 * An answer of a status the operation declares (or its `default`) has the declared content
 * type and a body its schema allows. Only two answers are outside the spec: Prism's 405 for a
 * method the path does not have, and its problem+json for a Prefer it cannot honour.
 */
function expectConformant(method: string, answer: { status: number; headers: Headers; text: string }) {
  if (answer.headers.get('content-type') === 'application/problem+json') return;
  const responses = dereferenced.paths[PATH][method.toLowerCase()]?.responses as Record<string, Json> | undefined;
  const declared = responses?.[String(answer.status)] ?? responses?.default;
  expect(declared, `${method} -> ${answer.status} is declared`).toBeDefined();
  const schema = declared!.content?.['application/json']?.schema;
  if (!schema) return void expect(answer.text, `${method} -> ${answer.status} has no body`).toBe('');
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(matches(schema, JSON.parse(answer.text)), `${method} -> ${answer.status}: ${answer.text}`).toEqual([]);
}

/** Prism's `sl-violations` header: the rules a request broke, with where. */
const violations = (headers: Headers) =>
  JSON.parse(headers.get('sl-violations') ?? '[]') as { location: string[]; code?: string | number; message: string }[];

describe('the spec, read as a table', () => {
  it('declares responses for every operation, and DELETE a default one that 409 is not declared beside', () => {
    for (const method of METHODS) expect(declared.filter((entry) => entry.method === method).length).toBeGreaterThan(1);
    expect(declared.filter((entry) => entry.status === 'default').map((entry) => entry.method)).toEqual(['delete']);
    expect(declared.some((entry) => entry.status === UNDECLARED_STATUS)).toBe(false);
    expect(namedExamples.length).toBeGreaterThan(0);
  });
});

describe('every declared response, by Prefer: code=N', () => {
  it.each(declared.map((entry) => [entry.method.toUpperCase(), entry.status, entry] as const))(
    '%s %s',
    async (_, __, { method, code, status, response }) => {
      const answer = await send(method.toUpperCase(), { prefer: `code=${code}` });
      expect(answer.status).toBe(Number(code));

      const content = response.content as Record<string, Json> | undefined;
      if (!content) {
        expect(answer.text).toBe(''); // DELETE's 200: a status alone
        return;
      }
      expect(answer.headers.get('content-type')).toBe('application/json');
      expect(matches(content['application/json']!.schema, answer.json()), `${method} ${status} body`).toEqual([]);
      for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
        const value = answer.headers.get(name);
        expect(value, `header ${name}`).not.toBeNull();
        expect(matches(header.schema, value), `header ${name}`).toEqual([]);
      }
    },
  );
});

describe('every named example, by Prefer: code=N, example=NAME', () => {
  it.each(namedExamples.map((entry) => [entry.method.toUpperCase(), entry.status, entry.name, entry] as const))(
    '%s %s %s',
    async (_, __, ___, { method, code, name, value }) => {
      const answer = await send(method.toUpperCase(), { prefer: `code=${code}, example=${name}` });
      expect(answer.status).toBe(Number(code));
      expect(answer.json()).toStrictEqual(value);
    },
  );

  const successExamples = namedExamples.filter((entry) => entry.status.startsWith('2'));
  it.each(successExamples.map((entry) => [entry.method.toUpperCase(), entry.name, entry] as const))(
    '%s example=%s alone picks a success example',
    async (_, __, { method, name, value }) => {
      const answer = await send(method.toUpperCase(), { prefer: `example=${name}` });
      expect(answer.status).toBe(200);
      expect(answer.json()).toStrictEqual(value);
    },
  );

  it('an error example needs its status too: alone, Prism looks for it only in the success response', async () => {
    const errorExample = namedExamples.find((entry) => entry.method === 'put' && entry.status === '400')!;
    const answer = await send('PUT', { prefer: `example=${errorExample.name}` });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.json()).toMatchObject({
      type: 'https://stoplight.io/prism/errors#NOT_FOUND',
      detail: `Response for contentType: application/json and exampleKey: ${errorExample.name} does not exist.`,
    });
  });

  it.each(requestExamples.map((example) => [example.name, example] as const))(
    'the request example %s is a body the mock accepts',
    async (_, { value }) => {
      const answer = await send('PUT', { body: JSON.stringify(value), contentType: 'application/json' });
      expect(answer.status).toBe(200);
      expect(violations(answer.headers)).toEqual([]);
    },
  );
});

describe('credentials', () => {
  const scheme = dereferenced.components.securitySchemes.basicAuth.scheme as string;
  const cases = METHODS.flatMap((method) => [
    [method.toUpperCase(), 'no Authorization header', null],
    // A scheme the contract does not name: Prism itself refuses it, as it does no credentials.
    [method.toUpperCase(), 'a Digest header', 'Digest username="admin@example.com"'],
  ]) as [string, string, string | null][];

  it.each(
    METHODS.flatMap((method) => [
      [method.toUpperCase(), 'a wrong password', basicAuth('admin@example.com', 'wrong-password')],
      [method.toUpperCase(), 'a wrong bearer token', `Bearer ${MOCK_TOKEN}-expired`],
    ]),
  )("%s with %s gets 401 with WWW-Authenticate and the spec's example", async (method, _, authorization) => {
    const answer = await send(method, { authorization });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')?.split(' ')[0]?.toLowerCase()).toBe(scheme.toLowerCase());
    expect(answer.json()).toStrictEqual(
      dereferenced.paths[PATH][method.toLowerCase()].responses['401'].content['application/json'].example,
    );
  });

  it.each(METHODS.map((method) => [method.toUpperCase()]))('%s with the bearer token gets in: no violation', async (method) => {
    // Forced, so that the DELETE leaves the stored configuration to the other tests.
    const answer = await send(method, { authorization: `Bearer ${MOCK_TOKEN}`, prefer: 'code=200' });
    expect(answer.status).toBe(200);
    expect(violations(answer.headers)).toEqual([]);
  });

  it.each(cases)('%s with %s gets 401 with WWW-Authenticate naming the Basic scheme', async (method, _, authorization) => {
    const answer = await send(method, { authorization });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')?.split(' ')[0]?.toLowerCase()).toBe(scheme.toLowerCase());
    expect(matches(responseSchema(method.toLowerCase() as Method, '401'), answer.json())).toEqual([]);
    expect(violations(answer.headers)).toEqual([
      { location: ['request'], severity: 'Error', code: 401, message: 'Invalid security scheme used' },
    ]);
  });
});

describe('bad PUT requests', () => {
  const invalid = [
    {
      what: 'a string audit_port',
      body: { audit_port: '12345' },
      location: ['request', 'body', 'audit_port'],
      code: 'type',
      error: 'invalid_schema',
      text: 'audit_port must be integer',
    },
    {
      what: 'a port out of range',
      body: { audit_port: 65536 },
      location: ['request', 'body', 'audit_port'],
      code: 'maximum',
      error: 'invalid_schema',
      text: 'audit_port must be <= 65535',
    },
    {
      what: 'a protocol in the wrong case',
      body: { audit_protocol: 'tcp' },
      location: ['request', 'body', 'audit_protocol'],
      code: 'enum',
      error: 'invalid_schema',
      text: 'audit_protocol must be equal to one of the allowed values',
    },
    // These two rules are about the body as a whole: Prism's message names the field, or no field at all.
    {
      what: 'an unknown field',
      body: { audit_format: 'json' },
      location: ['request', 'body'],
      code: 'additionalProperties',
      message: "found 'audit_format'",
      error: 'invalid_schema',
      text: 'audit_format is not a field of the configuration',
    },
    {
      what: 'a port with the local protocol',
      body: { audit_protocol: 'local', audit_port: 1 },
      location: ['request', 'body'],
      code: 'not',
      message: 'must NOT be valid',
      error: 'db_conns_auditing_bad_config',
      text: 'audit_port must not be specified when audit_protocol is local',
    },
  ];

  it.each(invalid.map((entry) => [entry.what, entry] as const))(
    "%s gets the spec's 400 with the code and the field, and sl-violations naming the field",
    async (_, { body, location, code, message, error, text }) => {
      const answer = await send('PUT', { body: JSON.stringify(body), contentType: 'application/json' });
      expect(answer.status).toBe(400);
      expect(answer.json()).toStrictEqual({ error_code: error, description: expect.stringContaining(text) });
      expect(violations(answer.headers)).toContainEqual(
        expect.objectContaining({ location, code, ...(message && { message: expect.stringContaining(message) }) }),
      );
    },
  );

  it("a PUT without a body gets the spec's 400, sl-violations saying the body is required", async () => {
    const answer = await send('PUT', { body: '', contentType: 'application/json' });
    expect(answer.status).toBe(400);
    expect(answer.json()).toStrictEqual({
      error_code: 'invalid_schema',
      description: 'the body is required: a JSON object with the fields to change',
    });
    expect(violations(answer.headers)).toEqual([
      { location: ['request'], severity: 'Error', code: 'required', message: 'Body parameter is required' },
    ]);
  });

  it("a text/plain body gets the spec's 400 naming the Content-Type (the spec declares no 415), with a 415 violation", async () => {
    const answer = await send('PUT', { body: JSON.stringify(VALID_UPDATE), contentType: 'text/plain' });
    expect(answer.status).toBe(400);
    expect(answer.json()).toStrictEqual({
      error_code: 'invalid_schema',
      description: 'Content-Type "text/plain" is not accepted: Supported content types: application/json',
    });
    expect(violations(answer.headers)).toEqual([
      { location: ['request'], severity: 'Error', code: 415, message: 'Supported content types: application/json' },
    ]);
  });

  it("a body that is not JSON gets the spec's 400 in the contract's shape, with the parser's reason", async () => {
    const answer = await send('PUT', { body: '{audit_port: 1}', contentType: 'application/json' });
    expect(answer.status).toBe(400);
    // Prism's HTTP framework answers before any validation: no sl-violations; the mock rewrites its body.
    expect(answer.json()).toStrictEqual({
      error_code: 'invalid_schema',
      description: expect.stringMatching(/^the body is not valid JSON: .*position 1/),
    });
    expect(answer.headers.get('sl-violations')).toBeNull();
  });
});

describe('methods the path does not have', () => {
  const declaredMethods = Object.keys(dereferenced.paths[PATH]).filter((key) => !key.startsWith('x-')); // x-introduced-in is no method
  const undeclared = ['post', 'patch'].filter((method) => !declaredMethods.includes(method));

  it.each(undeclared.map((method) => [method.toUpperCase()]))(
    '%s gets 405 as application/problem+json, with the Allow header',
    async (method) => {
      const answer = await send(method);
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toBe(declaredMethods.map((m) => m.toUpperCase()).join(', '));
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(answer.json()).toStrictEqual({
        type: 'https://stoplight.io/prism/errors#NO_METHOD_MATCHED_ERROR',
        title: 'Route resolved, but no method matched',
        status: 405,
        detail: `The route ${PATH} has been matched, but it does not have "${method.toLowerCase()}" method defined`,
      });
    },
  );
});
