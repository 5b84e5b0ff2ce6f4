/**
 * A local stand-in for a Redis Software cluster's /v1/cluster/auditing/db_conns, in the
 * caller's process: `await startMock()` serves the contract with Prism's own packages, keeps a
 * configuration as a cluster does, serves the rendered docs at /docs, and is steered through
 * its admin API under /__mock/ (admin.openapi.yaml), over HTTP or from the handle it returns.
 */
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { type Faults, type Scenario, type Steering, adminMocker, adminOperations, defaultScenario, noFaults } from './admin.js';
import { type ConnectionsRequest, createRecordSource } from './audit-records.js';
import { AuditSender, type Destination } from './audit-sender.js';
import { DEFAULT_USER, createCluster } from './cluster.js';
import { DEFAULTS } from './defaults.js';
import { type Exchange, allowedMethods, ask, readBody, sendAnswer, sendJson, sendProblem, toInput, violationsOf } from './exchange.js';
import { contractOperations, dereferenced, prismInstance, spec } from './prism.js';
import { exampleOf, operationOf } from './report.js';

export type { Exchange, Violation } from './exchange.js';
export type { Faults, Scenario } from './admin.js';
export { ADMIN_DOCUMENT } from './admin.js';
export { DEFAULT_USER } from './cluster.js';
export { DEFAULTS } from './defaults.js';

/** The fields of the scenario to change (`PUT /__mock/scenario`). */
export type ScenarioUpdate = Partial<Scenario>;
/** The faults to set (`PUT /__mock/faults`). */
export type FaultsUpdate = Partial<Faults>;

export interface MockOptions {
  /** The port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** The address to listen on: 127.0.0.1 unless given. */
  host?: string;
  /** Prism as it is: every answer an example from the spec, nothing kept. */
  stateless?: boolean;
  /** The one user that gets in (HTTP Basic): admin@example.com unless given. */
  user?: string;
  /** That user's password: `secret` unless given. */
  password?: string;
  /** That user's bearer token (`Authorization: Bearer …`): `mock-token` unless given. */
  token?: string;
  /** Called once per exchange on the contract's paths, as its answer is sent. */
  onExchange?: (exchange: Exchange) => void;
  /** Let the audit sender connect to any host a PUT names, not only loopback addresses and Unix sockets. */
  auditAnyHost?: boolean;
}

export interface RunningMock {
  /** Where it serves, such as `http://127.0.0.1:4010`; the contract's path goes after it. */
  url: string;
  host: string;
  port: number;
  /** Stops serving and closes every connection; resolves once the port is free. */
  stop: () => Promise<void>;
  /** `POST /__mock/reset`: the configuration back to the page's example; scenario, faults and log cleared. */
  reset: () => Promise<void>;
  /** `PUT /__mock/scenario` with the fields given (`GET` with none): the whole scenario. */
  scenario: (changes?: ScenarioUpdate) => Promise<Scenario>;
  /** `PUT /__mock/faults` with the fields given (`GET` with none): the whole set of faults. */
  faults: (changes?: FaultsUpdate) => Promise<Faults>;
  /** `GET /__mock/requests`: every exchange on the contract's paths so far. */
  requests: () => Promise<Exchange[]>;
  /** `POST /__mock/audit/connections`: simulated database connections, whose records go to the stored listener. */
  auditConnections: (request?: ConnectionsRequest) => Promise<{ connections: number; records: number; stats: AuditStats }>;
  /** `GET /__mock/audit/stats`: the audit sink's metrics, by the names the Redis docs give them. */
  auditStats: () => Promise<AuditStats>;
}

export type AuditStats = ReturnType<AuditSender['stats']>;
export type { ConnectionsRequest } from './audit-records.js';

/** A request to the admin API that it refused: its 400's description names the field and the rule. */
export class MockAdminError extends Error {
  override readonly name = 'MockAdminError';
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`the mock refused it (${status}): ${(body as { description?: string } | null)?.description ?? JSON.stringify(body)}`);
  }
}

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

/** Where the package keeps its rendered docs page (the build writes it beside the code). */
const DOCS_PAGE = new URL('../dist/docs.html', import.meta.url);

