"""Names from the data are drawn as typed in every chart: Plotly's label markup (`<a href>`, `<b>`,
`<br>`) and hovertemplate fields (`%{...}`) inside a name stay text (figures.theme.plain)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.app.figures import donors, maps, money_over_time, outside, races, theme
from dashboard.app.figures.map_classes import METRICS

LINK = '<a href="https://example.com/">CLICK ME</a>'
EVIL = f"{LINK} <b>BOLD</b> & 50%{{x}}"
PLAIN_EVIL = '&lt;a href="https://example.com/"&gt;CLICK ME&lt;/a&gt; &lt;b&gt;BOLD&lt;/b&gt; &amp; 50&#37;{x}'


def strings_in(value) -> list[str]:
    """Every string anywhere in a figure's JSON."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in strings_in(item)]
    if hasattr(value, "tolist"):
        return strings_in(value.tolist())
    return []


def test_plain_escapes_plotly_markup_and_template_fields():
    assert theme.plain(EVIL) == PLAIN_EVIL
    assert theme.plain("SMITH, JOHN (DEM)") == "SMITH, JOHN (DEM)"
    assert theme.plain(2024) == "2024"


def figures_naming(name: str) -> dict[str, object]:
    """Each kind of chart that takes a name from the data, with `name` in it."""
    periods = pd.DataFrame(
        {
            "candidate_id": ["H0CA12001", "H0CA12001"],
            "name": [name, name],
            "party": ["DEM", "DEM"],
            "coverage_end": ["2024-03-31", "2024-06-30"],
            "receipts_to_date": [1000.0, 2500.0],
            "report_type": ["Q1", name],
        }
    )
    return {
        "top donors": donors.top_bar(
            pd.DataFrame({"rank": [1], "amount": [500.0], "n": [2], "contributor_name": [name]}),
            "contributor_name",
            "contributions",
        ),
        "outside spenders": outside.for_against_bars(
            pd.DataFrame({"spender_name": [name], "support_oppose": ["S"], "amount": [900.0], "n": [1]}),
            "spender_name",
            "for or against someone",
        ),
        "outside race money": outside.race_money_bars(
            pd.DataFrame({"name": [name], "party": ["REP"], "receipts": [1.0], "support": [2.0], "oppose": [3.0]})
        ),
        "for and against lines": outside.cumulative_for_against(
            pd.DataFrame(
                {
                    "support_oppose": ["S"],
                    "date": ["2024-05-01"],
                    "amount_to_date": [10.0],
                    "notice_amount": [0.0],
                    "notice_amount_to_date": [0.0],
                }
            ),
            "by a spender",
            who=name,
        ),
        "top races": races.top_races_bar(
            pd.DataFrame(
                {
                    "race_label": ["House CA-12"],
                    "receipts": [5000.0],
                    "n_candidates": [2],
                    "leader_name": [name],
                    "leader_party": ["DEM"],
                }
            ),
            2024,
        ),
        "race lines": money_over_time.race_cumulative_receipts(periods, ["H0CA12001"], None),
        "nothing to draw": theme.empty_figure(f"No independent expenditures reported for {name}"),
    }


@pytest.mark.parametrize("kind", list(figures_naming("x")))
def test_a_name_with_markup_is_drawn_as_text(kind):
    figure = figures_naming(EVIL)[kind]
    texts = strings_in(figure.to_plotly_json())
    assert not [text for text in texts if "<a" in text or "<b>BOLD" in text or "%{x}" in text and "50" in text]
    assert any("&lt;a href=" in text and "&#37;{x}" in text for text in texts)


def test_the_map_hover_names_candidates_as_text():
    row = {
        "office": "H",
        "state": "CA",
        "district": "12",
        "has_race": True,
        "top_candidates": [(EVIL, "DEM", 1000.0)],
        "n_candidates": 1,
        "receipts": 1000.0,
    }
    hover = maps.hover_text(row, METRICS["receipts"], 2024)
    assert "<a" not in hover and PLAIN_EVIL in hover
    assert hover.startswith("<b>")  # the site's own markup is kept
