/**
 * The mock as a cluster: one stored configuration, and answers that read as real ones. It is
 * Prism's `mock` component, wrapped: Prism stays the engine (it routes, checks credentials,
 * validates each request against the spec and picks the response and example, honouring
 * `Prefer`), and this steps in once Prism's mocker has chosen an answer, before Prism checks
 * that answer against the spec.
 *
 * - GET answers what is stored; PUT merges the fields it is given into it and answers the
 *   whole configuration; DELETE resets it, and answers 404 when nothing is stored.
 * - A 400 says which field broke which rule, with the error code the contract gives for it.
 * - A request that forces its answer (`Prefer: code=`, `example=`, `dynamic=`) gets Prism's
 *   answer and leaves the state alone.
 * - Only the mock's one user gets in, with its password (HTTP Basic, while the cluster takes
 *   it), its fixed bearer token or a token from `POST /v1/users/authorize` (tokens.ts) that has
 *   not expired; anyone else gets the spec's 401.
 *
 * Node runs one request handler at a time and every change here is synchronous, so no two
 * requests ever see a half-made configuration.
 */
import { databaseAnswer, invalidDatabaseUpdate, updateDatabase } from './databases.js';
import { DEFAULTS } from './defaults.js';
import { CONTRACT_PATH, type MockArgs, type Mocker, type Operation, type Output, prismMocker, spec } from './prism.js';
import { invalidRequest, notRule } from './problems.js';
import type { Configuration, MockState, Scenario } from './state.js';
import { AUTHORIZE_PATH, type Caller, type Identity, type User } from './tokens.js';
import { asOf, fieldsNotIn } from './versions.js';

export type { User } from './tokens.js';

/** The mock's one user unless told otherwise; documented in the README. */
export const DEFAULT_USER: User = { ...DEFAULTS.user };

/** Prism's mocker with a cluster's users and state: the configuration it keeps is `state`'s. */
export function clusterMocker(state: MockState): Mocker {
  const policy = policyOf(state);
  const settings = settingsOf(state);
  const database = databaseOf(state);
  /** What is stored; on the first read, the first example of the operation's 200 answer (the reference page's). */
  const current = (operation: Operation): Configuration | null => {
    if (state.configuration === 'page example') state.configuration = structuredClone((exampleOf(operation, '200') ?? {}) as Configuration);
    return state.configuration;
  };

  function answer(operation: Operation, input: MockArgs['input'], response: Output): Output {
    const status = response.statusCode;
    const version = state.scenario.redis_version;
    // What a cluster of the version returns: the fields it has (stored ones may be newer, from a scenario since changed).
    const returned = (config: Configuration | null) => asOf(config ?? {}, 'DbConnsAuditingConfig', version);
    if (operation.method === 'get' && status === 200) return json(200, returned(current(operation)));
    if (operation.method === 'put' && status === 400) return json(400, invalidRequest(input.validations, input.data));
    if (operation.method === 'put' && status === 200) {
      const body = input.data.body as Configuration;
      const newer = newerFields(body, 'DbConnsAuditingConfigUpdate', version);
      if (newer) return newer;
      const result = update(current(operation), body);
      if ('error' in result) return json(400, result.error);
      state.store(result.config);
      return json(200, returned(result.config));
    }
    if (operation.method === 'delete' && status === 200) {
      // The refusals keep the configuration; their status is this mock's decision (admin.openapi.yaml).
      const { scenario } = state;
      if (scenario.cluster_policy)
        return json(REFUSAL_STATUS, exampleOf(operation, 'default', 'cannot_delete_audit_config_when_policy_enabled'));
      if (state.anyDatabaseAudits())
        return json(REFUSAL_STATUS, exampleOf(operation, 'default', 'cannot_delete_audit_config_when_bdb_enabled'));
      if (current(operation) === null) return json(404, exampleOf(operation, '404'));
      state.store(null);
    }
    return response;
  }

  /**
   * Prism's mocker, then the user check and the state. A 401 for credentials Prism let through
   * (it checks only that they are there) is Prism's own 401, asked for by code.
   */
  return (args) => (logger) => {
    const result = prismMocker(args)(logger);
    if (result._tag !== 'Right') return result;
    const as = (code: number) => prismMocker({ ...args, config: { ...args.config, code } })(logger);
    // Who the caller is was found out by the pipeline (tokens.ts), before Prism was asked.
    const { caller, issued } = args.config as Identity;
    if (result.right.statusCode !== 401 && !letIn(caller, args.resource, state.scenario)) return refused(args, logger);
    if (forced(args.config)) return result;
    if (args.resource.path === POLICY_PATH) return { _tag: 'Right', right: policy(args.resource, args.input, result.right) };
    if (args.resource.path === AUTHORIZE_PATH) return { _tag: 'Right', right: authorize(args.input, result.right, issued) };
    if (args.resource.path === CLUSTER_PATH) return { _tag: 'Right', right: settings(args.resource, args.input, result.right) };
    if (args.resource.path === DATABASE_PATH) return { _tag: 'Right', right: database(args.resource, args.input, result.right) };
    // The other switches' paths answer their examples, as Prism gives them.
    if (args.resource.path !== CONTRACT_PATH) return result;
    // A mixed-version cluster: whatever is asked, once the caller is known.
    if (!state.scenario.capability && result.right.statusCode !== 401) return as(406);
    return { _tag: 'Right', right: answer(args.resource, args.input, result.right) };
  };
}

