"""Outside spending: money spent for and against candidates by others, beside the candidates' own.

Every chart keeps the two sides apart and says which is which in words and line style, never by
colour alone: for a candidate is a dashed line (triangles up), against a dotted line (triangles
down). In race charts a candidate keeps the colour the other race charts give them. Money from
24/48-hour notices not yet in a regular report is drawn apart, named as such, never added to the
regular reports' lines.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app import labels
from dashboard.app.figures import theme
from dashboard.app.figures.money_over_time import (
    _layout,
    _mark_calendar,
    bar_row_height,
    candidate_label,
    candidate_styles,
    frame_label,
    name_bars_above,
    report_markers,
)

NOTICE_NAME = "from 24/48-hour notices, not yet in a regular report"
# A legend entry does not wrap, and on a phone the legend under a chart starts after the money axis'
# labels, leaving it about 290 px: a line of an entry holds about this many characters. The
# notice-only line's entry is short (the chart's caption and the line's hover say what it is).
LEGEND_LINE = 26
NOTICE_LEGEND = "24/48-hour notices"
SIDES = {
    "S": {"word": "for", "dash": "dash", "symbol": "triangle-up", "color": theme.OKABE_ITO["bluish_green"]},
    "O": {"word": "against", "dash": "dot", "symbol": "triangle-down", "color": theme.OKABE_ITO["reddish_purple"]},
}
SHOWN = 15  # bars drawn; the table and the CSV have every row
# Bar charts name their sides above the bars: below, the legend would sit on the axis title.
LEGEND_ABOVE = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"}


def legend_name(label: str, what: str) -> str:
    """'label: what' (`what` may hold a <br>), on two lines, 'label:' then 'what', when too long for
    a phone's legend on one."""
    first_line = f"{label}: {what.split('<br>')[0]}"
    return f"{label}:<br>{what}" if len(first_line) > LEGEND_LINE else f"{label}: {what}"


def side_word(code) -> str:
    """'for' or 'against'."""
    return SIDES[code]["word"] if code in SIDES else str(code)


def _money_axis(layout: dict, title: str) -> None:
    layout["yaxis"].update(title={"text": title}, tickprefix="$", tickformat="~s", rangemode="tozero")


def _outside_lines(rows: pd.DataFrame, side: str, label: str, color: str, show_notices: bool) -> list[dict]:
    """The running total of one side (regular reports), and the notice-only money's running total
    as its own line (thin, open markers) when there is any; with `show_notices` False that line is
    hidden until its legend entry is clicked. `label` is plain text already (theme.plain)."""
    style = SIDES[side]
    traces = []
    x = pd.to_datetime(rows["date"])
    name = f"{label}: outside money {style['word']}"
    traces.append(
        {
            "type": "scatter",
            "x": x,
            "y": rows["amount_to_date"],
            "mode": "lines+markers",
            "line": {"color": color, "dash": style["dash"], "width": 2, "shape": "hv"},
            "marker": {"symbol": style["symbol"], "size": 7, "color": color},
            "name": legend_name(label, f"outside money {style['word']}"),
            "hovertemplate": f"{name}<br>%{{x|%Y-%m-%d}}: %{{y:$,.0f}} to date<extra></extra>",
        }
    )
    if rows["notice_amount"].sum() > 0:
        noticed = f"{label}: {style['word']}, {NOTICE_NAME}"
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": rows["notice_amount_to_date"],
                "mode": "lines+markers",
                "line": {"color": color, "dash": style["dash"], "width": 1, "shape": "hv"},
                "marker": {"symbol": f"{style['symbol']}-open", "size": 7, "color": color},
                "name": legend_name(label, f"{style['word']},<br>{NOTICE_LEGEND}"),
                "visible": True if show_notices else "legendonly",
                "hovertemplate": f"{noticed}<br>%{{x|%Y-%m-%d}}: %{{y:$,.0f}} to date<extra></extra>",
            }
        )
    return traces


def race_timeline(periods: pd.DataFrame, daily: pd.DataFrame, order: list[str], election_day: str | None) -> go.Figure:
    """One chart of the race: each candidate's receipts to date at the end of each report (solid,
    `queries.races.race_periods`) and the outside money for (dashed) and against (dotted) them to
    date (`queries.outside.race_outside_daily`), one colour per candidate in `order`. Notice-only
    money is in the legend, hidden until clicked: it is not in the regular reports' lines."""
    if periods.empty and daily.empty:
        return theme.empty_figure("No reports and no outside spending in this race for this cycle")
    styles = candidate_styles(order)
    layout, data = _layout(height=480), []
    for cid in order:
        own = periods[periods["candidate_id"] == cid]
        spent = daily[daily["candidate_id"] == cid]
        if own.empty and spent.empty:
            continue
        first = own if not own.empty else spent
        label = theme.plain(frame_label(first))
        color = styles[cid]["color"]
        if not own.empty:
            data.append(
                {
                    "type": "scatter",
                    "x": pd.to_datetime(own["coverage_end"]),
                    "y": own["receipts_to_date"],
                    "mode": "lines+markers",
                    "line": {"color": color, "dash": styles[cid]["dash"], "width": 3},
                    "marker": {"symbol": "circle", "size": 7},
                    "name": legend_name(label, "raised"),
                    "hovertemplate": f"{label}<br>%{{x|%Y-%m-%d}}: %{{y:$,.0f}} raised to date<extra></extra>",
                }
            )
        for side in SIDES:
            rows = spent[spent["support_oppose"] == side]
            if not rows.empty:
                data += _outside_lines(rows, side, label, color, show_notices=False)
    _money_axis(layout, "To date")
    _mark_calendar(layout, report_markers(periods), election_day)
    return theme.figure(data, layout)


