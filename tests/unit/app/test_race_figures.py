"""Figures of the race and candidate pages draw exactly the numbers of their frames."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.app.figures import donors, money_over_time, races, sizes, states, theme
from dashboard.core import geography


def periods_frame():
    return pd.DataFrame(
        {
            "candidate_id": ["A", "A", "B", "B"],
            "name": ["X, A"] * 2 + ["Y, B"] * 2,
            "party": ["DEM"] * 2 + [None] * 2,
            "report_year": [2024] * 4,
            "report_type": ["Q1", "Q2", "Q1", "Q2"],
            "coverage_start": [date(2024, 1, 1), date(2024, 4, 1)] * 2,
            "coverage_end": [date(2024, 3, 31), date(2024, 6, 30)] * 2,
            "receipts": [10.0, 5.0, 1.0, 2.0],
            "receipts_to_date": [10.0, 15.0, 1.0, 3.0],
        }
    )


def test_cumulative_receipts_one_line_per_candidate_with_calendar_marks():
    figure = money_over_time.race_cumulative_receipts(periods_frame(), ["B", "A"], "2024-11-05")
    assert [t.name for t in figure.data] == ["Y, B", "X, A (DEM)"]  # in the order given, party named
    assert list(figure.data[1].y) == [10.0, 15.0]
    assert figure.data[0].line.color != figure.data[1].line.color
    marks = [a.text for a in figure.layout.annotations]
    assert marks == ["Q1", "Q2", "Election day"]
    assert len(figure.layout.shapes) == 3


def test_weekly_and_empty_frames():
    weekly = pd.DataFrame(
        {
            "candidate_id": ["A", "A"],
            "name": ["X, A"] * 2,
            "party": ["DEM"] * 2,
            "week": [date(2024, 1, 1), date(2024, 1, 8)],
            "amount": [5.0, 0.0],
        }
    )
    figure = money_over_time.race_weekly_receipts(weekly, ["A"], periods_frame(), None)
    assert list(figure.data[0].y) == [5.0, 0.0]
    assert money_over_time.race_weekly_receipts(weekly.iloc[0:0], ["A"], periods_frame(), None).layout.annotations


def test_candidate_periods_chart_has_raised_spent_and_cash():
    frame = periods_frame().iloc[:2].assign(disbursements=[4.0, 6.0], cash_on_hand_end=[6.0, 5.0])
    figure = money_over_time.candidate_periods_chart(frame)
    assert [t.name for t in figure.data] == [
        "Raised in the period",
        "Spent in the period",
        "Cash on hand at the period's end",
    ]
    assert list(figure.data[0].x) == ["2024 Q1", "2024 Q2"] and list(figure.data[2].y) == [6.0, 5.0]


def test_size_bars_stack_every_bucket_and_name_unitemized_money():
    rows = [
        ("A", "X, A", "DEM", b, label, 10.0 * (b + 1), None if b == 0 else b, 0.2)
        for b, label in [(0, "$200 and under"), (1, "b1"), (2, "b2"), (3, "b3"), (4, "b4")]
    ]
    frame = pd.DataFrame(
        rows, columns=["candidate_id", "name", "party", "size_bucket", "size_label", "amount", "n", "share"]
    )
    figure = sizes.race_sizes_bar(frame, ["A"])
    assert len(figure.data) == 5 and figure.layout.barmode == "stack"
    assert figure.data[0].name == "$200 and under (incl. unitemized)"
    assert [list(t.x) for t in figure.data] == [[10.0], [20.0], [30.0], [40.0], [50.0]]
    assert set(t.marker.color for t in figure.data) <= set(theme.OKABE_ITO.values())
    single = sizes.candidate_sizes_bar(frame)
    assert list(single.data[0].y) == [10.0, 20.0, 30.0, 40.0, 50.0]


def test_tile_map_places_every_state_once_and_outlines_home():
    assert len(geography.STATE_TILES) == 52 and len(set(geography.STATE_TILES.values())) == 52
    frame = pd.DataFrame(
        {
            "state": ["NJ", "TX"],
            "amount": [100.0, 50.0],
            "n": [2, 1],
            "share": [2 / 3, 1 / 3],
            "in_state": [True, False],
        }
    )
    figure = states.state_tile_map(frame, "NJ")
    heat = next(t for t in figure.data if t.type == "heatmap")
    row, column = geography.STATE_TILES["NJ"]
    assert heat.z[row][column] == 100.0 and heat.text[row][column] == "NJ"
    grey = next(t for t in figure.data if t.type == "scatter")
    assert len(grey.text) == 50 and "NJ" not in grey.text  # every other state drawn grey
    outline = figure.layout.shapes[-1]
    assert (outline.x0 + outline.x1) / 2 == column and outline.fillcolor is None


def test_in_state_bars_and_top_bars():
    split = pd.DataFrame(
        {
            "candidate_id": ["A"],
            "name": ["X, A"],
            "party": ["REP"],
            "in_state": [30.0],
            "out_of_state": [70.0],
            "itemized": [100.0],
            "in_state_share": [0.3],
        }
    )
    figure = states.race_home_state_bar(split, ["A"])
    assert [list(t.x) for t in figure.data] == [[30.0], [70.0]]
    top = pd.DataFrame({"rank": [1, 2], "employer": [None, "ACME"], "amount": [9.0, 3.0], "n": [3, 1]})
    bars = donors.top_bar(top, "employer", "employers").data[0]
    assert list(bars.y) == ["1. Not reported", "2. ACME"] and list(bars.x) == [9.0, 3.0]


def candidates_frame():
    """A race as queries.races.race_candidates gives it: two Democrats, a Republican, a Green without money."""
    return pd.DataFrame(
        {
            "candidate_id": ["D1", "R1", "D2", "G1"],
            "name": ["ASH, A", "BIRCH, B", "CEDAR, C", "DOGWOOD, D"],
            "party": ["DEM", "REP", "DEM", "GRE"],
            "incumbent_challenge": ["I", "C", "C", "O"],
            "receipts": [900.0, 500.0, 100.0, None],
            "disbursements": [700.0, 450.0, 90.0, None],
            "cash_on_hand": [200.0, 50.0, 10.0, None],
        }
    )


def test_candidate_money_panels_draw_raised_spent_and_cash_of_each_candidate():
    frame = candidates_frame()
    figure = races.race_candidates_money(frame, dict(zip(frame["candidate_id"], frame["party"])))
    titles, names = figure.layout.annotations[:3], figure.layout.annotations[3:]
    assert [a.text for a in titles] == ["Raised", "Spent", "Cash on hand"]
    # Each bar is named above it, in each panel (not beside it, where a phone would cut the name).
    assert [(a.text, a.yref) for a in names] == [
        (name, axis)
        for axis in ("y", "y2", "y3")
        for name in ("ASH, A (DEM, incumbent)", "BIRCH, B (REP)", "CEDAR, C (DEM)")
    ]
    assert not figure.layout.yaxis.showticklabels
    assert [list(t.x) for t in figure.data] == [[900.0, 500.0, 100.0], [700.0, 450.0, 90.0], [200.0, 50.0, 10.0]]
    # The candidate without reports is left out; incumbents and parties are named in the labels.
    assert list(figure.data[0].y) == ["ASH, A (DEM, incumbent)", "BIRCH, B (REP)", "CEDAR, C (DEM)"]
    assert figure.data[2].hovertext[0] == "ASH, A (DEM, incumbent): $200 cash on hand"
    # One money scale for the three panels, so the bars compare across them.
    assert figure.layout.xaxis.matches == figure.layout.xaxis2.matches == "x3"
    colours = list(figure.data[0].marker.color)
    assert colours == [theme.PARTY_SHADES["DEM"][0], theme.PARTY_SHADES["REP"][0], theme.PARTY_SHADES["DEM"][1]]
    assert list(figure.data[0].marker.pattern.shape) == ["", "", "/"]  # the second Democrat is hatched too
    assert all(list(t.marker.color) == colours for t in figure.data)


def test_candidate_money_follows_the_rows_order_but_keeps_each_candidates_colour():
    frame = candidates_frame()
    order = dict(zip(frame["candidate_id"], frame["party"]))
    by_cash = races.race_candidates_money(frame.iloc[[2, 1, 0]], order)
    assert list(by_cash.data[2].x) == [10.0, 50.0, 200.0]
    assert list(by_cash.data[0].marker.color) == [
        theme.PARTY_SHADES["DEM"][1],
        theme.PARTY_SHADES["REP"][0],
        theme.PARTY_SHADES["DEM"][0],
    ]


def test_candidate_styles_give_each_party_its_colour_and_shades_within_a_party():
    order = {"D1": "DEM", "R1": "REP", "D2": "DEM", "D3": "DEM", "X1": "CON", "N1": None, "G1": "GRE"}
    styles = money_over_time.candidate_styles(order)
    assert [styles[c]["color"] for c in order] == [
        theme.PARTY_SHADES["DEM"][0],
        theme.PARTY_SHADES["REP"][0],
        theme.PARTY_SHADES["DEM"][1],
        theme.PARTY_SHADES["DEM"][0],
        theme.OTHER_SHADES[0],
        theme.OTHER_SHADES[1],  # no party and another party share the grey shades
        theme.PARTY_SHADES["GRE"][0],
    ]
    # No two candidates of the race look alike: colour, dash and pattern together differ.
    looks = {(s["color"], s["dash"], s["pattern"]) for s in styles.values()}
    assert len(looks) == len(order)
    assert [styles[c]["dash"] for c in ("D1", "D2", "D3")] == ["solid", "solid", "dash"]
    # Without parties the colours follow the order, as before.
    plain = money_over_time.candidate_styles(["A", "B"])
    assert [plain[c]["color"] for c in ("A", "B")] == theme.SEQUENCE[:2]


def test_line_charts_colour_and_label_a_candidate_as_the_money_panels_do():
    frame = candidates_frame()
    order = dict(zip(frame["candidate_id"], frame["party"]))
    periods = pd.DataFrame(
        {
            "candidate_id": ["D2", "D1"],
            "name": ["CEDAR, C", "ASH, A"],
            "party": ["DEM", "DEM"],
            "incumbent_challenge": ["C", "I"],
            "report_year": [2024, 2024],
            "report_type": ["Q1", "Q1"],
            "coverage_start": [date(2024, 1, 1)] * 2,
            "coverage_end": [date(2024, 3, 31)] * 2,
            "receipts": [100.0, 900.0],
            "receipts_to_date": [100.0, 900.0],
        }
    )
    lines = money_over_time.race_cumulative_receipts(periods, order, None)
    bars = races.race_candidates_money(frame, order)
    bar_colour = dict(zip(bars.data[0].y, bars.data[0].marker.color))
    assert [t.name for t in lines.data] == ["ASH, A (DEM, incumbent)", "CEDAR, C (DEM)"]
    assert {t.name: t.line.color for t in lines.data} == {
        name: bar_colour[name] for name in bar_colour if "DEM" in name
    }


def test_candidate_money_says_when_one_figure_is_not_reported():
    frame = candidates_frame().iloc[:2].assign(cash_on_hand=[None, 50.0])
    figure = races.race_candidates_money(frame, dict(zip(frame["candidate_id"], frame["party"])))
    cash = figure.data[2]
    assert list(cash.text) == ["not reported", "$50"]
    assert cash.hovertext[0] == "ASH, A (DEM, incumbent): cash on hand not reported"
