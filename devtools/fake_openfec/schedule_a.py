"""/schedules/schedule_a/: itemized receipts with the API's keyset pagination. Rows come in
(sort value, sub_id) order, nulls last; the next page starts after the previous page's
`last_indexes` (`last_index` + `last_<sort>`, or `sort_null_only` once the sort value is null),
an empty page has `last_indexes: null`, and the count may be shown as an inexact estimate."""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from devtools.fake_openfec import records
from devtools.fake_openfec.data import FakeData
from devtools.fake_openfec.errors import message
from devtools.fake_openfec.faults import FakeSettings
from devtools.fake_openfec.params import Args

CURRENT_CYCLE = 2026
MAX_LIST = 10
SCHEDULE_A_SORTS = ("contribution_receipt_date", "contribution_receipt_amount")


def schedule_a(d: FakeData, settings: FakeSettings, args: Args) -> dict:
    ids = args.committee_ids(cap=MAX_LIST)
    periods = args.ints("two_year_transaction_period")
    for period in periods:
        if period % 2:
            raise message(422, "Invalid two_year_transaction period, it must be an even year")
        if period < 1976 or period > CURRENT_CYCLE:
            raise message(
                404, f"two_year_transaction_period not found, please choose a period between 1976 and {CURRENT_CYCLE}"
            )
    if len(periods) != 1 and not ids:
        raise message(
            400,
            "Please choose a single `two_year_transaction_period` or add one of the following "
            "filters to your query: `committee_id`, `contributor_id`, `contributor_name`, "
            "`contributor_city`, `contributor_zip`, `contributor_employer`, "
            "`contributor_occupation`, `image_number`",
        )
    descending, sort_col, per_page, last_index, last_value, null_only = keyset_request(
        args, SCHEDULE_A_SORTS, "-contribution_receipt_date"
    )
    min_load, max_load = args.date("min_load_date"), args.date("max_load_date")
    min_date, max_date = args.date("min_date"), args.date("max_date")
    is_individual = args.bool("is_individual")
    # Rows of the wanted committees (or all), in the global (date, sub_id) order.
    if ids:
        idx = np.sort(np.concatenate([d.sa_rows_of.get(c, np.empty(0, np.int64)) for c in ids]))
    else:
        idx = np.arange(len(d.sa))
    mask = np.ones(len(idx), bool)
    if periods:
        mask &= np.isin(d.sa_cycle[idx], periods)
    loads = d.sa_load[idx]
    if settings.as_of is not None:
        mask &= loads <= np.datetime64(settings.as_of)
    if min_load:
        mask &= loads >= np.datetime64(min_load)
    if max_load:
        mask &= loads <= np.datetime64(max_load)
    dates = d.sa_date[idx]
    if min_date:
        mask &= dates >= np.datetime64(min_date)
    if max_date:
        mask &= dates <= np.datetime64(max_date)
    idx = idx[mask]
    if is_individual is not None:
        flags = np.array([records.is_individual(d.sa.iloc[i]) for i in idx], bool) if len(idx) else np.zeros(0, bool)
        idx = idx[flags == is_individual]
    # Order by (sort value with nulls as +infinity, sub_id), ascending or descending.
    if sort_col == "contribution_receipt_date":
        key = d.sa_date[idx].astype("int64").astype(float)
        key[np.isnat(d.sa_date[idx])] = np.inf
    else:
        key = d.sa_amount[idx].copy()
    sub = d.sa_sub[idx]
    order = np.lexsort((sub, key))
    if descending:
        order = order[::-1]
    idx, key, sub = idx[order], key[order], sub[order]
    count = len(idx)
    if last_index is not None:
        last_sub = int(last_index)
        if null_only:
            last_key = np.inf
        elif sort_col == "contribution_receipt_date":
            last_key = float(np.datetime64(date.fromisoformat(last_value[:10])).astype("int64"))
        else:
            last_key = float(last_value)
        if descending:
            after = (key < last_key) | ((key == last_key) & (sub < last_sub))
        else:
            after = (key > last_key) | ((key == last_key) & (sub > last_sub))
        idx, key = idx[after], key[after]
    page = idx[:per_page]
    results = [records.schedule_a(d.sa.iloc[i], d.committee_by_cycle) for i in page]
    return keyset_envelope(results, sort_col, count, per_page, settings)


def keyset_request(args: Args, sorts, default_sort: str) -> tuple[bool, str, int, str | None, str | None, bool]:
    """A keyset page's question (Schedules A and E): descending, sort column, per_page, last_index,
    the last sort value and sort_null_only; 422 as the API for an unknown sort or a half cursor."""
    sort = args.one("sort") or default_sort
    if sort.lstrip("-") not in sorts:
        raise message(422, f'Cannot sort on value "{sort}"')
    descending, sort_col = sort.startswith("-"), sort.lstrip("-")
    last_index = args.one("last_index")
    last_value = args.one(f"last_{sort_col}")
    null_only = args.bool("sort_null_only", False)
    if last_index is not None and last_value is None and not null_only:
        raise message(
            422,
            "When paginating through results, both values from the previous page's "
            "`last_indexes` object are needed. For more information, see "
            "https://api.open.fec.gov/developers/",
        )
    return descending, sort_col, args.per_page(), last_index, last_value, null_only


def keyset_envelope(results: list[dict], sort_col: str, count: int, per_page: int, settings: FakeSettings) -> dict:
    """The envelope of a keyset page (Schedules A and E): `last_indexes` from its last record, the
    count exact or, as the real API does for big tables when asked, estimated."""
    if results:
        last = results[-1]
        value = last[sort_col]
        last_indexes = {"last_index": last["sub_id"]}
        if value is None:
            last_indexes["sort_null_only"] = True
        else:
            last_indexes[f"last_{sort_col}"] = value
    else:
        last_indexes = None
    exact = not settings.inexact_counts
    # The real API estimates big counts: a number that is clearly not the row count.
    shown_count = count if exact else int(count * 1.37) + 500_001
    return {
        "api_version": "1.0",
        "pagination": {
            "count": shown_count,
            "is_count_exact": exact,
            "pages": math.ceil(shown_count / per_page),
            "per_page": per_page,
            "last_indexes": last_indexes,
        },
        "results": results,
    }
