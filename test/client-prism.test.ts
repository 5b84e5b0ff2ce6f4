/**
 * The client against the real Prism mock: every operation, every documented status and every
 * named example, each failing with the right class, status and error code.
 */
import { describe, expect, inject, it } from 'vitest';
import { AuditingApiError, createAuditingClient, isAuditingApiError, type OperationId } from '../src/index.ts';
import { PATH, dereferenced } from './support/spec.ts';
import { PAGE_EXAMPLE } from './support/servers.ts';

const prismUrl = inject('prismUrl');
const client = (prefer?: string) =>
  createAuditingClient({ baseUrl: prismUrl, username: 'admin@example.com', password: 'mock-password', headers: prefer ? { Prefer: prefer } : {} });

const METHODS = { get: 'getDbConnsAuditingConfig', put: 'updateDbConnsAuditingConfig', delete: 'deleteDbConnsAuditingConfig' } as const;
const call = (method: keyof typeof METHODS, prefer?: string) => {
  const auditing = client(prefer);
  if (method === 'get') return auditing.get();
  if (method === 'put') return auditing.update({ audit_port: 12346 });
  return auditing.reset();
};

/** Each error response of the spec: [method, status, its named examples]. */
const errorResponses = Object.entries(METHODS).flatMap(([method, operationId]) => {
  const op = dereferenced.paths[PATH][method];
  expect(op.operationId).toBe(operationId);
  return Object.entries(op.responses as Record<string, any>)
    .filter(([status]) => status !== '200')
    .map(([status, response]) => [method as keyof typeof METHODS, status, Object.keys(response.content?.['application/json']?.examples ?? {})] as const);
});

describe('the client against the Prism mock', () => {
  it('get() returns the configuration', async () => {
    expect(await client().get()).toStrictEqual(PAGE_EXAMPLE);
  });

  it('update() returns the whole configuration', async () => {
    expect(await client().update({ audit_port: 12346 })).toStrictEqual(PAGE_EXAMPLE);
  });

  it('update() can pick the local socket example', async () => {
    expect((await client('example=localSocket').update({ audit_protocol: 'local', audit_address: '/tmp/audit.sock' })).audit_protocol).toBe('local');
  });

  it('reset() resolves with nothing', async () => {
    await expect(client().reset()).resolves.toBeUndefined();
  });

  it.each(errorResponses.map(([method, status]) => [method, status]))('%s answered %s throws AuditingApiError with that status', async (method, status) => {
    const code = status === 'default' ? '409' : status;
    const error = await call(method, `code=${code}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingApiError);
    const apiError = error as AuditingApiError;
    expect(apiError.status).toBe(Number(code));
    expect(apiError.operation).toBe(METHODS[method]);
    expect(typeof apiError.errorCode).toBe('string');
  });

  const named = errorResponses.flatMap(([method, status, examples]) => examples.map((example) => [method, status, example] as const));
  it('covers every named error example of the spec', () => {
    expect(named.map(([, , example]) => example).sort()).toEqual([
      'cannot_delete_audit_config_when_bdb_enabled',
      'cannot_delete_audit_config_when_policy_enabled',
      'db_conns_audit_config_not_found',
      'db_conns_auditing_bad_address',
      'db_conns_auditing_bad_config',
      'db_conns_auditing_missing_config',
      'db_conns_auditing_unsupported_by_capability',
      'db_conns_auditing_unsupported_by_capability',
      'db_conns_auditing_unsupported_by_capability',
      'invalid_schema',
    ]);
  });

  it.each(named)('%s %s example=%s throws that documented error code', async (method, status, example) => {
    const code = status === 'default' ? '409' : status;
    const error = await call(method, `code=${code}, example=${example}`).catch((e: unknown) => e);
    const operation: OperationId = METHODS[method];
    expect(isAuditingApiError(error, operation)).toBe(true);
    const apiError = error as AuditingApiError;
    expect(apiError.status).toBe(Number(code));
    expect(apiError.errorCode).toBe(example);
    expect(apiError.hasDocumentedCode()).toBe(true);
    expect(apiError.message).toContain(`[${example}]`);
    expect(apiError.message.length).toBeGreaterThan(example.length + 40); // the server's explanation is in it
  });
});
