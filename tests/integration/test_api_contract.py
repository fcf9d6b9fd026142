"""The OpenAPI document is the API's contract, checked both ways by schemathesis (a third-party OpenAPI
fuzzer) over every operation, in-process through WSGI, on a small demo snapshot: no server error;
status codes, content types and bodies as documented; every request the document calls valid is
answered (not refused with a 400), and every request it calls invalid is refused with a 4xx.

Bounded and repeatable: a fixed seed, a few examples per operation and phase (coverage of each
parameter's edges, then random ones), so it takes well under two minutes on two cores. The constraints
between parameters that JSON Schema cannot state (each operation's description, `Rule`s in
dashboard.app.api.params) are the one thing filtered: valid-by-schema requests that break one are not
sent as "valid" ones (schemathesis' hooks do not reach its coverage phase, so the test skips them)."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from dashboard.app.api import openapi
from dashboard.app.api.endpoints import ENDPOINTS, PREFIX
from dashboard.app.api.params import RECEIPT_RULES, RECEIPTS_PAGE_RULES

pytestmark = pytest.mark.slow

SEED = 16
EXAMPLES_PER_OPERATION = 8

RULES = {
    **{f"{PREFIX}{endpoint.path}": endpoint.rules for endpoint in ENDPOINTS},
    f"{PREFIX}/receipts": RECEIPTS_PAGE_RULES,
    f"{PREFIX}/receipts/export": RECEIPT_RULES,
}
SENT = {"requests": Counter(), "started": None}


def same_parameters_seen_before() -> list[str]:
    """Paths whose parameters (names, schemas, required) an earlier path of the document has too: the
    coverage phase, which tries every enum value and edge of every parameter, runs once per such set
    (the same declarations and the same gate answer them); random requests still go to every path."""
    seen, repeats = set(), []
    for path, item in openapi.document()["paths"].items():
        signature = json.dumps(item["get"]["parameters"], sort_keys=True)
        if signature in seen:
            repeats.append(path)
        seen.add(signature)
    return repeats


@pytest.fixture(scope="module")
def api_schema(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": EXAMPLES_PER_OPERATION, "mode": "all", "deterministic": True},
            "headers": {"Accept-Encoding": "identity"},  # bodies as sent, not compressed
            # Coverage: each parameter's edges and enum values, without the other methods on every path
            # (Flask answers 405 for all of them alike) and without repeated parameters (always refused).
            "phases": {
                "coverage": {"unexpected-methods": [], "generate-duplicate-query-parameters": False},
                "stateful": {"enabled": False},
            },
            "operations": [{"include-path": same_parameters_seen_before(), "phases": {"coverage": {"enabled": False}}}],
        }
    )
    schema = schemathesis.openapi.from_wsgi(f"{PREFIX}/openapi.json", app.server, config=config)

    SENT["started"] = time.monotonic()
    yield schema
    seconds = time.monotonic() - SENT["started"]
    sent = SENT["requests"]
    print(f"\nschemathesis: {len(RULES)} operations, {sent.total()} requests ({dict(sent)}), {seconds:.1f} s")


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
def test_every_operation_keeps_the_documented_contract(case):
    if case.meta is not None and case.meta.generation.mode.is_positive:
        # A request the document calls valid obeys its operation's rules (its description) too.
        query = {name: str(value) for name, value in (case.query or {}).items()}
        if not all(rule.holds(query) for rule in RULES.get(case.operation.path, ())):
            return
    SENT["requests"][
        f"{case.meta.phase.name.value} {case.meta.generation.mode.value}" if case.meta else "explicit"
    ] += 1
    case.call_and_validate()
