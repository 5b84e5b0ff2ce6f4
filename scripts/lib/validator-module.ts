/**
 * Compiles a request schema from the spec into a standalone validator module: plain ESM code
 * with no JSON Schema engine behind it, so the client can check a body before sending it
 * without shipping a validator library.
 */
import { Ajv, type Options } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';
import { GENERATED_HEADER, type Json } from '../../tools/project.ts';
import { DATA_KEYWORDS, NAMED_SCHEMAS, isAnnotation } from '../../tools/schema-keywords.ts';

// A CommonJS module seen from ESM: its `exports.default` is the function.
const standaloneCode = standalone.default;

/**
 * What a `not` rule forbids, for messages a person can read: a `not` that requires fields and
 * pins some of them with `const` forbids the unpinned field whenever the pinned ones hold.
 */
export interface ForbiddenWhen {
  field: string;
  when: Record<string, unknown>;
}

/** Ajv's options for code that runs in the client: strict about the schema, ESM source without line breaks. */
const OPTIONS: Options = { strict: true, code: { source: true, esm: true, lines: false } };

/** The validator of the PUT body (an OpenAPI 3.1 schema, so JSON Schema 2020-12), every problem reported. */
export function buildValidatorModule(schema: Json): { js: string; dts: string } {
  const ajv = new Ajv2020({ ...OPTIONS, allErrors: true });
  const validate = ajv.compile(withoutAnnotations(schema) as Json);
  const forbidden = forbiddenCombinations(schema);
  const js = [GENERATED_HEADER + standaloneCode(ajv, validate), `export const forbiddenWhen = ${JSON.stringify(forbidden)};`, ''].join(
    '\n',
  );
  return { js, dts: DTS };
}

/**
 * The validator of one audit record (the records' draft-07 JSON Schema): it only answers yes or
 * no, so it stops at the first problem. `affected_count` is an integer or null: a union type.
 */
export function buildRecordValidatorModule(schema: Json, typesModule: string): { js: string; dts: string } {
  const ajv = new Ajv({ ...OPTIONS, allowUnionTypes: true });
  const validate = ajv.compile(withoutAnnotations(schema) as Json);
  const dts = `${GENERATED_HEADER}import type { AuditRecord } from '${typesModule}';
/** True when the value is one of the record types of the records' JSON Schema. */
export declare const validate: (data: unknown) => data is AuditRecord;
export default validate;
`;
  return { js: `${GENERATED_HEADER + standaloneCode(ajv, validate)}\n`, dts };
}

/**
 * Annotations and `x-` extensions never change what is valid: dropping them keeps the
 * generated code small (Ajv would embed them) and Ajv's strict mode quiet.
 */
function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations);
  if (schema === null || typeof schema !== 'object') return schema;
  const kept: Json = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (isAnnotation(keyword)) continue;
    if (DATA_KEYWORDS.has(keyword)) kept[keyword] = value;
    else if (NAMED_SCHEMAS.has(keyword))
      kept[keyword] = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, withoutAnnotations(sub)]));
    else kept[keyword] = withoutAnnotations(value);
  }
  return kept;
}

/** Reads each top-level `not` rule, keyed by its schema path as Ajv reports it. */
function forbiddenCombinations(schema: Json): Record<string, ForbiddenWhen> {
  const not = schema.not as Json | undefined;
  if (!not?.required) return {};
  const when: Record<string, unknown> = {};
  const free: string[] = [];
  for (const name of not.required as string[]) {
    const pinned = not.properties?.[name]?.const;
    if (pinned === undefined) free.push(name);
    else when[name] = pinned;
  }
  if (free.length !== 1) throw new Error(`a "not" rule must leave exactly one field unpinned, got ${free.join(', ')}`);
  return { '#/not': { field: free[0]!, when } };
}

const DTS = `${GENERATED_HEADER}/** One problem Ajv found, in its own error format. */
export interface SchemaProblem {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, any>;
  message?: string;
}
/** Validates a body against the spec's DbConnsAuditingConfigUpdate schema; the problems are left on \`errors\`. */
export declare const validate: ((data: unknown) => boolean) & { errors?: SchemaProblem[] | null };
export default validate;
/** For each \`not\` rule of the schema (by schema path): the field it forbids, and when. */
export declare const forbiddenWhen: Record<string, { field: string; when: Record<string, unknown> }>;
`;
