"""Plain-language labels for FEC codes shown on pages and in tables."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

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


def _exact(value) -> Decimal:
    """A number as a Decimal; floats through their shortest repr, so 1234.5 is exactly a half."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def _round_half_away(value: Decimal, places: int = 0) -> Decimal:
    """Rounded half away from zero, as people and fec.gov round ($2.50 -> $3, -$2.50 -> -$3).
    Python's round() and format() round half to even, which shows some figures a dollar low."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # HALF_UP: away from 0


def _dollars(value, places: int) -> str:
    if _missing(value):
        return "-"
    rounded = _round_half_away(_exact(value), places)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.{places}f}"


def money(value) -> str:
    """$1,234,567 (whole dollars, half away from zero), for cards, chart labels and prose."""
    return _dollars(value, 0)


def money_cents(value) -> str:
    """$1,234,567.89, for tables: the exact figure. Amounts are DECIMAL(14,2), so rounding to the
    cent only removes float noise from sums done in floats (0.1 + 0.2 is $0.30)."""
    return _dollars(value, 2)


def money_short(value) -> str:
    """$1.2M / $850K, for headline cards and chart axes."""
    if _missing(value):
        return "-"
    size = abs(_exact(value))
    for limit, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        # By the figure the smaller unit would show: $999,950 is $1.0M, not $1000.0K.
        below = _round_half_away(size / (limit // 1000), 1 if limit > 1000 else 0)
        if size >= limit or below >= 1000:
            return f"{'-' if value < 0 else ''}${_round_half_away(size / limit, 1)}{suffix}"
    return money(value)


def count(value) -> str:
    if _missing(value):
        return "-"
    return f"{int(value):,}"


def share(value) -> str:
    if _missing(value):
        return "-"
    return f"{_round_half_away(_exact(value) * 100):.0f}%"


def date(value) -> str:
    """An ISO date (YYYY-MM-DD) from a date, datetime, Timestamp or string; '-' when missing."""
    if _missing(value):
        return "-"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


# Where a candidate's totals come from (contract.TOTALS_SOURCES), in words for captions.
TOTALS_SOURCE_NAMES = {
    "summary": "the FEC's own candidate totals",
    "reports": "the sum of the candidate's committees' reports (summary pages, newest amendment of each)",
}


def totals_source(code) -> str:
    """'the FEC's own candidate totals' or 'the sum of the candidate's committees' reports ...'."""
    return _name(TOTALS_SOURCE_NAMES, code)


# Where a committee's totals come from (committee_totals.totals_source), in words for captions.
COMMITTEE_TOTALS_SOURCE_NAMES = {
    "summary": "the FEC's own committee totals (PAC and party summary)",
    "reports": "the sum of the committee's reports (summary pages, newest amendment of each)",
}


def committee_totals_source(code) -> str:
    """'the FEC's own committee totals (PAC and party summary)' or 'the sum of the committee's reports ...'."""
    return _name(COMMITTEE_TOTALS_SOURCE_NAMES, code)


def net_of_own_transfers(gross, net) -> str | None:
    """'$1,200 net of $300 moved between its own committees' when the net figure differs from the
    gross one; None when it does not, or is unknown."""
    if _missing(gross) or _missing(net) or _exact(gross) == _exact(net):
        return None
    return f"{money(net)} net of {money(_exact(gross) - _exact(net))} moved between its own committees"


# One line per extract for the data page: what a row is.
EXTRACT_DESCRIPTIONS = {
    "candidates": "One row per candidate and cycle: name, party, office, state, district.",
    "committees": "One row per committee and cycle, with its candidate and designation.",
    "candidate_totals": "Raised and spent (gross as the FEC publishes them, net beside), cash and debts per "
    "candidate and cycle: the FEC's own candidate totals, else the sum of the committees' reports.",
    "candidate_election_totals": "Senate (six-year) and presidential (four-year) candidates' totals over the whole "
    "election, with the cycles the data lacks when partial.",
    "candidate_periods": "The same totals per filed report (for over-time charts).",
    "committee_totals": "Raised, spent (gross), cash and debts per PAC or party committee and cycle: the FEC's own "
    "committee totals (webk), else the sum of the committee's reports.",
    "receipts": "Itemized contributions from individuals, each counted once, under its recipient.",
    "agg_candidate_daily": "Itemized individual money per candidate and day.",
    "agg_candidate_size": "Individual money per candidate by contribution size.",
    "agg_candidate_state": "Itemized individual money per candidate by donor state.",
    "agg_candidate_donor": "Top donors per candidate.",
    "candidate_donor_counts": "Unique itemized donors per candidate and cycle (name + ZIP5), repeat and one-time, "
    "counted over gifts (refunds are no gifts).",
    "agg_candidate_donor_weeks": "New itemized donors per week (the week of a donor's first gift) and donors so far.",
    "agg_candidate_employer": "Top employers of donors per candidate.",
    "agg_candidate_occupation": "Top occupations of donors per candidate.",
    "agg_district": "One row per race: money raised, leader, margin, out-of-state and small-dollar shares.",
    "candidate_in_district": "One row per House candidate: itemized money from donors inside the district "
    "(donor ZIP -> Census ZCTA -> district), outside it, and of unknown place.",
    "agg_daily": "Itemized individual money per day by party, office, state and committee type.",
    "large_receipts": "Itemized individual contributions of $1,000 or more, by date (for the trends page).",
    "outside_expenditures": "Independent expenditures for or against a candidate, each counted once (Schedule E).",
    "agg_outside_daily": "Outside spending per candidate, day, support or oppose and kind of spender.",
    "agg_outside_spenders": "Outside spending per candidate, spender and support or oppose.",
    "outside_unmatched": "Independent expenditures naming a candidate that none, or several, of the cycle's match.",
    "changes_candidates": "Candidates whose money changed since the previous snapshot, before and after.",
    "changes_reports": "Report periods that are new, or were revised, since the previous snapshot.",
    "changes_notices": "24/48-hour notices of outside spending that are new since the previous snapshot.",
}
