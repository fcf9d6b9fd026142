"""Figures of the race and candidate pages draw exactly the numbers of their frames."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.app.figures import donors, money_over_time, sizes, states, theme
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
