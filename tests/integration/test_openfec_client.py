"""The OpenFEC client against the fake API over real HTTP: paging, retries, budget, errors,
and the fake's own fidelity to the reference (envelopes, validation, earmark double entries)."""

from __future__ import annotations

import httpx
import pytest

from dashboard.pipeline.openfec import client as openfec
from devtools.fake_openfec import FAKE_KEY, FakeOpenFEC


@pytest.fixture(scope="module")
def fake(demo_builds):
    with FakeOpenFEC(demo_builds.built(rows=8_000, seed=7)) as server:
        yield server


@pytest.fixture(autouse=True)
def clean(fake):
    configure(fake, faults=[], error_rate=0, delay_ms=0, as_of=None, reset_limits=True, hourly_limit=1000)


def configure(fake, **changes):
    httpx.post(fake.url.replace("/v1/", "/_fake/config"), json=changes).raise_for_status()


def client(fake, **kwargs) -> openfec.OpenFECClient:
    waits = []
    options = dict(api_key=FAKE_KEY, hourly_budget=500, max_retries=3, backoff_seconds=1.0, timeout_seconds=5)
    options.update(kwargs)
    c = openfec.OpenFECClient(fake.url, sleep=waits.append, **options)
    c.waits = waits
    return c


def busiest_committees(fake, n=3) -> list[str]:
    sa = fake.data.sa
    return list(sa[sa["cycle"] == 2026]["committee_id"].value_counts().index[:n])


def expected_rows(fake, ids, cycle=2026) -> set[str]:
    sa = fake.data.sa
    return {str(s) for s in sa[sa["committee_id"].isin(ids) & (sa["cycle"] == cycle)]["sub_id"]}


@pytest.mark.slow
def test_keyset_pages_return_every_row_once_and_send_back_every_last_index(fake):
    ids = busiest_committees(fake)
    c = client(fake)
    seen, pages = [], 0
    for rows, _cursor in c.keyset_pages(
        "schedules/schedule_a/",
        {"committee_id": ids, "two_year_transaction_period": 2026, "sort": "contribution_receipt_date"},
        per_page=7,
    ):
        seen += [r["sub_id"] for r in rows]
        pages += 1
    assert len(seen) == len(set(seen)) and set(seen) == expected_rows(fake, ids)
    assert pages == len(seen) // 7 + 1 and c.requests == pages


@pytest.mark.slow
def test_a_keyset_cursor_resumes_right_after_the_rows_it_was_given_with(fake):
    ids = busiest_committees(fake)
    params = {"committee_id": ids, "two_year_transaction_period": 2026, "sort": "-contribution_receipt_date"}
    c = client(fake)
    pages = c.keyset_pages("schedules/schedule_a/", params, per_page=5)
    first, cursor = next(pages)
    rest = [
        r["sub_id"]
        for rows, _ in client(fake).keyset_pages("schedules/schedule_a/", params, cursor=cursor, per_page=5)
        for r in rows
    ]
    got = [r["sub_id"] for r in first] + rest
    assert len(got) == len(set(got)) and set(got) == expected_rows(fake, ids)
    dates = [r for r in got]  # descending order kept across the resume
    assert dates == sorted(
        got,
        key=lambda s: (fake.data.sa.set_index(fake.data.sa["sub_id"].astype(str)).loc[s, "date"], int(s)),
        reverse=True,
    )


def test_offset_pages_and_money_stays_exact(fake):
    c = client(fake)
    rows = [
        r for page in c.offset_pages("candidates/", {"cycle": 2026, "sort": "candidate_id"}, per_page=100) for r in page
    ]
    assert len(rows) == len(set(r["candidate_id"] for r in rows)) == c.requests * 100 - (100 - len(rows) % 100) % 100
    report = next(iter(c.offset_pages("reports/house-senate/", {"cycle": 2026}, per_page=5)))[0]
    assert type(report["total_receipts_period"]).__name__ == "Decimal"


def test_server_errors_and_429_are_retried_with_growing_jittered_waits(fake):
    configure(fake, faults=[{"kind": "429", "times": 2}, {"kind": "502", "times": 1}])
    c = client(fake)
    body = c.get("candidates/", {"per_page": 1})
    assert body["results"] and c.retries == 3 and c.requests == 4
    first_429, second_429, after_502 = c.waits
    assert 0.5 <= first_429 <= 1.5 and 1.0 <= second_429 <= 3.0  # doubled, with jitter
    assert after_502 < 1.0  # a 5xx blip is retried sooner than a rate limit


def test_giving_up_says_what_happened_and_what_next(fake):
    configure(fake, faults=[{"kind": "quirk404", "times": 10}])
    with pytest.raises(openfec.GaveUp, match="gave up after 4 tries .*Could not process.*resumes where"):
        client(fake).get("candidates/")


def test_key_and_request_errors_are_not_retried(fake):
    with pytest.raises(openfec.ApiKeyError, match="API_KEY_INVALID.*FEC_API_KEY"):
        client(fake, api_key="not-a-key").get("candidates/")
    c = client(fake)
    with pytest.raises(openfec.RequestRejected, match="422.*per_page"):
        c.get("candidates/", {"per_page": 500})
    with pytest.raises(openfec.RequestRejected, match="400.*two_year_transaction_period"):
        c.get("schedules/schedule_a/", {"sort": "contribution_receipt_date"})
    assert c.retries == 0 and c.requests == 2


