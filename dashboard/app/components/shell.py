"""What surrounds every page: the demo banner, the main region and the data footer.

Pages return `page(...)`, so every page says which snapshot it was built from and as of when,
and demo data is always labelled as synthetic.
"""

from __future__ import annotations

import logging
from datetime import datetime

from dash import dcc, html

from dashboard.app import db
from dashboard.app.queries import snapshot
from dashboard.store import layout

log = logging.getLogger(__name__)

DEMO_NOTICE = "Demo data: synthetic, not real FEC records"
SOURCE_NAMES = {"demo": "synthetic demo data", "api": "the OpenFEC API", "bulk": "FEC bulk data files"}


def source_name(source: str | None) -> str:
    """'bulk+api' -> 'FEC bulk data files and the OpenFEC API': each part of a mixed source named."""
    parts = [SOURCE_NAMES.get(part, part) for part in layout.source_parts(source)]
    return " and ".join(parts) or "an unknown source"


def is_demo(manifest: dict | None) -> bool:
    """Any demo rows in the snapshot, alone or mixed with real ones, and the banner shows."""
    return bool(manifest) and layout.DEMO in layout.source_parts(manifest.get("source"))


def current_manifest() -> dict | None:
    """The manifest, or None when there is no snapshot (the page says so itself)."""
    try:
        return db.manifest()
    except db.NoSnapshotError:
        return None
    except Exception:  # an unreadable manifest must not take the error pages down with it
        log.exception("could not read the snapshot manifest")
        return None


def demo_banner(manifest: dict | None):
    if not is_demo(manifest):
        return None
    return html.Aside(
        [html.Strong(DEMO_NOTICE), " Names, amounts and dates are invented to show how the dashboard works."],
        className="demo-banner",
        **{"aria-label": "Demo data notice"},
    )


def _when(iso: str | None) -> str:
    """'2026-11-28 20:53 UTC' from the manifest's ISO-8601 timestamp."""
    if not iso:
        return "unknown"
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return iso


def refreshed_words() -> str:
    """'Last refreshed from the OpenFEC API <when>.', or that it never was: the build time is not a refresh."""
    try:
        refreshed = snapshot.last_refreshed_at()
    except Exception:  # an unreadable status file must not take every page's footer down with it
        log.exception("could not read the refresh status")
        return "Last refresh unknown."
    return (
        f"Last refreshed from the OpenFEC API {_when(refreshed)}."
        if refreshed
        else "Never refreshed from the OpenFEC API."
    )


def data_footer(manifest: dict | None):
    if not manifest:
        facts = ["No data has been published yet."]
    else:
        source = source_name(manifest.get("source"))
        facts = [
            f"Data through {snapshot.latest_coverage_end(manifest) or 'unknown'}. Built "
            f"{_when(manifest.get('built_at'))} from {source} (snapshot {manifest.get('snapshot_id', '?')}).",
            " ",
            html.Span(refreshed_words(), className="data-refreshed"),
        ]
    return html.Footer(
        [html.P(facts), html.P(dcc.Link("Where the data comes from and how it is counted", href="/data"))],
        className="data-footer",
    )


def page(*children, manifest: dict | None = None):
    """A page's content between the demo banner and the data footer."""
    manifest = manifest if manifest is not None else current_manifest()
    return html.Div(
        [
            demo_banner(manifest),
            html.Main(list(children), id="main", tabIndex="-1", className="page-body"),
            data_footer(manifest),
        ],
        className="page",
    )
