# The curl sample of each operation in the docs. test/languages/typescript/samples.test.ts runs
# each one against the mock, with CLUSTER, REDIS_USER and REDIS_PASSWORD set, and checks what
# it printed. For a cluster, CLUSTER is https://<node>:9443; add --cacert cluster-ca.pem when
# its certificate is self-signed.

# sample: getDbConnsAuditingConfig
curl --fail-with-body -sS -u "$REDIS_USER:$REDIS_PASSWORD" "$CLUSTER/v1/cluster/auditing/db_conns"
# end sample

# sample: updateDbConnsAuditingConfig
curl --fail-with-body -sS -u "$REDIS_USER:$REDIS_PASSWORD" -X PUT -H 'Content-Type: application/json' \
  -d '{"audit_port": 12345}' "$CLUSTER/v1/cluster/auditing/db_conns"
# end sample

# sample: deleteDbConnsAuditingConfig
# 200 and no body: reset; 404 with db_conns_audit_config_not_found: nothing to reset
curl --fail-with-body -sS -u "$REDIS_USER:$REDIS_PASSWORD" -X DELETE -w '%{http_code}\n' "$CLUSTER/v1/cluster/auditing/db_conns"
# end sample
