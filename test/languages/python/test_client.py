"""The Python client that openapi-python-client generates from openapi.json (OpenAPI 3.1), against
the mock: each test is one behaviour the docs promise. The tests of GET, PUT and DELETE run the
spec's Python code samples (openapi/code_samples/Python), whose paths CODE_SAMPLES holds."""

import base64
import json
import os
import re
import runpy
from http import HTTPStatus

import httpx
from auditing_client import AuthenticatedClient, Client, models
from auditing_client.api.auditing import (
    delete_db_conns_auditing_config,
    get_db_conns_auditing_config,
    update_db_conns_auditing_config,
)
from auditing_client.api.switches import authorize, update_database
from auditing_client.models import (
    AccessToken,
    ApiError,
    AuditMode,
    AuditSettings,
    AuthorizeRequest,
    AuditProtocol,
    ConfigNotFoundError,
    ConfigNotFoundErrorCode,
    Database,
    DbConnsAuditingConfig,
    DbConnsAuditingConfigUpdate,
    DeleteRefusedError,
    DeleteRefusedErrorCode,
    InvalidConfigError,
    InvalidConfigErrorCode,
)

# The mock's address, its user and its bearer token.
cluster = os.environ["AUDITING_URL"]
user = os.environ["REDIS_USER"]
password = os.environ["REDIS_PASSWORD"]
token = os.environ["REDIS_TOKEN"]
# The spec's Python code samples, by operationId: the files they are.
code_samples = json.loads(os.environ["CODE_SAMPLES"])

PAGE_EXAMPLE = {
    "audit_address": "127.0.0.1",
    "audit_port": 12345,
    "audit_protocol": "TCP",
    "audit_reconnect_interval": 1,
    "audit_reconnect_max_attempts": 0,
}


def new_client(**options) -> AuthenticatedClient:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return AuthenticatedClient(base_url=cluster, token=token, prefix="Basic", **options)


def run_sample(operation_id: str, **names) -> dict:
    """Runs the spec's Python code sample of an operation with this module's names (and `names`),
    and returns its names after the run."""
    return runpy.run_path(code_samples[operation_id], init_globals={**globals(), **names})


def test_get_reads_the_page_example(capsys):
    config = run_sample("getDbConnsAuditingConfig")["config"]
    assert capsys.readouterr().out == "audit records go to 127.0.0.1:12345 over TCP\n"
    assert config.audit_protocol is AuditProtocol.TCP
    assert config.to_dict() == PAGE_EXAMPLE


def test_put_updates_the_port(capsys):
    client = new_client()
    update_db_conns_auditing_config.sync(client=client, body=DbConnsAuditingConfigUpdate(audit_port=4000))
    result = run_sample("updateDbConnsAuditingConfig", client=client)["result"]
    assert capsys.readouterr().out == "audit_port is now 12345\n"
    assert result.audit_port == 12345


def test_put_local_with_a_port_is_refused_with_its_error_code():
    # The generated model sends it: the `not` rule is left to the server.
    body = DbConnsAuditingConfigUpdate(audit_protocol=AuditProtocol.LOCAL, audit_port=12345)
    response = update_db_conns_auditing_config.sync_detailed(client=new_client(), body=body)
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.content
    assert isinstance(response.parsed, InvalidConfigError), response.parsed
    # The cluster answers db_conns_auditing_bad_config; Prism's plain mock answers the first 400
    # example, invalid_schema. Parsing made either one a member of the generated enum.
    assert response.parsed.error_code in (InvalidConfigErrorCode.DB_CONNS_AUDITING_BAD_CONFIG, InvalidConfigErrorCode.INVALID_SCHEMA)


def test_delete_resets(capsys):
    response = run_sample("deleteDbConnsAuditingConfig", client=new_client())["response"]
    assert capsys.readouterr().out == "the configuration was reset\n"
    assert response.status_code == HTTPStatus.OK


def test_delete_with_nothing_to_reset_reads_the_not_found_code():
    response = delete_db_conns_auditing_config.sync_detailed(client=new_client(headers={"Prefer": "code=404"}))
    assert response.status_code == HTTPStatus.NOT_FOUND, response.content
    assert isinstance(response.parsed, ConfigNotFoundError), response.parsed
    assert response.parsed.error_code is ConfigNotFoundErrorCode.DB_CONNS_AUDIT_CONFIG_NOT_FOUND


def test_a_cluster_policy_refuses_the_delete_and_the_configuration_stays():
    client, admin = new_client(), httpx.Client(base_url=f"{cluster}/__mock")  # the admin API needs no credentials
    assert admin.post("/reset").status_code == HTTPStatus.NO_CONTENT
    try:
        scenario = admin.put("/scenario", json={"cluster_policy": True})
        assert scenario.status_code == HTTPStatus.OK and scenario.json()["cluster_policy"] is True, scenario.content
        refused = delete_db_conns_auditing_config.sync_detailed(client=client)
        assert refused.status_code == HTTPStatus.CONFLICT, refused.content
        # The refusal is the `default` response, parsed as a DeleteRefusedError.
        assert isinstance(refused.parsed, DeleteRefusedError), refused.parsed
        assert refused.parsed.error_code is DeleteRefusedErrorCode.CANNOT_DELETE_AUDIT_CONFIG_WHEN_POLICY_ENABLED
        assert isinstance(get_db_conns_auditing_config.sync(client=client), DbConnsAuditingConfig)
        assert admin.put("/scenario", json={"cluster_policy": False}).status_code == HTTPStatus.OK
        assert delete_db_conns_auditing_config.sync_detailed(client=client).status_code == HTTPStatus.OK
    finally:
        assert admin.post("/reset").status_code == HTTPStatus.NO_CONTENT


