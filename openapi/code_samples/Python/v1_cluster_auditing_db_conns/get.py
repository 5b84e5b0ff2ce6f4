# The generated client sends `Authorization: <prefix> <token>`: Basic credentials fit it.
token = base64.b64encode(f"{user}:{password}".encode()).decode()
client = AuthenticatedClient(base_url=cluster, token=token, prefix="Basic")

config = get_db_conns_auditing_config.sync(client=client)
if not isinstance(config, DbConnsAuditingConfig):
    raise RuntimeError(f"GET failed: {config}")
print(f"audit records go to {config.audit_address}:{config.audit_port} over {config.audit_protocol}")