export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const host = options.host ?? DEFAULTS.host;
  const user = {
    name: options.user ?? DEFAULT_USER.name,
    password: options.password ?? DEFAULT_USER.password,
    token: options.token ?? DEFAULT_USER.token,
  };
  const [operations, adminOps] = await Promise.all([contractOperations(), adminOperations()]);
  const steering: Steering = {
    scenario: defaultScenario(),
    faults: noFaults(),
    requests: [],
    audit: new AuditSender({ anyHost: options.auditAnyHost ?? false }),
    records: createRecordSource(),
    reset: () => {
      Object.assign(steering.scenario, defaultScenario());
      Object.assign(steering.faults, noFaults());
      steering.requests.length = 0;
      // A fresh sender: no connection, its metrics at 0, audit_seq from 0 again.
      steering.audit.close();
      steering.audit = new AuditSender({ anyHost: options.auditAnyHost ?? false });
      steering.records = createRecordSource();
      cluster?.reset();
    },
  };
  const cluster = options.stateless
    ? undefined
    : createCluster({ user, scenario: steering.scenario, onStored: (config) => steering.audit.configure(destinationOf(config)) });
  // The mock does not check its own answers against the spec on the way out: that would halve
  // its throughput, and every answer it can give is checked against the spec's schemas in its
  // tests (test/integration/mock-state.test.ts, contract.test.ts, and schemathesis).
  const contract = prismInstance({ mock: cluster?.mock, validateResponse: false });
  const admin = prismInstance({ mock: adminMocker(steering), validateResponse: true });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const time = new Date().toISOString();
    const url = new URL(request.url ?? '/', 'http://mock');
    if (url.pathname === '/docs' || url.pathname === '/docs/') return serveDocs(request, response);
    const isAdmin = url.pathname.startsWith('/__mock/');
    // The log and the faults are of the contract's paths alone.
    const isContract = url.pathname in spec.paths;

    const body = await readBody(request);
    const method = request.method ?? 'GET';
    const operation = operationOf(method, url.pathname);
    const report = (exchange: Pick<Exchange, 'status' | 'violations' | 'fault' | 'example'>) => {
      if (!isContract) return;
      const seen: Exchange = { method, path: url.pathname + url.search, time, ...(operation ? { operation } : {}), ...exchange };
      steering.requests.push(seen);
      options.onExchange?.(seen);
    };

    if (isContract && (await faulted(response, report))) return;
    const { input, notJson } = toInput(request, url, body);
    if (notJson !== undefined) {
      const what = `the body is not valid JSON: ${notJson}`;
      sendJson(response, 400, { error_code: 'invalid_schema', description: what });
      return report({ status: 400, violations: [{ where: 'request.body', what, severity: 'error' }] });
    }
    const { instance, config } = isAdmin ? admin : contract;
    const ops = isAdmin ? adminOps : operations;
    const result = await ask(instance, ops, config, input);
    if (result._tag === 'Left') {
      const problem = result.left;
      const allow: Record<string, string> = problem.status === 405 ? { allow: allowedMethods(ops, url.pathname) } : {};
      sendProblem(response, problem, allow);
      return report({
        status: problem.status ?? 500,
        violations: [{ where: 'request', what: problem.detail || problem.message, severity: 'error' }],
      });
    }
    sendAnswer(response, result.right);
    const { statusCode, body: answered } = result.right.output;
    const example = isAdmin ? undefined : exampleOf(operation, statusCode, answered);
    report({ status: statusCode, violations: violationsOf(result.right), ...(example ? { example } : {}) });
  }

  /** The faults of PUT /__mock/faults, on a request of the contract: true when one answered it. */
  async function faulted(response: ServerResponse, report: (exchange: Pick<Exchange, 'status' | 'violations' | 'fault'>) => void) {
    const { faults } = steering;
    if (faults.latency_ms > 0) await delay(faults.latency_ms);
    if (faults.reset_connection.count > 0) {
      faults.reset_connection.count--;
      report({ status: 0, violations: [], fault: 'reset_connection' });
      response.socket?.resetAndDestroy();
      return true;
    }
    if (faults.fail.count > 0) {
      faults.fail.count--;
      const { status, retry_after } = faults.fail;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (retry_after !== undefined) headers['retry-after'] = String(retry_after);
      sendJson(
        response,
        status,
        { error_code: 'mock_fault', description: `a fault the mock was told to give (PUT /__mock/faults): ${status}` },
        headers,
      );
      report({ status, violations: [], fault: 'fail' });
      return true;
    }
    return false;
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // The caller went away mid-request, or something no answer was made for: never the whole mock.
      if (response.headersSent) return response.destroy();
      sendJson(response, 500, {
        error_code: 'mock_error',
        description: `the mock could not answer: ${error instanceof Error ? error.message : String(error)}`,
      });
    });
  });
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  /** The handle's methods go through the admin API itself: one behaviour, over HTTP or not. */
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await fetch(`${url}/__mock/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!answer.ok) throw new MockAdminError(answer.status, parsed);
    return parsed;
  };
  return {
    url,
    host,
    port,
    stop: async () => {
      steering.audit.close();
      await close(server);
    },
    reset: async () => {
      await call('POST', 'reset');
    },
    scenario: (changes) => call(changes ? 'PUT' : 'GET', 'scenario', changes),
    faults: (changes) => call(changes ? 'PUT' : 'GET', 'faults', changes),
    requests: () => call('GET', 'requests'),
    auditConnections: (request = {}) => call('POST', 'audit/connections', request),
    auditStats: () => call('GET', 'audit/stats'),
  };
}

/** Where a stored configuration says the records go, with its limits; the defaults are the spec's. */
function destinationOf(config: Record<string, unknown> | null): Destination | null {
  if (!config || typeof config.audit_address !== 'string') return null;
  const defaults = (name: string) =>
    (dereferenced.components.schemas?.DbConnsAuditingConfig?.properties?.[name] as { default?: number } | undefined)?.default;
  const number = (name: string) => (typeof config[name] === 'number' ? (config[name] as number) : (defaults(name) ?? 0));
  return {
    protocol: config.audit_protocol === 'local' ? 'local' : 'TCP',
    address: config.audit_address,
    ...(typeof config.audit_port === 'number' ? { port: config.audit_port } : {}),
    reconnectIntervalSeconds: number('audit_reconnect_interval'),
    reconnectMaxAttempts: number('audit_reconnect_max_attempts'),
    queueMaxBytes: number('audit_queue_max_bytes'),
  };
}

async function serveDocs(request: IncomingMessage, response: ServerResponse): Promise<void> {
  request.resume();
  const page = await readFile(DOCS_PAGE).catch(() => undefined);
  if (!page) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('The docs page is not built: npm run build in the mock package writes it.\n');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length });
  response.end(request.method === 'HEAD' ? undefined : page);
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(host, port);
    throw error;
  }
  return (server.address() as { port: number }).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The contract's one path, for banners and examples. */
export const CONTRACT_PATH = Object.keys(spec.paths)[0]!;