/** The cluster policy's path, whose `db_conns_auditing` the mock keeps. */
const POLICY_PATH = '/v1/cluster/policy';

/**
 * The cluster policy: its `db_conns_auditing` is the scenario's `cluster_policy`, one state that
 * `PUT /v1/cluster/policy` and `PUT /__mock/scenario` both change, and that DELETE's refusal reads.
 */
function policyOf(state: MockState) {
  return (operation: Operation, input: MockArgs['input'], response: Output): Output => {
    const status = response.statusCode;
    if (operation.method === 'get' && status === 200) return json(200, { db_conns_auditing: state.scenario.cluster_policy });
    if (operation.method === 'put' && status === 400) return json(400, invalidRequest(input.validations, input.data));
    if (operation.method === 'put' && status === 200) {
      const { db_conns_auditing } = input.data.body as { db_conns_auditing?: boolean };
      if (db_conns_auditing !== undefined) state.scenario.cluster_policy = db_conns_auditing;
      return { statusCode: 200, headers: {} };
    }
    return response;
  };
}

/** The database's path (`getDatabase`), whose audit switches the mock keeps. */
const DATABASE_PATH = Object.keys(spec.paths).find((path) => spec.paths[path]!.get?.operationId === 'getDatabase')!;

/**
 * The databases: `GET` answers one as the version returns it, `PUT` changes it by the rules of
 * databases.ts, an unknown uid is the spec's 404. The first DELETE after a PUT of the
 * configuration reads what is stored here.
 */
function databaseOf(state: MockState) {
  return (operation: Operation, input: MockArgs['input'], response: Output): Output => {
    const version = state.scenario.redis_version;
    const body = (input.data.body ?? {}) as Record<string, unknown>;
    // Before any other rule.
    const newer = operation.method === 'put' && typeof body === 'object' ? newerFields(body, 'Database', version) : undefined;
    if (newer) return newer;
    if (operation.method === 'put' && response.statusCode === 400) return json(400, invalidDatabaseUpdate(input.validations, input.data));
    if (response.statusCode !== 200) return response;
    const uid = Number(input.data.url.path.split('/').at(-1));
    const stored = state.databases.get(uid);
    if (!stored) return json(404, exampleOf(operation, '404'));
    const returned = () => asOf(databaseAnswer(state.databases.get(uid)!), 'Database', version);
    if (operation.method === 'get') return json(200, returned());
    if (operation.method !== 'put') return response;
    const result = updateDatabase(stored, body, { version, configured: state.configuration !== null });
    if ('refusal' in result) return json(400, result.refusal);
    state.databases.set(uid, result.database);
    return json(200, returned());
  };
}

/**
 * Whether the caller gets in: its bearer token always; its Basic credentials while the cluster
 * takes Basic (`control_plane_basic_authentication`, the scenario's `basic_auth`), and on an
 * operation whose only way in is Basic even when it does not: the spec's authorize, which says
 * so as this contract's decision, since it is how a client without a certificate gets a token.
 */
function letIn(caller: Caller, operation: Operation, scenario: Scenario): boolean {
  if (caller === 'bearer') return true;
  return caller === 'basic' && (scenario.basic_auth || basicOnly(operation));
}

/** Whether the spec gives Basic as the operation's only way in. */
function basicOnly(operation: Operation): boolean {
  const security = spec.paths[operation.path]?.[operation.method]?.security as Record<string, unknown>[] | undefined;
  return security !== undefined && security.length > 0 && security.every((requirement) => Object.keys(requirement).join() === 'basicAuth');
}

/** The spec's 401 for a caller it does not know; authorize's names no expired password (its `unauthorized` example). */
function refused(args: MockArgs, logger: unknown) {
  const hasKey = exampleOf(args.resource, '401', 'unauthorized') !== undefined;
  return prismMocker({ ...args, config: { ...args.config, code: 401, ...(hasKey ? { exampleKey: 'unauthorized' } : {}) } })(logger);
}

