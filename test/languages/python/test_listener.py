"""A Python listener for the audit records, whose models datamodel-code-generator generates from
audit-records.schema.json (pydantic v2): it listens on TCP on loopback, runs the sender that
AUDIT_SENDER names (a JSON array: the command and its arguments) with AUDIT_LISTENER_HOST and
AUDIT_LISTENER_PORT set to where it listens, and parses every record it receives into the models.

The sender is any program that connects as a cluster does: npm run test:languages gives the mock,
told by a PUT where the listener is, then made to simulate database connections."""

import json
import os
import socket
import subprocess
import threading

import pytest
from pydantic import ValidationError

# The models datamodel-code-generator made of audit-records.schema.json, named after its definitions.
from audit_records import (
    AuditRecord,
    AuthRecord,
    AuthStatus,
    CloseConnRecord,
    CommandRecord,
    CommandStatus,
    NewConnRecord,
    NewIntConnRecord,
)

RECORD_TYPES = {
    "new_conn": NewConnRecord,
    "new_int_conn": NewIntConnRecord,
    "close_conn": CloseConnRecord,
    "auth": AuthRecord,
    "command": CommandRecord,
}
CONNECTION_KEYS = ("new_conn", "new_int_conn", "close_conn")
TIMEOUT = 30


def read_records(data: bytes) -> list[dict]:
    """The JSON objects of a stream, with or without whitespace between them (no separator is documented)."""
    text = data.decode("utf-8")
    decoder = json.JSONDecoder()
    records, at = [], 0
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        if at == len(text):
            return records
        record, at = decoder.raw_decode(text, at)
        records.append(record)


def kind_of(record: dict) -> str:
    return record.get("action") or next(key for key in CONNECTION_KEYS if key in record)


def listen_and_send(redis_version: str | None = None) -> list[dict]:
    """Listens on a free loopback port, runs the sender against it, and reads one connection to its end."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(TIMEOUT)
        port = server.getsockname()[1]
        received = bytearray()

        def accept():
            connection, _ = server.accept()
            with connection:
                connection.settimeout(TIMEOUT)
                while chunk := connection.recv(65536):
                    received.extend(chunk)

        reader = threading.Thread(target=accept)
        reader.start()
        env = {**os.environ, "AUDIT_LISTENER_HOST": "127.0.0.1", "AUDIT_LISTENER_PORT": str(port)}
        if redis_version:
            env["AUDIT_REDIS_VERSION"] = redis_version
        sender = subprocess.run(json.loads(os.environ["AUDIT_SENDER"]), env=env, timeout=TIMEOUT, capture_output=True, text=True)
        assert sender.returncode == 0, sender.stderr
        reader.join(TIMEOUT)
        assert not reader.is_alive(), "the sender never closed its connection"
    return read_records(bytes(received))


@pytest.fixture(scope="module")
def received() -> list[dict]:
    return listen_and_send()


@pytest.fixture(scope="module")
def received_from_7_4() -> list[dict]:
    """The records of the mock playing Redis Software 7.4, with an internal connection among them."""
    return listen_and_send("7.4")


def test_every_record_received_parses_into_its_generated_model(received):
    assert received, "no record arrived"
    for record in received:
        parsed = AuditRecord.model_validate(record).root
        kind = kind_of(record)
        assert isinstance(parsed, RECORD_TYPES[kind])
        connection = parsed.new_conn if kind == "new_conn" else parsed.close_conn if kind == "close_conn" else parsed
        assert connection.srcp is None or isinstance(connection.srcp, str)  # ports are strings
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == record


def test_the_records_arrive_connection_by_connection_with_audit_seq_counting_up(received):
    kinds = [kind_of(record) for record in received]
    assert kinds[0] == "new_conn" and kinds[-1] == "close_conn"
    assert kinds.count("new_conn") == kinds.count("close_conn") == 2
    assert [record["audit_seq"] for record in received] == list(range(received[0]["audit_seq"], received[0]["audit_seq"] + len(received)))
    statuses = {AuthRecord.model_validate(record).status for record in received if record.get("action") == "auth"}
    assert statuses == {AuthStatus.AUTHENTICATION_OK, AuthStatus.AUTHENTICATION_FAILED}


def test_a_7_4_clusters_records_parse_into_the_models_new_int_conn_and_no_audit_seq(received_from_7_4):
    assert received_from_7_4, "no record arrived"
    kinds = [kind_of(record) for record in received_from_7_4]
    assert "new_int_conn" in kinds and "command" not in kinds
    for record in received_from_7_4:
        parsed = AuditRecord.model_validate(record).root
        assert isinstance(parsed, RECORD_TYPES[kind_of(record)])
        assert "audit_seq" not in record and "audit_worker_id" not in record
        assert parsed.model_dump(mode="json", by_alias=True, exclude_unset=True) == record
    internal = NewIntConnRecord.model_validate(next(r for r in received_from_7_4 if "new_int_conn" in r))
    assert internal.new_int_conn.srcp is None or isinstance(internal.new_int_conn.srcp, str)


def test_status_1_of_clusters_before_8_2_has_its_documented_name():
    auth = AuthRecord.model_validate({"ts": 1, "action": "auth", "status": 1})
    assert auth.status is AuthStatus.AUTHENTICATION_FAILED_TOO_LONG


def test_the_models_are_named_after_the_schema_with_the_documented_status_names():
    auth = AuthRecord.model_validate({"ts": 1, "action": "auth", "status": 8, "acl-rules": "+@all"})
    assert auth.status is AuthStatus.AUTHENTICATION_OK
    assert auth.acl_rules == "+@all"
    command = CommandRecord.model_validate({"ts": 1, "action": "command", "status": 10, "affected_count": None, "error": "ERR"})
    assert command.status is CommandStatus.COMMAND_FAILED


def test_the_models_tolerate_unknown_fields():
    record = AuditRecord.model_validate({"ts": 1, "new_conn": {"srcip": "10.0.0.1", "tenant": "x"}, "added_later": True}).root
    assert isinstance(record, NewConnRecord)
    assert record.new_conn.srcip == "10.0.0.1"


@pytest.mark.parametrize(
    "record",
    [
        {"ts": 1, "action": "auth", "status": 11},
        {"ts": 1, "action": "command", "status": 8},
        {"ts": 1, "action": "auth", "srcp": 46252},
        {"ts": 1, "action": "acl"},
        {"new_conn": {}},
    ],
)
def test_the_models_reject_what_the_schema_rejects(record):
    with pytest.raises(ValidationError):
        AuditRecord.model_validate(record)
