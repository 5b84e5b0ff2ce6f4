// The mock as a cluster: one stored configuration, and answers that read as real ones.
//
// Loaded into Prism's own process by prism-preload.cjs (MOCK_STATE=1, the default of
// `npm run mock`). Prism stays the engine: it routes, checks credentials, validates each
// request against the spec and picks the response and example, honouring `Prefer`. This module
// steps in after Prism's mocker has chosen an answer and before Prism checks that answer
// against the spec (so every answer given here is checked like Prism's own):
//
// - GET answers what is stored; PUT merges the fields it is given into it and answers the
//   whole configuration; DELETE resets it, and answers 404 when nothing is stored.
// - A 400 says which field broke which rule, with the error code the contract gives for it.
// - A request that forces its answer (`Prefer: code=`, `example=`, `dynamic=`) gets Prism's
//   answer and leaves the state alone.
// - Only the mock's one user gets in (admin@example.com, password secret, unless MOCK_USER
//   and MOCK_PASSWORD say otherwise), or its one bearer token (DEFAULT_MOCK_TOKEN below, unless
//   MOCK_TOKEN says otherwise); anyone else gets the spec's 401.
//
// Node runs one request handler at a time and every change here is synchronous, so no two
// requests ever see a half-made configuration. CommonJS without TypeScript, like the preload,
// because it runs inside Prism's process, which runs plain Node.
'use strict';

const http = require('node:http');

// Prism's own copies of its modules, the ones its server uses: resolved from Prism's entry
// point, which Node is about to run (process.argv[1]). Loaded by install() only, so that the
// tests can read DEFAULT_MOCK_TOKEN from this module without loading Prism.
const fromPrism = (id) => require(require.resolve(id, { paths: [process.argv[1]] }));

/** The stored configuration: the page's example until a request first reads it, then what PUT and DELETE made of it; null after a reset. */
let stored = 'page example';
/** Every operation Prism serves, for the Allow header of a 405. */
let operations = [];

function install() {
  const prismHttp = fromPrism('@stoplight/prism-http');
  const prismMocker = fromPrism('@stoplight/prism-http/dist/mocker').default;
  const createInstance = prismHttp.createInstance;
  prismHttp.createInstance = (config, components = {}) => {
    const instance = createInstance(config, { ...components, mock: withState(components.mock ?? prismMocker) });
    const request = instance.request;
    instance.request = (input, resources, requestConfig) => {
      operations = resources;
      return request(input, resources, requestConfig);
    };
    return instance;
  };
  patchAnswersBeforePrism();
}

/**
 * Prism's mocker, then the user check and the state. Both return fp-ts Eithers, read here by
 * their `_tag`; a 401 for credentials Prism let through is Prism's own 401, asked for by code.
 */
const withState = (mock) => (options) => (logger) => {
  const result = mock(options)(logger);
  if (result._tag !== 'Right') return result;
  if (result.right.statusCode !== 401 && !knownUser(options.input.data.headers))
    return mock({ ...options, config: { ...options.config, code: 401 } })(logger);
  if (forced(options.config)) return result;
  return { _tag: 'Right', right: answer(options.resource, options.input, result.right) };
};

/**
 * The mock's one user, as a cluster has users: Prism checks only that Basic credentials are
 * there, and a mock that took any password would teach a client nothing about a wrong one.
 */
const USER = { name: process.env.MOCK_USER || 'admin@example.com', password: process.env.MOCK_PASSWORD || 'secret' };
/** Its Basic token: base64 has one spelling for each text, so comparing tokens compares credentials. */
const USER_TOKEN = Buffer.from(`${USER.name}:${USER.password}`).toString('base64');

/**
 * The mock's one bearer token, as `POST /v1/users/authorize` hands one out on a cluster (the
 * mock does not serve that path): the one place its default is written. It never expires.
 */
const DEFAULT_MOCK_TOKEN = 'mock-token';
const BEARER_TOKEN = process.env.MOCK_TOKEN || DEFAULT_MOCK_TOKEN;

