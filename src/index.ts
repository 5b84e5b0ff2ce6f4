export { createAuditingClient, type AuditingClient, type AuditingClientOptions, type CallOptions } from './client.js';
export {
  AuditingApiError,
  AuditingError,
  AuditingNetworkError,
  AuditingValidationError,
  isAuditingApiError,
  isAuditingError,
  isAuditingNetworkError,
  isAuditingValidationError,
  type ValidationProblem,
} from './errors.js';
export type * from './types.js';
