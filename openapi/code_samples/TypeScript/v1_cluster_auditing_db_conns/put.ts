// Checked against the spec before it is sent: a bad body throws AuditingValidationError,
// naming each field and rule; a refusal by the cluster throws AuditingApiError.
const updated = await auditing.update({ audit_port: 12345 });
console.log('audit_port is now', updated.audit_port);
