// Type tests, checked by tsc (test/unit/typecheck.test.ts), never run.
import type { components, operations, paths } from '../../generated/schema.d.ts';
import type { PATH } from '../support/facts.ts';

type Config = components['schemas']['DbConnsAuditingConfig'];
type Update = components['schemas']['DbConnsAuditingConfigUpdate'];

// Every field, each with a value of its type, is accepted (the spec's examples are checked
// against the schema at run time, in test/unit/spec.test.ts).
export const everyField: Update = {
  audit_protocol: 'TCP',
  audit_address: 'audit.example.com',
  audit_port: 6000,
  audit_reconnect_interval: 5,
  audit_reconnect_max_attempts: 3,
  audit_queue_max_bytes: 1_048_576,
};
export const returned: Config = everyField;
// A partial update is a valid update; the 8.2 field is optional when reading.
export const partial: Update = { audit_port: 12346 };
export const olderCluster: Config = { audit_protocol: 'local', audit_address: '/var/opt/redislabs/run/db-audit.sock' };

// @ts-expect-error the protocol is TCP or local, in that case
export const wrongProtocol: Update = { audit_protocol: 'tcp' };
// @ts-expect-error the port is a number, not a string
export const stringPort: Update = { audit_port: '12345' };
// @ts-expect-error an update takes no unknown field
export const unknownField: Update = { audit_format: 'json' };

// Error codes are literal unions, per response.
type DeleteRefusedCode = operations['deleteDbConnsAuditingConfig']['responses']['default']['content']['application/json']['error_code'];
export const refused: DeleteRefusedCode = 'cannot_delete_audit_config_when_bdb_enabled';
// @ts-expect-error not a code DELETE's default response documents
export const notRefused: DeleteRefusedCode = 'db_conns_audit_config_not_found';

// The path is typed with all three methods.
export type Methods = keyof Pick<paths[typeof PATH], 'get' | 'put' | 'delete'>;
