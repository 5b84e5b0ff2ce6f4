/**
 * The mock with no transport: `createMock()` answers a web-standard `Request` with a `Response`.
 * This is the request pipeline, in one place: the docs page, the faults, the body that is not
 * JSON, then Prism (routing, request validation, credentials, the answer and its example,
 * `Prefer`) with the cluster's or the admin API's mocker, and the request log. The state it
 * reads and changes is state.ts's; the doors (a server, `mock.fetch`, MSW handlers) are thin
 * adapters around `handle`.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { adminMocker, adminOperations } from './admin.js';
import { clusterMocker } from './cluster.js';
import { DEFAULTS } from './defaults.js';
import { MockAdminError } from './errors.js';
import {
  type Incoming,
  type Outgoing,
  allowedMethods,
  answerOf,
  ask,
  fromRequest,
  jsonOf,
  problemOf,
  toInput,
  toResponse,
  violationsOf,
} from './exchange.js';
import { type Input, contractOperations, prismInstance, spec, toProblemJson } from './prism.js';
import { exampleOf, operationOf } from './report.js';
import { AUTHORIZE_PATH, type Identity, type User, callerOf, issue } from './tokens.js';
import { NEWEST_VERSION, has, pathLifetime, placeVersion } from './versions.js';
import {
  type AuditStats,
  type ConnectionsRequest,
  type Exchange,
  type Faults,
  type FaultsUpdate,
  MockState,
  type Scenario,
  type ScenarioUpdate,
} from './state.js';

export interface MockOptions {
  /** Prism as it is: every answer an example from the spec, nothing kept. */
  stateless?: boolean;
  /** The one user that gets in (HTTP Basic): admin@example.com unless given. */
  user?: string;
  /** That user's password: `secret` unless given. */
  password?: string;
  /**
   * That user's fixed bearer token (`Authorization: Bearer …`), which never expires: `mock-token`
   * unless given. Tokens from `POST /v1/users/authorize` get in too, until they expire.
   */
  token?: string;
  /** Called once per exchange on the contract's paths, as its answer is made. */
  onExchange?: (exchange: Exchange) => void;
  /** Let the audit sender connect to any host a PUT names, not only loopback addresses and Unix sockets. */
  auditAnyHost?: boolean;
  /**
   * The Redis Software version to play, such as `7.4` or `8.0.2`: the newest the contract
   * documents unless given. A version it cannot place throws a VersionError (a MockError)
   * naming the rule and the versions it knows.
   */
  redisVersion?: string;
}

export interface Mock {
  /** Answers one request as the cluster would; never throws (a fault that resets the connection is `Response.error()`). */
  handle: (request: Request) => Promise<Response>;
  /**
   * The global `fetch`'s signature, with the mock behind it and no port: give it to any
   * fetch-based client (`createAuditingClient({ baseUrl, ..., fetch: mock.fetch })`). Whatever
   * the URL's origin, the mock answers; a `reset_connection` fault rejects as a network error does.
   */
  fetch: typeof globalThis.fetch;
  /** `POST /__mock/reset`: the configuration back to the page's example; scenario, faults and log cleared. */
  reset: () => Promise<void>;
  /** `PUT /__mock/scenario` with the fields given (`GET` with none): the whole scenario. */
  scenario: (changes?: ScenarioUpdate) => Promise<Scenario>;
  /** `PUT /__mock/faults` with the fields given (`GET` with none): the whole set of faults. */
  faults: (changes?: FaultsUpdate) => Promise<Faults>;
  /** `GET /__mock/requests`: every exchange on the contract's paths so far. */
  requests: () => Promise<Exchange[]>;
  /**
   * `POST /__mock/audit/connections`: simulated connections to a database, whose records go to the
   * stored listener; `skipped` says why none were made, when the database audits nothing.
   */
  auditConnections: (
    request?: ConnectionsRequest,
  ) => Promise<{ connections: number; records: number; stats: AuditStats; skipped?: string }>;
  /** `GET /__mock/audit/stats`: the audit sink's metrics, by the names the Redis docs give them. */
  auditStats: () => Promise<AuditStats>;
  /** Closes the audit connection, so that nothing of the mock keeps the process alive. */
  close: () => void;
}

/** Where the package keeps its rendered docs page (the build writes it beside the code). */
const DOCS_PAGE = new URL('../dist/docs.html', import.meta.url);

/** A mock with no transport: the doors are adapters on `handle` (web objects) or on `respond`. */
export function createMock(options: MockOptions = {}): Mock {
  return createCore(options).mock;
}

