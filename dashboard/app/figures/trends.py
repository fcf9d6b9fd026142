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
    """What `receipts_over_time` draws, one row per day or week: `period_end`, then for each party
    (offices added up, the biggest this cycle first) a column of this cycle and a column of the same
    party on the same days of the previous cycle (`previous_cycle_column`). Like is compared with
    like: each party against itself, under the same filters. A day without receipts counts 0."""
    if frame.empty:
        return pd.DataFrame(columns=["period_end"])
    totals = frame.groupby(["party", "previous_cycle"])["amount"].sum().astype(float).unstack(fill_value=0.0)
    totals = totals.reindex(columns=[False, True], fill_value=0.0)
    order = list(totals.sort_values([False, True], ascending=False).index)
    wide = frame.pivot_table(index="period_end", columns=["party", "previous_cycle"], values="amount", aggfunc="sum")
    columns = {}
    for party in order:
        for previous, name in ((False, party), (True, previous_cycle_column(party, cycle))):
            series = wide[(party, previous)] if (party, previous) in wide.columns else None
            columns[name] = (series.astype(float) if series is not None else pd.Series(dtype=float)).reindex(wide.index)
    return pd.DataFrame(columns, index=wide.index).fillna(0.0).sort_index().reset_index()


def previous_cycle_column(party: str, cycle: int) -> str:
    """The column of `party`'s money on the same days of the cycle before `cycle`."""
    return f"{party}, same days of {cycle - 2}"


def receipts_over_time(wide: pd.DataFrame, by: str, cycle: int) -> go.Figure:
    """Lines of `series_by_party`: per party, a line for this cycle and a thinner, paler one of the
    same style and colour for the same party on the same days of the previous cycle."""
    if wide.empty:
        return theme.empty_figure("No itemized receipts in this window")
    unit = "week ending" if by == "week" else "day"
    figure = go.Figure(layout=_layout())
    parties = list(wide.columns[1::2])  # this cycle's columns; each followed by its previous cycle
    markers = "lines+markers" if len(wide) <= 60 else "lines"
    for i, party in enumerate(parties):
        style = {"color": theme.party_colour(party), "dash": DASHES[i % len(DASHES)]}
        name = theme.plain(labels.party(party))
        figure.add_scatter(
            x=wide["period_end"],
            y=wide[party],
            mode=markers,
            name=f"{name} ({cycle})",
            legendgroup=party,
            line={**style, "width": 2.5},
            hovertemplate=f"{name}, {cycle}: %{{y:$,.0f}} (%{{x|%Y-%m-%d}}, {unit})<extra></extra>",
        )
        figure.add_scatter(
            x=wide["period_end"],
            y=wide[previous_cycle_column(party, cycle)],
            mode="lines",
            # Short, to fit a phone's legend: the chart's caption says these are the same days of that cycle.
            name=f"{name} ({cycle - 2})",
            legendgroup=party,
            opacity=0.55,
            line={**style, "width": 1.5},
            hovertemplate=f"{name}, {cycle - 2} (same day of the cycle): %{{y:$,.0f}}<extra></extra>",
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
        race_label = theme.plain(race.race_label)
        figure.add_scatter(
            x=rows["date"],
            y=rows["cumulative"].astype(float),
            mode="lines",
            line_shape="hv",
            name=f"{race_label}: {labels.money_short(race.total)}",
            line={"color": theme.SEQUENCE[i % len(theme.SEQUENCE)], "dash": DASHES[i % len(DASHES)], "width": 2},
            hovertemplate=f"{race_label}: %{{y:$,.0f}} by %{{x|%Y-%m-%d}}<extra></extra>",
        )
    figure.update_yaxes(
        title_text="Raised to date (summary totals)", tickprefix="$", tickformat="~s", rangemode="tozero"
    )
    return figure