def test_malformed_json_and_slow_answers_are_retried(fake):
    configure(fake, faults=[{"kind": "malformed", "times": 1}, {"kind": "slow", "seconds": 2, "times": 1}])
    c = client(fake, timeout_seconds=0.5)
    assert c.get("candidates/", {"per_page": 1})["results"]
    assert c.retries == 2


def test_the_hourly_budget_and_the_servers_remaining_count_stop_requests_before_a_429(fake, tmp_path):
    log = tmp_path / "requests.json"
    c = client(fake, hourly_budget=3, request_log=log)
    for _ in range(3):
        c.get("candidates/", {"per_page": 1})
    with pytest.raises(openfec.BudgetExhausted, match="3 of the hourly budget of 3"):
        c.get("candidates/", {"per_page": 1})
    c.close()
    again = client(fake, hourly_budget=3, request_log=log)  # the next run shares the hour's budget
    assert again.budget_left() == 0
    configure(fake, hourly_limit=5, reset_limits=True)
    c = client(fake, hourly_budget=100)
    with pytest.raises(openfec.BudgetExhausted, match="the API says only 2 requests are left"):
        for _ in range(10):
            c.get("candidates/", {"per_page": 1})
    assert c.requests == 3


def test_without_a_key_the_demo_key_is_used_with_a_warning(fake, monkeypatch):
    monkeypatch.setenv("FEC_API_KEY", "")
    warnings = []
    c = openfec.OpenFECClient(fake.url, warn=warnings.append, sleep=lambda s: None)
    assert "DEMO_KEY" in warnings[0] and "api.data.gov/signup" in warnings[0]
    assert c.budget_left() <= 30
    assert c.get("candidates/", {"per_page": 1})["results"]  # the fake, like the gateway, knows DEMO_KEY


# ------------------------------------------------------------------------------------ the fake
def test_the_fake_follows_the_gateway_and_validation_rules(fake):
    base = fake.url
    missing = httpx.get(base + "candidates")
    assert missing.status_code == 403 and missing.json()["error"]["code"] == "API_KEY_MISSING"
    with httpx.Client(base_url=base, params={"api_key": FAKE_KEY}) as http:
        assert http.get("candidates/", params={"office": "h"}).status_code == 422  # office is not upper-cased
        assert http.get("elections/search/", params={"office": "H"}).status_code == 422
        assert http.get("schedules/schedule_a/", params={"committee_id": "C123"}).status_code == 422
        assert http.get("schedules/schedule_a/", params={"two_year_transaction_period": 2025}).status_code == 422
        assert http.get("schedules/schedule_a/", params={"two_year_transaction_period": 2030}).status_code == 404
        many = [f"C{10000000 + i:08d}" for i in range(11)]
        assert http.get("schedules/schedule_a/", params={"committee_id": many}).status_code == 422
        page = http.get("candidates/", params={"page": 999}).json()
        assert page["results"] == [] and page["pagination"]["page"] == 999
        empty = http.get("schedules/schedule_a/", params={"committee_id": "C00000001"}).json()
        assert empty["pagination"]["last_indexes"] is None and empty["results"] == []
        assert http.get("nowhere/").status_code == 404
    configure(fake, hourly_limit=2, reset_limits=True)
    with httpx.Client(base_url=base, headers={"X-Api-Key": FAKE_KEY}) as http:
        assert http.get("candidates/").headers["X-RateLimit-Remaining"] == "1"
        http.get("candidates/")
        over = http.get("candidates/")
        assert over.status_code == 429 and over.json()["error"]["code"] == "OVER_RATE_LIMIT"
        assert "Retry-After" not in over.headers


def test_the_fake_serves_both_sides_of_an_earmarked_gift(fake):
    sa = fake.data.sa
    gift = sa[(sa["receipt_type"] == "15E")].iloc[0]
    with httpx.Client(base_url=fake.url, headers={"X-Api-Key": FAKE_KEY}) as http:

        def rows(committee):
            body = http.get(
                "schedules/schedule_a/",
                params={
                    "committee_id": committee,
                    "two_year_transaction_period": int(gift["cycle"]),
                    "per_page": 100,
                    "min_date": str(gift["date"]),
                    "max_date": str(gift["date"]),
                },
            ).json()
            return body["results"]

        recipient = [r for r in rows(gift["committee_id"]) if r["sub_id"] == str(gift["sub_id"])][0]
        conduit = [
            r
            for r in rows(gift["conduit_committee_id"])
            if r["receipt_type"] == "24T"
            and r["contributor_name"] == recipient["contributor_name"]
            and r["contribution_receipt_amount"] == recipient["contribution_receipt_amount"]
        ]
    assert recipient["conduit_committee_id"] == gift["conduit_committee_id"] and recipient["receipt_type"] == "15E"
    assert conduit and gift["committee_id"] in conduit[0]["memo_text"]  # "EARMARKED FOR ... (C...)"
