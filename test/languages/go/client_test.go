// The Go client that oapi-codegen generates from openapi.3.0.json, against the mock: each
// test is one behaviour the docs promise. The tests of GET, PUT and DELETE run the spec's Go
// code samples (openapi/code_samples/Go), which npm run test:languages writes into samples_test.go.
package auditing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/securityprovider"

	"redis-software-auditing-db-conns/test/languages/go/auditing"
)

// The mock's address, its user and its bearer token.
var (
	cluster  = os.Getenv("AUDITING_URL")
	user     = os.Getenv("REDIS_USER")
	password = os.Getenv("REDIS_PASSWORD")
	jwt      = os.Getenv("REDIS_TOKEN")
	ctx      = context.Background()
)

func newClient(t *testing.T, opts ...auditing.ClientOption) *auditing.ClientWithResponses {
	t.Helper()
	basicAuth, err := securityprovider.NewSecurityProviderBasicAuth(user, password)
	if err != nil {
		t.Fatal(err)
	}
	client, err := auditing.NewClientWithResponses(cluster, append(opts, auditing.WithRequestEditorFn(basicAuth.Intercept))...)
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// runSample runs the spec's Go code sample of an operation (samples_test.go, which
// npm run test:languages writes from openapi/code_samples/Go) with the client given, fails the
// test with the error it returned, and returns what it printed.
func runSample(t *testing.T, operationID string, client *auditing.ClientWithResponses) string {
	t.Helper()
	sample, ok := samples[operationID]
	if !ok {
		t.Fatalf("no Go code sample of %s", operationID)
	}
	read, write, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = write
	err = sample(client)
	os.Stdout = stdout
	write.Close()
	printed, _ := io.ReadAll(read)
	if err != nil {
		t.Fatalf("the %s sample: %v", operationID, err)
	}
	return string(printed)
}

func TestGetReadsThePageExample(t *testing.T) {
	if printed, want := runSample(t, "getDbConnsAuditingConfig", nil), "audit records go to 127.0.0.1:12345 over TCP\n"; printed != want {
		t.Fatalf("the GET sample printed %q, want %q", printed, want)
	}
	resp, err := newClient(t).GetDbConnsAuditingConfigWithResponse(ctx)
	if err != nil || resp.JSON200 == nil {
		t.Fatalf("GET: %v %v", resp, err)
	}
	want := auditing.DbConnsAuditingConfig{
		AuditAddress: ptr("127.0.0.1"), AuditPort: ptr(12345), AuditProtocol: ptr(auditing.TCP),
		AuditReconnectInterval: ptr(1), AuditReconnectMaxAttempts: ptr(0),
	}
	if got, wanted := fmt.Sprint(deref(*resp.JSON200)), fmt.Sprint(deref(want)); got != wanted {
		t.Fatalf("GET body: got %s, want the page's example %s", got, wanted)
	}
}

func TestPutUpdatesThePort(t *testing.T) {
	client := newClient(t)
	other := 4000
	if resp, err := client.UpdateDbConnsAuditingConfigWithResponse(ctx, auditing.DbConnsAuditingConfigUpdate{AuditPort: &other}); err != nil || resp.JSON200 == nil {
		t.Fatalf("PUT audit_port 4000: %v %v", resp, err)
	}
	if printed, want := runSample(t, "updateDbConnsAuditingConfig", client), "audit_port is now 12345\n"; printed != want {
		t.Fatalf("the PUT sample printed %q, want %q", printed, want)
	}
	resp, err := client.GetDbConnsAuditingConfigWithResponse(ctx)
	if err != nil || resp.StatusCode() != http.StatusOK || *resp.JSON200.AuditPort != 12345 {
		t.Fatalf("GET after the PUT sample: got %v %v, want 200 with audit_port 12345", resp, err)
	}
}

func TestPutLocalWithAPortIsRefusedWithItsErrorCode(t *testing.T) {
	client := newClient(t)
	local, port := auditing.Local, 12345
	// The generated client sends it: the `not` rule is left to the server.
	body := auditing.DbConnsAuditingConfigUpdate{AuditProtocol: &local, AuditPort: &port}
	resp, err := client.UpdateDbConnsAuditingConfigWithResponse(ctx, body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusBadRequest || resp.JSON400 == nil {
		t.Fatalf("PUT local with a port: got %s %s, want 400 with an InvalidConfigError body", resp.Status(), resp.Body)
	}
	// The cluster answers db_conns_auditing_bad_config; Prism's plain mock answers the first
	// 400 example, invalid_schema. Both are documented codes of the generated enum.
	code := resp.JSON400.ErrorCode
	if !code.Valid() || !slices.Contains([]auditing.InvalidConfigErrorCode{auditing.DbConnsAuditingBadConfig, auditing.InvalidSchema}, code) {
		t.Fatalf("400 error_code: got %q, want db_conns_auditing_bad_config or invalid_schema", code)
	}
}

func TestDeleteResets(t *testing.T) {
	if printed, want := runSample(t, "deleteDbConnsAuditingConfig", newClient(t)), "the configuration was reset\n"; printed != want {
		t.Fatalf("the DELETE sample printed %q, want %q (a 200)", printed, want)
	}
}

func TestDeleteWithNothingToResetReadsTheNotFoundCode(t *testing.T) {
	client := newClient(t)
	prefer404 := func(_ context.Context, req *http.Request) error {
		req.Header.Set("Prefer", "code=404")
		return nil
	}
	resp, err := client.DeleteDbConnsAuditingConfigWithResponse(ctx, prefer404)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusNotFound || resp.JSON404 == nil || resp.JSON404.ErrorCode != auditing.DbConnsAuditConfigNotFound {
		t.Fatalf("DELETE with Prefer: code=404: got %s %s, want 404 with db_conns_audit_config_not_found", resp.Status(), resp.Body)
	}
}

func TestAClusterPolicyRefusesTheDeleteAndTheConfigurationStays(t *testing.T) {
	client := newClient(t)
	mockAdmin(t, http.MethodPost, "reset", "", http.StatusNoContent)
	defer mockAdmin(t, http.MethodPost, "reset", "", http.StatusNoContent)
	if scenario := mockAdmin(t, http.MethodPut, "scenario", `{"cluster_policy": true}`, http.StatusOK); scenario["cluster_policy"] != true {
		t.Fatalf("PUT /__mock/scenario: got %v, want cluster_policy true", scenario)
	}
	resp, err := client.DeleteDbConnsAuditingConfigWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The refusal is the `default` response: JSONDefault, a DeleteRefusedError.
	if resp.StatusCode() != http.StatusConflict || resp.JSONDefault == nil ||
		resp.JSONDefault.ErrorCode != auditing.CannotDeleteAuditConfigWhenPolicyEnabled {
		t.Fatalf("DELETE with the policy on: got %s %s, want 409 with cannot_delete_audit_config_when_policy_enabled", resp.Status(), resp.Body)
	}
	if get, err := client.GetDbConnsAuditingConfigWithResponse(ctx); err != nil || get.JSON200 == nil {
		t.Fatalf("GET after the refused DELETE: got %v %v, want the configuration still there", get, err)
	}
	mockAdmin(t, http.MethodPut, "scenario", `{"cluster_policy": false}`, http.StatusOK)
	if resp, err := client.DeleteDbConnsAuditingConfigWithResponse(ctx); err != nil || resp.StatusCode() != http.StatusOK {
		t.Fatalf("DELETE with the policy off: got %v %v, want 200", resp, err)
	}
}

// The workflow that turns auditing on, through the generated client alone: a token from authorize
// (Basic), then, with that token, the configuration, database 1 on, DELETE refused by it, database 1
// off, DELETE accepted. It starts from the mock's first state, whatever ran before.
func TestTheWorkflowFromAuthorizeToDelete(t *testing.T) {
	mockAdmin(t, http.MethodPost, "reset", "", http.StatusNoContent)
	defer mockAdmin(t, http.MethodPost, "reset", "", http.StatusNoContent)
	authorized, err := newClient(t).AuthorizeWithResponse(ctx, auditing.AuthorizeRequest{Ttl: ptr(600)})
	if err != nil || authorized.JSON200 == nil || authorized.JSON200.AccessToken == "" {
		t.Fatalf("POST /v1/users/authorize: got %v %v, want 200 with an access_token", authorized, err)
	}
	bearer, err := securityprovider.NewSecurityProviderBearerToken(authorized.JSON200.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	client, err := auditing.NewClientWithResponses(cluster, auditing.WithRequestEditorFn(bearer.Intercept))
	if err != nil {
		t.Fatal(err)
	}
	config := auditing.DbConnsAuditingConfigUpdate{AuditProtocol: ptr(auditing.TCP), AuditAddress: ptr("10.0.0.9"), AuditPort: ptr(2000)}
	if resp, err := client.UpdateDbConnsAuditingConfigWithResponse(ctx, config); err != nil || resp.JSON200 == nil || *resp.JSON200.AuditPort != 2000 {
		t.Fatalf("PUT the configuration: got %v %v, want 200 with audit_port 2000", resp, err)
	}
	setMode := func(mode auditing.AuditMode) {
		t.Helper()
		resp, err := client.UpdateDatabaseWithResponse(ctx, 1, auditing.Database{AuditSettings: &auditing.AuditSettings{AuditMode: &mode}})
		if err != nil || resp.JSON200 == nil || resp.JSON200.AuditSettings == nil || *resp.JSON200.AuditSettings.AuditMode != mode {
			t.Fatalf("PUT /v1/bdbs/1 audit_mode %s: got %v %v, want 200 with that mode", mode, resp, err)
		}
	}
	setMode(auditing.Connection)
	refused, err := client.DeleteDbConnsAuditingConfigWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The refusal is the `default` response: JSONDefault, a DeleteRefusedError.
	if refused.StatusCode() != http.StatusConflict || refused.JSONDefault == nil ||
		refused.JSONDefault.ErrorCode != auditing.CannotDeleteAuditConfigWhenBdbEnabled {
		t.Fatalf("DELETE with database 1 on: got %s %s, want 409 with cannot_delete_audit_config_when_bdb_enabled", refused.Status(), refused.Body)
	}
	setMode(auditing.Disabled)
	if resp, err := client.DeleteDbConnsAuditingConfigWithResponse(ctx); err != nil || resp.StatusCode() != http.StatusOK {
		t.Fatalf("DELETE with database 1 off: got %v %v, want 200", resp, err)
	}
}

// A JWT from POST /v1/users/authorize, as a cluster whose Basic authentication is off needs:
// the generated client's bearer security provider sends it.
func TestABearerTokenGetsIn(t *testing.T) {
	for _, c := range []struct {
		token  string
		status int
	}{{jwt, http.StatusOK}, {"not-the-token", http.StatusUnauthorized}} {
		bearer, err := securityprovider.NewSecurityProviderBearerToken(c.token)
		if err != nil {
			t.Fatal(err)
		}
		client, err := auditing.NewClientWithResponses(cluster, auditing.WithRequestEditorFn(bearer.Intercept))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := client.GetDbConnsAuditingConfigWithResponse(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode() != c.status || (c.status == http.StatusOK) != (resp.JSON200 != nil) {
			t.Fatalf("GET with the bearer token %q: got %s %s, want %d", c.token, resp.Status(), resp.Body, c.status)
		}
	}
}

func TestNoCredentialsGet401(t *testing.T) {
	client, err := auditing.NewClientWithResponses(cluster)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.GetDbConnsAuditingConfigWithResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusUnauthorized || resp.JSON401 == nil {
		t.Fatalf("GET without credentials: got %s %s, want 401 with an ApiError body", resp.Status(), resp.Body)
	}
}

func TestAConfigurationWithAFieldThisClientDoesNotKnowStillParses(t *testing.T) {
	// A newer cluster may add fields, as 8.2 added audit_queue_max_bytes.
	var config auditing.DbConnsAuditingConfig
	if err := json.Unmarshal([]byte(`{"audit_address":"127.0.0.1","audit_future_setting":true}`), &config); err != nil {
		t.Fatal(err)
	}
	if config.AuditAddress == nil || *config.AuditAddress != "127.0.0.1" {
		t.Fatalf("audit_address: got %v", config.AuditAddress)
	}
}

// The generated types are named after the spec's components, and none is anonymous.
func TestModelsAreNamedAfterTheComponents(t *testing.T) {
	// These compile only if the generated package has them, the enums with their values.
	_ = []any{auditing.DbConnsAuditingConfig{}, auditing.DbConnsAuditingConfigUpdate{}, auditing.ApiError{},
		auditing.InvalidConfigError{}, auditing.ConfigNotFoundError{}, auditing.DeleteRefusedError{}, auditing.CapabilityUnsupportedError{},
		auditing.LocalProtocolWithPort{}}
	if protocols := []auditing.AuditProtocol{auditing.TCP, auditing.Local}; string(protocols[0]) != "TCP" || string(protocols[1]) != "local" {
		t.Errorf("AuditProtocol values: got %v, want TCP and local", protocols)
	}
	_ = []any{auditing.InvalidSchema, auditing.DbConnsAuditConfigNotFound, auditing.CannotDeleteAuditConfigWhenBdbEnabled,
		auditing.DbConnsAuditingUnsupportedByCapability}

	file, err := parser.ParseFile(token.NewFileSet(), "auditing/auditing.gen.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	anonymous := regexp.MustCompile(`^(Inline|Model\d)|\d$`)
	for _, decl := range file.Decls {
		if decl, ok := decl.(*ast.GenDecl); ok && decl.Tok == token.TYPE {
			for _, spec := range decl.Specs {
				if name := spec.(*ast.TypeSpec).Name.Name; anonymous.MatchString(name) {
					t.Errorf("generated type %s has an anonymous or numbered name", name)
				}
			}
		}
	}
}

// mockAdmin sends a request to the mock's admin API (no credentials) and returns its JSON answer, if any.
func mockAdmin(t *testing.T, method, path, body string, status int) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, cluster+"/__mock/"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var answer map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&answer); resp.StatusCode != status || (err != nil && status != http.StatusNoContent) {
		t.Fatalf("%s /__mock/%s: got %d (%v), want %d", method, path, resp.StatusCode, err, status)
	}
	return answer
}

func ptr[T any](value T) *T { return &value }

// deref prints a configuration's values rather than its pointers.
func deref(c auditing.DbConnsAuditingConfig) string {
	show := func(value any) string { return fmt.Sprintf("%v", value) }
	return fmt.Sprintf("address=%s port=%s protocol=%s interval=%s attempts=%s", show(val(c.AuditAddress)), show(val(c.AuditPort)),
		show(val(c.AuditProtocol)), show(val(c.AuditReconnectInterval)), show(val(c.AuditReconnectMaxAttempts)))
}

func val[T any](p *T) any {
	if p == nil {
		return "<absent>"
	}
	return *p
}
