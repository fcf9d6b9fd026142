"""Figures show exactly the numbers of the frame they are given, in the shared palette."""

from __future__ import annotations

import pandas as pd

from dashboard.app.figures import races, theme


def race_frame():
    return pd.DataFrame(
        {
            "race_label": ["House CA-12", "Senate Texas"],
            "receipts": [3_000_000.0, 2_000_000.5],
            "n_candidates": [3, 4],
            "leader_name": ["A, B", "C, D"],
            "leader_party": ["DEM", "XYZ"],
        }
    )


def test_top_races_bar_has_one_bar_per_race_with_its_money():
    figure = races.top_races_bar(race_frame(), 2024)
    bar = figure.data[0]
    assert list(bar.y) == ["House CA-12", "Senate Texas"]
    assert list(bar.x) == [3_000_000.0, 2_000_000.5]
    assert list(bar.marker.color) == [theme.PARTY_COLOURS["DEM"], theme.GREY]
    assert "Democratic" in bar.hovertext[0]  # the party is named, not only coloured


def test_empty_frames_give_a_message_not_an_error():
    figure = races.top_races_bar(race_frame().iloc[0:0], 2030)
    assert not figure.data and "2030" in figure.layout.annotations[0].text
    empty = pd.DataFrame(
        {"candidate_id": ["A"], "name": ["A"], "party": ["DEM"], "incumbent_challenge": ["C"]}
        | {key: [None] for key in ("receipts", "disbursements", "cash_on_hand")}
    )
    assert races.race_candidates_money(empty, {"A": "DEM"}).layout.annotations


def test_palette_is_okabe_ito():
    assert set(theme.SEQUENCE) <= set(theme.OKABE_ITO.values())
    assert set(theme.PARTY_COLOURS.values()) <= set(theme.OKABE_ITO.values())
