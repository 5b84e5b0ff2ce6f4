/**
 * The three ways a call fails, as exported classes under one base class. None of them ever
 * holds the password, the token or the Authorization header: not in its message, its fields, its headers,
 * its cause or its JSON form.
 */
import { operations } from '../generated/operations.js';
import type { DocumentedErrorCode, OperationId } from './types.js';

// A mark every error of this package carries, found through the global symbol registry: the type
// guards read it, so they also know an error from another realm or another copy of the package,
// where `instanceof` says no.
const MARK = Symbol.for('redis-software-auditing-db-conns.error');

/** Whatever this client throws: catch it with one `instanceof` (or `isAuditingError()`). */
export class AuditingError extends Error {
  override readonly name: string = 'AuditingError';
  /** @internal */
  readonly [MARK]: true = true;
}

/** The cluster answered with an error status (or a body that is not what the spec says). */
export class AuditingApiError<Op extends OperationId = OperationId> extends AuditingError {
  override readonly name = 'AuditingApiError';
  /**
   * The `error_code` the server sent: one the operation documents, or one a newer server added,
   * or `undefined` when the body has none (401, 404 or 406 answered with an empty body).
   * Narrow it with `hasDocumentedCode()` for a `switch` that the compiler checks.
   */
  readonly errorCode: DocumentedErrorCode<Op> | (string & {}) | undefined;

  constructor(
    /** The operationId of the call that failed. */
    readonly operation: Op,
    /** The HTTP status. */
    readonly status: number,
    /** The parsed JSON body, or the text of a body that is not JSON, or `undefined` when empty. */
    readonly body: unknown,
    message: string,
    /** The response's reason phrase, such as `Not Found` (`''` over HTTP/2 and when the server sent none). */
    readonly statusText = '',
    /** The response's headers (`WWW-Authenticate`, `Retry-After`, a request id...), any echoed credentials redacted. */
    readonly headers = new Headers(),
  ) {
    super(message);
    const code = (body as { error_code?: unknown } | null)?.error_code;
    this.errorCode = typeof code === 'string' ? code : undefined;
  }

  /** True when `errorCode` is one the spec documents for this operation, and typed so. */
  hasDocumentedCode(): this is this & { readonly errorCode: DocumentedErrorCode<Op> } {
    return (operations[this.operation].errorCodes as readonly string[]).includes(this.errorCode as string);
  }
}

/** The input was rejected before any request was sent. */
export class AuditingValidationError extends AuditingError {
  override readonly name = 'AuditingValidationError';
  constructor(
    /** Each problem: the field it is about (`''` for the whole value) and the rule it breaks. */
    readonly problems: readonly ValidationProblem[],
    what: string,
    options?: { cause: unknown },
  ) {
    super(`${what}: ${problems.map((problem) => `${problem.field || '(the value itself)'} ${problem.message}`).join('; ')}`, options);
  }
}

export interface ValidationProblem {
  /** A dotted path to the field, such as `audit_port`; `''` for the value as a whole. */
  field: string;
  /** The JSON Schema keyword (or option rule) it breaks, such as `maximum` or `additionalProperties`. */
  rule: string;
  /** What the rule asks for, such as `must be <= 65535`. */
  message: string;
}

/** No usable HTTP answer: refused, reset, DNS, TLS, or the timeout fired. */
export class AuditingNetworkError extends AuditingError {
  override readonly name = 'AuditingNetworkError';
  constructor(
    readonly operation: OperationId,
    /** `timeout`, `aborted`, or the system's code such as `ECONNREFUSED`, `ENOTFOUND`, `SELF_SIGNED_CERT_IN_CHAIN`. */
    readonly code: string,
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** Narrows any caught value to anything this client throws, across realms and package copies. */
export const isAuditingError = (error: unknown): error is AuditingError => (error as { [MARK]?: unknown } | null)?.[MARK] === true;
/** Narrows any caught value to an input the client rejected before sending. */
export const isAuditingValidationError = (error: unknown): error is AuditingValidationError =>
  isAuditingError(error) && error.name === 'AuditingValidationError';
/** Narrows any caught value to a call that got no usable HTTP answer. */
export const isAuditingNetworkError = (error: unknown): error is AuditingNetworkError =>
  isAuditingError(error) && error.name === 'AuditingNetworkError';

/** Narrows any caught value to the API error of one operation, or of any operation when none is given. */
export function isAuditingApiError<Op extends OperationId = OperationId>(error: unknown, operation?: Op): error is AuditingApiError<Op> {
  return isAuditingError(error) && error.name === 'AuditingApiError' && (!operation || (error as AuditingApiError).operation === operation);
}
