"""Atom 1.0 feeds of a race, a candidate or a committee: new 24/48-hour notices of outside spending,
new reports and large contributions, so staff and journalists can subscribe instead of checking a page.

Routes (the race ones mirror the race pages' addresses, dashboard/app/links.py builds them all):
    /feeds/race/house/<state>/<district>/<cycle>.atom, /feeds/race/senate/<state>/<cycle>.atom,
    /feeds/race/president/<cycle>.atom, /feeds/candidate/<candidate_id>.atom,
    /feeds/committee/<committee_id>.atom
`?kind=notices` (or reports, contributions) keeps one kind; each kind holds its FEED_LIMIT newest.

- Entry ids are URNs built from the FEC's own ids (a line's sub_id; a report period's candidate,
  cycle, year and type), so they are the same on every server and every snapshot.
- `updated` of an entry is the date its data carries (a notice's filing date, a report's period end, a
  contribution's date; a report revised since the previous snapshot: when the snapshot was built); of
  the feed, when its snapshot was built. ETag and Cache-Control derive from the snapshot, as the API's.
- The subtitle names the data's source and date, and says so when the data is the synthetic demo.
- A bad or unknown id, race or cycle answers 404 with one plain sentence; no snapshot answers 503.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable
from urllib.parse import urljoin

import pandas as pd
from flask import Blueprint, Response, request

from dashboard.app import db, labels, links
from dashboard.app.api.http import cacheable, not_modified, snapshot_etag
from dashboard.app.components.shell import DEMO_NOTICE, is_demo, source_name
from dashboard.app.queries import candidates, committees, races, snapshot
from dashboard.app.queries import feeds as feed_queries
from dashboard.core import fec, params

feeds = Blueprint("feeds", __name__, url_prefix=links.FEEDS_PREFIX)

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
ID_PREFIX = "urn:fec:"  # entries are FEC records: the same id whichever server or snapshot serves them
KINDS = ("notices", "reports", "contributions")
KIND_NAMES = {
    "notices": "new 24/48-hour notices of outside spending",
    "reports": "new reports",
    "contributions": "large contributions",
}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # not allowed in XML 1.0
NOTICE_NOTE = (
    "From a 24/48-hour notice not yet in a regular report: shown apart, not added to the outside-spending totals."
)


class FeedNotFound(LookupError):
    """The address is well formed but names nothing in the data."""


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    updated: str  # RFC 3339
    path: str  # the site's page about it (relative)
    summary: str
    category: str  # one of KINDS


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    page_path: str  # the page the feed follows
    scope: feed_queries.Scope


# ----------------------------------------------------------------------------- Atom


def _text(value) -> str:
    """Text as XML 1.0 can carry it (ElementTree escapes &, < and >, but writes control characters as they are)."""
    return _XML_ILLEGAL.sub("", str(value))


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom_document(
    feed_id: str, title: str, subtitle: str, updated: str, self_url: str, page_url: str, entries: Iterable[Entry]
) -> bytes:
    """An Atom 1.0 feed (RFC 4287) as UTF-8 bytes; entry paths are made absolute against `page_url`."""
    # Atom is the default namespace, declared once: ElementTree's own default_namespace refuses the
    # attributes without a namespace (rel, href, ...) that Atom uses.
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})
    _add(root, "id", feed_id)
    _add(root, "title", title)
    _add(root, "subtitle", subtitle)
    _add(root, "updated", updated)
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=self_url)
    _add(root, "link", rel="alternate", type="text/html", href=page_url)
    _add(_add(root, "author"), "name", "Campaign finance dashboard")
    _add(root, "generator", "Campaign finance dashboard")
    for entry in entries:
        element = _add(root, "entry")
        _add(element, "id", entry.id)
        _add(element, "title", entry.title)
        _add(element, "updated", entry.updated)
        _add(element, "link", rel="alternate", type="text/html", href=urljoin(page_url, entry.path))
        _add(element, "category", term=entry.category, label=KIND_NAMES[entry.category])
        _add(element, "summary", entry.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _instant(day) -> str | None:
    """Midnight UTC of a date (Atom wants a date-time), or None."""
    text = labels.date(day)
    return None if text == "-" else f"{text}T00:00:00Z"


def _built(manifest: dict) -> str:
    """When the snapshot was built, RFC 3339 in UTC."""
    try:
        built = datetime.fromisoformat(str(manifest.get("built_at")).replace("Z", "+00:00"))
    except ValueError:
        built = datetime.now(timezone.utc)
    if built.tzinfo is None:
        built = built.replace(tzinfo=timezone.utc)
    return built.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _given(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _or(value, default: str) -> str:
    """Text of an optional column (None or NaN when empty), else `default`."""
    return value if _given(value) else default


def _race(row) -> str:
    if not _given(row.office):
        return ""
    return f" ({links.race_label(row.office, row.state, row.district)}, {int(row.cycle)})"


# ----------------------------------------------------------------------------- entries


def notice_entries(frame: pd.DataFrame, built: str) -> list[Entry]:
    entries = []
    for row in frame.itertuples():
        side = "supporting" if row.support_oppose == "S" else "opposing"
        candidate = row.candidate_name if _given(row.candidate_name) else "a candidate the data could not match"
        spender = row.spender_name if _given(row.spender_name) else row.committee_id
        details = [
            f"{spender} ({row.committee_id}) filed a 24/48-hour notice on {labels.date(row.filed_date)}: "
            f"{labels.money_cents(row.amount)} {side} {candidate}{_race(row)}, "
            f"disseminated or spent on {labels.date(row.date)}."
        ]
        if _given(row.purpose):
            details.append(f"Purpose: {row.purpose}.")
        if _given(row.payee_name):
            details.append(f"Paid to: {row.payee_name}.")
        details.append(NOTICE_NOTE)
        details.append(
            f"FEC filing {_or(row.file_number, 'unknown')}, transaction {_or(row.transaction_id, 'unknown')}."
        )
        entries.append(
            Entry(
                id=f"{ID_PREFIX}schedule-e:{row.sub_id}",
                title=f"24/48-hour notice: {spender}, {labels.money_cents(row.amount)} {side} {candidate}",
                updated=_instant(row.filed_date) or built,  # a line with no date at all still has a place
                # an expenditure no candidate matches has no candidate page (NaN from pandas): the spender's
                path=row.candidate_path
                if isinstance(row.candidate_path, str)
                else links.committee_path(row.committee_id, int(row.cycle)),
                summary=" ".join(details),
                category="notices",
            )
        )
    return entries


def report_entries(frame: pd.DataFrame, built: str) -> list[Entry]:
    entries = []
    for row in frame.itertuples():
        period = f"{int(row.report_year)} {fec.REPORT_TYPES.get(row.report_type, row.report_type)}"
        name = row.candidate_name if _given(row.candidate_name) else row.candidate_id
        summary = (
            f"{name}{_race(row)}: report covering {labels.date(row.coverage_start)} to "
            f"{labels.date(row.coverage_end)}. Raised {labels.money_cents(row.receipts)}, spent "
            f"{labels.money_cents(row.disbursements)}, cash on hand at the end "
            f"{labels.money_cents(row.cash_on_hand_end)} (all the candidate's campaign committees, "
            "newest amendment of each)."
        )
        updated = _instant(row.coverage_end)
        if row.change == "new":
            summary += " New since the previous snapshot."
        elif row.change == "revised":
            summary += (
                f" Revised since the previous snapshot: receipts were {labels.money_cents(row.previous_receipts)}."
            )
            updated = built  # the entry changed when this snapshot saw the amendment
        entries.append(
            Entry(
                id=f"{ID_PREFIX}report:{row.candidate_id}:{int(row.cycle)}:{int(row.report_year)}:{row.report_type}",
                title=f"{name}: {period} report, raised {labels.money_cents(row.receipts)}",
                updated=updated or built,
                path=row.candidate_path,
                summary=summary,
                category="reports",
            )
        )
    return entries


def contribution_entries(frame: pd.DataFrame) -> list[Entry]:
    entries = []
    for row in frame.itertuples():
        candidate = row.candidate_name if _given(row.candidate_name) else row.candidate_id
        committee = row.committee_name if _given(row.committee_name) else row.committee_id
        place = ", ".join(part for part in (row.city, row.contributor_state) if _given(part))
        job = "; ".join(
            f"{label} {value}"
            for label, value in (("employer", row.employer), ("occupation", row.occupation))
            if _given(value)
        )
        summary = (
            f"{labels.money_cents(row.amount)} from {row.contributor_name}"
            + (f" of {place}" if place else "")
            + (f" ({job})" if job else "")
            + f", received on {labels.date(row.date)} by {committee} ({row.committee_id}) for {candidate}"
            + f"{_race(row)}."
        )
        if pd.notna(row.is_earmarked) and bool(row.is_earmarked):  # empty when the source does not say
            summary += f" Earmarked through {_or(row.conduit_committee_id, 'a conduit')}."
        entries.append(
            Entry(
                id=f"{ID_PREFIX}schedule-a:{row.sub_id}",
                title=f"{labels.money_cents(row.amount)} from {row.contributor_name} to {candidate}",
                updated=_instant(row.date),
                path=row.candidate_path,
                summary=summary,
                category="contributions",
            )
        )
    return entries


# ----------------------------------------------------------------------------- subjects


def candidate_feed(candidate_id) -> Feed:
    candidate_id = params.candidate_id(candidate_id)
    cycles = [int(c) for c in candidates.candidate_cycles(candidate_id)["cycle"]]
    if not cycles:
        raise FeedNotFound(f"There is no candidate {candidate_id} in this data.")
    summary = candidates.candidate_summary(candidate_id, cycles[-1]).iloc[0]
    race = links.race_label(summary["office"], summary["state"], summary["district"])
    return Feed(
        id=f"{ID_PREFIX}feed:candidate:{candidate_id}",
        title=f"{summary['name']} ({race})",
        page_path=links.candidate_path(candidate_id),
        scope=feed_queries.candidate_scope(candidate_id),
    )


def committee_feed(committee_id) -> Feed:
    committee_id = params.committee_id(committee_id)
    rows = committees.committee_cycles(committee_id)
    if rows.empty:
        raise FeedNotFound(f"There is no committee {committee_id} in this data.")
    return Feed(
        id=f"{ID_PREFIX}feed:committee:{committee_id}",
        title=f"{rows.iloc[0]['name']} ({committee_id})",
        page_path=links.committee_path(committee_id),
        scope=feed_queries.committee_scope(committee_id),
    )


def race_feed(office: str, state=None, district=None, cycle=None) -> Feed:
    cycle = params.cycle(cycle)
    state = params.state(state) if office != "P" else None
    district = params.district(district) if office == "H" else None
    label = links.race_label(office, state, district, cycle)
    if cycle not in races.race_cycles(office, state, district):
        raise FeedNotFound(f"No candidates filed for {label}.")
    path = links.race_path(office, state, district, cycle)
    return Feed(
        id=f"{ID_PREFIX}feed:race:{office}:{state or 'US'}:{district or '00'}:{cycle}",
        title=label,
        page_path=path,
        scope=feed_queries.race_scope(cycle, office, state, district),
    )


# ----------------------------------------------------------------------------- HTTP


def _plain(status: int, message: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def _subtitle(manifest: dict, kinds: tuple[str, ...]) -> str:
    through = snapshot.latest_coverage_end(manifest) or "an unknown date"
    parts = [
        f"{DEMO_NOTICE}." if is_demo(manifest) else "",
        f"The newest {feed_queries.FEED_LIMIT} of each: {', '.join(KIND_NAMES[k] for k in kinds)}.",
        f"From {source_name(manifest.get('source'))}, data through {through} "
        f"(snapshot {manifest.get('snapshot_id', '?')}).",
    ]
    if "notices" in kinds:
        parts.append("Notices are 24/48-hour reports of outside spending not yet in a regular report.")
    return " ".join(part for part in parts if part)


def _serve(make_feed: Callable[[], Feed]) -> Response:
    try:
        kind = params.choice(request.args.get("kind"), "kind", ("all", *KINDS), "all")
    except params.InvalidParameter as problem:
        return _plain(400, str(problem))
    try:
        feed = make_feed()
        manifest = db.manifest()
    except (params.InvalidParameter, FeedNotFound) as problem:
        return _plain(404, str(problem))
    except db.NoSnapshotError:
        return _plain(503, "No data has been published on this server yet.")
    except db.QueryTimeoutError:
        return _plain(503, "This feed took too long to read; please try again in a moment.")
    etag = snapshot_etag(str(manifest.get("snapshot_id", "none")))
    if not_modified(etag):
        return cacheable(Response(status=304), etag)
    kinds = KINDS if kind == "all" else (kind,)
    built = _built(manifest)
    try:
        entries = []
        if "notices" in kinds:
            entries += notice_entries(feed_queries.notices(feed.scope), built)
        if "reports" in kinds:
            entries += report_entries(feed_queries.reports(feed.scope), built)
        if "contributions" in kinds:
            entries += contribution_entries(feed_queries.large_contributions(feed.scope))
    except db.QueryTimeoutError:
        return _plain(503, "This feed took too long to read; please try again in a moment.")
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    title = f"{feed.title}: {', '.join(KIND_NAMES[k] for k in kinds)}"
    body = atom_document(
        feed.id if kind == "all" else f"{feed.id}:{kind}",
        title,
        _subtitle(manifest, kinds),
        built,
        request.url,
        urljoin(request.host_url, feed.page_path),
        entries,
    )
    return cacheable(Response(body, mimetype=MEDIA_TYPE), etag)


@feeds.get("/race/house/<state>/<district>/<cycle>.atom")
def house_race(state: str, district: str, cycle: str):
    return _serve(lambda: race_feed("H", state, district, cycle))


@feeds.get("/race/senate/<state>/<cycle>.atom")
def senate_race(state: str, cycle: str):
    return _serve(lambda: race_feed("S", state, None, cycle))


@feeds.get("/race/president/<cycle>.atom")
def presidential_race(cycle: str):
    return _serve(lambda: race_feed("P", None, None, cycle))


@feeds.get("/candidate/<candidate_id>.atom")
def candidate(candidate_id: str):
    return _serve(lambda: candidate_feed(candidate_id))


@feeds.get("/committee/<committee_id>.atom")
def committee(committee_id: str):
    return _serve(lambda: committee_feed(committee_id))
