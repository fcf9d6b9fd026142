"""Type-ahead search of candidates and committees, in the header of every page.

Typing lists up to ten matches as links (Tab reaches them); Enter opens the best match.
"""

from __future__ import annotations

import logging

from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard.app import db, labels, links
from dashboard.app.queries import search
from dashboard.core import fec, params

log = logging.getLogger(__name__)

INPUT_ID = "search-input"
RESULTS_ID = "search-results"
NAVIGATE_ID = "search-navigate"
ROUTE_ID = "url"  # the app's dcc.Location; a route change clears the box


def search_box():
    return html.Div(
        [
            html.Label(
                "Search candidates and committees (Enter opens the best match)",
                htmlFor=INPUT_ID,
                className="visually-hidden",
            ),
            dcc.Input(
                id=INPUT_ID,
                type="search",
                placeholder="Search candidates or committees",
                debounce=0.25,
                autoComplete="off",
                n_submit=0,
                className="search-input",
            ),
            html.Div(id=RESULTS_ID, className="search-results", **{"aria-live": "polite"}),
            dcc.Location(id=NAVIGATE_ID, refresh="callback-nav"),
        ],
        className="search",
        role="search",
    )


def _describe(row) -> str:
    """'House CA-12 · Democratic · 2024'; a committee says what it is first ('Leadership PAC ·
    ...'), and its candidate's race only when it is that candidate's campaign."""
    parts = []
    if row.kind == "committee":
        parts.append(fec.committee_kind(row.committee_type, row.designation))
    if isinstance(row.office, str) and (row.kind == "candidate" or row.designation in search.CAMPAIGN_DESIGNATIONS):
        parts.append(links.race_label(row.office, row.state, row.district))
    if isinstance(row.party, str):
        parts.append(labels.party(row.party))
    parts.append(str(row.cycle))
    return " · ".join(parts)


def results_list(frame):
    if frame.empty:
        return html.P("No candidate or committee matches.", className="search-empty")
    return html.Ul(
        [
            html.Li(
                dcc.Link(
                    [html.Span(row.name, className="result-name"), html.Span(_describe(row), className="result-meta")],
                    href=row.path,
                )
            )
            for row in frame.itertuples()
        ],
        className="search-list",
        **{"aria-label": "Search results"},
    )


def _run(text: str):
    try:
        return search.search(params.search_text(text))
    except db.NoSnapshotError:
        return None


@callback(
    Output(INPUT_ID, "value"),
    Output(RESULTS_ID, "children"),
    Input(INPUT_ID, "value"),
    Input(ROUTE_ID, "pathname"),
    prevent_initial_call=True,
)
def show_matches(text, _pathname):
    if ctx.triggered_id == ROUTE_ID:
        return "", None  # a new page: the old matches no longer apply
    if len(search.normalize(text or "")) < search.MIN_LENGTH:
        return no_update, None
    frame = _run(text)
    if frame is None:
        return no_update, html.P("No data published yet.", className="search-empty")
    return no_update, results_list(frame)


@callback(
    Output(NAVIGATE_ID, "href"),
    Input(INPUT_ID, "n_submit"),
    State(INPUT_ID, "value"),
    prevent_initial_call=True,
)
def open_best_match(_n_submit, text):
    frame = _run(text or "")
    if frame is None or frame.empty:
        return no_update
    return frame["path"].iloc[0]
