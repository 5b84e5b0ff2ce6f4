/**
 * Prism's findings about a request, in words that name the field and the rule: the 400s of the
 * contract's side (cluster.ts) and of the admin API (admin.ts) are both written from here.
 */
import { forbiddenWhen } from 'redis-software-auditing-db-conns/validate-config-update';
import type { Input, Validation } from './prism.js';

/**
 * The body of a 400 for a request of the contract Prism found invalid: db_conns_auditing_bad_config when the
 * only rule broken is the spec's `not` (fields that do not go together), invalid_schema for
 * anything else (types, ranges, enums, unknown fields, a missing body, a wrong Content-Type).
 */
export function invalidRequest(validations: Validation[], request: Input) {
  const problems = errorsOf(validations);
  const onlyNot = problems.length > 0 && problems.every((problem) => problem.code === 'not');
  return { error_code: onlyNot ? 'db_conns_auditing_bad_config' : 'invalid_schema', description: describeProblems(validations, request) };
}

const errorsOf = (validations: Validation[]) =>
  validations.filter((validation) => validation.severity === 0 /* DiagnosticSeverity.Error */);

/** Each of Prism's findings about a request, in words that name the field and the rule. */
export const describeProblems = (validations: Validation[], request: Input, of = 'the configuration'): string => {
  const errors = errorsOf(validations);
  // A body that is no object at all (JSON's null, a string) breaks every rule about its fields
  // too; only the first thing wrong with it is worth saying.
  const notAnObject = errors.filter((problem) => problem.code === 'type' && problem.path?.length === 1 && problem.path[0] === 'body');
  return (
    (notAnObject.length ? notAnObject : errors).map((problem) => describe(problem, request, of)).join('; ') || 'the request is invalid'
  );
};

/**
 * The request body's `not` rule in words, from the table the contract's build reads out of the
 * spec for the client's validator: one reading of the rule for the client and the mock.
 */
export function notRule(): string {
  const rules = Object.values(forbiddenWhen).map(({ field, when }) => {
    const condition = Object.entries(when).map(([name, value]) => `${name} is ${value}`);
    return `${field} must not be specified when ${condition.join(' and ')}`;
  });
  return rules.join('; ') || 'these fields do not go together';
}

/** One of Prism's findings, in words that name the field and the rule. */
function describe(problem: Validation, request: Input, of: string): string {
  const message = String(problem.message ?? '');
  if (problem.code === 'not') return notRule();
  if (problem.code === 'additionalProperties') {
    const field = message.match(/found '(.*)'$/)?.[1];
    const parent = problem.path?.slice(1).join('.');
    return field ? `${parent ? `${parent}.` : ''}${field} is not a field of ${of} (additional properties are not allowed)` : message;
  }
  if (problem.code === 415 || problem.code === '415') {
    const sent = request.headers['content-type'];
    return `Content-Type ${sent ? `"${sent}"` : '(none)'} is not accepted: ${message}`;
  }
  if (problem.code === 'required' && !problem.path?.length) return 'the body is required: a JSON object with the fields to change';
  // Prism's words, without the "Request body property" in front: "audit_port must be integer".
  return message.replace(/^Request body property /, '').replace(/^Request body /, 'the body ');
}
