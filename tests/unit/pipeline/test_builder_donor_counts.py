"""Unique, repeat and new donors (candidate_donor_counts, agg_candidate_donor_weeks in
dashboard/pipeline/builder/extracts.py): on hand-made raw rows with known donors, and reconciled with
the demo's receipts extract and the generator's raw itemized rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard.core import contract, geography, normalize
from dashboard.core.sql import literal_list
from dashboard.pipeline.builder.extracts import KNOWN_CONDUITS, build_extracts
from dashboard.store import layout
from tests.unit.pipeline.raw_tables import money, write_raw
from tests.unit.pipeline.test_builder_money_rules import connect

CYCLE = 2024
ANNA, BOB = "H4OR05001", "H4OR05002"
ANNA_COMMITTEE, BOB_COMMITTEE = "C00000021", "C00000022"


def gift(sub_id: int, committee_id: str, name: str, zip_code: str, day: date, amount: str, **more) -> dict:
    return {
        "sub_id": sub_id,
        "cycle": CYCLE,
        "committee_id": committee_id,
        "receipt_type": "15",
        "contributor_name": name,
        "city": "PORTLAND",
        "state": "OR",
        "zip": zip_code,
        "date": day,
        "amount": money(amount),
        **more,
    }


def write_two_candidates(raw: Path) -> None:
    """Anna and Bob run for OR-05. Anna: Jane Doe gives twice (once under another spelling), Sam Lee
    once, Pat Roe once then is refunded; Zoe Fox is only refunded (no gift: no donor). Bob: Jane Doe
    once (shared), Max Ng twice. One Jane Doe gift to Anna is a memo row (not counted)."""
    write_raw(
        raw,
        "candidates",
        [
            {"candidate_id": cid, "cycle": CYCLE, "name": name, "office": "H", "state": "OR", "district": "05",
             "principal_committee_id": committee, "election_year": CYCLE}
            for cid, name, committee in ((ANNA, "SMITH, ANNA", ANNA_COMMITTEE), (BOB, "JONES, BOB", BOB_COMMITTEE))
        ],
    )  # fmt: skip
    write_raw(
        raw,
        "committees",
        [
            {"committee_id": ANNA_COMMITTEE, "cycle": CYCLE, "name": "SMITH FOR CONGRESS", "committee_type": "H",
             "designation": "P", "candidate_id": ANNA, "state": "OR"},
            {"committee_id": BOB_COMMITTEE, "cycle": CYCLE, "name": "JONES FOR CONGRESS", "committee_type": "H",
             "designation": "P", "candidate_id": BOB, "state": "OR"},
        ],
    )  # fmt: skip
    write_raw(
        raw,
        "linkages",
        [
            {"candidate_id": ANNA, "committee_id": ANNA_COMMITTEE, "cycle": CYCLE, "designation": "P",
             "election_year": CYCLE},
            {"candidate_id": BOB, "committee_id": BOB_COMMITTEE, "cycle": CYCLE, "designation": "P",
             "election_year": CYCLE},
        ],
    )  # fmt: skip
    write_raw(
        raw,
        "schedule_a",
        [
            gift(1, ANNA_COMMITTEE, "DOE, JANE", "97201", date(2024, 3, 4), "100.00"),  # Monday
            gift(2, ANNA_COMMITTEE, "Doe,  Jane", "97201-1234", date(2024, 3, 20), "50.00"),
            gift(3, ANNA_COMMITTEE, "DOE, JANE", "97201", date(2024, 3, 21), "25.00", memo_code="X"),
            gift(4, ANNA_COMMITTEE, "LEE, SAM", "97202", date(2024, 3, 10), "250.00"),  # Sunday: week of 3/4
            gift(5, ANNA_COMMITTEE, "ROE, PAT", "97203", date(2024, 3, 12), "300.00"),
            gift(6, ANNA_COMMITTEE, "ROE, PAT", "97203", date(2024, 4, 1), "300.00", receipt_type="22Y"),
            gift(7, ANNA_COMMITTEE, "FOX, ZOE", "97204", date(2024, 4, 2), "40.00", receipt_type="22Y"),
            gift(8, BOB_COMMITTEE, "DOE, JANE", "97201", date(2024, 5, 6), "500.00"),
            gift(9, BOB_COMMITTEE, "NG, MAX", "97205", date(2024, 5, 7), "20.00"),
            gift(10, BOB_COMMITTEE, "NG, MAX", "97205", date(2024, 6, 7), "30.00"),
        ],
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("donor-counts")
    raw, out = tmp / "raw", tmp / "out"
    out.mkdir()
    write_two_candidates(raw)
    build_extracts(duckdb.connect(), raw, out)
    return out


def rows(out: Path, extract: str, columns: str) -> list[tuple]:
    return duckdb.sql(f"SELECT {columns} FROM {layout.extract_reader(out, extract)} ORDER BY ALL").fetchall()


def test_unique_repeat_and_one_time_donors_of_known_donors(built):
    # Anna: Jane Doe (2 gifts, two spellings of one donor key), Sam Lee (1), Pat Roe (1 gift, refund not
    # a gift); Zoe Fox only refunded: no donor. Bob: Jane Doe (1), Max Ng (2).
    assert rows(
        built, "candidate_donor_counts", "candidate_id, cycle, unique_donors, repeat_donors, one_time_donors"
    ) == [
        (ANNA, CYCLE, 3, 1, 2),
        (BOB, CYCLE, 2, 1, 1),
    ]


def test_new_donors_per_week_are_counted_in_the_week_of_their_first_gift(built):
    assert rows(built, "agg_candidate_donor_weeks", "candidate_id, week, new_donors, donors_to_date") == [
        (ANNA, date(2024, 3, 4), 2, 2),  # Jane Doe (3/4) and Sam Lee (Sunday 3/10)
        (ANNA, date(2024, 3, 11), 1, 3),  # Pat Roe; Jane Doe's second gift is no new donor
        (BOB, date(2024, 5, 6), 2, 2),
    ]


@pytest.fixture(scope="module")
def demo(small_snapshot: Path):
    return connect(small_snapshot)


def test_unique_donors_equal_distinct_donor_keys_over_the_gifts_in_receipts(demo):
    differences = demo.execute("""
        WITH direct AS (
            SELECT candidate_id, cycle, count(DISTINCT donor_key) AS unique_donors,
                   count(DISTINCT donor_key) FILTER (WHERE gifts >= 2) AS repeat_donors
            FROM (SELECT candidate_id, cycle, donor_key, count(*) OVER (PARTITION BY candidate_id, cycle, donor_key)
                         AS gifts FROM receipts WHERE amount > 0)
            GROUP BY ALL)
        SELECT count(*) AS candidates,
               count(*) FILTER (WHERE d.unique_donors IS DISTINCT FROM c.unique_donors
                                OR d.repeat_donors IS DISTINCT FROM c.repeat_donors
                                OR c.unique_donors <> c.repeat_donors + c.one_time_donors) AS wrong
        FROM direct d FULL JOIN candidate_donor_counts c USING (candidate_id, cycle)""").fetchall()[0]
    assert differences[0] > 50 and differences[1] == 0
    # the weekly counts add up to the donors with a dated gift
    assert (
        demo.execute("""
        SELECT count(*) FROM (SELECT candidate_id, cycle, sum(new_donors) AS n, max(donors_to_date) AS last
                              FROM agg_candidate_donor_weeks GROUP BY ALL) w
        JOIN (SELECT candidate_id, cycle, count(DISTINCT donor_key) AS n FROM receipts
              WHERE amount > 0 AND date IS NOT NULL GROUP BY ALL) r USING (candidate_id, cycle)
        WHERE w.n <> r.n OR w.last <> r.n""").fetchall()[0][0]
        == 0
    )


def test_unique_donors_equal_a_direct_count_over_the_generators_raw_itemized_rows(demo):
    """The money rules by hand over the generator's raw rows (no memos, no conduit copies, nothing
    superseded, one row per sub_id, refunds out) and the donor key by normalize's macros from the raw
    name and ZIP; only the committee -> candidate attribution is read from the extract."""
    normalize.install(demo)
    individual = literal_list(
        tuple(t for t in contract.INDIVIDUAL_RECEIPT_TYPES if t not in contract.REFUND_RECEIPT_TYPES)
    )
    wrong = demo.execute(f"""
        WITH conduits AS (
            SELECT DISTINCT committee_id FROM raw_a
            WHERE receipt_type IN ({literal_list(contract.CONDUIT_SIDE_RECEIPT_TYPES)})
            UNION SELECT unnest({list(KNOWN_CONDUITS)})
        ), counted AS (
            SELECT DISTINCT ON (sub_id) * FROM raw_a
            WHERE memo_code IS DISTINCT FROM 'X' AND coalesce(receipt_type, '15') IN ({individual})
              AND committee_id NOT IN (SELECT committee_id FROM conduits)
              AND (file_number IS NULL OR file_number NOT IN (SELECT file_number FROM superseded))
            ORDER BY sub_id, file_number DESC NULLS LAST
        ), attributed AS (SELECT DISTINCT committee_id, cycle, candidate_id FROM receipts),
        direct AS (
            SELECT t.candidate_id, a.cycle,
                   count(DISTINCT donor_key(a.contributor_name, CASE
                       WHEN upper(trim(a.state)) IN ({literal_list(geography.US_POSTAL_STATES)})
                        AND regexp_full_match(trim(a.zip), '[0-9]{{5}}(-?[0-9]{{4}})?') THEN trim(a.zip) END))
                       AS unique_donors
            FROM counted a JOIN attributed t USING (committee_id, cycle)
            WHERE a.amount > 0 GROUP BY ALL)
        SELECT count(*) FILTER (WHERE d.unique_donors IS DISTINCT FROM c.unique_donors), count(*)
        FROM direct d FULL JOIN candidate_donor_counts c USING (candidate_id, cycle)""").fetchall()[0]
    assert wrong[0] == 0 and wrong[1] > 50
