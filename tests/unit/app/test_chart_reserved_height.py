"""A chart keeps its figure's height before plotly.js draws it (charts are drawn one a frame, top first:
assets/chart_turns.js), so a chart drawn later moves nothing below it; its table and CSV are there at once."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.app.components import tables
from dashboard.app.components.twin import chart_with_table


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _walk(child)


def _twin(figure):
    frame = pd.DataFrame({"name": ["A"], "amount": [1.5]})
    columns = [tables.Column("name", "Name"), tables.Column("amount", "Amount", numeric=True)]
    return chart_with_table("t", figure, frame, columns, ["name", "amount"], "t.csv", "A caption")


def test_the_chart_holds_its_figures_height_beside_its_table_and_csv():
    section = _twin(go.Figure(go.Bar(x=[1], y=[2]), layout={"height": 380}))
    parts = list(_walk(section))
    graph = next(p for p in parts if isinstance(p, dcc.Graph))
    assert graph.style == {"minHeight": "380px"}
    assert any(isinstance(p, html.Table) for p in parts) and any(isinstance(p, dcc.Store) for p in parts)


def test_a_figure_without_a_height_reserves_nothing_more_than_the_stylesheet():
    graph = next(p for p in _walk(_twin(go.Figure(go.Bar(x=[1], y=[2])))) if isinstance(p, dcc.Graph))
    assert graph.style == {}
