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
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Iterator

import pandas as pd
import pyarrow as pa

from dashboard.app import db
from dashboard.app.queries import _donor_names
from dashboard.core import contract, normalize, params

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
    "election_type",
    "sub_id",
    "cycle",
)

# Columns computed rather than read: the conduit's name, from a map of the cycle's conduit
# committees built once per query (its `?` is the cycle, NULL for all cycles, bound before the WHERE's
# values). A join
# or a lookup per row made a 1M-row export's worker grow by 560 MB, not 355 as this does
# (tests/integration/test_exports_memory.py; 419 once rows carried entity_type and an 18-digit
# image_number each). Conduits are the committees the builder flags
# is_conduit (those that took a conduit's copy of an earmarked gift, and the known ones).
_COMPUTED = {
    "conduit_name": "(SELECT map(list(committee_id), list(name)) FROM (SELECT committee_id, any_value(name) AS name"
    " FROM committees WHERE cycle = coalesce(?, cycle) AND is_conduit GROUP BY committee_id))"
    "[receipts.conduit_committee_id]",
}
_SELECT = ", ".join(f"{_COMPUTED[c]} AS {c}" if c in _COMPUTED else c for c in COLUMNS)
# Pages of rows compute these columns only for the rows of the page, after the top-N: computed in the same
# SELECT, the conduit names kept DuckDB from skipping row groups by date (a page took 330 ms, not 13).

# sort value in the URL -> (column, descending). sub_id breaks ties, so paging is stable.
SORTS = {"-date": ("date", True), "date": ("date", False), "-amount": ("amount", True), "amount": ("amount", False)}
DEFAULT_SORT = "-date"

ALL_CYCLES = "all"  # the URL's cycle value that searches every cycle
MAX_PAGE = 1000
NAME_WORDS = 6


