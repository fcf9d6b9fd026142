"""Donors shared by any two committees or candidates, a race's new donors per week and the receipts
explorer's one-row-per-donor view: on the hand-made snapshot with known donors (two candidates of
OR-05, one donor shared) and on the demo snapshot against its receipts extract."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import plotly.io
import pytest

from dashboard.app.queries import donors, races, receipts
from dashboard.app.queries.receipts import ReceiptFilters
from dashboard.pipeline.builder.publish import build_and_publish
from tests.unit.app.test_donor_queries import store_content
from tests.unit.pipeline.test_builder_donor_counts import (
    ANNA,
    ANNA_COMMITTEE,
    BOB,
    BOB_COMMITTEE,
    CYCLE,
    write_two_candidates,
)


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("donor-overlap")
    write_two_candidates(data_dir / "raw")
    build_and_publish(data_dir, source="demo")
    return data_dir


@pytest.fixture
def on_hand_made(hand_made, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(hand_made))


def page_text(layout) -> str:
    """A layout as JSON, with the slashes and ampersands Plotly escapes put back."""
    return plotly.io.json.to_json(layout).replace("\\u002f", "/").replace("\\u0026", "&")


def demo_receipts(small_snapshot) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet("
        f"'{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true)"
    )
    return con


# ----------------------------------------------------------------------------- known donors


def test_two_committees_share_the_one_known_donor_with_what_each_received(on_hand_made):
    both = donors.committee_gave_to_both(ANNA_COMMITTEE, BOB_COMMITTEE, CYCLE)
    assert both[["donor_key", "contributor_name", "zip5"]].values.tolist() == [
        ["DOE, JANE|97201", "DOE, JANE", "97201"]
    ]
    row = both.iloc[0]
    # to Anna's committee: 100 + 50 (the memo row is not counted); to Bob's: 500
    assert (float(row["amount_a"]), int(row["gifts_a"]), float(row["amount_b"]), int(row["gifts_b"])) == (
        150.0,
        2,
        500.0,
        1,
    )
    assert donors.committee_shared_donor_count(ANNA_COMMITTEE, BOB_COMMITTEE, CYCLE) == 1
    assert donors.committee_gave_to_both(ANNA_COMMITTEE, ANNA_COMMITTEE, CYCLE).empty
    assert donors.committee_has_receipts(ANNA_COMMITTEE, CYCLE)
    assert not donors.committee_has_receipts("C99999999", CYCLE)
    assert not donors.committee_has_receipts(ANNA_COMMITTEE, 2022)


def test_race_new_donors_per_week_of_each_candidate_with_quiet_weeks(on_hand_made):
    weekly = donors.race_new_donors_weekly(CYCLE, "H", "OR", "05")
    weeks = sorted({pd.Timestamp(w).date() for w in weekly["week"]})
    # from Anna's first week (Jane Doe, Sam Lee: 3/4) to Bob's (Jane Doe, Max Ng: 5/6), every Monday
    assert weeks[0] == date(2024, 3, 4) and weeks[-1] == date(2024, 5, 6) and len(weeks) == 10
    anna = weekly[weekly["candidate_id"] == ANNA].set_index(weekly[weekly["candidate_id"] == ANNA]["week"])
    bob = weekly[weekly["candidate_id"] == BOB]
    assert anna["new_donors"].tolist() == [2, 1] + [0] * 8
    assert anna["donors_to_date"].tolist() == [2] + [3] * 9
    assert bob["new_donors"].tolist() == [0] * 9 + [2]
    assert bob["donors_to_date"].tolist() == [0] * 9 + [2]
    assert set(weekly["name"]) == {"SMITH, ANNA", "JONES, BOB"}


def test_race_new_donors_per_week_count_each_donor_of_the_race_once(on_hand_made):
    total = donors.race_new_donors_total_weekly(CYCLE, "H", "OR", "05")
    # Jane Doe and Sam Lee (3/4), Pat Roe (3/11), Max Ng (5/6); Jane Doe's gift to Bob is no new donor
    assert [pd.Timestamp(w).date() for w in total["week"]] == [date(2024, 3, 4), date(2024, 3, 11), date(2024, 5, 6)]
    assert total["new_donors"].tolist() == [2, 1, 1] and total["donors_to_date"].tolist() == [2, 3, 4]
    assert total["donors_to_date"].iloc[-1] == donors.race_donor_counts(CYCLE, "H", "OR", "05").iloc[0]["unique_donors"]


def test_one_row_per_donor_of_known_donors(on_hand_made):
    filters = ReceiptFilters.from_query({"cycle": str(CYCLE), "candidate_id": ANNA})
    grouped = receipts.receipts_by_donor(filters, "name", 100, 0)
    assert grouped[["contributor_name", "total", "gifts"]].values.tolist() == [
        ["Doe,  Jane", 150, 2],  # two spellings, one donor key (named as on the latest); no memo row
        ["FOX, ZOE", -40, 0],  # only a refund: no gift
        ["LEE, SAM", 250, 1],
        ["ROE, PAT", 0, 1],  # a gift and its refund
    ]
    assert grouped["donors"].tolist() == [4] * 4
    jane = grouped.iloc[0]
    assert (pd.Timestamp(jane["first_date"]).date(), pd.Timestamp(jane["last_date"]).date()) == (
        date(2024, 3, 4),
        date(2024, 3, 20),
    )
    assert receipts.receipts_by_donor(filters, "-total", 1, 0)["contributor_name"].tolist() == ["LEE, SAM"]
    assert receipts.receipts_by_donor(filters, "-total", 2, 2)["contributor_name"].tolist() == ["ROE, PAT", "FOX, ZOE"]
    summary = receipts.receipts_summary(filters).iloc[0]
    assert round(grouped["total"].sum(), 2) == round(summary["amount"], 2)


def test_committee_page_compares_with_another_committee_and_names_the_shared_donor(on_hand_made):
    import app  # noqa: F401  (the Dash app registers the pages)
    from pages import committee

    layout = committee.layout(committee_id=ANNA_COMMITTEE, cycle=str(CYCLE), compare=BOB_COMMITTEE.lower())
    page = page_text(layout)
    assert "Gave to both SMITH FOR CONGRESS and JONES FOR CONGRESS" in page
    assert "1 donor gave to both." in page and "/donor/DOE%2C%20JANE%7C97201" in page
    lines = store_content(layout, "committee-gave-to-both").splitlines()
    assert lines[0] == f"# {donors.DONOR_LIST_NOTICE}"
    assert lines[1] == (
        "donor_key,contributor_name,city,state,zip5,"
        f"amount_to_{ANNA_COMMITTEE},gifts_to_{ANNA_COMMITTEE},amount_to_{BOB_COMMITTEE},gifts_to_{BOB_COMMITTEE}"
    )
    assert lines[2:] == ['"DOE, JANE|97201","DOE, JANE",PORTLAND,OR,97201,150,2,500,1']
    # by name (the search box's best committee match), and the refusals, on the page rather than a 404
    by_name = page_text(committee.layout(committee_id=ANNA_COMMITTEE, compare="jones for congress"))
    assert "Gave to both SMITH FOR CONGRESS and JONES FOR CONGRESS" in by_name
    for typed, message in (
        ("C99999999", "There is no committee C99999999 in the 2024 cycle."),
        (ANNA_COMMITTEE, "Pick another committee than SMITH FOR CONGRESS."),
        ("C1234567X", "committee_id: 'C1234567X' is not an FEC committee id"),
        ("nobody at all", "No committee matches 'nobody at all'"),
    ):
        assert message in page_text(committee.layout(committee_id=ANNA_COMMITTEE, compare=typed))
    plain = page_text(committee.layout(committee_id=ANNA_COMMITTEE))
    assert "Compare the donors of SMITH FOR CONGRESS" in plain and "Gave to both" not in plain


def test_candidate_page_compares_with_any_candidate(on_hand_made):
    import app  # noqa: F401
    from pages import candidate

    layout = candidate.layout(candidate_id=BOB, cycle=str(CYCLE), compare=ANNA)
    page = page_text(layout)
    assert "Gave to both JONES, BOB and SMITH, ANNA" in page
    lines = store_content(layout, "candidate-gave-to-both").splitlines()
    assert lines[0] == f"# {donors.DONOR_LIST_NOTICE}"
    assert lines[2:] == ['"DOE, JANE|97201","DOE, JANE",PORTLAND,OR,97201,500,1,150,2']
    assert "There is no candidate H4OR05009 in the 2024 cycle." in page_text(
        candidate.layout(candidate_id=BOB, cycle=str(CYCLE), compare="H4OR05009")
    )


def test_race_page_draws_new_donors_per_week_per_candidate_with_its_csv(on_hand_made):
    import app  # noqa: F401
    from pages import race

    layout = race.house(state="OR", district="05", cycle="2024")
    page = page_text(layout)
    assert "New itemized donors per week of each candidate for House OR-05, 2024" in page
    lines = store_content(layout, "race-new-donors").splitlines()
    assert lines[0] == "candidate_id,name,party,week,new_donors,donors_to_date"
    assert f'{ANNA},"SMITH, ANNA",,2024-03-04,2,2' in lines
    assert f'{BOB},"JONES, BOB",,2024-05-06,2,2' in lines
    race_rows = [line for line in lines if ",Whole race (each donor once)," in line]
    assert len(race_rows) == 10  # every week of the chart, quiet ones with 0 new donors
    assert race_rows[0] == ",Whole race (each donor once),,2024-03-04,2,2"
    assert race_rows[-1] == ",Whole race (each donor once),,2024-05-06,1,4"


def test_receipts_explorer_groups_the_view_by_donor(on_hand_made):
    import app  # noqa: F401
    from pages import receipts as explorer

    page = page_text(explorer.layout(cycle="2024", candidate_id=ANNA, group="donor"))
    assert "rx-donor-grid" in page and "One per donor" in page and "Largest total first" in page
    view = {"query": {"cycle": "2024", "candidate_id": ANNA}, "sort": "-total", "rows": 4}
    response, status = explorer.donor_rows_block({"startRow": 0, "endRow": 100, "sortModel": []}, view)
    assert [r["contributor_name"] for r in response["rowData"]] == ["LEE, SAM", "Doe,  Jane", "ROE, PAT", "FOX, ZOE"]
    assert response["rowData"][1]["donor_link"] == "[Doe,  Jane](/donor/DOE%2C%20JANE%7C97201)"
    assert response["rowCount"] == 4 and status == "Donors 1 to 4 of 4 loaded."
    by_name = explorer.donor_rows_block({"startRow": 0, "endRow": 2, "sortModel": [{"colId": "donor_key"}]}, view)
    assert [r["contributor_name"] for r in by_name[0]["rowData"]] == ["Doe,  Jane", "FOX, ZOE"]
    assert explorer.donor_sort_from_header({"sortModel": [{"colId": "gifts", "sort": "desc"}]}, view) == (
        f"/receipts?cycle=2024&candidate_id={ANNA}&sort=-gifts&group=donor"
    )
    csv = explorer.donor_csv(1, view)["content"].splitlines()
    assert csv[0] == f"# {donors.DONOR_LIST_NOTICE}"
    assert csv[1] == "donor_key,contributor_name,city,state,zip5,employer,total,gifts,first_date,last_date"
    assert csv[2].startswith('"LEE, SAM|97202","LEE, SAM",PORTLAND,OR,97202,,250,1,2024-03-10,2024-03-10')
    # the toggle keeps the filters; a sort of the other view is refused with the parameter named
    plain = page_text(explorer.layout(cycle="2024", candidate_id=ANNA))
    assert f"/receipts?cycle=2024&candidate_id={ANNA}&group=donor" in plain
    refused = page_text(explorer.layout(cycle="2024", candidate_id=ANNA, group="donor", sort="-amount"))
    assert "sort:" in refused


# ----------------------------------------------------------------------------- the demo


def test_overlaps_of_any_two_committees_and_candidates_match_the_receipts_extract(small_snapshot):
    con = demo_receipts(small_snapshot)
    pairs = con.execute(
        """SELECT a.committee_id, b.committee_id, any_value(a.candidate_id), any_value(b.candidate_id)
           FROM receipts a JOIN receipts b USING (donor_key, cycle)
           WHERE a.cycle = 2024 AND a.committee_id < b.committee_id AND a.amount > 0 AND b.amount > 0
           GROUP BY ALL ORDER BY count(DISTINCT donor_key) DESC, 1, 2 LIMIT 3"""
    ).fetchall()
    assert pairs
    for committee_a, committee_b, candidate_a, candidate_b in pairs:
        expected = con.execute(
            """SELECT donor_key, sum(amount) FILTER (WHERE committee_id = ?), count(*) FILTER (WHERE committee_id = ?),
                      sum(amount) FILTER (WHERE committee_id = ?), count(*) FILTER (WHERE committee_id = ?)
               FROM receipts WHERE cycle = 2024 AND committee_id IN (?, ?) AND amount > 0
               GROUP BY donor_key HAVING count(DISTINCT committee_id) = 2 ORDER BY donor_key""",
            [committee_a, committee_a, committee_b, committee_b, committee_a, committee_b],
        ).fetchall()
        both = donors.committee_gave_to_both(committee_a, committee_b, 2024).sort_values("donor_key")
        got = [
            (k, float(a), int(ga), float(b), int(gb))
            for k, a, ga, b, gb in both[["donor_key", "amount_a", "gifts_a", "amount_b", "gifts_b"]].values
        ]
        assert got == [(k, float(a), ga, float(b), gb) for k, a, ga, b, gb in expected]
        assert donors.committee_shared_donor_count(committee_a, committee_b, 2024) == len(expected)
        # two candidates of different races (a senator and a presidential candidate) compare as well
        shared = con.execute(
            """SELECT count(*) FROM (SELECT donor_key FROM receipts WHERE cycle = 2024 AND candidate_id = ?
               AND amount > 0 INTERSECT SELECT donor_key FROM receipts WHERE cycle = 2024 AND candidate_id = ?
               AND amount > 0)""",
            [candidate_a, candidate_b],
        ).fetchall()[0][0]
        assert len(donors.gave_to_both(candidate_a, candidate_b, 2024)) == shared >= 1


def test_race_new_donors_per_week_match_first_gifts_in_the_receipts_extract(small_snapshot):
    con = demo_receipts(small_snapshot)
    top = races.top_races(2024, office="H", limit=1).iloc[0]
    weekly = donors.race_new_donors_weekly(2024, "H", top["state"], top["district"])
    members = races.race_candidates(2024, "H", top["state"], top["district"])["candidate_id"].tolist()
    expected = con.execute(
        f"""SELECT candidate_id, CAST(date_trunc('week', first) AS DATE) AS week, count(*) FROM (
               SELECT candidate_id, donor_key, min(date) AS first FROM receipts
               WHERE cycle = 2024 AND amount > 0 AND candidate_id IN ({", ".join("?" for _ in members)})
               GROUP BY ALL) WHERE first IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        members,
    ).fetchall()
    got = [
        (c, pd.Timestamp(w).date(), int(n))
        for c, w, n in weekly[weekly["new_donors"] > 0][["candidate_id", "week", "new_donors"]].values
    ]
    assert sorted(got) == expected and expected
    total = donors.race_new_donors_total_weekly(2024, "H", top["state"], top["district"])
    firsts = con.execute(
        f"""SELECT CAST(date_trunc('week', first) AS DATE), count(*) FROM (
               SELECT donor_key, min(date) AS first FROM receipts
               WHERE cycle = 2024 AND amount > 0 AND candidate_id IN ({", ".join("?" for _ in members)})
               GROUP BY ALL) WHERE first IS NOT NULL GROUP BY ALL ORDER BY ALL""",
        members,
    ).fetchall()
    assert [(pd.Timestamp(w).date(), int(n)) for w, n in total[["week", "new_donors"]].values] == firsts
    assert total["donors_to_date"].tolist() == list(pd.Series([n for _w, n in firsts]).cumsum())
    # every candidate has the same weeks, none skipped
    spans = weekly.groupby("candidate_id")["week"].agg(["count", "min", "max"])
    assert spans["count"].nunique() == 1 and spans["min"].nunique() == 1
    assert (pd.to_datetime(weekly["week"]).dt.day_of_week == 0).all()


