"""Parsing of every id, cycle, state and district a URL can carry."""
from __future__ import annotations

import pytest

from dashboard.core import params


@pytest.mark.parametrize("raw, clean", [
    ("H4WA08123", "H4WA08123"), ("s6mt00104", "S6MT00104"), (" P00000001 ", "P00000001"),
])
def test_candidate_ids_are_upper_cased(raw, clean):
    assert params.candidate_id(raw) == clean


@pytest.mark.parametrize("raw", ["", "X4WA08123", "H4WA0812", "H4WA081234", "H4WA-8123", None, "H4WA08'--"])
def test_bad_candidate_ids_name_the_parameter(raw):
    with pytest.raises(ValueError, match="candidate_id"):
        params.candidate_id(raw)


def test_committee_ids():
    assert params.committee_id("c00123456") == "C00123456"
    for raw in ("C0012345", "C0012345X", "D00123456", ""):
        with pytest.raises(ValueError, match="committee_id"):
            params.committee_id(raw)


def test_cycle_defaults_to_the_configured_one(monkeypatch):
    monkeypatch.setenv("DEFAULT_CYCLE", "2022")
    assert params.cycle(None) == 2022
    assert params.cycle("") == 2022
    assert params.cycle("2024") == 2024
    assert params.cycle(2026) == 2026


@pytest.mark.parametrize("raw, reason", [
    ("2023", "even"), ("1974", "1976-2100"), ("2102", "1976-2100"), ("20x4", "not a year"),
    ("-2024", "not a year"),
])
def test_bad_cycles(raw, reason):
    with pytest.raises(ValueError, match=f"cycle: .*{reason}"):
        params.cycle(raw)


def test_states():
    assert params.state("wa") == "WA"
    assert params.state("DC") == "DC"
    for raw in ("ZZ", "W", "", "Washington"):
        with pytest.raises(ValueError, match="state"):
            params.state(raw)


def test_districts_are_two_digits():
    assert params.district("8") == "08"
    assert params.district("00") == "00"
    assert params.district("53") == "53"
    for raw in ("54", "99", "1a", "", "008", "-1"):
        with pytest.raises(ValueError, match="district"):
            params.district(raw)


def test_offices_from_words_or_codes():
    assert params.office("house") == "H"
    assert params.office("Senate") == "S"
    assert params.office("p") == "P"
    with pytest.raises(ValueError, match="office"):
        params.office("governor")


def test_errors_are_invalid_parameter_so_pages_can_tell_them_from_bugs():
    with pytest.raises(params.InvalidParameter):
        params.state("ZZ")


def test_search_text_is_trimmed_and_capped():
    assert params.search_text("  smi   jo ") == "smi jo"
    assert len(params.search_text("x" * 500)) == 80
    assert params.search_text(None) == ""
