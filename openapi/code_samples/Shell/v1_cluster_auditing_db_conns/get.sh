curl --fail-with-body -sS -u "$REDIS_USER:$REDIS_PASSWORD" "$CLUSTER/v1/cluster/auditing/db_conns"
