/**
 * The admin API under /__mock/ (admin.openapi.yaml, shipped beside this code): the scenario a
 * cluster can be in, faults for the next requests, and what the mock saw. It is served by a
 * Prism instance of its own, made from that document, so that a bad admin request is refused
 * by the same validators, in the same words, as a bad request of the contract; its mocker
 * applies what a good one asks to the mock's state and answers the whole of it.
 */
import { fileURLToPath } from 'node:url';
import { type Mocker, type Operation, type Output, operationId, operationsOf, prismMocker } from './prism.js';
import { describeProblems } from './problems.js';
import type { ConnectionsRequest, MockState } from './state.js';

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
      case 'updateScenario':
        Object.assign(state.scenario, body);
        return answer(200, state.scenario);
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
        const records = state.records(request);
        state.audit.send(records);
        return answer(200, { connections: request.count ?? 1, records: records.length, stats: state.audit.stats() });
      }
      case 'getAuditStats':
        return answer(200, state.audit.stats());
      default:
        return result;
    }
  };
}

const answer = (statusCode: number, body: unknown) => ({
  _tag: 'Right' as const,
  right: { statusCode, headers: { 'content-type': 'application/json' }, body } satisfies Output,
});