def cumulative_for_against(daily: pd.DataFrame, subject: str, who: str = "All spenders") -> go.Figure:
    """Outside money for and against `subject` to date (`queries.outside.candidate_outside_daily`
    or `spender_outside_daily`), spent by `who`: one line a side from regular reports, and
    notice-only money as its own thinner line."""
    if daily.empty:
        return theme.empty_figure(f"No independent expenditures reported {subject}")
    layout, data = _layout(height=380), []
    for side, style in SIDES.items():
        rows = daily[daily["support_oppose"] == side]
        if not rows.empty:
            data += _outside_lines(rows, side, theme.plain(who), style["color"], show_notices=True)
    _money_axis(layout, "Outside money to date")
    return theme.figure(data, layout)


def for_against_bars(frame: pd.DataFrame, label_column: str, subject: str) -> go.Figure:
    """Money for and against as horizontal bars, one per row of `frame` (columns `label_column`,
    support_oppose, amount, n): the SHOWN biggest, both sides together, the side named in each bar's
    label and drawn plain (for) or hatched (against)."""
    if frame.empty:
        return theme.empty_figure(f"No independent expenditures reported {subject}")
    top = frame.sort_values("amount", ascending=False, kind="stable").head(SHOWN)
    names = [
        f"{i}. {theme.plain(text)} ({side_word(side)})"
        for i, (text, side) in enumerate(zip(top[label_column], top["support_oppose"]), 1)
    ]
    layout = theme.base_layout(
        height=max(220, 80 + bar_row_height(names) * len(top)), margin={"l": 8, "r": 16, "t": 36, "b": 40}
    )
    data = []
    for side, style in SIDES.items():
        rows = top["support_oppose"] == side
        if not rows.any():
            continue
        data.append(
            {
                "type": "bar",
                "x": top.loc[rows, "amount"],
                "y": [name for name, keep in zip(names, rows) if keep],
                "orientation": "h",
                "name": f"Spent {style['word']}",
                "marker": {"color": style["color"], "pattern": {"shape": "" if side == "S" else "/"}},
                "text": [labels.money_short(a) for a in top.loc[rows, "amount"]],
                "textposition": "auto",
                "customdata": top.loc[rows, "n"],
                "hovertemplate": f"%{{y}}: %{{x:$,.0f}} {style['word']} in %{{customdata:,}} expenditures"
                "<extra></extra>",
            }
        )
    layout["yaxis"].update(autorange="reversed", type="category", categoryorder="array", categoryarray=names)
    name_bars_above(data, layout, names)
    layout["xaxis"].update(title={"text": "Outside money (regular reports)"}, tickprefix="$", tickformat="~s")
    layout.update(barmode="overlay", legend=LEGEND_ABOVE)
    return theme.figure(data, layout)


def race_money_bars(candidates: pd.DataFrame) -> go.Figure:
    """Per candidate of a race (`queries.outside.race_outside_candidates`): what the campaign raised
    and what others spent for and against them, stacked: all the money around each candidate."""
    if candidates.empty:
        return theme.empty_figure("No candidates in this race")
    names = [theme.plain(candidate_label(n, p)) for n, p in zip(candidates["name"], candidates["party"])]
    layout = theme.base_layout(height=max(220, 100 + 44 * len(names)), margin={"l": 8, "r": 16, "t": 36, "b": 40})
    parts = (
        ("receipts", "Raised by the campaign", theme.OKABE_ITO["sky_blue"], ""),
        ("support", "Spent for by others", SIDES["S"]["color"], ""),
        ("oppose", "Spent against by others", SIDES["O"]["color"], "/"),
    )
    data = [
        {
            "type": "bar",
            "x": candidates[column].fillna(0),
            "y": names,
            "orientation": "h",
            "name": name,
            "marker": {"color": color, "pattern": {"shape": pattern}},
            "hovertemplate": f"%{{y}}: %{{x:$,.0f}} {name.lower()}<extra></extra>",
        }
        for column, name, color, pattern in parts
    ]
    layout["yaxis"].update(autorange="reversed", type="category")
    name_bars_above(data, layout, names)
    layout["xaxis"].update(
        title={"text": "Money (raised: all receipts;<br>outside: regular reports)"}, tickprefix="$", tickformat="~s"
    )
    layout.update(barmode="stack", legend=LEGEND_ABOVE)
    return theme.figure(data, layout)
