"""Itemized receipts: the explorer's filtered search, its totals, pages of rows and exports.

The only queries that read the `receipts` extract row by row. Every search names a cycle (the
extract is partitioned by it) and is sorted by candidate and date inside, so a search by
candidate or committee reads few row groups. `ReceiptFilters.from_query` turns URL values into
filters (each value checked by dashboard.core.params); every value reaches DuckDB as a bound `?`.

Matching rules (also shown on the page):
- q (contributor name): every word typed begins a word of the name, in any order, ignoring
  case and punctuation ("smi jo" finds "SMITH, JOHN").
- employer / occupation: equal after the normalization the candidate pages group by
  (dashboard.core.normalize: 'self employed' = 'SELF-EMPLOYED', ...); a trailing '*' means
  "starts with" ("goog*").
- city: starts with, ignoring case. state, zip (first five digits), committee and candidate ids,
  conduit: equal. min/max/from/to: inclusive. Refunds are negative amounts.
- entity: individual = entity type IND, organization = ORG, as the filer reported the
  contributor (older paper filings have none, so either choice leaves them out).
- not_state: every row but the donors of that state (rows with no state stay in).
- outside_state=yes: the donor's state differs from the state of the recipient candidate's seat;
  =no: the same state. Only House and Senate candidates have a seat's state, so either choice
  leaves out presidential candidates' receipts and rows with no donor state.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterator

import pandas as pd
import pyarrow as pa

from dashboard.app import db
from dashboard.core import normalize, params
from dashboard.core.sql import quote_literal

# Columns of a receipt as the explorer, the API and the exports show it, in this order.
COLUMNS = (
    "date",
    "amount",
    "contributor_name",
    "city",
    "state",
    "zip5",
    "employer",
    "occupation",
    "candidate_id",
    "committee_id",
    "is_earmarked",
    "conduit_name",
    "conduit_committee_id",
    "receipt_type",
    "aggregate_ytd",
    "entity_type",
    "image_number",
    "sub_id",
    "cycle",
)

# Columns computed rather than read: the conduit's name, from a map of the cycle's conduit
# committees built once per query (its `?` is the cycle, bound before the WHERE's values). A join
# or a lookup per row made a 1M-row export's worker grow by 560 MB, not 355 as this does
# (tests/integration/test_exports_memory.py; 419 once rows carried entity_type and an 18-digit
# image_number each). Conduits are the committees the builder flags
# is_conduit (those that took a conduit's copy of an earmarked gift, and the known ones).
_COMPUTED = {
    "conduit_name": "(SELECT map(list(conduit.committee_id), list(conduit.name)) FROM committees AS conduit"
    " WHERE conduit.cycle = ? AND conduit.is_conduit)[receipts.conduit_committee_id]",
}
_SELECT = ", ".join(f"{_COMPUTED[c]} AS {c}" if c in _COMPUTED else c for c in COLUMNS)

# sort value in the URL -> (column, descending). sub_id breaks ties, so paging is stable.
SORTS = {"-date": ("date", True), "date": ("date", False), "-amount": ("amount", True), "amount": ("amount", False)}
DEFAULT_SORT = "-date"

# A date window this short is narrow enough to search without naming anyone.
NARROW_DAYS = 31
MAX_PAGE = 1000
NAME_WORDS = 6


@dataclass(frozen=True)
class ReceiptFilters:
    """One explorer search. Field names are the URL's, except `start`/`end` (URL from/to)."""

    cycle: int
    candidate_id: str | None = None
    committee_id: str | None = None
    q: str | None = None
    employer: str | None = None
    occupation: str | None = None
    city: str | None = None
    state: str | None = None
    not_state: str | None = None
    outside_state: bool | None = None
    zip: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    start: date | None = None
    end: date | None = None
    earmarked: bool | None = None
    conduit: str | None = None
    entity: str | None = None

    @classmethod
    def from_query(cls, query) -> "ReceiptFilters":
        """Filters from URL values (a dict of strings); InvalidParameter names a bad one."""

        def get(name):
            value = query.get(name)
            return value if value not in ("",) else None

        def optional(parse, name):
            return params.optional(parse)(get(name))

        filters = cls(
            cycle=params.cycle(get("cycle")),
            candidate_id=optional(params.candidate_id, "candidate_id"),
            committee_id=optional(params.committee_id, "committee_id"),
            q=params.free_text(get("q"), "q", 80),
            employer=params.free_text(get("employer"), "employer", 80),
            occupation=params.free_text(get("occupation"), "occupation", 80),
            city=params.free_text(get("city"), "city", 40),
            state=optional(params.state, "state"),
            not_state=params.state_to_exclude(get("not_state")),
            outside_state=params.flag(get("outside_state"), "outside_state"),
            zip=params.zip5(get("zip")),
            min=params.amount(get("min"), "min"),
            max=params.amount(get("max"), "max"),
            start=params.date(get("from"), "from"),
            end=params.date(get("to"), "to"),
            earmarked=params.flag(get("earmarked"), "earmarked"),
            conduit=optional(lambda v: params.committee_id(v, "conduit"), "conduit"),
            entity=params.contributor_entity(get("entity")),
        )
        if filters.min is not None and filters.max is not None and filters.min > filters.max:
            raise params.InvalidParameter(f"max: {filters.max} is less than min {filters.min}")
        if filters.start and filters.end and filters.start > filters.end:
            raise params.InvalidParameter(f"to: {filters.end} is before from {filters.start}")
        if filters.state and filters.state == filters.not_state:
            raise params.InvalidParameter(f"not_state: {filters.not_state} is also the state asked for")
        if filters.q is not None and not _name_words(filters.q):
            raise params.InvalidParameter("q: type at least one letter or digit of a name")
        return filters

    @staticmethod
    def parse_sort(value) -> str:
        """The sort of the URL (one of SORTS; blank means DEFAULT_SORT)."""
        return params.choice(value, "sort", SORTS, DEFAULT_SORT)

    def to_query(self) -> dict[str, str]:
        """URL values of the filters that are set (the inverse of from_query)."""
        query = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            name = URL_NAMES.get(field.name, field.name)
            if isinstance(value, bool):
                value = "yes" if value else "no"
            query[name] = str(value)
        return query

    def without(self, name: str) -> "ReceiptFilters":
        """The same search with one filter (by URL name) removed; cycle cannot be removed."""
        field_name = {url: f for f, url in URL_NAMES.items()}.get(name, name)
        return replace(self, **{field_name: None})

    def is_narrow(self) -> bool:
        """Names someone or somewhere small enough that the search reads little of the data:
        a candidate, committee, contributor name, ZIP code, or a date window of a month."""
        if self.candidate_id or self.committee_id or self.q or self.zip:
            return True
        return bool(self.start and self.end and (self.end - self.start) <= timedelta(days=NARROW_DAYS))


