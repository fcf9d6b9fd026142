"""Labels and links shared by pages, queries and figures."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.app import labels, links
from dashboard.core import fec


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
