"""Labels and links shared by pages, queries and figures."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd

from dashboard.app import labels, links
from dashboard.core import contract, fec


def test_race_paths_match_the_page_routes():
    assert links.race_path("H", "CA", "12", 2024) == "/race/house/CA/12/2024"
    assert links.race_path("S", "TX", "00", 2026) == "/race/senate/TX/2026"
    assert links.race_path("P", "US", "00", 2024) == "/race/president/2024"


def test_race_labels():
    assert links.race_label("H", "CA", "12") == "House CA-12"
    assert links.race_label("H", "AK", "00", 2024) == "House AK at-large (2024)"
    assert links.race_label("H", "DC", "00") == "House DC delegate"
    assert links.race_label("S", "TX", "00") == "Senate Texas"
    assert links.race_label("P", "US", "00") == "President"


def test_candidate_and_committee_paths():
    assert links.candidate_path("H4WA08123", 2024) == "/candidate/H4WA08123?cycle=2024"
    assert links.candidate_path("H4WA08123") == "/candidate/H4WA08123"
    assert links.committee_path("C00000001", 2022) == "/committee/C00000001?cycle=2022"


def test_money_and_missing_values():
    assert labels.money(1234567.891) == "$1,234,568"
    assert labels.money(-50) == "-$50"
    for missing in (None, math.nan, pd.NA, pd.NaT):
        assert labels.money(missing) == "-"
        assert labels.date(missing) == "-"
    assert labels.money_short(2_500_000) == "$2.5M"
    assert labels.money_short(850_000) == "$850.0K"
    assert labels.share(0.456) == "46%"
    assert labels.count(1234) == "1,234"
    assert labels.date(pd.Timestamp("2024-12-31")) == "2024-12-31"


def test_codes_in_words():
    assert labels.party("DEM") == "Democratic"
    assert labels.party("XYZ") == "XYZ"
    assert labels.party(None) == "Unknown"
    assert labels.incumbency("O") == "Open seat"
    assert labels.designation("J") == "Joint fundraiser"


def test_every_fec_party_code_and_office_has_a_name():
    assert all(labels.party(code) == fec.PARTY_NAMES[code] != code for code in fec.PARTY_DESCRIPTIONS)
    assert labels.party("PFP") == "Peace And Freedom Party" and labels.party("W") == "Write-In"
    assert [labels.office(code) for code in fec.OFFICES] == ["House", "Senate", "President"]
    assert labels.office(None) == "Unknown"


def test_whole_dollars_round_half_away_from_zero():
    # Python's round() and format() round half to even: $2.50 showed as $2, $1,234,566.50 as
    # $1,234,566. People and fec.gov round halves away from zero.
    assert labels.money(2.5) == "$3"
    assert labels.money(-2.5) == "-$3"
    assert labels.money(1_234_566.5) == "$1,234,567"
    assert labels.money(0.5) == "$1"
    assert labels.money(Decimal("10.50")) == "$11"  # DECIMAL columns arrive as Decimal
    assert labels.money(np.float64(4.5)) == "$5"
    assert labels.money(-0.4) == "$0"
    assert labels.money(1234567.49) == "$1,234,567"
    assert labels.money_short(1_250_000) == "$1.3M"  # was $1.2M
    assert labels.money_short(-1_250_000) == "-$1.3M"
    assert labels.money_short(1_249_999.99) == "$1.2M"  # rounded once, not twice
    assert labels.money_short(999_950) == "$1.0M"  # not $1000.0K
    assert labels.money_short(999.4) == "$999" and labels.money_short(999.5) == "$1.0K"
    assert labels.share(0.125) == "13%" and labels.share(0.145) == "15%"


def test_tables_show_money_to_the_cent():
    assert labels.money_cents(1234567.89) == "$1,234,567.89"
    assert labels.money_cents(1234.5) == "$1,234.50"  # never $1,235 (the card's figure) nor $1,234.49
    assert labels.money_cents(-12.5) == "-$12.50"
    assert labels.money_cents(0.1 + 0.2) == "$0.30"  # a float sum (0.30000000000000004) is still 30 cents
    assert labels.money_cents(1234.4999999999998) == "$1,234.50"
    assert labels.money_cents(Decimal("999999999999.99")) == "$999,999,999,999.99"  # DECIMAL(14,2)'s largest
    assert labels.money_cents(np.float64(250)) == "$250.00"
    assert labels.money_cents(0) == "$0.00" and labels.money_cents(-0.001) == "$0.00"  # no "-$0.00"
    for missing in (None, math.nan, pd.NA, pd.NaT):
        assert labels.money_cents(missing) == "-"


def test_net_of_own_transfers_is_said_only_when_it_differs():
    assert (
        labels.net_of_own_transfers(Decimal("222944.75"), Decimal("202598.75"))
        == "$202,599 net of $20,346 moved between its own committees"
    )
    assert labels.net_of_own_transfers(1000.1, 1000.1) is None  # nothing moved
    assert labels.net_of_own_transfers(Decimal("1000.10"), 1000.1) is None  # same figure, other type
    assert labels.net_of_own_transfers(1000, None) is None  # a source without both transfer columns
    assert labels.net_of_own_transfers(None, float("nan")) is None  # not reported


def test_every_totals_source_is_said_in_words():
    assert set(labels.TOTALS_SOURCE_NAMES) == set(contract.TOTALS_SOURCES)
    assert labels.totals_source("summary") == "the FEC's own candidate totals"
    assert labels.totals_source(None) == "Unknown"


def test_committee_kinds_say_what_a_committee_is():
    kind = fec.committee_kind
    assert kind("H", "P") == "Principal campaign committee"
    assert kind("S", "A") == "Authorized campaign committee"
    assert kind("Q", "D") == "Leadership PAC"
    assert kind("N", "J") == "Joint fundraising committee"
    assert kind("O", "U") == "Super PAC"
    assert kind("O", "B") == "Super PAC"  # a lobbyist's super PAC is a super PAC first
    assert kind("V", "U") == kind("W", "U") == "Carey committee (hybrid PAC)"
    assert kind("X", "U") == kind("Y", "U") == "Party committee"
    assert kind("Q", "B") == "Lobbyist/registrant PAC"
    assert kind("N", "U") == kind("Q", "U") == "PAC"
    assert kind("I", "U") == fec.COMMITTEE_TYPES["I"]
    assert kind(None, None) == "Committee"


def real_rows(path, columns):
    with open(path, encoding="utf-8") as lines:
        return [tuple(line.rstrip("\n").split("|")[i] for i in columns) for line in lines]


def test_real_committees_are_labelled_by_their_kind(shared_data):
    # Every committee of a real cm.txt (CMTE_ID, CMTE_NM, CMTE_DSGN, CMTE_TP) gets a kind, and the
    # well-known ones the right one.
    rows = real_rows(shared_data / "fec/2016/cm.txt", (0, 1, 8, 9))
    committees = {cid: (name, role, kind) for cid, name, role, kind in rows}
    assert len(committees) > 15_000
    kinds = {cid: fec.committee_kind(kind, role) for cid, (_, role, kind) in committees.items()}
    # ...every one with a type: two rows have none (one is a blank row of a terminated committee)
    assert [cid for cid, k in kinds.items() if k == "Committee"] == [
        cid for cid, (_, _, kind) in committees.items() if not kind
    ]
    assert kinds["C00344234"] == "Leadership PAC"  # PAC TO THE FUTURE
    assert kinds["C00586537"] == "Joint fundraising committee"  # HILLARY VICTORY FUND
    assert kinds["C00495861"] == "Super PAC"  # PRIORITIES USA ACTION
    assert kinds["C00155952"] == "Party committee"  # DEMOCRATIC PARTY OF VIRGINIA
    by_role = {}
    for cid, (_, role, kind) in committees.items():
        by_role.setdefault(role, set()).add(kinds[cid])
    assert by_role["D"] == {"Leadership PAC"} and by_role["J"] == {"Joint fundraising committee"}
    assert not any(k.startswith("Campaign") or "campaign" in k for k in by_role["D"] | by_role["J"])


def test_real_party_codes_are_named(shared_data):
    # CAND_PTY_AFFILIATION of a real cn.txt: the FEC's codes all have names ('DFL' is the
    # Democratic-Farmer-Labor party); only codes filers made up are shown as typed.
    parties = [party for (party,) in real_rows(shared_data / "fec/2016/cn.txt", (2,))]
    assert labels.party("DFL") == "Democratic-Farmer-Labor"
    assert "DFL" in parties
    named = [p for p in parties if p in fec.PARTY_DESCRIPTIONS]
    assert all(labels.party(p) != p for p in named)
    assert len(named) / len(parties) > 0.98
