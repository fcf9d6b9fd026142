"""Outside-spending charts draw exactly their frames' numbers: for and against apart (line style and
words, not colour alone), each candidate in their race colour, notice-only money apart."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.app.components.outside import timeline_rows
from dashboard.app.figures import money_over_time, outside


def periods_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "candidate_id": ["A", "A", "B"],
            "name": ["X, A", "X, A", "Y, B"],
            "party": ["DEM", "DEM", "REP"],
            "report_year": [2024] * 3,
            "report_type": ["Q2", "Q3", "Q3"],
            "coverage_start": [date(2024, 4, 1), date(2024, 7, 1), date(2024, 7, 1)],
            "coverage_end": [date(2024, 6, 30), date(2024, 9, 30), date(2024, 9, 30)],
            "receipts": [10.0, 5.0, 7.0],
            "receipts_to_date": [10.0, 15.0, 7.0],
        }
    )


def daily_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "candidate_id": ["A", "A", "B", "B"],
            "name": ["X, A", "X, A", "Y, B", "Y, B"],
            "party": ["DEM", "DEM", "REP", "REP"],
            "date": [date(2024, 9, 1), date(2024, 9, 5), date(2024, 9, 3), date(2024, 10, 1)],
            "support_oppose": ["S", "S", "O", "O"],
            "amount": [100.0, 50.0, 200.0, 0.0],
            "n": [1, 1, 1, 0],
            "amount_to_date": [100.0, 150.0, 200.0, 200.0],
            "notice_amount": [0.0, 0.0, 0.0, 5.0],
            "notice_amount_to_date": [0.0, 0.0, 0.0, 5.0],
        }
    )


def test_race_timeline_puts_both_kinds_of_money_on_one_chart_in_each_candidates_colour():
    figure = outside.race_timeline(periods_frame(), daily_frame(), ["A", "B"], "2024-11-05")
    names = [t.name for t in figure.data]
    assert names == [
        "X, A (DEM): raised",
        "X, A (DEM):<br>outside money for",
        "Y, B (REP): raised",
        "Y, B (REP):<br>outside money against",
        "Y, B (REP): against,<br>24/48-hour notices",
    ]
    raised_a, for_a, raised_b, against_b, notice_b = figure.data
    colours = money_over_time.candidate_styles(["A", "B"])  # as in the race's other charts
    assert raised_a.line.color == for_a.line.color == colours["A"]["color"]
    assert raised_b.line.color == against_b.line.color == notice_b.line.color == colours["B"]["color"]
    assert (raised_a.line.dash, for_a.line.dash, against_b.line.dash) == ("solid", "dash", "dot")
    assert list(raised_a.y) == [10.0, 15.0] and list(for_a.y) == [100.0, 150.0]
    assert list(against_b.y) == [200.0, 200.0]  # the notice's 5.00 is not in the regular line
    assert list(notice_b.y) == [0.0, 5.0] and notice_b.visible == "legendonly"
    assert [a.text for a in figure.layout.annotations] == ["Q2", "Q3", "Election day"]


def test_race_timeline_table_holds_every_number_of_the_chart():
    rows = timeline_rows(periods_frame(), daily_frame())
    assert len(rows) == 3 + 4
    assert rows["date"].is_monotonic_increasing
    raised = rows[rows.series.str.startswith("raised")]
    assert list(raised.amount_to_date) == [10.0, 15.0, 7.0]
    against = rows[rows.series == "outside money against"]
    assert list(against.amount_to_date) == [200.0, 200.0] and list(against.notice_amount_to_date) == [0.0, 5.0]
    assert timeline_rows(periods_frame().iloc[:0], daily_frame().iloc[:0]).empty


def test_a_long_legend_entry_is_broken_in_its_label_to_fit_a_phone():
    assert outside.legend_name("X (DEM)", "outside money for") == "X (DEM): outside money for"
    long = outside.legend_name("CRANCOMBE, BRIAR (REP)", "outside money for")
    assert long == "CRANCOMBE, BRIAR (REP):<br>outside money for"
    assert all(len(line) <= outside.LEGEND_LINE for line in long.split("<br>"))


def test_for_against_bars_name_the_side_and_hatch_against():
    frame = pd.DataFrame(
        {
            "spender_name": ["SMALL PAC", "BIG PAC", "PARTY"],
            "support_oppose": ["S", "S", "O"],
            "amount": [5.0, 500.0, 50.0],
            "n": [1, 3, 2],
        }
    )
    figure = outside.for_against_bars(frame, "spender_name", "for or against X")
    supported, opposed = figure.data
    assert list(supported.y) == ["1. BIG PAC (for)", "3. SMALL PAC (for)"] and list(supported.x) == [500.0, 5.0]
    assert list(opposed.y) == ["2. PARTY (against)"] and opposed.marker.pattern.shape == "/"
    assert supported.name == "Spent for" and opposed.name == "Spent against"
    assert list(figure.layout.yaxis.categoryarray) == ["1. BIG PAC (for)", "2. PARTY (against)", "3. SMALL PAC (for)"]


def test_cumulative_lines_and_the_money_around_each_candidate():
    daily = daily_frame()[daily_frame().candidate_id == "B"].drop(columns=["candidate_id", "name", "party"])
    figure = outside.cumulative_for_against(daily, "for or against Y, B")
    assert [t.name for t in figure.data] == [
        "All spenders:<br>outside money against",
        "All spenders: against,<br>24/48-hour notices",
    ]
    assert figure.data[1].visible is True  # shown on the candidate's own chart
    candidates = pd.DataFrame(
        {"name": ["X, A"], "party": ["DEM"], "receipts": [None], "support": [150.0], "oppose": [0.0]}
    )
    bars = outside.race_money_bars(candidates)
    assert [t.name for t in bars.data] == ["Raised by the campaign", "Spent for by others", "Spent against by others"]
    assert [list(t.x) for t in bars.data] == [[0.0], [150.0], [0.0]]


def test_empty_frames_say_there_is_nothing():
    empty = daily_frame().iloc[:0]
    figure = outside.cumulative_for_against(empty, "for or against Y, B")
    assert figure.layout.annotations[0].text == "No independent expenditures reported for or against Y, B"
    bars = outside.for_against_bars(pd.DataFrame(columns=["x", "support_oppose", "amount", "n"]), "x", "by Z")
    assert bars.layout.annotations[0].text == "No independent expenditures reported by Z"
    assert outside.race_timeline(periods_frame().iloc[:0], empty, [], None).layout.annotations
