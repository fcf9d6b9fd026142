"""The one paged table (components/tables.py) that the map and the trends page share: the page shown,
its status and buttons' state, a page past the end, an empty table, and headers that sort by a button."""

from __future__ import annotations

import json

import pandas as pd
import plotly

from dashboard.app.components import tables
from dashboard.app.components.tables import Column, Rows

ROWS = Rows(
    pd.DataFrame({"name": [f"R{i:02d}" for i in range(1, 24)], "amount": range(1, 24)}),
    [Column("name", "Name"), Column("amount", "Amount", numeric=True)],
    "Twenty-three rows",
    more=" (the top 23)",
)


def shown_names(component) -> list[str]:
    text = json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    return [name for name in ROWS.frame["name"] if f'"{name}"' in text]


def test_a_page_shows_its_rows_and_says_where_it_is():
    first = tables.page_parts(ROWS, 1, 10)
    assert shown_names(first["rows"]) == [f"R{i:02d}" for i in range(1, 11)]
    assert first["status"] == "Rows 1 to 10 of 23 (the top 23)"
    assert (first["previous"], first["next"], first["page"]) == ("true", "false", 1)
    last = tables.page_parts(ROWS, 3, 10)
    assert shown_names(last["rows"]) == ["R21", "R22", "R23"]
    assert last["status"].startswith("Rows 21 to 23 of 23")
    assert (last["previous"], last["next"], last["page"]) == ("false", "true", 3)
    assert tables.page_parts(ROWS, 99, 10)["page"] == 3  # past the end: the last page
    assert tables.page_parts(ROWS, 0, 10)["page"] == 1


def test_an_empty_table_says_so():
    empty = Rows(ROWS.frame.iloc[:0], ROWS.columns, "Nothing", empty="Nothing this time.")
    parts = tables.page_parts(empty, 1, 10)
    assert parts["status"] == "No rows" and parts["next"] == "true"
    assert "Nothing this time." in json.dumps(parts["rows"].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)


def test_buttons_only_when_there_is_more_than_a_page_or_asked_for():
    def ids(component) -> list[dict]:
        text = json.dumps(component.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
        return [
            i for i in (tables.pager_id(part, "page", "list") for part in tables.PAGER_PARTS) if json.dumps(i) in text
        ]

    assert ids(tables.paged_table("page", "list", ROWS, page_rows=30)) == []
    assert len(ids(tables.paged_table("page", "list", ROWS, page_rows=10))) == len(tables.PAGER_PARTS)
    assert len(ids(tables.paged_table("page", "list", ROWS, page_rows=30, pager=True))) == len(tables.PAGER_PARTS)


def test_headers_sort_by_a_button_whose_id_names_the_next_sort():
    columns = tables.sort_buttons(ROWS.columns, ["name", "amount"], ("amount", True), "page", "list")
    name, amount = columns
    assert amount.sort == "descending" and name.sort is None
    assert amount.header.id == tables.pager_id("sort", "page", "list", key="amount")  # pressed again: ascending
    assert name.header.id == tables.pager_id("sort", "page", "list", key="name")  # text: from A first
    ascending = tables.sort_buttons(ROWS.columns, ["amount"], ("name", False), "page", "list")[1]
    assert ascending.header.id["key"] == "-amount" and ascending.sort is None  # numbers: biggest first
