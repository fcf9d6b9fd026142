"""Every parser that says digits takes ASCII digits only. Python's \\d and str.isdigit() also match
other scripts' digits ('١٢' Arabic-Indic, '１２' fullwidth) and '²', '①'; int() reads some of them and
refuses others, so before this a URL could be a 500 or be read as a different value."""

from __future__ import annotations

import pytest

from dashboard.core import params

# Each is a digit to \d or str.isdigit() and none is 0-9.
UNICODE_DIGITS = ("١٢", "１２", "²", "①", "߁߂", "𝟙𝟚")


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
@pytest.mark.parametrize(
    "parse, template",
    [
        (params.cycle, "20{}"),
        (params.district, "{}"),
        (lambda v: params.committee_id(v), "C000000{}"),
        (lambda v: params.candidate_id(v), "H0OR000{}"),
        (lambda v: params.zip5(v), "981{}"),
        (lambda v: params.zip5(v), "98101-12{}"),
        (lambda v: params.amount(v), "{}"),
        (lambda v: params.amount(v), "10.{}"),
        (lambda v: params.date(v), "2024-01-{}"),
        (lambda v: params.whole_number(v, "limit", 0, 10**6), "{}"),
        (lambda v: params.whole_dollars(v, "minimum", 0, 10**6), "{}"),
        (params.donor_key, "SMITH, JOHN|981{}"),
        (params.interval, "{}m"),
        (lambda v: params.cycles([v]), "20{}"),
        (lambda v: params.states([v]), "{}"),
    ],
)
def test_unicode_digits_are_refused_as_invalid_parameters(parse, template, digits):
    with pytest.raises(params.InvalidParameter):
        parse(template.format(digits))


def test_ascii_digits_still_parse():
    assert params.cycle("2024") == 2024
    assert params.district("7") == "07"
    assert params.committee_id("c00000012") == "C00000012"
    assert params.zip5("98101-1234") == "98101"
    assert str(params.amount("$1,000.50")) == "1000.50"
    assert params.whole_number("12", "limit", 0, 100) == 12
    assert params.whole_dollars("$2,000.00", "minimum", 0, 10**6) == 2000
    assert params.donor_key("smith, john|98101") == "SMITH, JOHN|98101"
    assert params.interval("30m") == 1800
    assert params.date("2024-02-29").isoformat() == "2024-02-29"


@pytest.mark.parametrize("raw", ["20240101", "2024-W01-1", "2024-1-1", " 2024-01-01x"])
def test_dates_are_written_yyyy_mm_dd(raw):
    with pytest.raises(params.InvalidParameter, match="YYYY-MM-DD"):
        params.date(raw, "from")


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "1e3", "NaN", "Infinity"])
def test_amounts_are_no_floats(raw):
    with pytest.raises(params.InvalidParameter):
        params.amount(raw, "min")
