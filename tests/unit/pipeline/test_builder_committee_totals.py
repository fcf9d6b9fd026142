"""committee_totals (dashboard/pipeline/builder/extracts.py) on hand-made raw rows: what a committee that is
no candidate's own raised, spent and kept; the FEC's own committee totals (webk) where a source carries
them, else the sum of the newest version of its reports with the latest report's cash and debts."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard.pipeline.builder.extracts import build_extracts
from dashboard.store import layout
from tests.unit.pipeline.raw_tables import money, write_raw

CYCLE = 2024
CANDIDATE = "H4OR05001"
CAMPAIGN, PAC, PARTY, SUPER_PAC, LEADERSHIP_PAC = "C00000010", "C00000011", "C00000012", "C00000013", "C00000014"


def report(committee_id: str, file_number: int, report_type: str, end: date, **money_facts) -> dict:
    return {
        "committee_id": committee_id,
        "cycle": CYCLE,
        "report_year": end.year,
        "report_type": report_type,
        "coverage_start": date(end.year, end.month - 2, 1),
        "coverage_end": end,
        "file_number": file_number,
        "amendment_indicator": "N",
        **{key: money(value) for key, value in money_facts.items()},
    }


def summary(committee_id: str, end: date, receipts: str, **more) -> dict:
    return {
        "committee_id": committee_id,
        "cycle": CYCLE,
        "receipts": money(receipts),
        "disbursements": money("100.00"),
        "cash_on_hand_begin": money("0"),
        "cash_on_hand_end": money("50.00"),
        "debts_owed": money("0"),
        "individual_contributions": money("70.00"),
        "independent_expenditures": money("30.00"),
        "coverage_end": end,
        "source": "webk",
        **{key: money(value) for key, value in more.items()},
    }


@pytest.fixture(scope="module")
def totals(tmp_path_factory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("committee-totals")
    raw, out = tmp / "raw", tmp / "out"
    out.mkdir()
    write_raw(
        raw,
        "candidates",
        [
            {
                "candidate_id": CANDIDATE,
                "cycle": CYCLE,
                "name": "SMITH, ANNA",
                "office": "H",
                "state": "OR",
                "district": "05",
                "principal_committee_id": CAMPAIGN,
                "election_year": CYCLE,
            }
        ],
    )
    write_raw(
        raw,
        "committees",
        [
            {"committee_id": CAMPAIGN, "cycle": CYCLE, "name": "SMITH FOR CONGRESS", "committee_type": "H",
             "designation": "P", "candidate_id": CANDIDATE},
            {"committee_id": PAC, "cycle": CYCLE, "name": "WIDGET WORKERS PAC", "committee_type": "Q"},
            {"committee_id": PARTY, "cycle": CYCLE, "name": "STATE PARTY", "committee_type": "Y"},
            {"committee_id": SUPER_PAC, "cycle": CYCLE, "name": "OREGON FUTURE", "committee_type": "O"},
            # a leadership PAC names its candidate, but its money is not the campaign's
            {"committee_id": LEADERSHIP_PAC, "cycle": CYCLE, "name": "SMITH LEADERSHIP PAC", "committee_type": "Q",
             "designation": "D", "candidate_id": CANDIDATE},
        ],
    )  # fmt: skip
    q1, q2 = date(2024, 3, 31), date(2024, 6, 30)
    write_raw(
        raw,
        "reports",
        [
            # the campaign's money is its candidate's: not a committee total
            report(CAMPAIGN, 1, "Q1", q1, receipts="999.00", disbursements="1.00", cash_on_hand_end="998.00"),
            # the PAC: Q1, and Q2 amended (the first version of Q2 drops out)
            report(PAC, 2, "Q1", q1, receipts="100.10", disbursements="40.00", cash_on_hand_end="60.10",
                   debts_owed="5.00", individual_itemized="80.00", individual_unitemized="10.00"),
            report(PAC, 3, "Q2", q2, receipts="1000.00", disbursements="1000.00", cash_on_hand_end="0.10",
                   debts_owed="9.00", individual_itemized="1000.00"),
            {**report(PAC, 4, "Q2", q2, receipts="200.20", disbursements="100.00", cash_on_hand_end="160.30",
                      debts_owed="7.00", individual_itemized="150.00", individual_unitemized="20.00"),
             "previous_file_number": 3, "amendment_indicator": "A"},
            # the party files reports and webk has its totals: the FEC's totals win
            report(PARTY, 5, "Q1", q1, receipts="1.00", disbursements="1.00", cash_on_hand_end="1.00"),
            report(LEADERSHIP_PAC, 6, "Q1", q1, receipts="300.00", disbursements="25.00", cash_on_hand_end="275.00"),
        ],
    )  # fmt: skip
    write_raw(
        raw,
        "committee_summaries",
        [
            summary(PARTY, q2, "5000.55", debts_owed="12.34"),
            # webk of two dates for the super PAC: the later one wins
            summary(SUPER_PAC, q1, "10.00"),
            summary(SUPER_PAC, q2, "2500.25", independent_expenditures="2000.00"),
        ],
    )
    build_extracts(duckdb.connect(), raw, out)
    result = duckdb.sql(f"SELECT * FROM {layout.extract_reader(out, 'committee_totals')}")
    rows = [dict(zip(result.columns, values)) for values in result.fetchall()]  # Decimals, to the cent
    assert len({row["committee_id"] for row in rows}) == len(rows)
    return {row["committee_id"]: row for row in rows}


def test_a_campaign_committee_has_no_committee_totals(totals):
    assert CAMPAIGN not in totals
    assert set(totals) == {PAC, PARTY, SUPER_PAC, LEADERSHIP_PAC}


def test_without_fec_totals_the_newest_version_of_each_report_is_summed(totals):
    pac = totals[PAC]
    assert pac["totals_source"] == "reports"
    assert pac["receipts"] == money("300.30") and pac["disbursements"] == money("140.00")
    assert pac["cash_on_hand"] == money("160.30") and pac["debts"] == money("7.00")  # the latest report's
    assert pac["individual_contributions"] == money("260.00")
    assert pac["independent_expenditures"] is None  # reports do not carry it
    assert pac["coverage_end"] == date(2024, 6, 30)
    assert totals[LEADERSHIP_PAC]["receipts"] == money("300.00")


def test_the_fec_totals_win_over_the_reports(totals):
    party = totals[PARTY]
    assert party["totals_source"] == "summary"
    assert (party["receipts"], party["disbursements"], party["cash_on_hand"], party["debts"]) == (
        money("5000.55"),
        money("100.00"),
        money("50.00"),
        money("12.34"),
    )
    assert party["individual_contributions"] == money("70.00") and party["independent_expenditures"] == money("30")


def test_of_two_fec_totals_the_later_wins(totals):
    super_pac = totals[SUPER_PAC]
    assert super_pac["receipts"] == money("2500.25") and super_pac["independent_expenditures"] == money("2000")
    assert super_pac["coverage_end"] == date(2024, 6, 30) and super_pac["totals_source"] == "summary"