@dataclass(frozen=True)
class ReceiptFilters:
    """One explorer search. Field names are the URL's, except `start`/`end` (URL from/to).
    `cycle` None searches every cycle of the snapshot (URL cycle=all)."""

    cycle: int | None
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

        def text(name, longest):
            # '*' alone matches everything: no filter, rather than a pattern tested on every row.
            value = params.free_text(get(name), name, longest)
            return None if value is not None and not value.replace("*", "").strip() else value

        filters = cls(
            cycle=None if get("cycle") == ALL_CYCLES else params.cycle(get("cycle")),
            candidate_id=optional(params.candidate_id, "candidate_id"),
            committee_id=optional(params.committee_id, "committee_id"),
            q=params.free_text(get("q"), "q", 80),
            employer=text("employer", 80),
            occupation=text("occupation", 80),
            city=text("city", 40),
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
        query = {} if self.cycle is not None else {"cycle": ALL_CYCLES}
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


# The explorer reads the snapshot's search index (dashboard/pipeline/builder/search_index.py): five
# copies of the receipts, each sorted for one kind of search, so that DuckDB reads only the few row
# groups a search can match. _plan picks the copy: a name search reads the copy sorted by donor
# (through the index of name words), a ZIP search the copy sorted by ZIP, a candidate's receipts the
# copy sorted by candidate, any other search the copy sorted by what the results are sorted by (a
# count or total: by date, as date windows are common).
BY_DATE, BY_AMOUNT, BY_DONOR, BY_ZIP, BY_CANDIDATE = (
    "receipts_date_order",
    "receipts_amount_order",
    "receipts_donor_order",
    "receipts_zip_order",
    "receipts_candidate_order",
)
# A name whose rarest word begins the words of more donors than this ('J', 'SMITH') is matched row by
# row in the copy sorted for the results: looking its donors up one by one would read everything.
MANY_DONORS = 20_000
# Words each that common ('IN DUN') may still match few donors together: their donors are intersected
# when all of them match at most this many in total.
INTERSECTED_DONORS = 2_000_000


@dataclass(frozen=True)
class _Plan:
    """Where one search reads (a table of the search index, named `receipts` in the query) and the
    WHERE condition with its `?` values."""

    table: str
    condition: str
    bound: list


def _donors_matching(words: list[str]) -> tuple[str, list] | None:
    """The condition 'the donor is one of those whose names have words beginning with every word typed',
    looked up in the index of name words first (a list of keys bound as one value: given as a subquery,
    DuckDB could check the name words of every row before the keys, 120 ms instead of 8); None when the
    words together match too many donors for that to be the fast way (MANY_DONORS)."""
    counts = _donor_names.donors_per_word(words)
    if min(counts) > MANY_DONORS and (len(words) == 1 or sum(counts) > INTERSECTED_DONORS):
        return None
    subquery, values = _donor_names.donors_with_words(words)
    keys = db.query(f"{subquery} LIMIT ?", values + [MANY_DONORS + 1])["donor_key"].tolist()
    if len(keys) > MANY_DONORS:
        return None
    return "donor_key IN (SELECT unnest(?::VARCHAR[]))", [keys]


def _plan(f: ReceiptFilters, sort: str | None = None) -> _Plan:
    """The table to read and the WHERE condition (only `?` placeholders) with its values, for the
    results in `sort` order (None: for totals only)."""
    parts: list[str] = []
    bound: list = []

    def add(condition: str, *values) -> None:
        parts.append(condition)
        bound.extend(values)

    table = BY_DATE if sort is None or SORTS[sort][0] == "date" else BY_AMOUNT
    words = _name_words(f.q) if f.q else []
    donors = _donors_matching(words) if words else None
    if donors is not None:
        table = BY_DONOR
        add(*donors[:1], *donors[1])
    elif f.zip:
        table = BY_ZIP
    elif f.candidate_id:
        table = BY_CANDIDATE
    elif words and sort is None:
        # Totals of common words: a donor's rows are together in the copy sorted by donor, so DuckDB checks the
        # name words once per run of equal names rather than per row (J in a cycle: 35 ms, 138 in date order,
        # 126 with the donors' keys as a subquery); a page of rows instead finds its first rows in the copy
        # sorted for it.
        table = BY_DONOR
    if f.cycle is not None:
        add("cycle = ?", f.cycle)
    if f.candidate_id:
        add("candidate_id = ?", f.candidate_id)
    if f.committee_id:
        add("committee_id = ?", f.committee_id)
    if f.state:
        add("state = ?", f.state)
    if f.not_state:
        add("state IS DISTINCT FROM ?", f.not_state)
    if f.outside_state is not None:
        # seat_state: the recipient candidate's seat's state (House and Senate only, else NULL, and a
        # comparison with NULL selects nothing).
        add("state <> seat_state" if f.outside_state else "state = seat_state")
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
        add("starts_with(city_upper, ?)", f.city.upper())
    for column in ("employer", "occupation"):
        value = getattr(f, column)
        if value:
            target = normalize.normalize_value("norm_job", value.rstrip("*")) or ""
            if value.endswith("*"):
                add(f"starts_with({column}_norm, ?)", target)
            else:
                add(f"{column}_norm = ?", target)
    for word in words:
        # name_words is ' ' + every word of the name (dashboard/pipeline/builder/search_index.py),
        # so ' JO' is in it exactly when a word of the name starts with JO.
        add("contains(name_words, ?)", " " + word)
    return _Plan(table, " AND ".join(parts) or "true", bound)


_ORDER_COLUMNS = {"date": "sort_date", "amount": "sort_amount"}


def _order(sort: str) -> str:
    column, descending = SORTS[sort]
    direction = "DESC" if descending else "ASC"
    return f"{_ORDER_COLUMNS[column]} {direction}, sub_id {direction}"


def _after(sort: str, value, sub_id: int) -> tuple[str, list]:
    """The condition selecting the rows after (value, sub_id) in `sort` order."""
    column, descending = SORTS[sort]
    key, sign = _ORDER_COLUMNS[column], "<" if descending else ">"
    return f" AND ({key} {sign} ? OR ({key} = ? AND sub_id {sign} ?))", [value, value, sub_id]


def receipts_summary(filters: ReceiptFilters) -> pd.DataFrame:
    """One row: n (contributions), amount (their sum, net of refunds), first_date, last_date
    of everything the filters select."""
    plan = _plan(filters)
    rows = _ROWS_OF_NAMES if _by_name_alone(filters) else _ROWS
    return db.query(
        f"""SELECT CAST({rows["n"]} AS BIGINT) AS n, coalesce({rows["total"]}, 0) AS amount,
                   {rows["first_date"]} AS first_date, {rows["last_date"]} AS last_date
            FROM {rows["table"] or plan.table} WHERE {plan.condition}""",
        plan.bound,
    )


# A search by name words alone (and the cycle) reads the search index's donor_name_totals: each donor's
# receipts of a cycle already summed per spelling of the name words, the only column such a search
# compares (J in a cycle: 24 ms, not 35 from the receipts). _ROWS says how totals are taken from the
# receipts, _ROWS_OF_NAMES from those sums.
_ROWS = {
    "table": None,
    "n": "count(*)",
    "total": "sum(amount)",
    "gifts": "count(*) FILTER (WHERE amount > 0)",
    "first_date": "min(date)",
    "last_date": "max(date)",
    "latest": "(date, sub_id)",
}
_ROWS_OF_NAMES = {
    "table": "donor_name_totals",
    "n": "coalesce(sum(receipts), 0)",  # no matching name: 0, not NULL (an export of it raised)
    "total": "sum(amount)",
    "gifts": "coalesce(sum(gifts), 0)",
    "first_date": "min(first_date)",
    "last_date": "max(last_date)",
    "latest": "latest",
}


def _by_name_alone(filters: ReceiptFilters) -> bool:
    return filters.q is not None and filters == ReceiptFilters(cycle=filters.cycle, q=filters.q)


def receipts_page(filters: ReceiptFilters, sort: str = DEFAULT_SORT, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """Rows `offset` to `offset + limit` of the search in `sort` order (the explorer's grid
    asks for one block at a time)."""
    plan = _plan(filters, sort)
    return db.query(
        f"""SELECT {_SELECT} FROM (SELECT * FROM {plan.table} WHERE {plan.condition}
                                    ORDER BY {_order(sort)} LIMIT ? OFFSET ?) AS receipts
            ORDER BY {_order(sort)}""",
        [filters.cycle] + plan.bound + [min(limit, MAX_PAGE), offset],
    )


def receipts_after(
    filters: ReceiptFilters, sort: str = DEFAULT_SORT, after: str | None = None, limit: int = 100
) -> tuple[pd.DataFrame, str | None]:
    """Keyset paging for the API: up to `limit` rows following the row `after` names (a cursor
    this function returned), and the cursor of the next page (None on the last page). Unlike
    offsets, a cursor costs the same on page 1,000 as on page 1."""
    plan = _plan(filters, sort)
    condition, bound = plan.condition, list(plan.bound)
    column = SORTS[sort][0]
    if after:
        more, values = _after(sort, *_decode_cursor(after, sort))
        condition += more
        bound += values
    frame = db.query(
        f"""SELECT {_SELECT}, {_ORDER_COLUMNS[column]} AS sort_value
            FROM (SELECT * FROM {plan.table} WHERE {condition} ORDER BY {_order(sort)} LIMIT ?) AS receipts
            ORDER BY {_order(sort)}""",
        [filters.cycle] + bound + [min(limit, MAX_PAGE) + 1],
    )
    more_rows = len(frame) > min(limit, MAX_PAGE)
    frame = frame.iloc[: min(limit, MAX_PAGE)]
    cursor = _encode_cursor(frame["sort_value"].iloc[-1], int(frame["sub_id"].iloc[-1]), sort) if more_rows else None
    return frame.drop(columns="sort_value"), cursor


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
    plan = _plan(filters, sort)
    return db.stream(
        f"SELECT {_SELECT} FROM {plan.table} AS receipts WHERE {plan.condition} ORDER BY {_order(sort)}",
        [filters.cycle] + plan.bound,
        batch_rows,
    )


def conduits(cycle: int | None) -> pd.DataFrame:
    """Conduit committees of the cycle, or of every cycle for None (ActBlue, WinRed...: they pass on
    earmarked gifts), by name: committee_id, name."""
    return db.query(
        """SELECT committee_id, arg_max(name, cycle) AS name FROM committees
           WHERE cycle = coalesce(?, cycle) AND is_conduit GROUP BY committee_id ORDER BY name, committee_id""",
        [cycle],
    )


def filter_names(filters: ReceiptFilters) -> pd.DataFrame:
    """Names of the candidate, committee and conduit the filters name (for the filter chips), as of
    the cycle searched or the latest cycle for all: kind, id, name."""
    return db.query(
        """SELECT 'candidate' AS kind, candidate_id AS id, arg_max(name, cycle) AS name FROM candidates
           WHERE candidate_id = ? AND cycle = coalesce(?, cycle) GROUP BY candidate_id
           UNION ALL
           SELECT CASE WHEN committee_id = ? THEN 'committee' ELSE 'conduit' END, committee_id, arg_max(name, cycle)
           FROM committees WHERE committee_id IN (?, ?) AND cycle = coalesce(?, cycle) GROUP BY committee_id""",
        [
            filters.candidate_id,
            filters.cycle,
            filters.committee_id,
            filters.committee_id,
            filters.conduit,
            filters.cycle,
        ],
    )


# The explorer's "one row per donor" view (receipts_by_donor): sort value in the URL -> (column,
# descending). donor_key breaks ties, so offset paging is stable.
DONOR_SORTS = contract.DONOR_ORDERS
DEFAULT_DONOR_SORT = "-total"


def receipts_by_donor(
    filters: ReceiptFilters, sort: str = DEFAULT_DONOR_SORT, limit: int = 100, offset: int = 0
) -> pd.DataFrame:
    """The rows the filters select grouped by donor (donor_key: normalized name + ZIP5), `limit` donors
    from `offset` in `sort` order (DONOR_SORTS): donor_key, contributor_name, city, state, zip5 and
    employer of the donor's latest row, total (net of refunds, as receipts_summary), gifts (rows with a
    positive amount: a refund is no gift), first_date, last_date, and donors: how many donors the whole
    view has (the same on every row). Rows without a donor key (no name) are one row of their own, so the
    totals add up to receipts_summary's amount.

    A page is found in two steps: the donors of the page in order, then what is shown of them, read for
    those donors only (describing every donor before the top-N took 100 ms for a surname's 97,000 donors)."""
    if filters == ReceiptFilters(cycle=filters.cycle):
        return _all_donors(filters.cycle, sort, limit, offset)
    order = _donor_order(sort)
    # The donors' totals read fastest from the sums per name for a name alone, else from the copy sorted
    # by amount (52 ms, not 209 for a candidate), or by donor when a name is searched; what is shown of
    # them from the same table (for a candidate's 100 donors, 4 ms, where the copy sorted by donor took 90:
    # they are scattered all over it).
    plan = _plan(filters, None if filters.q else "-amount")
    rows = _ROWS_OF_NAMES if _by_name_alone(filters) else _ROWS
    table = rows["table"] or plan.table
    page = db.query(
        f"""WITH totals AS MATERIALIZED (
                SELECT donor_key, {rows["total"]} AS total, CAST({rows["gifts"]} AS BIGINT) AS gifts,
                       {rows["first_date"]} AS first_date, {rows["last_date"]} AS last_date
                FROM {table} WHERE {plan.condition} GROUP BY donor_key)
            SELECT *, (SELECT count(*) FROM totals) AS donors FROM totals {order} LIMIT ? OFFSET ?""",
        plan.bound + [limit, offset],
    )
    # Rows without a name are a group of their own (its key NULL): matched apart, as an OR in the same
    # condition stopped DuckDB from reading only the page's donors (15 ms, not 3).
    donors = "donor_key IS NULL" if page["donor_key"].isna().any() else "false"
    latest = ", ".join(f"arg_max({column}, {rows['latest']}) AS {column}" for column in contract.DONOR_LATEST_COLUMNS)
    shown = db.query(
        f"""SELECT donor_key, {latest}
            FROM (SELECT * FROM {table} WHERE donor_key IN (SELECT unnest(?::VARCHAR[])) AND {plan.condition}
                  UNION ALL SELECT * FROM {table} WHERE {donors} AND {plan.condition})
            GROUP BY donor_key""",
        [page["donor_key"].dropna().tolist()] + plan.bound + plan.bound,
    )
    return page.merge(shown, on="donor_key", how="left")[list(_DONOR_COLUMNS)]


_DONOR_COLUMNS = ("donor_key", *contract.DONOR_LATEST_COLUMNS, "total", "gifts", "first_date", "last_date", "donors")


def _donor_order(sort: str) -> str:
    """The ORDER BY of a DONOR_SORTS value (of the view's column names)."""
    column, descending = DONOR_SORTS[sort]
    direction = "DESC" if descending else "ASC"
    return f"ORDER BY {column} {direction} NULLS LAST, donor_key {direction} NULLS LAST"


def _all_donors(cycle: int | None, sort: str, limit: int, offset: int) -> pd.DataFrame:
    """receipts_by_donor of a whole cycle (or every cycle, None) from the search index's donor_rankings,
    which holds each donor's totals already (grouping the receipts took 9.6 s at 40M rows) and their place
    in every order: a page is a range of places (an ordered top-N took up to 110 ms). The names are the
    ones the donor filed most often (of the latest cycle, for all cycles)."""
    position = contract.donor_position(sort)
    return db.query(
        f"""SELECT donor_key, {", ".join(contract.DONOR_LATEST_COLUMNS)}, total, gifts, first_date, last_date,
                   (SELECT count(*) FROM donor_rankings WHERE cycle IS NOT DISTINCT FROM ?) AS donors
            FROM donor_rankings WHERE cycle IS NOT DISTINCT FROM ? AND {position} > ? AND {position} <= ?
            ORDER BY {position}""",
        [cycle, cycle, offset, offset + limit],
    )
