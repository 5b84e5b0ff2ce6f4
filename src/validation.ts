/**
 * Checks a PUT body with the validator the build compiled from the spec's
 * DbConnsAuditingConfigUpdate schema, and words Ajv's findings for people.
 */
import { forbiddenWhen, validate, type SchemaProblem } from '../generated/validate-config-update.js';
import type { ValidationProblem } from './errors.js';

export function updateProblems(body: unknown): ValidationProblem[] {
  if (validate(body)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(problem: SchemaProblem): ValidationProblem {
  const at = problem.instancePath.slice(1).replaceAll('/', '.');
  const within = (name: string) => (at ? `${at}.${name}` : name);
  const { keyword, params } = problem;
  switch (keyword) {
    case 'additionalProperties':
      return { field: within(params.additionalProperty), rule: keyword, message: 'is not a field of the configuration' };
    case 'required':
      return { field: within(params.missingProperty), rule: keyword, message: 'is required' };
    case 'enum':
      return {
        field: at,
        rule: keyword,
        message: `must be one of ${params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(', ')}`,
      };
    case 'type': {
      // Ajv gives one type, or a list of them for a schema that allows several.
      const types = ([] as string[]).concat(params.type).map((type) => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`);
      return { field: at, rule: keyword, message: `must be ${types.join(' or ')}` };
    }
    case 'not': {
      const forbidden = forbiddenWhen[problem.schemaPath];
      if (forbidden) {
        const condition = Object.entries(forbidden.when)
          .map(([name, value]) => `${name} is ${JSON.stringify(value)}`)
          .join(' and ');
        return { field: within(forbidden.field), rule: keyword, message: `must not be set when ${condition}` };
      }
    }
  }
  return { field: at, rule: keyword, message: problem.message ?? `breaks the rule "${keyword}"` };
}
