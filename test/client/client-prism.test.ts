/**
 * The client against plain Prism (the mock package's `--stateless` mock, in this process, with no port: `mock.fetch`): every operation, every documented status and every
 * named example, each failing with the right class, status and error code. The operations,
 * statuses and examples come from the spec (test/support/facts.ts), so the cases grow with it.
 */
import { createMock } from 'redis-software-auditing-db-conns-mock';
import { describe, expect, it } from 'vitest';
import { AuditingApiError, createAuditingClient, isAuditingApiError, type OperationId } from '../../src/index.ts';
import { ERROR_CODES, OPERATIONS, PAGE_RESPONSE_EXAMPLE, statusToAskFor, type Method } from '../support/facts.ts';

const prism = createMock({ stateless: true });

const client = (prefer?: string) =>
  createAuditingClient({
    baseUrl: 'https://cluster.example.com:9443',
    fetch: prism.fetch,
    username: 'admin@example.com',
    password: 'mock-password',
    headers: prefer ? { Prefer: prefer } : {},
  });

/** The client's call for each method of the spec. */
const CALLS: Record<Method, (auditing: ReturnType<typeof client>) => Promise<unknown>> = {
  get: (auditing) => auditing.get(),
  put: (auditing) => auditing.update({ audit_port: 12346 }),
  delete: (auditing) => auditing.reset(),
};

/** Each error response of the spec: [method, status, operationId]. */
const errorResponses = OPERATIONS.flatMap((op) =>
  op.errors.map((error) => [op.method, error.status, op.operationId as OperationId] as const),
);
/** Each named example of an error response: [method, status, example name, operationId, its body]. */
const namedExamples = OPERATIONS.flatMap((op) =>
  op.errors.flatMap((error) =>
    error.examples.map((example) => [op.method, error.status, example.name, op.operationId as OperationId, example.value] as const),
  ),
);

describe('the client against the Prism mock', () => {
  it('get() returns the configuration', async () => {
    expect(await client().get()).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
  });

  it('update() returns the whole configuration', async () => {
    expect(await client().update({ audit_port: 12346 })).toStrictEqual(PAGE_RESPONSE_EXAMPLE);
  });

  it('update() can pick the local socket example', async () => {
    expect((await client('example=localSocket').update({ audit_protocol: 'local', audit_address: '/tmp/audit.sock' })).audit_protocol).toBe(
      'local',
    );
  });

  it('reset() resolves with nothing', async () => {
    await expect(client().reset()).resolves.toBeUndefined();
  });

  it.each(errorResponses)('%s answered %s throws AuditingApiError with that status', async (method, status, operationId) => {
    const code = statusToAskFor(status);
    const error = await CALLS[method](client(`code=${code}`)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditingApiError);
    const apiError = error as AuditingApiError;
    expect(apiError.status).toBe(Number(code));
    expect(apiError.operation).toBe(operationId);
    expect(typeof apiError.errorCode).toBe('string');
  });

  it('has a named example for every error code the spec documents', () => {
    expect(new Set(namedExamples.map(([, , name]) => name))).toEqual(new Set(ERROR_CODES));
  });

  it.each(namedExamples)('%s %s example=%s throws that documented error code', async (method, status, example, operationId, body) => {
    const code = statusToAskFor(status);
    const error = await CALLS[method](client(`code=${code}, example=${example}`)).catch((e: unknown) => e);
    expect(isAuditingApiError(error, operationId)).toBe(true);
    const apiError = error as AuditingApiError;
    expect(apiError.status).toBe(Number(code));
    expect(apiError.errorCode).toBe(example);
    expect(apiError.hasDocumentedCode()).toBe(true);
    expect(apiError.message).toContain(`[${example}]`);
    // The server's explanation, whichever field it came in, is in the message.
    expect(apiError.message).toContain(body.message ?? body.description);
  });
});
