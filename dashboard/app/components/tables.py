"""Plain, accessible HTML tables from DataFrames (real <th scope>, captions, links), headers that sort
by a link (so the sort is in the URL and a shared link reopens it), and cells that carry their
column's name, so on a phone each row reads as a card (`.cards` in assets/style.css) instead of a
grid wider than the screen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

import pandas as pd
from dash import dcc, html

from dashboard.core import params


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
    sort_link: tuple[str, str] | None = None  # (href, title) when the header is a link sorting by it


def parse_sort(value, keys: Sequence[str]) -> tuple[str, bool] | None:
    """'receipts' (ascending) or '-receipts' (descending), one of `keys`, as (key, descending);
    None when the URL has none. Anything else is an InvalidParameter."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    return params.choice(text.lstrip("-"), "sort", keys, keys[0]), text.startswith("-")


def sort_value(sort: tuple[str, bool]) -> str:
    """The URL's value for a sort: '-receipts' or 'name'."""
    return ("-" if sort[1] else "") + sort[0]


def sortable(columns: list[Column], keys: Sequence[str], sort: tuple[str, bool], href_for) -> list[Column]:
    """The columns, the headers of `keys` made links that sort by them (`href_for(sort_value)` gives
    the address). A first click sorts numbers biggest first and text from A; a click on the current
    sort reverses it."""
    sorted_columns = []
    for column in columns:
        if column.key not in keys:
            sorted_columns.append(column)
            continue
        current = sort[0] == column.key
        descending = not sort[1] if current else column.numeric
        title = f"Sort by {column.header.lower()}, {'descending' if descending else 'ascending'}"
        sorted_columns.append(
            replace(
                column,
                sort=("descending" if sort[1] else "ascending") if current else None,
                sort_link=(href_for(sort_value((column.key, descending))), title),
            )
        )
    return sorted_columns


def sort_rows(frame: pd.DataFrame, sort: tuple[str, bool]) -> pd.DataFrame:
    """The rows in the order of `sort` (key, descending), blanks last either way; ties keep the
    frame's order."""
    key, descending = sort
    return frame.sort_values(key, ascending=not descending, na_position="last", kind="stable")


def _header(column: Column):
    if column.sort_link is None:
        return column.header
    href, title = column.sort_link
    arrow = {"descending": " ▼", "ascending": " ▲"}.get(column.sort, "")
    return dcc.Link([column.header, arrow], href=href, title=title)


def table(frame: pd.DataFrame, columns: list[Column], caption: str, empty: str = "No rows."):
    if frame.empty:
        return html.P(empty, className="table-empty")
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    _header(c),
                    scope="col",
                    className="num" if c.numeric else None,
                    **({"aria-sort": c.sort} if c.sort else {}),
                )
                for c in columns
            ]
        )
    )
    body = html.Tbody([html.Tr([_cell(row, c) for c in columns]) for row in frame.to_dict("records")])
    # Cards on a phone need every column's name as text (a header made of components has none to show).
    cards = all(isinstance(c.header, str) for c in columns)
    return html.Div(
        html.Table([html.Caption(caption), head, body], className="data-table cards" if cards else "data-table"),
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
    # data-label: the header, shown before the value when a phone lays the row out as a card.
    label = {"data-label": column.header} if isinstance(column.header, str) else {}
    return html.Td(content, className="num" if column.numeric else None, **label)
