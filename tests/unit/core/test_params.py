"""Parsing of every id, cycle, state and district a URL can carry."""

from __future__ import annotations

import pytest

from dashboard.core import fec, params


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("H4WA08123", "H4WA08123"),
        ("s6mt00104", "S6MT00104"),
        (" P00000001 ", "P00000001"),
    ],
)
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


@pytest.mark.parametrize(
    "raw, reason",
    [
        ("2023", "even"),
        ("1974", "1976-2100"),
        ("2102", "1976-2100"),
        ("20x4", "not a year"),
        ("-2024", "not a year"),
        ("²", "not a year"),  # str.isdigit() passes these; int() refuses them
        ("①", "not a year"),
        ("２０２４", "not a year"),  # full-width digits: int() would read 2024, but no URL means that
        ("202400000", "not a year"),
    ],
)
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


def test_office_lists_take_codes_words_and_commas():
    assert params.offices(["H,s", "senate", " p "]) == ("H", "S", "P")
    assert params.offices([]) == () and params.offices(None) == ()
    with pytest.raises(params.InvalidParameter, match=r"^--office takes H, S and P \(comma separated\), not X,GOV$"):
        params.offices(["H,x", "gov"], "--office")


def test_state_lists():
    assert params.states(["or", "WA,or", " tx "]) == ("OR", "WA", "TX")
    assert params.states([]) == ()
    with pytest.raises(params.InvalidParameter, match="state .* not ZZ,OREGON"):
        params.states(["zz", "Oregon", "WA"])


def test_cycle_lists_are_sorted_and_can_start_later():
    assert params.cycles([2026, "2024", 2026]) == (2024, 2026)
    assert params.cycles([]) == ()
    with pytest.raises(params.InvalidParameter, match=r"cycle .*\(1976 or later\), not 2023"):
        params.cycles([2024, 2023])
    with pytest.raises(params.InvalidParameter, match=r"--cycle .*\(1980 or later\), not 1978"):
        params.cycles([1978], "--cycle", first=1980)


def test_intervals_in_seconds():
    assert params.interval("45s") == 45
    assert params.interval(" 6h ") == 6 * 3600
    assert params.interval("1d") == 86400
    for raw in ("0h", "6", "h", "", None, "1w", "-1h"):
        with pytest.raises(params.InvalidParameter, match="interval"):
            params.interval(raw)


def test_party_codes_are_the_fecs_own_upper_cased():
    # The FEC's list has one-, two- and three-character codes, one with a slash.
    assert [params.party(raw) for raw in ("W", " un ", "D/C", "dfl", " dem ")] == ["W", "UN", "D/C", "DFL", "DEM"]
    assert all(params.party(code.lower()) == code for code in fec.PARTY_DESCRIPTIONS)
    for raw in ("ZZZ", "D' OR 1=1", "DEMO", "D", "1AB", "N/A", "DC", ""):
        with pytest.raises(params.InvalidParameter, match=r"^party: .*not an FEC party code .*such as DEM.*D/C"):
            params.party(raw)
    with pytest.raises(params.InvalidParameter, match="^party: missing"):
        params.party(None)


def test_optional_parsers_take_blanks_as_none():
    parse = params.optional(params.state)
    assert parse(None) is None and parse("") is None and parse("  ") is None
    assert parse("wa") == "WA"
    with pytest.raises(params.InvalidParameter, match="^state:"):
        parse("ZZ")


@pytest.mark.parametrize("raw, dollars", [("2000", 2000), ("$2,000", 2000), ("2000.00", 2000), (" 5000 ", 5000)])
def test_whole_dollars_as_people_type_them(raw, dollars):
    assert params.whole_dollars(raw, "min", 1000, 100_000_000) == dollars


@pytest.mark.parametrize("raw", ["999", "100000001", "-5", "1e4", "2000.5", "", "x", "\u00b2", "9" * 5000])
def test_whole_dollars_out_of_range_or_malformed_name_the_parameter(raw):
    with pytest.raises(params.InvalidParameter, match="^min: .* from 1,000 to 100,000,000"):
        params.whole_dollars(raw, "min", 1000, 100_000_000)
