ApiClient apiClient = new ApiClient();
apiClient.setBasePath(cluster);
apiClient.setUsername(user);
apiClient.setPassword(password);
AuditingApi auditing = new AuditingApi(apiClient);

DbConnsAuditingConfig config = auditing.getDbConnsAuditingConfig();
System.out.printf("audit records go to %s:%d over %s%n",
        config.getAuditAddress(), config.getAuditPort(), config.getAuditProtocol());
