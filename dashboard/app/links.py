"""URLs and human labels of races, candidates and committees, in one place.

Pages, queries and figures all need "House CA-12 (2024)" and "/race/house/CA/12/2024"; building
them here keeps every link in the app consistent with the routes in pages/.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from dashboard.core import geography
from dashboard.core import params as value  # map_path's keyword arguments are `params`


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


def donor_url(donor_key: str) -> str:
    """The donor's page (pages/donor.py): the key (name|ZIP5) percent-encoded as one path segment."""
    return "/donor/" + quote(str(donor_key), safe="")


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


# Atom feeds (dashboard/app/api/feeds.py): a race's, candidate's or committee's page has one, at its
# own address under /feeds with .atom added.
FEEDS_PREFIX = "/feeds"
FEED_MEDIA_TYPE = "application/atom+xml"


def race_feed_path(office: str, state: str | None, district: str | None, cycle: int) -> str:
    return f"{FEEDS_PREFIX}{race_path(office, state, district, cycle)}.atom"


def candidate_feed_path(candidate_id: str) -> str:
    return f"{FEEDS_PREFIX}/candidate/{candidate_id}.atom"


def committee_feed_path(committee_id: str) -> str:
    return f"{FEEDS_PREFIX}/committee/{committee_id}.atom"


def page_feed(path: str) -> tuple[str, str] | None:
    """(feed path, feed title) of the race, candidate or committee page at `path` (its query string
    left off), or None for other pages and for addresses that name no valid race or id."""
    parts = [part for part in path.split("?")[0].split("/") if part]
    try:
        match parts:
            case ["candidate", candidate_id]:
                candidate_id = value.candidate_id(candidate_id)
                feed, subject = candidate_feed_path(candidate_id), f"Candidate {candidate_id}"
            case ["committee", committee_id]:
                committee_id = value.committee_id(committee_id)
                feed, subject = committee_feed_path(committee_id), f"Committee {committee_id}"
            case ["race", "house", state, district, cycle]:
                race = ("H", value.state(state), value.district(district), value.cycle(cycle))
                feed, subject = race_feed_path(*race), race_label(*race)
            case ["race", "senate", state, cycle]:
                race = ("S", value.state(state), None, value.cycle(cycle))
                feed, subject = race_feed_path(*race), race_label(*race)
            case ["race", "president", cycle]:
                race = ("P", None, None, value.cycle(cycle))
                feed, subject = race_feed_path(*race), race_label(*race)
            case _:
                return None
    except value.InvalidParameter:
        return None
    return feed, f"{subject}: outside-spending notices, reports, large contributions"


def feed_link_tag(path: str) -> str:
    """The page's <link rel="alternate" type="application/atom+xml"> for its <head> (feed readers
    find feeds there), or '' when the page at `path` has no feed."""
    found = page_feed(path)
    if found is None:
        return ""
    href, title = found
    return f'<link rel="alternate" type="{FEED_MEDIA_TYPE}" title="{escape(title)}" href="{escape(href)}">'


# The FEC's viewer of a filing's scanned or rendered page, followed by the row's image number
# (the `pdf_url` OpenFEC gives filings has this form).
FILING_IMAGE_URL = "https://docquery.fec.gov/cgi-bin/fecimg/?{}"


def filing_image_url(image_number) -> str | None:
    """Where the FEC shows the page a receipt was filed on; None without an image number."""
    text = str(image_number).strip() if image_number is not None else ""
    return FILING_IMAGE_URL.format(text) if text.isascii() and text.isdigit() else None
