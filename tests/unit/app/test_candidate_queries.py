"""Candidate-page queries reconcile with the generator's truth (money in cents) and with the
receipts extract, and the normalized donor views follow dashboard.core.normalize."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import candidates
from dashboard.core import contract
from dashboard.core.normalize import normalize_value


@pytest.fixture(scope="module")
def con(small_snapshot: Path):
    con = duckdb.connect()
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet('{small_snapshot}/demo_truth/candidates.parquet')")
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet("
        f"'{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true)"
    )
    con.execute(f"CREATE VIEW candidates AS SELECT * FROM read_parquet('{small_snapshot}/current/candidates.parquet')")
    return con


@pytest.fixture(scope="module")
def sample(con) -> list[tuple[str, int]]:
    """The biggest fundraiser of each office and cycle, and a mid-sized House candidate."""
    rows = con.execute("""
        SELECT candidate_id, cycle FROM truth JOIN candidates USING (candidate_id, cycle)
        QUALIFY row_number() OVER (PARTITION BY office, cycle ORDER BY receipts DESC) = 1
        UNION ALL
        (SELECT candidate_id, cycle FROM truth WHERE candidate_id LIKE 'H%' AND n_itemized > 20
         ORDER BY n_itemized, candidate_id LIMIT 1)""").fetchall()
    assert len(rows) >= 8
    return rows


def truth_of(con, candidate_id, cycle) -> dict:
    return (
        con.execute("SELECT * FROM truth WHERE candidate_id = ? AND cycle = ?", [candidate_id, cycle])
        .df()
        .iloc[0]
        .to_dict()
    )


def cents(value) -> int:
    return int(round(float(value) * 100))


def test_summary_cards_equal_the_truth(con, sample):
    for cid, cycle in sample:
        true, summary = truth_of(con, cid, cycle), candidates.candidate_summary(cid, cycle).iloc[0]
        assert cents(summary.receipts) == true["receipts"]
        assert cents(summary.disbursements) == true["disbursements"]
        assert cents(summary.cash_on_hand) == true["cash_on_hand"]
        assert cents(summary.debts) == true["debts"]


def test_summary_carries_the_net_beside_the_gross_and_says_where_totals_come_from(con, sample):
    # The sample's biggest fundraisers, and candidates whose committees moved money between them
    # (gross and net differ by what was moved).
    moved = con.execute("""
        SELECT candidate_id, cycle FROM truth WHERE receipts_net <> receipts
        ORDER BY receipts - receipts_net DESC, candidate_id LIMIT 3""").fetchall()
    assert moved
    for cid, cycle in sample + moved:
        true, summary = truth_of(con, cid, cycle), candidates.candidate_summary(cid, cycle).iloc[0]
        assert cents(summary.net_receipts) == true["receipts_net"]
        assert cents(summary.net_disbursements) == true["disbursements_net"]
        assert cents(summary.receipts) - cents(summary.net_receipts) == min(
            true["transfers_from_authorized"], true["transfers_to_authorized"]
        )
        assert summary.totals_source == "reports"  # the demo has no FEC candidate totals: its reports are summed


def election_truth(con, cid: str, first_cycle: int, election_year: int) -> dict:
    """The generator's truth summed over the election period's cycles; cash and debts of the latest."""
    return (
        con.execute(
            """
            SELECT sum(receipts) AS receipts, sum(disbursements) AS disbursements,
                   sum(receipts_net) AS receipts_net, sum(disbursements_net) AS disbursements_net,
                   arg_max(cash_on_hand, cycle) AS cash_on_hand, arg_max(debts, cycle) AS debts
            FROM truth WHERE candidate_id = ? AND cycle BETWEEN ? AND ?""",
            [cid, first_cycle, election_year],
        )
        .df()
        .iloc[0]
        .to_dict()
    )


@pytest.mark.parametrize(
    "office, cycle, first_cycle, included, missing",
    [
        ("S", 2026, 2022, [2022, 2024, 2026], []),  # six years, every cycle in the demo
        ("S", 2022, 2018, [2022], [2018, 2020]),  # the demo starts in 2022: partial, and says so
        ("P", 2024, 2022, [2022, 2024], []),  # four years
    ],
)
def test_election_totals_add_up_the_whole_election(con, office, cycle, first_cycle, included, missing):
    # The candidacy's biggest fundraiser, and one whose own committees moved money (net differs).
    picked = con.execute(
        """
        (SELECT candidate_id FROM truth JOIN candidates USING (candidate_id, cycle)
         WHERE office = ? AND cycle = ? ORDER BY receipts DESC LIMIT 1)
        UNION
        (SELECT candidate_id FROM truth JOIN candidates USING (candidate_id, cycle)
         WHERE office = ? AND cycle = ? AND receipts_net <> receipts ORDER BY candidate_id LIMIT 1)""",
        [office, cycle, office, cycle],
    ).fetchall()
    for (cid,) in picked:
        found = candidates.candidate_election_totals(cid, cycle)
        assert len(found) == 1
        row = found.iloc[0]
        assert (row.office, row.election_year, row.first_cycle) == (office, cycle, first_cycle)
        assert list(row.cycles_included) == included and list(row.cycles_missing) == missing
        true = election_truth(con, cid, first_cycle, cycle)
        assert cents(row.receipts) == true["receipts"] and cents(row.disbursements) == true["disbursements"]
        assert cents(row.net_receipts) == true["receipts_net"]
        assert cents(row.net_disbursements) == true["disbursements_net"]
        assert cents(row.cash_on_hand) == true["cash_on_hand"] and cents(row.debts) == true["debts"]
        assert row.totals_source == "reports"
        # One election per candidacy: the two-year summary of the same cycle is part of it.
        summary = candidates.candidate_summary(cid, cycle).iloc[0]
        assert row.election_year == summary.election_year
        assert cents(row.receipts) >= cents(summary.receipts)


def test_house_candidates_have_no_election_totals(con, sample):
    house = [(cid, cycle) for cid, cycle in sample if cid.startswith("H")]
    assert house
    for cid, cycle in house:
        assert candidates.candidate_election_totals(cid, cycle).empty


def test_periods_add_up_to_the_truth(con, sample):
    for cid, cycle in sample:
        true, periods = truth_of(con, cid, cycle), candidates.candidate_periods(cid, cycle)
        assert periods.coverage_end.is_monotonic_increasing
        assert cents(periods.receipts_to_date.iloc[-1]) == true["receipts"]
        assert cents(periods.disbursements_to_date.iloc[-1]) == true["disbursements"]
        assert cents(periods.cash_on_hand_end.iloc[-1]) == true["cash_on_hand"]


def test_sizes_add_up_to_itemized_plus_unitemized(con, sample):
    for cid, cycle in sample:
        true, sizes = truth_of(con, cid, cycle), candidates.candidate_sizes(cid, cycle)
        assert [(b, label) for b, label in zip(sizes.size_bucket, sizes.size_label)] == list(contract.SIZE_BUCKETS)
        assert cents(sizes.amount.sum()) == true["itemized_net"] + true["individual_unitemized"]
        assert sizes.share.sum() == pytest.approx(1)
        assert pd.isna(sizes.n.iloc[0])  # bucket 0 holds unitemized money: no count


def test_states_add_up_to_itemized_and_flag_the_home_state(con, sample):
    for cid, cycle in sample:
        true, states = truth_of(con, cid, cycle), candidates.candidate_states(cid, cycle)
        assert cents(states.amount.sum()) == true["itemized_net"]
        assert int(states.n.sum()) == true["n_itemized"]
        assert states.amount.is_monotonic_decreasing
        home = con.execute(
            "SELECT state, office FROM candidates WHERE candidate_id = ? AND cycle = ?", [cid, cycle]
        ).fetchall()[0]
        assert set(states[states.in_state].state) <= {home[0]}
        if home[1] == "P":
            assert not states.in_state.any()


def test_top_donors_are_the_biggest_donor_keys(con, sample):
    for cid, cycle in sample:
        donors = candidates.candidate_donors(cid, cycle)
        expected = con.execute(
            """
            SELECT donor_key, sum(amount) AS amount, count(*) AS n FROM receipts
            WHERE candidate_id = ? AND cycle = ? GROUP BY donor_key ORDER BY amount DESC, donor_key LIMIT 100""",
            [cid, cycle],
        ).df()
        assert list(donors.donor_key) == list(expected.donor_key)
        assert list(donors.amount) == pytest.approx(list(expected.amount.astype(float)))
        assert list(donors.n) == list(expected.n)
        assert len(candidates.candidate_donors(cid, cycle, limit=5)) == min(5, len(expected))


def test_top_employers_merge_spellings_and_drop_not_reported(con, sample):
    for cid, cycle in sample:
        employers = candidates.candidate_employers(cid, cycle)
        occupations = candidates.candidate_occupations(cid, cycle)
        itemized = truth_of(con, cid, cycle)["itemized_net"]
        for frame, column in ((employers, "employer"), (occupations, "occupation")):
            assert frame[column].dropna().is_unique
            assert not frame[column].isin(["N/A", "NONE", "INFORMATION REQUESTED", "SELF", "SELF EMPLOYED"]).any()
            if len(frame) < contract.TOP_N:  # every group is there: they add up to all itemized money
                assert cents(frame.amount.sum()) == itemized
                assert frame.share.sum() == pytest.approx(1)
        self_employed = employers[employers.employer == "SELF-EMPLOYED"]
        for row in employers.dropna(subset=["employer"]).head(5).itertuples():  # the raw spellings shown
            assert {normalize_value("norm_job", v) for v in row.variants} == {row.employer}
        raw_self = con.execute(
            """SELECT sum(amount) FROM receipts WHERE candidate_id = ? AND cycle = ?
                                  AND regexp_matches(upper(employer), '^SELF')""",
            [cid, cycle],
        ).fetchall()[0][0]
        if raw_self:
            assert self_employed.amount.iloc[0] == pytest.approx(float(raw_self))


def test_similar_candidates_start_with_the_same_office_and_state(con):
    found = candidates.similar_candidates("H4CA99999")
    assert len(found) == 5
    assert all(cid.startswith("H") for cid in found.candidate_id)
    assert any(cid[2:4] == "CA" for cid in found.candidate_id)
    assert found.similarity.is_monotonic_decreasing


def test_an_unknown_candidate_has_no_rows():
    for query in (
        candidates.candidate_summary,
        candidates.candidate_election_totals,
        candidates.candidate_periods,
        candidates.candidate_sizes,
        candidates.candidate_states,
        candidates.candidate_donors,
        candidates.candidate_employers,
        candidates.candidate_occupations,
    ):
        assert query("H9ZZ99999", 2024).empty


def test_links_into_the_receipts_explorer_carry_the_filters():
    from dashboard.app import links

    assert (
        links.receipts_path(candidate_id="H4CA12345", cycle=2024, employer="SELF-EMPLOYED", min=None)
        == "/receipts?candidate_id=H4CA12345&cycle=2024&employer=SELF-EMPLOYED"
    )
    assert links.receipts_path(q="SMITH, JOHN", zip="12345") == "/receipts?q=SMITH%2C+JOHN&zip=12345"
    assert links.receipts_path() == "/receipts"