function knownUser(headers) {
  const authorization = headers?.authorization;
  if (typeof authorization !== 'string') return false;
  const scheme = authorization.slice(0, 7).toLowerCase();
  if (scheme.startsWith('basic ')) return authorization.slice(6).trim() === USER_TOKEN;
  return scheme === 'bearer ' && authorization.slice(7).trim() === BEARER_TOKEN;
}

/** `Prefer: code=N`, `example=NAME` or `dynamic=true` (or their `__code`-style query forms) pick the answer. */
const forced = (config) => config.code !== undefined || config.exampleKey !== undefined || config.dynamic === true;

function answer(operation, input, response) {
  const status = response.statusCode;
  if (operation.method === 'get' && status === 200) return json(200, current(operation) ?? {});
  if (operation.method === 'put' && status === 400) return json(400, invalidRequest(input.validations, input.data));
  if (operation.method === 'put' && status === 200) {
    const result = update(current(operation), input.data.body);
    if (result.error) return json(400, result.error);
    stored = result.config;
    return json(200, stored);
  }
  if (operation.method === 'delete' && status === 200) {
    if (current(operation) === null) return json(404, exampleOf(operation, '404'));
    stored = null;
  }
  return response;
}

/** What is stored; on the first read, the first example of the operation's 200 answer (the reference page's). */
function current(operation) {
  if (stored === 'page example') stored = structuredClone(exampleOf(operation, '200') ?? {});
  return stored;
}

function exampleOf(operation, code) {
  const response = operation.responses.find((candidate) => candidate.code === code);
  return response?.contents?.find((content) => content.mediaType === 'application/json')?.examples?.[0]?.value;
}

const json = (statusCode, body) => ({ statusCode, headers: { 'content-type': 'application/json' }, body });

// ---- PUT: merging, and the rules a configuration must keep -------------------------------------
//
// This mock's decisions, where Redis documents no behaviour (the README lists them): the
// fields sent are merged into what is stored, and the result must still name a listener.
// - A configuration names a protocol and an address, and a port with TCP; a PUT that would
//   leave one of them out is refused with db_conns_auditing_missing_config. So after a reset
//   the first PUT gives the whole listener, and a change from `local` to TCP gives a port.
// - Changing to `local` drops the stored port (a Unix socket has none). A port sent while
//   `local` is stored is refused with db_conns_auditing_bad_config, as it is with `local`
//   in the same body.

function update(before, body) {
  const config = { ...(before ?? {}), ...body };
  if (config.audit_protocol === 'local' && body.audit_port !== undefined) return refuse('db_conns_auditing_bad_config', notRule());
  if (config.audit_protocol === 'local') delete config.audit_port;

  const missing = [];
  if (config.audit_protocol === undefined) missing.push('audit_protocol is required: no configuration is stored since the last DELETE');
  if (config.audit_address === undefined)
    missing.push(`audit_address is required${config.audit_protocol ? ` when audit_protocol is ${config.audit_protocol}` : ''}`);
  if (config.audit_protocol === 'TCP' && config.audit_port === undefined) missing.push('audit_port is required when audit_protocol is TCP');
  if (missing.length > 0) return refuse('db_conns_auditing_missing_config', missing.join('; '));
  return { config };
}

const refuse = (error_code, description) => ({ error: { error_code, description } });

// ---- 400: which field broke which rule --------------------------------------------------------

/**
 * The body of a 400 for a request Prism found invalid: db_conns_auditing_bad_config when the
 * only rule broken is the spec's `not` (fields that do not go together), invalid_schema for
 * anything else (types, ranges, enums, unknown fields, a missing body, a wrong Content-Type).
 */
function invalidRequest(validations, request) {
  const problems = validations.filter((validation) => validation.severity === 0 /* DiagnosticSeverity.Error */);
  const onlyNot = problems.length > 0 && problems.every((problem) => problem.code === 'not');
  const description = problems.map((problem) => describe(problem, request)).join('; ') || 'the request is invalid';
  return { error_code: onlyNot ? 'db_conns_auditing_bad_config' : 'invalid_schema', description };
}

