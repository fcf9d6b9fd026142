"""The API's parameters: each one declared once (name, parser, OpenAPI schema, description) and
parsed from the query string here.

Every parser comes from dashboard.core.params, the one parser of URL, API and CLI input, so a
value the API refuses is refused by the pages with the same message. The endpoints
(dashboard.app.api.endpoints) list these declarations; the OpenAPI document is generated from
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from flask import request

from dashboard.app import exports
from dashboard.app.queries import receipts
from dashboard.core import contract, fec, geography, params

FORMATS = ("json", "csv")

# ----------------------------------------------------------------------------- the schemas' vocabulary
# Each schema says exactly what its parser takes, and `parse` refuses a value its schema refuses before
# the parser runs, so the document and the API cannot disagree (a schemathesis run in the tests checks
# both ways). Values are taken as sent: no blanks for "the default" (leave the parameter out), no
# spaces around them.


def either_case(values) -> list[str]:
    """An enum of codes the parsers upper- or lower-case: each in upper and in lower case."""
    return list(dict.fromkeys([*(str(v).upper() for v in values), *(str(v).lower() for v in values)]))


_CYCLES = [year for year in range(1900, 2200) if geography.is_valid_cycle(year)]
CYCLE_SCHEMA = {
    "type": "integer",
    "minimum": _CYCLES[0],
    "maximum": _CYCLES[-1],
    "multipleOf": 2,
    "example": 2024,
}
STATE_SCHEMA = {"type": "string", "enum": either_case(geography.STATES)}
CANDIDATE_SCHEMA = {"type": "string", "pattern": "^[HSPhsp][0-9A-Za-z]{8}$"}
COMMITTEE_SCHEMA = {"type": "string", "pattern": "^[Cc][0-9]{8}$"}
# Free text: no control characters, as params.free_text.
_NO_CONTROLS = "[^\\x00-\\x1f\\x7f]*"
# Dates the parsers take: real days written YYYY-MM-DD from params.FIRST_DATE to params.LAST_DATE
# (1975-2100), February 29 in leap years only. A pattern, not `format: date`: generators (and clients)
# that honour the format ignore the range.
_YEAR = "(197[5-9]|19[89][0-9]|20[0-9][0-9]|2100)"
_LEAP_YEAR = "(19(76|8[048]|9[26])|20([02468][048]|[13579][26]))"
_MONTH_DAY = "((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
DATE_SCHEMA = {
    "type": "string",
    "pattern": f"^({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)$",
    "example": "2024-10-01",
}
# Dollars and cents up to params.MAX_AMOUNT ($100,000,000), as params.amount reads them.
AMOUNT_SCHEMA = {
    "type": "string",
    "pattern": "^-?([0-9]{1,8}([.][0-9]{1,2})?|100000000([.]00?)?)$",
    "example": "200.50",
}


def free_text_schema(max_length: int, needs: str = "") -> dict:
    """Words of at most `max_length` characters without control characters; `needs`: a character class
    one of them must be (the receipts' name search needs a letter or digit)."""
    pattern = f"^{_NO_CONTROLS}{needs}{_NO_CONTROLS}$" if needs else f"^{_NO_CONTROLS}$"
    return {"type": "string", "maxLength": max_length, "pattern": pattern}


def conforms(raw: str, schema: dict) -> bool:
    """Whether a query-string value is an instance of `schema` (the subset of JSON Schema these
    declarations use: anyOf/oneOf, enum, integer bounds and multipleOf, string lengths, pattern, date)."""
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        return any(conforms(raw, alternative) for alternative in alternatives)
    if "enum" in schema and raw not in [str(v) for v in schema["enum"]]:
        return False
    if schema.get("type") == "integer":
        if not re.fullmatch("-?[0-9]{1,15}", raw):
            return False
        number = int(raw)
        return (
            number >= schema.get("minimum", number)
            and number <= schema.get("maximum", number)
            and number % schema.get("multipleOf", 1) == 0
        )
    if not schema.get("minLength", 0) <= len(raw) <= schema.get("maxLength", len(raw)):
        return False
    if "pattern" in schema and not re.search(schema["pattern"], raw):
        return False
    return True


def _expected(schema: dict) -> str:
    """What a schema wants, in words, for the 400's message."""
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        return " or ".join(_expected(alternative) for alternative in alternatives)
    if "enum" in schema:
        shown = [str(v) for v in schema["enum"]][:12]
        return "one of " + ", ".join(shown) + (", ..." if len(schema["enum"]) > 12 else "")
    if schema.get("type") == "integer":
        step = " even" if schema.get("multipleOf") == 2 else ""
        return f"a{step} whole number from {schema.get('minimum', '-∞')} to {schema.get('maximum', '∞')}"
    if schema is DATE_SCHEMA:
        return "a date written YYYY-MM-DD from 1975 to 2100"
    if "maxLength" in schema:
        return f"text of at most {schema['maxLength']} characters without control characters"
    return f"a value matching {schema.get('pattern', 'the documented form')}"


@dataclass(frozen=True)
class Rule:
    """A constraint between parameters, which JSON Schema cannot state for query parameters: the
    document says it in words (each operation's description); the query or endpoint enforces it.
    `holds` tells whether a query string (name -> value, already valid one by one) obeys it."""

    text: str
    holds: Callable[[Mapping[str, str]], bool]


@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[Any], Any]  # raw URL value (None when absent) -> clean value
    schema: dict  # OpenAPI schema of the raw value
    description: str
    required: bool = False


