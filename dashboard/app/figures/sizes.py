"""Contributions by size: how much of a campaign's individual money came in small gifts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app.figures import theme
from dashboard.app.figures.money_over_time import frame_label, name_bars_above
from dashboard.core import contract

# Ordered buckets in colour-blind-safe colours, small gifts in blue, the largest in vermillion.
BUCKET_COLOURS = [theme.OKABE_ITO[name] for name in ("blue", "sky_blue", "bluish_green", "orange", "vermillion")]


def bucket_name(size_bucket: int, size_label: str) -> str:
    """The bucket's label; the smallest says that it includes unitemized money."""
    return f"{size_label} (incl. unitemized)" if int(size_bucket) == 0 else str(size_label)


def race_sizes_bar(sizes: pd.DataFrame, order: list[str]) -> go.Figure:
    """One stacked bar per candidate of the race (`queries.races.race_sizes`), in `order`."""
    if sizes.empty or not sizes["amount"].fillna(0).any():
        return theme.empty_figure("No money from individuals reported in this race yet")
    names = {cid: theme.plain(frame_label(rows)) for cid, rows in sizes.groupby("candidate_id", sort=False)}
    ordered = [cid for cid in order if cid in names]
    layout = theme.base_layout(
        height=max(240, 140 + 40 * len(ordered)),
        barmode="stack",
        margin={"l": 8, "r": 16, "t": 64, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
    )
    # One row per candidate in `order`, one column per bucket (0 where a candidate has none), reshaped once.
    wide = sizes.pivot(index="candidate_id", columns="size_bucket", values=["amount", "share"])
    buckets = [bucket for bucket, _ in contract.SIZE_BUCKETS]
    amounts = wide["amount"].reindex(index=ordered, columns=buckets).fillna(0)
    shares = wide["share"].reindex(index=ordered, columns=buckets).fillna(0)
    data = []
    for bucket, label in contract.SIZE_BUCKETS:
        name = bucket_name(bucket, label)
        data.append(
            {
                "type": "bar",
                "y": [names[c] for c in ordered],
                "x": amounts[bucket],
                "orientation": "h",
                "name": name,
                "marker": {"color": BUCKET_COLOURS[bucket]},
                "customdata": shares[bucket],
                "hovertemplate": f"%{{y}}<br>{name}: %{{x:$,.0f}} (%{{customdata:.0%}})<extra></extra>",
            }
        )
    layout["yaxis"]["autorange"] = "reversed"
    name_bars_above(data, layout, [names[c] for c in ordered])
    layout["xaxis"].update(title={"text": "Money from individuals"}, tickprefix="$", tickformat="~s")
    return theme.figure(data, layout)


def candidate_sizes_bar(sizes: pd.DataFrame) -> go.Figure:
    """One bar per size bucket (`queries.candidates.candidate_sizes`)."""
    if sizes.empty or not sizes["amount"].fillna(0).any():
        return theme.empty_figure("No money from individuals reported for this cycle yet")
    names = [bucket_name(bucket, label) for bucket, label in zip(sizes["size_bucket"], sizes["size_label"])]
    layout = theme.base_layout(height=340, margin={"l": 8, "r": 16, "t": 8, "b": 40})
    layout["yaxis"].update(title={"text": "Money from individuals"}, tickprefix="$", tickformat="~s")
    layout["xaxis"]["type"] = "category"
    bars = {
        "type": "bar",
        "x": names,
        "y": sizes["amount"],
        "marker": {"color": [BUCKET_COLOURS[int(b)] for b in sizes["size_bucket"]]},
        "customdata": sizes["share"].fillna(0),
        "text": [f"{s:.0%}" for s in sizes["share"].fillna(0)],
        "textposition": "auto",
        "hovertemplate": "%{x}: %{y:$,.0f} (%{customdata:.0%})<extra></extra>",
    }
    return theme.figure([bars], layout)
