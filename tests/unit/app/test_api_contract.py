"""The API's declared schemas say exactly what its parsers take: every value a schema allows parses,
and `conforms` (the gate `parse` runs before the parsers) refuses what a schema refuses, Unicode
digits, blanks and spaces around values included."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from dashboard.app.api import openapi
from dashboard.app.api.endpoints import ENDPOINTS
from dashboard.app.api.params import (
    AMOUNT_SCHEMA,
    CYCLE,
    DATE_SCHEMA,
    DISTRICT,
    EXPORT_PARAMS,
    RECEIPTS_PAGE,
    conforms,
)
from dashboard.core import params

DECLARED = {p.name + repr(p.schema): p for e in ENDPOINTS for p in e.params} | {
    p.name + repr(p.schema): p for p in (*RECEIPTS_PAGE, *EXPORT_PARAMS)
}


def test_every_enum_value_parses():
    for param in DECLARED.values():
        for value in param.schema.get("enum", []):
            param.parse(str(value))  # raises if the parser refuses what the document offers


@pytest.mark.parametrize("raw", ["２０２４", "٢٠٢٤", "20²4", "2024 ", " 2024", "", "2024.0", "+2024", "nan", "inf"])
def test_cycles_in_other_digits_or_forms_do_not_conform(raw):
    assert not conforms(raw, CYCLE.schema)


def test_cycles_conform_exactly_when_the_parser_takes_them():
    for year in range(1900, 2200):
        try:
            params.cycle(str(year))
            parsed = True
        except params.InvalidParameter:
            parsed = False
        assert conforms(str(year), CYCLE.schema) == parsed, year


def test_districts_conform_exactly_when_the_parser_takes_them():
    for raw in [str(n) for n in range(100)] + [f"{n:02d}" for n in range(100)]:
        try:
            params.district(raw)
            parsed = True
        except params.InvalidParameter:
            parsed = False
        assert conforms(raw, DISTRICT.schema) == parsed, raw


def test_the_date_pattern_is_every_real_day_from_1975_to_2100():
    day = date(1975, 1, 1)
    while day <= date(2100, 12, 31):
        assert conforms(day.isoformat(), DATE_SCHEMA), day
        day += timedelta(days=1)
    for raw in ["2023-02-29", "2100-02-29", "1974-12-31", "2101-01-01", "2024-04-31", "2024-1-01", "20240101"]:
        assert not conforms(raw, DATE_SCHEMA), raw
        with pytest.raises(params.InvalidParameter):
            params.date(raw)


@pytest.mark.parametrize("raw", ["0", "-25", "200.5", "1000.50", "99999999.99", "100000000", "-100000000.00"])
def test_amounts_that_conform_parse(raw):
    assert conforms(raw, AMOUNT_SCHEMA)
    assert params.amount(raw) == Decimal(raw)


@pytest.mark.parametrize("raw", ["100000000.01", "1e3", "nan", "١٢", "$5", "1,000", "0.001", ""])
def test_amounts_that_do_not_conform(raw):
    assert not conforms(raw, AMOUNT_SCHEMA)


def test_the_document_declares_ranges_enums_and_patterns():
    document = openapi.document()
    race = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/race"]["get"]["parameters"]}
    assert race["cycle"] == {**race["cycle"], "minimum": 1976, "maximum": 2100, "multipleOf": 2}
    assert "OR" in race["state"]["enum"] and "AA" not in race["state"]["enum"]
    assert re.fullmatch(race["district"]["pattern"].strip("^$"), "53") and not conforms("54", race["district"])
    assert "state is required" in document["paths"]["/api/v1/race"]["get"]["description"]
    export = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/receipts/export"]["get"]["parameters"]}
    assert export["format"]["enum"] == ["csv", "parquet"]
    limits = [
        p["schema"] for item in document["paths"].values() for p in item["get"]["parameters"] if p["name"] == "limit"
    ]
    assert limits and all("minimum" in s and "maximum" in s for s in limits)
