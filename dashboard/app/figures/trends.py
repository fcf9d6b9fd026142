"""Charts of the trends monitor: money over time by party, and the top races' cumulative money."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app import labels
from dashboard.app.figures import theme

# Colour never carries meaning alone: each party also gets its own line style and legend name.
DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")


def _layout(height: int = 360) -> dict:
    return theme.base_layout(
        height=height,
        margin={"l": 8, "r": 16, "t": 8, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        hovermode="x unified",
    )


def series_by_party(frame: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """What `receipts_over_time` draws, one row per day or week: `period_end`, a column per party
    (offices added up, the biggest party first) and the previous cycle's same days, all parties."""
    if frame.empty:
        return pd.DataFrame(columns=["period_end"])
    now = frame[~frame["previous_cycle"]]
    order = list(now.groupby("party")["amount"].sum().sort_values(ascending=False).index)
    wide = now.pivot_table(index="period_end", columns="party", values="amount", aggfunc="sum")
    wide = wide.reindex(columns=order).astype(float).fillna(0.0)
    before = frame[frame["previous_cycle"]].groupby("period_end")["amount"].sum().astype(float)
    wide[previous_cycle_column(cycle)] = before.reindex(wide.index.union(before.index)).reindex(wide.index)
    return wide.reset_index()


def previous_cycle_column(cycle: int) -> str:
    return f"all parties, same days of {cycle - 2}"


def receipts_over_time(wide: pd.DataFrame, by: str, cycle: int) -> go.Figure:
    """Lines of `series_by_party`: one per party for this cycle, and a grey dashed line of all
    parties on the same days of the previous cycle."""
    if wide.empty:
        return theme.empty_figure("No itemized receipts in this window")
    unit = "week ending" if by == "week" else "day"
    figure = go.Figure(layout=_layout())
    parties = [c for c in wide.columns if c not in ("period_end", previous_cycle_column(cycle))]
    for i, party in enumerate(parties):
        figure.add_scatter(
            x=wide["period_end"],
            y=wide[party],
            mode="lines+markers" if len(wide) <= 60 else "lines",
            name=f"{labels.party(party)} ({cycle})",
            line={"color": theme.party_colour(party), "dash": DASHES[i % len(DASHES)], "width": 2},
            hovertemplate=f"{labels.party(party)}: %{{y:$,.0f}} (%{{x|%Y-%m-%d}}, {unit})<extra></extra>",
        )
    before = wide[previous_cycle_column(cycle)]
    if before.notna().any():
        figure.add_scatter(
            x=wide["period_end"],
            y=before,
            mode="lines",
            name=previous_cycle_column(cycle).capitalize(),
            line={"color": theme.GREY, "dash": "dash", "width": 2},
            hovertemplate=f"{cycle - 2}, same day of the cycle: %{{y:$,.0f}}<extra></extra>",
        )
    figure.update_yaxes(
        title_text=f"Itemized receipts per {'week' if by == 'week' else 'day'}",
        tickprefix="$",
        tickformat="~s",
        rangemode="tozero",
    )
    return figure


def cumulative_races(frame: pd.DataFrame) -> go.Figure:
    """Step lines of `queries.trends.top_races_cumulative`: each race's money raised to date at
    the end of every report period, biggest race first in the legend."""
    if frame.empty:
        return theme.empty_figure("No race has reported money for these filters")
    figure = go.Figure(layout=_layout(height=420))
    figure.update_layout(hovermode="closest")
    races = frame.drop_duplicates("race_path")
    for i, race in enumerate(races.itertuples()):
        rows = frame[frame["race_path"] == race.race_path]
        figure.add_scatter(
            x=rows["date"],
            y=rows["cumulative"].astype(float),
            mode="lines",
            line_shape="hv",
            name=f"{race.race_label}: {labels.money_short(race.total)}",
            line={"color": theme.SEQUENCE[i % len(theme.SEQUENCE)], "dash": DASHES[i % len(DASHES)], "width": 2},
            hovertemplate=f"{race.race_label}: %{{y:$,.0f}} by %{{x|%Y-%m-%d}}<extra></extra>",
        )
    figure.update_yaxes(
        title_text="Raised to date (summary totals)", tickprefix="$", tickformat="~s", rangemode="tozero"
    )
    return figure
