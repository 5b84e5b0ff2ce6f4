/**
 * Finds the changes between two bundled OpenAPI 3.1 documents that can break a client written
 * or generated against the released one. Pure: it only reads the two documents.
 *
 * The rule of thumb: a request may not start asking for less than it accepted, and a response
 * may not stop giving what it gave. So, in request bodies and parameters, anything that rejects
 * a value the released spec accepted is breaking; in responses, anything a client could rely on
 * that disappears is breaking. Additions that old clients can ignore are not reported: a new
 * optional request field, a new response field or status, a new enum value in a request, and
 * every edit of descriptions, summaries and examples.
 *
 * A new enum value in a response is not reported either: this contract tells clients to
 * tolerate values they do not know (see DbConnsAuditingConfig), and reporting it would make
 * every new value of a shared enum, such as a new `audit_protocol`, a major release.
 *
 * Local `#/...` references are followed; `allOf` members are read as one schema.
 */
import { HTTP_METHODS } from './project.ts';
import { DATA_KEYWORDS, NAMED_SCHEMAS, isAnnotation } from './schema-keywords.ts';

type Json = Record<string, any>;
type Schema = Json | boolean;

export type BreakingChangeKind =
  | 'path-removed'
  | 'operation-removed'
  | 'parameter-removed'
  | 'parameter-newly-required'
  | 'request-body-newly-required'
  | 'request-media-type-removed'
  | 'request-field-removed'
  | 'request-field-newly-required'
  | 'request-field-forbidden'
  | 'request-unknown-fields-forbidden'
  | 'request-type-changed'
  | 'request-range-narrowed'
  | 'request-enum-value-removed'
  | 'request-enum-added'
  | 'request-rule-changed'
  | 'response-status-removed'
  | 'response-media-type-removed'
  | 'response-field-removed'
  | 'response-field-no-longer-required'
  | 'response-enum-value-removed'
  | 'response-type-changed'
  | 'security-changed';

export interface BreakingChange {
  kind: BreakingChangeKind;
  /** Where in the API, e.g. `PUT /v1/cluster/auditing/db_conns request body: audit_port`. */
  where: string;
  detail: string;
}


/** Keywords that set a lower or an upper limit; raising a lower one or lowering an upper one narrows. */
const LOWER_LIMITS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_LIMITS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];

/**
 * Request constraints this differ does not take apart. Any value of one of them that the released
 * spec did not have may reject bodies it accepted, so it is reported for a person to judge.
 */
const OTHER_REQUEST_RULES = [
  'not', 'oneOf', 'anyOf', 'if', 'then', 'else', 'pattern', 'format', 'multipleOf', 'uniqueItems',
  'dependentRequired', 'dependentSchemas', 'patternProperties', 'propertyNames', 'contains', 'prefixItems',
];

/** Schema keywords that only annotate: editing them never changes which values are valid. */
/** Keywords whose keys are names (of fields, say), not keywords: a field may be called `description`. */

export function findBreakingChanges(released: Json, current: Json): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const report = (kind: BreakingChangeKind, where: string, detail: string) => changes.push({ kind, where, detail });

  // Paths are matched by their shape: renaming a path parameter breaks no one.
  const currentPaths = new Map(Object.keys(current.paths ?? {}).map((path) => [pathShape(path), path]));
  for (const [path, releasedItem] of Object.entries<Json>(released.paths ?? {})) {
    const currentPath = currentPaths.get(pathShape(path));
    if (currentPath === undefined) {
      report('path-removed', path, `the path ${path} is gone`);
      continue;
    }
    const releasedPathItem = resolve(released, releasedItem);
    const currentPathItem = resolve(current, current.paths[currentPath]);
    for (const method of HTTP_METHODS) {
      if (!releasedPathItem[method]) continue;
      const where = `${method.toUpperCase()} ${path}`;
      if (!currentPathItem[method]) {
        report('operation-removed', where, `the operation ${where} is gone`);
        continue;
      }
      const pair: Pair = {
        released: { doc: released, pathItem: releasedPathItem, operation: releasedPathItem[method] },
        current: { doc: current, pathItem: currentPathItem, operation: currentPathItem[method] },
      };
      compareParameters(pair, where, report);
      compareRequestBodies(pair, where, report);
      compareResponses(pair, where, report);
      compareSecurity(pair, where, report);
    }
  }
  return changes;
}

