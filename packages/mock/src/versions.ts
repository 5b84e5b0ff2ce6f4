/**
 * Redis Software versions, as the contract states them: every path, field, record type, status
 * and security scheme that differs by version carries `x-introduced-in` (and `x-removed-in` or
 * `x-deprecated-in`) in the OpenAPI spec or the AsyncAPI document. This module reads those
 * annotations and nothing else: the versions the mock knows, the version it plays, what that
 * version has, and what a cluster's answers say of its version (verify). It keeps no list of
 * its own, so a fact added to the spec is played without a change here.
 */
import { createRequire } from 'node:module';
import semver, { type SemVer } from 'semver';
import { MockError } from './errors.js';
import { dereferenced, spec } from './prism.js';

const require = createRequire(import.meta.url);
/** The records' AsyncAPI document, bundled: its schemas say which versions send each record type and field. */
const asyncapi = require('redis-software-auditing-db-conns/asyncapi.json') as { components: { schemas: Record<string, Json> } };

type Json = Record<string, any>;

/** The versions a fact belongs to, as its annotations give them. */
export interface Lifetime {
  introducedIn?: string;
  deprecatedIn?: string;
  removedIn?: string;
}

const ANNOTATIONS = { introducedIn: 'x-introduced-in', deprecatedIn: 'x-deprecated-in', removedIn: 'x-removed-in' } as const;

export const lifetimeOf = (node: Json | undefined): Lifetime =>
  Object.fromEntries(
    Object.entries(ANNOTATIONS)
      .filter(([, key]) => typeof node?.[key] === 'string')
      .map(([name, key]) => [name, node![key]]),
  );

/** A Redis Software version as people write it: 7.4, 8.0.2, or with the build, 8.2.0-46. */
const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?(?:-\d+)?$/;

/** The version as semver compares it; the build number after `-` is not a prerelease, so it goes. */
function toSemver(text: string): SemVer | undefined {
  const match = VERSION.exec(text.trim());
  return match ? new semver.SemVer(`${Number(match[1])}.${Number(match[2])}.${Number(match[3] ?? 0)}`) : undefined;
}

const semverOf = (annotation: string): SemVer => {
  const parsed = toSemver(annotation);
  if (!parsed) throw new MockError(`the contract's annotation "${annotation}" is not a Redis Software version`);
  return parsed;
};

/** Every version the contract's annotations name, oldest first: where something changed. */
export const KNOWN_VERSIONS: readonly string[] = (() => {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((Object.values(ANNOTATIONS) as string[]).includes(key) && typeof value === 'string') found.add(value);
      else walk(value);
    }
  };
  walk(spec);
  walk(asyncapi);
  return [...found].sort((a, b) => semver.compare(semverOf(a), semverOf(b)));
})();

/** The newest version the contract documents: what the mock plays unless told. */
export const NEWEST_VERSION = KNOWN_VERSIONS.at(-1)!;

/** The mock cannot place the version it was given: not a version, or newer than the docs describe. */
export class VersionError extends MockError {
  override name = 'VersionError';
}

/**
 * The version given, checked: MAJOR.MINOR[.PATCH][-BUILD], and no newer than the newest
 * documented release line (8.2.x plays as 8.2; 8.3 is not documented). `name` is how the caller
 * named it (`--redis-version`, `redisVersion`, `redis_version`), for the message.
 */
export function placeVersion(value: unknown, name: string): string {
  const known = `the versions this mock knows, where the contract changes: ${KNOWN_VERSIONS.join(', ')}`;
  const version = typeof value === 'string' ? toSemver(value) : undefined;
  if (!version)
    throw new VersionError(
      `${name} must be a Redis Software version, MAJOR.MINOR[.PATCH] such as 7.4 or 8.0.2, got ${JSON.stringify(value)}; ${known}`,
    );
  const newest = semverOf(NEWEST_VERSION);
  if (!semver.lt(version, semver.inc(newest, 'minor')!))
    throw new VersionError(`${name} must be no newer than ${NEWEST_VERSION}, the newest the docs describe, got "${value}"; ${known}`);
  return (value as string).trim();
}

/** Whether a fact with this lifetime is part of the given version. */
export function has(lifetime: Lifetime, version: string): boolean {
  const played = semverOf(version);
  if (lifetime.introducedIn && semver.lt(played, semverOf(lifetime.introducedIn))) return false;
  return !(lifetime.removedIn && semver.gte(played, semverOf(lifetime.removedIn)));
}

