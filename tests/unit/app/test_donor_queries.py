"""Donor queries (dashboard/app/queries/donors.py) on a hand-made snapshot with known donors (two
candidates of one race, one donor shared) and on the demo snapshot against the receipts extract."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard.app.queries import donors, races
from dashboard.pipeline.builder.publish import build_and_publish
from tests.unit.pipeline.test_builder_donor_counts import ANNA, BOB, CYCLE, write_two_candidates


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("donor-queries")
    write_two_candidates(data_dir / "raw")
    build_and_publish(data_dir, source="demo")
    return data_dir


@pytest.fixture
def on_hand_made(hand_made, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(hand_made))


def test_gave_to_both_lists_the_one_shared_donor_with_what_each_received(on_hand_made):
    both = donors.gave_to_both(ANNA, BOB, CYCLE)
    assert both[["donor_key", "contributor_name", "city", "state", "zip5"]].values.tolist() == [
        ["DOE, JANE|97201", "DOE, JANE", "PORTLAND", "OR", "97201"]
    ]
    row = both.iloc[0]
    # to Anna: 100 + 50 (the memo row is not counted); to Bob: 500
    assert (float(row["amount_a"]), int(row["gifts_a"]), float(row["amount_b"]), int(row["gifts_b"])) == (
        150.0,
        2,
        500.0,
        1,
    )
    swapped = donors.gave_to_both(BOB, ANNA, CYCLE).iloc[0]
    assert (float(swapped["amount_a"]), float(swapped["amount_b"])) == (500.0, 150.0)
    assert donors.shared_donor_count(ANNA, BOB, CYCLE) == 1
    assert donors.gave_to_both(ANNA, ANNA, CYCLE).empty
    assert donors.gave_to_both(ANNA, BOB, 2022).empty


def test_candidate_and_race_donor_counts_of_known_donors(on_hand_made):
    anna = donors.candidate_donor_counts(ANNA, CYCLE).iloc[0]
    assert (anna["unique_donors"], anna["repeat_donors"], anna["one_time_donors"]) == (3, 1, 2)
    weekly = donors.candidate_new_donors_weekly(ANNA, CYCLE)
    assert [(w.date() if hasattr(w, "date") else w) for w in weekly["week"]] == [date(2024, 3, 4), date(2024, 3, 11)]
    assert weekly["new_donors"].tolist() == [2, 1] and weekly["donors_to_date"].tolist() == [2, 3]
    # Jane Doe, Sam Lee, Pat Roe, Max Ng; Jane Doe (3 gifts) and Max Ng (2) gave more than once
    race = donors.race_donor_counts(CYCLE, "H", "OR", "05").iloc[0]
    assert (race["unique_donors"], race["repeat_donors"], race["one_time_donors"], race["donors_to_several"]) == (
        4,
        2,
        2,
        1,
    )


def test_race_donors_and_gave_to_both_match_the_receipts_extract_of_the_demo(small_snapshot):
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet("
        f"'{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true)"
    )
    top = races.top_races(2024)
    top = top[top["office"] == "H"].iloc[0]
    members = races.race_candidates(2024, "H", top["state"], top["district"])["candidate_id"].tolist()
    ids = ", ".join(f"'{m}'" for m in members)
    expected = con.execute(
        f"SELECT count(DISTINCT donor_key) FROM receipts WHERE cycle = 2024 AND amount > 0 AND candidate_id IN ({ids})"
    ).fetchall()[0][0]
    assert expected > 0
    assert donors.race_donor_counts(2024, "H", top["state"], top["district"]).iloc[0]["unique_donors"] == expected
    a, b = members[:2]
    shared = con.execute(
        """SELECT count(*) FROM (SELECT donor_key FROM receipts WHERE cycle = 2024 AND candidate_id = ? AND amount > 0
           INTERSECT SELECT donor_key FROM receipts WHERE cycle = 2024 AND candidate_id = ? AND amount > 0)""",
        [a, b],
    ).fetchall()[0][0]
    assert len(donors.gave_to_both(a, b, 2024)) == shared == donors.shared_donor_count(a, b, 2024)
    assert len(donors.gave_to_both(a, b, 2024, limit=1)) == min(shared, 1)


def store_content(component, name: str) -> str:
    """The CSV a page's download button `name` holds (its dcc.Store)."""
    found = getattr(component, "id", None)
    if isinstance(found, dict) and found == {"type": "csv-data", "name": name}:
        return component.data["content"]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            content = store_content(child, name)
            if content is not None:
                return content
    return None


def test_race_page_lists_who_gave_to_both_with_the_notice_in_the_page_and_the_csv(on_hand_made):
    import plotly.io

    import app  # noqa: F401  (the Dash app registers the pages)
    from pages import race

    page = plotly.io.json.to_json(race.house(state="OR", district="05", cycle="2024"))
    assert "Gave to both JONES, BOB and SMITH, ANNA" in page
    assert page.count("52 U.S.C. 30111(a)(4)") >= 2  # on the page and in the CSV's first line
    csv = store_content(race.house(state="OR", district="05", cycle="2024"), "race-gave-to-both")
    lines = csv.splitlines()
    assert lines[0] == f"# {donors.DONOR_LIST_NOTICE}"
    assert (
        lines[1]
        == f"donor_key,contributor_name,city,state,zip5,amount_to_{BOB},gifts_to_{BOB},amount_to_{ANNA},gifts_to_{ANNA}"
    )
    assert lines[2:] == ['"DOE, JANE|97201","DOE, JANE",PORTLAND,OR,97201,500,1,150,2']


def test_candidate_page_shows_unique_and_repeat_donors_and_new_donors_per_week(small_snapshot):
    import plotly.io

    import app  # noqa: F401  (the Dash app registers the pages)
    from pages import candidate

    con = duckdb.connect()
    busiest, cycle = con.execute(
        f"SELECT candidate_id, cycle FROM read_parquet('{small_snapshot}/current/candidate_donor_counts.parquet') "
        "ORDER BY unique_donors DESC, candidate_id LIMIT 1"
    ).fetchall()[0]
    counts = donors.candidate_donor_counts(busiest, cycle).iloc[0]
    page = plotly.io.json.to_json(candidate.layout(candidate_id=busiest, cycle=str(cycle)))
    assert "Unique donors" in page and f"candidate-{busiest}-{cycle}-new-donors.csv" in page
    assert f'"{int(counts["unique_donors"]):,}"' in page and f'"{int(counts["repeat_donors"]):,}"' in page
