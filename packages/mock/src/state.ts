/**
 * The mock's whole state, in one module: the stored configuration, the scenario, the faults, the
 * request log, the audit sender with its records and the key its tokens are signed with. The contract's side (cluster.ts), the admin
 * API (admin.ts) and the request pipeline (core.ts) read and change it; none keeps state of its
 * own. Its shapes are the admin document's (admin-api.ts is generated from admin.openapi.yaml).
 */
import type { components } from './admin-api.js';
import { createRecordSource } from './audit-records.js';
import { AuditSender, type Destination } from './audit-sender.js';
import { audits, type Database, newDatabase, switchAuditing } from './databases.js';
import { dereferenced } from './prism.js';
import { type SigningKey, newSigningKey } from './tokens.js';

type Schemas = components['schemas'];
export type Scenario = Schemas['Scenario'];
export type ScenarioUpdate = Schemas['ScenarioUpdate'];
export type Faults = Schemas['Faults'];
export type FaultsUpdate = Schemas['FaultsUpdate'];
export type Exchange = Schemas['Exchange'];
export type Violation = Schemas['Violation'];
export type AuditStats = Schemas['AuditStats'];
export type ConnectionsRequest = Schemas['ConnectionsRequest'];

export type Configuration = Record<string, unknown>;

/** The databases at the start and after a reset: one, auditing nothing, as a new database does. */
export const defaultDatabases = (): Map<number, Database> => new Map([[1, newDatabase(1, 'mock-db')]]);

/** The scenario at the start and after a reset: the version is the one the mock was started with. */
export const defaultScenario = (redisVersion: string): Scenario => ({
  cluster_policy: false,
  database_auditing: false,
  capability: true,
  basic_auth: true,
  redis_version: redisVersion,
});
export const noFaults = (): Faults => ({ latency_ms: 0, fail: { status: 503, count: 0 }, reset_connection: { count: 0 } });

export class MockState {
  scenario: Scenario;
  faults = noFaults();
  /** Every exchange on the contract's paths, oldest first. */
  readonly requests: Exchange[] = [];
  /** The stored configuration: the reference page's example until a request first reads it; null after a DELETE. */
  configuration: Configuration | null | 'page example' = 'page example';
  audit: AuditSender;
  records = createRecordSource();
  /**
   * The key the bearer tokens of `POST /v1/users/authorize` are signed with: made with the mock,
   * and kept by a reset, as a cluster's tokens outlive a change of its settings.
   */
  readonly signingKey: SigningKey = newSigningKey();

  /** The cluster's databases, by uid: `PUT /v1/bdbs/{uid}` changes them, the records follow them. */
  databases = defaultDatabases();

  constructor(private readonly options: { auditAnyHost: boolean; redisVersion: string }) {
    this.scenario = this.linked(defaultScenario(options.redisVersion));
    this.audit = new AuditSender({ anyHost: options.auditAnyHost });
  }

  /** Stores what a PUT made, or null after a DELETE: the audit sender follows it. */
  store(configuration: Configuration | null): void {
    this.configuration = configuration;
    this.audit.configure(destinationOf(configuration));
  }

  /** Everything back to the start: configuration, scenario, faults, log, the audit connection. */
  reset(): void {
    this.databases = defaultDatabases();
    this.scenario = this.linked(defaultScenario(this.options.redisVersion));
    this.faults = noFaults();
    this.requests.length = 0;
    this.configuration = 'page example';
    // A fresh sender: no connection, its metrics at 0, audit_seq from 0 again.
    this.audit.close();
    this.audit = new AuditSender({ anyHost: this.options.auditAnyHost });
    this.records = createRecordSource();
  }

  /** Whether any database audits its connections: DELETE is then refused. */
  anyDatabaseAudits(): boolean {
    return [...this.databases.values()].some(audits);
  }

  /**
   * The scenario, its `database_auditing` a shortcut onto database 1: reading it tells whether
   * database 1 audits, setting it switches database 1 (as `PUT /v1/bdbs/1` would, without the
   * configuration check: a scenario states what the cluster is in).
   */
  private linked(scenario: Scenario): Scenario {
    const databases = () => this.databases;
    Object.defineProperty(scenario, 'database_auditing', {
      enumerable: true,
      get: () => {
        const first = databases().get(1);
        return first ? audits(first) : false;
      },
      set: (on: boolean) => {
        const first = databases().get(1);
        if (first) switchAuditing(first, on);
      },
    });
    return scenario;
  }

  /** Closes the audit connection: nothing of the mock is left running. */
  close(): void {
    this.audit.close();
  }
}

/** Where a stored configuration says the records go, with its limits; the defaults are the spec's. */
function destinationOf(config: Configuration | null): Destination | null {
  if (!config || typeof config.audit_address !== 'string') return null;
  const defaults = (name: string) =>
    (dereferenced.components.schemas?.DbConnsAuditingConfig?.properties?.[name] as { default?: number } | undefined)?.default;
  const number = (name: string) => (typeof config[name] === 'number' ? (config[name] as number) : (defaults(name) ?? 0));
  return {
    protocol: config.audit_protocol === 'local' ? 'local' : 'TCP',
    address: config.audit_address,
    ...(typeof config.audit_port === 'number' ? { port: config.audit_port } : {}),
    reconnectIntervalSeconds: number('audit_reconnect_interval'),
    reconnectMaxAttempts: number('audit_reconnect_max_attempts'),
    queueMaxBytes: number('audit_queue_max_bytes'),
  };
}
