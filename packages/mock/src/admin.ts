/**
 * The admin API under /__mock/ (admin.openapi.yaml, shipped beside this code): the scenario a
 * cluster can be in, faults for the next requests, and what the mock saw. It is served by a
 * Prism instance of its own, made from that document, so that a bad admin request is refused
 * by the same validators, in the same words, as a bad request of the contract; its mocker
 * applies what a good one asks and answers the whole state.
 */
import { fileURLToPath } from 'node:url';
import type { AuditSender } from './audit-sender.js';
import type { ConnectionsRequest } from './audit-records.js';
import { describeProblems } from './cluster.js';
import type { Exchange } from './exchange.js';
import { type Mocker, type Operation, type Output, operationId, operationsOf, prismMocker } from './prism.js';

/** The admin API's own OpenAPI document. */
export const ADMIN_DOCUMENT = fileURLToPath(new URL('../admin.openapi.yaml', import.meta.url));

export interface Scenario {
  cluster_policy: boolean;
  database_auditing: boolean;
  capability: boolean;
  basic_auth: boolean;
}

export interface Faults {
  latency_ms: number;
  fail: { status: number; count: number; retry_after?: number };
  reset_connection: { count: number };
}

export const defaultScenario = (): Scenario => ({ cluster_policy: false, database_auditing: false, capability: true, basic_auth: true });
export const noFaults = (): Faults => ({ latency_ms: 0, fail: { status: 503, count: 0 }, reset_connection: { count: 0 } });

/** What the admin API steers: the mock's own state, shared with the contract's side. */
export interface Steering {
  scenario: Scenario;
  faults: Faults;
  requests: Exchange[];
  /** The sender of audit records to the stored listener. */
  audit: AuditSender;
  /** Records of simulated database connections. */
  records: (request: ConnectionsRequest) => object[];
  /** Everything back to the start: configuration, scenario, faults, log, the audit connection. */
  reset: () => void;
}

let operations: Promise<Operation[]> | undefined;
/** The admin document's operations, read once per process. */
export const adminOperations = (): Promise<Operation[]> => {
  operations ??= operationsOf(ADMIN_DOCUMENT);
  return operations;
};

/** Prism's mocker for the admin document, answering with (and changing) `steering`. */
export function adminMocker(steering: Steering): Mocker {
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
        steering.reset();
        return { _tag: 'Right', right: { statusCode: 204 } };
      case 'updateScenario':
        Object.assign(steering.scenario, body);
        return answer(200, steering.scenario);
      case 'getScenario':
        return answer(200, steering.scenario);
      case 'updateFaults':
        Object.assign(steering.faults, structuredClone(body));
        return answer(200, steering.faults);
      case 'getFaults':
        return answer(200, steering.faults);
      case 'listRequests':
        return answer(200, steering.requests);
      case 'simulateConnections': {
        const records = steering.records(body ?? {});
        steering.audit.send(records);
        return answer(200, { connections: body?.count ?? 1, records: records.length, stats: steering.audit.stats() });
      }
      case 'getAuditStats':
        return answer(200, steering.audit.stats());
      default:
        return result;
    }
  };
}

const answer = (statusCode: number, body: unknown) => ({
  _tag: 'Right' as const,
  right: { statusCode, headers: { 'content-type': 'application/json' }, body } satisfies Output,
});
