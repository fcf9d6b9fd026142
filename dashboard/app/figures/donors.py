"""Who gives: the top donors, employers and occupations of a candidate, as ranked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app.figures import theme
from dashboard.app.figures.money_over_time import bar_row_height, candidate_styles, frame_label, name_bars_above

SHOWN = 15  # bars drawn; the table and the CSV have every row


def top_bar(frame: pd.DataFrame, label_column: str, what: str, empty_label: str = "Not reported") -> go.Figure:
    """The first SHOWN rows of a ranked frame (rank, amount, n, a label column) as horizontal
    bars, biggest on top. An empty label (e.g. employer not reported) is shown as `empty_label`."""
    if frame.empty:
        return theme.empty_figure(f"No itemized {what} for this cycle")
    top = frame.head(SHOWN)
    # Numbered, so two donors with the same name (in different ZIP codes) stay two bars.
    names = [
        f"{rank}. {theme.plain(text) if isinstance(text, str) and text else empty_label}"
        for rank, text in zip(top["rank"], top[label_column])
    ]
    layout = theme.base_layout(
        height=max(220, 70 + bar_row_height(names) * len(top)), margin={"l": 8, "r": 16, "t": 8, "b": 40}
    )
    layout["yaxis"].update(autorange="reversed", type="category")
    data = [
        {
            "type": "bar",
            "x": top["amount"],
            "y": names,
            "orientation": "h",
            "marker": {"color": theme.OKABE_ITO["blue"]},
            "customdata": top["n"],
            "hovertemplate": "%{y}: %{x:$,.0f} in %{customdata:,} contributions<extra></extra>",
        }
    ]
    name_bars_above(data, layout, names)
    layout["xaxis"].update(title={"text": "Itemized contributions (net of refunds)"}, tickprefix="$", tickformat="~s")
    return theme.figure(data, layout)


def race_new_donors_lines(weekly: pd.DataFrame, order: list[str], race: pd.DataFrame | None = None) -> go.Figure:
    """New itemized donors per week, one line per candidate of a race in `order`, in the colours the race
    page gives each candidate (queries.donors.race_new_donors_weekly), and the whole race's (`race`: week,
    new_donors, name) as a dotted black line."""
    if weekly.empty:
        return theme.empty_figure("No itemized gifts from individuals in this race for this cycle")
    styles = candidate_styles(order)
    layout = theme.base_layout(
        height=380,
        margin={"l": 8, "r": 16, "t": 28, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hovermode="closest",
    )
    data = []
    for cid in order:
        rows = weekly[weekly["candidate_id"] == cid]
        if rows.empty:
            continue
        label = theme.plain(frame_label(rows))
        data.append(
            {
                "type": "scatter",
                "x": pd.to_datetime(rows["week"]),
                "y": rows["new_donors"],
                "mode": "lines+markers" if len(rows) < 30 else "lines",
                "name": label,
                "line": {"color": styles[cid]["color"], "dash": styles[cid]["dash"], "width": 2.5},
                "hovertemplate": f"{label}<br>Week of %{{x|%Y-%m-%d}}: %{{y:,}} new donors<extra></extra>",
            }
        )
    if race is not None and len(race):
        label = theme.plain(race["name"].iloc[0])
        data.append(
            {
                "type": "scatter",
                "x": pd.to_datetime(race["week"]),
                "y": race["new_donors"],
                "mode": "lines",
                "name": label,
                "line": {"color": theme.OKABE_ITO["black"], "dash": "dot", "width": 2},
                "hovertemplate": f"{label}<br>Week of %{{x|%Y-%m-%d}}: %{{y:,}} new donors<extra></extra>",
            }
        )
    layout["yaxis"].update(title={"text": "New donors that week"}, rangemode="tozero")
    return theme.figure(data, layout)
