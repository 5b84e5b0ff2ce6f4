/**
 * A thin client for /v1/cluster/auditing/db_conns on openapi-fetch: three calls, each typed
 * from the spec, each failing with one of three error classes. Standard `fetch` only, so it
 * runs in Node 20+, browsers, Deno and Bun.
 */
import createClient, { type Client } from 'openapi-fetch';
import { basicAuth } from './auth.js';
import { operations } from '../generated/operations.js';
import { AuditingApiError, AuditingNetworkError, AuditingValidationError, type ValidationProblem } from './errors.js';
import type { DbConnsAuditingConfig, DbConnsAuditingConfigUpdate, OperationId, paths } from './types.js';
import { updateProblems } from './validation.js';

export interface AuditingClientOptions {
  /** The cluster's REST API, such as `https://cluster.example.com:9443`. */
  baseUrl: string;
  /** A cluster user's email or name (HTTP Basic). */
  username: string;
  password: string;
  /**
   * The `fetch` to use: a proxy, a test double, or one whose dispatcher trusts the cluster's CA.
   * Defaults to the global `fetch` as it is when the client is created.
   */
  fetch?: (request: Request) => Promise<Response>;
  /** Per request, from sending to the end of the body. Default 10 000 ms. */
  timeoutMs?: number;
  /** Sent with every request (the Authorization header is the client's own). */
  headers?: Record<string, string>;
}

export interface CallOptions {
  /** Aborts the call; the client's timeout still applies. */
  signal?: AbortSignal;
}

export interface AuditingClient {
  /** The configuration (GET; permission `view_cluster_info`). */
  get(options?: CallOptions): Promise<DbConnsAuditingConfig>;
  /** Changes the fields given and returns the whole configuration (PUT; permission `update_cluster`). Validated before anything is sent. */
  update(changes: DbConnsAuditingConfigUpdate, options?: CallOptions): Promise<DbConnsAuditingConfig>;
  /** Resets the configuration (DELETE; permission `update_cluster`). */
  reset(options?: CallOptions): Promise<void>;
  /** The underlying openapi-fetch client, typed with the spec's `paths`, for middleware and result-style calls. */
  readonly raw: Client<paths>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export function createAuditingClient(options: AuditingClientOptions): AuditingClient {
  const { baseUrl, timeoutMs } = checkOptions(options);
  const authorization = basicAuth(options.username, options.password);
  // What a server might echo back into an error (a proxy's error page that shows the request):
  // never let it reach the error the user sees.
  const redact = redactor([options.password, authorization.slice('Basic '.length)]);
  const raw = createClient<paths>({
    baseUrl,
    fetch: options.fetch,
    headers: { ...options.headers, Accept: 'application/json', Authorization: authorization },
  });

  /**
   * Runs one exchange under the timeout and turns every outcome into a value or one of the
   * three error classes. Success bodies are read as text and parsed here, so that a body that
   * is not JSON still leaves the status in hand.
   */
  async function call(operation: OperationId, caller: AbortSignal | undefined, send: Send): Promise<unknown> {
    const { method, path, successBody } = operations[operation];
    // One controller per call: the timer is cleared as soon as the exchange ends.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const abortWithCaller = () => controller.abort();
    if (caller?.aborted) controller.abort();
    caller?.addEventListener('abort', abortWithCaller);
    let result: Awaited<ReturnType<Send>>;
    try {
      result = await send({ parseAs: 'text', signal: controller.signal });
    } catch (cause) {
      throw networkError(operation, `${method} ${path}`, cause, timedOut ? 'timeout' : caller?.aborted ? 'aborted' : undefined, timeoutMs);
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', abortWithCaller);
    }
    const { response } = result;
    // openapi-fetch parses an error body as JSON when it can, keeps its text when it cannot,
    // and leaves `error` undefined when there is no body: the status decides, not `error`.
    if (!response.ok) throw apiError(operation, `${method} ${path}`, response, redact(result.error === '' ? undefined : result.error));
    // A success the spec gives no body (DELETE's 200): whatever a server sends with it is not read.
    if (!successBody) return undefined;
    const body = parseBody(result.data as string | undefined);
    // A success without the configuration must not pass for one.
    if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof NotJson) {
      const what = body === undefined ? 'no body' : body instanceof NotJson ? 'a body that is not JSON' : 'a body that is not a JSON object';
      throw new AuditingApiError(operation, response.status, redact(body instanceof NotJson ? body.text : body), `${method} ${path} answered ${response.status} with ${what}`);
    }
    return body;
  }

