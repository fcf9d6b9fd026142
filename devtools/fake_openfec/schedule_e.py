"""/schedules/schedule_e/ (processed independent expenditures, keyset pagination) and
/schedules/schedule_e/efile/ (the raw e-filed lines, offset pagination), from the demo's raw
`schedule_e` (every line as filed, every version).

What each one holds, as the reference (section 6.10) says of the real views:
- processed: the regular lines (Form 3X, Form 5) of the newest version of each filing only
  (`most_recent`), and every version of the 24/48-hour notices (`is_notice`), a notice being
  `most_recent` unless a later notice amends its filing. A filing appears there PROCESSING_DAYS
  after the FEC received it (while the fake's clock runs); `expenditure_date` falls back to the
  dissemination date; `filing_date` is when the filing was received (`min_filing_date`).
- raw e-filed: every line of the filings received in the last EFILE_DAYS of the clock, at once,
  with no `sub_id` (a line is its `file_number` and `related_line_number`), the amount in whole
  dollars (the model's column is an integer) and the filing nested (`filing.filed_date`).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd

from devtools.fake_openfec import records
from devtools.fake_openfec.data import FakeData
from devtools.fake_openfec.errors import message
from devtools.fake_openfec.faults import FakeSettings
from devtools.fake_openfec.params import Args, invalid
from devtools.fake_openfec.schedule_a import keyset_envelope, keyset_request

MAX_LIST = 10
SCHEDULE_E_SORTS = ("expenditure_date", "expenditure_amount", "office_total_ytd", "support_oppose_indicator")
PROCESSING_DAYS = 2  # the processed view lags the raw e-filed one
EFILE_DAYS = 120  # the raw e-filed view keeps about four months of filings
SECONDARY_INDEX_400 = ("line_number",)  # filters the real view answers with a 400


def clock(d: FakeData, settings: FakeSettings) -> date | None:
    """The fake's today: its `as_of`, else the day of the newest filing it holds."""
    if settings.as_of is not None:
        return settings.as_of
    filed = d.se["filed_date"].dropna()
    return max(filed) if len(filed) else None


def processed_lines(d: FakeData, settings: FakeSettings) -> pd.DataFrame:
    """The processed view at the clock: newest versions of regular lines, every notice version."""
    se = d.se
    if settings.as_of is not None:
        processed_by = settings.as_of - timedelta(days=PROCESSING_DAYS)
        se = se[se["filed_date"].notna() & (se["filed_date"] <= processed_by)]
    notice = se["is_notice"]
    regular_replaced = set(se.loc[~notice, "previous_file_number"].dropna().astype(int))
    notice_replaced = set(se.loc[notice, "previous_file_number"].dropna().astype(int))
    files = se["file_number"].fillna(-1).astype(int)
    shown = se[notice | ~files.isin(regular_replaced)].copy()
    shown_files = shown["file_number"].fillna(-1).astype(int)
    shown["most_recent"] = ~(shown["is_notice"] & shown_files.isin(notice_replaced))
    shown["shown_date"] = shown["expenditure_date"].where(
        shown["expenditure_date"].notna(), shown["dissemination_date"]
    )
    return shown


def schedule_e(d: FakeData, settings: FakeSettings, args: Args, cached) -> dict:
    """`cached(name, args, compute)` keeps costly answers per question and clock (FakeApi.cached)."""
    for name in SECONDARY_INDEX_400:
        if args.one(name) is not None:
            raise message(400, f"The `{name}` filter is not available on this endpoint")
    committee_ids = args.committee_ids(cap=MAX_LIST)
    candidate_ids = args.candidate_ids()
    if len(candidate_ids) > MAX_LIST:
        raise message(422, f"Cannot specify more than {MAX_LIST} values for candidate_id")
    descending, sort_col, per_page, last_index, last_value, null_only = keyset_request(
        args, SCHEDULE_E_SORTS, "-expenditure_date"
    )
    # The filtered, ordered rows are the same for every page of one question: worked out once.
    question = Args({k: v for k, v in args.q.items() if k != "last_index" and not k.startswith(("last_", "sort_null"))})
    rows, key, sub = cached("schedule_e", question, lambda: _ordered(d, settings, args, committee_ids, candidate_ids))
    count = len(rows)
    if last_index is not None:
        last_sub = int(last_index)
        last_key = np.inf if null_only else _key_of(sort_col, last_value)
        if descending:
            after = (key < last_key) | ((key == last_key) & (sub < last_sub))
        else:
            after = (key > last_key) | ((key == last_key) & (sub > last_sub))
        rows = rows[after]
    results = [records.schedule_e(r, d.committee_by_cycle) for _, r in rows.head(per_page).iterrows()]
    return keyset_envelope(results, sort_col, count, per_page, settings)