type Report = (kind: BreakingChangeKind, where: string, detail: string) => void;
interface Side {
  doc: Json;
  pathItem: Json;
  operation: Json;
}
interface Pair {
  released: Side;
  current: Side;
}

/** `/a/{id}/b` and `/a/{key}/b` are the same path to a client. */
const pathShape = (path: string) => path.replace(/\{[^}]*\}/g, '{}');

// ---------------------------------------------------------------------------------------------
// Operations

/** Path-level parameters apply unless the operation redefines one (same `in` and `name`). */
function parametersOf({ doc, pathItem, operation }: Side): Map<string, Json> {
  const byKey = new Map<string, Json>();
  for (const raw of [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]) {
    const parameter = resolve(doc, raw);
    byKey.set(`${parameter.in} ${parameter.name}`, parameter);
  }
  return byKey;
}

function compareParameters(pair: Pair, where: string, report: Report) {
  const released = parametersOf(pair.released);
  const current = parametersOf(pair.current);
  for (const [key, parameter] of current) {
    const before = released.get(key);
    if (parameter.required && !before?.required) {
      report('parameter-newly-required', `${where} parameter ${key}`, before ? 'the parameter became required' : 'a new required parameter');
    }
  }
  for (const [key, before] of released) {
    const after = current.get(key);
    if (!after) report('parameter-removed', `${where} parameter ${key}`, 'the parameter is gone');
    else compareRequestSchemas(pair, [before.schema ?? true], [after.schema ?? true], `${where} parameter ${key}`, report);
  }
}

function compareRequestBodies(pair: Pair, where: string, report: Report) {
  const released = pair.released.operation.requestBody ? resolve(pair.released.doc, pair.released.operation.requestBody) : undefined;
  const current = pair.current.operation.requestBody ? resolve(pair.current.doc, pair.current.operation.requestBody) : undefined;
  if (current?.required && !released?.required) {
    report('request-body-newly-required', `${where} request body`, released ? 'the request body became required' : 'a new required request body');
  }
  for (const [mediaType, content] of Object.entries<Json>(released?.content ?? {})) {
    const at = `${where} request body ${mediaType}`;
    const after = current?.content?.[mediaType];
    if (!after) report('request-media-type-removed', at, `the request body no longer accepts ${mediaType}`);
    else compareRequestSchemas(pair, [content.schema ?? true], [after.schema ?? true], at, report);
  }
}

function compareResponses(pair: Pair, where: string, report: Report) {
  const released: Json = pair.released.operation.responses ?? {};
  const current: Json = pair.current.operation.responses ?? {};
  for (const [status, raw] of Object.entries<Json>(released)) {
    const at = `${where} response ${status}`;
    if (!current[status]) {
      report('response-status-removed', at, `the ${status} response is gone`);
      continue;
    }
    const before = resolve(pair.released.doc, raw);
    const after = resolve(pair.current.doc, current[status]);
    for (const [mediaType, content] of Object.entries<Json>(before.content ?? {})) {
      const afterContent = after.content?.[mediaType];
      if (!afterContent) report('response-media-type-removed', `${at} ${mediaType}`, `the ${status} response no longer comes as ${mediaType}`);
      else compareResponseSchemas(pair, [content.schema ?? true], [afterContent.schema ?? true], `${at} ${mediaType}`, report);
    }
  }
}

/**
 * Each released way to authenticate (one security requirement: schemes with their scopes or
 * roles) must still work as it was, unless the operation now takes anonymous calls. A changed
 * scheme, a changed list of scopes or roles, or a requirement added where none was, breaks.
 * A new alternative next to the released ones does not.
 */
