"""The API's parameters: each one declared once (name, parser, OpenAPI schema, description) and
parsed from the query string here.

Every parser comes from dashboard.core.params, the one parser of URL, API and CLI input, so a
value the API refuses is refused by the pages with the same message. The endpoints
(dashboard.app.api.endpoints) list these declarations; the OpenAPI document is generated from
them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from flask import request

from dashboard.app import exports
from dashboard.app.queries import receipts
from dashboard.core import contract, fec, params

FORMATS = ("json", "csv")


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
    return Param(name, lambda v: params.date(v, name), {"type": "string", "format": "date"}, description, required=True)


def _as_sent(value):
    """Parsed by the query itself: ReceiptFilters.from_query checks the filters together (min <= max,
    from <= to), receipts_after the cursor."""
    return value


# ----------------------------------------------------------------------------- races, candidates, search

CYCLE = Param(
    "cycle",
    params.cycle,
    {"type": "integer", "example": 2024},
    "two-year cycle, named by its even year (default: the site's default cycle)",
)
OFFICE = Param(
    "office",
    params.office,
    {"type": "string", "enum": [*fec.OFFICE_BY_WORD, *fec.OFFICES]},
    "office: house, senate or president",
    required=True,
)
OFFICE_OPTIONAL = Param("office", params.optional(params.office), OFFICE.schema, "office: house, senate or president")
STATE = Param(
    "state",
    params.optional(params.state),
    {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    "two-letter state code (house and senate races)",
)
DISTRICT = Param(
    "district",
    params.optional(params.district),
    {"type": "string", "pattern": "^[0-9]{1,2}$"},
    "House district, 00 for at-large seats (house races)",
)
CANDIDATE = Param(
    "candidate_id",
    params.candidate_id,
    {"type": "string", "pattern": "^[HSPhsp][0-9A-Za-z]{8}$"},
    "FEC candidate id",
    required=True,
)
COMMITTEE = Param(
    "committee_id",
    params.committee_id,
    {"type": "string", "pattern": "^[Cc][0-9]{8}$"},
    "FEC committee id",
    required=True,
)
SEARCH_TEXT = Param(
    "q",
    lambda v: params.free_text(v, "q", 80) or "",
    {"type": "string", "maxLength": 80},
    "words of a candidate's or committee's name, or an FEC id",
    required=True,
)

RACE = (CYCLE, OFFICE, STATE, DISTRICT)
CANDIDATE_CYCLE = (CANDIDATE, CYCLE)

# ----------------------------------------------------------------------------- receipts

# The receipts explorer's filters, named as in its URL (dashboard.app.queries.receipts).
RECEIPT_FILTERS = (
    Param(
        "cycle",
        _as_sent,
        {"oneOf": [CYCLE.schema, {"type": "string", "enum": ["all"]}]},
        CYCLE.description + "; `all` searches every cycle loaded",
    ),
    Param("candidate_id", _as_sent, CANDIDATE.schema, "recipient candidate"),
    Param("committee_id", _as_sent, COMMITTEE.schema, "recipient committee"),
    Param(
        "q",
        _as_sent,
        {"type": "string", "maxLength": 80},
        "contributor name: every word begins a word of the name, any order",
    ),
    Param(
        "employer",
        _as_sent,
        {"type": "string", "maxLength": 80},
        "employer as normalized on candidate pages; end with * for 'starts with'",
    ),
    Param(
        "occupation",
        _as_sent,
        {"type": "string", "maxLength": 80},
        "occupation as normalized on candidate pages; end with * for 'starts with'",
    ),
    Param("city", _as_sent, {"type": "string", "maxLength": 40}, "contributor's city starts with"),
    Param("state", _as_sent, STATE.schema, "contributor's state"),
    Param("not_state", _as_sent, STATE.schema, "every contributor's state but this one"),
    Param(
        "outside_state",
        _as_sent,
        {"type": "string", "enum": ["yes", "no"]},
        "yes: contributor's state differs from the House or Senate candidate's state; no: the same state",
    ),
    Param("zip", _as_sent, {"type": "string", "pattern": "^[0-9]{5}(-?[0-9]{4})?$"}, "contributor's ZIP code"),
    Param("min", _as_sent, {"type": "number"}, "smallest amount, dollars"),
    Param("max", _as_sent, {"type": "number"}, "largest amount, dollars"),
    Param("from", _as_sent, {"type": "string", "format": "date"}, "first date, YYYY-MM-DD"),
    Param("to", _as_sent, {"type": "string", "format": "date"}, "last date, YYYY-MM-DD"),
    Param("earmarked", _as_sent, {"type": "string", "enum": ["yes", "no"]}, "earmarked through a conduit or not"),
    Param("conduit", _as_sent, COMMITTEE.schema, "the conduit committee an earmarked gift came through"),
    Param(
        "entity",
        _as_sent,
        {"type": "string", "enum": list(params.CONTRIBUTOR_ENTITIES)},
        "individual (entity type IND) or organization (ORG), as the filer reported the contributor",
    ),
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
    Param("after", _as_sent, {"type": "string", "maxLength": 200}, "cursor from the previous page's meta.next_after"),
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
        {"type": "string", "enum": sorted(fec.PARTY_DESCRIPTIONS)},
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
    {"type": "integer", "minimum": contract.LARGE_RECEIPT_FLOOR},
    "smallest amount, dollars",
)
RACE_COUNT = Param(
    "races",
    lambda v: params.whole_number(v, "races", 1, 50, 8),
    {"type": "integer", "minimum": 1, "maximum": 50},
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
        if param.required and (raw is None or not raw.strip()):
            raise params.InvalidParameter(f"{param.name}: missing (required)")
        parsed[param.name] = param.parse(raw)
    return parsed


def response_format(path_format: str | None) -> str:
    """json or csv: `?format=` first, then the path's suffix (.csv). Not params.choice: a format
    given as blanks is an error here, not the default."""
    requested = request.args.get("format")
    fmt = (requested or path_format or "json").strip().lower()
    if fmt not in FORMATS:
        raise params.InvalidParameter(f"format: {fmt[:20]!r} is not one of {', '.join(FORMATS)}")
    return fmt
