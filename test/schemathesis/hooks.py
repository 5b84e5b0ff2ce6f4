"""A check and a hook of this project's own, loaded by run.ts through SCHEMATHESIS_HOOKS.

schemathesis.toml lets a schema-valid PUT be refused with 400, for the mock's rules about
what is stored. This check keeps that allowance narrow: such a 400 must name one of those
rules, so a body refused for its schema (invalid_schema) while the schema allows it still
fails the run.
"""

import requests
import schemathesis

STATE_RULES = {"db_conns_auditing_missing_config", "db_conns_auditing_bad_config"}


@schemathesis.check
def valid_put_refused_only_by_a_state_rule(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if case.operation.method.upper() != "PUT" or response.status_code != 400:
        return None
    code = response.json().get("error_code")
    if code not in STATE_RULES:
        raise AssertionError(
            f"a schema-valid body was refused with error_code {code!r}, not by a rule about the stored configuration"
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
