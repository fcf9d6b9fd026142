"""Money over time: a race's candidates side by side, and one candidate report by report.

Report-period ends (when each report's books close) and election day are marked on the race
charts, so a jump can be read against the calendar.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard.app.figures import theme

DASHES = ("solid", "dash", "dot", "dashdot")
PATTERNS = ("", "/", ".", "x")  # bar fills, for candidates of one party


def candidate_label(name, party, incumbent_challenge=None) -> str:
    """'SMITH, JOHN (DEM)', 'SMITH, JOHN (DEM, incumbent)': the party is always named, never shown
    by colour alone, and an incumbent is marked wherever the frame says so."""
    notes = [party] if isinstance(party, str) and party else []
    if incumbent_challenge == "I":
        notes.append("incumbent")
    return f"{name} ({', '.join(notes)})" if notes else str(name)


def candidate_styles(order: Sequence[str] | Mapping[str, str | None]) -> dict[str, dict]:
    """A colour, a line dash and a bar pattern per candidate, so the same candidate looks the same
    in every chart of a page. `order` is the candidates' ids in page order, or a mapping of each id
    to its party code (what the race page passes): then each candidate gets its party's colour,
    counted in that order within each party: the second of a party the party's darker shade, the
    third and fourth those shades again with dashed lines; in bars every one after the first of its
    party is patterned too. Without parties, colours follow the order (a dash too past eight)."""
    styles, seen = {}, {}
    for i, cid in enumerate(order):
        if isinstance(order, Mapping):
            party = order[cid] if order[cid] in theme.PARTY_SHADES else None  # other parties share grey
            shades, k = theme.party_shades(party), seen.get(party, 0)
            seen[party] = k + 1
            color, dash, pattern = shades[k % len(shades)], (k // len(shades)) % len(DASHES), k % len(PATTERNS)
        else:
            color, dash = theme.SEQUENCE[i % len(theme.SEQUENCE)], (i // len(theme.SEQUENCE)) % len(DASHES)
            pattern = dash
        styles[cid] = {"color": color, "dash": DASHES[dash], "pattern": PATTERNS[pattern]}
    return styles


NAME_LINE = 40  # characters of a bar's name on one line: 13px text across a 390px phone


def bar_row_height(names: list[str]) -> int:
    """Pixels per bar of a chart named by name_bars_above: room for a name of two lines if one needs them."""
    return 40 if all(len(name) <= NAME_LINE for name in names) else 60


def name_bars_above(data: list[dict], layout: dict, names: list[str], row: int = 1) -> None:
    """Horizontal bars (their axis top down) named above each bar rather than beside it: a long
    name beside a bar leaves it no room on a phone, and would be cut; a name longer than NAME_LINE
    takes two lines (give the rows bar_row_height). Row `row` of a stacked subplot figure; every bar
    trace of the row is drawn in the lower half of its category. `names` are the bars' categories,
    already made plain text (theme.plain). Changes the traces and the layout of a figure not made yet
    (theme.figure)."""
    suffix = "" if row == 1 else str(row)
    for trace in data:
        if trace["type"] == "bar" and trace.get("yaxis", "y") == f"y{suffix}":
            trace.update(width=0.45, offset=0.05)
    layout.setdefault(f"yaxis{suffix}", {}).update(showticklabels=False, showgrid=False)
    add_to_layout(
        layout,
        annotations=[
            {
                "x": 0,
                "xref": f"x{suffix} domain",
                "y": name,
                "yref": f"y{suffix}",
                "yshift": 2,
                "text": "<br>".join(textwrap.wrap(name, NAME_LINE)) or name,
                "showarrow": False,
                "xanchor": "left",
                "align": "left",
                "yanchor": "bottom",
                "font": {"size": 13},
            }
            for name in names
        ],
    )


def add_to_layout(layout: dict, shapes=(), annotations=()) -> None:
    """Shapes and annotations (dicts) added to the layout of a figure not made yet (theme.figure)."""
    if shapes:
        layout["shapes"] = [*layout.get("shapes", ()), *shapes]
    if annotations:
        layout["annotations"] = [*layout.get("annotations", ()), *annotations]


def report_markers(periods: pd.DataFrame) -> list[tuple[date, str]]:
    """(coverage end, report type) of every report period in the frame, earliest first."""
    if periods.empty:
        return []
    ends = periods[["coverage_end", "report_type"]].dropna().drop_duplicates("coverage_end").sort_values("coverage_end")
    return [(pd.Timestamp(end).date(), str(kind)) for end, kind in ends.itertuples(index=False)]


def _mark_calendar(layout: dict, markers: list[tuple[date, str]], election_day: str | None) -> None:
    shapes, notes = [], []
    for end, kind in markers:
        shapes.append(_vertical_line(end.isoformat(), {"color": theme.GREY, "width": 1, "dash": "dot"}))
        notes.append(
            {
                "x": end.isoformat(),
                "y": 1,
                "yref": "paper",
                "text": theme.plain(kind),
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 11, "color": theme.GREY},
            }
        )
    if election_day:
        shapes.append(_vertical_line(election_day, {"color": theme.OKABE_ITO["black"], "width": 2}))
        notes.append(
            {
                "x": election_day,
                "y": 0.5,
                "yref": "paper",
                "text": "Election day",
                "showarrow": False,
                "textangle": -90,
                "xanchor": "right",
                "font": {"size": 12},
            }
        )
    add_to_layout(layout, shapes=shapes, annotations=notes)


def _vertical_line(x: str, line: dict) -> dict:
    """A line across the whole height of a one-plot chart at date `x` (what add_vline draws)."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}


