"""A check and a hook of this project's own, loaded by run.ts through SCHEMATHESIS_HOOKS.

schemathesis.toml lets a schema-valid PUT be refused with 400, for the rules the schema cannot
state (what is stored, an IP address's form, a list's total length). This check keeps that
allowance narrow: such a 400 must carry one of the codes the operation's 400 documents other
than invalid_schema, read from the spec, so a body refused for its schema while the schema
allows it still fails the run.
"""

import json
import os

import requests
import schemathesis

# The installed package's spec, every reference resolved (run.ts names it).
with open(os.environ["SPEC_DEREF"], encoding="utf-8") as spec_file:
    SPEC = json.load(spec_file)

SCHEMA_REFUSAL = "invalid_schema"


def documented_codes(schema):
    """Every error_code value the 400's schema names, wherever its allOf/anyOf puts them."""
    if isinstance(schema, dict):
        codes = set(schema.get("properties", {}).get("error_code", {}).get("enum", []))
        return codes.union(*(documented_codes(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(documented_codes(value) for value in schema))
    return set()


@schemathesis.check
def valid_put_refused_only_by_a_state_rule(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if case.operation.method.upper() != "PUT" or response.status_code != 400:
        return None
    code = response.json().get("error_code")
    operation = SPEC["paths"][case.operation.path][case.operation.method.lower()]
    bad_request = operation.get("responses", {}).get("400", {})
    allowed = documented_codes(bad_request) - {SCHEMA_REFUSAL}
    if code not in allowed:
        raise AssertionError(
            f"a schema-valid body was refused with error_code {code!r}, not by one of the rules the schema cannot state: {sorted(allowed)}"
        )
    return None



@schemathesis.hook
def after_call(ctx, case, response):
    """The run authenticates with Basic, so it keeps Basic on: a PUT /v1/cluster that turned it
    off (the spec's own example does) would leave every later case with 401. The scenario's
    basic_auth, the same state, turns it back on. Turning Basic off is tested in
    test/integration/mock-tokens.test.ts and against the packed bin."""
    if case.method.upper() != "PUT" or case.path != "/v1/cluster" or response.status_code != 200:
        return
    base = response.request.url.split("/v1/", 1)[0]
    answer = requests.put(f"{base}/__mock/scenario", json={"basic_auth": True}, timeout=10)
    answer.raise_for_status()
