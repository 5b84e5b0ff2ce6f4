/**
 * Bad input never leaves the process: update() and createAuditingClient() reject it with an
 * AuditingValidationError naming the field and the rule, and the server counts no request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditingValidationError, createAuditingClient, type AuditingClientOptions } from '../../src/index.ts';
import { json, PAGE_EXAMPLE, startServer, type TestServer } from '../support/servers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_request, response) => json(response, 200, PAGE_EXAMPLE));
});
afterAll(() => server.close());

const auditing = () => createAuditingClient({ baseUrl: server.url, username: 'admin@example.com', password: 'input-password' });

describe('update() with a body the spec rejects', () => {
  it.each([
    ['a string port', { audit_port: '12345' }, 'audit_port', 'type', 'must be an integer'],
    ['a fractional port', { audit_port: 1.5 }, 'audit_port', 'type', 'must be an integer'],
    ['port 0', { audit_port: 0 }, 'audit_port', 'minimum', 'must be >= 1'],
    ['port 65536', { audit_port: 65536 }, 'audit_port', 'maximum', 'must be <= 65535'],
    ['an unknown field', { audit_format: 'json' }, 'audit_format', 'additionalProperties', 'is not a field of the configuration'],
    ['an unknown protocol', { audit_protocol: 'tcp' }, 'audit_protocol', 'enum', 'must be one of "TCP", "local"'],
    ['a negative reconnect count', { audit_reconnect_max_attempts: -1 }, 'audit_reconnect_max_attempts', 'minimum', 'must be >= 0'],
    ['a negative queue size', { audit_queue_max_bytes: -5 }, 'audit_queue_max_bytes', 'minimum', 'must be >= 0'],
    [
      'a port with the local protocol',
      { audit_protocol: 'local', audit_port: 12345 },
      'audit_port',
      'not',
      'must not be set when audit_protocol is "local"',
    ],
    ['an array', [{ audit_port: 1 }], '', 'type', 'must be an object'],
    ['null', null, '', 'type', 'must be an object'],
    ['a string', '{"audit_port": 1}', '', 'type', 'must be an object'],
  ])('rejects %s, naming the field and the rule', async (_name, body, field, rule, message) => {
    const before = server.requests.length;
    const error = (await auditing()
      .update(body as never)
      .catch((e: unknown) => e)) as AuditingValidationError;
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect(error.problems).toContainEqual({ field, rule, message });
    expect(error.message).toContain(`${field || '(the value itself)'} ${message}`);
    expect(server.requests.length).toBe(before); // nothing was sent
  });

  it.each([
    [
      'a cycle',
      (() => {
        const body: Record<string, unknown> = { audit_port: 1 };
        body.self = body;
        return body;
      })(),
    ],
    ['a BigInt', { audit_port: 12345n }],
    ['undefined', undefined],
    ['a function', () => 1],
  ])('rejects %s, which JSON cannot carry', async (_name, body) => {
    const before = server.requests.length;
    const error = (await auditing()
      .update(body as never)
      .catch((e: unknown) => e)) as AuditingValidationError;
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect(error.problems).toEqual([{ field: '', rule: 'json', message: 'must be a value JSON can carry' }]);
    expect(server.requests.length).toBe(before);
  });

  it('checks the JSON that will be sent: inherited fields and toJSON count as JSON sees them', async () => {
    const before = server.requests.length;
    const inherited = Object.assign(Object.create({ audit_format: 'json' }), { audit_port: 12345 });
    await auditing().update(inherited);
    await auditing().update({ audit_address: { toJSON: () => '10.0.0.1' } } as never);
    await auditing().update({ audit_port: 12345, audit_address: undefined });
    expect(server.requests.slice(before).map((request) => JSON.parse(request.body))).toEqual([
      { audit_port: 12345 },
      { audit_address: '10.0.0.1' },
      { audit_port: 12345 },
    ]);
  });

  it('lists every problem of a body at once', async () => {
    const error = (await auditing()
      .update({ audit_port: 0, audit_protocol: 'UDP', extra: 1 } as never)
      .catch((e: unknown) => e)) as AuditingValidationError;
    expect(error.problems.map((problem) => problem.field).sort()).toEqual(['audit_port', 'audit_protocol', 'extra']);
    expect(error.message).toBe(
      'invalid auditing configuration update: extra is not a field of the configuration; audit_port must be >= 1; audit_protocol must be one of "TCP", "local"',
    );
  });

  it('sends a valid partial update', async () => {
    const before = server.requests.length;
    await auditing().update({ audit_reconnect_interval: 5 });
    expect(server.requests.length).toBe(before + 1);
  });
});

describe('createAuditingClient() with options it cannot use', () => {
  const valid: AuditingClientOptions = { baseUrl: 'https://cluster.example.com:9443', username: 'admin@example.com', password: 'pw' };
  it('accepts the longest timeout a timer holds, and a call under it warns of nothing', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const longest = createAuditingClient({ baseUrl: server.url, username: 'u', password: 'p', timeoutMs: 2 ** 31 - 1 });
      expect(await longest.get()).toStrictEqual(PAGE_EXAMPLE);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
  it.each([
    ['no base URL', { ...valid, baseUrl: '' }, 'baseUrl', 'format'],
    ['a base URL that is not a URL', { ...valid, baseUrl: 'cluster:9443/x y' }, 'baseUrl', 'format'],
    ['a base URL with another scheme', { ...valid, baseUrl: 'ftp://cluster.example.com' }, 'baseUrl', 'format'],
    [
      'a base URL with credentials in it',
      { ...valid, baseUrl: 'https://admin:secret-in-url@cluster.example.com:9443' },
      'baseUrl',
      'format',
    ],
    ['no username', { ...valid, username: '' }, 'username', 'required'],
    ['a username with a colon', { ...valid, username: 'a:b' }, 'username', 'pattern'],
    ['a password that is not a string', { ...valid, password: 1234 }, 'password', 'type'],
    ['a zero timeout', { ...valid, timeoutMs: 0 }, 'timeoutMs', 'exclusiveMinimum'],
    ['a negative timeout', { ...valid, timeoutMs: -1 }, 'timeoutMs', 'exclusiveMinimum'],
    ['a timeout that is not a number', { ...valid, timeoutMs: NaN }, 'timeoutMs', 'exclusiveMinimum'],
    ['an infinite timeout', { ...valid, timeoutMs: Infinity }, 'timeoutMs', 'maximum'],
    // A timer holds at most 2^31 - 1 ms; one longer would fire at once.
    ['a timeout longer than a timer holds', { ...valid, timeoutMs: 2 ** 31 }, 'timeoutMs', 'maximum'],
    ['a timeout given as text', { ...valid, timeoutMs: '5000' }, 'timeoutMs', 'exclusiveMinimum'],
    ['a fetch that is not a function', { ...valid, fetch: 'fetch' }, 'fetch', 'type'],
  ])('rejects %s', (_name, options, field, rule) => {
    let error: unknown;
    try {
      createAuditingClient(options as AuditingClientOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuditingValidationError);
    expect((error as AuditingValidationError).problems.map((p) => [p.field, p.rule])).toContainEqual([field, rule]);
    expect((error as Error).message).not.toContain('secret-in-url');
  });
});
