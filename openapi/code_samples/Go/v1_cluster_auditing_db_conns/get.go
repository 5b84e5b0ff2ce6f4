basicAuth, err := securityprovider.NewSecurityProviderBasicAuth(user, password)
if err != nil {
	return err
}
client, err := auditing.NewClientWithResponses(cluster, auditing.WithRequestEditorFn(basicAuth.Intercept))
if err != nil {
	return err
}
resp, err := client.GetDbConnsAuditingConfigWithResponse(ctx)
if err != nil {
	return err
}
if resp.JSON200 == nil {
	return fmt.Errorf("GET: %s %s", resp.Status(), resp.Body)
}
config := resp.JSON200
fmt.Printf("audit records go to %s:%d over %s\n", *config.AuditAddress, *config.AuditPort, *config.AuditProtocol)
