"""A name with markup in it is drawn as text by Plotly in Chromium: no link, no bold, the name as typed
(the figures' JSON is checked for every kind of chart in tests/unit/app/test_chart_labels_plain.py)."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.app.figures import donors, theme

LINK = '<a href="https://example.com/">CLICK ME</a>'
NAME = f"{LINK} <b>BOLD</b> & 50%{{x}}"

DRAW = """async ([id, figure]) => {
    const div = document.createElement('div');
    div.id = id;
    div.style.width = '700px';
    document.body.appendChild(div);
    await window.Plotly.newPlot(div, figure.data, figure.layout);
    return true;
}"""

DRAWN = """(id) => {
    const div = document.getElementById(id);
    window.Plotly.Fx.hover(div, [{curveNumber: 0, pointNumber: 0}]);
    return {
        links: div.querySelectorAll('svg a').length,
        bold: [...div.querySelectorAll('svg tspan')].filter(t => t.style.fontWeight === 'bold').length,
        annotations: [...div.querySelectorAll('.annotation-text')].map(t => t.textContent),
        hover: [...div.querySelectorAll('.hoverlayer text')].map(t => t.textContent).join(' '),
    };
}"""


def test_a_name_with_a_link_in_a_chart_is_shown_as_typed(page, base_url):
    page.goto(base_url + "/?cycle=2024")
    page.wait_for_function("() => window.Plotly && document.querySelector('.js-plotly-plot .main-svg')")
    frame = pd.DataFrame({"rank": [1], "amount": [500.0], "n": [2], "contributor_name": [NAME]})
    figure = json.loads(donors.top_bar(frame, "contributor_name", "contributions").to_json())
    page.evaluate(DRAW, ["escaped", figure])
    drawn = page.evaluate(DRAWN, "escaped")
    assert drawn["links"] == 0 and drawn["bold"] == 0
    # The name above its bar, as typed (over two lines: the spaces where it wraps are not drawn).
    assert [text.replace(" ", "") for text in drawn["annotations"]] == [f"1. {NAME}".replace(" ", "")]
    assert f"1. {NAME}: $500 in 2 contributions" in drawn["hover"]

    # The same chart with the name left as it was filed: Plotly makes a link of it (what the escaping stops).
    unescaped = json.loads(json.dumps(figure).replace(json.dumps(theme.plain(NAME))[1:-1], json.dumps(NAME)[1:-1]))
    page.evaluate(DRAW, ["unescaped", unescaped])
    assert page.evaluate(DRAWN, "unescaped")["links"] == 1