// ---- The REST side (the OpenAPI spec) ---------------------------------------------------------

/** The lifetime of the contract's path. */
export const pathLifetime = (path: string): Lifetime => lifetimeOf(spec.paths[path]);

/** Each field of a configuration schema (DbConnsAuditingConfig, DbConnsAuditingConfigUpdate), with its lifetime. */
export function fieldLifetimes(schemaName: string): Record<string, Lifetime> {
  const properties = (dereferenced.components.schemas?.[schemaName]?.properties ?? {}) as Record<string, Json>;
  return Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, lifetimeOf(schema)]));
}

/** The fields of a body that the version does not have, with the lifetime of each. */
export const fieldsNotIn = (body: object, schemaName: string, version: string): [string, Lifetime][] =>
  Object.keys(body)
    .map((name) => [name, fieldLifetimes(schemaName)[name]] as const)
    .filter((entry): entry is [string, Lifetime] => entry[1] !== undefined && !has(entry[1], version));

/** A body without the fields the version does not have: what a cluster of that version returns. */
export function asOf<T extends object>(body: T, schemaName: string, version: string): T {
  const gone = new Set(fieldsNotIn(body, schemaName, version).map(([name]) => name));
  return Object.fromEntries(Object.entries(body).filter(([name]) => !gone.has(name))) as T;
}

/**
 * The setting that turns a security scheme off, and its lifetime: `x-turned-off-by` of the
 * scheme (Basic: `control_plane_basic_authentication`, from 8.2).
 */
export function turnedOffBy(schemeType: { type: string; scheme?: string }): { setting: string; lifetime: Lifetime } | undefined {
  const schemes = Object.values(spec.components.securitySchemes ?? {}) as Json[];
  const scheme = schemes.find((candidate) => candidate.type === schemeType.type && candidate.scheme === schemeType.scheme);
  const switched = scheme?.['x-turned-off-by'] as Json | undefined;
  return switched ? { setting: switched.setting, lifetime: lifetimeOf(switched) } : undefined;
}

// ---- The records (the AsyncAPI document) ----------------------------------------------------

const recordSchema = (name: string): Json | undefined => asyncapi.components.schemas[name];
const resolved = (schema: Json | undefined): Json | undefined => {
  const name = (schema?.$ref as string | undefined)?.match(/^#\/components\/schemas\/(\w+)$/)?.[1];
  return name === undefined ? schema : recordSchema(name);
};

/**
 * A record of the named record type (a schema of the AsyncAPI document, such as NewIntConnRecord)
 * as a cluster of the version sends it: undefined when that version sends no such record, else
 * with only the fields the record type lists and the version has (no audit_worker_id and
 * audit_seq before 8.2, none ever on new_int_conn).
 */
export function recordAsOf(schemaName: string, record: Json, version: string): Json | undefined {
  const schema = recordSchema(schemaName);
  if (!schema) throw new MockError(`the AsyncAPI document has no record schema ${schemaName}`);
  if (!has(lifetimeOf(schema), version)) return undefined;
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => name in properties && has(lifetimeOf(resolved(properties[name])), version)),
  );
}

// ---- What answers say of a version (verify) -------------------------------------------------

/** The versions answers are consistent with: from `from` (inclusive) to before `before`; open where undefined. */
export interface VersionRange {
  from?: string;
  before?: string;
}

/** One thing seen that tells versions apart, and what it says. */
export interface VersionEvidence {
  method: string;
  path: string;
  status: number;
  /** Such as "the answer carries audit_queue_max_bytes (x-introduced-in 8.2)". */
  why: string;
  range: VersionRange;
}

const later = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : semver.gte(semverOf(a), semverOf(b)) ? a : b;
const earlier = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined ? a : semver.lte(semverOf(a), semverOf(b)) ? a : b;

/** The versions every piece of evidence allows. */
export const intersect = (ranges: VersionRange[]): VersionRange =>
  ranges.reduce<VersionRange>(
    (all, range) => withoutUndefined({ from: later(all.from, range.from), before: earlier(all.before, range.before) }),
    {},
  );

const withoutUndefined = (range: VersionRange): VersionRange =>
  Object.fromEntries(Object.entries(range).filter(([, value]) => value !== undefined));

