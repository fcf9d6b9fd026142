"""The map page's partial updates, on the small demo snapshot: a switch sends a Patch that turns the
drawn figure into the new one exactly (values, colours, words; never geometry), a new figure only
when the seats or geometry differ; the table is a page of rows sorted on the server; the address
names the view and parses back to it."""

from __future__ import annotations

import copy
import gzip
import json
from urllib.parse import parse_qsl, urlsplit

import plotly
import pytest
from dash import Patch

from dashboard.app.components import district_map
from dashboard.app.queries import maps


@pytest.fixture(scope="module")
def map_page(small_snapshot):
    import app  # noqa: F401  (the Dash app registers the pages)
    from pages import map as map_page

    return map_page


def apply(figure: dict, patch: Patch) -> dict:
    """The figure after the browser applies the Patch's assignments."""
    result = copy.deepcopy(figure)
    for operation in patch.to_plotly_json()["operations"]:
        assert operation["operation"] == "Assign", operation
        *path, last = operation["location"]
        target = result
        for step in path:
            target = target[step]
        target[last] = operation["params"]["value"]
    return result


def as_json(value) -> bytes:
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder).encode()


@pytest.mark.parametrize("view", ["hex"])
def test_a_metric_switch_patches_values_colours_and_words_into_the_same_figure(map_page, view):
    rows = maps.map_rows(2024, "H")
    before = district_map.draw_map(2024, "H", "receipts", view, None, rows)
    after = district_map.draw_map(2024, "H", "cash_on_hand", view, None, rows)
    assert before.shape == after.shape
    patch = map_page._figure_update(after, before.shape, same_cycle=True)
    assert isinstance(patch, Patch)
    operations = patch.to_plotly_json()["operations"]
    changed = {tuple(op["location"][:2]) for op in operations}
    assert changed == {("data", 0)}  # the seats' trace only: outlines and labels stay as drawn
    assert {op["location"][2] for op in operations} <= set(district_map.SEAT_TRACE_FIELDS) - {"customdata"}
    assert as_json(apply(before.figure, patch)) == as_json(after.figure)
    assert before.figure["data"][0]["z"] != after.figure["data"][0]["z"]


def test_a_cycle_switch_also_patches_the_race_links(map_page):
    before = district_map.draw_map(2024, "H", "receipts", "hex", None, maps.map_rows(2024, "H"))
    after = district_map.draw_map(2022, "H", "receipts", "hex", None, maps.map_rows(2022, "H"))
    assert before.shape == after.shape  # the same seats: 2022 and 2024 elect the same Congress's districts
    patch = map_page._figure_update(after, before.shape, same_cycle=False)
    assert "customdata" in {op["location"][2] for op in patch.to_plotly_json()["operations"]}
    assert as_json(apply(before.figure, patch)) == as_json(after.figure)


def test_other_seats_get_a_new_figure(map_page):
    house = district_map.draw_map(2024, "H", "receipts", "hex", None, maps.map_rows(2024, "H"))
    senate = district_map.draw_map(2024, "S", "receipts", "hex", None, maps.map_rows(2024, "S"))
    assert house.shape != senate.shape
    assert map_page._figure_update(senate, house.shape, same_cycle=True) is senate.figure


def test_a_metric_switch_answer_is_small(map_page):
    """What a metric switch sends (the Patch, the new legend and caption, the table's page), compressed."""
    rows = maps.map_rows(2024, "H")
    before = map_page.parse_query(2024)
    after = map_page.parse_query(2024, metric="cash_on_hand")
    old_drawn = district_map.draw_map(2024, "H", "receipts", "geo", None, rows)
    parts, drawn, caption = map_page.map_parts(after, rows)
    answer = {
        "figure": map_page._figure_update(drawn, old_drawn.shape, same_cycle=True),
        **{name: parts[name] for name in ("map-caption", "map-note", "map-legend")},
        **map_page.table_parts(after, rows, caption),
    }
    assert before.metric != after.metric
    assert len(gzip.compress(as_json(answer))) < 30_000


def test_the_table_is_one_page_of_rows_sorted_on_the_server(map_page):
    rows = maps.map_rows(2024, "H")
    first = map_page.table_parts(map_page.parse_query(2024), rows, "caption")
    assert first["table-status"] == "Rows 1 to 25 of 437"
    assert (first["table-previous"], first["table-next"]) == ("true", "false")  # aria-disabled
    last = map_page.table_parts(map_page.parse_query(2024, sort="race_label", page="18"), rows, "caption")
    assert last["table-status"] == "Rows 426 to 437 of 437" and last["table-page"] == 18
    assert (last["table-previous"], last["table-next"]) == ("false", "true")
    beyond = map_page.table_parts(map_page.parse_query(2024, page="40"), rows, "caption")
    assert beyond["table-page"] == 18  # a page past the end shows the last
    body = json.dumps(last["table-rows"].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    assert "/race/house/WY/00/2024" in body and "/race/house/AL/01/2024" not in body


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"metric": "cash_on_hand"},
        {"office": "senate", "view": "hex", "sort": "race_label", "page": "2"},
        {"state": "CA", "metric": "small_share", "sort": "-receipts"},
    ],
)
def test_the_address_names_the_view_and_parses_back_to_it(map_page, values):
    query = map_page.parse_query(2024, **values)
    path = query.path()
    assert urlsplit(path).path == "/map"
    assert map_page.parse_query(**dict(parse_qsl(urlsplit(path).query))) == query
    assert "sort=" not in path or query.sort != f"-{query.metric}"  # the metric's own order goes unsaid
