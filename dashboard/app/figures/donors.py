"""Who gives: the top donors, employers and occupations of a candidate, as ranked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.app.figures import theme

SHOWN = 15  # bars drawn; the table and the CSV have every row


def top_bar(frame: pd.DataFrame, label_column: str, what: str, empty_label: str = "Not reported") -> go.Figure:
    """The first SHOWN rows of a ranked frame (rank, amount, n, a label column) as horizontal
    bars, biggest on top. An empty label (e.g. employer not reported) is shown as `empty_label`."""
    if frame.empty:
        return theme.empty_figure(f"No itemized {what} for this cycle")
    top = frame.head(SHOWN)
    # Numbered, so two donors with the same name (in different ZIP codes) stay two bars.
    names = [
        f"{rank}. {text if isinstance(text, str) and text else empty_label}"
        for rank, text in zip(top["rank"], top[label_column])
    ]
    figure = go.Figure(
        go.Bar(
            x=top["amount"],
            y=names,
            orientation="h",
            marker={"color": theme.OKABE_ITO["blue"]},
            customdata=top["n"],
            hovertemplate="%{y}: %{x:$,.0f} in %{customdata:,} contributions<extra></extra>",
        ),
        layout=theme.base_layout(height=max(220, 60 + 26 * len(top)), margin={"l": 8, "r": 16, "t": 8, "b": 40}),
    )
    figure.update_yaxes(autorange="reversed", type="category")
    figure.update_xaxes(title_text="Itemized contributions (net of refunds)", tickprefix="$", tickformat="~s")
    return figure
