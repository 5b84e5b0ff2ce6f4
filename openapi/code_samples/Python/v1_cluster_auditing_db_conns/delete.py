response = delete_db_conns_auditing_config.sync_detailed(client=client)
if response.status_code == HTTPStatus.OK:
    print("the configuration was reset")
elif isinstance(response.parsed, ConfigNotFoundError):
    print("there was no configuration to reset")
elif isinstance(response.parsed, DeleteRefusedError):
    # still in use: response.parsed.error_code (a DeleteRefusedErrorCode) says by what
    raise RuntimeError(f"the cluster refused the reset: {response.parsed.error_code}")
else:
    raise RuntimeError(f"DELETE failed: {response.status_code} {response.content!r}")
