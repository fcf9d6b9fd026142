"""A chart and the same numbers as a table, with a CSV download of those numbers.

Charts are not readable by screen readers and cannot be copied from; the table and the CSV
make every number in a chart available both ways.
"""

from __future__ import annotations

import pandas as pd
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboard.app import exports
from dashboard.app.components import tables
from dashboard.app.figures.theme import GRAPH_CONFIG


def csv_text(frame: pd.DataFrame, columns: list[str]) -> str:
    """The CSV of the given columns, every figure as exact as its data (the cards round, the table
    shows cents, the CSV writes amounts to the cent and shares to 15 significant digits); a name that
    would run as a spreadsheet formula is written as text (exports.csv_safe_frame)."""
    return exports.csv_safe_frame(frame[columns]).to_csv(
        index=False, date_format="%Y-%m-%d", float_format=exports.FLOAT_FORMAT
    )


def download_button(name: str, frame: pd.DataFrame, csv_columns: list[str], filename: str, label: str = "Download CSV"):
    return html.Div(
        [
            html.Button(
                label,
                id={"type": "csv-button", "name": name},
                className="button",
                n_clicks=0,
                **{"aria-label": f"{label}: {filename}"},
            ),
            dcc.Store(
                id={"type": "csv-data", "name": name},
                data={"filename": filename, "content": csv_text(frame, csv_columns)},
            ),
            dcc.Download(id={"type": "csv-download", "name": name}),
        ],
        className="download",
    )


def reserved_height(figure) -> dict:
    """The space a chart takes before plotly.js has drawn it: its figure's height (every figure of
    dashboard/app/figures sets one), so nothing below it moves when it is drawn."""
    layout = figure.layout if hasattr(figure, "layout") else (figure or {}).get("layout", {})
    height = layout["height"] if "height" in layout else None
    return {"minHeight": f"{int(height)}px"} if height else {}


def chart_with_table(
    name: str,
    figure,
    frame: pd.DataFrame,
    columns: list[tables.Column],
    csv_columns: list[str],
    filename: str,
    caption: str,
    table_open: bool = False,
    csv_frame: pd.DataFrame | None = None,
    shown_table=None,
):
    """`name` must be unique on the page; `caption` titles both the chart and the table.
    `csv_frame` (default: `frame`) lets the CSV keep one row per observation while the table
    shows the same numbers pivoted for reading. `shown_table` replaces the plain table of `frame`
    (a paged one, say); the CSV stays whole.

    The chart keeps its figure's height from the start: charts are drawn one a frame, top first
    (assets/chart_turns.js), and one drawn below another moves nothing on the page."""
    return html.Section(
        [
            html.P(caption, className="chart-caption"),
            dcc.Graph(
                figure=figure,
                # The toolbar's PNG is named like the chart's CSV, not Plotly's "newplot.png".
                config={**GRAPH_CONFIG, "toImageButtonOptions": {"filename": filename.removesuffix(".csv")}},
                className="chart",
                id={"type": "chart", "name": name},
                style=reserved_height(figure),
            ),
            html.Details(
                [
                    html.Summary("The numbers in this chart"),
                    tables.table(frame, columns, caption) if shown_table is None else shown_table,
                ],
                open=table_open,
            ),
            download_button(name, frame if csv_frame is None else csv_frame, csv_columns, filename),
        ],
        className="twin",
        **{"aria-label": f"Chart: {caption}"},
    )


@callback(
    Output({"type": "csv-download", "name": MATCH}, "data"),
    Input({"type": "csv-button", "name": MATCH}, "n_clicks"),
    State({"type": "csv-data", "name": MATCH}, "data"),
    prevent_initial_call=True,
)
def send_csv(_n_clicks, stored):
    return {"content": stored["content"], "filename": stored["filename"], "type": "text/csv"}
