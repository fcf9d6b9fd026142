"""URLs and human labels of races, candidates and committees, in one place.

Pages, queries and figures all need "House CA-12 (2024)" and "/race/house/CA/12/2024"; building
them here keeps every link in the app consistent with the routes in pages/.
"""

from __future__ import annotations

from urllib.parse import urlencode

from dashboard.core import geography


def race_path(office: str, state: str, district: str, cycle: int) -> str:
    if office == "H":
        return f"/race/house/{state}/{district}/{cycle}"
    if office == "S":
        return f"/race/senate/{state}/{cycle}"
    return f"/race/president/{cycle}"


def race_label(office: str, state: str, district: str, cycle: int | None = None) -> str:
    """'House CA-12', 'House AK at-large', 'Senate Texas', 'President', with ' (2024)' if a cycle."""
    if office == "H":
        where = f"{state} at-large" if district == "00" else f"{state}-{district}"
        if state in geography.DELEGATE_STATES:
            where = f"{state} delegate"
        label = f"House {where}"
    elif office == "S":
        label = f"Senate {geography.STATES.get(state, (None, state))[1]}"
    else:
        label = "President"
    return f"{label} ({cycle})" if cycle else label


def candidate_path(candidate_id: str, cycle: int | None = None) -> str:
    query = f"?{urlencode({'cycle': cycle})}" if cycle else ""
    return f"/candidate/{candidate_id}{query}"


def committee_path(committee_id: str, cycle: int | None = None) -> str:
    query = f"?{urlencode({'cycle': cycle})}" if cycle else ""
    return f"/committee/{committee_id}{query}"


def with_cycle(path: str, cycle: int) -> str:
    return f"{path}?{urlencode({'cycle': cycle})}"


def receipts_path(**filters) -> str:
    """The receipts explorer with its filters preset (candidate_id, cycle, state, zip,
    employer, min, max, q, ...); empty filters are left out."""
    query = {name: value for name, value in filters.items() if value is not None and value != ""}
    return f"/receipts?{urlencode(query)}" if query else "/receipts"


MAP_DEFAULTS = {"office": "house", "metric": "receipts", "view": "geo"}


def map_path(cycle: int, **params) -> str:
    """The district map with its choices (office, metric, view, state, sort); choices equal to
    the map's defaults and empty ones are left out, so the plain map has a plain address."""
    query = {"cycle": cycle}
    query.update(
        {name: value for name, value in params.items() if value not in (None, "") and MAP_DEFAULTS.get(name) != value}
    )
    return f"/map?{urlencode(query)}"
