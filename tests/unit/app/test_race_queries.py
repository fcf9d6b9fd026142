"""Race queries reconcile with what the demo generator really generated (its truth, in cents)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import races
from dashboard.core import contract


@pytest.fixture(scope="module")
def truth(small_snapshot: Path) -> pd.DataFrame:
    frame = duckdb.sql(f"SELECT * FROM read_parquet('{small_snapshot}/demo_truth/candidates.parquet')").df()
    return frame.set_index(["candidate_id", "cycle"])


@pytest.fixture(scope="module")
def candidates_file(small_snapshot: Path) -> pd.DataFrame:
    return duckdb.sql(f"SELECT * FROM read_parquet('{small_snapshot}/current/candidates.parquet')").df()


def sample_races(candidates_file: pd.DataFrame) -> list[tuple]:
    """The biggest House race of 2024, a Senate race of every cycle, and the presidential race."""
    house = races.top_races(2024, office="H", limit=1).iloc[0]
    picked = [(2024, "H", house.state, house.district)]
    for cycle in sorted(candidates_file.cycle.unique()):
        senate = races.top_races(int(cycle), office="S", limit=1).iloc[0]
        picked.append((int(cycle), "S", senate.state, None))
    picked.append((2024, "P", None, None))
    return picked


def cents(value) -> int:
    return int(round(float(value) * 100))


def test_race_periods_end_at_each_candidates_true_receipts(candidates_file, truth):
    for race in sample_races(candidates_file):
        periods = races.race_periods(*race)
        members = set(races.race_candidates(*race).candidate_id)
        assert set(periods.candidate_id) == members, race
        for cid, rows in periods.groupby("candidate_id"):
            assert rows.coverage_end.is_monotonic_increasing
            assert cents(rows.receipts_to_date.iloc[-1]) == truth.loc[(cid, race[0]), "receipts"], (race, cid)
            assert cents(rows.receipts.sum()) == truth.loc[(cid, race[0]), "receipts"]


def test_race_weekly_adds_up_to_each_candidates_itemized_money(candidates_file, truth):
    for race in sample_races(candidates_file):
        weekly = races.race_weekly(*race)
        for cid, rows in weekly.groupby("candidate_id"):
            true = truth.loc[(cid, race[0])]
            assert cents(rows.amount.sum()) == true.itemized_net, (race, cid)
            assert int(rows.n.sum()) == true.n_itemized
            assert cents(rows.amount_to_date.iloc[-1]) == true.itemized_net
            weeks = pd.to_datetime(rows.week)
            assert (weeks.dt.day_of_week == 0).all()  # Mondays
            assert set(weeks.diff().dropna().dt.days) == {7}  # no week skipped
        # Candidates missing from the weekly rows have no itemized money at all.
        for cid in set(races.race_candidates(*race).candidate_id) - set(weekly.candidate_id):
            assert truth.loc[(cid, race[0]), "n_itemized"] == 0


def test_race_sizes_add_itemized_and_unitemized_money(candidates_file, truth):
    for race in sample_races(candidates_file):
        sizes = races.race_sizes(*race)
        for cid, rows in sizes.groupby("candidate_id"):
            true = truth.loc[(cid, race[0])]
            assert list(rows.size_bucket) == [b for b, _ in contract.SIZE_BUCKETS]
            assert cents(rows.amount.sum()) == true.itemized_net + true.individual_unitemized, (race, cid)
            assert pd.isna(rows.n.iloc[0]) and rows.n.iloc[1:].notna().all()
            assert int(rows.n.iloc[1:].sum()) <= true.n_itemized
            if rows.amount.sum():
                assert rows.share.sum() == pytest.approx(1)


def test_race_home_state_splits_itemized_money(candidates_file, truth, small_snapshot):
    receipts = (
        duckdb.sql(f"""
        SELECT candidate_id, cycle, sum(amount) FILTER (WHERE r.state = c.state) AS home, sum(amount) AS total
        FROM read_parquet('{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true) r
        JOIN read_parquet('{small_snapshot}/current/candidates.parquet') c USING (candidate_id, cycle)
        GROUP BY ALL""")
        .df()
        .set_index(["candidate_id", "cycle"])
    )
    for race in sample_races(candidates_file):
        split = races.race_home_state(*race)
        assert split.itemized.is_monotonic_decreasing
        for row in split.itertuples():
            true = truth.loc[(row.candidate_id, race[0])]
            assert cents(row.in_state) + cents(row.out_of_state) == true.itemized_net
            home = receipts.loc[(row.candidate_id, race[0]), "home"]
            assert cents(row.in_state) == (0 if pd.isna(home) else cents(home))
            if race[1] == "P":
                assert row.in_state == 0  # the presidential race has no home state


def test_nearby_races_offer_the_closest_existing_races():
    near = races.nearby_races(2024, "H", "CA", "60")
    assert len(near) == 6 and set(near.state) == {"CA"} and set(near.cycle) == {2024}
    assert list(near.district[:2]) == ["52", "51"]  # nearest district numbers first
    president = races.nearby_races(2022, "P")
    assert list(president.race_path) == ["/race/president/2024"]
    senate = races.nearby_races(2030, "S", "TX")
    assert senate.race_path.iloc[0].startswith("/race/senate/TX/")
    assert senate.cycle.iloc[0] == senate.cycle.max()  # the nearest cycle first


def test_race_queries_of_an_unknown_race_are_empty():
    for query in (races.race_periods, races.race_weekly, races.race_sizes, races.race_home_state):
        assert query(2024, "H", "WA", "53").empty


def test_race_queries_carry_each_candidates_incumbency_from_the_candidates_extract(candidates_file):
    status = candidates_file.set_index(["candidate_id", "cycle"])["incumbent_challenge"]
    seen = set()
    for race in sample_races(candidates_file):
        for query in (races.race_candidates, races.race_periods, races.race_weekly, races.race_sizes):
            frame = query(*race)
            for row in frame.drop_duplicates("candidate_id").itertuples():
                assert row.incumbent_challenge == status.loc[(row.candidate_id, race[0])], (query.__name__, race)
                seen.add(row.incumbent_challenge)
        split = races.race_home_state(*race)
        assert list(split.incumbent_challenge) == [status.loc[(c, race[0])] for c in split.candidate_id]
    assert "I" in seen and "C" in seen  # the sample has incumbents and challengers