/** The cluster's settings' path, whose `control_plane_basic_authentication` the mock keeps. */
const CLUSTER_PATH = '/v1/cluster';

/** `POST /v1/users/authorize`: the token signed for the `ttl` asked (tokens.ts), or the 400 naming the field. */
function authorize(input: MockArgs['input'], response: Output, issued: string | undefined): Output {
  if (response.statusCode === 400) return json(400, invalidRequest(input.validations, input.data));
  if (response.statusCode === 200 && issued !== undefined) return json(200, { access_token: issued });
  return response;
}

/**
 * The cluster's settings: `control_plane_basic_authentication` is the scenario's `basic_auth`, one
 * state that `PUT /v1/cluster` and `PUT /__mock/scenario` both change. A cluster older than the
 * field (its x-introduced-in) neither returns it nor takes it: a PUT naming it is refused as any
 * field the version does not have (invalid_schema), so Basic cannot be turned off there.
 */
function settingsOf(state: MockState) {
  return (operation: Operation, input: MockArgs['input'], response: Output): Output => {
    const status = response.statusCode;
    const version = state.scenario.redis_version;
    const returned = () => asOf({ control_plane_basic_authentication: state.scenario.basic_auth }, 'ClusterSettings', version);
    if (operation.method === 'get' && status === 200) return json(200, returned());
    if (operation.method === 'put' && status === 400) return json(400, invalidRequest(input.validations, input.data));
    if (operation.method === 'put' && status === 200) {
      const body = input.data.body as { control_plane_basic_authentication?: boolean };
      const newer = newerFields(body, 'ClusterSettings', version);
      if (newer) return newer;
      if (body.control_plane_basic_authentication !== undefined) state.scenario.basic_auth = body.control_plane_basic_authentication;
      return json(200, returned());
    }
    return response;
  };
}

/** When a field came, or went, as its annotations say. */
const since = ({ introducedIn, removedIn }: { introducedIn?: string; removedIn?: string }) =>
  introducedIn ? `: it appeared in ${introducedIn}` : removedIn ? `: it was removed in ${removedIn}` : '';

/** `Prefer: code=N`, `example=NAME` or `dynamic=true` (or their `__code`-style query forms) pick the answer. */
const forced = (config: MockArgs['config']) => config.code !== undefined || config.exampleKey !== undefined || config.dynamic === true;

/** The example of an answer: the one named `key`, or the first. */
function exampleOf(operation: Operation, code: string, key?: string): unknown {
  const response = operation.responses.find((candidate) => candidate.code === code);
  const examples = response?.contents?.find((content) => content.mediaType === 'application/json')?.examples ?? [];
  return (key === undefined ? examples[0] : examples.find((example) => example.key === key))?.value;
}

/** The status of DELETE's refusals, which no Redis page gives: this mock's decision. */
export const REFUSAL_STATUS = 409;

const json = (statusCode: number, body: unknown): Output => ({ statusCode, headers: { 'content-type': 'application/json' }, body });

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

type Refusal = { error: { error_code: string; description: string } };

function update(before: Configuration | null, body: Configuration): { config: Configuration } | Refusal {
  const config: Configuration = { ...(before ?? {}), ...body };
  if (config.audit_protocol === 'local' && body.audit_port !== undefined) return refuse('db_conns_auditing_bad_config', notRule());
  if (config.audit_protocol === 'local') delete config.audit_port;

  const missing: string[] = [];
  if (config.audit_protocol === undefined) missing.push('audit_protocol is required: no configuration is stored since the last DELETE');
  if (config.audit_address === undefined)
    missing.push(`audit_address is required${config.audit_protocol ? ` when audit_protocol is ${config.audit_protocol}` : ''}`);
  if (config.audit_protocol === 'TCP' && config.audit_port === undefined) missing.push('audit_port is required when audit_protocol is TCP');
  if (missing.length > 0) return refuse('db_conns_auditing_missing_config', missing.join('; '));
  return { config };
}

const refuse = (error_code: string, description: string): Refusal => ({ error: { error_code, description } });

/**
 * A cluster refuses a field its version does not have, as any field it does not know
 * (invalid_schema), naming the version the field came with: the 400, or nothing when every
 * field of `body` is one of `schema`'s at `version`.
 */
function newerFields(body: object, schema: string, version: string): Output | undefined {
  const newer = fieldsNotIn(body, schema, version);
  if (newer.length === 0) return undefined;
  const why = newer.map(([name, lifetime]) => `${name} is not a field of Redis Software ${version}${since(lifetime)}`);
  return json(400, { error_code: 'invalid_schema', description: why.join('; ') });
}