def limit(maximum: int, default: int) -> Param:
    return Param(
        "limit",
        lambda v: params.whole_number(v, "limit", 1, maximum, default),
        {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
        f"most rows to return (1-{maximum})",
    )


def required_date(name: str, description: str) -> Param:
    return Param(name, lambda v: params.date(v, name), DATE_SCHEMA, description, required=True)


def _as_sent(value):
    """Parsed by the query itself: ReceiptFilters.from_query checks the filters together (min <= max,
    from <= to), receipts_after the cursor."""
    return value


# ----------------------------------------------------------------------------- races, candidates, search

CYCLE = Param(
    "cycle",
    params.cycle,
    CYCLE_SCHEMA,
    "two-year cycle, named by its even year (default: the site's default cycle)",
)
OFFICE = Param(
    "office",
    params.office,
    {"type": "string", "enum": either_case([*fec.OFFICE_BY_WORD, *fec.OFFICES])},
    "office: house, senate or president",
    required=True,
)
OFFICE_OPTIONAL = Param("office", params.optional(params.office), OFFICE.schema, "office: house, senate or president")
STATE = Param(
    "state",
    params.optional(params.state),
    STATE_SCHEMA,
    "two-letter state code (house and senate races)",
)
DISTRICT = Param(
    "district",
    params.optional(params.district),
    {"type": "string", "pattern": "^([0-4]?[0-9]|5[0-3])$"},
    f"House district, 00 for at-large seats, up to {params.MAX_DISTRICT} (house races)",
)
CANDIDATE = Param(
    "candidate_id",
    params.candidate_id,
    CANDIDATE_SCHEMA,
    "FEC candidate id",
    required=True,
)
COMMITTEE = Param(
    "committee_id",
    params.committee_id,
    COMMITTEE_SCHEMA,
    "FEC committee id",
    required=True,
)
SEARCH_TEXT = Param(
    "q",
    lambda v: params.free_text(v, "q", 80) or "",
    free_text_schema(80, needs="[^\\s\\x00-\\x1f\\x7f]"),
    "words of a candidate's or committee's name, or an FEC id",
    required=True,
)

RACE = (CYCLE, OFFICE, STATE, DISTRICT)


def _office(query: Mapping[str, str]) -> str:
    return fec.OFFICE_BY_WORD.get(str(query.get("office", "")).lower(), str(query.get("office", "")).upper())


RACE_RULES = (
    Rule("state is required for a house or senate race", lambda q: _office(q) not in ("H", "S") or "state" in q),
    Rule("district is required for a house race", lambda q: _office(q) != "H" or "district" in q),
)
CANDIDATE_CYCLE = (CANDIDATE, CYCLE)

# ----------------------------------------------------------------------------- receipts

# The receipts explorer's filters, named as in its URL (dashboard.app.queries.receipts).
RECEIPT_FILTERS = (
    Param(
        "cycle",
        _as_sent,
        {"anyOf": [CYCLE.schema, {"type": "string", "enum": [receipts.ALL_CYCLES]}]},
        CYCLE.description + "; `all` searches every cycle loaded",
    ),
    Param("candidate_id", _as_sent, CANDIDATE.schema, "recipient candidate"),
    Param("committee_id", _as_sent, COMMITTEE.schema, "recipient committee"),
    Param(
        "q",
        _as_sent,
        free_text_schema(80, needs="[A-Za-z0-9]"),
        "contributor name: every word begins a word of the name, any order (at least one letter or digit)",
    ),
    Param(
        "employer",
        _as_sent,
        free_text_schema(80),
        "employer as normalized on candidate pages; end with * for 'starts with'",
    ),
    Param(
        "occupation",
        _as_sent,
        free_text_schema(80),
        "occupation as normalized on candidate pages; end with * for 'starts with'",
    ),
    Param("city", _as_sent, free_text_schema(40), "contributor's city starts with"),
    Param("state", _as_sent, STATE.schema, "contributor's state"),
    Param("not_state", _as_sent, STATE.schema, "every contributor's state but this one (not the same as state)"),
    Param(
        "outside_state",
        _as_sent,
        {"type": "string", "enum": ["yes", "no"]},
        "yes: contributor's state differs from the House or Senate candidate's state; no: the same state",
    ),
    Param("zip", _as_sent, {"type": "string", "pattern": "^[0-9]{5}(-?[0-9]{4})?$"}, "contributor's ZIP code"),
    Param("min", _as_sent, AMOUNT_SCHEMA, "smallest amount, dollars and cents"),
    Param("max", _as_sent, AMOUNT_SCHEMA, "largest amount, dollars and cents; not less than min"),
    Param("from", _as_sent, DATE_SCHEMA, "first date, YYYY-MM-DD"),
    Param("to", _as_sent, DATE_SCHEMA, "last date, YYYY-MM-DD; not before from"),
    Param("earmarked", _as_sent, {"type": "string", "enum": ["yes", "no"]}, "earmarked through a conduit or not"),
    Param("conduit", _as_sent, COMMITTEE.schema, "the conduit committee an earmarked gift came through"),
    Param(
        "entity",
        _as_sent,
        {"type": "string", "enum": list(params.CONTRIBUTOR_ENTITIES)},
        "individual (entity type IND) or organization (ORG), as the filer reported the contributor",
    ),
)
RECEIPT_RULES = (
    Rule(
        "max is not less than min",
        lambda q: "min" not in q or "max" not in q or params.amount(q["min"]) <= params.amount(q["max"]),
    ),
    Rule("to is not before from", lambda q: "from" not in q or "to" not in q or q["from"] <= q["to"]),
    Rule(
        "not_state is not the same as state",
        lambda q: "state" not in q or str(q["state"]).upper() != str(q.get("not_state", "")).upper(),
    ),
)
RECEIPTS_PAGE_RULES = (
    *RECEIPT_RULES,
    Rule("after is a cursor this API returned (meta.next_after) for the same sort", lambda q: "after" not in q),
)
SORT = Param(
    "sort",
    receipts.ReceiptFilters.parse_sort,
    {"type": "string", "enum": list(receipts.SORTS), "default": receipts.DEFAULT_SORT},
    "order: date or amount, - for descending",
)
RECEIPTS_PAGE = (
    *RECEIPT_FILTERS,
    SORT,
    Param(
        "after",
        _as_sent,
        {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,200}$"},
        "cursor from the previous page's meta.next_after (only such a cursor, for the same sort, is valid)",
    ),
    limit(receipts.MAX_PAGE, 100),
)
EXPORT_PARAMS = (
    *RECEIPT_FILTERS,
    SORT,
    Param(
        "format",
        exports.export_format,
        {"type": "string", "enum": list(exports.MEDIA_TYPES), "default": "csv"},
        "csv or parquet",
    ),
)

# ----------------------------------------------------------------------------- trends

# The trends monitor's filters (dashboard.app.queries.trends): the recipient's state, office, party.
TREND_FILTERS = (
    CYCLE,
    STATE,
    OFFICE_OPTIONAL,
    Param(
        "party",
        params.optional(params.party),
        {"type": "string", "enum": either_case(sorted(fec.PARTY_DESCRIPTIONS))},
        "FEC party code, e.g. DEM, W (write-in) or D/C (upper or lower case)",
    ),
)
WINDOW = (
    required_date("start", "first day of the window, YYYY-MM-DD"),
    required_date("end", "last day of the window, YYYY-MM-DD"),
)
SINCE = required_date("since", "latest report ends on or after, YYYY-MM-DD")
BUCKET = Param(
    "by",
    lambda v: params.choice(v, "by", ("day", "week"), "day"),
    {"type": "string", "enum": ["day", "week"]},
    "day or week",
)
ORDER = Param(
    "order",
    lambda v: params.choice(v, "order", ("dollars", "percent"), "dollars"),
    {"type": "string", "enum": ["dollars", "percent"], "default": "dollars"},
    "rank by dollars or percent",
)
LARGE_MINIMUM = Param(
    "minimum",
    lambda v: params.whole_number(
        v, "minimum", contract.LARGE_RECEIPT_FLOOR, 100_000_000, contract.LARGE_RECEIPT_FLOOR
    ),
    {"type": "integer", "minimum": contract.LARGE_RECEIPT_FLOOR, "maximum": 100_000_000},
    "smallest amount, dollars",
)
RACE_COUNT = Param(
    "races",
    lambda v: params.whole_number(v, "races", 1, 50, 8),
    {"type": "integer", "minimum": 1, "maximum": 50, "default": 8},
    "how many races",
)

# ----------------------------------------------------------------------------- map

MAP_OFFICE = Param(
    "office",
    lambda v: params.choice(v, "office", ("house", "senate"), "house")[0].upper(),
    {"type": "string", "enum": ["house", "senate"], "default": "house"},
    "house or senate",
)
PER_RACE = Param(
    "per_race",
    lambda v: params.whole_number(v, "per_race", 1, 10, 3),
    {"type": "integer", "minimum": 1, "maximum": 10, "default": 3},
    "leading candidates per race",
)


# ----------------------------------------------------------------------------- the query string


def parse(declared: tuple[Param, ...], allowed_extra: tuple[str, ...] = ("format",)) -> dict:
    """Parsed values of `declared` from the query string; unknown or repeated names are errors."""
    known = {p.name for p in declared} | set(allowed_extra)
    for name in request.args:
        if name not in known:
            raise params.InvalidParameter(
                f"{name[:30]}: unknown parameter; this endpoint takes {', '.join(sorted(known)) or 'none'}"
            )
        if len(request.args.getlist(name)) > 1:
            raise params.InvalidParameter(f"{name[:30]}: given more than once")
    parsed = {}
    for param in declared:
        raw = request.args.get(param.name)
        if param.required and raw is None:
            raise params.InvalidParameter(f"{param.name}: missing (required)")
        if raw is not None and not conforms(raw, param.schema):
            shown = f"{raw[:20]!r}" if raw else "empty (leave it out for the default)"
            raise params.InvalidParameter(f"{param.name}: {shown} is not {_expected(param.schema)}")
        parsed[param.name] = param.parse(raw)
    return parsed


def response_format(path_format: str | None) -> str:
    """json or csv: `?format=` first, then the path's suffix (.csv). Not params.choice: a format
    given as blanks is an error here, not the default."""
    requested = request.args.get("format")
    fmt = requested if requested is not None else (path_format or "json")
    if fmt not in FORMATS:
        raise params.InvalidParameter(f"format: {fmt[:20]!r} is not one of {', '.join(FORMATS)}")
    return fmt
