"""A page's charts are drawn one a frame, top first (assets/chart_turns.js): the top chart is on screen
before the others are drawn, each chart's caption, table and CSV button are there from the start, and a
lone draw is not delayed. In Chromium, against gunicorn."""

from __future__ import annotations

import pytest

from bench.browser import DRAW_HOOK, sample_paths


@pytest.fixture(scope="module")
def paths(small_snapshot):
    return sample_paths(small_snapshot)


@pytest.mark.parametrize("kind", ["race", "candidate"])
def test_the_top_chart_is_on_screen_before_the_others_are_drawn(page, base_url, paths, kind):
    page.add_init_script(DRAW_HOOK)
    page.goto(base_url + paths[kind])
    page.wait_for_function(
        "() => window.__draws.length > 1 && window.__draws.length >= window.__draws[0].charts", timeout=20_000
    )
    drawn = page.evaluate("window.__draws")
    charts = drawn[0]["charts"]
    assert charts >= 3
    assert [d["place"] for d in drawn] == list(range(charts))  # top first, in the page's order
    frames = [d["frame"] for d in drawn]
    assert frames == sorted(frames) and len(set(frames)) == charts  # each painted in a frame of its own
    first = drawn[0]
    assert first["drawn"] == 1  # painted alone: the charts below it were not drawn yet
    # The numbers of every chart were on the page, as tables and CSV buttons, before any chart was drawn.
    assert first["buttons"] >= charts and first["tables"] >= charts
    assert page.evaluate("document.querySelectorAll('section.twin .js-plotly-plot .main-svg').length") >= charts


def test_a_lone_draw_is_not_delayed_and_a_second_waits_for_the_next_frame(page, base_url, paths):
    page.goto(base_url + paths["race"])
    page.wait_for_function(
        "() => { const c = [...document.querySelectorAll('.dash-graph')];"
        " return c.length > 0 && c.every(g => g.querySelector('.main-svg')); }"
    )
    held = page.evaluate(
        """async () => {
            // The last chart's turn is over once a frame has been painted after it.
            for (let i = 0; i < 3; i++) { await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0))); }
            const made = [0, 1].map(() => { const d = document.createElement('div'); document.body.appendChild(d); return d; });
            const figure = [{type: 'bar', x: [1, 2], y: [3, 4]}];
            const both = made.map(div => window.Plotly.newPlot(div, figure, {height: 200}));
            const atOnce = made.map(div => !!div.querySelector('.main-svg'));
            await Promise.all(both);
            return {atOnce, after: made.map(div => !!div.querySelector('.main-svg'))};
        }"""
    )
    assert held == {"atOnce": [True, False], "after": [True, True]}
