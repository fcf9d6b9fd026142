"""District boundaries: normalized, clockwise, simplified without gaps, cached with checksums
(and read back verified by dashboard.store.geo_cache), obtained from a file or over HTTP (a local
server standing in for the Census Bureau)."""

from __future__ import annotations

import http.server
import json
import os
import threading
import zipfile
from pathlib import Path

import pytest
import shapely

from dashboard.core import geography
from dashboard.pipeline import census as geo
from dashboard.store import geo_cache


@pytest.fixture(scope="module")
def districts(shared_data) -> Path:
    """The Census Bureau's 119th-Congress districts (a real file kept beside the repository)."""
    return shared_data / "geo" / "us_cd119_2024_20m.geojson"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def imported(tmp_path_factory, districts):
    """The shared 119th-Congress file imported once into its own cache."""
    folder = tmp_path_factory.mktemp("geo-import")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_CACHE_DIR", str(folder))
        manifest = geo.import_file(districts)
    return folder / "geo" / "cd119", manifest


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text())["features"]


def test_every_seat_is_in_the_cache_with_normalized_properties(imported):
    folder, manifest = imported
    assert manifest["congress"] == 119 and manifest["n_districts"] == 437
    assert manifest["seat_differences"] == []
    features = _features(folder / "districts-national.geojson")
    expected = {geography.geoid(s, d) for s, d in geography.house_districts()}
    assert {f["id"] for f in features} == expected
    for feature in features:
        props = feature["properties"]
        assert set(props) == {"geoid", "state_fips", "state", "district", "congress"}
        assert props["geoid"] == feature["id"] == props["state_fips"] + props["district"]
        assert geography.STATES[props["state"]][0] == props["state_fips"]
        assert props["congress"] == 119
    by_id = {f["id"]: f["properties"] for f in features}
    assert by_id["1198"]["district"] == "98" and by_id["5600"]["district"] == "00"


def test_outer_rings_are_clockwise_and_geometries_valid(imported):
    folder, _manifest = imported
    for name in ("districts-national.geojson", "states-national.geojson", "districts-CA.geojson"):
        for feature in _features(folder / name):
            shape = shapely.from_geojson(json.dumps(feature["geometry"]))
            assert shape.is_valid and not shape.is_empty, (name, feature["id"])
            for polygon in getattr(shape, "geoms", [shape]):
                assert not polygon.exterior.is_ccw, (name, feature["id"])
                assert all(ring.is_ccw for ring in polygon.interiors), (name, feature["id"])


def test_national_resolution_is_smaller_and_keeps_neighbours_touching(imported):
    folder, _manifest = imported
    national = {
        f["id"]: shapely.from_geojson(json.dumps(f["geometry"]))
        for f in _features(folder / "districts-national.geojson")
    }
    detailed = {}
    for state in ("OR", "NY"):
        detailed.update(
            {
                f["id"]: shapely.from_geojson(json.dumps(f["geometry"]))
                for f in _features(folder / f"districts-{state}.geojson")
            }
        )
    points = lambda shapes: sum(shapely.get_num_coordinates(g) for g in shapes)  # noqa: E731
    assert points(national[g] for g in detailed) < points(detailed.values())
    # Coverage simplification: Oregon's districts still cover Oregon without gaps or overlaps.
    oregon = [national[g] for g in national if g.startswith("41")]
    union = shapely.union_all(oregon)
    assert abs(union.area - sum(g.area for g in oregon)) < 1e-6 * union.area
    assert (folder / "districts-national.geojson").stat().st_size < 400_000


def test_manifest_checksums_are_verified(imported, cache_dir, districts):
    geo.import_file(districts)
    boundaries = geo_cache.cached(119)
    assert boundaries is not None and len(boundaries.centroids) == 437
    national = cache_dir / "geo" / "cd119" / "districts-national.geojson"
    assert geo_cache.file_path(119, "districts-national.geojson") == national
    assert geo_cache.file_path(119, "manifest.json") is None  # only listed files are served
    target = cache_dir / "geo" / "cd119" / "districts-OR.geojson"
    target.write_text(target.read_text().replace("4101", "4199"))
    manifest = cache_dir / "geo" / "cd119" / "manifest.json"
    os.utime(manifest, (manifest.stat().st_atime, manifest.stat().st_mtime + 5))  # readers verify again
    assert geo_cache.cached(119) is None
    assert geo_cache.for_cycle(2024) is None


