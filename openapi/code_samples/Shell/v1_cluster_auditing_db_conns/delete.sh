# 200 and no body: reset; 404 with db_conns_audit_config_not_found: nothing to reset
curl --fail-with-body -sS -u "$REDIS_USER:$REDIS_PASSWORD" -X DELETE -w '%{http_code}\n' "$CLUSTER/v1/cluster/auditing/db_conns"
