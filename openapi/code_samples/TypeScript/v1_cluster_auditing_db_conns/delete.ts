try {
  await auditing.reset();
  console.log('the configuration was reset');
} catch (error) {
  if (!isAuditingApiError(error, 'deleteDbConnsAuditingConfig') || error.errorCode !== 'db_conns_audit_config_not_found') throw error;
  console.log('there was no configuration to reset');
}