URL_NAMES = {"start": "from", "end": "to"}
# The URL's entity -> the contributor's entity type as filed (dashboard.core.fec.ENTITY_TYPES).
ENTITY_TYPES = {"individual": "IND", "organization": "ORG"}
# URL filter names in the order the page lists them.
FILTER_NAMES = (
    "candidate_id",
    "committee_id",
    "q",
    "employer",
    "occupation",
    "city",
    "state",
    "not_state",
    "outside_state",
    "zip",
    "min",
    "max",
    "from",
    "to",
    "earmarked",
    "conduit",
    "entity",
    "cycle",
)


def _name_words(text: str) -> list[str]:
    """The words of a contributor-name search, folded as names are (core.normalize.fold_name:
    accents and apostrophes dropped, other punctuation a space, upper case)."""
    return normalize.fold_name(text).split()[:NAME_WORDS]


# Normalized values that norm_job gives to spellings lacking some of their words ('UNEMPLOYED'
# is 'NOT EMPLOYED'), and the word every such spelling contains.
_JOB_ALIAS_WORDS = {"SELF-EMPLOYED": ["SELF"], "NOT EMPLOYED": ["EMPLOYED"]}


def _job_condition(column: str, value: str) -> tuple[str, list]:
    """Employer or occupation (`column`, fixed by the caller) equal to `value` as normalized,
    or starting with it when `value` ends with '*'. norm_job runs a dozen regular expressions,
    so a cheap ILIKE on each word the raw spelling must contain runs first."""
    prefix = value.endswith("*")
    target = normalize.normalize_value("norm_job", value.rstrip("*")) or ""
    words = _JOB_ALIAS_WORDS.get(target) or re.findall(r"[A-Z0-9]+", target)
    conditions = [f"replace({column}, '''', '') ILIKE ?" for _ in words]
    bound: list = [f"%{word}%" for word in words]
    if prefix:
        conditions.append(f"starts_with(coalesce(norm_job({column}), ''), ?)")
    else:
        conditions.append(f"norm_job({column}) = ?")
    bound.append(target)
    return " AND ".join(conditions), bound


_HAS_APOSTROPHE = " OR ".join(f"contains(contributor_name, {quote_literal(a)})" for a in normalize.APOSTROPHES)
_WORD_STARTS = (
    "(contains(' ' || fold_name(contributor_name), ?) OR contains(' ' || fold_name(regexp_replace("
    f"contributor_name, {quote_literal(normalize.APOSTROPHE_CLASS)}, ' ', 'g')), ?))"
)


