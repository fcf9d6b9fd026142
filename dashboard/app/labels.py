"""Plain-language labels for FEC codes shown on pages and in tables."""

from __future__ import annotations

import pandas as pd

from dashboard.core import fec


def _missing(value) -> bool:
    """None, NaN, NaT or pd.NA: what a LEFT JOIN leaves where there is no data."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _name(names: dict[str, str], code) -> str:
    """The name of an FEC code; a code the FEC's lists lack is shown as itself, none as Unknown."""
    if not code or not isinstance(code, str):
        return "Unknown"
    return names.get(code, code)


def party(code) -> str:
    """Every FEC party code by the name people use ('Democratic', 'Green', 'Peace And Freedom')."""
    return _name(fec.PARTY_NAMES, code)


def incumbency(code) -> str:
    return _name(fec.INCUMBENCY, code)


def designation(code) -> str:
    return _name(fec.COMMITTEE_DESIGNATIONS, code)


def office(code) -> str:
    """'House', 'Senate', 'President'."""
    return _name(fec.OFFICE_NAMES, code)


def money(value) -> str:
    """$1,234,567 (whole dollars: pages show totals, the CSV keeps the cents)."""
    if _missing(value):
        return "-"
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.0f}"


def money_short(value) -> str:
    """$1.2M / $850K, for headline cards and chart axes."""
    if _missing(value):
        return "-"
    size = abs(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= limit:
            return f"{'-' if value < 0 else ''}${size / limit:.1f}{suffix}"
    return money(value)


def count(value) -> str:
    if _missing(value):
        return "-"
    return f"{int(value):,}"


def share(value) -> str:
    if _missing(value):
        return "-"
    return f"{value:.0%}"


def date(value) -> str:
    """An ISO date (YYYY-MM-DD) from a date, datetime, Timestamp or string; '-' when missing."""
    if _missing(value):
        return "-"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


# One line per extract for the data page: what a row is.
EXTRACT_DESCRIPTIONS = {
    "candidates": "One row per candidate and cycle: name, party, office, state, district.",
    "committees": "One row per committee and cycle, with its candidate and designation.",
    "candidate_totals": "Raised, spent, cash and debts per candidate and cycle, from report summaries.",
    "candidate_periods": "The same totals per filed report (for over-time charts).",
    "receipts": "Itemized contributions from individuals, each counted once, under its recipient.",
    "agg_candidate_daily": "Itemized individual money per candidate and day.",
    "agg_candidate_size": "Individual money per candidate by contribution size.",
    "agg_candidate_state": "Itemized individual money per candidate by donor state.",
    "agg_candidate_donor": "Top donors per candidate.",
    "agg_candidate_employer": "Top employers of donors per candidate.",
    "agg_candidate_occupation": "Top occupations of donors per candidate.",
    "agg_district": "One row per race: money raised, leader, margin, out-of-state and small-dollar shares.",
    "agg_daily": "Itemized individual money per day by party, office, state and committee type.",
    "large_receipts": "Itemized individual contributions of $1,000 or more, by date (for the trends page).",
    "changes_candidates": "Candidates whose money changed since the previous snapshot, before and after.",
    "changes_reports": "Report periods that are new, or were revised, since the previous snapshot.",
}