def frame_label(rows: pd.DataFrame) -> str:
    """candidate_label of the first row of a candidate's rows (incumbency marked if the frame has it)."""
    first = rows.iloc[0]
    return candidate_label(first["name"], first["party"], first.get("incumbent_challenge"))


def _lines(frame: pd.DataFrame, y: str, order: Sequence[str] | Mapping[str, str | None], hover_what: str) -> list[dict]:
    styles = candidate_styles(order)
    traces = []
    for cid in order:
        rows = frame[frame["candidate_id"] == cid]
        if rows.empty:
            continue
        label = theme.plain(frame_label(rows))
        traces.append(
            {
                "type": "scatter",
                "x": rows["x"],
                "y": rows[y],
                "mode": "lines+markers" if len(rows) < 30 else "lines",
                "name": label,
                "line": {"color": styles[cid]["color"], "dash": styles[cid]["dash"], "width": 2.5},
                "hovertemplate": f"{label}<br>%{{x|%Y-%m-%d}}: %{{y:$,.0f}} {hover_what}<extra></extra>",
            }
        )
    return traces


def _layout(height: int = 420) -> dict:
    return theme.base_layout(
        height=height,
        margin={"l": 8, "r": 16, "t": 28, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        hovermode="closest",
    )


def race_cumulative_receipts(periods: pd.DataFrame, order, election_day: str | None) -> go.Figure:
    """Receipts to date of every candidate at the end of each report period
    (`queries.races.race_periods`), one line per candidate in `order` (see candidate_styles)."""
    if periods.empty:
        return theme.empty_figure("No candidate in this race has filed a report for this cycle")
    frame = periods.assign(x=pd.to_datetime(periods["coverage_end"]))
    layout = _layout()
    layout["yaxis"].update(
        title={"text": "Raised to date (all receipts)"}, tickprefix="$", tickformat="~s", rangemode="tozero"
    )
    _mark_calendar(layout, report_markers(periods), election_day)
    return theme.figure(_lines(frame, "receipts_to_date", order, "raised to date"), layout)


def race_weekly_receipts(weekly: pd.DataFrame, order, periods: pd.DataFrame, election_day: str | None) -> go.Figure:
    """Itemized individual money per week of every candidate (`queries.races.race_weekly`)."""
    if weekly.empty:
        return theme.empty_figure("No itemized contributions from individuals in this race for this cycle")
    frame = weekly.assign(x=pd.to_datetime(weekly["week"]))
    layout = _layout()
    layout["yaxis"].update(
        title={"text": "Itemized individual money per week"}, tickprefix="$", tickformat="~s", rangemode="tozero"
    )
    _mark_calendar(layout, report_markers(periods), election_day)
    return theme.figure(_lines(frame, "amount", order, "itemized that week"), layout)


def period_label(report_year, report_type) -> str:
    """'2024 Q1', '2024 12G' (pre-general), '2024 YE' (year end)."""
    return f"{int(report_year)} {report_type}"


def candidate_periods_chart(periods: pd.DataFrame) -> go.Figure:
    """Raised and spent in each report period as bars, cash on hand at each period's end as a
    line (`queries.candidates.candidate_periods`)."""
    if periods.empty:
        return theme.empty_figure("No reports filed for this cycle yet")
    x = [theme.plain(period_label(y, t)) for y, t in zip(periods["report_year"], periods["report_type"])]
    layout = _layout(height=380)
    layout.update(barmode="group", hovermode="x unified")
    layout["yaxis"].update(tickprefix="$", tickformat="~s", rangemode="tozero")
    layout["xaxis"]["type"] = "category"
    return theme.figure(
        [
            {
                "type": "bar",
                "x": x,
                "y": periods["receipts"],
                "name": "Raised in the period",
                "marker": {"color": theme.OKABE_ITO["blue"]},
                "hovertemplate": "%{x}: %{y:$,.0f} raised<extra></extra>",
            },
            {
                "type": "bar",
                "x": x,
                "y": periods["disbursements"],
                "name": "Spent in the period",
                "marker": {"color": theme.OKABE_ITO["orange"]},
                "hovertemplate": "%{x}: %{y:$,.0f} spent<extra></extra>",
            },
            {
                "type": "scatter",
                "x": x,
                "y": periods["cash_on_hand_end"],
                "name": "Cash on hand at the period's end",
                "mode": "lines+markers",
                "line": {"color": theme.OKABE_ITO["black"], "width": 2.5},
                "marker": {"symbol": "diamond", "size": 8},
                "hovertemplate": "%{x}: %{y:$,.0f} cash on hand<extra></extra>",
            },
        ],
        layout,
    )
