"""Type-ahead search of candidates, committees and donors, in the header of every page.

Typing lists up to ten candidates and committees and up to five itemized donors as links (Tab
reaches them); Enter opens the best candidate or committee, or the biggest donor if none matches.
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
                "Search candidates, committees and donors (Enter opens the best match)",
                htmlFor=INPUT_ID,
                className="visually-hidden",
            ),
            dcc.Input(
                id=INPUT_ID,
                type="search",
                placeholder="Search candidates, committees, donors",
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


def _describe_donor(row) -> str:
    """'Springfield, IL 62704 · $12,400 in 9 gifts · 2022-2024'."""
    place = ", ".join(part for part in (row.city, row.state) if isinstance(part, str))
    cycles = sorted(row.cycles)
    span = str(cycles[0]) if cycles[0] == cycles[-1] else f"{cycles[0]}-{cycles[-1]}"
    gifts = f"{int(row.gifts):,} gift{'s' if int(row.gifts) != 1 else ''}"
    return " · ".join(
        part for part in (f"{place} {row.zip5 or ''}".strip(), f"{labels.money(row.amount)} in {gifts}", span) if part
    )


def results_list(frame, donors=None):
    if frame.empty and (donors is None or donors.empty):
        return html.P("No candidate, committee or donor matches.", className="search-empty")

    def item(name, meta, path):
        return html.Li(
            dcc.Link([html.Span(name, className="result-name"), html.Span(meta, className="result-meta")], href=path)
        )

    children = []
    if not frame.empty:
        children.append(
            html.Ul(
                [item(row.name, _describe(row), row.path) for row in frame.itertuples()],
                className="search-list",
                **{"aria-label": "Candidates and committees"},
            )
        )
    if donors is not None and not donors.empty:
        children += [
            html.P("Donors (itemized gifts, all cycles)", className="search-group"),
            html.Ul(
                [item(row.name, _describe_donor(row), row.path) for row in donors.itertuples()],
                className="search-list",
                **{"aria-label": "Donors"},
            ),
        ]
    return html.Div(children)


def _run(text: str):
    """(candidates and committees, donors) matching the text, or None before any data is published."""
    try:
        text = params.search_text(text)
        return search.search(text), search.donors(text)
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
    found = _run(text)
    if found is None:
        return no_update, html.P("No data published yet.", className="search-empty")
    return no_update, results_list(*found)


@callback(
    Output(NAVIGATE_ID, "href"),
    Input(INPUT_ID, "n_submit"),
    State(INPUT_ID, "value"),
    prevent_initial_call=True,
)
def open_best_match(_n_submit, text):
    found = _run(text or "")
    if found is None:
        return no_update
    for frame in found:
        if not frame.empty:
            return frame["path"].iloc[0]
    return no_update