# The recipient candidate's seat is in a state (House, Senate) and the donor's state is known and
# differs from it (<>) or equals it (=). Columns of receipts are named in full: candidates has a
# state too.
_RECIPIENT_STATE = (
    "EXISTS (SELECT 1 FROM candidates AS recipient WHERE recipient.candidate_id = receipts.candidate_id"
    " AND recipient.cycle = receipts.cycle AND recipient.office IN ('H', 'S') AND receipts.state {} recipient.state)"
)
_OUTSIDE_STATE = _RECIPIENT_STATE.format("<>")
_INSIDE_STATE = _RECIPIENT_STATE.format("=")


def _where(f: ReceiptFilters) -> tuple[str, list]:
    """The WHERE condition (only `?` placeholders) and its parameters."""
    parts, bound = ["cycle = ?"], [f.cycle]

    def add(condition: str, *values) -> None:
        parts.append(condition)
        bound.extend(values)

    if f.candidate_id:
        add("candidate_id = ?", f.candidate_id)
    if f.committee_id:
        add("committee_id = ?", f.committee_id)
    if f.state:
        add("state = ?", f.state)
    if f.not_state:
        add("state IS DISTINCT FROM ?", f.not_state)
    if f.outside_state is not None:
        add(_OUTSIDE_STATE if f.outside_state else _INSIDE_STATE)
    if f.zip:
        add("zip5 = ?", f.zip)
    if f.min is not None:
        add("amount >= ?", f.min)
    if f.max is not None:
        add("amount <= ?", f.max)
    if f.start:
        add("date >= ?", f.start)
    if f.end:
        add("date <= ?", f.end)
    if f.earmarked is not None:
        add("is_earmarked = ?", f.earmarked)
    if f.conduit:
        add("conduit_committee_id = ?", f.conduit)
    if f.entity:
        add("entity_type = ?", ENTITY_TYPES[f.entity])
    if f.city:
        add("starts_with(upper(city), ?)", f.city.upper())
    for column in ("employer", "occupation"):
        value = getattr(f, column)
        if value:
            condition, values = _job_condition(column, value)
            add(condition, *values)
    if f.q:
        words = _name_words(f.q)
        # A cheap accent-blind ILIKE on every word first (words are letters and digits only, so
        # no wildcard can come from input; a name with an apostrophe passes it whatever the word,
        # as 'OROURKE' is not in "O'ROURKE"). Then the exact rule, inside CASE so that DuckDB runs
        # it only on the few rows left (as a plain AND it may run first, on every row): the folded
        # name ' SMITH JOHN A' contains ' JO', so a word of the name starts with what was typed
        # ('ROURKE' starts a word of "O'ROURKE" too, read with the apostrophe as a space).
        # Measured on the 1M-row demo (count and first page of a name search): 49 ms before
        # folding, 63 ms with it.
        cheap = " AND ".join(f"(strip_accents(contributor_name) ILIKE ? OR {_HAS_APOSTROPHE})" for _ in words)
        exact = " AND ".join(_WORD_STARTS for _ in words)
        add(
            f"CASE WHEN {cheap} THEN {exact} ELSE false END",
            *[f"%{word}%" for word in words],
            *[" " + word for word in words for _ in range(2)],
        )
    return " AND ".join(parts), bound


# What each sort orders by: a missing date sorts as the oldest, a missing amount as zero, so
# that every row has a place in the order and keyset cursors never skip one.
_SORT_KEYS = {"date": "coalesce(date, DATE '1900-01-01')", "amount": "coalesce(amount, 0)"}


def _order(sort: str) -> str:
    column, descending = SORTS[sort]
    direction = "DESC" if descending else "ASC"
    return f"{_SORT_KEYS[column]} {direction}, sub_id {direction}"


def _after(sort: str, value, sub_id: int) -> tuple[str, list]:
    """The condition selecting the rows after (value, sub_id) in `sort` order."""
    column, descending = SORTS[sort]
    key, sign = _SORT_KEYS[column], "<" if descending else ">"
    return f" AND ({key} {sign} ? OR ({key} = ? AND sub_id {sign} ?))", [value, value, sub_id]


def receipts_summary(filters: ReceiptFilters) -> pd.DataFrame:
    """One row: n (contributions), amount (their sum, net of refunds), first_date, last_date
    of everything the filters select."""
    condition, bound = _where(filters)
    return db.query(
        f"""SELECT count(*) AS n, coalesce(sum(amount), 0) AS amount,
                   min(date) AS first_date, max(date) AS last_date
            FROM receipts WHERE {condition}""",
        bound,
    )


