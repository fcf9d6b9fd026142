"""Queries against a small generated snapshot, checked against the extract files themselves.

Expected values are computed by reading the Parquet files directly (not through dashboard.app.db),
so a wrong view, join or filter in a query shows up as a difference.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import candidates, committees, home, races, search, snapshot
from dashboard.core import contract


@pytest.fixture(scope="module")
def files(small_snapshot):
    """Read an extract straight from the published snapshot folder."""
    folder = (small_snapshot / "current").resolve()

    def read(name: str) -> pd.DataFrame:
        if (folder / name).is_dir():
            source = f"read_parquet('{folder / name}/**/*.parquet', hive_partitioning = true)"
        else:
            source = f"read_parquet('{folder / name}.parquet')"
        return duckdb.sql(f"SELECT * FROM {source}").df()

    read.folder = folder
    return read


@pytest.fixture(scope="module")
def cycle(files):
    """The cycle with the most money in the demo, so every office has data."""
    totals = files("candidate_totals")
    return int(totals.groupby("cycle")["receipts"].sum().idxmax())


# --- home ---------------------------------------------------------------------------------


def test_headline_totals_equal_sums_of_the_extracts(files, cycle):
    cands = files("candidates")
    totals = files("candidate_totals")
    joined = cands[cands.cycle == cycle].merge(totals, on=["candidate_id", "cycle"], how="left")
    headline = home.headline_by_office(cycle).set_index("office")
    for office in ("H", "S"):
        expected = joined[joined.office == office]
        assert headline.loc[office, "n_candidates"] == len(expected)
        assert headline.loc[office, "receipts"] == pytest.approx(expected.receipts.sum(), abs=0.01)
        assert headline.loc[office, "cash_on_hand"] == pytest.approx(expected.cash_on_hand.sum(), abs=0.01)
    assert list(headline.index)[:2] == ["H", "S"]  # House first, then Senate


def test_cycles_available_are_the_snapshots_cycles(files):
    assert home.cycles_available() == sorted(files("candidates").cycle.unique(), reverse=True)


def test_a_cycle_without_data_has_no_headline_rows():
    assert home.headline_by_office(1980).empty


# --- races --------------------------------------------------------------------------------


def test_top_races_are_the_biggest_rows_of_agg_district(files, cycle):
    top = races.top_races(cycle, limit=10)
    district = files("agg_district")
    expected = district[district.cycle == cycle].nlargest(10, "receipts")
    assert list(top.receipts) == pytest.approx(list(expected.receipts))
    assert top.receipts.is_monotonic_decreasing
    row = top.iloc[0]
    assert row.race_path.endswith(f"/{cycle}")
    assert row.race_path.startswith({"H": "/race/house/", "S": "/race/senate/", "P": "/race/president/"}[row.office])


def test_top_races_of_one_office(cycle):
    senate = races.top_races(cycle, office="S", limit=5)
    assert len(senate) == 5 and set(senate.office) == {"S"}
    assert all(path.startswith("/race/senate/") for path in senate.race_path)


def test_race_candidates_are_every_candidate_of_the_race_with_their_totals(files, cycle):
    top = races.top_races(cycle, office="H", limit=1).iloc[0]
    found = races.race_candidates(cycle, "H", top.state, top.district)
    cands = files("candidates")
    expected = cands[
        (cands.cycle == cycle) & (cands.office == "H") & (cands.state == top.state) & (cands.district == top.district)
    ]
    assert set(found.candidate_id) == set(expected.candidate_id)
    assert found.receipts.sum() == pytest.approx(top.receipts, abs=0.01)
    assert found.receipts.is_monotonic_decreasing
    assert found.candidate_path.iloc[0] == f"/candidate/{found.candidate_id.iloc[0]}?cycle={cycle}"


def test_senate_and_presidential_races(files):
    cands = files("candidates")
    senator = cands[cands.office == "S"].iloc[0]
    found = races.race_candidates(int(senator.cycle), "S", senator.state)
    assert senator.candidate_id in set(found.candidate_id)
    assert set(found.office) == {"S"} and set(found.state) == {senator.state}
    president = cands[cands.office == "P"]
    if not president.empty:
        cycle = int(president.cycle.iloc[0])
        assert set(races.race_candidates(cycle, "P").candidate_id) == set(
            president[president.cycle == cycle].candidate_id
        )


def test_race_summary_and_cycles(files, cycle):
    top = races.top_races(cycle, office="H", limit=1).iloc[0]
    summary = races.race_summary(cycle, "H", top.state, top.district)
    assert len(summary) == 1 and summary.receipts.iloc[0] == pytest.approx(top.receipts)
    assert cycle in races.race_cycles("H", top.state, top.district)
    assert races.race_summary(cycle, "H", "WA", "53").empty


# --- search -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def person(files):
    """A candidate whose surname is unique, so expectations are exact."""
    cands = files("candidates").sort_values("cycle")
    cands["surname"] = cands.name.str.split(",").str[0]
    once = cands.groupby("surname").candidate_id.nunique()
    unique = cands[cands.surname.isin(once[once == 1].index) & cands.name.str.contains(", ")]
    return unique.iloc[-1]


def test_exact_name_ranks_first(person):
    found = search.search(person["name"].lower())
    assert found.iloc[0].id == person.candidate_id
    assert found.iloc[0].tier == 0
    assert found.iloc[0].path == f"/candidate/{person.candidate_id}?cycle={person.cycle}"


def test_partial_words_in_any_order(person):
    surname, given = person["name"].split(", ", 1)
    for text in (f"{surname[:3]} {given[:2]}", f"{given[:2]} {surname[:3]}"):
        found = search.search(text)
        assert person.candidate_id in set(found.id), text
        assert found.set_index("id").loc[person.candidate_id, "tier"] <= 2


def test_search_finds_committees_and_leads_to_their_candidate(files):
    comms = files("committees")
    mine = comms[comms.candidate_id.notna() & comms.designation.eq("P")].iloc[0]
    found = search.search(mine["name"])
    row = found.set_index("id").loc[mine.committee_id]
    assert row.kind == "committee"
    assert row.path.startswith(f"/candidate/{mine.candidate_id}?cycle=")


def test_committee_without_candidate_leads_to_the_committee(files):
    comms = files("committees")
    orphan = comms[comms.candidate_id.isna()].iloc[0]
    row = search.search(orphan["name"]).set_index("id").loc[orphan.committee_id]
    assert row.path.startswith(f"/committee/{orphan.committee_id}")


def test_search_by_id_and_limits(person):
    assert search.search(person.candidate_id.lower()).iloc[0].id == person.candidate_id
    assert len(search.search("a")) == 0  # too short
    assert len(search.search("e")) == 0
    assert len(search.search("an")) <= 10
    assert list(search.search("zzzzqqq").columns) == search.COLUMNS


def test_search_text_is_data_not_sql():
    assert search.search("'; DROP VIEW candidates; --").empty
    assert not search.search("o'brien x").columns.empty
    assert home.cycles_available()  # the views are still there


# --- candidates and committees ------------------------------------------------------------


def test_candidate_summary_matches_candidate_totals(files, cycle):
    totals = files("candidate_totals")
    row = totals[totals.cycle == cycle].nlargest(1, "receipts").iloc[0]
    summary = candidates.candidate_summary(row.candidate_id, cycle)
    assert len(summary) == 1
    for column in ("receipts", "disbursements", "cash_on_hand", "debts"):
        assert summary[column].iloc[0] == pytest.approx(row[column])
    assert candidates.candidate_summary(row.candidate_id, 1980).empty


def test_candidate_committees_flag_the_ones_in_the_totals(files, cycle):
    totals = files("candidate_totals")
    row = totals[(totals.cycle == cycle)].nlargest(1, "receipts").iloc[0]
    found = candidates.candidate_committees(row.candidate_id, cycle)
    assert set(found[found.in_totals].committee_id) == set(row.committee_ids)
    assert found.name.notna().all()


def test_candidate_cycles(files):
    cands = files("candidates")
    many = cands.groupby("candidate_id").cycle.nunique().idxmax()
    assert candidates.candidate_cycles(many).cycle.tolist() == sorted(cands[cands.candidate_id == many].cycle)


def test_committee_cycles(files):
    comms = files("committees")
    one = comms.iloc[0]
    found = committees.committee_cycles(one.committee_id)
    assert one.cycle in set(found.cycle) and found.cycle.is_monotonic_decreasing


# --- snapshot facts -----------------------------------------------------------------------


def test_row_counts_are_the_manifests_and_the_files(files):
    manifest = json.loads((files.folder / "manifest.json").read_text())
    counts = snapshot.row_counts().set_index("extract")["rows"].to_dict()
    assert counts == {k: v for k, v in manifest["row_counts"].items() if k in contract.extract_names()}
    assert counts["candidates"] == len(files("candidates"))
    assert counts["receipts"] == len(files("receipts"))


def test_coverage_by_cycle(files):
    manifest = json.loads((files.folder / "manifest.json").read_text())
    coverage = snapshot.coverage_by_cycle().set_index("cycle")
    assert list(coverage.index) == sorted(manifest["cycles"])
    for cycle, end in manifest["coverage_end"].items():
        assert coverage.loc[int(cycle), "coverage_end"] == end
    totals = files("candidate_totals")
    assert coverage.receipts.sum() == pytest.approx(totals.receipts.sum(), abs=0.05)
    assert snapshot.latest_coverage_end() == max(manifest["coverage_end"].values())
    # The data page's grand total of a cycle adds up the same candidates as the home page's headline.
    for cycle in coverage.index:
        assert coverage.loc[cycle, "receipts"] == pytest.approx(
            home.headline_by_office(cycle).receipts.sum(), abs=0.005
        )
