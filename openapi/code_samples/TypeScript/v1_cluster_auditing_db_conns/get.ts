const auditing = createAuditingClient({ baseUrl: cluster, username: user, password });
const config = await auditing.get(); // a DbConnsAuditingConfig
console.log(`audit records go to ${config.audit_address}:${config.audit_port} over ${config.audit_protocol}`);
