"""The public API through Flask's test client: every endpoint answers the same numbers as the
query function its page calls, in JSON and CSV; every bad parameter is a 400 naming it; answers
are cacheable per snapshot; and a bounded property-based run over the OpenAPI document finds no
500."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.app import db
from dashboard.app.api import openapi
from dashboard.app.api.endpoints import BY_PATH, ENDPOINTS, Endpoint
from dashboard.app.queries import candidates, outside, races, receipts, trends


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def samples(small_snapshot):
    race = races.top_races(2024, office="H", limit=1).iloc[0]
    in_race = races.race_candidates(2024, "H", race.state, race.district)
    candidate = in_race.iloc[0]
    committee = db.query("SELECT committee_id FROM committees WHERE cycle = 2024 ORDER BY committee_id LIMIT 1")
    return {
        "cycle": "2024",
        "office": "house",
        "state": race.state,
        "district": race.district,
        "candidate_id": candidate.candidate_id,
        # /donors/both: the race's two biggest fundraisers
        "candidate_a": candidate.candidate_id,
        "candidate_b": in_race.iloc[min(1, len(in_race) - 1)].candidate_id,
        "committee_id": committee.committee_id.iloc[0],
        "q": candidate["name"].split(",")[0][:5],
        "start": "2024-10-01",
        "end": "2024-10-31",
        "since": "2024-07-01",
        "donor_key": db.query("SELECT donor_key FROM donors ORDER BY amount DESC, donor_key LIMIT 1").iloc[0, 0],
    }


def params_for(endpoint: Endpoint, samples: dict) -> dict:
    return {
        p.name: samples[p.name]
        for p in endpoint.params
        if p.name in samples and p.name != "q" or (p.name == "q" and endpoint.path == "/search")
    }


def frame_of(endpoint, samples) -> pd.DataFrame:
    parsed = {p.name: p.parse(params_for(endpoint, samples).get(p.name)) for p in endpoint.params}
    return endpoint.call(parsed) if endpoint.call else endpoint.function(**parsed)


@pytest.mark.parametrize("path", [e.path for e in ENDPOINTS])
def test_every_endpoint_answers_the_page_numbers_in_json_and_csv(client, samples, path):
    endpoint = BY_PATH[path]
    params = params_for(endpoint, samples)
    response = client.get(f"/api/v1{path}", query_string=params)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    expected = frame_of(endpoint, samples)
    assert body["meta"]["rows"] == len(expected) == len(body["data"])
    assert body["meta"]["snapshot_id"] == db.manifest()["snapshot_id"]
    if len(expected):
        assert list(body["data"][0]) == list(expected.columns)
        numeric = [
            c
            for c in expected.columns
            if pd.api.types.is_numeric_dtype(expected[c]) and not pd.api.types.is_bool_dtype(expected[c])
        ]
        for column in numeric:
            # Integers beyond 2**53 (sub_id) travel as text, exactly.
            got = [float(row[column]) if isinstance(row[column], str) else row[column] for row in body["data"]]
            want = [None if pd.isna(v) else float(v) for v in expected[column]]
            assert got == pytest.approx(want, nan_ok=True), column
    as_csv = client.get(f"/api/v1{path}.csv", query_string=params)
    assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[0] == list(expected.columns) if len(expected.columns) else True
    assert len(rows) - 1 == len(expected)
    assert client.get(f"/api/v1{path}", query_string={**params, "format": "csv"}).data == as_csv.data


def test_receipts_keyset_paging_walks_the_whole_search(client, samples):
    query = {"cycle": "2024", "candidate_id": samples["candidate_id"], "sort": "-amount", "limit": "25"}
    filters = {"cycle": "2024", "candidate_id": samples["candidate_id"]}
    total = client.get("/api/v1/receipts/summary", query_string=filters).get_json()["data"][0]["n"]
    seen, url = [], "/api/v1/receipts?" + "&".join(f"{k}={v}" for k, v in query.items())
    while url:
        body = client.get(url).get_json()
        seen += [int(row["sub_id"]) for row in body["data"]]  # text: beyond JavaScript's integers
        url = body["meta"]["next"]
    assert len(seen) == len(set(seen)) == total
    whole = receipts.receipts_page(receipts.ReceiptFilters.from_query(query), "-amount", limit=1000)
    assert seen == list(whole["sub_id"])[: len(seen)]


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/v1/candidate?candidate_id=JUNK&cycle=2024", "candidate_id"),
        ("/api/v1/candidate?cycle=2024", "candidate_id"),
        ("/api/v1/candidate/sizes?candidate_id=H4WA01001&cycle=2023", "cycle"),
        ("/api/v1/races/top?cycle=2024&office=mayor", "office"),
        ("/api/v1/races/top?cycle=2024&limit=0", "limit"),
        ("/api/v1/races/top?cycle=2024&limit=ten", "limit"),
        ("/api/v1/race?cycle=2024&office=house&state=WA", "district"),
        ("/api/v1/race?cycle=2024&office=senate", "state"),
        ("/api/v1/race?cycle=2024&office=house&state=ZZ&district=01", "state"),
        ("/api/v1/committee?committee_id=C1", "committee_id"),
        ("/api/v1/search?q=" + "x" * 81, "q"),
        ("/api/v1/cycles?colour=red", "colour"),
        ("/api/v1/cycles?format=xml", "format"),
        ("/api/v1/receipts?cycle=2024&zip=1", "zip"),
        ("/api/v1/receipts?cycle=2024&min=lots", "min"),
        ("/api/v1/receipts?cycle=2024&from=2024-13-01", "from"),
        ("/api/v1/receipts?cycle=2024&sort=name", "sort"),
        ("/api/v1/receipts?cycle=2024&after=nonsense", "after"),
        ("/api/v1/receipts?cycle=2024&limit=5000", "limit"),
        ("/api/v1/receipts?cycle=2024&state=CA&state=WA", "state"),
        ("/api/v1/receipts/export?cycle=2024&format=xlsx", "format"),
        ("/api/v1/trends/over-time?cycle=2024&start=2024-10-01&end=2024-10-31&party=ZZZ", "party"),
        ("/api/v1/race/outside/spenders?cycle=2024&office=senate&state=WA&limit=0", "limit"),
        ("/api/v1/race/outside/daily?cycle=2024&office=house&state=WA", "district"),
        ("/api/v1/candidate/outside/spenders?candidate_id=H4WA01001&cycle=2024&limit=501", "limit"),
        ("/api/v1/committee/outside?committee_id=C1", "committee_id"),
        ("/api/v1/committee/outside/races?committee_id=C00000001&cycle=1899", "cycle"),
        ("/api/v1/trends/over-time?cycle=2024&start=2024-10-01&end=2024-10-31&party=D%27%20OR%201%3D1", "party"),
    ],
)
def test_bad_parameters_are_400s_naming_the_parameter(client, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    body = response.get_json()
    assert body["parameter"] == parameter and body["error"].startswith(f"{parameter}:")


@pytest.mark.parametrize("party", ["W", "un", "D/C"])
def test_trends_filter_by_the_fecs_short_party_codes(client, party):
    # Write-in, Unaffiliated, Democratic/Conservative: real codes of one to three characters; the
    # page's own link (urlencoded, so D/C is D%2FC) is what the API is asked.
    link = trends.TrendFilters.from_query(cycle="2024", party=party).path()
    query = link.split("?", 1)[1] + "&start=2024-10-01&end=2024-10-31"
    assert "party=" + party.upper().replace("/", "%2F") in query
    response = client.get(f"/api/v1/trends/over-time?{query}")
    assert response.status_code == 200, response.get_json()
    expected = trends.receipts_over_time(2024, date(2024, 10, 1), date(2024, 10, 31), party=party.upper())
    assert response.get_json()["meta"]["rows"] == len(expected)


def test_unknown_endpoints_are_json_404s(client):
    response = client.get("/api/v1/no/such/thing")
    assert response.status_code == 404 and "openapi.json" in response.get_json()["error"]


def test_etag_and_cache_control_follow_the_snapshot(client, samples):
    url = f"/api/v1/candidate/sizes?candidate_id={samples['candidate_id']}&cycle=2024"
    first = client.get(url)
    etag = first.headers["ETag"].strip('"')
    assert etag.startswith(db.manifest()["snapshot_id"])
    assert "max-age" in first.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": f'"{etag}"'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"{etag}:gzip"'}).status_code == 304  # as Flask-Compress sends it
    assert client.get(url + "&format=csv").headers["ETag"] != first.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": '"older-snapshot-1234"'}).status_code == 200


def test_candidate_answers_gross_totals_with_net_beside_and_the_whole_election(client):
    # A senator whose own committees moved money between them: gross and net differ.
    cid, cycle = db.query(
        """SELECT t.candidate_id, t.cycle FROM candidate_totals t JOIN candidates c USING (candidate_id, cycle)
           WHERE c.office = 'S' AND c.cycle = 2024 AND t.net_receipts < t.receipts
           ORDER BY t.receipts DESC LIMIT 1"""
    ).iloc[0]
    query = {"candidate_id": cid, "cycle": str(cycle)}
    summary = client.get("/api/v1/candidate", query_string=query).get_json()["data"][0]
    expected = candidates.candidate_summary(cid, int(cycle)).iloc[0]
    assert summary["receipts"] == pytest.approx(float(expected.receipts))
    assert summary["net_receipts"] == pytest.approx(float(expected.net_receipts))
    assert summary["net_receipts"] < summary["receipts"]
    assert summary["net_disbursements"] == pytest.approx(float(expected.net_disbursements))
    assert summary["totals_source"] == "reports"  # the demo's totals are its committees' reports, summed

    election = client.get("/api/v1/candidate/election-totals", query_string=query).get_json()
    assert election["meta"]["rows"] == 1
    row = election["data"][0]
    assert (row["office"], row["election_year"], row["first_cycle"]) == ("S", 2024, 2020)
    # The demo holds 2022 and 2024: the six years' 2020 cycle is missing, and the answer says so.
    assert row["cycles_included"] == [2022, 2024] and row["cycles_missing"] == [2020]
    whole = candidates.candidate_election_totals(cid, int(cycle)).iloc[0]
    for column in ("receipts", "disbursements", "net_receipts", "net_disbursements", "cash_on_hand"):
        assert row[column] == pytest.approx(float(whole[column])), column
    as_csv = list(
        csv.DictReader(
            io.StringIO(client.get("/api/v1/candidate/election-totals.csv", query_string=query).get_data(as_text=True))
        )
    )
    assert as_csv[0]["cycles_included"] == "2022; 2024" and as_csv[0]["cycles_missing"] == "2020"

    house = races.top_races(2024, office="H", limit=1).iloc[0]
    representative = races.race_candidates(2024, "H", house.state, house.district).iloc[0].candidate_id
    none = client.get("/api/v1/candidate/election-totals", query_string={"candidate_id": representative, "cycle": 2024})
    assert none.status_code == 200 and none.get_json()["data"] == []  # a House term is the two-year cycle


def test_outside_spending_answers_the_pages_numbers_with_notices_apart(client):
    # The race with the most outside money, its biggest spender and the candidate it spent most on.
    race = db.query(
        """SELECT cycle, office, state, district FROM agg_district WHERE office = 'H'
           ORDER BY outside_amount DESC, state, district LIMIT 1"""
    ).iloc[0]
    query = {"cycle": str(race.cycle), "office": "house", "state": race.state, "district": race.district}
    args = (int(race.cycle), "H", race.state, race.district)
    by_candidate = client.get("/api/v1/race/outside", query_string=query).get_json()["data"]
    expected = outside.race_outside_candidates(*args)
    assert [row["candidate_id"] for row in by_candidate] == list(expected.candidate_id)
    for row, want in zip(by_candidate, expected.itertuples()):
        for column in ("support", "oppose", "notice_support", "notice_oppose"):
            assert row[column] == pytest.approx(float(getattr(want, column))), column
        assert row["outside"] == pytest.approx(row["support"] + row["oppose"])  # notices not added in
    share = client.get("/api/v1/race/outside/share", query_string=query).get_json()["data"][0]
    assert share["outside"] == pytest.approx(sum(row["outside"] for row in by_candidate))
    assert share["notice_amount"] == pytest.approx(
        sum(row["notice_support"] + row["notice_oppose"] for row in by_candidate)
    )
    assert share["outside_share"] == pytest.approx(share["outside"] / (share["receipts"] + share["outside"]))
    spenders = client.get("/api/v1/race/outside/spenders", query_string={**query, "limit": "1"}).get_json()["data"]
    assert {row["rank"] for row in spenders} == {1}
    assert len(spenders) == len({(row["candidate_id"], row["support_oppose"]) for row in spenders})
    top = max(spenders, key=lambda row: row["amount"])
    spender = {"committee_id": top["committee_id"], "cycle": query["cycle"]}
    by_race = client.get("/api/v1/committee/outside/races", query_string=spender).get_json()["data"]
    here = [r for r in by_race if (r["state"], r["district"]) == (race.state, race.district)]
    assert top["support_oppose"] in {r["support_oppose"] for r in here}
    as_csv = list(
        csv.DictReader(
            io.StringIO(client.get("/api/v1/committee/outside/candidates.csv", query_string=spender).get_data(True))
        )
    )
    assert {"amount", "notice_amount", "support_oppose", "race_path"} <= set(as_csv[0])
    mine = [
        r for r in as_csv if r["candidate_id"] == top["candidate_id"] and r["support_oppose"] == top["support_oppose"]
    ]
    assert float(mine[0]["amount"]) == pytest.approx(top["amount"])


def test_openapi_document_lists_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {f"/api/v1{e.path}" for e in ENDPOINTS} | {"/api/v1/receipts", "/api/v1/receipts/export"} <= paths
    for path, item in document["paths"].items():
        assert item["get"]["parameters"] is not None and "400" in item["get"]["responses"], path
    assert "30111(a)(4)" in document["paths"]["/api/v1/receipts/export"]["get"]["summary"]
    assert "net_receipts" in document["paths"]["/api/v1/candidate"]["get"]["summary"]
    assert "cycles_missing" in document["paths"]["/api/v1/candidate/election-totals"]["get"]["summary"]
    assert "24/48-hour notices" in document["paths"]["/api/v1/race/outside"]["get"]["summary"]


def _values(schema: dict):
    """Valid-looking and junk values for one parameter, from its OpenAPI schema."""
    junk = st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "9" * 30,
            "'; DROP TABLE receipts; --",
            "%00",
            "ZZ",
            "2023",
            "1e308",
            "nan",
            "2024-02-30",
            "C00000000",
            "H0XX00000",
            "*",
            "\u00e9\u4e2d",
        ]
    )
    typed = st.text(max_size=40)
    if "enum" in schema:
        typed = st.sampled_from([str(v) for v in schema["enum"]])
    elif schema.get("type") == "integer":
        typed = st.integers(min_value=-10, max_value=5000).map(str)
    elif schema.get("type") == "number":
        typed = st.decimals(min_value=-1000, max_value=10**9, places=2, allow_nan=False).map(str)
    elif schema.get("format") == "date":
        typed = st.dates().map(str)
    return st.one_of(junk, typed)


def _requests():
    document = openapi.document()
    operations = sorted(
        (path, item["get"]["parameters"]) for path, item in document["paths"].items() if "export" not in path
    )

    @st.composite
    def request(draw):
        path, parameters = draw(st.sampled_from(operations))
        chosen = draw(st.lists(st.sampled_from(parameters), unique_by=lambda p: p["name"], max_size=6))
        query = {p["name"]: draw(_values(p["schema"])) for p in chosen}
        if draw(st.booleans()):
            query.setdefault("cycle", "2024")
        return path, query

    return request()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_requests())
def test_no_request_built_from_the_openapi_document_gets_a_500(client, request):
    path, query = request
    response = client.get(path, query_string=query)
    assert response.status_code in (200, 304, 400, 404, 503), (path, query, response.data[:300])
    if response.status_code == 400:
        assert response.get_json()["parameter"]


def test_data_quality_lists_what_was_published_although_odd(client, odd_snapshot, monkeypatch):
    data_dir, ids = odd_snapshot
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    body = client.get("/api/v1/data-quality").get_json()
    by_code = {row["code"]: row for row in body["data"]}
    assert list(body["data"][0]) == ["code", "reason", "count", "amount", "examples"]
    assert by_code["orphan_totals"]["count"] == 1 and by_code["orphan_totals"]["examples"] == ids["orphan"]
    assert by_code["orphan_totals"]["amount"] > 0
    assert ids["negative"] in by_code["negative_totals"]["examples"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/data-quality.csv").get_data(as_text=True))))
    assert {row["code"]: row["count"] for row in rows}["orphan_receipts"] == "1"
