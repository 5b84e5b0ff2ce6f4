DbConnsAuditingConfig updated;
try {
    updated = auditing.updateDbConnsAuditingConfig(new DbConnsAuditingConfigUpdate().auditPort(12345));
} catch (ApiException e) {
    if (e.getCode() == 400) {
        // The body is an InvalidConfigError: its error code is one of InvalidConfigErrorCode.
        InvalidConfigError error = InvalidConfigError.fromJson(e.getResponseBody());
        throw new IllegalArgumentException("the cluster refused the configuration: " + error.getErrorCode(), e);
    }
    throw e;
}
System.out.println("audit_port is now " + updated.getAuditPort());
