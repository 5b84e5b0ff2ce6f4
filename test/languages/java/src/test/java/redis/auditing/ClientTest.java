package redis.auditing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.auditing.client.ApiClient;
import redis.auditing.client.ApiException;
import redis.auditing.client.api.AuditingApi;
import redis.auditing.client.api.SwitchesApi;
import redis.auditing.client.model.AccessToken;
import redis.auditing.client.model.ApiError;
import redis.auditing.client.model.AuditMode;
import redis.auditing.client.model.AuditProtocol;
import redis.auditing.client.model.AuditSettings;
import redis.auditing.client.model.AuthorizeRequest;
import redis.auditing.client.model.ConfigNotFoundError;
import redis.auditing.client.model.ConfigNotFoundErrorCode;
import redis.auditing.client.model.Database;
import redis.auditing.client.model.DbConnsAuditingConfig;
import redis.auditing.client.model.DbConnsAuditingConfigUpdate;
import redis.auditing.client.model.DeleteRefusedError;
import redis.auditing.client.model.DeleteRefusedErrorCode;
import redis.auditing.client.model.InvalidConfigError;
import redis.auditing.client.model.InvalidConfigErrorCode;

/**
 * The Java client that OpenAPI Generator's java generator writes, against the mock: each test is
 * one behaviour the README promises, in order (a stateful mock sees the reads before the reset).
 * The tests of GET, PUT and DELETE run the spec's Java code samples (openapi/code_samples/Java).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientTest {
    // The mock's address, its user and its bearer token.
    static final String cluster = System.getenv("AUDITING_URL");
    static final String user = System.getenv("REDIS_USER");
    static final String password = System.getenv("REDIS_PASSWORD");
    static final String token = System.getenv("REDIS_TOKEN");

    static AuditingApi newApi() {
        ApiClient apiClient = new ApiClient();
        apiClient.setBasePath(cluster);
        apiClient.setUsername(user);
        apiClient.setPassword(password);
        return new AuditingApi(apiClient);
    }

    /** A request to the mock's admin API (no credentials): its answer, after checking its status. */
    static String mockAdmin(String method, String path, String json, int status) throws Exception {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster + "/__mock/" + path)).method(method, body);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), method + " /__mock/" + path + ": " + response.body());
        return response.body();
    }

    /** A code sample of the spec, as Samples holds it. */
    interface Sample {
        void run() throws Exception;
    }

    /**
     * Runs one of the spec's Java code samples (a method of Samples, which npm run test:languages
     * writes from openapi/code_samples/Java) with the client given, and returns what it printed.
     */
    static String printedBy(Sample sample, AuditingApi auditing) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Samples.auditing = auditing;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            sample.run();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    @Order(1)
    void getReadsThePageExample() throws Exception {
        String printed = printedBy(Samples::getDbConnsAuditingConfig, null);
        assertEquals("audit records go to 127.0.0.1:12345 over TCP" + System.lineSeparator(), printed);
        DbConnsAuditingConfig config = newApi().getDbConnsAuditingConfig();
        assertEquals("127.0.0.1", config.getAuditAddress());
        assertEquals(12345, config.getAuditPort());
        assertEquals(AuditProtocol.TCP, config.getAuditProtocol());
        assertEquals(1, config.getAuditReconnectInterval());
        assertEquals(0, config.getAuditReconnectMaxAttempts());
    }

    @Test
    @Order(2)
    void putUpdatesThePort() throws Exception {
        AuditingApi auditing = newApi();
        auditing.updateDbConnsAuditingConfig(new DbConnsAuditingConfigUpdate().auditPort(4000));
        String printed = printedBy(Samples::updateDbConnsAuditingConfig, auditing);
        assertEquals("audit_port is now 12345" + System.lineSeparator(), printed);
        assertEquals(12345, auditing.getDbConnsAuditingConfig().getAuditPort());
    }

    @Test
    @Order(3)
    void putLocalWithAPortIsRefusedWithItsErrorCode() throws Exception {
        // The generated client sends it: the `not` rule is left to the server.
        DbConnsAuditingConfigUpdate body = new DbConnsAuditingConfigUpdate().auditProtocol(AuditProtocol.LOCAL).auditPort(12345);
        ApiException e = assertThrows(ApiException.class, () -> newApi().updateDbConnsAuditingConfig(body));
        assertEquals(400, e.getCode(), e.getResponseBody());
        // The cluster answers db_conns_auditing_bad_config; Prism's plain mock answers the first 400
        // example, invalid_schema. fromJson accepts only the documented codes.
        InvalidConfigErrorCode code = InvalidConfigError.fromJson(e.getResponseBody()).getErrorCode();
        Set<InvalidConfigErrorCode> expected =
                Set.of(InvalidConfigErrorCode.DB_CONNS_AUDITING_BAD_CONFIG, InvalidConfigErrorCode.INVALID_SCHEMA);
        assertTrue(expected.contains(code), code.toString());
    }

    @Test
    @Order(4)
    void deleteResets() throws Exception {
        // The sample prints this on a 200 only.
        String printed = printedBy(Samples::deleteDbConnsAuditingConfig, newApi());
        assertEquals("the configuration was reset" + System.lineSeparator(), printed);
    }

    @Test
    @Order(5)
    void deleteWithNothingToResetReadsTheNotFoundCode() throws Exception {
        AuditingApi auditing = newApi();
        auditing.getApiClient().addDefaultHeader("Prefer", "code=404");
        ApiException e = assertThrows(ApiException.class, auditing::deleteDbConnsAuditingConfig);
        assertEquals(404, e.getCode(), e.getResponseBody());
        ConfigNotFoundError notFound = ConfigNotFoundError.fromJson(e.getResponseBody());
        assertEquals(ConfigNotFoundErrorCode.DB_CONNS_AUDIT_CONFIG_NOT_FOUND, notFound.getErrorCode());
    }

    @Test
    @Order(6)
    void noCredentialsGet401() throws Exception {
        ApiClient anonymous = new ApiClient();
        anonymous.setBasePath(cluster);
        ApiException e = assertThrows(ApiException.class, () -> new AuditingApi(anonymous).getDbConnsAuditingConfig());
        assertEquals(401, e.getCode(), e.getResponseBody());
        ApiError.fromJson(e.getResponseBody());
    }

    @Test
    @Order(7)
    void aBearerTokenGetsIn() throws Exception {
        // A JWT from POST /v1/users/authorize: the generated HttpBearerAuth sends it.
        ApiClient apiClient = new ApiClient();
        apiClient.setBasePath(cluster);
        apiClient.setBearerToken(token);
        new AuditingApi(apiClient).getDbConnsAuditingConfig();
        apiClient.setBearerToken("not-the-token");
        ApiException e = assertThrows(ApiException.class, () -> new AuditingApi(apiClient).getDbConnsAuditingConfig());
        assertEquals(401, e.getCode(), e.getResponseBody());
    }

    @Test
    @Order(8)
    void aConfigurationWithAFieldThisClientDoesNotKnowStillParses() throws Exception {
        // A newer cluster may add fields, as 8.2 added audit_queue_max_bytes.
        DbConnsAuditingConfig config = DbConnsAuditingConfig.fromJson("{\"audit_address\":\"127.0.0.1\",\"audit_future_setting\":true}");
        assertEquals("127.0.0.1", config.getAuditAddress());
    }

    @Test
    @Order(9)
    void aClusterPolicyRefusesTheDeleteAndTheConfigurationStays() throws Exception {
        AuditingApi auditing = newApi();
        mockAdmin("POST", "reset", null, 204);
        try {
            String scenario = mockAdmin("PUT", "scenario", "{\"cluster_policy\": true}", 200);
            assertTrue(JsonParser.parseString(scenario).getAsJsonObject().get("cluster_policy").getAsBoolean(), scenario);
            ApiException e = assertThrows(ApiException.class, auditing::deleteDbConnsAuditingConfig);
            assertEquals(409, e.getCode(), e.getResponseBody());
            // The refusal is the `default` response: its body is a DeleteRefusedError.
            DeleteRefusedError refused = DeleteRefusedError.fromJson(e.getResponseBody());
            assertEquals(DeleteRefusedErrorCode.CANNOT_DELETE_AUDIT_CONFIG_WHEN_POLICY_ENABLED, refused.getErrorCode());
            auditing.getDbConnsAuditingConfig(); // the configuration stayed
            mockAdmin("PUT", "scenario", "{\"cluster_policy\": false}", 200);
            assertEquals(200, auditing.deleteDbConnsAuditingConfigWithHttpInfo().getStatusCode());
        } finally {
            mockAdmin("POST", "reset", null, 204);
        }
    }

    @Test
    @Order(10)
    void theWorkflowFromAuthorizeToDelete() throws Exception {
        // The workflow that turns auditing on, through the generated client alone: a token from
        // authorize (Basic), then, with that token, the configuration, database 1 on, DELETE refused
        // by it, database 1 off, DELETE accepted. It starts from the mock's first state.
        mockAdmin("POST", "reset", null, 204);
        try {
            AccessToken authorized = new SwitchesApi(newApi().getApiClient()).authorize(new AuthorizeRequest().ttl(600));
            assertTrue(authorized.getAccessToken() != null && !authorized.getAccessToken().isEmpty(), authorized.toString());
            // A client of its own, with no user name and password: only the bearer token goes out.
            ApiClient apiClient = new ApiClient();
            apiClient.setBasePath(cluster);
            apiClient.setBearerToken(authorized.getAccessToken());
            AuditingApi auditing = new AuditingApi(apiClient);
            SwitchesApi switches = new SwitchesApi(apiClient);
            DbConnsAuditingConfig config = auditing.updateDbConnsAuditingConfig(
                    new DbConnsAuditingConfigUpdate().auditProtocol(AuditProtocol.TCP).auditAddress("10.0.0.9").auditPort(2000));
            assertEquals(2000, config.getAuditPort());
            Database on = switches.updateDatabase(1, new Database().auditSettings(new AuditSettings().auditMode(AuditMode.CONNECTION)));
            assertEquals(AuditMode.CONNECTION, on.getAuditSettings().getAuditMode());
            ApiException e = assertThrows(ApiException.class, auditing::deleteDbConnsAuditingConfig);
            assertEquals(409, e.getCode(), e.getResponseBody());
            // The refusal is the `default` response: its body is a DeleteRefusedError.
            DeleteRefusedError refused = DeleteRefusedError.fromJson(e.getResponseBody());
            assertEquals(DeleteRefusedErrorCode.CANNOT_DELETE_AUDIT_CONFIG_WHEN_BDB_ENABLED, refused.getErrorCode());
            Database off = switches.updateDatabase(1, new Database().auditSettings(new AuditSettings().auditMode(AuditMode.DISABLED)));
            assertEquals(AuditMode.DISABLED, off.getAuditSettings().getAuditMode());
            assertEquals(200, auditing.deleteDbConnsAuditingConfigWithHttpInfo().getStatusCode());
        } finally {
            mockAdmin("POST", "reset", null, 204);
        }
    }

    @Test
    @Order(11)
    void modelsAreNamedAfterTheComponents() {
        File dir = new File("target/generated-sources/openapi/src/main/java/redis/auditing/client/model");
        Set<String> models = Arrays.stream(dir.list())
                .map(name -> name.replace(".java", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        models.remove("AbstractOpenApiSchema"); // the generator's own base class
        assertEquals(new TreeSet<>(List.of("ApiError", "AuditProtocol", "CapabilityErrorCode", "CapabilityUnsupportedError",
                "ConfigNotFoundError", "ConfigNotFoundErrorCode", "DbConnsAuditingConfig", "DbConnsAuditingConfigUpdate",
                "DeleteRefusedError", "DeleteRefusedErrorCode", "InvalidConfigError", "InvalidConfigErrorCode",
                "LocalProtocolWithPort",
                // The audit records, components the docs page shows: the union AuditRecord and its parts.
                "AuditRecord", "NewConnRecord", "NewIntConnRecord", "CloseConnRecord", "AuthRecord", "CommandRecord", "AuditConnection",
                "AuthStatus",
                "CommandStatus",
                // The switches that turn auditing on, described in part.
                "ClusterPolicy", "Database", "AuditSettings", "AuditMode", "UsernameFilter", "SourceIpFilter", "FilterType",
                "DatabaseUpdateError", "DatabaseUpdateErrorCode", "ClusterSettings", "AuthorizeRequest", "AccessToken")), models);
        Set<String> protocols = Arrays.stream(AuditProtocol.values()).map(AuditProtocol::getValue).collect(Collectors.toSet());
        assertEquals(Set.of("TCP", "local"), protocols);
    }
}
