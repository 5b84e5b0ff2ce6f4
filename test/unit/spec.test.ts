/**
 * The rules the bundled spec keeps, checked over every operation, response and example it has.
 * The facts themselves (path, operations, statuses, error codes, examples) are written once, in
 * the spec, and read here through the facts module: a test that typed them again would only
 * check that two copies agree. What is checked is that the spec says each fact in the way the
 * client, the mock and every generator rely on.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { operations as clientTable } from '../../generated/operations.js';
import { packageJson } from '../../tools/project.ts';
import {
  OPERATIONS,
  PAGE_REQUEST_EXAMPLE,
  PAGE_RESPONSE_EXAMPLE,
  PATH,
  SWITCHES,
  bundled,
  dereferenced,
  operation,
  operationFacts,
  readGenerated,
  type Json,
} from '../support/facts.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = dereferenced.components.schemas as Json;
const validateUpdate = ajv.compile(schemas.DbConnsAuditingConfigUpdate);
const validateConfig = ajv.compile(schemas.DbConnsAuditingConfig);
const json = (node: Json) => node.content['application/json'];

describe('document', () => {
  it('is OpenAPI 3.1 and carries package.json version in every spec output', () => {
    expect(bundled.openapi).toBe('3.1.0');
    for (const file of ['openapi.json', 'openapi.deref.json', 'openapi.3.0.json']) {
      expect(readGenerated(file).info.version, file).toBe(packageJson.version);
    }
  });

  it('serves HTTPS on an explicit port, every variable of the URL with a default', () => {
    for (const server of bundled.servers as Json[]) {
      const url = new URL(server.url.replace(/\{(\w+)\}/g, (_: string, name: string) => server.variables[name].default));
      expect(url.protocol).toBe('https:');
      expect(url.port).not.toBe('');
    }
  });

  it("has the contract's path first, whose every key is an operation the client calls", () => {
    expect(Object.keys(bundled.paths)[0]).toBe(PATH);
    const methods = Object.keys(bundled.paths[PATH]).filter((key) => !key.startsWith('x-')); // x-introduced-in is no operation
    expect(methods.sort()).toEqual(OPERATIONS.map((op) => op.method).sort());
    // The client's table has the operations it calls, the contract path's; the switches are for other clients.
    expect(Object.keys(clientTable).sort()).toEqual(OPERATIONS.map((op) => op.operationId).sort());
  });

  it('describes the switches in part: the fields that concern auditing, any other field tolerated', () => {
    expect(Object.keys(bundled.paths).sort()).toEqual(
      [PATH, '/v1/bdbs/{uid}', '/v1/cluster', '/v1/cluster/policy', '/v1/users/authorize'].sort(),
    );
    const closed: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (node === null || typeof node !== 'object') return;
      if ((node as Json).additionalProperties === false) closed.push(where);
      for (const [key, value] of Object.entries(node)) walk(value, `${where}/${key}`);
    };
    for (const { path, method, operation } of SWITCHES) {
      expect(operation.tags, operation.operationId).toEqual(['Switches']);
      walk(operation, `${method} ${path}`);
    }
    expect(closed).toEqual([]);
    const { Database, AuditSettings, ClusterPolicy, ClusterSettings } = dereferenced.components.schemas;
    expect(Database.properties.db_conns_auditing['x-deprecated-in']).toBe('8.2');
    expect(ClusterPolicy.properties.db_conns_auditing['x-deprecated-in']).toBe('8.2');
    expect(AuditSettings['x-introduced-in']).toBe('8.2');
    expect(ClusterSettings.properties.control_plane_basic_authentication['x-introduced-in']).toBe(
      bundled.components.securitySchemes.basicAuth['x-turned-off-by']['x-introduced-in'],
    );
  });

  it('keeps its components in the bundle, and resolves every $ref in the dereferenced file', () => {
    expect(Object.keys(bundled.components.schemas)).toContain('DbConnsAuditingConfig');
    expect(JSON.stringify(bundled)).toContain('"$ref"');
    expect(JSON.stringify(dereferenced)).not.toContain('"$ref"');
  });
});

describe.each(OPERATIONS.map((op) => [op.operationId, op] as const))('%s', (_id, op) => {
  const spec = operation(op.method);

  it('has a summary, a description and one of the tags the document declares', () => {
    expect(op.summary).toBeTruthy();
    expect(spec.description).toBeTruthy();
    expect(spec.tags).toHaveLength(1);
    expect((bundled.tags as Json[]).map((tag) => tag.name)).toContain(spec.tags[0]);
  });

  it('lets in Basic, a bearer token or a client certificate, each alone, each with the one permission it names', () => {
    // One requirement object per scheme: alternatives (OR), not a requirement of all three at once.
    expect(spec.security.map((requirement: Json) => Object.keys(requirement))).toEqual([['basicAuth'], ['bearerAuth'], ['mutualTLS']]);
    for (const requirement of spec.security as Json[]) expect(Object.values(requirement)).toEqual([[op.permission]]);
    expect(spec.description).toContain(`\`${op.permission}\``);
  });

  it('declares a success, 401 and 403', () => {
    expect(op.statuses.filter((status) => status.startsWith('2'))).toHaveLength(1);
    expect(op.statuses).toEqual(expect.arrayContaining(['401', '403']));
  });

  it('gives 401 and 403 the ApiError body, and 401 a WWW-Authenticate header', () => {
    expect(json(spec.responses['401']).schema.required).toEqual(['error_code']);
    expect(json(spec.responses['403']).schema.required).toEqual(['error_code']);
    expect(spec.responses['401'].headers['WWW-Authenticate'].schema.type).toBe('string');
  });

  it('enumerates the error codes of each other error response, with one named example per code', () => {
    const documented = op.errors.filter((error) => !['401', '403'].includes(error.status));
    expect(documented.length).toBeGreaterThan(0);
    for (const error of documented) {
      expect(error.codes.length, error.status).toBeGreaterThan(0);
      expect(
        error.examples.map((example) => example.name),
        error.status,
      ).toEqual(error.codes);
      for (const example of error.examples) expect(example.value.error_code, example.name).toBe(example.name);
    }
  });

  it('documents to the client exactly the codes of its error responses', () => {
    const codes = [...new Set(op.errors.flatMap((error) => error.codes))];
    expect(clientTable[op.operationId as keyof typeof clientTable].errorCodes).toEqual(codes);
  });
});

describe('security schemes', () => {
  const schemes = bundled.components.securitySchemes as Json;

  it('are HTTP Basic, a JWT bearer token and mutual TLS', () => {
    expect(schemes).toMatchObject({
      basicAuth: { type: 'http', scheme: 'basic' },
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      mutualTLS: { type: 'mutualTLS' },
    });
  });

  it('say how to get a token and how long it lives, and that 8.2 can turn Basic off with a 401', () => {
    expect(schemes.bearerAuth.description).toMatch(/POST \/v1\/users\/authorize[\s\S]*`ttl`[\s\S]*300[\s\S]*at least 1[\s\S]*86400/);
    expect(schemes.basicAuth.description).toMatch(/Redis Software 8\.2[\s\S]*control_plane_basic_authentication[\s\S]*401/);
    expect(schemes.mutualTLS.description).toMatch(/mtls_trusted_ca[\s\S]*mtls_certificate_authentication/);
    expect(json(operation('get').responses['401']).example.description).toMatch(/bearer token/);
    // The docs give no first version of tokens or client certificates: none is written.
    for (const name of ['bearerAuth', 'mutualTLS']) expect(schemes[name].description, name).not.toMatch(/\d+\.\d+/);
  });

  it('put mutualTLS last: Prism cannot check it, and lets in a request without credentials when it is the first alternative', () => {
    for (const { method } of OPERATIONS) {
      const names = (operation(method).security as Json[]).map((requirement) => Object.keys(requirement)[0]);
      expect(names.at(-1), method).toBe('mutualTLS');
    }
  });
});

describe('responses', () => {
  const protocols = schemas.DbConnsAuditingConfig.properties.audit_protocol.enum as string[];

  it('GET and PUT 200 return the configuration, the page example first and one example per protocol', () => {
    for (const method of ['get', 'put'] as const) {
      const media = json(operation(method).responses['200']);
      expect(media.schema.title).toBe('DbConnsAuditingConfig');
      const values = Object.values(media.examples as Json).map((example) => example.value);
      expect(values[0]).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
      expect(values.map((value) => value.audit_protocol)).toEqual(protocols);
    }
  });

  it('the PUT request example holds the same settings as the response example, and one example per protocol', () => {
    const media = json(operation('put').requestBody);
    expect(media.schema.title).toBe('DbConnsAuditingConfigUpdate');
    expect(PAGE_REQUEST_EXAMPLE).toEqual(PAGE_RESPONSE_EXAMPLE);
    expect(Object.values(media.examples as Json).map((example) => example.value.audit_protocol)).toEqual(protocols);
  });

  it('DELETE succeeds with no body, as the client expects', () => {
    const success = operationFacts('delete').statuses.find((status) => status.startsWith('2'))!;
    expect(operation('delete').responses[success].content).toBeUndefined();
    expect(clientTable[operationFacts('delete').operationId as keyof typeof clientTable].successBody).toBe(false);
  });

  it('says which facts are this contract\u2019s decisions', () => {
    expect(operation('put').responses['400'].description).toMatch(/contract's decision/);
    expect(operation('delete').responses.default.description).toMatch(/contract's decision/);
    expect(schemas.ApiError.description).toMatch(/contract's decision/);
  });
});

describe('configuration schema (as returned)', () => {
  const config = schemas.DbConnsAuditingConfig;

  it('types and describes every field, and requires none', () => {
    for (const [name, property] of Object.entries(config.properties as Json)) {
      expect(property.type, name).toBeTruthy();
      expect(property.description, name).toBeTruthy();
      if ('default' in property) expect(ajv.validate(property, property.default), `${name} default`).toBe(true);
    }
    expect(config.required).toBeUndefined();
  });

  it('says in its description which Redis Software version introduced a field', () => {
    const introduced = Object.entries(config.properties as Json).filter(([, property]) => property['x-introduced-in']);
    expect(introduced.length).toBeGreaterThan(0);
    for (const [name, property] of introduced) {
      expect(property.description, name).toContain(`Redis Software ${property['x-introduced-in']}`);
    }
  });

  it('tolerates fields it does not know (a newer server may add some)', () => {
    expect(validateConfig({ ...PAGE_RESPONSE_EXAMPLE, audit_something_new: true })).toBe(true);
  });

  it('still rejects a response with a string port or an unknown protocol', () => {
    expect(validateConfig({ ...PAGE_RESPONSE_EXAMPLE, audit_port: String(PAGE_RESPONSE_EXAMPLE.audit_port) })).toBe(false);
    expect(validateConfig({ ...PAGE_RESPONSE_EXAMPLE, audit_protocol: 'UDP' })).toBe(false);
  });
});

describe('update schema (PUT body)', () => {
  it('takes the same fields as the configuration', () => {
    expect(Object.keys(schemas.DbConnsAuditingConfigUpdate.properties)).toEqual(Object.keys(schemas.DbConnsAuditingConfig.properties));
  });

  it('accepts the page example, a local socket configuration and any subset of fields', () => {
    expect(validateUpdate(PAGE_REQUEST_EXAMPLE)).toBe(true);
    expect(validateUpdate({ audit_protocol: 'local', audit_address: '/var/opt/redislabs/run/db-audit.sock' })).toBe(true);
    expect(validateUpdate({ audit_port: 12346 })).toBe(true);
    expect(validateUpdate({ audit_queue_max_bytes: 0 })).toBe(true);
    expect(validateUpdate({})).toBe(true);
  });

  it.each([
    ['an unknown field', { audit_format: 'json' }, 'additionalProperties'],
    ['port 0', { audit_port: 0 }, 'minimum'],
    ['port 65536', { audit_port: 65536 }, 'maximum'],
    ['a string port', { audit_port: '12345' }, 'type'],
    ['a fractional port', { audit_port: 123.5 }, 'type'],
    ['protocol in the wrong case', { audit_protocol: 'tcp' }, 'enum'],
    ['an unknown protocol', { audit_protocol: 'UDP' }, 'enum'],
    ['a negative reconnect interval', { audit_reconnect_interval: -1 }, 'minimum'],
    ['a negative reconnect count', { audit_reconnect_max_attempts: -1 }, 'minimum'],
    ['a negative queue size', { audit_queue_max_bytes: -1 }, 'minimum'],
    ['a port with the local protocol', { audit_protocol: 'local', audit_port: 12345 }, 'not'],
    ['a string address that is a number', { audit_address: 127001 }, 'type'],
    ['an array', [PAGE_REQUEST_EXAMPLE], 'type'],
    ['null', null, 'type'],
    ['a string', 'audit_port=1', 'type'],
  ])('rejects %s', (_name, body, keyword) => {
    expect(validateUpdate(body)).toBe(false);
    expect(validateUpdate.errors!.map((error) => error.keyword)).toContain(keyword);
  });
});

describe('examples', () => {
  /** Every body of the spec (the request and each response) that has a schema. */
  const bodies: [string, Json][] = OPERATIONS.flatMap(({ method, spec }) => [
    ...Object.entries(spec.responses as Json).map(([status, response]): [string, Json] => [`${method} ${status}`, response]),
    ...(spec.requestBody ? [[`${method} request`, spec.requestBody] as [string, Json]] : []),
  ]).flatMap(([where, body]) => Object.values((body.content ?? {}) as Json).map((media): [string, Json] => [where, media]));

  /** Every (schema, example) pair: the named examples of each body, and the `examples` of the schemas. */
  type Pair = [string, Json, unknown];
  const pairs: Pair[] = [
    ...bodies.flatMap(([where, media]) =>
      Object.entries((media.examples ?? {}) as Json).map(([name, example]): Pair => [`${where} ${name}`, media.schema, example.value]),
    ),
    ...Object.entries(schemas).flatMap(([name, schema]) =>
      ((schema.examples ?? []) as unknown[]).map((value, i): Pair => [`${name} examples[${i}]`, schema, value]),
    ),
  ];

  // 401 and 403 carry the bare ApiError: Redis documents no error code for them, so there is nothing to show.
  it('exist for every body but the bare ApiError of 401 and 403', () => {
    const bare = bodies.filter(([, media]) => media.schema.title === 'ApiError').map(([where]) => where.split(' ')[1]);
    expect(new Set(bare)).toEqual(new Set(['401', '403']));
    const shown = bodies.filter(([, media]) => media.schema.title !== 'ApiError');
    expect(shown.length).toBeGreaterThan(0);
    for (const [where, media] of shown) expect(Object.keys(media.examples ?? {}), where).not.toHaveLength(0);
  });

  it.each(pairs)('%s is valid against its schema (JSON Schema 2020-12)', (_where, schema, value) => {
    const validate = ajv.compile(schema);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('OpenAPI 3.0.3 rendering', () => {
  const v30 = readGenerated('openapi.3.0.json');
  const text = JSON.stringify(v30);

  it('is 3.0.3 and uses no 3.1-only keywords', () => {
    expect(v30.openapi).toBe('3.0.3');
    expect(text).not.toMatch(/"const":|"examples":\[|"identifier":|"\$schema":/);
    expect(v30.info.summary).toBeUndefined();
  });

  it('keeps the same operations, responses and schemas', () => {
    for (const { method } of OPERATIONS) {
      expect(Object.keys(v30.paths[PATH][method].responses)).toEqual(Object.keys(bundled.paths[PATH][method].responses));
    }
    expect(Object.keys(v30.components.schemas)).toEqual(Object.keys(bundled.components.schemas));
    const forbidden = (doc: Json) => doc.components.schemas.LocalProtocolWithPort.properties.audit_protocol;
    expect(forbidden(v30).enum).toEqual([forbidden(bundled).const]);
  });

  it('drops scopes that 3.0 allows only for OAuth2, keeping the permission in the description', () => {
    for (const { method, permission } of OPERATIONS) {
      const op = v30.paths[PATH][method];
      expect(op.security, method).toEqual([{ basicAuth: [] }, { bearerAuth: [] }]);
      expect(op.description, method).toContain(permission);
    }
  });

  it('drops the mutualTLS scheme, which 3.0 does not have, and says in its introduction what that leaves out', () => {
    expect(Object.keys(v30.components.securitySchemes)).toEqual(['basicAuth', 'bearerAuth']);
    expect(v30.components.securitySchemes.bearerAuth).toStrictEqual(bundled.components.securitySchemes.bearerAuth);
    expect(text).not.toContain('"type":"mutualTLS"');
    expect(v30.info.description).toMatch(/OpenAPI 3\.0 has no security scheme for mutual TLS.*mtls_trusted_ca/s);
  });
});

describe('for client generators', () => {
  /** Every schema object of a document, each with where it is. */
  function* schemasIn(value: unknown, at = ''): Generator<{ at: string; schema: Json }> {
    if (value === null || typeof value !== 'object') return;
    if (!Array.isArray(value)) yield { at, schema: value as Json };
    for (const [key, inner] of Object.entries(value)) yield* schemasIn(inner, `${at}/${key}`);
  }

  // openapi-generator makes a model of an inline `not` schema, named after its parent's title
  // and numbered (it made `DbConnsAuditingConfigUpdate1`); a named schema is generated as itself.
  it.each(['openapi.json', 'openapi.3.0.json'])('%s: every `not` rule is a named schema', (file) => {
    const inline = [...schemasIn(readGenerated(file).components)]
      .filter(({ schema }) => schema.not && !/^#\/components\/schemas\/\w+$/.test(schema.not.$ref ?? ''))
      .map(({ at }) => at);
    expect(inline).toEqual([]);
    expect(readGenerated(file).components.schemas.DbConnsAuditingConfigUpdate.not.$ref).toBe('#/components/schemas/LocalProtocolWithPort');
  });
});
