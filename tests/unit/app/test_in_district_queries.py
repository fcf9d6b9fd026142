"""In-district queries (dashboard/app/queries/in_district.py) and their page pieces on a demo generated
with the Census relationship excerpt cached (weighted), against the generator's truth; and on the
plain demo, where they say what to run."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.app.components import in_district as parts
from dashboard.app.queries import in_district, maps
from tests.unit.pipeline.test_in_district import make_in_district_demo, truth, zcta_source


@pytest.fixture(scope="module")
def weighted_demo(shared_data, tmp_path_factory) -> Path:
    excerpt = zcta_source(shared_data, "tab20_cd11920_zcta520_natl.EXCERPT.txt")
    return make_in_district_demo(tmp_path_factory.mktemp("in-district-queries"), excerpt)


@pytest.fixture
def on_weighted(weighted_demo, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(weighted_demo))
    return weighted_demo


def _split_candidate(data_dir: Path) -> pd.Series:
    """The truth's candidate with the most money from ZCTAs split between districts."""
    return truth(data_dir).sort_values(["split_cents", "candidate_id"], ascending=[False, True]).iloc[0]


def _text(component) -> str:
    """Every string inside a Dash component tree."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


def test_candidate_figures_and_breakdown_equal_the_truth(on_weighted):
    expected = _split_candidate(on_weighted)
    assert expected["split_cents"] > 0
    row = in_district.candidate_in_district(expected["candidate_id"], int(expected["cycle"])).iloc[0]
    assert round(float(row["whole_amount"]) * 100) == expected["whole_cents"]
    assert float(row["split_in_amount"]) == pytest.approx(expected["split_in"], abs=0.006)
    breakdown = in_district.candidate_in_district_breakdown(expected["candidate_id"], int(expected["cycle"]))
    assert len(breakdown) == 5
    assert float(breakdown["amount"].sum()) == pytest.approx(float(row["itemized_amount"]))
    allocated = breakdown[breakdown["place"].str.contains("allocated to this one")]
    assert float(allocated["amount"].iloc[0]) == pytest.approx(expected["split_in"], abs=0.006)
    assert breakdown["share"].iloc[:4].sum() == pytest.approx(1.0)  # of the money whose place is known
    assert pd.isna(breakdown["share"].iloc[4])  # unknown has no share
    status = in_district.in_district_status(int(expected["cycle"]))
    assert status["available"] and status["weighted"] and status["congress"] == 119


def test_race_rows_and_the_map_metric(on_weighted):
    expected = _split_candidate(on_weighted)
    cycle, state, district = int(expected["cycle"]), expected["state"], expected["district"]
    race = in_district.race_in_district(cycle, state, district)
    assert not race.empty  # the race's candidates (in_race) with their figures
    assert race["itemized_amount"].is_monotonic_decreasing
    rows = maps.map_rows(cycle, "H", state)
    seat = rows[rows["district"] == district].iloc[0]
    placed = race["itemized_amount"].astype(float).sum() - race["unknown_amount"].astype(float).sum()
    if placed:
        assert seat["in_district_share"] == pytest.approx(
            float(race["in_district_amount"].astype(float).sum()) / placed, abs=1e-4
        )


def test_page_pieces_say_the_method_and_the_share(on_weighted):
    expected = _split_candidate(on_weighted)
    cycle = int(expected["cycle"])
    section = parts.candidate_in_district_section(
        expected["candidate_id"], cycle, "Someone", "H", expected["state"], expected["district"]
    )
    text = _text(section)
    assert "ZCTAs split between districts are allocated by land area" in text
    row = in_district.candidate_in_district(expected["candidate_id"], cycle).iloc[0]
    assert parts.share_text(row) in text
    assert parts.candidate_in_district_section(expected["candidate_id"], cycle, "Someone", "S", "AL", "00") is None
    block = _text(parts.race_in_district_block(cycle, expected["state"], expected["district"]))
    assert "allocated by land area" in block


def test_without_a_relationship_pages_say_what_to_run(demo_builds, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(demo_builds.built()))
    status = in_district.in_district_status(2024)
    assert not status["available"] and "python -m dashboard geo" in status["why"]
    section = parts.candidate_in_district_section("H4AL01106", 2024, "Someone", "H", "AL", "01")
    assert "python -m dashboard geo" in _text(section)
    assert "python -m dashboard geo" in _text(parts.race_in_district_block(2024, "AL", "01"))


def test_bounds_are_shown_as_a_range():
    row = pd.Series({"weighted": False, "in_district_share": None, "low_share": 0.12, "high_share": 0.475})
    assert parts.share_text(row) == "12% to 48%"
    assert "range" in parts.method_text(False) and "land area" in parts.method_text(True)