@pytest.mark.parametrize(
    "query",
    [{"candidate_id": None}, {"q": None}, {"state": "CA", "min": "500"}],
    ids=["candidate", "name", "state-and-amount"],
)
def test_one_row_per_donor_adds_up_to_the_view_in_the_demo(small_snapshot, query):
    con = demo_receipts(small_snapshot)
    sample = con.execute(
        "SELECT candidate_id, split_part(contributor_name, ',', 1) FROM receipts WHERE cycle = 2024 "
        "AND contributor_name IS NOT NULL ORDER BY sub_id LIMIT 1"
    ).fetchall()[0]
    filled = {"candidate_id": sample[0], "q": sample[1][:4]}
    filters = ReceiptFilters.from_query({"cycle": "2024", **{k: v or filled[k] for k, v in query.items()}})
    summary = receipts.receipts_summary(filters).iloc[0]
    grouped = receipts.receipts_by_donor(filters, "-total", 1_000_000, 0)
    assert len(grouped) == grouped["donors"].iloc[0] > 0
    assert round(grouped["total"].sum(), 2) == round(summary["amount"], 2)
    assert grouped["donor_key"].is_unique
    assert grouped["total"].is_monotonic_decreasing
    # pages of 7 donors in any order are the same donors as one long page
    for sort in ("name", "-gifts", "first_date"):
        whole = receipts.receipts_by_donor(filters, sort, 1_000_000, 0)["donor_key"].tolist()
        paged = []
        for offset in range(0, min(len(whole), 35), 7):
            paged += receipts.receipts_by_donor(filters, sort, 7, offset)["donor_key"].tolist()
        assert paged == whole[: len(paged)]


