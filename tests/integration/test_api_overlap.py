"""The API's twins of the overlap, race new-donor and one-row-per-donor views, through Flask's test
client over the demo snapshot: the same rows as the queries the pages call, checked against the
receipts extract; a pair that is not one pair is a 400 naming the parameter."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest

from dashboard.app.queries import donors, races, receipts
from dashboard.app.queries.receipts import ReceiptFilters


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def pair(small_snapshot) -> tuple[str, str, int]:
    """The two committees of 2024 that share the most donors, and how many they share (from the extract)."""
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet("
        f"'{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true)"
    )
    return con.execute(
        """SELECT a.committee_id, b.committee_id, count(DISTINCT donor_key) AS n
           FROM receipts a JOIN receipts b USING (donor_key, cycle)
           WHERE a.cycle = 2024 AND a.committee_id < b.committee_id AND a.amount > 0 AND b.amount > 0
           GROUP BY ALL ORDER BY n DESC, 1, 2 LIMIT 1"""
    ).fetchall()[0]


def test_overlap_of_two_committees_lists_every_shared_donor(client, pair):
    committee_a, committee_b, shared = pair
    response = client.get(
        "/api/v1/overlap", query_string={"committee_a": committee_a, "committee_b": committee_b, "cycle": 2024}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["meta"]["rows"] == shared == len(body["data"]) > 0
    expected = donors.committee_gave_to_both(committee_a, committee_b, 2024)
    assert [row["donor_key"] for row in body["data"]] == expected["donor_key"].tolist()
    assert list(body["data"][0]) == list(expected.columns)
    assert body["data"][0]["amount_a"] == pytest.approx(float(expected["amount_a"].iloc[0]))
    limited = client.get(
        "/api/v1/overlap.csv",
        query_string={"committee_a": committee_a, "committee_b": committee_b, "cycle": 2024, "limit": 2},
    )
    rows = list(csv.DictReader(io.StringIO(limited.get_data(as_text=True))))
    assert [r["donor_key"] for r in rows] == expected["donor_key"].tolist()[:2]


def test_overlap_of_two_candidates_of_different_races(client, small_snapshot):
    senate = races.top_races(2024, office="S", limit=1).iloc[0]
    president = races.race_candidates(2024, "P", None, None).iloc[0]["candidate_id"]
    senator = races.race_candidates(2024, "S", senate["state"], None).iloc[0]["candidate_id"]
    response = client.get(
        "/api/v1/overlap", query_string={"candidate_a": senator, "candidate_b": president, "cycle": 2024}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["meta"]["rows"] == donors.shared_donor_count(senator, president, 2024)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"committee_a": "C00000001"},
        {"committee_a": "C00000001", "committee_b": "C00000002", "candidate_a": "H4OR05001"},
        {"candidate_a": "H4OR05001", "committee_b": "C00000002"},
    ],
)
def test_overlap_needs_exactly_one_pair(client, query):
    response = client.get("/api/v1/overlap", query_string=query)
    assert response.status_code == 400
    assert response.get_json()["parameter"] == "committee_a"


def test_overlap_refuses_an_id_that_is_no_committee_id(client):
    response = client.get("/api/v1/overlap", query_string={"committee_a": "H4OR05001", "committee_b": "C00000002"})
    assert response.status_code == 400 and response.get_json()["parameter"] == "committee_a"


def test_race_new_donors_per_week(client):
    top = races.top_races(2024, office="H", limit=1).iloc[0]
    query = {"cycle": 2024, "office": "house", "state": top["state"], "district": top["district"]}
    body = client.get("/api/v1/race/new-donors", query_string=query).get_json()
    expected = donors.race_new_donors_weekly(2024, "H", top["state"], top["district"])
    assert body["meta"]["rows"] == len(expected) > 0
    assert sum(r["new_donors"] for r in body["data"]) == int(expected["new_donors"].sum())


def test_receipts_by_donor_pages_and_sorts_like_the_explorer(client, pair):
    committee_a = pair[0]
    filters = ReceiptFilters.from_query({"cycle": "2024", "committee_id": committee_a})
    whole = receipts.receipts_by_donor(filters, "-gifts", 100_000, 0)
    query = {"cycle": 2024, "committee_id": committee_a, "sort": "-gifts", "limit": 5, "offset": 5}
    body = client.get("/api/v1/receipts/by-donor", query_string=query).get_json()
    assert [r["donor_key"] for r in body["data"]] == whole["donor_key"].tolist()[5:10]
    assert {r["donors"] for r in body["data"]} == {len(whole)}
    text = client.get("/api/v1/receipts/by-donor.csv", query_string={**query, "limit": 10_000, "offset": 0})
    rows = list(csv.DictReader(io.StringIO(text.get_data(as_text=True))))
    summary = receipts.receipts_summary(filters).iloc[0]
    assert round(sum(float(r["total"]) for r in rows), 2) == round(float(summary["amount"]), 2)
    bad = client.get("/api/v1/receipts/by-donor", query_string={"cycle": 2024, "sort": "-amount"})
    assert bad.status_code == 400 and bad.get_json()["parameter"] == "sort"