def test_the_workflow_from_authorize_to_delete():
    """The workflow that turns auditing on, through the generated client alone: a token from authorize
    (Basic), then, with that token, the configuration, database 1 on, DELETE refused by it, database 1
    off, DELETE accepted. It starts from the mock's first state, whatever ran before."""
    admin = httpx.Client(base_url=f"{cluster}/__mock")  # the admin API needs no credentials
    assert admin.post("/reset").status_code == HTTPStatus.NO_CONTENT
    try:
        authorized = authorize.sync(client=new_client(), body=AuthorizeRequest(ttl=600))
        assert isinstance(authorized, AccessToken) and authorized.access_token, authorized
        client = AuthenticatedClient(base_url=cluster, token=authorized.access_token)  # prefix "Bearer"
        body = DbConnsAuditingConfigUpdate(audit_protocol=AuditProtocol.TCP, audit_address="10.0.0.9", audit_port=2000)
        config = update_db_conns_auditing_config.sync(client=client, body=body)
        assert isinstance(config, DbConnsAuditingConfig) and config.audit_port == 2000, config

        def set_mode(mode: AuditMode) -> None:
            database = update_database.sync(1, client=client, body=Database(audit_settings=AuditSettings(audit_mode=mode)))
            assert isinstance(database, Database) and database.audit_settings.audit_mode is mode, database

        set_mode(AuditMode.CONNECTION)
        refused = delete_db_conns_auditing_config.sync_detailed(client=client)
        assert refused.status_code == HTTPStatus.CONFLICT, refused.content
        # The refusal is the `default` response, parsed as a DeleteRefusedError.
        assert isinstance(refused.parsed, DeleteRefusedError), refused.parsed
        assert refused.parsed.error_code is DeleteRefusedErrorCode.CANNOT_DELETE_AUDIT_CONFIG_WHEN_BDB_ENABLED
        set_mode(AuditMode.DISABLED)
        assert delete_db_conns_auditing_config.sync_detailed(client=client).status_code == HTTPStatus.OK
    finally:
        assert admin.post("/reset").status_code == HTTPStatus.NO_CONTENT


def test_a_bearer_token_gets_in():
    # A JWT from POST /v1/users/authorize: AuthenticatedClient's own prefix is "Bearer".
    client = AuthenticatedClient(base_url=cluster, token=token)
    assert isinstance(get_db_conns_auditing_config.sync(client=client), DbConnsAuditingConfig)
    wrong = get_db_conns_auditing_config.sync_detailed(client=AuthenticatedClient(base_url=cluster, token="not-the-token"))
    assert wrong.status_code == HTTPStatus.UNAUTHORIZED, wrong.content
    assert isinstance(wrong.parsed, ApiError), wrong.parsed


def test_no_credentials_get_401():
    # The generated functions are typed for AuthenticatedClient; a plain Client sends no Authorization.
    response = get_db_conns_auditing_config.sync_detailed(client=Client(base_url=cluster))  # type: ignore[arg-type]
    assert response.status_code == HTTPStatus.UNAUTHORIZED, response.content
    assert isinstance(response.parsed, ApiError), response.parsed


def test_a_configuration_with_a_field_this_client_does_not_know_still_parses():
    # A newer cluster may add fields, as 8.2 added audit_queue_max_bytes.
    config = DbConnsAuditingConfig.from_dict({"audit_address": "127.0.0.1", "audit_future_setting": True})
    assert config.audit_address == "127.0.0.1"
    assert config.additional_properties == {"audit_future_setting": True}


def test_models_are_named_after_the_components():
    expected = {
        "DbConnsAuditingConfig", "DbConnsAuditingConfigUpdate", "AuditProtocol", "ApiError",
        "InvalidConfigError", "InvalidConfigErrorCode", "ConfigNotFoundError", "ConfigNotFoundErrorCode",
        "DeleteRefusedError", "DeleteRefusedErrorCode", "CapabilityUnsupportedError", "CapabilityErrorCode",
        "LocalProtocolWithPort",  # the shape the `not` rule forbids, a named schema for generators
        # The audit records, components the docs page shows (test_listener.py reads them from their own schema):
        "NewConnRecord", "NewIntConnRecord", "CloseConnRecord", "AuthRecord", "CommandRecord", "AuditConnection", "AuthStatus",
        "CommandStatus",
        # The switches that turn auditing on, described in part:
        "ClusterPolicy", "Database", "AuditSettings", "AuditMode", "UsernameFilter", "SourceIpFilter", "FilterType",
        "DatabaseUpdateError", "DatabaseUpdateErrorCode", "ClusterSettings", "AuthorizeRequest", "AccessToken",
    }
    assert set(models.__all__) == expected
    assert [name for name in models.__all__ if re.search(r"^(Inline|Model\d)|\d$", name)] == []
    assert {protocol.value for protocol in AuditProtocol} == {"TCP", "local"}
