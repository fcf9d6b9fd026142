"""A cycle's House map shows the seats of the Congress it elects and is never drawn on districts of
another apportionment. 2016 (115th Congress, 2010 apportionment) is the real FEC summary file of
../shared/data/fec/2016; the only boundaries beside the repository are the 119th Congress's (2020
apportionment), on which 2016's OH-16 does not exist and whose MT-01 and MT-02 were one at-large
seat in 2016."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import plotly
import pytest

from dashboard.app.components import district_map
from dashboard.app.figures import tilegrid
from dashboard.app.queries import maps
from dashboard.core import geography
from dashboard.pipeline import census as geo
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.store import geo_cache, layout
from tests.unit.pipeline.test_geo import _census_zip

CD119 = Path("geo") / "us_cd119_2024_20m.geojson"


class Quiet(LoadProgress):
    def __init__(self):
        super().__init__(out=open("/dev/null", "w"))


@pytest.fixture(scope="module")
def data_2016(shared_data: Path, tmp_path_factory) -> Path:
    """A data folder with the real 2016 summary files published and the 119th Congress's boundaries
    cached (what a server that ran `python -m dashboard geo` for 2024 has)."""
    tmp = tmp_path_factory.mktemp("map16")
    folder = tmp / "files"
    folder.mkdir()
    for name in ("cn.txt", "cm.txt", "ccl.txt", "weball16.txt"):
        (folder / name).symlink_to(shared_data / "fec" / "2016" / name)  # read in place, never copied
    load(tmp / "data", 2016, folder, Quiet())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_CACHE_DIR", str(tmp / "data"))
        geo.import_file(shared_data / CD119)
    return tmp / "data"


@pytest.fixture
def reading_2016(data_2016, monkeypatch) -> Path:
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_2016))
    return data_2016


def house_races(data_dir: Path, cycle: int) -> dict[tuple[str, str], float]:
    found = duckdb.connect().execute(
        f"SELECT state, district, receipts FROM read_parquet('{data_dir}/current/agg_district.parquet') "
        "WHERE cycle = ? AND office = 'H'",
        [cycle],
    )
    return {(s, d): None if r is None else float(r) for s, d, r in found.fetchall()}


def section_json(section) -> str:
    return json.dumps(section, cls=plotly.utils.PlotlyJSONEncoder)


def figure_of(section) -> dict:
    graph = next(
        child
        for element in section
        if getattr(element, "className", None) == "map-frame"
        for child in element.children
        if getattr(child, "figure", None)
    )
    return graph.figure


def test_a_2016_map_has_the_seats_of_the_115th_congress(reading_2016):
    rows = maps.map_rows(2016, "H")
    seats = set(zip(rows["state"], rows["district"]))
    assert seats == set(geography.house_districts(2016)) and len(rows) == 437
    assert {("OH", "16"), ("MT", "00"), ("CA", "53"), ("WV", "03")} <= seats
    assert not {("MT", "01"), ("MT", "02"), ("TX", "38"), ("OR", "06")} & seats
    # Every race of a state on the map is on it, with its own money (territories have no seat there).
    races = {k: v for k, v in house_races(reading_2016, 2016).items() if k[0] in geography.STATES}
    drawn = rows[rows["has_race"]].set_index(["state", "district"])["receipts"]
    assert set(drawn.index) == set(races)
    for seat, receipts in races.items():
        assert drawn[seat] == pytest.approx(receipts, nan_ok=True), seat
    assert rows.set_index(["state", "district"]).loc[("OH", "16"), "geoid"] == "3916"


def test_a_2016_map_is_not_drawn_on_119th_congress_shapes_and_says_why(reading_2016):
    rows = maps.map_rows(2016, "H")
    section, view = district_map.map_section("test", 2016, "H", "receipts", "geo", None, rows)
    text = section_json(section)
    assert view == "hex"
    assert "/geo-files/cd119" not in text and '"choropleth"' not in text
    assert "District boundaries of 2012-2020 are not downloaded" in text
    assert "119th Congress" in text and "python -m dashboard geo --cycle 2016" in text
    heatmap = figure_of(section)["data"][0]
    paths = [path for row in heatmap["customdata"] for path in row if path]
    assert sorted(paths) == sorted(rows["race_path"]) and len(paths) == 437
    assert "/race/house/OH/16/2016" in paths and "/race/house/MT/00/2016" in paths
    assert not any(p.startswith("/race/house/MT/02/") for p in paths)


def test_the_2016_senate_map_is_drawn_on_state_outlines_of_any_congress(reading_2016):
    rows = maps.map_rows(2016, "S")
    section, view = district_map.map_section("test", 2016, "S", "receipts", "geo", None, rows)
    figure = figure_of(section)
    assert view == "geo"
    assert [t["geojson"].split("?")[0] for t in figure["data"]] == ["/geo-files/cd119/states-national.geojson"] * len(
        figure["data"]
    )
    assert "not downloaded" not in section_json(section) and "Drawn on" not in section_json(section)


def test_the_2016_tile_grid_gives_each_state_its_2016_seats():
    tiles = tilegrid.district_tiles(seat_list=geography.house_districts(2016))
    assert set(tiles) == set(geography.house_districts(2016))
    assert len(set(tiles.values())) == len(tiles)
    per_state = {}
    for state, _district in tiles:
        per_state[state] = per_state.get(state, 0) + 1
    assert per_state["OH"] == 16 and per_state["MT"] == 1 and per_state["TX"] == 36
    # Today's layout is unchanged by it.
    assert set(tilegrid.district_tiles()) == set(geography.house_districts())


def test_each_cycle_takes_boundaries_of_its_apportionment_and_2024_keeps_the_119th(
    shared_data, tmp_path, monkeypatch, demo_builds
):
    """A 116th-Congress file (Census-shaped: CD116FP, three states) stands in for the download."""
    data_dir = demo_builds.copy(tmp_path / "data")
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    geo.import_file(shared_data / CD119)
    manifest = geo.import_file(_census_zip(tmp_path, 116, shared_data / CD119))
    # The file is checked against the 116th Congress's seats: Oregon had 5, not today's 6.
    assert "OR: 6 districts, 5 seats" in manifest["seat_differences"]
    assert geo_cache.for_cycle(2016).congress == 116
    assert geo_cache.for_cycle(2020).congress == 116
    assert geo_cache.for_cycle(2024).congress == 119
    assert geo_cache.for_cycle(2010) is None  # the 2000 apportionment: no boundaries of it
    rows_2024 = maps.map_rows(2024, "H")
    section, view = district_map.map_section("test", 2024, "H", "receipts", "geo", None, rows_2024)
    figure = figure_of(section)
    assert view == "geo"
    assert all(t["geojson"].startswith("/geo-files/cd119/") for t in figure["data"])
    drawn = {loc for t in figure["data"] if t.get("customdata") for loc in t["locations"]}
    assert drawn == {geography.geoid(s, d) for s, d in geography.house_districts(2024)}
    assert "not downloaded" not in section_json(section)


def test_2016_is_drawn_on_cached_boundaries_of_its_apportionment_and_labelled(
    shared_data, tmp_path, monkeypatch, data_2016
):
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_2016))
    monkeypatch.setattr(layout, "geo_dir", lambda data_dir=None: tmp_path / "geo")  # this test's boundaries only
    geo.import_file(shared_data / CD119)
    geo.import_file(_census_zip(tmp_path, 116, shared_data / CD119))
    rows = maps.map_rows(2016, "H")
    section, view = district_map.map_section("test", 2016, "H", "receipts", "geo", None, rows)
    figure = figure_of(section)
    assert view == "geo"
    assert all(t["geojson"].startswith("/geo-files/cd116/") for t in figure["data"])
    drawn = {loc for t in figure["data"] if t.get("customdata") for loc in t["locations"]}
    assert "3916" in drawn and "3002" not in drawn
    assert "Drawn on the districts of the 116th Congress" in section_json(section)


def test_every_cycle_from_2012_has_census_files_to_download():
    """`python -m dashboard geo --cycle 2016` downloads the 115th Congress's file (cycles 2012-2020
    elect the 113th-117th)."""
    for cycle in range(2012, 2027, 2):
        assert geo.VINTAGES[geography.congress_for_cycle(cycle)], cycle
    assert geography.congress_for_cycle(2016) == 115 and geography.apportionment_cycles(2016) == (2012, 2020)
    assert geography.cycle_for_congress(115) == 2016 and geography.apportionment_cycles(2024) == (2022, None)
