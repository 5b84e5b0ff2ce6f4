result = update_db_conns_auditing_config.sync(client=client, body=DbConnsAuditingConfigUpdate(audit_port=12345))
if isinstance(result, InvalidConfigError):
    # result.error_code is an InvalidConfigErrorCode: one of the documented codes
    raise RuntimeError(f"the cluster refused the configuration: {result.error_code}")
if not isinstance(result, DbConnsAuditingConfig):
    raise RuntimeError(f"PUT failed: {result}")
print("audit_port is now", result.audit_port)
