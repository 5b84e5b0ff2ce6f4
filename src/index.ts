export { basicAuth } from './auth.js';
export {
  createAuditingClient,
  type AuditingClient,
  type AuditingClientCommonOptions,
  type AuditingClientOptions,
  type BasicCredentials,
  type CallOptions,
  type CertificateCredentials,
  type TokenCredentials,
} from './client.js';
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