/**
 * The mock and its pipeline's own entry, `respond`, which takes and gives plain values: the
 * server door uses it, so that node:http's requests need not become web objects on the way.
 */
export function createCore(options: MockOptions = {}): { mock: Mock; respond: (request: Incoming) => Promise<Outgoing | null> } {
  const user: User = {
    name: options.user ?? DEFAULTS.user.name,
    password: options.password ?? DEFAULTS.user.password,
    token: options.token ?? DEFAULTS.user.token,
  };
  const redisVersion = options.redisVersion === undefined ? NEWEST_VERSION : placeVersion(options.redisVersion, 'redisVersion');
  const state = new MockState({ auditAnyHost: options.auditAnyHost ?? false, redisVersion });
  // The mock does not check its own answers against the spec on the way out: that would halve
  // its throughput, and every answer it can give is checked against the spec's schemas in its
  // tests (test/integration/mock-state.test.ts, contract.test.ts, and schemathesis).
  const contract = {
    ...prismInstance({ mock: options.stateless ? undefined : clusterMocker(state), validateResponse: false }),
    operations: contractOperations,
  };
  // Each document's operations are read (once per process) when a request first needs them: a
  // mock that is never steered never parses the admin document.
  const admin = { ...prismInstance({ mock: adminMocker(state), validateResponse: true }), operations: adminOperations };

  /** Prism's answer to an input, with the cluster's or the admin API's mocker, told who the caller is. */
  async function answer(side: typeof contract, input: Input, identity: Identity = {}) {
    const operations = await side.operations();
    const config = { ...side.config, mock: { ...side.config.mock, ...identity } };
    return { operations, result: await ask(side.instance, operations, config, input) };
  }

  /**
   * Who the caller of the contract is, and for authorize the token to answer: asynchronous
   * (tokens.ts), so found here, before Prism's mocker, which is not. A token is signed only for
   * the user's own Basic credentials.
   */
  async function identify(request: Incoming, input: Input): Promise<Identity> {
    const caller = await callerOf(input.headers.authorization, user, state.signingKey);
    if (caller !== 'basic' || request.method.toUpperCase() !== 'POST' || request.url.pathname !== AUTHORIZE_PATH) return { caller };
    const ttl = (input.body as { ttl?: unknown } | null)?.ttl;
    return { caller, issued: await issue(state.signingKey, user, ttl) };
  }

  /** The answer to a request; null for a connection to reset. Never throws. */
  async function respond(request: Incoming): Promise<Outgoing | null> {
    try {
      return await pipeline(request);
    } catch (error) {
      // Something no answer was made for: a 500 that says so, never the whole mock.
      const why = error instanceof Error ? error.message : String(error);
      return jsonOf(500, { error_code: 'mock_error', description: `the mock could not answer: ${why}` });
    }
  }

  const handle = async (request: Request): Promise<Response> => toResponse(await respond(await fromRequest(request)));

  async function pipeline(request: Incoming): Promise<Outgoing | null> {
    const time = new Date().toISOString();
    const { url } = request;
    if (url.pathname === '/docs' || url.pathname === '/docs/') return docsPage(request.method);
    // The log and the faults are of the contract's paths alone.
    const isContract = url.pathname in spec.paths;
    const operation = operationOf(request.method, url.pathname);
    const log = (exchange: Pick<Exchange, 'status' | 'violations' | 'fault' | 'example'>) => {
      if (!isContract) return;
      const seen: Exchange = {
        method: request.method,
        path: url.pathname + url.search,
        time,
        ...(operation ? { operation } : {}),
        ...exchange,
      };
      state.requests.push(seen);
      options.onExchange?.(seen);
    };

    if (isContract) {
      const fault = await faulted();
      if (fault) {
        log(fault.exchange);
        return fault.response;
      }
    }
    // A cluster older than the path's x-introduced-in has no such path. Its answer is not
    // documented: this mock's is a 404 in the contract's error shape that says why.
    const version = state.scenario.redis_version;
    const path = pathLifetime(url.pathname);
    if (isContract && !has(path, version)) {
      log({ status: 404, violations: [] });
      const why = `Redis Software ${version} has no ${url.pathname}${path.introducedIn ? `: it appeared in ${path.introducedIn}` : ''}`;
      return jsonOf(404, { error_code: 'not_found', description: why });
    }
    const { input, notJson } = toInput(request);
    if (notJson !== undefined) {
      const what = `the body is not valid JSON: ${notJson}`;
      log({ status: 400, violations: [{ where: 'request.body', what, severity: 'error' }] });
      return jsonOf(400, { error_code: 'invalid_schema', description: what });
    }
    const side = url.pathname.startsWith('/__mock/') ? admin : contract;
    const { operations, result } = await answer(side, input, side === contract ? await identify(request, input) : {});
    if (result._tag === 'Left') {
      const problem = result.left;
      log({
        status: problem.status ?? 500,
        violations: [{ where: 'request', what: problem.detail || problem.message, severity: 'error' }],
      });
      // HTTP asks a 405 for the methods the path has; Prism sends none.
      return problemOf(problem, problem.status === 405 ? { allow: allowedMethods(operations, url.pathname) } : {});
    }
    const { statusCode, body } = result.right.output;
    const example = isContract ? exampleOf(operation, statusCode, body) : undefined;
    log({ status: statusCode, violations: violationsOf(result.right), ...(example ? { example } : {}) });
    return answerOf(result.right);
  }

  /** The faults of PUT /__mock/faults, on a request of the contract: the answer, when one takes it. */
  async function faulted(): Promise<
    { response: Outgoing | null; exchange: Pick<Exchange, 'status' | 'violations' | 'fault'> } | undefined
  > {
    const { faults } = state;
    if (faults.latency_ms > 0) await delay(faults.latency_ms);
    if (faults.reset_connection.count > 0) {
      faults.reset_connection.count--;
      return { response: null, exchange: { status: 0, violations: [], fault: 'reset_connection' } };
    }
    if (faults.fail.count > 0) {
      faults.fail.count--;
      const { status, retry_after } = faults.fail;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (retry_after !== undefined) headers['retry-after'] = String(retry_after);
      const body = { error_code: 'mock_fault', description: `a fault the mock was told to give (PUT /__mock/faults): ${status}` };
      return { response: jsonOf(status, body, headers), exchange: { status, violations: [], fault: 'fail' } };
    }
    return undefined;
  }

  /**
   * The handle's methods: the admin API's own operations, asked of its Prism instance in this
   * process, so that they check what they are given as the admin API does and refuse it in the
   * same words (MockAdminError), with no port and no HTTP.
   */
  async function steer(method: string, path: string, body?: unknown): Promise<any> {
    const headers: Input['headers'] = body === undefined ? {} : { 'content-type': 'application/json' };
    const { result } = await answer(admin, { method, url: { path: `/__mock/${path}`, query: {} }, headers, body: body ?? null });
    if (result._tag === 'Left') throw new MockAdminError(result.left.status ?? 500, toProblemJson(result.left));
    const { statusCode, body: answered } = result.right.output;
    if (statusCode >= 400) throw new MockAdminError(statusCode, answered);
    // A copy, as over HTTP: what the caller does with it does not change the mock.
    return structuredClone(answered);
  }

  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    // As fetch does: an aborted signal (a timeout, a caller that gave up) rejects with its reason.
    request.signal.throwIfAborted();
    let stopWaiting = () => {};
    const aborted = new Promise<never>((_, reject) => {
      const onAbort = () => reject(request.signal.reason);
      request.signal.addEventListener('abort', onAbort, { once: true });
      stopWaiting = () => request.signal.removeEventListener('abort', onAbort);
    });
    const response = await Promise.race([handle(request), aborted]).finally(stopWaiting);
    // What fetch does with a connection reset: a TypeError, as undici and browsers give it.
    if (response.type === 'error')
      throw new TypeError('fetch failed', { cause: new Error('the mock reset the connection (reset_connection fault)') });
    return response;
  };

  const mock: Mock = {
    handle,
    fetch,
    reset: async () => {
      await steer('post', 'reset');
    },
    scenario: (changes) => steer(changes ? 'put' : 'get', 'scenario', changes),
    faults: (changes) => steer(changes ? 'put' : 'get', 'faults', changes),
    requests: () => steer('get', 'requests'),
    auditConnections: (request = {}) => steer('post', 'audit/connections', request),
    auditStats: () => steer('get', 'audit/stats'),
    close: () => state.close(),
  };
  return { mock, respond };
}

async function docsPage(method: string): Promise<Outgoing> {
  const page = await readFile(DOCS_PAGE, 'utf8').catch(() => undefined);
  if (!page)
    return {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: 'The docs page is not built: npm run build in the mock package writes it.\n',
    };
  const headers = { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(page)) };
  return { status: 200, headers, body: method === 'HEAD' ? null : page };
}
