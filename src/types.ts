// Friendly names for the generated types. Every type here is read from the spec's output.
import type { operations as operationTable } from '../generated/operations.js';
import type { components, operations } from '../generated/schema.js';

export type { components, operations, paths } from '../generated/schema.js';

/** The auditing configuration as the cluster returns it. */
export type DbConnsAuditingConfig = components['schemas']['DbConnsAuditingConfig'];
/** The fields a `PUT` may change: any subset of them. */
export type DbConnsAuditingConfigUpdate = components['schemas']['DbConnsAuditingConfigUpdate'];
/** `TCP` or `local`. */
export type AuditProtocol = components['schemas']['AuditProtocol'];
/** The body of an error response. */
export type ApiErrorBody = components['schemas']['ApiError'];

/**
 * The client's operationIds, those of the contract's path: `getDbConnsAuditingConfig`,
 * `updateDbConnsAuditingConfig`, `deleteDbConnsAuditingConfig` (the switches' are in `operations`).
 */
export type OperationId = keyof typeof operationTable & keyof operations;

/** The error codes an operation documents (for `deleteDbConnsAuditingConfig`, its 404, 406 and `default` codes). */
export type DocumentedErrorCode<Op extends OperationId = OperationId> = (typeof operationTable)[Op]['errorCodes'][number];
