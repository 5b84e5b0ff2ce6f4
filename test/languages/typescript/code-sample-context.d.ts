// What the TypeScript code samples (openapi/code_samples/TypeScript/) take from the page around
// them, so that tsc checks them as they are written (tsconfig.samples.json): the package's
// functions, the cluster and its user, and the client that the GET sample makes for the others.
import type * as contract from '../../../src/index.ts';

declare global {
  /** The cluster's REST API, for example https://cluster.example.com:9443. */
  const cluster: string;
  const user: string;
  const password: string;
  const auditing: contract.AuditingClient;
  const createAuditingClient: typeof contract.createAuditingClient;
  const isAuditingApiError: typeof contract.isAuditingApiError;
}
