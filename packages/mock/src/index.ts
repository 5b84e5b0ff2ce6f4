/**
 * A local stand-in for a Redis Software cluster's /v1/cluster/auditing/db_conns, in the
 * caller's process: `await startMock()` serves the contract with Prism's own packages, keeps a
 * configuration as a cluster does, and serves the rendered docs at /docs.
 */
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { once } from 'node:events';
import { DEFAULT_USER, createCluster } from './cluster.js';
import { type Exchange, allowedMethods, ask, readBody, sendAnswer, sendJson, sendProblem, toInput, violationsOf } from './exchange.js';
import { contractOperations, prismInstance, spec } from './prism.js';

export type { Exchange, Violation } from './exchange.js';
export { DEFAULT_USER } from './cluster.js';

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
}

export interface RunningMock {
  /** Where it serves, such as `http://127.0.0.1:4010`; the contract's path goes after it. */
  url: string;
  host: string;
  port: number;
  /** Stops serving and closes every connection; resolves once the port is free. */
  stop: () => Promise<void>;
  /** The configuration goes back to the reference page's example. */
  reset: () => void;
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
  const host = options.host ?? '127.0.0.1';
  const user = {
    name: options.user ?? DEFAULT_USER.name,
    password: options.password ?? DEFAULT_USER.password,
    token: options.token ?? DEFAULT_USER.token,
  };
  const operations = await contractOperations();
  const cluster = options.stateless ? undefined : createCluster({ user });
  // Whether the mock checks each of its own answers against the spec on the way out is a
  // matter of speed only: every answer it can give is checked in its tests.
  const { instance, config } = prismInstance({ mock: cluster?.mock, validateResponse: true });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const time = new Date().toISOString();
    const url = new URL(request.url ?? '/', 'http://mock');
    if (url.pathname === '/docs' || url.pathname === '/docs/') return serveDocs(request, response);

    const body = await readBody(request);
    const report = (status: number, violations: Exchange['violations'] = []) =>
      options.onExchange?.({ method: request.method ?? 'GET', path: url.pathname + url.search, status, time, violations });

    const { input, notJson } = toInput(request, url, body);
    if (notJson !== undefined) {
      const what = `the body is not valid JSON: ${notJson}`;
      sendJson(response, 400, { error_code: 'invalid_schema', description: what });
      return report(400, [{ where: 'request.body', what, severity: 'error' }]);
    }
    const result = await ask(instance, operations, config, input);
    if (result._tag === 'Left') {
      const problem = result.left;
      const allow: Record<string, string> = problem.status === 405 ? { allow: allowedMethods(operations, url.pathname) } : {};
      sendProblem(response, problem, allow);
      return report(problem.status ?? 500, [{ where: 'request', what: problem.detail || problem.message, severity: 'error' }]);
    }
    sendAnswer(response, result.right);
    report(result.right.output.statusCode, violationsOf(result.right));
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
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    host,
    port,
    stop: () => close(server),
    reset: () => cluster?.reset(),
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
