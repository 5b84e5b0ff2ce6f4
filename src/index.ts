export { createAuditingClient, type AuditingClient, type AuditingClientOptions, type CallOptions } from './client.js';
export { AuditingApiError, AuditingNetworkError, AuditingValidationError, isAuditingApiError, type ValidationProblem } from './errors.js';
export type * from './types.js';
