"""Outside spending counting rules (dashboard/pipeline/builder/outside.py) on hand-made Schedule E lines:
each expenditure once, notices apart until a regular report repeats them, candidates matched or listed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
import pytest

from dashboard.pipeline.builder.extracts import build_extracts
from dashboard.store import layout
from tests.unit.pipeline.raw_tables import money, write_raw

CYCLE = 2024
SMITH, JONES, JONES_TOO = "H4OR05001", "H4OR05002", "S4OR00003"
SUPER_PAC, PARTY, GROUP = "C00000001", "C00000002", "C00000003"
BROWN = "H4OR04005"


def line(sub_id: int, amount: str, **facts) -> dict:
    return {
        "sub_id": sub_id,
        "cycle": CYCLE,
        "committee_id": SUPER_PAC,
        "spender_name": "FILED NAME",
        "filing_form": "F3X",
        "is_notice": False,
        "file_number": 100,
        "transaction_id": f"SE{sub_id}",
        "candidate_id": SMITH,
        "support_oppose": "S",
        "amount": money(amount),
        "expenditure_date": date(2024, 9, 1),
        "dissemination_date": date(2024, 9, 3),
        **facts,
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("outside")
    raw, out = tmp / "raw", tmp / "out"
    out.mkdir()
    people = [
        (SMITH, "SMITH, ANNA", "H", "OR", "05"),
        (JONES, "JONES, BEN", "H", "OR", "05"),
        (JONES_TOO, "JONES, CARL", "S", "OR", "00"),
        ("S4OR00004", "JONES, DANA", "S", "OR", "00"),
        (BROWN, "BROWN, EVE", "H", "OR", "04"),
    ]
    write_raw(
        raw,
        "candidates",
        [
            {
                "candidate_id": c,
                "cycle": CYCLE,
                "name": n,
                "office": o,
                "state": s,
                "district": d,
                "election_year": CYCLE,
            }
            for c, n, o, s, d in people
        ],
    )
    write_raw(
        raw,
        "committees",
        [
            {"committee_id": SUPER_PAC, "cycle": CYCLE, "name": "OREGON FUTURE PAC", "committee_type": "O"},
            {"committee_id": PARTY, "cycle": CYCLE, "name": "STATE PARTY", "committee_type": "Y"},
        ],
    )
    notice = {"filing_form": "F24", "is_notice": True}
    BROWNS = {"committee_id": PARTY, "candidate_id": BROWN}
    write_raw(
        raw,
        "schedule_e",
        [
            # 1. A notice, then the regular report's line for the same expenditure: counted once, as regular.
            line(1, "1000", **notice, file_number=10, transaction_id="A1"),
            line(2, "1000", file_number=100, transaction_id="A1"),
            # 2. A notice amended by a later notice: the later version counts, still as a notice.
            line(3, "500", **notice, file_number=11, transaction_id="B1", support_oppose="O"),
            line(4, "550", **notice, file_number=12, transaction_id="B1", support_oppose="O", amendment_indicator="A"),
            # 3. A filer restarting transaction IDs in every notice: two different expenditures, both count.
            line(
                5,
                "70",
                **notice,
                file_number=13,
                transaction_id="SE.1",
                expenditure_date=date(2024, 9, 5),
                dissemination_date=None,
                committee_id=GROUP,
            ),
            line(
                6,
                "80",
                **notice,
                file_number=14,
                transaction_id="SE.1",
                expenditure_date=date(2024, 9, 9),
                dissemination_date=None,
                committee_id=GROUP,
            ),
            # 4. A regular report amended: the amendment's lines replace the original's.
            line(7, "300", file_number=200, transaction_id="C1", committee_id=PARTY, candidate_id=JONES),
            line(
                8,
                "350",
                file_number=201,
                previous_file_number=200,
                transaction_id="C1",
                committee_id=PARTY,
                candidate_id=JONES,
                amendment_indicator="A",
            ),
            # 5. A memo line: a detail of line 2, not extra money.
            line(9, "1000", file_number=100, transaction_id="A1.M", memo_code="X"),
            # 6. No candidate ID: matched by last name, office, state and district...
            line(
                10,
                "40",
                candidate_id=None,
                candidate_name="Smith, Anna Q.",
                candidate_office="H",
                candidate_state="OR",
                candidate_district="5",
            ),
            # ...or not: two Senate candidates named Jones in Oregon, and a name nobody has.
            line(11, "60", candidate_id=None, candidate_name="JONES", candidate_office="S", candidate_state="OR"),
            line(
                12,
                "20",
                candidate_id=None,
                candidate_name="NOBODY, NO",
                candidate_office="H",
                candidate_state="OR",
                candidate_district="05",
            ),
            # 7. Regular lines without a dissemination date (the bulk pas2 file has none): one takes the date
            # of the notice it supersedes, one that no notice reported stays on its expenditure date...
            line(
                13,
                "200",
                **notice,
                **BROWNS,
                file_number=16,
                transaction_id="D1",
                expenditure_date=date(2024, 9, 15),
                dissemination_date=date(2024, 9, 20),
            ),
            line(
                14,
                "200",
                **BROWNS,
                file_number=300,
                transaction_id="D1",
                expenditure_date=date(2024, 9, 15),
                dissemination_date=None,
            ),
            line(
                15,
                "30",
                **BROWNS,
                file_number=300,
                transaction_id="D2",
                expenditure_date=date(2024, 9, 16),
                dissemination_date=None,
            ),
            # ...and a notice naming its candidate by name gives way to the regular line giving the ID.
            line(
                16,
                "90",
                **notice,
                committee_id=PARTY,
                file_number=17,
                transaction_id="D3",
                candidate_id=None,
                candidate_name="Brown, Eve",
                candidate_office="H",
                candidate_state="OR",
                candidate_district="4",
                expenditure_date=date(2024, 9, 17),
                dissemination_date=date(2024, 9, 18),
            ),
            line(
                17,
                "90",
                **BROWNS,
                file_number=300,
                transaction_id="D3",
                expenditure_date=date(2024, 9, 17),
                dissemination_date=None,
            ),
        ],
    )
    build_extracts(duckdb.connect(), raw, out)
    return out


def rows(out, name: str, sql: str) -> list[tuple]:
    return duckdb.sql(sql.format(t=layout.extract_reader(out, name))).fetchall()


def test_each_expenditure_counts_once(built):
    counted = rows(built, "outside_expenditures", "SELECT sub_id, amount, from_notice FROM {t} ORDER BY sub_id")
    assert counted == [
        (2, Decimal("1000.00"), False),  # the regular line, not its notice (1) nor its memo (9)
        (4, Decimal("550.00"), True),  # the amended notice (not 3), not yet in a regular report
        (5, Decimal("70.00"), True),
        (6, Decimal("80.00"), True),
        (8, Decimal("350.00"), False),  # the amended report's line (not 7)
        (10, Decimal("40.00"), False),
        (11, Decimal("60.00"), False),
        (12, Decimal("20.00"), False),
        (14, Decimal("200.00"), False),  # not its notice (13)
        (15, Decimal("30.00"), False),
        (17, Decimal("90.00"), False),  # not its notice (16), which named the candidate by name only
    ]


def test_money_is_placed_on_the_dissemination_date_else_the_expenditure_date(built):
    dates = dict(rows(built, "outside_expenditures", "SELECT sub_id, date FROM {t}"))
    assert dates[2] == date(2024, 9, 3) and dates[5] == date(2024, 9, 5)


def test_a_regular_line_without_a_dissemination_date_takes_the_one_of_the_notice_it_supersedes(built):
    dates = dict(rows(built, "outside_expenditures", "SELECT sub_id, date FROM {t}"))
    assert dates[14] == date(2024, 9, 20)  # notice 13's dissemination date
    assert dates[17] == date(2024, 9, 18)  # notice 16's, which named the candidate by name
    assert dates[15] == date(2024, 9, 16)  # no notice: its expenditure date


def test_candidates_are_matched_by_id_or_by_one_name_and_listed_otherwise(built):
    matched = {
        r[0]: r[1:] for r in rows(built, "outside_expenditures", "SELECT sub_id, candidate_id, matched_by FROM {t}")
    }
    assert matched[2] == (SMITH, "id") and matched[10] == (SMITH, "name")
    assert matched[11] == (None, None) and matched[12] == (None, None)
    unmatched = rows(built, "outside_unmatched", "SELECT candidate_name, amount, reason FROM {t} ORDER BY amount")
    assert [(n, a) for n, a, _ in unmatched] == [("NOBODY, NO", Decimal("20.00")), ("JONES", Decimal("60.00"))]
    assert "no candidate" in unmatched[0][2] and "several candidates" in unmatched[1][2]


def test_spenders_keep_support_and_oppose_apart_and_notices_beside_the_processed_money(built):
    spenders = rows(
        built,
        "agg_outside_spenders",
        "SELECT candidate_id, committee_id, spender_name, spender_type, support_oppose, amount, n, notice_amount "
        "FROM {t} ORDER BY candidate_id, committee_id, support_oppose",
    )
    assert spenders == [
        (BROWN, PARTY, "STATE PARTY", "party", "S", Decimal("320.00"), 3, Decimal("0.00")),
        (SMITH, SUPER_PAC, "OREGON FUTURE PAC", "super_pac", "O", Decimal("0.00"), 0, Decimal("550.00")),
        (SMITH, SUPER_PAC, "OREGON FUTURE PAC", "super_pac", "S", Decimal("1040.00"), 2, Decimal("0.00")),
        (SMITH, GROUP, "FILED NAME", "nonprofit", "S", Decimal("0.00"), 0, Decimal("150.00")),
        (JONES, PARTY, "STATE PARTY", "party", "S", Decimal("350.00"), 1, Decimal("0.00")),
    ]
    daily = rows(
        built,
        "agg_outside_daily",
        "SELECT support_oppose, from_notice, sum(amount) FROM {t} WHERE candidate_id = ? GROUP BY ALL ORDER BY ALL".replace(
            "?", f"'{SMITH}'"
        ),
    )
    assert daily == [("O", True, Decimal("550.00")), ("S", False, Decimal("1040.00")), ("S", True, Decimal("150.00"))]


def test_the_data_quality_report_lists_what_no_single_candidate_matches(built):
    from dashboard.pipeline.builder.validation import data_quality

    findings = {f["code"]: f for f in data_quality(duckdb.connect(), built)}
    assert findings["outside_unmatched"]["count"] == 2
    assert findings["outside_unmatched"]["amount"] == "80.00"