function compareSecurity(pair: Pair, where: string, report: Report) {
  const requirements = ({ doc, operation }: Side): Json[] => {
    const list: Json[] = operation.security ?? doc.security ?? [];
    return list.length === 0 ? [{}] : list;
  };
  const key = (requirement: Json) =>
    JSON.stringify(Object.keys(requirement).sort().map((scheme) => [scheme, [...(requirement[scheme] ?? [])].sort()]));
  const released = requirements(pair.released);
  const current = requirements(pair.current);
  const currentKeys = new Set(current.map(key));
  const anonymousAllowed = currentKeys.has(key({}));
  for (const requirement of released) {
    if (!currentKeys.has(key(requirement)) && !anonymousAllowed) {
      report('security-changed', `${where} security`, `the released requirement ${describeRequirement(requirement)} is gone; now: ${current.map(describeRequirement).join(' or ')}`);
      continue;
    }
    for (const scheme of Object.keys(requirement)) {
      const before = pair.released.doc.components?.securitySchemes?.[scheme];
      const after = pair.current.doc.components?.securitySchemes?.[scheme];
      if (before && after && canonical(pair.released.doc, resolve(pair.released.doc, before)) !== canonical(pair.current.doc, resolve(pair.current.doc, after))) {
        report('security-changed', `${where} security`, `the security scheme ${scheme} changed`);
      }
    }
  }
}

const describeRequirement = (requirement: Json) =>
  Object.keys(requirement).length === 0 ? 'anonymous' : Object.entries(requirement).map(([scheme, scopes]) => `${scheme} [${scopes.join(', ')}]`).join(' + ');

// ---------------------------------------------------------------------------------------------
// Schemas

/**
 * One schema as a list of conjuncts (the schema, what its `$ref` points to, its `allOf` members),
 * merged into what they allow together.
 */
interface SchemaView {
  /** The `false` schema: nothing is valid. */
  never: boolean;
  /** The allowed JSON types; undefined when any type is. */
  types?: Set<string>;
  /** The allowed values, as JSON text; undefined when any value is. */
  values?: Set<string>;
  required: Set<string>;
  properties: Map<string, Schema[]>;
  /** `additionalProperties: false` or `unevaluatedProperties: false`. */
  closed: boolean;
  lower: Map<string, number>;
  upper: Map<string, number>;
  items: Schema[];
  /** The other request rules, keyword → their values as canonical JSON. */
  rules: Map<string, Set<string>>;
}

function view(doc: Json, schemas: Schema[]): SchemaView {
  const v: SchemaView = { never: false, required: new Set(), properties: new Map(), closed: false, lower: new Map(), upper: new Map(), items: [], rules: new Map() };
  for (const part of conjuncts(doc, schemas)) {
    if (part === false) {
      v.never = true;
      continue;
    }
    if (part.type !== undefined) v.types = intersect(v.types, [part.type].flat());
    if (part.enum !== undefined || 'const' in part) v.values = intersect(v.values, (part.enum ?? [part.const]).map((value: unknown) => JSON.stringify(value)));
    for (const name of part.required ?? []) v.required.add(name);
    for (const [name, schema] of Object.entries<Schema>(part.properties ?? {})) v.properties.set(name, [...(v.properties.get(name) ?? []), schema]);
    if (part.additionalProperties === false || part.unevaluatedProperties === false) v.closed = true;
    for (const limit of LOWER_LIMITS) if (typeof part[limit] === 'number') v.lower.set(limit, Math.max(v.lower.get(limit) ?? -Infinity, part[limit]));
    for (const limit of UPPER_LIMITS) if (typeof part[limit] === 'number') v.upper.set(limit, Math.min(v.upper.get(limit) ?? Infinity, part[limit]));
    if (part.items !== undefined) v.items.push(part.items);
    for (const rule of OTHER_REQUEST_RULES) {
      if (part[rule] !== undefined) v.rules.set(rule, (v.rules.get(rule) ?? new Set()).add(canonical(doc, part[rule])));
    }
  }
  return v;
}

