curl --fail-with-body -sS -u "$REDIS_USER:$REDIS_PASSWORD" -X PUT -H 'Content-Type: application/json' \
  -d '{"audit_port": 12345}' "$CLUSTER/v1/cluster/auditing/db_conns"
