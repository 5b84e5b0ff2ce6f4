// Type tests for the client, checked by tsc (test/unit/typecheck.test.ts), never run.
import {
  AuditingApiError,
  type AuditingError,
  AuditingNetworkError,
  AuditingValidationError,
  createAuditingClient,
  isAuditingApiError,
  isAuditingError,
  isAuditingNetworkError,
  isAuditingValidationError,
  type DbConnsAuditingConfig,
  type DocumentedErrorCode,
  type OperationId,
  type ValidationProblem,
} from '../../src/index.ts';
import { PATH } from '../support/facts.ts';

const auditing = createAuditingClient({ baseUrl: 'https://cluster.example.com:9443', username: 'admin@example.com', password: 'x' });

/** Basic credentials, a token or a client certificate: one of them, never two, never none. */
export function credentials(baseUrl: string) {
  return [
    createAuditingClient({ baseUrl, token: 'eyJ.e30.c2ln' }),
    createAuditingClient({ baseUrl, token: () => 'eyJ.e30.c2ln' }),
    createAuditingClient({ baseUrl, token: async () => 'eyJ.e30.c2ln' }),
    // @ts-expect-error username and password, or token: not both
    createAuditingClient({ baseUrl, username: 'admin@example.com', password: 'x', token: 'eyJ.e30.c2ln' }),
    // @ts-expect-error a username alone does not go with a token either
    createAuditingClient({ baseUrl, username: 'admin@example.com', token: 'eyJ.e30.c2ln' }),
    createAuditingClient({ baseUrl, mutualTLS: true }),
    // @ts-expect-error a client certificate is a way in of its own, without a token
    createAuditingClient({ baseUrl, mutualTLS: true, token: 'eyJ.e30.c2ln' }),
    // @ts-expect-error credentials of one kind or another are required
    createAuditingClient({ baseUrl }),
    // @ts-expect-error a token function gives a string
    createAuditingClient({ baseUrl, token: () => 42 }),
  ];
}

export async function typedCalls() {
  const config: DbConnsAuditingConfig = await auditing.get();
  const port: number | undefined = config.audit_port;
  await auditing.update({ audit_port: 12346 });
  // @ts-expect-error a string port is not an update
  await auditing.update({ audit_port: '12346' });
  // @ts-expect-error the protocol is TCP or local
  await auditing.update({ audit_protocol: 'UDP' });
  // @ts-expect-error no unknown fields
  await auditing.update({ audit_format: 'json' });
  // biome-ignore lint/suspicious/noConfusingVoidType: what is checked is that reset() resolves with nothing
  const nothing: void = await auditing.reset();
  // The raw openapi-fetch client is typed with the spec's paths.
  const { data } = await auditing.raw.GET(PATH);
  const address: string | undefined = data?.audit_address;
  return { port, nothing, address };
}

/** A switch over the documented codes of an operation is checked: all handled, no typo. */
export async function exhaustiveReset(): Promise<string> {
  try {
    await auditing.reset();
    return 'reset';
  } catch (error) {
    if (!isAuditingApiError(error, 'deleteDbConnsAuditingConfig') || !error.hasDocumentedCode()) throw error;
    switch (error.errorCode) {
      case 'db_conns_audit_config_not_found':
        return 'nothing to reset';
      case 'db_conns_auditing_unsupported_by_capability':
        return 'not supported';
      case 'cannot_delete_audit_config_when_policy_enabled':
      case 'cannot_delete_audit_config_when_bdb_enabled':
        return 'still in use';
      // @ts-expect-error a code DELETE does not document is a compile error
      case 'invalid_schema':
        return 'impossible';
      default:
        return error.errorCode satisfies never;
    }
  }
}

export function unknownCodesStillFit(error: AuditingApiError<'getDbConnsAuditingConfig'>) {
  // Before narrowing, a code the server adds later is still a string the type allows.
  const code: string | undefined = error.errorCode;
  const documented: DocumentedErrorCode<'getDbConnsAuditingConfig'> = 'db_conns_auditing_unsupported_by_capability';
  // @ts-expect-error GET documents only the capability code
  const notGets: DocumentedErrorCode<'getDbConnsAuditingConfig'> = 'invalid_schema';
  return { code, documented, notGets };
}

/** One base class for all three, and a guard for each that narrows as `instanceof` does. */
export function everyFailure(error: unknown) {
  const all: AuditingError[] = [
    new AuditingApiError('getDbConnsAuditingConfig', 503, undefined, 'busy'),
    new AuditingNetworkError('getDbConnsAuditingConfig', 'timeout', 'timed out', { cause: undefined }),
    new AuditingValidationError([], 'invalid'),
  ];
  if (isAuditingError(error)) {
    const message: string = error.message;
    // @ts-expect-error the base class has no status: narrow to AuditingApiError first
    void error.status;
    void message;
  }
  if (isAuditingApiError(error)) {
    const operation: OperationId = error.operation;
    const headers: Headers = error.headers;
    const retryAfter: string | null = error.headers.get('retry-after');
    const statusText: string = error.statusText;
    // @ts-expect-error the headers are read-only
    error.headers = new Headers();
    return { all, operation, headers, retryAfter, statusText };
  }
  if (isAuditingNetworkError(error)) {
    const code: string = error.code;
    return { all, code };
  }
  if (isAuditingValidationError(error)) {
    const problems: readonly ValidationProblem[] = error.problems;
    return { all, problems };
  }
  return { all };
}