/** The schemas, their `$ref` targets and their `allOf` members, flattened. `true` adds nothing. */
function conjuncts(doc: Json, schemas: Schema[], following = new Set<string>()): Array<Json | false> {
  const parts: Array<Json | false> = [];
  for (const schema of schemas) {
    if (schema === true) continue;
    if (schema === false) {
      parts.push(false);
      continue;
    }
    const { $ref, allOf, ...rest } = schema;
    parts.push(rest);
    if (typeof $ref === 'string' && !following.has($ref)) parts.push(...conjuncts(doc, [pointer(doc, $ref)], new Set([...following, $ref])));
    if (Array.isArray(allOf)) parts.push(...conjuncts(doc, allOf, following));
  }
  return parts;
}

/** A pair of schema lists already being compared further up: a recursive schema stops here. */
type Stack = Set<string>;

function compareRequestSchemas(pair: Pair, released: Schema[], current: Schema[], where: string, report: Report, stack: Stack = new Set()) {
  const key = JSON.stringify([released, current]);
  if (stack.has(key)) return;
  const inner = new Set([...stack, key]);
  const before = view(pair.released.doc, released);
  const after = view(pair.current.doc, current);
  if (before.never) return; // nothing was accepted, so nothing can break

  const lostTypes = before.types ? [...before.types].filter((type) => !allowsType(after.types, type)) : after.types ? ['any type'] : [];
  if (lostTypes.length > 0) report('request-type-changed', where, `no longer accepts ${lostTypes.join(', ')}; now ${[...(after.types ?? [])].join(' | ')}`);

  if (after.values && !before.values) report('request-enum-added', where, `now only accepts ${[...after.values].join(', ')}`);
  const lostValues = before.values && after.values ? [...before.values].filter((value) => !after.values!.has(value)) : [];
  if (lostValues.length > 0) report('request-enum-value-removed', where, `no longer accepts ${lostValues.join(', ')}`);

  for (const [limit, value] of after.lower) {
    const was = before.lower.get(limit);
    if (was === undefined || value > was) report('request-range-narrowed', where, `${limit} ${was === undefined ? 'added' : `raised from ${was}`}: ${value}`);
  }
  for (const [limit, value] of after.upper) {
    const was = before.upper.get(limit);
    if (was === undefined || value < was) report('request-range-narrowed', where, `${limit} ${was === undefined ? 'added' : `lowered from ${was}`}: ${value}`);
  }
  for (const [rule, values] of after.rules) {
    const known = before.rules.get(rule) ?? new Set();
    for (const value of values) if (!known.has(value)) report('request-rule-changed', where, `new or changed \`${rule}\`: ${value}; it may reject bodies the released spec accepted`);
  }

  for (const name of after.required) {
    if (!before.required.has(name)) report('request-field-newly-required', field(where, name), before.properties.has(name) ? 'the field became required' : 'a new required field');
  }
  if (after.closed && !before.closed) report('request-unknown-fields-forbidden', where, 'fields the spec does not list are now rejected');

  for (const name of new Set([...before.properties.keys(), ...after.properties.keys()])) {
    const was = before.properties.get(name);
    const now = after.properties.get(name);
    if (was && !now) {
      if (!view(pair.released.doc, was).never) report('request-field-removed', field(where, name), 'the field is gone from the request body');
    } else if (now && view(pair.current.doc, now).never) {
      // Forbidden now; it was allowed if it was listed, or if unlisted fields were accepted.
      const wasAllowed = was ? !view(pair.released.doc, was).never : !before.closed;
      if (wasAllowed) report('request-field-forbidden', field(where, name), 'the field is now rejected');
    } else if (was && now) {
      compareRequestSchemas(pair, was, now, field(where, name), report, inner);
    }
  }
  if (before.items.length > 0 || after.items.length > 0) compareRequestSchemas(pair, before.items, after.items, `${where}[]`, report, inner);
}

