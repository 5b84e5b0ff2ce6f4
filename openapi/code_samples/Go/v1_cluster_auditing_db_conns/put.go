port := 12345
resp, err := client.UpdateDbConnsAuditingConfigWithResponse(ctx, auditing.DbConnsAuditingConfigUpdate{AuditPort: &port})
if err != nil {
	return err
}
switch {
case resp.JSON200 != nil:
	fmt.Println("audit_port is now", *resp.JSON200.AuditPort)
case resp.JSON400 != nil: // one of the documented auditing.InvalidConfigErrorCode values
	return fmt.Errorf("the cluster refused the configuration: %s", resp.JSON400.ErrorCode)
default:
	return fmt.Errorf("PUT: %s %s", resp.Status(), resp.Body)
}
