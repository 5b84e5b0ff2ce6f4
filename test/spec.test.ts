/**
 * The bundled spec against the endpoint's reference page and the facts gathered from the rest
 * of the Redis Software docs. The expectations below are written from those pages, not read
 * back from the spec, so that a change to the spec that drifts from the docs fails here.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { packageJson } from '../scripts/lib/project.ts';
import { PAGE_REQUEST_EXAMPLE, PAGE_RESPONSE_EXAMPLE } from './support/page.ts';
import { PATH, bundled, dereferenced, operation, readGenerated, type Json } from './support/spec.ts';

const OPERATIONS = {
  get: {
    operationId: 'getDbConnsAuditingConfig',
    summary: 'Get database connection auditing settings',
    permission: 'view_cluster_info',
    roles: ['admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager'],
    statuses: ['200', '401', '403', '406'],
  },
  put: {
    operationId: 'updateDbConnsAuditingConfig',
    summary: 'Update database connection auditing settings',
    permission: 'update_cluster',
    roles: ['admin'],
    statuses: ['200', '400', '401', '403', '406'],
  },
  delete: {
    operationId: 'deleteDbConnsAuditingConfig',
    summary: 'Delete database connection auditing settings',
    permission: 'update_cluster',
    roles: ['admin'],
    statuses: ['200', '401', '403', '404', '406', 'default'],
  },
} as const;

/** Documented error codes by operation and response. */
const ERROR_CODES: Record<string, Record<string, string[]>> = {
  get: { '406': ['db_conns_auditing_unsupported_by_capability'] },
  put: {
    '400': ['invalid_schema', 'db_conns_auditing_bad_config', 'db_conns_auditing_missing_config', 'db_conns_auditing_bad_address'],
    '406': ['db_conns_auditing_unsupported_by_capability'],
  },
  delete: {
    '404': ['db_conns_audit_config_not_found'],
    '406': ['db_conns_auditing_unsupported_by_capability'],
    default: ['cannot_delete_audit_config_when_policy_enabled', 'cannot_delete_audit_config_when_bdb_enabled'],
  },
};

const ajv = new Ajv2020({ allErrors: true, strict: false });
const schemas = dereferenced.components.schemas as Json;
const validateUpdate = ajv.compile(schemas.DbConnsAuditingConfigUpdate);
const validateConfig = ajv.compile(schemas.DbConnsAuditingConfig);
const json = (response: Json) => response.content['application/json'];

describe('document', () => {
  it('is OpenAPI 3.1 and carries package.json version in every spec output', () => {
    expect(bundled.openapi).toBe('3.1.0');
    for (const file of ['openapi.json', 'openapi.deref.json', 'openapi.3.0.json']) {
      expect(readGenerated(file).info.version, file).toBe(packageJson.version);
    }
  });

  it('serves HTTPS on port 9443 with the host as a variable', () => {
    const [server] = bundled.servers;
    expect(server.url).toBe('https://{host}:9443');
    expect(server.variables.host.default).toBeTruthy();
  });

  it('authenticates with HTTP Basic', () => {
    expect(bundled.components.securitySchemes.basicAuth).toMatchObject({ type: 'http', scheme: 'basic' });
  });

  it('has exactly GET, PUT and DELETE on the one path', () => {
    expect(Object.keys(bundled.paths)).toEqual([PATH]);
    expect(Object.keys(bundled.paths[PATH]).sort()).toEqual(['delete', 'get', 'put']);
  });

  it('keeps its components in the bundle, and resolves every $ref in the dereferenced file', () => {
    expect(Object.keys(bundled.components.schemas)).toContain('DbConnsAuditingConfig');
    expect(JSON.stringify(bundled)).toContain('"$ref"');
    expect(JSON.stringify(dereferenced)).not.toContain('"$ref"');
  });
});

describe.each(Object.entries(OPERATIONS))('%s', (method, expected) => {
  const op = operation(method as keyof typeof OPERATIONS);

  it('has its operationId, summary, description and tag', () => {
    expect(op.operationId).toBe(expected.operationId);
    expect(op.summary).toBe(expected.summary);
    expect(op.description.length).toBeGreaterThan(40);
    expect(op.tags).toEqual(['Auditing']);
  });

  it('requires its permission as a role of the Basic security requirement, and names the roles that hold it', () => {
    expect(op.security).toEqual([{ basicAuth: [expected.permission] }]);
    expect(op.description).toContain(`\`${expected.permission}\``);
    for (const role of expected.roles) expect(op.description).toContain(`\`${role}\``);
  });

  it('declares exactly the documented statuses', () => {
    expect(Object.keys(op.responses).sort()).toEqual([...expected.statuses].sort());
  });

  it('enumerates the documented error codes of each error response, with a named example for each', () => {
    for (const [status, codes] of Object.entries(ERROR_CODES[method]!)) {
      const media = json(op.responses[status]);
      expect(media.schema.allOf[1].properties.error_code.enum, status).toEqual(codes);
      expect(Object.keys(media.examples), status).toEqual(codes);
      for (const code of codes) expect(media.examples[code].value.error_code).toBe(code);
    }
  });

  it('gives 401 and 403 the ApiError body, and 401 a WWW-Authenticate header', () => {
    expect(json(op.responses['401']).schema.required).toEqual(['error_code']);
    expect(json(op.responses['403']).schema.required).toEqual(['error_code']);
    expect(op.responses['401'].headers['WWW-Authenticate'].schema.type).toBe('string');
  });
});

