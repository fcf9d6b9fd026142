"""Where the itemized money comes from: a tile-grid map of donor states and in-state splits.

The map is the state tile grid (`geography.STATE_TILES`, shared with the district map's Senate
view): every state one equal square placed roughly where it lies, drawn as a plain heatmap. It needs no base map (so nothing is fetched from a CDN) and shows small states as
clearly as big ones.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app import labels
from dashboard.app.figures import theme
from dashboard.app.figures.money_over_time import add_to_layout, candidate_label, name_bars_above
from dashboard.core import geography

ROWS = 1 + max(r for r, _ in geography.STATE_TILES.values())
COLUMNS = 1 + max(c for _, c in geography.STATE_TILES.values())
# Light to dark blue (ColorBrewer Blues): ordered, and readable with colour blindness.
SCALE = [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
NO_MONEY = "#ececec"


def state_tile_map(states: pd.DataFrame, home_state: str | None = None) -> go.Figure:
    """Itemized money by donor state (`queries.candidates.candidate_states`) on a tile grid;
    states with no money are grey, the candidate's own state is outlined."""
    by_state = states.dropna(subset=["state"]).set_index("state")
    if by_state.empty:
        return theme.empty_figure("No itemized contributions with a US address for this cycle")
    z = [[None] * COLUMNS for _ in range(ROWS)]
    text = [[""] * COLUMNS for _ in range(ROWS)]
    hover = [[""] * COLUMNS for _ in range(ROWS)]
    grey_x, grey_y, grey_text = [], [], []
    for state, (row, column) in geography.STATE_TILES.items():
        name = geography.STATES[state][1]
        if state in by_state.index and by_state.loc[state, "amount"] > 0:
            found = by_state.loc[state]
            z[row][column] = float(found["amount"])
            text[row][column] = state
            hover[row][column] = (
                f"{name}: {labels.money(found['amount'])} from {labels.count(found['n'])} "
                f"contributions ({labels.share(found['share'])})"
            )
        else:
            grey_x.append(column)
            grey_y.append(row)
            grey_text.append(state)
    layout = theme.base_layout(height=360, margin={"l": 8, "r": 8, "t": 8, "b": 8}, showlegend=False)
    data = [
        {
            "type": "scatter",
            "x": grey_x,
            "y": grey_y,
            "mode": "markers+text",
            "text": grey_text,
            "hoverinfo": "text",
            "hovertext": [f"{geography.STATES[s][1]}: no itemized money" for s in grey_text],
            "marker": {"symbol": "square", "size": 1, "color": NO_MONEY},
            "textfont": {"size": 11},
        },
        {
            "type": "heatmap",
            "z": z,
            "text": text,
            "hovertext": hover,
            "hoverinfo": "text",
            "texttemplate": "%{text}",
            "colorscale": SCALE,
            "xgap": 3,
            "ygap": 3,
            "zmin": 0,
            "colorbar": {
                "title": {"text": "Itemized"},
                "tickprefix": "$",
                "tickformat": "~s",
                "thickness": 12,
                "len": 0.8,
            },
        },
    ]
    tiles = [  # grey tiles for states without money
        {
            "type": "rect",
            "x0": column - 0.45,
            "x1": column + 0.45,
            "y0": row - 0.45,
            "y1": row + 0.45,
            "fillcolor": NO_MONEY,
            "line": {"width": 0},
            "layer": "below",
        }
        for column, row in zip(grey_x, grey_y)
    ]
    if home_state in geography.STATE_TILES:
        row, column = geography.STATE_TILES[home_state]
        tiles.append(
            {
                "type": "rect",
                "x0": column - 0.5,
                "x1": column + 0.5,
                "y0": row - 0.5,
                "y1": row + 0.5,
                "line": {"color": theme.OKABE_ITO["orange"], "width": 3},
            }
        )
    add_to_layout(layout, shapes=tiles)
    layout["xaxis"].update(visible=False, range=[-0.6, COLUMNS - 0.4], fixedrange=True)
    layout["yaxis"].update(visible=False, range=[ROWS - 0.4, -0.6], fixedrange=True, scaleanchor="x")
    return theme.figure(data, layout)


def race_home_state_bar(split: pd.DataFrame, order: list[str]) -> go.Figure:
    """In-state and out-of-state itemized money of every candidate of a race
    (`queries.races.race_home_state`), stacked, in `order`."""
    if split.empty or not split["itemized"].fillna(0).any():
        return theme.empty_figure("No itemized contributions from individuals in this race yet")
    rows = split.set_index("candidate_id").reindex([c for c in order if c in set(split["candidate_id"])])
    statuses = rows["incumbent_challenge"] if "incumbent_challenge" in rows else [None] * len(rows)
    names = [theme.plain(candidate_label(*row)) for row in zip(rows["name"], rows["party"], statuses)]
    layout = theme.base_layout(
        height=max(220, 130 + 40 * len(rows)),
        barmode="stack",
        margin={"l": 8, "r": 16, "t": 64, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
    )
    share = rows["in_state_share"].fillna(0)
    data = [
        {
            "type": "bar",
            "y": names,
            "x": rows["in_state"],
            "orientation": "h",
            "name": "From the candidate's state",
            "marker": {"color": theme.OKABE_ITO["blue"]},
            "customdata": share,
            "hovertemplate": "%{y}<br>In state: %{x:$,.0f} (%{customdata:.0%})<extra></extra>",
        },
        {
            "type": "bar",
            "y": names,
            "x": rows["out_of_state"],
            "orientation": "h",
            "name": "From elsewhere",
            "marker": {"color": theme.OKABE_ITO["orange"]},
            "customdata": 1 - share,
            "hovertemplate": "%{y}<br>Out of state: %{x:$,.0f} (%{customdata:.0%})<extra></extra>",
        },
    ]
    layout["yaxis"]["autorange"] = "reversed"
    name_bars_above(data, layout, names)
    layout["xaxis"].update(title={"text": "Itemized money from individuals"}, tickprefix="$", tickformat="~s")
    return theme.figure(data, layout)
