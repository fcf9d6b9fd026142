"""The demo's outside spending (dashboard/pipeline/demo/outside.py): every trap of the real Schedule E is in
the raw data, and the builder's outside-spending extracts equal the generator's truth to the cent, with
superseded notices and amendments counted once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard.pipeline import demo

# The line an expenditure is reported on, as the counting rules know it again in a later filing.
SAME_EXPENDITURE = """
    n.committee_id = r.committee_id AND n.transaction_id = r.transaction_id
    AND n.expenditure_date = r.expenditure_date
    AND coalesce(n.candidate_id, n.candidate_name) = coalesce(r.candidate_id, r.candidate_name)"""


@pytest.fixture(scope="module")
def con(small_snapshot: Path):
    con = duckdb.connect()
    raw, snap, truth = small_snapshot / "raw", small_snapshot / "current", small_snapshot / "demo_truth"
    con.execute(f"CREATE VIEW se AS SELECT * FROM read_parquet('{raw}/schedule_e/*.parquet')")
    con.execute("CREATE VIEW lines AS SELECT * FROM se WHERE memo_code IS NULL")
    for table in ("committees", "candidates"):
        con.execute(f"CREATE VIEW raw_{table} AS SELECT * FROM read_parquet('{raw}/{table}/*.parquet')")
    for name in (
        "agg_outside_spenders",
        "agg_outside_daily",
        "outside_unmatched",
        "outside_expenditures",
        "agg_district",
    ):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{snap}/{name}.parquet')")
    for name in ("outside", "outside_spenders", "outside_daily", "outside_unmatched"):
        con.execute(f"CREATE VIEW truth_{name} AS SELECT * FROM read_parquet('{truth}/{name}.parquet')")
    return con


def scalar(con, sql: str, params=None):
    return con.execute(sql, params or []).fetchall()[0][0]


# --- The traps are there --------------------------------------------------------------------------


def test_super_pacs_parties_pacs_and_nonprofits_spend_and_are_committees_of_the_cycle(con):
    types = dict(
        con.execute(
            "SELECT c.committee_type, count(DISTINCT e.committee_id) FROM se e "
            "JOIN raw_committees c ON c.committee_id = e.committee_id AND c.cycle = e.cycle GROUP BY 1"
        ).fetchall()
    )
    assert {"O", "X", "Y", "Q", "I"} <= set(types)
    assert (
        scalar(
            con,
            "SELECT count(*) FROM se e WHERE NOT EXISTS (SELECT 1 FROM raw_committees c "
            "WHERE c.committee_id = e.committee_id AND c.cycle = e.cycle)",
        )
        == 0
    )
    # Groups that are no committee file Form 5, with no dissemination date.
    assert scalar(con, "SELECT count(*) FROM lines WHERE filing_form = 'F5' AND dissemination_date IS NULL") > 0
    assert scalar(con, "SELECT count(*) FROM lines WHERE filing_form = 'F5' AND dissemination_date IS NOT NULL") == 0
    for cycle in demo.CYCLES:
        assert scalar(con, "SELECT count(*) FROM lines WHERE cycle = ?", [cycle]) > 500


def test_spending_goes_for_and_against_the_candidates_of_competitive_races_late_in_the_cycle(con):
    assert dict(con.execute("SELECT support_oppose, count(*) > 300 FROM lines GROUP BY 1").fetchall()) == {
        "S": True,
        "O": True,
    }
    late = scalar(
        con,
        "SELECT sum(amount) FILTER (WHERE date_diff('day', coalesce(dissemination_date, expenditure_date), "
        "CASE cycle WHEN 2022 THEN DATE '2022-11-08' WHEN 2024 THEN DATE '2024-11-05' ELSE DATE '2026-11-03' END)"
        " <= 90) / sum(amount) FROM lines WHERE NOT is_notice",
    )
    assert late > 0.6
    # Most House money goes to a few races: the tenth of the 437 seats that get most hold most of it.
    top_share = scalar(
        con,
        """WITH race AS (
               SELECT cycle, candidate_state, lpad(candidate_district, 2, '0') AS district, sum(amount) AS amount
               FROM lines WHERE candidate_office = 'H' AND NOT is_notice GROUP BY ALL),
           ranked AS (SELECT *, row_number() OVER (PARTITION BY cycle ORDER BY amount DESC) AS place FROM race)
           SELECT sum(amount) FILTER (WHERE place <= 44) / sum(amount) FROM ranked""",
    )
    assert top_share > 0.7


def test_notices_are_repeated_by_the_regular_report_with_the_same_transaction(con):
    repeated = scalar(
        con,
        f"SELECT count(*) FROM lines n WHERE n.is_notice AND EXISTS "
        f"(SELECT 1 FROM lines r WHERE NOT r.is_notice AND {SAME_EXPENDITURE})",
    )
    assert repeated > 500
    # ... and filed later than the notice, which came within days of the ad going out.
    assert (
        scalar(
            con,
            f"SELECT count(*) FROM lines n JOIN lines r ON n.is_notice AND NOT r.is_notice AND {SAME_EXPENDITURE} "
            "WHERE r.filed_date < n.filed_date AND n.amendment_indicator = 'N'",
        )
        == 0
    )
    assert (
        scalar(
            con,
            "SELECT max(date_diff('day', coalesce(dissemination_date, expenditure_date), filed_date)) FROM lines "
            "WHERE is_notice AND amendment_indicator = 'N'",
        )
        <= 2
    )
    assert scalar(con, "SELECT count(*) FROM se WHERE filed_date < coalesce(dissemination_date, expenditure_date)") == 0


def test_recent_notices_are_not_in_a_regular_report_yet(con):
    waiting = con.execute(
        f"SELECT cycle, min(expenditure_date), count(*) FROM lines n WHERE n.is_notice AND NOT EXISTS "
        f"(SELECT 1 FROM lines r WHERE NOT r.is_notice AND {SAME_EXPENDITURE}) GROUP BY 1"
    ).fetchall()
    # Only the cycle under way: a monthly filer's report covering September comes after the demo's today.
    assert [(c, n > 50) for c, _, n in waiting] == [(2026, True)]
    assert waiting[0][1] >= date(2026, 8, 1)


def test_notices_amended_by_a_later_notice_some_with_a_corrected_amount(con):
    versions = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE a.amount <> n.amount) FROM lines a "
        "JOIN lines n ON n.is_notice AND n.file_number = a.previous_file_number AND n.committee_id = a.committee_id "
        "AND n.transaction_id = a.transaction_id AND n.expenditure_date = a.expenditure_date "
        "WHERE a.is_notice AND a.amendment_indicator = 'A' AND a.file_number > n.file_number"
    ).fetchall()[0]
    assert versions[0] > 30 and versions[1] > 5


def test_amended_regular_reports_name_the_filing_they_replace_whose_lines_stay(con):
    amended = con.execute(
        "SELECT count(DISTINCT a.file_number), count(DISTINCT a.previous_file_number) FILTER "
        "(WHERE EXISTS (SELECT 1 FROM lines o WHERE o.file_number = a.previous_file_number)) FROM lines a "
        "WHERE NOT a.is_notice AND a.amendment_indicator = 'A'"
    ).fetchall()[0]
    assert amended[0] > 10 and amended[0] == amended[1]
    # Some twice: an amendment that is itself replaced.
    assert (
        scalar(
            con,
            "SELECT count(DISTINCT file_number) FROM lines WHERE amendment_indicator = 'A' AND NOT is_notice "
            "AND file_number IN (SELECT previous_file_number FROM lines WHERE NOT is_notice)",
        )
        > 0
    )
    changed = scalar(
        con,
        "SELECT count(*) FROM lines a JOIN lines o ON o.file_number = a.previous_file_number "
        "AND o.transaction_id = a.transaction_id AND o.expenditure_date = a.expenditure_date "
        "AND o.committee_id = a.committee_id WHERE NOT a.is_notice AND o.amount <> a.amount",
    )
    assert changed > 5


def test_memo_lines_detail_a_line_of_the_same_filing(con):
    memos = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE p.amount IS NULL), "
        "count(*) FILTER (WHERE p.amount IS NOT NULL AND m.total <> p.amount) FROM "
        "(SELECT file_number, back_reference_transaction_id AS tid, expenditure_date, sum(amount) AS total "
        " FROM se WHERE memo_code = 'X' GROUP BY ALL) m "
        "LEFT JOIN lines p ON p.file_number = m.file_number AND p.transaction_id = m.tid "
        "AND p.expenditure_date = m.expenditure_date"
    ).fetchall()[0]
    assert memos[0] > 50 and memos[1:] == (0, 0)  # each details one line, which its memos add up to


def test_some_lines_name_the_candidate_only_by_name_office_state_and_district(con):
    named = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE candidate_office = 'H' AND length(candidate_district) = 1), "
        "count(*) FILTER (WHERE candidate_name NOT LIKE '%,%'), count(*) FILTER (WHERE candidate_name <> upper(candidate_name)) "
        "FROM lines WHERE candidate_id IS NULL AND candidate_name IS NOT NULL AND candidate_office IS NOT NULL "
        "AND candidate_state IS NOT NULL"
    ).fetchall()[0]
    assert named[0] > 100 and all(n > 5 for n in named[1:])
    assert scalar(con, "SELECT count(*) FROM outside_expenditures WHERE matched_by = 'name'") > 50


def test_a_filer_restarts_transaction_ids_in_every_notice(con):
    restarted = con.execute(
        "SELECT committee_id, count(DISTINCT file_number) FROM lines WHERE is_notice AND transaction_id = 'SE.1' "
        "GROUP BY 1 HAVING count(DISTINCT file_number) > 3"
    ).fetchall()
    assert len(restarted) >= 2
    # Its regular report repeats them: several lines with one transaction ID, told apart by date.
    assert (
        scalar(
            con,
            "SELECT count(*) FROM (SELECT file_number FROM lines WHERE NOT is_notice AND transaction_id = 'SE.1' "
            "GROUP BY 1 HAVING count(*) > 1)",
        )
        > 0
    )


# --- The builder counts each expenditure once, as the truth says ----------------------------------


def test_spenders_for_and_against_each_candidate_equal_the_truth_to_the_cent(con):
    diff = con.execute(
        """SELECT count(*),
                  count(*) FILTER (WHERE b.cycle IS NULL OR t.cycle IS NULL),
                  count(*) FILTER (WHERE b.amount * 100 <> t.amount_cents OR b.n <> t.n
                                   OR b.notice_amount * 100 <> t.notice_amount_cents)
           FROM agg_outside_spenders b
           FULL JOIN truth_outside_spenders t USING (cycle, candidate_id, committee_id, support_oppose)"""
    ).fetchall()[0]
    assert diff[0] > 1000 and diff[1:] == (0, 0)
    # Notice money, apart, in the cycle under way only.
    notices = dict(con.execute("SELECT cycle, sum(notice_amount) > 0 FROM agg_outside_spenders GROUP BY 1").fetchall())
    assert notices == {2022: False, 2024: False, 2026: True}


def test_outside_money_per_candidate_and_race_equals_the_truth(con):
    per_candidate = con.execute(
        """WITH b AS (SELECT cycle, candidate_id, support_oppose, sum(amount) AS amount,
                             sum(notice_amount) AS notice_amount FROM agg_outside_spenders GROUP BY ALL)
           SELECT count(*) FILTER (WHERE b.amount IS NULL OR t.amount_cents IS NULL
                                   OR b.amount * 100 <> t.amount_cents OR b.notice_amount * 100 <> t.notice_amount_cents)
           FROM b FULL JOIN truth_outside t USING (cycle, candidate_id, support_oppose)"""
    ).fetchall()[0][0]
    assert per_candidate == 0
    per_race = con.execute(
        """WITH t AS (
               SELECT t.cycle, c.office, CASE WHEN c.office = 'P' THEN 'US' ELSE c.state END AS state,
                      CASE WHEN c.office = 'H' THEN c.district ELSE '00' END AS district,
                      sum(amount_cents) FILTER (WHERE support_oppose = 'S') AS support,
                      sum(amount_cents) FILTER (WHERE support_oppose = 'O') AS oppose,
                      sum(notice_amount_cents) AS notices
               FROM truth_outside t JOIN raw_candidates c USING (candidate_id, cycle) GROUP BY ALL)
           SELECT count(*), count(*) FILTER (WHERE d.outside_support * 100 <> coalesce(t.support, 0)
                                             OR d.outside_oppose * 100 <> coalesce(t.oppose, 0)
                                             OR d.outside_notice_amount * 100 <> coalesce(t.notices, 0)
                                             OR d.cycle IS NULL)
           FROM t LEFT JOIN agg_district d USING (cycle, office, state, district)"""
    ).fetchall()[0]
    assert per_race[0] > 100 and per_race[1] == 0


def test_daily_outside_money_equals_the_truth_day_by_day(con):
    diff = con.execute(
        """SELECT count(*),
                  count(*) FILTER (WHERE b.cycle IS NULL OR t.cycle IS NULL OR b.amount * 100 <> t.amount_cents
                                   OR b.n <> t.n)
           FROM agg_outside_daily b
           FULL JOIN truth_outside_daily t USING (cycle, candidate_id, date, support_oppose, spender_type, from_notice)"""
    ).fetchall()[0]
    assert diff[0] > 1000 and diff[1] == 0


def test_only_the_names_of_no_candidate_are_left_unmatched(con):
    built = con.execute(
        "SELECT cycle, committee_id, candidate_name, support_oppose, amount, n, reason FROM outside_unmatched ORDER BY ALL"
    ).fetchall()
    truth = con.execute(
        "SELECT cycle, committee_id, candidate_name, support_oppose, amount_cents, n FROM truth_outside_unmatched "
        "ORDER BY ALL"
    ).fetchall()
    assert len(truth) >= len(demo.CYCLES) * 2
    assert [(*r[:4], int(r[4] * 100), r[5]) for r in built] == truth
    assert all(r[6].startswith("no candidate") for r in built)


@pytest.mark.slow
def test_same_seed_same_outside_spending(tmp_path: Path):
    con = duckdb.connect()
    digests = []
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        demo.generate(tmp_path / name, rows=8_000, seed=seed)
        digests.append(
            scalar(con, f"SELECT sum(hash(COLUMNS(*))) FROM read_parquet('{tmp_path / name}/raw/schedule_e/*.parquet')")
        )
    assert digests[0] == digests[1] != digests[2]