describe('responses', () => {
  it('GET and PUT 200 return the configuration, the page example first and a local socket example by name', () => {
    for (const method of ['get', 'put'] as const) {
      const media = json(operation(method).responses['200']);
      expect(media.schema.title).toBe('DbConnsAuditingConfig');
      const [first, ...rest] = Object.values(media.examples) as Json[];
      expect(first!.value).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
      expect(JSON.stringify(first!.value)).toBe(JSON.stringify(PAGE_RESPONSE_EXAMPLE)); // same key order too
      expect(media.examples.localSocket.value.audit_protocol).toBe('local');
      expect(rest).toHaveLength(1);
    }
  });

  it('DELETE 200 has no body', () => {
    expect(operation('delete').responses['200'].content).toBeUndefined();
  });

  it('says which facts are this contract\u2019s decisions', () => {
    const put = operation('put');
    const del = operation('delete');
    expect(put.responses['400'].description).toMatch(/contract's decision/);
    expect(del.responses.default.description).toMatch(/contract's decision/);
    expect(schemas.ApiError.description).toMatch(/contract's decision/);
  });
});

describe('configuration schema (as returned)', () => {
  const config = schemas.DbConnsAuditingConfig;
  const FIELDS = {
    audit_address: { type: 'string' },
    audit_port: { type: 'integer' },
    audit_protocol: { type: 'string', enum: ['TCP', 'local'] },
    audit_reconnect_interval: { type: 'integer', default: 1 },
    audit_reconnect_max_attempts: { type: 'integer', default: 0 },
    audit_queue_max_bytes: { type: 'integer', default: 524288 },
  };

  it('has the six documented fields with their types, defaults and descriptions', () => {
    expect(Object.keys(config.properties).sort()).toEqual(Object.keys(FIELDS).sort());
    for (const [name, facts] of Object.entries(FIELDS)) {
      expect(config.properties[name], name).toMatchObject(facts);
      expect(config.properties[name].description.length, name).toBeGreaterThan(10);
    }
    expect(config.required).toBeUndefined();
  });

  it('marks audit_queue_max_bytes as Redis Software 8.2+', () => {
    expect(config.properties.audit_queue_max_bytes.description).toMatch(/Redis Software 8\.2/);
    expect(config.properties.audit_queue_max_bytes['x-introduced-in']).toBe('8.2');
  });

  it('tolerates fields it does not know (a newer server may add some)', () => {
    expect(validateConfig({ ...PAGE_RESPONSE_EXAMPLE, audit_something_new: true })).toBe(true);
  });

  it('still rejects a response with a string port or an unknown protocol', () => {
    expect(validateConfig({ ...PAGE_RESPONSE_EXAMPLE, audit_port: '12345' })).toBe(false);
    expect(validateConfig({ ...PAGE_RESPONSE_EXAMPLE, audit_protocol: 'UDP' })).toBe(false);
  });
});

describe('update schema (PUT body)', () => {
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
  /** Every (schema, example) pair in the dereferenced spec: media types and schemas alike. */
  function* examplePairs(): Generator<[string, Json, unknown]> {
    const ops = dereferenced.paths[PATH] as Json;
    for (const [method, op] of Object.entries(ops)) {
      const bodies: [string, Json][] = Object.entries(op.responses as Json).map(([status, r]) => [`${method} ${status}`, r]);
      if (op.requestBody) bodies.push([`${method} request`, op.requestBody]);
      for (const [where, body] of bodies) {
        for (const media of Object.values((body.content ?? {}) as Json)) {
          for (const [name, example] of Object.entries((media.examples ?? {}) as Json)) {
            yield [`${where} ${name}`, media.schema, example.value];
          }
        }
      }
    }
    for (const [name, schema] of Object.entries(schemas)) {
      for (const [i, value] of (schema.examples ?? []).entries()) yield [`${name} examples[${i}]`, schema, value];
    }
  }

  const pairs = [...examplePairs()];

  it('exist for every response body, the request and the property schemas', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(17);
  });

  it.each(pairs)('%s is valid against its schema (JSON Schema 2020-12)', (_where, schema, value) => {
    const validate = ajv.compile(schema);
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the PUT request example is the page example, verbatim, and a local example is named', () => {
    const media = operation('put').requestBody.content['application/json'];
    expect(JSON.stringify(media.examples.tcp.value)).toBe(JSON.stringify(PAGE_REQUEST_EXAMPLE));
    expect(media.examples.localSocket.value.audit_protocol).toBe('local');
    expect(media.schema.title).toBe('DbConnsAuditingConfigUpdate');
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
    for (const method of ['get', 'put', 'delete']) {
      expect(Object.keys(v30.paths[PATH][method].responses)).toEqual(Object.keys(bundled.paths[PATH][method].responses));
    }
    expect(Object.keys(v30.components.schemas)).toEqual(Object.keys(bundled.components.schemas));
    expect(v30.components.schemas.LocalProtocolWithPort.properties.audit_protocol.enum).toEqual(['local']);
  });

  it('drops scopes that 3.0 allows only for OAuth2, keeping the permission in the description', () => {
    const put = v30.paths[PATH].put;
    expect(put.security).toEqual([{ basicAuth: [] }]);
    expect(put.description).toContain('update_cluster');
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
