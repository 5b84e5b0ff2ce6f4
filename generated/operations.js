// Generated from the spec by scripts/build.ts: do not edit.
export const operations = {
  "getDbConnsAuditingConfig": {
    "method": "GET",
    "path": "/v1/cluster/auditing/db_conns",
    "successBody": true,
    "errorCodes": [
      "db_conns_auditing_unsupported_by_capability"
    ]
  },
  "updateDbConnsAuditingConfig": {
    "method": "PUT",
    "path": "/v1/cluster/auditing/db_conns",
    "successBody": true,
    "errorCodes": [
      "invalid_schema",
      "db_conns_auditing_bad_config",
      "db_conns_auditing_missing_config",
      "db_conns_auditing_bad_address",
      "db_conns_auditing_unsupported_by_capability"
    ]
  },
  "deleteDbConnsAuditingConfig": {
    "method": "DELETE",
    "path": "/v1/cluster/auditing/db_conns",
    "successBody": false,
    "errorCodes": [
      "db_conns_audit_config_not_found",
      "db_conns_auditing_unsupported_by_capability",
      "cannot_delete_audit_config_when_policy_enabled",
      "cannot_delete_audit_config_when_bdb_enabled"
    ]
  }
};
