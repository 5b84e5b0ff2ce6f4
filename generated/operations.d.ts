// Generated from the spec by scripts/build.ts: do not edit.
export declare const operations: {
  readonly getDbConnsAuditingConfig: {
    readonly method: "GET";
    readonly path: "/v1/cluster/auditing/db_conns";
    readonly successBody: true;
    readonly errorCodes: readonly ["db_conns_auditing_unsupported_by_capability"];
  };
  readonly updateDbConnsAuditingConfig: {
    readonly method: "PUT";
    readonly path: "/v1/cluster/auditing/db_conns";
    readonly successBody: true;
    readonly errorCodes: readonly ["invalid_schema", "db_conns_auditing_bad_config", "db_conns_auditing_missing_config", "db_conns_auditing_bad_address", "db_conns_auditing_unsupported_by_capability"];
  };
  readonly deleteDbConnsAuditingConfig: {
    readonly method: "DELETE";
    readonly path: "/v1/cluster/auditing/db_conns";
    readonly successBody: false;
    readonly errorCodes: readonly ["db_conns_audit_config_not_found", "db_conns_auditing_unsupported_by_capability", "cannot_delete_audit_config_when_policy_enabled", "cannot_delete_audit_config_when_bdb_enabled"];
  };
};
