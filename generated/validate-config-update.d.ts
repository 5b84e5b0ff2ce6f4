// Generated from the spec by scripts/build.ts: do not edit.
/** One problem Ajv found, in its own error format. */
export interface SchemaProblem {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}
/** Validates a body against the spec's DbConnsAuditingConfigUpdate schema; the problems are left on `errors`. */
export declare const validate: ((data: unknown) => boolean) & { errors?: SchemaProblem[] | null };
export default validate;
/** For each `not` rule of the schema (by schema path): the field it forbids, and when. */
export declare const forbiddenWhen: Record<string, { field: string; when: Record<string, unknown> }>;
