"""The district map's data, colour classes, figures and tile grid, on the small demo snapshot."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import duckdb
import plotly
import pytest

from dashboard.app.components import district_map
from dashboard.app.figures import map_classes, tilegrid
from dashboard.app.figures import maps as map_figures
from dashboard.app.queries import maps
from dashboard.core import geography
from dashboard.pipeline import census as geo
from dashboard.store import geo_cache, layout


def agg_district(snapshot: Path, office: str, cycle: int) -> dict[tuple[str, str], dict]:
    con = duckdb.connect()
    frame = con.execute(
        f"SELECT * FROM read_parquet('{snapshot}/current/agg_district.parquet') WHERE office = ? AND cycle = ?",
        [office, cycle],
    ).fetchdf()
    return {(r["state"], r["district"]): r for r in frame.to_dict("records")}


def test_map_rows_has_every_seat_with_its_agg_district_numbers(small_snapshot):
    rows = maps.map_rows(2024, "H")
    expected = agg_district(small_snapshot, "H", 2024)
    assert len(rows) == len(geography.house_districts()) == 437
    assert rows[["state", "district"]].duplicated().sum() == 0
    for row in rows.to_dict("records"):
        truth = expected.get((row["state"], row["district"]))
        assert row["has_race"] == (truth is not None)
        if truth is not None:
            for column in maps.METRIC_COLUMNS:
                assert row[column] == pytest.approx(truth[column], nan_ok=True), (row["race_label"], column)
            assert row["race_path"] == f"/race/house/{row['state']}/{row['district']}/2024"
            names = [name for name, _party, _receipts in row["top_candidates"]]
            assert 1 <= len(names) <= 3 and truth["leader_name"] == names[0]
    assert rows.set_index("state").loc["DC", "geoid"] == "1198"


def test_map_rows_for_the_senate_and_one_state(small_snapshot):
    senate = maps.map_rows(2024, "S")
    assert len(senate) == len(geography.STATES)
    with_race = set(senate.loc[senate["has_race"], "state"])
    assert with_race == {s for s, _d in agg_district(small_snapshot, "S", 2024)}
    assert with_race <= set(geography.SENATE_CLASS_STATES[2024])
    assert senate.set_index("state").loc["OR", "geoid"] == "41"
    oregon = maps.map_rows(2024, "H", "OR", sort_by="receipts", descending=True)
    assert list(oregon["state"].unique()) == ["OR"] and len(oregon) == 6
    assert list(oregon["receipts"]) == sorted(oregon["receipts"], reverse=True)


def test_classes_cut_at_rounded_quantiles_and_cover_every_value():
    values = [float(v) for v in range(1, 101)]
    classes = map_classes.classify(values)
    assert classes.breaks == (18.0, 34.0, 50.0, 67.0, 84.0)
    assert [classes.index(v) for v in (1, 17.99, 18, 49.9, 50, 84, 100)] == [0, 0, 1, 2, 3, 5, 5]
    assert classes.index(None) is None and classes.colour(float("nan")) == map_classes.NO_DATA_COLOUR
    counts = map_classes.classify([1, 1, 2, 2, 3, 3, 4, 9], integer=True)
    assert all(b == int(b) for b in counts.breaks)
    items = map_classes.legend(counts, map_classes.METRICS["n_candidates"])
    assert items[0].label.endswith("or fewer") and items[-1].label == "No data"
    shares = map_classes.legend(
        map_classes.classify([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]), map_classes.METRICS["leader_share"]
    )
    assert shares[0].label.startswith("under ") and shares[0].label.endswith("%")
    assert len(set(map_classes.classify([5.0] * 10).colours)) == 1  # one value, one colour


def test_colours_are_the_viridis_steps_light_to_dark():
    assert map_classes.CLASS_COLOURS[0] == "#fde725" and map_classes.CLASS_COLOURS[-1] == "#440154"
    assert map_classes.NO_DATA_COLOUR not in map_classes.CLASS_COLOURS


@pytest.fixture(scope="module")
def boundaries(small_snapshot, tmp_path_factory, shared_data):
    folder = tmp_path_factory.mktemp("map-geo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_CACHE_DIR", str(folder))
        geo.import_file(shared_data / "geo" / "us_cd119_2024_20m.geojson")
        cached = geo_cache.cached(119)
    return cached


def test_the_national_choropleth_carries_values_not_geometry(small_snapshot, boundaries):
    rows = maps.map_rows(2024, "H")
    classes = map_classes.classify(rows.loc[rows["has_race"], "receipts"])
    districts_url = district_map.districts_url(boundaries)
    assert districts_url.startswith("/geo-files/cd119/districts-national.geojson?v=")  # checksum: cached for good
    figure = map_figures.choropleth(rows, "receipts", classes, 2024, districts_url, district_map.states_url(boundaries))
    size = len(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))
    assert size < 1_500_000
    districts = [t for t in figure["data"] if t.get("customdata")]
    drawn = {loc: (z, path) for t in districts for loc, z, path in zip(t["locations"], t["z"], t["customdata"])}
    assert len(drawn) == 437
    for row in rows.to_dict("records"):
        z, path = drawn[row["geoid"]]
        index = classes.index(row["receipts"])
        assert z == (0.5 if index is None else index + 1.5)
        assert path == row["race_path"]
    # Every geo trace reads its shapes from this server; nothing in the figure points elsewhere.
    assert all(t["geojson"].startswith("/geo-files/cd119/") for t in figure["data"])
    puerto_rico = [t for t in districts if t["geo"] == "geo2"]
    assert puerto_rico and puerto_rico[0]["locations"] == ["7298"]


def test_a_state_view_is_small(small_snapshot, boundaries):
    rows = maps.map_rows(2024, "H", "CA")
    classes = map_classes.classify(maps.map_races(2024, "H")["receipts"])
    figure = map_figures.choropleth(
        rows, "receipts", classes, 2024, district_map.districts_url(boundaries, "CA"), state="CA"
    )
    assert len(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder)) < 300_000
    assert len(figure["data"][0]["locations"]) == 52
    assert figure["layout"]["geo"]["fitbounds"] == "locations"


def _contiguous(cells) -> bool:
    cells = set(cells)
    start = next(iter(cells))
    seen, queue = {start}, deque([start])
    while queue:
        x, y = queue.popleft()
        for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if n in cells and n not in seen:
                seen.add(n)
                queue.append(n)
    return seen == cells


def test_the_tile_grid_gives_every_seat_one_square_in_its_state_block():
    blocks = tilegrid.state_blocks()
    assert set(blocks) == set(geography.STATES)
    all_cells = [cell for cells in blocks.values() for cell in cells]
    assert len(all_cells) == len(set(all_cells)) == 437
    for state, cells in blocks.items():
        assert len(cells) == max(geography.STATES[state][2], 1)
        assert _contiguous(cells), state
    tiles = tilegrid.district_tiles()
    assert set(tiles) == set(geography.house_districts())
    # Recognizable: west of east, north of south.
    centre = {
        s: (sum(c[0] for c in cells) / len(cells), sum(c[1] for c in cells) / len(cells)) for s, cells in blocks.items()
    }
    assert centre["CA"][0] < centre["TX"][0] < centre["FL"][0] and centre["WA"][0] < centre["NY"][0]
    assert centre["MN"][1] > centre["TX"][1] and centre["ND"][1] > centre["OK"][1]
    assert centre["NY"][1] > centre["FL"][1] and centre["WA"][1] > centre["CA"][1]


def test_districts_follow_their_centroids_inside_a_block(boundaries):
    tiles = tilegrid.district_tiles(boundaries.centroids, geography.geoid)
    ny = {d: cell for (s, d), cell in tiles.items() if s == "NY"}
    lon_lat = {d: boundaries.centroids[geography.geoid("NY", d)] for d in ny}
    # NY-21 (North Country) is north of NY-11 (Staten Island); NY-23 (west) is west of NY-01 (Long Island).
    assert ny["21"][1] > ny["11"][1] and lon_lat["21"][1] > lon_lat["11"][1]
    assert ny["23"][0] < ny["01"][0]


def test_the_tile_figure_puts_each_race_path_where_its_class_is(small_snapshot):
    rows = maps.map_rows(2024, "H")
    classes = map_classes.classify(rows.loc[rows["has_race"], "small_share"])
    figure = map_figures.tile_grid(rows, "small_share", classes, 2024)
    heatmap = figure["data"][0]
    by_path = {}
    for yi, row in enumerate(heatmap["customdata"]):
        for xi, path in enumerate(row):
            if path:
                by_path[path] = heatmap["z"][yi][xi]
    assert len(by_path) == 437
    for row in rows.to_dict("records"):
        index = classes.index(row["small_share"])
        assert by_path[row["race_path"]] == (0.5 if index is None else index + 1.5)
    assert len(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder)) < 1_500_000


def test_without_boundaries_the_section_says_how_to_get_them_and_draws_tiles(small_snapshot, tmp_path, monkeypatch):
    monkeypatch.setattr(layout, "geo_dir", lambda data_dir=None: tmp_path / "no-geo")
    rows = maps.map_rows(2024, "H")
    section, view = district_map.map_section("test", 2024, "H", "receipts", "geo", None, rows)
    text = json.dumps(section, cls=plotly.utils.PlotlyJSONEncoder)
    assert view == "hex"
    assert "python -m dashboard geo" in text and '"type": "heatmap"' in text
