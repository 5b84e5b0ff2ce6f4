/**
 * The admin API under /__mock/ (admin.openapi.yaml, shipped beside this code): the scenario a
 * cluster can be in, faults for the next requests, and what the mock saw. It is served by a
 * Prism instance of its own, made from that document, so that a bad admin request is refused
 * by the same validators, in the same words, as a bad request of the contract; its mocker
 * applies what a good one asks to the mock's state and answers the whole of it.
 */
import { fileURLToPath } from 'node:url';
import { type Mocker, type Operation, type Output, operationId, operationsOf, prismMocker } from './prism.js';
import { isIP } from 'node:net';
import { audits, databaseAnswer, newDatabase } from './databases.js';
import { describeProblems } from './problems.js';
import type { ConnectionsRequest, MockState, Scenario } from './state.js';
import { VersionError, has, placeVersion, turnedOffBy } from './versions.js';

/** The admin API's own OpenAPI document. */
export const ADMIN_DOCUMENT = fileURLToPath(new URL('../admin.openapi.yaml', import.meta.url));

let operations: Promise<Operation[]> | undefined;
/** The admin document's operations, read once per process. */
export const adminOperations = (): Promise<Operation[]> => {
  operations ??= operationsOf(ADMIN_DOCUMENT);
  return operations;
};

/** Prism's mocker for the admin document, answering with (and changing) the mock's state. */
export function adminMocker(state: MockState): Mocker {
  return (args) => (logger) => {
    const result = prismMocker(args)(logger);
    if (result._tag !== 'Right') return result;
    const { statusCode } = result.right;
    const body = args.input.data.body as Record<string, any>;
    if (statusCode === 400)
      return answer(400, {
        error_code: 'invalid_schema',
        description: describeProblems(args.input.validations, args.input.data, 'this request'),
      });
    if (statusCode !== 200 && statusCode !== 204) return result;
    switch (operationId(args.resource)) {
      case 'resetMock':
        state.reset();
        return { _tag: 'Right', right: { statusCode: 204 } };
      case 'updateScenario': {
        const refusal = scenarioRefusal({ ...state.scenario, ...body });
        if (refusal) return answer(400, { error_code: 'invalid_schema', description: refusal });
        Object.assign(state.scenario, body);
        return answer(200, state.scenario);
      }
      case 'getScenario':
        return answer(200, state.scenario);
      case 'updateFaults':
        Object.assign(state.faults, structuredClone(body));
        return answer(200, state.faults);
      case 'getFaults':
        return answer(200, state.faults);
      case 'listRequests':
        return answer(200, state.requests);
      case 'simulateConnections': {
        const request = (body ?? {}) as ConnectionsRequest;
        const uid = request.database ?? 1;
        const database = state.databases.get(uid);
        if (!database)
          return refuse(`database ${uid} is not a database of the mock: its databases are ${[...state.databases.keys()].join(', ')}`);
        if (request.source_ip !== undefined && isIP(request.source_ip) === 0)
          return refuse(`source_ip "${request.source_ip}" is not an IPv4 or IPv6 address`);
        const connections = request.count ?? 1;
        if (!audits(database))
          return answer(200, {
            connections,
            records: 0,
            stats: state.audit.stats(),
            skipped:
              `database ${uid} (${database.name}) audits nothing: its audit_mode is disabled. Switch it on with ` +
              `PUT /v1/bdbs/${uid} {"audit_settings": {"audit_mode": "connection"}} (before 8.2, {"db_conns_auditing": true})`,
          });
        const records = state.records(request, state.scenario.redis_version, database);
        state.audit.send(records);
        return answer(200, { connections, records: records.length, stats: state.audit.stats() });
      }
      case 'listDatabases':
        return answer(200, [...state.databases.values()].map(databaseAnswer));
      case 'addDatabase': {
        const { uid, name } = body as { uid: number; name: string };
        if (state.databases.has(uid))
          return refuse(`uid ${uid} is taken by database ${state.databases.get(uid)!.name}: a uid names one database`);
        state.databases.set(uid, newDatabase(uid, name));
        return answer(200, databaseAnswer(state.databases.get(uid)!));
      }
      case 'getAuditStats':
        return answer(200, state.audit.stats());
      default:
        return result;
    }
  };
}

/**
 * Why a scenario cannot be, in words naming the field and the rule: a version the mock cannot
 * place, or Basic turned off on a version whose cluster cannot turn it off (the scheme's
 * `x-turned-off-by` says from which version it can). Undefined when it can be.
 */
function scenarioRefusal(scenario: Scenario): string | undefined {
  try {
    placeVersion(scenario.redis_version, 'redis_version');
  } catch (error) {
    if (error instanceof VersionError) return error.message;
    throw error;
  }
  const basic = turnedOffBy({ type: 'http', scheme: 'basic' });
  if (!scenario.basic_auth && basic && !has(basic.lifetime, scenario.redis_version)) {
    const from = basic.lifetime.introducedIn
      ? ` appeared in Redis Software ${basic.lifetime.introducedIn}`
      : ' is not part of this version';
    return (
      `basic_auth cannot be false while redis_version is ${scenario.redis_version}: ` +
      `${basic.setting}, the setting that turns Basic authentication off,${from}`
    );
  }
  return undefined;
}

const refuse = (description: string) => answer(400, { error_code: 'invalid_schema', description });

const answer = (statusCode: number, body: unknown) => ({
  _tag: 'Right' as const,
  right: { statusCode, headers: { 'content-type': 'application/json' }, body } satisfies Output,
});
