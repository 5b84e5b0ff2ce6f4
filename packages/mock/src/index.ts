/**
 * A local stand-in for a Redis Software cluster's /v1/cluster/auditing/db_conns, in the
 * caller's process, behind three doors on one core (core.ts):
 * - `createMock()`: no port; `mock.handle(request)` and `mock.fetch(url, init)`;
 * - `startMock()`: the same mock served on node:http, as the bin serves it;
 * - `auditingHandlers(mock, baseUrl)` from the `/msw` subpath: MSW's request handlers.
 * It serves the contract with Prism's own packages, keeps a configuration as a cluster does,
 * serves the rendered docs at /docs, and is steered through its admin API under /__mock/
 * (admin.openapi.yaml), over HTTP or from its handle.
 */
import { type Mock, type MockOptions as CoreOptions, createCore } from './core.js';
import { serve } from './server.js';

export { createMock, type Mock } from './core.js';
export { MockAdminError, MockError, PortInUseError } from './errors.js';
export type {
  AuditStats,
  ConnectionsRequest,
  Exchange,
  Faults,
  FaultsUpdate,
  Scenario,
  ScenarioUpdate,
  Violation,
} from './state.js';
export { ADMIN_DOCUMENT } from './admin.js';
export { DEFAULT_USER } from './cluster.js';
export { DEFAULTS } from './defaults.js';
export { KNOWN_VERSIONS, NEWEST_VERSION, VersionError } from './versions.js';

export interface MockOptions extends CoreOptions {
  /** The port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on: 127.0.0.1 unless given. */
  host?: string;
}

export interface RunningMock extends Omit<Mock, 'close' | 'handle'> {
  /** Where it serves, such as `http://127.0.0.1:4010`; the contract's path goes after it. */
  url: string;
  host: string;
  port: number;
  /** Stops serving and closes every connection; resolves once the port is free. */
  stop: () => Promise<void>;
}

/** The mock on node:http: `createMock()` behind a port. */
export async function startMock({ port, host, ...options }: MockOptions = {}): Promise<RunningMock> {
  const { mock: core, respond } = createCore(options);
  const { handle, close, ...mock } = core;
  const served = await serve(respond, { port, host });
  return {
    ...mock,
    url: served.url,
    host: served.host,
    port: served.port,
    stop: async () => {
      close();
      await served.close();
    },
  };
}

/** The auditing configuration's path, for banners and examples. */
export { CONTRACT_PATH } from './prism.js';