def test_a_cycle_without_its_own_boundaries_is_drawn_on_the_nearest(cache_dir, districts):
    assert geo_cache.for_cycle(2026) is None
    geo.import_file(districts)
    assert geo_cache.for_cycle(2024).congress == 119
    assert geo_cache.for_cycle(2026).congress == 119  # 120th not published: the 119th, labelled by the page
    assert geo_cache.for_cycle(2022).congress == 119


def _census_zip(tmp_path: Path, congress: int, districts: Path) -> Path:
    """A Census-shaped zipped shapefile (STATEFP, CD<congress>FP, GEOID) of three states, with an
    island area and a 'ZZ' area the reader must drop."""
    import geopandas as gpd

    frame = gpd.read_file(districts)
    frame = frame[frame["state"].isin(["OR", "DC", "WY"])]
    census = gpd.GeoDataFrame(
        {"STATEFP": frame["STATEFP"], f"CD{congress}FP": frame["CD119FP"], "GEOID": frame["GEOID"]},
        geometry=list(frame.geometry),
        crs="EPSG:4269",
    )
    extra = gpd.GeoDataFrame(
        {"STATEFP": ["66", "41"], f"CD{congress}FP": ["98", "ZZ"], "GEOID": ["6698", "41ZZ"]},
        geometry=[shapely.box(144.6, 13.2, 145.0, 13.6), shapely.box(-124, 46, -123.9, 46.1)],
        crs="EPSG:4269",
    )
    folder = tmp_path / "shp"
    folder.mkdir()
    name = f"cb_2023_us_cd{congress}_5m"
    gpd.GeoDataFrame(pd_concat([census, extra])).to_file(folder / f"{name}.shp")
    archive = tmp_path / f"{name}.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    return archive


def pd_concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def test_a_census_zip_is_read_and_its_congress_detected(cache_dir, tmp_path, districts):
    manifest = geo.import_file(_census_zip(tmp_path, 118, districts))
    assert manifest["congress"] == 118
    features = _features(cache_dir / "geo" / "cd118" / "districts-national.geojson")
    assert sorted(f["id"] for f in features) == ["1198", "4101", "4102", "4103", "4104", "4105", "4106", "5600"]
    assert "GU: 0 districts, 1 seats" not in manifest["seat_differences"]  # island areas are dropped


def test_download_reads_the_census_file_over_http(cache_dir, tmp_path, monkeypatch, districts):
    archive = _census_zip(tmp_path, 118, districts)
    requested = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            if self.path.endswith(archive.name):
                body = archive.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_response(404)
                self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        monkeypatch.setattr(
            geo, "CENSUS_URL", f"http://127.0.0.1:{port}/GENZ{{year}}/cb_{{year}}_us_cd{{congress}}_{{resolution}}.zip"
        )
        outcome = geo.obtain([118, 120], if_missing=True)
    finally:
        server.shutdown()
    assert outcome[118] == "downloaded"
    assert outcome[120].startswith("not available")
    assert requested == ["/GENZ2023/cb_2023_us_cd118_5m.zip", "/GENZ2026/cb_2026_us_cd120_5m.zip"]
    boundaries = geo_cache.cached(118)
    assert boundaries.manifest["source"]["kind"] == "census"
    assert boundaries.manifest["source"]["url"].endswith("cb_2023_us_cd118_5m.zip")


def test_nothing_obtainable_is_a_clear_error(cache_dir, monkeypatch):
    monkeypatch.setattr(geo, "CENSUS_URL", "http://127.0.0.1:9/cb_{year}_us_cd{congress}_{resolution}.zip")
    with pytest.raises(geo.BoundariesUnavailable, match="--from FILE"):
        geo.obtain([119])
