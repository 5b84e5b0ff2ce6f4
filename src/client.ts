/**
 * A thin client for /v1/cluster/auditing/db_conns on openapi-fetch: three calls, each typed
 * from the spec, each failing with one of three error classes (all AuditingError). Standard
 * `fetch` and AbortSignal only, so it runs in Node 20.19+, browsers, Deno and Bun.
 */
import createClient, { type Client } from 'openapi-fetch';
import { basicAuth } from './auth.js';
import { operations } from '../generated/operations.js';
import { AuditingApiError, AuditingNetworkError, AuditingValidationError, type ValidationProblem } from './errors.js';
import type { DbConnsAuditingConfig, DbConnsAuditingConfigUpdate, OperationId, paths } from './types.js';
import { updateProblems } from './validation.js';

/**
 * How the client authenticates, one way only: HTTP Basic with `username` and `password`, a bearer
 * token (`token`), or a client certificate (`mutualTLS: true`, the certificate in `fetch`).
 */
export type AuditingClientOptions = AuditingClientCommonOptions & (BasicCredentials | TokenCredentials | CertificateCredentials);

export interface BasicCredentials {
  /** A cluster user's email or name (HTTP Basic). */
  username: string;
  password: string;
  token?: never;
  mutualTLS?: never;
}

export interface TokenCredentials {
  /**
   * A bearer token (a JWT from `POST /v1/users/authorize`), or a function that returns one or a
   * promise of one: called before every request, outside its timeout, so it can renew a token
   * before it expires.
   */
  token: string | (() => string | PromiseLike<string>);
  username?: never;
  password?: never;
  mutualTLS?: never;
}

export interface CertificateCredentials {
  /**
   * The client certificate authenticates (mutual TLS), and no Authorization header is sent. The
   * certificate is the `fetch`'s to present: in Node.js, a dispatcher with `connect: { cert, key }`.
   */
  mutualTLS: true;
  username?: never;
  password?: never;
  token?: never;
}

