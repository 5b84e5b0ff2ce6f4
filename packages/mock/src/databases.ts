/**
 * The databases' rules: what `PUT /v1/bdbs/{uid}` may change, with the error code of each rule,
 * what `GET` answers, and which records a database sends. The state itself (the databases) is
 * MockState's; this module only reads and computes.
 *
 * Wherever the spec states a rule, the rule is read from it: the defaults of `audit_settings`,
 * the error code of a keyword (`x-error-codes`), the limits (`maxItems`, `x-max-entries`), and
 * which "configuration missing" code a version has (`x-enum-versions`). What a schema cannot
 * state (a rule on the merged result, an address's syntax) is here, with the code its
 * description gives.
 */
import { BlockList, isIP } from 'node:net';
import { dereferenced, type Input, type Validation } from './prism.js';
import { describeProblems } from './problems.js';
import { has, lifetimeOf } from './versions.js';

type Json = Record<string, any>;

export type AuditMode = 'disabled' | 'connection' | 'connection_and_crud';
export interface UsernameFilter {
  enabled: boolean;
  usernames: string[];
  filter_type: 'inclusive' | 'exclusive';
  allow_while_username_unknown: boolean;
}
export interface SourceIpFilter {
  enabled: boolean;
  ip_addresses: string[];
  cidr_ranges: string[];
  filter_type: 'inclusive' | 'exclusive';
}
export interface AuditSettings {
  audit_mode: AuditMode;
  username_filter: UsernameFilter;
  source_ip_filter: SourceIpFilter;
  max_total_key_bytes: number;
}
/** A database as the mock keeps it: `db_conns_auditing` is not stored, it is `audit_mode` not `disabled`. */
export interface Database {
  uid: number;
  name: string;
  audit_settings: AuditSettings;
}

const schemas = dereferenced.components.schemas as Record<string, Json>;

/** The defaults a schema gives, whole: a property's `default`, an object's properties' defaults, an empty list. */
function defaultsOf(schema: Json): unknown {
  if (schema.default !== undefined) return structuredClone(schema.default);
  if (schema.type === 'array') return [];
  if (schema.properties)
    return Object.fromEntries(
      Object.entries(schema.properties as Record<string, Json>)
        .map(([name, property]) => [name, defaultsOf(property)])
        .filter(([, value]) => value !== undefined),
    );
  return undefined;
}

/** A database as a new one is: its audit settings the spec's defaults (`audit_mode` disabled). */
export const newDatabase = (uid: number, name: string): Database => ({
  uid,
  name,
  audit_settings: defaultsOf(schemas.AuditSettings!) as AuditSettings,
});

/** What `GET`/`PUT /v1/bdbs/{uid}` answer, before the version's fields are picked. */
export const databaseAnswer = (database: Database) => ({
  uid: database.uid,
  name: database.name,
  db_conns_auditing: audits(database),
  audit_settings: structuredClone(database.audit_settings),
});

export const audits = (database: Database): boolean => database.audit_settings.audit_mode !== 'disabled';

/** The scenario's `database_auditing` shortcut: on is `connection` unless the database audits already. */
export function switchAuditing(database: Database, on: boolean): void {
  if (on && !audits(database)) database.audit_settings.audit_mode = 'connection';
  if (!on) database.audit_settings.audit_mode = 'disabled';
}

export type DatabaseRefusal = { error_code: string; description: string };

/**
 * The 400 of a body Prism found invalid: the code `x-error-codes` gives the broken keyword where
 * every finding has the same one (a list of 513 user names: audit_settings_filter_list_too_large),
 * invalid_schema otherwise.
 */
export function invalidDatabaseUpdate(validations: Validation[], request: Input): DatabaseRefusal {
  const errors = validations.filter((validation) => validation.severity === 0);
  const codes = new Set(errors.map((problem) => errorCodeOf(problem) ?? 'invalid_schema'));
  const [only] = codes;
  return {
    error_code: codes.size === 1 && only ? only : 'invalid_schema',
    description: describeProblems(validations, request, 'the database'),
  };
}

/** The `x-error-codes` entry of the schema node a finding is about, for its keyword. */
function errorCodeOf(problem: Validation): string | undefined {
  let node: Json | undefined = schemas.Database;
  for (const step of (problem.path ?? []).slice(1)) node = typeof step === 'number' ? node?.items : node?.properties?.[step];
  return typeof problem.code === 'string' ? node?.['x-error-codes']?.[problem.code] : undefined;
}

/** The code of "auditing turned on before the configuration exists" on this version (x-enum-versions). */
export function configMissingCode(version: string): string {
  const codes = schemas.DatabaseUpdateErrorCode!;
  const code = (codes.enum as string[]).find(
    (value) => value.endsWith('_config_missing') && has(lifetimeOf(codes['x-enum-versions']?.[value]), version),
  );
  if (!code) throw new Error(`the spec gives no *_config_missing code for Redis Software ${version}`);
  return code;
}

const refusal = (error_code: string, description: string): { refusal: DatabaseRefusal } => ({ refusal: { error_code, description } });