function compareResponseSchemas(pair: Pair, released: Schema[], current: Schema[], where: string, report: Report, stack: Stack = new Set()) {
  const key = JSON.stringify([released, current]);
  if (stack.has(key)) return;
  const inner = new Set([...stack, key]);
  const before = view(pair.released.doc, released);
  const after = view(pair.current.doc, current);

  const newTypes = after.types ? [...after.types].filter((type) => !allowsType(before.types, type)) : before.types ? ['any type'] : [];
  if (newTypes.length > 0) report('response-type-changed', where, `may now be ${newTypes.join(', ')}; was ${[...(before.types ?? [])].join(' | ')}`);

  const lostValues = before.values ? [...before.values].filter((value) => after.values && !after.values.has(value)) : [];
  if (lostValues.length > 0) report('response-enum-value-removed', where, `no longer lists ${lostValues.join(', ')}`);

  for (const name of before.required) {
    if (!after.required.has(name)) report('response-field-no-longer-required', field(where, name), 'the field may now be missing');
  }
  for (const [name, was] of before.properties) {
    const now = after.properties.get(name);
    if (!now) report('response-field-removed', field(where, name), 'the field is gone from the response body');
    else compareResponseSchemas(pair, was, now, field(where, name), report, inner);
  }
  if (before.items.length > 0) compareResponseSchemas(pair, before.items, after.items, `${where}[]`, report, inner);
}

/** Whether a schema's types (undefined: any) allow values of a type; every integer is a number. */
const allowsType = (types: Set<string> | undefined, type: string) => !types || types.has(type) || (type === 'integer' && types.has('number'));

const field = (where: string, name: string) => (where.includes(': ') ? `${where}.${name}` : `${where}: ${name}`);

// ---------------------------------------------------------------------------------------------
// JSON helpers

function intersect(set: Set<string> | undefined, values: string[]): Set<string> {
  return set ? new Set(values.filter((value) => set.has(value))) : new Set(values);
}

/** An object that may be a `$ref` (possibly to another `$ref`), resolved. */
function resolve(doc: Json, node: Json, following = new Set<string>()): Json {
  if (typeof node?.$ref !== 'string' || following.has(node.$ref)) return node;
  return resolve(doc, pointer(doc, node.$ref), new Set([...following, node.$ref]));
}

/** What a local reference such as `#/components/schemas/AuditPort` points to. */
function pointer(doc: Json, ref: string): any {
  if (!ref.startsWith('#')) throw new Error(`only local references can be compared: ${ref} (compare bundled documents)`);
  const tokens = ref.slice(1).split('/').slice(1).map((token) => decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~'));
  let node: any = doc;
  for (const token of tokens) {
    node = node?.[token];
    if (node === undefined) throw new Error(`unresolvable reference ${ref}`);
  }
  return node;
}

/**
 * A schema (or security scheme) as stable JSON text: references followed, annotations dropped,
 * keys sorted. Two schemas with the same text validate the same values.
 */
function canonical(doc: Json, node: unknown): string {
  const walk = (value: any, following: Set<string>): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, following));
    if (value === null || typeof value !== 'object') return value;
    if (typeof value.$ref === 'string' && !following.has(value.$ref)) {
      const { $ref, ...siblings } = value;
      const target = walk(pointer(doc, $ref), new Set([...following, $ref]));
      return Object.keys(siblings).length === 0 ? target : { allOf: [target, walk(siblings, following)] };
    }
    const out: Json = {};
    for (const key of Object.keys(value).sort()) {
      if (isAnnotation(key)) continue;
      if (DATA_KEYWORDS.has(key)) out[key] = value[key];
      else if (NAMED_SCHEMAS.has(key)) out[key] = Object.fromEntries(Object.keys(value[key]).sort().map((name) => [name, walk(value[key][name], following)]));
      else out[key] = walk(value[key], following);
    }
    return out;
  };
  return JSON.stringify(walk(node, new Set()));
}

/** One line per change, for a person: its kind, where, and what. */
export function formatBreakingChanges(changes: BreakingChange[]): string {
  return changes.map((change) => `  ${change.kind}  ${change.where}: ${change.detail}`).join('\n');
}