def _ordered(d: FakeData, settings: FakeSettings, args: Args, committee_ids, candidate_ids):
    """The processed lines a question asks for, in (sort value, sub_id) order, with those keys."""
    sort = args.one("sort") or "-expenditure_date"
    descending, sort_col = sort.startswith("-"), sort.lstrip("-")
    rows = processed_lines(d, settings)
    rows = _filter_common(rows, args, committee_ids, candidate_ids)
    cycles = args.ints("cycle")
    if cycles:
        rows = rows[rows["cycle"].isin(cycles)]
    notices = args.bools("is_notice")
    if notices:
        rows = rows[rows["is_notice"].isin(notices)]
    most_recent = args.bool("most_recent")
    if most_recent is not None:
        rows = rows[rows["most_recent"] == most_recent]
    rows = _between(rows, "shown_date", args.date("min_date"), args.date("max_date"))
    rows = _between(rows, "filed_date", args.date("min_filing_date"), args.date("max_filing_date"))
    # Order by (sort value with nulls as +infinity, sub_id), ascending or descending.
    key = _sort_key(rows, sort_col)
    sub = rows["sub_id"].to_numpy(np.int64)
    order = np.lexsort((sub, key))
    if descending:
        order = order[::-1]
    return rows.iloc[order], key[order], sub[order]


def schedule_e_efile(d: FakeData, settings: FakeSettings, args: Args) -> dict:
    """The raw e-filed lines of the last EFILE_DAYS, newest filing first, offset paginated."""
    today = clock(d, settings)
    se = d.se
    if today is None:
        rows = se.iloc[0:0]
    else:
        filed = se["filed_date"]
        rows = se[filed.notna() & (filed <= today) & (filed > today - timedelta(days=EFILE_DAYS))]
    rows = _filter_common(rows, args, args.committee_ids(), args.candidate_ids())
    is_notice = args.bool("is_notice")
    if is_notice is not None:
        rows = rows[rows["is_notice"] == is_notice]
    rows = _between(rows, "filed_date", args.date("min_filed_date"), args.date("max_filed_date"))
    rows = rows.sort_values(["filed_date", "file_number", "sub_id"], ascending=[False, False, True], kind="stable")
    per_page, page = args.per_page(), args.page()
    count = len(rows)
    chunk = rows.iloc[(page - 1) * per_page : page * per_page]
    return {
        "api_version": "1.0",
        "pagination": {
            "count": count,
            "is_count_exact": True,
            "page": page,
            "pages": math.ceil(count / per_page),
            "per_page": per_page,
        },
        "results": [records.schedule_e_efile(r, d.committee_by_cycle) for _, r in chunk.iterrows()],
    }


def _filter_common(rows: pd.DataFrame, args: Args, committee_ids, candidate_ids) -> pd.DataFrame:
    if committee_ids:
        rows = rows[rows["committee_id"].isin(committee_ids)]
    if candidate_ids:
        rows = rows[rows["candidate_id"].isin(candidate_ids)]
    support = args.list("support_oppose_indicator", upper=True)
    for value in support:
        if value not in ("S", "O"):
            raise invalid("support_oppose_indicator", "Must be one of: S, O.")
    if support:
        rows = rows[rows["support_oppose"].isin(support)]
    offices = args.list("candidate_office", upper=True)
    if offices:
        rows = rows[rows["candidate_office"].isin(offices)]
    states = args.list("candidate_office_state", upper=True)
    if states:
        rows = rows[rows["candidate_state"].isin(states)]
    return rows


def _between(rows: pd.DataFrame, column: str, low: date | None, high: date | None) -> pd.DataFrame:
    if low is not None:
        rows = rows[rows[column].notna() & (rows[column] >= low)]
    if high is not None:
        rows = rows[rows[column].notna() & (rows[column] <= high)]
    return rows


SUPPORT_ORDER = {"O": 0.0, "S": 1.0}


def _sort_key(rows: pd.DataFrame, sort_col: str) -> np.ndarray:
    """The sort value of each row as a float, nulls as +infinity (the API coalesces them)."""
    if sort_col == "expenditure_date":
        days = pd.to_datetime(rows["shown_date"]).to_numpy("datetime64[D]")
        key = days.astype("int64").astype(float)
        key[np.isnat(days)] = np.inf
        return key
    if sort_col == "support_oppose_indicator":
        return rows["support_oppose"].map(SUPPORT_ORDER).fillna(np.inf).to_numpy(float)
    column = "amount" if sort_col == "expenditure_amount" else "office_total_ytd"
    return rows[column].astype(float).fillna(np.inf).to_numpy(float)


def _key_of(sort_col: str, value: str) -> float:
    if sort_col == "expenditure_date":
        return float(np.datetime64(date.fromisoformat(value[:10])).astype("int64"))
    if sort_col == "support_oppose_indicator":
        return SUPPORT_ORDER.get(value.upper(), np.inf)
    return float(value)