def receipts_page(filters: ReceiptFilters, sort: str = DEFAULT_SORT, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Rows `offset` to `offset + limit` of the search in `sort` order (the explorer's grid
    asks for one block at a time)."""
    condition, bound = _where(filters)
    return db.query(
        f"""SELECT {_SELECT} FROM receipts WHERE {condition}
            ORDER BY {_order(sort)} LIMIT ? OFFSET ?""",
        [filters.cycle] + bound + [min(limit, MAX_PAGE), offset],
    )


def receipts_after(
    filters: ReceiptFilters, sort: str = DEFAULT_SORT, after: str | None = None, limit: int = 100
) -> tuple[pd.DataFrame, str | None]:
    """Keyset paging for the API: up to `limit` rows following the row `after` names (a cursor
    this function returned), and the cursor of the next page (None on the last page). Unlike
    offsets, a cursor costs the same on page 1,000 as on page 1."""
    condition, bound = _where(filters)
    column = SORTS[sort][0]
    if after:
        more, values = _after(sort, *_decode_cursor(after, sort))
        condition += more
        bound += values
    frame = db.query(
        f"""SELECT {_SELECT} FROM receipts WHERE {condition}
            ORDER BY {_order(sort)} LIMIT ?""",
        [filters.cycle] + bound + [min(limit, MAX_PAGE) + 1],
    )
    if len(frame) <= min(limit, MAX_PAGE):
        return frame, None
    frame = frame.iloc[: min(limit, MAX_PAGE)]
    last = frame.iloc[-1]
    value = last[column]
    if pd.isna(value):  # as _SORT_KEYS orders it
        value = date(1900, 1, 1) if column == "date" else Decimal(0)
    return frame, _encode_cursor(value, int(last["sub_id"]), sort)


def _encode_cursor(value, sub_id: int, sort: str) -> str:
    value = (
        value.isoformat()[:10] if hasattr(value, "isoformat") else str(Decimal(str(value)).quantize(Decimal("0.01")))
    )
    raw = json.dumps([sort, value, sub_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(text: str, sort: str) -> tuple[object, int]:
    """(sort value, sub_id) from a cursor; InvalidParameter when it is not one of ours or was
    made for another sort order."""
    problem = params.InvalidParameter("after: not a cursor from a previous page of this search")
    try:
        raw = base64.urlsafe_b64decode(str(text) + "=" * (-len(str(text)) % 4))
        made_for, value, sub_id = json.loads(raw)
    except (ValueError, TypeError):
        raise problem from None
    if made_for != sort or not isinstance(sub_id, int) or not isinstance(value, str):
        raise problem
    column = SORTS[sort][0]
    try:
        parsed = params.date(value, "after") if column == "date" else params.amount(value, "after")
    except params.InvalidParameter:
        raise problem from None
    return parsed, sub_id


def receipts_batches(
    filters: ReceiptFilters, sort: str = DEFAULT_SORT, batch_rows: int = 50_000
) -> Iterator[pa.RecordBatch]:
    """The whole search in `sort` order as Arrow record batches, for exports to stream without
    holding the result (dashboard.app.exports checks the count against EXPORT_ROW_CAP first). The
    first batch is read before this returns, so a timeout is raised here rather than halfway
    through a download; it may be empty (it still carries the columns)."""
    condition, bound = _where(filters)
    return db.stream(
        f"SELECT {_SELECT} FROM receipts WHERE {condition} ORDER BY {_order(sort)}",
        [filters.cycle] + bound,
        batch_rows,
    )


def conduits(cycle: int) -> pd.DataFrame:
    """Conduit committees of the cycle (ActBlue, WinRed...: they pass on earmarked gifts), by
    name: committee_id, name."""
    return db.query(
        "SELECT committee_id, name FROM committees WHERE cycle = ? AND is_conduit ORDER BY name, committee_id", [cycle]
    )


def filter_names(filters: ReceiptFilters) -> pd.DataFrame:
    """Names of the candidate, committee and conduit the filters name (for the filter chips):
    kind, id, name."""
    return db.query(
        """SELECT 'candidate' AS kind, candidate_id AS id, name FROM candidates WHERE candidate_id = ? AND cycle = ?
           UNION ALL
           SELECT CASE WHEN committee_id = ? THEN 'committee' ELSE 'conduit' END, committee_id, name
           FROM committees WHERE committee_id IN (?, ?) AND cycle = ?""",
        [
            filters.candidate_id,
            filters.cycle,
            filters.committee_id,
            filters.committee_id,
            filters.conduit,
            filters.cycle,
        ],
    )