  return {
    raw,
    get: async ({ signal } = {}) =>
      (await call('getDbConnsAuditingConfig', signal, (init) => raw.GET(operations.getDbConnsAuditingConfig.path, init))) as DbConnsAuditingConfig,
    update: async (changes, { signal } = {}) => {
      // What is checked is what will be sent: the JSON of the value, not the value itself
      // (inherited fields, toJSON and undefined fields all change on the way).
      const { value, text } = asSent(changes);
      const problems = updateProblems(value);
      if (problems.length) throw new AuditingValidationError(problems, 'invalid auditing configuration update');
      const body = value as DbConnsAuditingConfigUpdate;
      return (await call('updateDbConnsAuditingConfig', signal, (init) =>
        raw.PUT(operations.updateDbConnsAuditingConfig.path, { ...init, body, bodySerializer: () => text }),
      )) as DbConnsAuditingConfig;
    },
    reset: async ({ signal } = {}) => {
      await call('deleteDbConnsAuditingConfig', signal, (init) => raw.DELETE(operations.deleteDbConnsAuditingConfig.path, init));
    },
  };
}

/** The value as JSON carries it, and that JSON; a value JSON cannot carry at all is a validation problem. */
function asSent(value: unknown): { value: unknown; text: string } {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined; // a cycle or a BigInt
  }
  if (text === undefined) throw new AuditingValidationError([{ field: '', rule: 'json', message: 'must be a value JSON can carry' }], 'invalid auditing configuration update');
  return { value: JSON.parse(text), text };
}

type Send = (init: { parseAs: 'text'; signal: AbortSignal }) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** A body that did not parse as JSON, kept as text. */
class NotJson {
  constructor(readonly text: string) {}
}

function parseBody(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return new NotJson(text);
  }
}

/** Replaces every secret in every string of a value (deeply) with `[redacted]`. */
function redactor(secrets: string[]): <T>(value: T) => T {
  const present = secrets.filter(Boolean);
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return present.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), value);
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redact(item)]));
    return value;
  };
  return redact as <T>(value: T) => T;
}

function apiError(operation: OperationId, where: string, response: Response, body: unknown): AuditingApiError {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as { message?: unknown; description?: unknown; error_code?: unknown };
  // Servers name the human-readable text `message` or `description`; users get one of them.
  const explanation = [fields.message, fields.description].find((value) => typeof value === 'string' && value);
  const code = typeof fields.error_code === 'string' ? ` [${fields.error_code}]` : '';
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new AuditingApiError(operation, response.status, body, `${where} failed with ${status}${explanation ? `: ${explanation}` : ''}${code}`);
}

function networkError(operation: OperationId, where: string, cause: unknown, reason: 'timeout' | 'aborted' | undefined, timeoutMs: number) {
  if (reason === 'timeout') return new AuditingNetworkError(operation, 'timeout', `${where} timed out after ${timeoutMs} ms`, { cause });
  if (reason === 'aborted') return new AuditingNetworkError(operation, 'aborted', `${where} was aborted`, { cause });
  // fetch rejects with a TypeError whose cause carries the system's code (ECONNREFUSED, a TLS code...).
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof inner?.code === 'string' ? inner.code : 'network';
  const detail = typeof inner?.message === 'string' ? inner.message : cause instanceof Error ? cause.message : String(cause);
  return new AuditingNetworkError(operation, code, `${where} failed: ${detail}`, { cause });
}

/** Checks the options before anything is built; the problems name the option, never its value. */
function checkOptions(options: AuditingClientOptions): { baseUrl: string; timeoutMs: number } {
  const problems: ValidationProblem[] = [];
  const problem = (field: string, rule: string, message: string) => problems.push({ field, rule, message });
  if (typeof options !== 'object' || options === null) {
    throw new AuditingValidationError([{ field: '', rule: 'type', message: 'must be an object' }], 'invalid client options');
  }
  let url: URL | undefined;
  try {
    url = new URL(options.baseUrl);
  } catch {
    problem('baseUrl', 'format', 'must be an absolute URL such as https://cluster.example.com:9443');
  }
  if (url && !['https:', 'http:'].includes(url.protocol)) problem('baseUrl', 'format', 'must start with https:// (or http://)');
  if (url && (url.username || url.password)) problem('baseUrl', 'format', 'must not hold credentials: pass username and password instead');
  if (typeof options.username !== 'string' || !options.username) problem('username', 'required', 'must be a non-empty string');
  else if (options.username.includes(':')) problem('username', 'pattern', 'must not contain ":" (HTTP Basic cannot carry it)');
  if (typeof options.password !== 'string') problem('password', 'type', 'must be a string');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) problem('timeoutMs', 'exclusiveMinimum', 'must be a number of milliseconds above 0');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') problem('fetch', 'type', 'must be a function');
  if (problems.length) throw new AuditingValidationError(problems, 'invalid client options');
  return { baseUrl: options.baseUrl.replace(/\/+$/, ''), timeoutMs };
}