/** The range as words: "Redis Software 8.2 or later", "6.2.18 up to before 8.2", or that no documented version fits. */
export function describeRange(range: VersionRange): string {
  const { from, before } = range;
  if (from && before && semver.gte(semverOf(from), semverOf(before)))
    return `no documented Redis Software version (the answers say both ${from} or later and before ${before})`;
  if (from && before) return `Redis Software ${from} up to before ${before}`;
  if (from) return `Redis Software ${from} or later`;
  if (before) return `Redis Software before ${before}`;
  return 'any Redis Software version';
}

/** Whether any documented version is in the range. */
export const consistent = ({ from, before }: VersionRange): boolean => !(from && before && semver.gte(semverOf(from), semverOf(before)));

const ERROR_CODES_OF_A_PATH_THAT_EXISTS = (path: string): Set<string> => {
  const codes = new Set<string>();
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object') return;
    const schema = node as Json;
    if (schema.properties?.error_code?.enum) for (const code of schema.properties.error_code.enum) codes.add(code);
    for (const value of Object.values(schema)) walk(value);
  };
  walk(dereferenced.paths[path]);
  return codes;
};

/**
 * What one exchange with a cluster says of its version, from the annotations alone:
 * - any answer from the contract's path, but a 404 with none of its error codes, means the path
 *   exists (its x-introduced-in or later); such a 404 means it does not (before that);
 * - a versioned field in a 2xx answer means the version has it;
 * - a PUT whose versioned fields were accepted means the version has them; one refused with
 *   invalid_schema, once the proxy found it valid against the contract, means it has not
 *   (a cluster refuses a field it does not know with invalid_schema).
 */
export function evidenceOf(exchange: {
  method: string;
  path: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}): VersionEvidence[] {
  const path = exchange.path.split('?')[0]!;
  if (!(path in spec.paths) || exchange.status === 0) return [];
  const found: VersionEvidence[] = [];
  const say = (why: string, range: VersionRange) => found.push({ ...pick(exchange), why, range: withoutUndefined(range) });
  const body = isObject(exchange.responseBody) ? exchange.responseBody : undefined;
  const errorCode = typeof body?.error_code === 'string' ? body.error_code : undefined;
  const pathLife = pathLifetime(path);
  if (exchange.status === 404 && !(errorCode && ERROR_CODES_OF_A_PATH_THAT_EXISTS(path).has(errorCode))) {
    if (pathLife.introducedIn) say(`the path answers 404 (x-introduced-in ${pathLife.introducedIn})`, { before: pathLife.introducedIn });
    return found;
  }
  if (pathLife.introducedIn || pathLife.removedIn)
    say(`the path exists${pathLife.introducedIn ? ` (x-introduced-in ${pathLife.introducedIn})` : ''}`, {
      from: pathLife.introducedIn,
      before: pathLife.removedIn,
    });
  const ok = exchange.status >= 200 && exchange.status < 300;
  if (ok && body) {
    for (const [name, lifetime] of Object.entries(fieldLifetimes('DbConnsAuditingConfig'))) {
      if (name in body && (lifetime.introducedIn || lifetime.removedIn))
        say(`the answer carries ${name}${annotated(lifetime)}`, { from: lifetime.introducedIn, before: lifetime.removedIn });
    }
  }
  const sent = exchange.method.toUpperCase() === 'PUT' && isObject(exchange.requestBody) ? exchange.requestBody : undefined;
  if (sent) {
    for (const [name, lifetime] of Object.entries(fieldLifetimes('DbConnsAuditingConfigUpdate'))) {
      if (!(name in sent) || !(lifetime.introducedIn || lifetime.removedIn)) continue;
      if (ok) say(`a PUT with ${name} was accepted${annotated(lifetime)}`, { from: lifetime.introducedIn, before: lifetime.removedIn });
      else if (exchange.status === 400 && errorCode === 'invalid_schema' && lifetime.introducedIn)
        say(`a PUT with ${name} was refused with invalid_schema${annotated(lifetime)}`, { before: lifetime.introducedIn });
    }
  }
  return found;
}

const annotated = (lifetime: Lifetime) => {
  const parts = [
    lifetime.introducedIn && `x-introduced-in ${lifetime.introducedIn}`,
    lifetime.removedIn && `x-removed-in ${lifetime.removedIn}`,
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
};

const pick = ({ method, path, status }: { method: string; path: string; status: number }) => ({ method, path, status });
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