export interface AuditingClientCommonOptions {
  /** The cluster's REST API, such as `https://cluster.example.com:9443`. */
  baseUrl: string;
  /**
   * The `fetch` to use: a proxy, a test double, or one whose dispatcher trusts the cluster's CA or presents a client certificate.
   * Defaults to the global `fetch` as it is when the client is created.
   */
  fetch?: (request: Request) => Promise<Response>;
  /** Per request, from sending to the end of the body: up to 2^31 - 1 ms. Default 10 000 ms. */
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
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export function createAuditingClient(options: AuditingClientOptions): AuditingClient {
  const { baseUrl, timeoutMs } = checkOptions(options);
  const { token } = options;
  // A token function gives the Authorization header of each request; otherwise it is fixed ('' for none).
  const fixed =
    typeof token === 'function'
      ? undefined
      : token !== undefined
        ? `Bearer ${token}`
        : options.mutualTLS
          ? ''
          : basicAuth(options.username, options.password);
  const raw = createClient<paths>({
    baseUrl,
    fetch: options.fetch,
    headers: { ...options.headers, Accept: 'application/json', Authorization: fixed || undefined },
  });
  // The raw client's own calls get a token from the function too; call() sends the one it got.
  if (typeof token === 'function')
    raw.use({
      onRequest: async ({ request }) => {
        if (!request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${await tokenFrom(token)}`);
      },
    });

  /**
   * The Authorization header of one call, and what a server might echo back of it into an error
   * (a proxy's error page that shows the request): never let that reach the error the user sees.
   */
  async function credentials(): Promise<{ headers: Record<string, string>; redact: Redact }> {
    const authorization = fixed ?? `Bearer ${await tokenFrom(token as TokenFunction)}`;
    const secret = authorization.split(' ')[1]; // the Basic credentials (base64) or the token
    return { headers: authorization ? { Authorization: authorization } : {}, redact: redactor([options.password, secret]) };
  }

  /**
   * Runs one exchange under the timeout and turns every outcome into a value or one of the
   * three error classes. Success bodies are read as text and parsed here, so that a body that
   * is not JSON still leaves the status in hand.
   */
  async function call(operation: OperationId, caller: AbortSignal | undefined, send: Send): Promise<unknown> {
    const { method, path, successBody } = operations[operation];
    const where = `${method} ${path}`;
    const { headers, redact } = await credentials();
    // The platform's own timeout signal: its timer is not a handle that keeps Node running, and
    // no listener is left on the caller's signal once the call is over.
    const timeout = AbortSignal.timeout(Math.ceil(timeoutMs)); // it takes whole milliseconds only
    let result: Awaited<ReturnType<Send>>;
    try {
      const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
      result = await send({ parseAs: 'text', signal, headers });
    } catch (cause) {
      const [code, what] = timeout.aborted
        ? ['timeout', `timed out after ${timeoutMs} ms`]
        : caller?.aborted
          ? ['aborted', 'was aborted']
          : systemFailure(cause, options.mutualTLS);
      throw new AuditingNetworkError(operation, code, `${where} ${what}`, { cause });
    }
    const { response } = result;
    // openapi-fetch parses an error body as JSON when it can, keeps its text when it cannot,
    // and leaves `error` undefined when there is no body: the status decides, not `error`.
    if (!response.ok) throw apiError(operation, where, response, redact, result.error === '' ? undefined : result.error);
    // A success the spec gives no body (DELETE's 200): whatever a server sends with it is not read.
    if (!successBody) return undefined;
    const body = parseBody(result.data as string | undefined);
    // A success without the configuration must not pass for one.
    if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof NotJson) {
      const what =
        body === undefined ? 'no body' : body instanceof NotJson ? 'a body that is not JSON' : 'a body that is not a JSON object';
      throw apiError(operation, where, response, redact, body instanceof NotJson ? body.text : body, what);
    }
    return body;
  }

  return {
    raw,
    get: async ({ signal } = {}) =>
      call('getDbConnsAuditingConfig', signal, (init) =>
        raw.GET(operations.getDbConnsAuditingConfig.path, init),
      ) as Promise<DbConnsAuditingConfig>,
    update: async (changes, { signal } = {}) => {
      // What is checked is what will be sent: the JSON of the value, not the value itself
      // (inherited fields, toJSON and undefined fields all change on the way).
      const { value, text } = asSent(changes);
      const problems = updateProblems(value);
      if (problems.length) throw new AuditingValidationError(problems, 'invalid auditing configuration update');
      const body = value as DbConnsAuditingConfigUpdate;
      return call('updateDbConnsAuditingConfig', signal, (init) =>
        raw.PUT(operations.updateDbConnsAuditingConfig.path, { ...init, body, bodySerializer: () => text }),
      ) as Promise<DbConnsAuditingConfig>;
    },
    // DELETE's success has no body: call() resolves with nothing.
    reset: async ({ signal } = {}) =>
      call('deleteDbConnsAuditingConfig', signal, (init) => raw.DELETE(operations.deleteDbConnsAuditingConfig.path, init)) as Promise<void>,
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
  if (text === undefined)
    throw new AuditingValidationError(
      [{ field: '', rule: 'json', message: 'must be a value JSON can carry' }],
      'invalid auditing configuration update',
    );
  return { value: JSON.parse(text), text };
}

type Send = (init: {
  parseAs: 'text';
  signal: AbortSignal;
  headers: Record<string, string>;
}) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

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

type Redact = <T>(value: T) => T;

/** Replaces every secret in every string of a value (deeply) with `[redacted]`. */
function redactor(secrets: (string | undefined)[]): Redact {
  // Lowercased too: that is how a header name that echoes one reaches us.
  const present = secrets.filter((secret) => secret).flatMap((secret) => [secret!, secret!.toLowerCase()]);
  const redact = (value: unknown): unknown => {
    if (typeof value === 'string') return present.reduce((text, secret) => text.replaceAll(secret, '[redacted]'), value);
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redact(item)]));
    return value;
  };
  return redact as Redact;
}

/**
 * The error for a response that is not the configuration: an error status (`what` unset), or a
 * success with `what` in place of the body. The reason phrase and the headers go with it,
 * redacted as the body is: a proxy may echo the request into any of them.
 */
function apiError(operation: OperationId, where: string, response: Response, redact: Redact, rawBody: unknown, what?: string) {
  const body = redact(rawBody);
  const statusText = redact(response.statusText);
  const headers = new Headers();
  // A header name cannot carry `[redacted]`: a header named after a secret is left out.
  response.headers.forEach((value, name) => {
    if (redact(name) === name) headers.append(name, redact(value));
  });
  // Object() makes any body, text or nothing included, something to read fields from.
  const fields = Object(body) as { message?: unknown; description?: unknown; error_code?: unknown };
  // Servers name the human-readable text `message` or `description`; users get one of them.
  const explanation = [fields.message, fields.description].find((value) => typeof value === 'string' && value);
  const code = typeof fields.error_code === 'string' ? ` [${fields.error_code}]` : '';
  const message = what
    ? `${where} answered ${response.status} with ${what}`
    : `${where} failed with ${response.status}${statusText ? ` ${statusText}` : ''}${explanation ? `: ${explanation}` : ''}${code}`;
  return new AuditingApiError(operation, response.status, body, message, statusText, headers);
}

/** What failed under fetch, as the code and the words of an AuditingNetworkError. */
function systemFailure(cause: unknown, mutualTLS?: boolean): [code: string, what: string] {
  // fetch rejects with a TypeError whose cause carries the system's code (ECONNREFUSED, a TLS code...).
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const detail = typeof inner?.message === 'string' ? inner.message : cause instanceof Error ? cause.message : String(cause);
  const code = typeof inner?.code === 'string' ? inner.code : 'network';
  // A server that refuses a client certificate closes the connection in the handshake (TLS 1.2)
  // or right after it (TLS 1.3, where the client has already sent its request and reads only
  // "other side closed"): with a certificate in play, say what that most likely means.
  const refused = mutualTLS && /^(UND_ERR_SOCKET|ECONNRESET|ERR_SSL_.*ALERT)/.test(code);
  return [code, `failed: ${detail}${refused ? ' (did the cluster refuse the client certificate, or get none?)' : ''}`];
}

type TokenFunction = Exclude<TokenCredentials['token'], string>;

// RFC 6750's b64token: a JWT fits it; "Bearer " in front of the token, or a line break, does not.
const B64TOKEN = /^[\w.~+/-]+=*$/;

/** What is wrong with a token (the option, or what its function returned), in words that never show it. */
function tokenProblem(token: unknown, verb: 'be' | 'return'): ValidationProblem | undefined {
  if (typeof token === 'string' && B64TOKEN.test(token)) return;
  // What it must be, never what it is.
  const [rule, what] =
    typeof token !== 'string'
      ? ['type', verb === 'be' ? 'a string or a function' : 'a string']
      : token
        ? ['pattern', 'the token alone, without "Bearer " (an RFC 6750 b64token)']
        : ['required', 'a non-empty string'];
  return { field: 'token', rule, message: `must ${verb} ${what}` };
}

/** The token of one request, from the token function: checked as the option is, never shown. */
async function tokenFrom(token: TokenFunction): Promise<string> {
  const what = 'no bearer token for the request';
  let value: unknown;
  try {
    value = await token();
  } catch (cause) {
    throw new AuditingValidationError([{ field: 'token', rule: 'call', message: 'threw (the cause)' }], what, { cause });
  }
  const problem = tokenProblem(value, 'return');
  if (problem) throw new AuditingValidationError([problem], what);
  return value as string;
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
  const { username, password, token, mutualTLS } = options;
  const basic = username !== undefined || password !== undefined;
  const ways = [basic, token !== undefined, mutualTLS !== undefined].filter((given) => given).length;
  if (ways !== 1) {
    problem('', 'oneOf', `must have one way in: username and password, token, or mutualTLS${ways ? '; not more' : ''}`);
  } else if (mutualTLS !== undefined) {
    if (mutualTLS !== true) problem('mutualTLS', 'const', 'must be true');
  } else if (!basic) {
    const wrong = typeof token === 'function' ? undefined : tokenProblem(token, 'be');
    if (wrong) problems.push(wrong);
  } else {
    if (typeof username !== 'string' || !username) problem('username', 'required', 'must be a non-empty string');
    else if (username.includes(':')) problem('username', 'pattern', 'must not contain ":" (HTTP Basic cannot carry it)');
    if (typeof password !== 'string') problem('password', 'type', 'must be a string');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // No longer than a timer can hold: a longer one would fire at once.
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0))
    problem('timeoutMs', 'exclusiveMinimum', 'must be a number of milliseconds above 0');
  else if (!(timeoutMs <= MAX_TIMEOUT_MS)) problem('timeoutMs', 'maximum', `must be at most ${MAX_TIMEOUT_MS}`);
  if (options.fetch !== undefined && typeof options.fetch !== 'function') problem('fetch', 'type', 'must be a function');
  if (problems.length) throw new AuditingValidationError(problems, 'invalid client options');
  return { baseUrl: options.baseUrl.replace(/\/+$/, ''), timeoutMs };
}
