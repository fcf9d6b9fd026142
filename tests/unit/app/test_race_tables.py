"""Tables that sort by a header link (the sort in the URL) and whose cells carry their column's name
for the phone's cards (components/tables.py), as the race page uses them."""

from __future__ import annotations

import pandas as pd
import pytest
from dash import dcc, html

from dashboard.app import labels
from dashboard.app.components.tables import Column, parse_sort, sort_rows, sort_value, sortable, table
from dashboard.core import params

COLUMNS = [
    Column("name", "Candidate"),
    Column("party", "Party"),
    Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
]
KEYS = ("name", "cash_on_hand")


def frame():
    return pd.DataFrame({"name": ["B", "A", "C"], "party": ["DEM", "REP", None], "cash_on_hand": [5.0, None, 9.5]})


def test_parse_sort_reads_the_urls_value_and_refuses_other_columns():
    assert parse_sort("-cash_on_hand", KEYS) == ("cash_on_hand", True)
    assert parse_sort(" name ", KEYS) == ("name", False)
    assert parse_sort(None, KEYS) is None and parse_sort("", KEYS) is None
    with pytest.raises(params.InvalidParameter):
        parse_sort("-party", KEYS)  # a column, but not a sortable one
    assert sort_value(("cash_on_hand", True)) == "-cash_on_hand" and sort_value(("name", False)) == "name"


def test_sort_rows_puts_blanks_last_both_ways():
    assert list(sort_rows(frame(), ("cash_on_hand", True))["name"]) == ["C", "B", "A"]
    assert list(sort_rows(frame(), ("cash_on_hand", False))["name"]) == ["B", "C", "A"]
    assert list(sort_rows(frame(), ("name", False))["name"]) == ["A", "B", "C"]


def test_sortable_headers_link_to_the_next_sort_numbers_biggest_first_text_from_a():
    columns = sortable(COLUMNS, KEYS, ("cash_on_hand", True), lambda s: f"/race?sort={s}")
    name, party, cash = columns
    assert name.sort is None and name.sort_link == ("/race?sort=name", "Sort by candidate, ascending")
    assert party.sort_link is None  # not in KEYS
    # The current sort reverses on a second click.
    assert cash.sort == "descending" and cash.sort_link == (
        "/race?sort=cash_on_hand",
        "Sort by cash on hand, ascending",
    )
    first = sortable(COLUMNS, KEYS, ("name", False), lambda s: s)[2]
    assert first.sort is None and first.sort_link[0] == "-cash_on_hand"


def test_table_renders_sort_links_aria_sort_and_data_labels_for_the_cards():
    columns = sortable(COLUMNS, KEYS, ("cash_on_hand", True), lambda s: f"?sort={s}")
    rendered = table(sort_rows(frame(), ("cash_on_hand", True)), columns, "Candidates")
    head, body = rendered.children.children[1], rendered.children.children[2]
    cells = head.children.children
    assert isinstance(cells[0].children, dcc.Link) and cells[0].children.href == "?sort=name"
    assert cells[1].children == "Party"
    assert cells[2].children.children == ["Cash on hand", " ▼"] and getattr(cells[2], "aria-sort") == "descending"
    first_row = body.children[0].children
    assert [getattr(td, "data-label") for td in first_row] == ["Candidate", "Party", "Cash on hand"]
    assert [td.children for td in first_row] == ["C", "-", "$9.50"]


def test_only_tables_with_text_headers_become_cards_on_a_phone():
    assert table(frame(), COLUMNS, "Candidates").children.className == "data-table cards"
    # A header made of components (a button) has no text for the card to name its value by.
    button = Column("name", html.Button("Candidate"))
    plain = table(frame(), [button, *COLUMNS[1:]], "Candidates")
    assert plain.children.className == "data-table"
    assert not hasattr(plain.children.children[2].children[0].children[0], "data-label")
