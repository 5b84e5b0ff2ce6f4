resp, err := client.DeleteDbConnsAuditingConfigWithResponse(ctx)
if err != nil {
	return err
}
switch {
case resp.StatusCode() == http.StatusOK:
	fmt.Println("the configuration was reset")
case resp.JSON404 != nil && resp.JSON404.ErrorCode == auditing.DbConnsAuditConfigNotFound:
	fmt.Println("there was no configuration to reset")
case resp.JSONDefault != nil: // still in use: auditing.DeleteRefusedErrorCode says by what
	return fmt.Errorf("the cluster refused the reset: %s", resp.JSONDefault.ErrorCode)
default:
	return fmt.Errorf("DELETE: %s %s", resp.Status(), resp.Body)
}
