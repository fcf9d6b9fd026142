"""Charts about races: the biggest races of a cycle, the candidates of one race."""

from __future__ import annotations

import copy
import functools

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.app import labels
from dashboard.app.figures import money_over_time, theme


def _bars(names: list[str], amounts: list[float], parties: list, hover: list[str], x_title: str) -> go.Figure:
    """Horizontal bars, biggest on top, coloured by party with the party named in the hover.
    No title inside the figure: the page's caption above it wraps on a phone, SVG text does not."""
    layout = theme.base_layout(height=max(200, 60 + 34 * len(names)), margin={"l": 8, "r": 16, "t": 8, "b": 40})
    layout["yaxis"]["autorange"] = "reversed"
    layout["xaxis"].update(title={"text": x_title}, tickprefix="$", tickformat="~s")
    bars = {
        "type": "bar",
        "x": amounts,
        "y": names,
        "orientation": "h",
        "marker": {"color": [theme.party_colour(p) for p in parties]},
        "text": [labels.money_short(a) for a in amounts],
        "textposition": "auto",
        "hovertext": hover,
        "hoverinfo": "text",
    }
    return theme.figure([bars], layout)


def top_races_bar(races: pd.DataFrame, cycle: int) -> go.Figure:
    """Races of `queries.races.top_races`, one bar each (total receipts of all candidates)."""
    if races.empty:
        return theme.empty_figure(f"No races with money reported for {cycle}")
    hover = [
        f"{theme.plain(row.race_label)}: {labels.money(row.receipts)} raised by {row.n_candidates} "
        f"candidates; leader {theme.plain(row.leader_name)} ({theme.plain(labels.party(row.leader_party))})"
        for row in races.itertuples()
    ]
    return _bars(
        [theme.plain(label) for label in races["race_label"]],
        list(races["receipts"]),
        list(races["leader_party"]),
        hover,
        "Raised by all candidates (summary totals)",
    )


# The race page's candidate chart: one panel per figure, in this order, all on one money scale.
CANDIDATE_MONEY = (
    ("receipts", "Raised", "raised"),
    ("disbursements", "Spent", "spent"),
    ("cash_on_hand", "Cash on hand", "cash on hand"),
)


def race_candidates_money(candidates: pd.DataFrame, order) -> go.Figure:
    """Raised, spent and cash on hand of each candidate of a race (`queries.races.race_candidates`),
    one panel each, stacked so a phone gives every panel its full width, on one money scale so the
    panels compare; candidates in the frame's order, top down, in the colours of
    `money_over_time.candidate_styles(order)` (the race's other charts use the same). Each bar is
    named above it (party named, incumbents marked), not beside it: a long name beside a bar would
    leave it no room on a phone. Candidates without reports are left out."""
    keys = [key for key, _, _ in CANDIDATE_MONEY]
    reported = candidates.dropna(subset=keys, how="all")
    if reported.empty:
        return theme.empty_figure("No candidate in this race has reported money yet")
    styles = money_over_time.candidate_styles(order)
    names = [
        theme.plain(money_over_time.candidate_label(row.name, row.party, row.incumbent_challenge))
        for row in reported.itertuples()
    ]
    colours = [styles[cid]["color"] for cid in reported["candidate_id"]]
    patterns = [styles[cid]["pattern"] for cid in reported["candidate_id"]]
    panel_height = (money_over_time.bar_row_height(names) + 4) * len(reported) + 30
    layout = copy.deepcopy(_panels(min(0.3, 64 / (panel_height * len(CANDIDATE_MONEY)))))
    base = theme.base_layout(
        height=len(CANDIDATE_MONEY) * panel_height + 100, margin={"l": 8, "r": 16, "t": 28, "b": 48}
    )
    layout["xaxis"].update(base.pop("xaxis"))
    layout["yaxis"].update(base.pop("yaxis"))
    layout.update(base)
    values = reported[keys].stack()
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    data = []
    for row, (key, _title, words) in enumerate(CANDIDATE_MONEY, start=1):
        suffix = "" if row == 1 else str(row)
        amounts = list(reported[key])
        data.append(
            {
                "type": "bar",
                "x": amounts,
                "y": names,
                "orientation": "h",
                "marker": {"color": colours, "pattern": {"shape": patterns, "fgcolor": "#ffffff", "solidity": 0.3}},
                "text": ["not reported" if pd.isna(a) else labels.money_short(a) for a in amounts],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": [
                    f"{name}: {words} not reported" if pd.isna(a) else f"{name}: {labels.money(a)} {words}"
                    for name, a in zip(names, amounts)
                ],
                "hoverinfo": "text",
                "name": words,
                "showlegend": False,
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
            }
        )
        layout[f"yaxis{suffix}"]["autorange"] = "reversed"
        money_over_time.name_bars_above(data, layout, names, row)
        # Room right of the longest bar for its amount, which sits outside the bar.
        layout[f"xaxis{suffix}"].update(
            range=[low * 1.25, high * 1.25 or 1],
            tickprefix="$",
            tickformat="~s",
            gridcolor="#e5e5e5",
            zerolinecolor="#bdbdbd",
            automargin=True,
        )
    layout[f"xaxis{len(CANDIDATE_MONEY)}"]["title"] = {"text": "Summary totals, all receipts"}
    return theme.figure(data, layout)


@functools.lru_cache(maxsize=64)
def _panels(vertical_spacing: float) -> dict:
    """The layout make_subplots gives the candidates' panels (their axes, where each sits, their
    titles) at this spacing, titled at the left edge: it makes a whole figure for these few numbers
    (10 ms), and a race's spacing is one of a few (it follows the number of candidates). Copy it."""
    panels = make_subplots(
        rows=len(CANDIDATE_MONEY),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=vertical_spacing,
        subplot_titles=[title for _, title, _ in CANDIDATE_MONEY],
    )
    # Panel titles at the left edge, above their bars, not centred over a narrow plot.
    panels.update_annotations(x=0, xanchor="left", font={"size": 15, "weight": "bold"})
    layout = panels.to_dict()["layout"]
    layout.pop("template", None)  # theme.figure gives the figure Plotly's own again
    return layout
