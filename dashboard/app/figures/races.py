"""Charts about races: the biggest races of a cycle, the candidates of one race."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app import labels
from dashboard.app.figures import theme


def _bars(names: list[str], amounts: list[float], parties: list, hover: list[str], x_title: str) -> go.Figure:
    """Horizontal bars, biggest on top, coloured by party with the party named in the hover.
    No title inside the figure: the page's caption above it wraps on a phone, SVG text does not."""
    figure = go.Figure(
        go.Bar(
            x=amounts,
            y=names,
            orientation="h",
            marker={"color": [theme.party_colour(p) for p in parties]},
            text=[labels.money_short(a) for a in amounts],
            textposition="auto",
            hovertext=hover,
            hoverinfo="text",
        ),
        layout=theme.base_layout(height=max(200, 60 + 34 * len(names)), margin={"l": 8, "r": 16, "t": 8, "b": 40}),
    )
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text=x_title, tickprefix="$", tickformat="~s")
    return figure


def top_races_bar(races: pd.DataFrame, cycle: int) -> go.Figure:
    """Races of `queries.races.top_races`, one bar each (total receipts of all candidates)."""
    if races.empty:
        return theme.empty_figure(f"No races with money reported for {cycle}")
    hover = [
        f"{row.race_label}: {labels.money(row.receipts)} raised by {row.n_candidates} "
        f"candidates; leader {row.leader_name} ({labels.party(row.leader_party)})"
        for row in races.itertuples()
    ]
    return _bars(
        list(races["race_label"]),
        list(races["receipts"]),
        list(races["leader_party"]),
        hover,
        "Raised by all candidates (summary totals)",
    )


def race_candidates_bar(candidates: pd.DataFrame) -> go.Figure:
    """Receipts of each candidate of a race (`queries.races.race_candidates`)."""
    reported = candidates.dropna(subset=["receipts"])
    if reported.empty:
        return theme.empty_figure("No candidate in this race has reported money yet")
    hover = [
        f"{row.name} ({labels.party(row.party)}): {labels.money(row.receipts)} raised" for row in reported.itertuples()
    ]
    names = [f"{n} ({p})" if isinstance(p, str) else n for n, p in zip(reported["name"], reported["party"])]
    return _bars(names, list(reported["receipts"]), list(reported["party"]), hover, "Raised (summary totals)")
