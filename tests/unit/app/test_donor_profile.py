"""One donor's page queries (dashboard/app/queries/donor_profile.py) and the `donors` extract they read
(dashboard/pipeline/builder/donors.py): on a hand-made snapshot whose donors and limits are known, and on the
demo snapshot reconciled with the generator's truth of its planted donors (pipeline/demo/donor_traps.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import donor_profile
from dashboard.core import fec
from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.pipeline.demo import donor_traps
from tests.unit.pipeline.raw_tables import write_raw
from tests.unit.pipeline.test_builder_donor_counts import (
    ANNA,
    ANNA_COMMITTEE,
    BOB,
    BOB_COMMITTEE,
    gift,
    write_two_candidates,
)

KIM = "KIM, LEE|97201"


def stated(election_type) -> str | None:
    """The election as filed, None when the filing does not say (NaN in a frame)."""
    return election_type if isinstance(election_type, str) else None


def write_kim(raw: Path) -> None:
    """Lee Kim (97201), 2024, limit $3,300 per election: to Anna $2,000 + $1,500 for the primary (over by
    $200) and $3,300 for the general under another spelling (at the limit, not over); to Bob $3,000 + $500 for
    the primary less a $300 refund (under), and $3,400 with no election stated (over). Look-alikes: Lee Kim in
    97299 (other ZIP), 'KIM, LEE A' in 97201 (middle initial); 'KIM, LEEANN' in 97201 is another first name.
    Ann Park files once as 'PARK, ANN' and later once as 'Park, Ann'."""
    write_two_candidates(raw)  # candidates, committees, linkages (its gifts are replaced below)
    old, new = {"employer": "OLDCO", "occupation": "CLERK"}, {"employer": "ACME", "occupation": "ENGINEER"}
    write_raw(
        raw,
        "schedule_a",
        [
            gift(1, ANNA_COMMITTEE, "KIM, LEE", "97201", date(2024, 3, 1), "2000.00", election_type="P2024", **old),
            gift(2, ANNA_COMMITTEE, "KIM, LEE", "97201", date(2024, 4, 1), "1500.00", election_type="P2024", **old),
            gift(3, ANNA_COMMITTEE, "Kim, Lee Mr.", "97201-5555", date(2024, 7, 1), "3300.00", election_type="G2024",
                 image_number="202407019000000123", **new),
            gift(4, BOB_COMMITTEE, "KIM, LEE", "97201", date(2024, 2, 1), "3000.00", election_type="P2024", **old),
            gift(5, BOB_COMMITTEE, "KIM, LEE", "97201", date(2024, 2, 2), "500.00", election_type="P2024", **old),
            gift(6, BOB_COMMITTEE, "KIM, LEE", "97201", date(2024, 8, 1), "300.00", election_type="P2024",
                 receipt_type="22Y", employer="REFUNDCO"),
            gift(7, BOB_COMMITTEE, "KIM, LEE", "97201", date(2024, 5, 1), "3400.00", **old),
            gift(8, BOB_COMMITTEE, "KIM, LEE", "97299", date(2024, 5, 2), "100.00", election_type="P2024"),
            gift(9, ANNA_COMMITTEE, "KIM, LEE A", "97201", date(2024, 5, 3), "50.00", election_type="P2024"),
            gift(10, ANNA_COMMITTEE, "KIM, LEEANN", "97201", date(2024, 5, 4), "75.00", election_type="P2024"),
            gift(11, ANNA_COMMITTEE, "PARK, ANN", "97202", date(2024, 3, 1), "20.00", election_type="P2024"),
            gift(12, ANNA_COMMITTEE, "Park, Ann", "97202", date(2024, 3, 2), "30.00", election_type="P2024"),
        ],
    )  # fmt: skip


@pytest.fixture(scope="module")
def hand_made(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("donor-profile")
    write_kim(data_dir / "raw")
    build_and_publish(data_dir, source="demo")
    return data_dir


@pytest.fixture
def on_hand_made(hand_made, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(hand_made))


def test_donor_row_merges_spellings_and_takes_the_latest_gifts_job(on_hand_made):
    summary = donor_profile.donor_summary(KIM)
    assert summary["cycle"].isna().tolist() == [True, False]  # all cycles, then 2024
    whole = summary.iloc[0]
    # 2000 + 1500 + 3300 + 3000 + 500 - 300 (refund) + 3400
    assert float(whole["amount"]) == 13400.0
    assert (whole["gifts"], whole["refunds"], whole["recipients"]) == (6, 1, 2)
    assert whole["name"] == "KIM, LEE"  # filed five times; 'Kim, Lee Mr.' once
    # the latest gift's job; the later refund's row does not count
    assert (whole["employer"], whole["occupation"], whole["zip5"]) == ("ACME", "ENGINEER", "97201")
    assert (whole["first_date"], whole["last_date"]) == (pd.Timestamp(2024, 2, 1), pd.Timestamp(2024, 8, 1))
    assert donor_profile.donor_variants(KIM)["variant"].tolist() == ["KIM, LEE", "Kim, Lee Mr."]


def test_donors_extract_rows_are_sorted_by_key_and_name_ties_go_to_the_latest_spelling(hand_made):
    rows = duckdb.sql(
        f"SELECT donor_key, name, variants FROM read_parquet('{hand_made}/current/donors.parquet')"
    ).fetchall()
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    park = {r[0]: (r[1], r[2]) for r in rows}["PARK, ANN|97202"]
    assert park == ("Park, Ann", ["PARK, ANN", "Park, Ann"])  # once each: the later one names the donor


def test_per_election_totals_flag_only_what_passes_the_limit(on_hand_made):
    by_election = donor_profile.donor_by_election(KIM)
    got = {
        (r.candidate_id, r.election_label): (float(r.amount), int(r.limit), bool(r.over_limit))
        for r in by_election.itertuples()
    }
    assert got == {
        (ANNA, "Primary 2024"): (3500.0, 3300, True),
        (ANNA, "General 2024"): (3300.0, 3300, False),  # at the limit is within it
        (BOB, "Primary 2024"): (3200.0, 3300, False),  # a refund brought it under
        (BOB, fec.ELECTION_NOT_STATED): (3400.0, 3300, True),
    }
    flags = donor_profile.limit_flags(KIM)
    assert [(r.candidate_id, stated(r.election_type), float(r.excess)) for r in flags.itertuples()] == [
        (ANNA, "P2024", 200.0),
        (BOB, None, 100.0),
    ]
    by_recipient = donor_profile.donor_by_recipient(KIM)
    assert {r.candidate_id: float(r.amount) for r in by_recipient.itertuples()} == {ANNA: 6800.0, BOB: 6600.0}


def test_every_gift_newest_first_with_names_and_filing(on_hand_made):
    gifts = donor_profile.donor_gifts(KIM)
    assert gifts["date"].tolist() == sorted(gifts["date"].tolist(), reverse=True)
    assert len(gifts) == 7 and float(gifts["amount"].sum()) == 13400.0
    assert set(gifts["committee_name"]) == {"SMITH FOR CONGRESS", "JONES FOR CONGRESS"}
    refund = gifts[gifts["amount"] < 0].iloc[0]
    assert (float(refund["amount"]), refund["receipt_type"]) == (-300.0, "22Y")
    assert gifts.loc[gifts["election_type"].isna(), "election_label"].tolist() == [fec.ELECTION_NOT_STATED]
    assert "202407019000000123" in gifts["image_number"].tolist()


def test_near_misses_are_the_other_zip_and_the_middle_initial_never_another_first_name(on_hand_made):
    near = donor_profile.donor_near_misses(KIM)
    assert dict(zip(near["donor_key"], near["reason"])) == {
        "KIM, LEE|97299": donor_profile.NEAR_MISS_OTHER_ZIP,
        "KIM, LEE A|97201": donor_profile.NEAR_MISS_MIDDLE,
    }
    # and the other way round: the middle initial's look-alikes include Lee Kim of the same ZIP
    assert donor_profile.donor_near_misses("KIM, LEE A|97201")["donor_key"].tolist() == [KIM]


def test_unknown_donor_has_no_rows(on_hand_made):
    key = "NOBODY, AT ALL|00000"
    for query in (
        donor_profile.donor_summary,
        donor_profile.donor_gifts,
        donor_profile.donor_by_recipient,
        donor_profile.donor_by_election,
        donor_profile.limit_flags,
        donor_profile.donor_variants,
        donor_profile.donor_near_misses,
    ):
        assert query(key).empty, query.__name__


# ----------------------------------------------------------------------------- the demo's planted donors


@pytest.fixture(scope="module")
def truth(small_snapshot) -> pd.DataFrame:
    frames = [pd.read_parquet(f) for f in sorted((small_snapshot / "demo_truth").glob("donors-*.parquet"))]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def on_demo(small_snapshot, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(small_snapshot))


def merged_key(truth: pd.DataFrame) -> str:
    keys = truth.loc[truth["role"].isin(["merged", "merged_variant"]), "donor_key"].unique()
    assert len(keys) == 1  # both spellings under one key
    return keys[0]


def test_demo_donor_totals_equal_the_generators_truth(on_demo, truth):
    for key, rows in truth.groupby("donor_key"):
        per_cycle = rows.groupby("cycle")[["amount_cents", "gifts", "refunds"]].sum()
        summary = donor_profile.donor_summary(key)
        got = summary[summary["cycle"].notna()].set_index("cycle")
        assert sorted(got.index) == sorted(per_cycle.index), key
        for cycle, want in per_cycle.iterrows():
            row = got.loc[cycle]
            assert round(float(row["amount"]) * 100) == want["amount_cents"], (key, cycle)
            assert (row["gifts"], row["refunds"]) == (want["gifts"], want["refunds"]), (key, cycle)


def test_demo_variants_and_near_misses_are_the_planted_ones(on_demo, truth):
    key = merged_key(truth)
    assert donor_profile.donor_variants(key)["variant"].tolist() == [
        donor_traps.MERGED_NAME,
        donor_traps.MERGED_VARIANT,
    ]
    near = donor_profile.donor_near_misses(key)
    keys = dict(truth[["role", "donor_key"]].drop_duplicates().values)
    assert dict(zip(near["donor_key"], near["reason"])) == {
        keys["other_zip"]: donor_profile.NEAR_MISS_OTHER_ZIP,
        keys["middle_initial"]: donor_profile.NEAR_MISS_MIDDLE,
    }


def test_demo_limit_flags_equal_the_truths_totals_over_the_limit(on_demo, truth):
    key = merged_key(truth)
    rows = truth[truth["donor_key"] == key]
    per_election = rows.groupby(["candidate_id", "cycle", "election_type"], dropna=False)["amount_cents"].sum()
    want = {
        (cid, int(cycle), None if pd.isna(election) else election)
        for (cid, cycle, election), cents in per_election.items()
        if cents > fec.INDIVIDUAL_LIMIT_PER_ELECTION[cycle] * 100
    }
    flags = donor_profile.limit_flags(key)
    assert want, "the busiest planted donor passes some per-election limit"
    assert {(r.candidate_id, int(r.cycle), stated(r.election_type)) for r in flags.itertuples()} == want
