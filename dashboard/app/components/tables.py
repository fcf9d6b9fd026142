"""Plain, accessible HTML tables from DataFrames (real <th scope>, captions, links), headers that sort
by a link (so the sort is in the URL and a shared link reopens it) or by a button (a page's callback
sorts), and cells that carry their column's name, so on a phone each row reads as a card (`.cards`
in assets/style.css) instead of a grid wider than the screen.

A long table is paged (`paged_table`): one page of rows is sent and shown, buttons turn the pages
through a callback that sends that table's rows alone (`register_pager`, or the page's own callback
with `pager_outputs` and `page_parts`), and the page's CSV keeps every row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, NamedTuple, Sequence

import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

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


def _next_sort(column: Column, sort: tuple[str, bool]) -> tuple[bool, str | None, str]:
    """What a press on the column's header does: (sort descending?, the column's aria-sort now, the
    header's title). A first press sorts numbers biggest first and text from A; a press on the
    current sort reverses it."""
    current = sort[0] == column.key
    descending = not sort[1] if current else column.numeric
    now = ("descending" if sort[1] else "ascending") if current else None
    return descending, now, f"Sort by {column.header.lower()}, {'descending' if descending else 'ascending'}"


def sortable(columns: list[Column], keys: Sequence[str], sort: tuple[str, bool], href_for) -> list[Column]:
    """The columns, the headers of `keys` made links that sort by them (`href_for(sort_value)` gives
    the address)."""

    def linked(column: Column, descending: bool, now: str, title: str) -> Column:
        return replace(column, sort=now, sort_link=(href_for(sort_value((column.key, descending))), title))

    return _with_sort_headers(columns, keys, sort, linked)


def sort_buttons(columns: list[Column], keys: Sequence[str], sort: tuple[str, bool], owner: str, name: str):
    """The columns, the headers of `keys` made buttons that sort by them, for a page whose callback
    sorts (an Input of `pager_id("sort", owner, name, key=ALL)`; the pressed button's id names the
    new sort, as `sort_value` writes it)."""

    def button(column: Column, descending: bool, now: str, title: str) -> Column:
        arrow = {"descending": " \u25bc", "ascending": " \u25b2"}.get(now, "")
        pressed = html.Button(
            [column.header, arrow],
            id=pager_id("sort", owner, name, key=sort_value((column.key, descending))),
            className="sort-button",
            title=title,
            n_clicks=0,
        )
        return replace(column, header=pressed, sort=now)

    return _with_sort_headers(columns, keys, sort, button)


def _with_sort_headers(columns: list[Column], keys: Sequence[str], sort: tuple[str, bool], make) -> list[Column]:
    """The columns, each of `keys` remade by `make(column, descending next, aria-sort now, title)`."""
    return [make(column, *_next_sort(column, sort)) if column.key in keys else column for column in columns]


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


class Rows(NamedTuple):
    """A whole table: every row (a page of them shown at a time, all of them in its CSV), its columns,
    caption, what to say when there is none, and what was left out of it, if anything (" (the top 25)")."""

    frame: pd.DataFrame
    columns: list[Column]
    caption: str
    empty: str = "No rows."
    more: str = ""


PAGE_ROWS = 10  # rows a paged table shows at a time, unless its page says otherwise
PAGER_PARTS = ("rows", "status", "previous", "next", "page")


def pager_id(part: str, owner: str, name, **more) -> dict:
    """The id of a part of the paged table `name` on the page `owner` (one of PAGER_PARTS, or "sort"
    with a `key`); `name` may be a pattern (MATCH)."""
    return {"type": f"paged-table-{part}", "owner": owner, "name": name, **more}


def page_parts(rows: Rows, page: int, page_rows: int = PAGE_ROWS) -> dict:
    """What the table shows on its page number `page` (from 1, brought within its pages), by part:
    the rows as a table, the status, whether Previous and Next are at their end ("true"/"false", for
    aria-disabled) and the page number shown."""
    total = len(rows.frame)
    pages = max(1, -(-total // page_rows))
    number = min(max(1, page), pages)
    first = (number - 1) * page_rows
    shown = rows.frame.iloc[first : first + page_rows]
    return {
        "rows": table(shown, rows.columns, rows.caption, empty=rows.empty),
        "status": f"Rows {first + 1:,} to {first + len(shown):,} of {total:,}{rows.more}" if total else "No rows",
        "previous": str(number <= 1).lower(),
        "next": str(number >= pages).lower(),
        "page": number,
    }


def pager_outputs(owner: str, name) -> dict:
    """The Outputs of `page_parts`' values, by part, for the table `name` (or MATCH) of `owner`."""
    properties = {"rows": "children", "status": "children", "previous": "aria-disabled", "next": "aria-disabled"}
    return {
        **{part: Output(pager_id(part, owner, name), prop) for part, prop in properties.items()},
        "page": Output(pager_id("page", owner, name), "data"),
    }


def paged_table(
    owner: str,
    name: str,
    rows: Rows,
    page: int = 1,
    page_rows: int = PAGE_ROWS,
    pager: bool = False,
    label: str | None = None,
):
    """The table's page `page` and the buttons to the others, named `label` (default: after the
    caption). A table that fits one page has no buttons unless `pager` (a page whose callback may
    later send it other rows, and another caption: give it a `label` that stays true)."""
    parts = page_parts(rows, page, page_rows)
    if len(rows.frame) <= page_rows and not pager:
        return html.Div(parts["rows"], className="paged-table")

    def button(part: str, words: str):
        # At either end a button stays focusable (disabling it would drop the keyboard's focus) but says so.
        return html.Button(
            words,
            id=pager_id(part, owner, name),
            className="button",
            n_clicks=0,
            **{"aria-disabled": parts[part]},
        )

    return html.Div(
        [
            html.Div(parts["rows"], id=pager_id("rows", owner, name)),
            html.Nav(
                [
                    button("previous", "Previous rows"),
                    html.Span(parts["status"], id=pager_id("status", owner, name), role="status"),
                    button("next", "Next rows"),
                ],
                className="pager",
                **{"aria-label": label or f"Pages of the table: {rows.caption}"},
            ),
            dcc.Store(id=pager_id("page", owner, name), data=parts["page"]),
        ],
        className="paged-table",
    )


def turn(page: int | None) -> int:
    """The page number after the press of Previous or Next (the callback's trigger) on page `page`."""
    return (page or 1) + (-1 if ctx.triggered_id["type"] == pager_id("previous", "", "")["type"] else 1)


def register_pager(
    owner: str, rows_for: Callable[[str, object], Rows | None], context: State, page_rows: int = PAGE_ROWS
):
    """One callback turning the pages of every paged table of `owner` that only pages (no sort):
    `rows_for(name, value of context)` gives the table's rows again (None: leave it as shown)."""

    @callback(
        output=pager_outputs(owner, MATCH),
        inputs={
            "previous": Input(pager_id("previous", owner, MATCH), "n_clicks"),
            "following": Input(pager_id("next", owner, MATCH), "n_clicks"),
        },
        state={"page": State(pager_id("page", owner, MATCH), "data"), "context": context},
        prevent_initial_call=True,
    )
    def turn_page(previous, following, page, context):
        rows = rows_for(ctx.triggered_id["name"], context)
        if rows is None:
            raise PreventUpdate
        parts = page_parts(rows, turn(page), page_rows)
        if parts["page"] == page:
            raise PreventUpdate  # Previous on the first page, Next on the last
        return parts

    return turn_page
