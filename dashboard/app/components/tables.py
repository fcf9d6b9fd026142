"""Plain, accessible HTML tables from DataFrames (real <th scope>, captions, links)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
from dash import dcc, html


def _as_text(value) -> str:
    if value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return "-"
    return str(value)


@dataclass(frozen=True)
class Column:
    key: str  # column of the DataFrame
    header: str
    format: Callable[[object], str] = _as_text
    link: str | None = None  # column holding the href, if the cell is a link
    numeric: bool = False  # right-aligned, tabular figures
    sort: str | None = None  # "ascending"/"descending" when the rows are sorted by it


def table(frame: pd.DataFrame, columns: list[Column], caption: str, empty: str = "No rows."):
    if frame.empty:
        return html.P(empty, className="table-empty")
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    c.header,
                    scope="col",
                    className="num" if c.numeric else None,
                    **({"aria-sort": c.sort} if c.sort else {}),
                )
                for c in columns
            ]
        )
    )
    body = html.Tbody([html.Tr([_cell(row, c) for c in columns]) for row in frame.to_dict("records")])
    return html.Div(
        html.Table([html.Caption(caption), head, body], className="data-table"),
        # Focusable so keyboard users can scroll a wide table sideways on a phone.
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": f"Table: {caption}"},
    )


def _cell(row: dict, column: Column):
    text = column.format(row.get(column.key))
    href = row.get(column.link) if column.link else None
    content = dcc.Link(text, href=href) if isinstance(href, str) and href else text
    return html.Td(content, className="num" if column.numeric else None)
