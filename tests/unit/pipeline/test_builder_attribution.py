"""Whose money is whose when one committee is linked to several candidate IDs of one person (issue 12):
the FEC's totals stay per candidate ID, and the committee's itemized receipts go to one candidacy,
the one of the cycle's election, so nothing counts twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb

from dashboard.pipeline.builder.extracts import build_extracts
from dashboard.store import layout
from tests.unit.pipeline.raw_tables import money, write_raw

CYCLE = 2016
HOUSE_ID, SENATE_ID, SHARED = "H6FL18999", "S6FL00999", "C00999999"


def summary(candidate_id: str, receipts: str, transfers_in: str, transfers_out: str) -> dict:
    return {
        "candidate_id": candidate_id,
        "cycle": CYCLE,
        "period": "cycle",
        "receipts": money(receipts),
        "disbursements": money("100"),
        "cash_on_hand_end": money("5"),
        "transfers_from_authorized": money(transfers_in),
        "transfers_to_authorized": money(transfers_out),
        "coverage_end": date(2016, 12, 31),
        "source": "weball",
    }


def test_a_shared_committee_s_receipts_go_to_the_candidacy_of_the_cycles_election(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    out.mkdir()
    person = {"name": "DOE, JANE", "party": "DEM", "state": "FL", "status": "C"}
    write_raw(
        raw,
        "candidates",
        [
            # the House ID sorts first: the old rule gave it the committee; her 2016 race is the Senate's
            {
                **person,
                "candidate_id": HOUSE_ID,
                "cycle": CYCLE,
                "office": "H",
                "district": "18",
                "election_year": 2014,
            },
            {
                **person,
                "candidate_id": SENATE_ID,
                "cycle": CYCLE,
                "office": "S",
                "district": "00",
                "election_year": 2016,
            },
        ],
    )
    write_raw(
        raw,
        "linkages",
        [
            {"candidate_id": cid, "election_year": year, "cycle": CYCLE, "committee_id": SHARED, "designation": "P"}
            for cid, year in ((HOUSE_ID, 2014), (SENATE_ID, 2016))
        ],
    )
    write_raw(
        raw, "committees", [{"committee_id": SHARED, "cycle": CYCLE, "name": "DOE FOR FLORIDA", "designation": "P"}]
    )
    gifts = [
        {
            "sub_id": i,
            "cycle": CYCLE,
            "committee_id": SHARED,
            "receipt_type": "15",
            "contributor_name": f"GIVER, {i}",
            "state": "FL",
            "zip": "33101",
            "date": date(2016, 3, i),
            "amount": money("500"),
        }
        for i in range(1, 4)
    ]
    write_raw(raw, "schedule_a", gifts)
    # The FEC publishes the same committee's money under both IDs, each with its own figures.
    write_raw(
        raw, "candidate_summaries", [summary(HOUSE_ID, "1500", "0", "0"), summary(SENATE_ID, "9000", "700", "200")]
    )
    con = duckdb.connect()
    build_extracts(con, raw, out)

    receipts = duckdb.sql(
        f"SELECT candidate_id, count(*), sum(amount) FROM {layout.extract_reader(out, 'receipts')} GROUP BY ALL"
    ).fetchall()
    assert receipts == [(SENATE_ID, 3, Decimal("1500.00"))]  # once, under the 2016 Senate candidacy
    totals = {
        row[0]: row[1:]
        for row in duckdb.sql(
            f"SELECT candidate_id, receipts, net_receipts, totals_source FROM {layout.extract_reader(out, 'candidate_totals')}"
        ).fetchall()
    }
    # Each ID keeps the FEC's own figures; the net takes out the smaller of transfers in and out.
    assert totals == {
        HOUSE_ID: (Decimal("1500.00"), Decimal("1500.00"), "summary"),
        SENATE_ID: (Decimal("9000.00"), Decimal("8800.00"), "summary"),
    }
    in_race = dict(
        duckdb.sql(f"SELECT candidate_id, in_race FROM {layout.extract_reader(out, 'candidates')}").fetchall()
    )
    assert in_race == {HOUSE_ID: False, SENATE_ID: True}
    election = duckdb.sql(
        f"SELECT candidate_id, election_year, cycles_included, cycles_missing, receipts "
        f"FROM {layout.extract_reader(out, 'candidate_election_totals')}"
    ).fetchall()
    # Six years of a 2016 Senate election of which only 2016 is loaded: a partial sum that says so.
    assert election == [(SENATE_ID, 2016, [2016], [2012, 2014], Decimal("9000.00"))]