@pytest.mark.parametrize("cycle", ["2024", "all"], ids=["whole-cycle", "all-cycles"])
def test_every_donor_of_a_cycle_or_of_all_cycles_matches_the_receipts(small_snapshot, cycle):
    """With no filter but the cycle, the view reads the search index's donors tables instead of the
    receipts: the same donors, totals, gifts and dates as grouping the receipts, in every order."""
    con = demo_receipts(small_snapshot)
    truth = (
        con.execute(
            f"""SELECT donor_key, sum(amount) AS total, count(*) FILTER (WHERE amount > 0) AS gifts,
                   min(date) AS first_date, max(date) AS last_date
            FROM receipts WHERE donor_key IS NOT NULL {"AND cycle = 2024" if cycle == "2024" else ""}
            GROUP BY donor_key"""
        )
        .df()
        .set_index("donor_key")
    )
    filters = ReceiptFilters.from_query({"cycle": cycle})
    grouped = receipts.receipts_by_donor(filters, "-total", 1_000_000, 0).set_index("donor_key")
    assert len(grouped) == grouped["donors"].iloc[0] == len(truth)
    assert grouped["total"].is_monotonic_decreasing
    joined = grouped.merge(truth, left_index=True, right_index=True, suffixes=("", "_truth"))
    assert (joined["total"].round(2) == joined["total_truth"].round(2)).all()
    assert (joined["gifts"] == joined["gifts_truth"]).all()
    assert (pd.to_datetime(joined["last_date"]) == pd.to_datetime(joined["last_date_truth"])).all()
    assert joined["contributor_name"].notna().all()
    for sort in ("name", "-last_date", "gifts"):
        whole = receipts.receipts_by_donor(filters, sort, 1_000_000, 0)
        column, descending = receipts.DONOR_SORTS[sort]
        expected = whole.sort_values([column, "donor_key"], ascending=not descending)["donor_key"].tolist()
        assert whole["donor_key"].tolist() == expected
        paged = []
        for offset in range(0, 35, 7):
            paged += receipts.receipts_by_donor(filters, sort, 7, offset)["donor_key"].tolist()
        assert paged == expected[:35]
