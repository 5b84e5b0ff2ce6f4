try {
    auditing.deleteDbConnsAuditingConfig(); // 200: reset
    System.out.println("the configuration was reset");
} catch (ApiException e) {
    if (e.getCode() != 404) {
        throw e; // a DeleteRefusedError (still in use) or a CapabilityUnsupportedError
    }
    ConfigNotFoundError notFound = ConfigNotFoundError.fromJson(e.getResponseBody());
    System.out.println("there was no configuration to reset: " + notFound.getErrorCode());
}
