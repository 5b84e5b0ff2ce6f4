// Type tests, checked by tsc (test/typecheck.test.ts), never run.
import type { components, operations, paths } from '../../generated/schema.d.ts';
import { PAGE_REQUEST_EXAMPLE, PAGE_RESPONSE_EXAMPLE } from '../support/page.ts';

type Config = components['schemas']['DbConnsAuditingConfig'];
type Update = components['schemas']['DbConnsAuditingConfigUpdate'];

// The reference page's bodies are accepted as they are.
export const pageResponse: Config = PAGE_RESPONSE_EXAMPLE;
export const pageRequest: Update = PAGE_REQUEST_EXAMPLE;
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
export type Methods = keyof Pick<paths['/v1/cluster/auditing/db_conns'], 'get' | 'put' | 'delete'>;