// What the request body's `not` rule forbids, as the build read it from the spec for the client's
// validator (the field, and when): one reading of the rule for the client and the mock.
const { forbiddenWhen } = require('../../generated/validate-config-update.js');

/** The `not` rule of the request body, in words. */
function notRule() {
  const rules = Object.values(forbiddenWhen).map(({ field, when }) => {
    const condition = Object.entries(when).map(([name, value]) => `${name} is ${value}`);
    return `${field} must not be specified when ${condition.join(' and ')}`;
  });
  return rules.join('; ') || 'these fields do not go together';
}

/** One of Prism's findings, in words that name the field and the rule. */
function describe(problem, request) {
  const message = String(problem.message ?? '');
  if (problem.code === 'not') return notRule();
  if (problem.code === 'additionalProperties') {
    const field = message.match(/found '(.*)'$/)?.[1];
    return field ? `${field} is not a field of the configuration (additional properties are not allowed)` : message;
  }
  if (problem.code === 415 || problem.code === '415') {
    const sent = request.headers?.['content-type'];
    return `Content-Type ${sent ? `"${sent}"` : '(none)'} is not accepted: ${message}`;
  }
  if (problem.code === 'required' && !problem.path?.length) return 'the body is required: a JSON object with the fields to change';
  // Prism's words, without the "Request body property" in front: "audit_port must be integer".
  return message.replace(/^Request body property /, '').replace(/^Request body /, 'the body ');
}

// ---- Answers Prism gives before any of the above ----------------------------------------------

/**
 * Two answers never reach the mocker: a body that is not JSON, which Prism's HTTP framework
 * (micri) answers itself with `{"error": {"code": "invalid_json"}}`, and a method the path does
 * not have (405), which Prism answers without the Allow header HTTP requires. Both are put
 * right as they are sent.
 */
function patchAnswersBeforePrism() {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, ...args) {
    if (event === 'request') watchAnswer(args[0], args[1]);
    return emit.call(this, event, ...args);
  };
}

function watchAnswer(request, response) {
  const hasBody = request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
  // The body as it came, for the reason a JSON parser gives: kept without reading the stream,
  // which is micri's to read. Each chunk is a buffer of its own, so keeping it is safe.
  const chunks = [];
  if (hasBody) {
    const push = request.push;
    request.push = function (chunk, ...rest) {
      if (chunk) chunks.push(chunk);
      return push.call(this, chunk, ...rest);
    };
  }
  const end = response.end;
  response.end = function (body, ...rest) {
    if (!this.headersSent && this.statusCode === 405) this.setHeader('allow', allowedMethods(request.url));
    if (!this.headersSent && this.statusCode === 400 && hasBody && isMicriInvalidJson(body)) {
      const reason = jsonError(Buffer.concat(chunks).toString('utf8'));
      const replaced = JSON.stringify({ error_code: 'invalid_schema', description: `the body is not valid JSON: ${reason}` });
      this.setHeader('content-type', 'application/json');
      this.setHeader('content-length', Buffer.byteLength(replaced));
      return end.call(this, replaced);
    }
    return end.call(this, body, ...rest);
  };
}

function isMicriInvalidJson(body) {
  if (body === undefined || body === null) return false;
  try {
    return JSON.parse(String(body))?.error?.code === 'invalid_json';
  } catch {
    return false;
  }
}

function jsonError(text) {
  try {
    JSON.parse(text);
    return 'it could not be read';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function allowedMethods(url) {
  const path = new URL(url ?? '/', 'http://mock').pathname;
  return operations
    .filter((operation) => operation.path === path)
    .map((operation) => operation.method.toUpperCase())
    .join(', ');
}

module.exports = { install, DEFAULT_MOCK_TOKEN };