/**
 * The database a valid `PUT /v1/bdbs/{uid}` body makes of `before`, or the rule it breaks.
 * `audit_settings` is merged into what is stored, each filter field by field; if `audit_mode`
 * and `db_conns_auditing` are both sent, `audit_mode` wins (Redis docs).
 */
export function updateDatabase(
  before: Database,
  body: { db_conns_auditing?: boolean; audit_settings?: Partial<Record<keyof AuditSettings, unknown>>; name?: string },
  context: { version: string; configured: boolean },
): { database: Database } | { refusal: DatabaseRefusal } {
  const sent = body.audit_settings ?? {};
  const stored = before.audit_settings;
  const settings: AuditSettings = {
    ...stored,
    ...(sent as Partial<AuditSettings>),
    username_filter: { ...stored.username_filter, ...(sent.username_filter as Partial<UsernameFilter> | undefined) },
    source_ip_filter: { ...stored.source_ip_filter, ...(sent.source_ip_filter as Partial<SourceIpFilter> | undefined) },
  };
  if (sent.audit_mode === undefined && body.db_conns_auditing !== undefined)
    settings.audit_mode = body.db_conns_auditing ? (stored.audit_mode === 'disabled' ? 'connection' : stored.audit_mode) : 'disabled';

  // The docs: connection_and_crud "cannot be set without connection auditing active".
  if (settings.audit_mode === 'connection_and_crud' && stored.audit_mode === 'disabled')
    return refusal(
      'invalid_schema',
      'audit_settings.audit_mode connection_and_crud cannot be set without connection auditing active: set audit_mode to connection first',
    );

  const users = settings.username_filter;
  if (users.enabled && users.usernames.length === 0)
    return refusal(
      'audit_settings_empty_filter_list',
      'audit_settings.username_filter.usernames must not be empty when the filter is enabled',
    );

  const ips = settings.source_ip_filter;
  for (const [index, address] of ips.ip_addresses.entries())
    if (isIP(address) === 0)
      return refusal(
        'audit_settings_invalid_ip_address',
        `audit_settings.source_ip_filter.ip_addresses[${index}] "${address}" is not an IPv4 or IPv6 address`,
      );
  for (const [index, range] of ips.cidr_ranges.entries())
    if (!parseCidr(range))
      return refusal(
        'audit_settings_invalid_cidr_range',
        `audit_settings.source_ip_filter.cidr_ranges[${index}] "${range}" is not a range in CIDR notation`,
      );
  const entries = ips.ip_addresses.length + ips.cidr_ranges.length;
  if (ips.enabled && entries === 0)
    return refusal(
      'audit_settings_empty_filter_list',
      'audit_settings.source_ip_filter must have at least one entry in ip_addresses or cidr_ranges when the filter is enabled',
    );
  const most = schemas.SourceIpFilter!['x-max-entries'] as number;
  if (entries > most)
    return refusal(
      'audit_settings_filter_list_too_large',
      `audit_settings.source_ip_filter must have at most ${most} entries in ip_addresses and cidr_ranges together (it has ${entries})`,
    );

  if (settings.audit_mode !== 'disabled' && !context.configured) {
    const code = configMissingCode(context.version);
    return refusal(
      code,
      `${sent.audit_mode !== undefined ? 'audit_settings.audit_mode' : 'db_conns_auditing'}: unable to enable auditing before ` +
        'feature configurations are set (PUT /v1/cluster/auditing/db_conns first)',
    );
  }
  return { database: { ...before, ...(body.name !== undefined ? { name: body.name } : {}), audit_settings: settings } };
}

/** A CIDR range as `BlockList.addSubnet` takes it, or undefined when it is not one. */
function parseCidr(text: string): { network: string; prefix: number; type: 'ipv4' | 'ipv6' } | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const family = isIP(match[1]!);
  const prefix = Number(match[2]);
  if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined;
  return { network: match[1]!, prefix, type: family === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * Whether the database sends a client's command records: only with `connection_and_crud`, and
 * as the filters let them through. Each enabled filter must let the command through; an
 * inclusive filter lets through what its list names, an exclusive one all the rest. A user name
 * not known yet passes the user name filter only with `allow_while_username_unknown`.
 */
export function auditsCommands(database: Database, client: { username: string | undefined; sourceIp: string }): boolean {
  const { audit_mode, username_filter: users, source_ip_filter: ips } = database.audit_settings;
  if (audit_mode !== 'connection_and_crud') return false;
  if (users.enabled) {
    if (client.username === undefined) {
      if (!users.allow_while_username_unknown) return false;
    } else if (users.usernames.includes(client.username) !== (users.filter_type === 'inclusive')) return false;
  }
  if (ips.enabled) {
    const list = new BlockList();
    for (const address of ips.ip_addresses) list.addAddress(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
    for (const range of ips.cidr_ranges) {
      const cidr = parseCidr(range);
      if (cidr) list.addSubnet(cidr.network, cidr.prefix, cidr.type);
    }
    const family = isIP(client.sourceIp) === 6 ? 'ipv6' : 'ipv4';
    if (list.check(client.sourceIp, family) !== (ips.filter_type === 'inclusive')) return false;
  }
  return true;
}
