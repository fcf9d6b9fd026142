"""The ZCTA-to-district relationship: parsed from the Census file (a real excerpt: BOM, pipes, land
areas) or a real pair list without weights, with a real ZIP -> ZCTA crosswalk; cached with checksums
by `python -m dashboard geo` (from a local file, or downloaded from a local server standing in for the
Census Bureau) and read back verified by dashboard.store.geo_cache."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pandas as pd
import pytest

from dashboard.pipeline import census
from dashboard.pipeline.cli import main
from dashboard.store import files, geo_cache

EXCERPT_SHA256 = "7575988b1e31c4cd093c9286b2ce365818edce4ec997284d1905ca6266834c1e"


@pytest.fixture(scope="module")
def zcta_files(shared_data) -> dict[str, Path]:
    folder = shared_data / "geo" / "zcta"
    if not folder.is_dir():
        pytest.skip("needs ../shared/data/geo/zcta (the Census relationship excerpt and the pair list)")
    return {
        "excerpt": folder / "tab20_cd11920_zcta520_natl.EXCERPT.txt",
        "pairs": folder / "zccd_119_OpenSourceActivismTech.csv",
        "crosswalk": folder / "ZIPCodetoZCTACrosswalk2021UDS.sheet1.csv",
    }


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    return tmp_path


def test_the_census_excerpt_is_read_through_its_bom_with_land_weights(zcta_files):
    assert zcta_files["excerpt"].read_bytes()[:3] == b"\xef\xbb\xbf"  # the real file's byte-order mark
    congress, table, weighted = census.read_relationship(zcta_files["excerpt"])
    assert congress == 119 and weighted
    # the two rows outside every ZCTA (water) are dropped; AL is state FIPS 01
    assert table[["zcta5", "state", "district"]].values.tolist() == [
        ["36005", "AL", "02"],
        ["36009", "AL", "01"],
        ["36009", "AL", "02"],
        ["36010", "AL", "01"],
        ["36010", "AL", "02"],
        ["36038", "AL", "01"],
        ["36301", "AL", "01"],
    ]
    weights = table.set_index(["zcta5", "district"])["land_weight"]
    assert weights[("36009", "01")] == pytest.approx(4938464 / 417245447)  # AREALAND_PART / AREALAND_ZCTA5_20
    assert weights[("36010", "02")] == pytest.approx(271765350 / 335675180)
    assert table.groupby("zcta5")["land_weight"].sum().tolist() == pytest.approx([1.0] * 5)


def test_the_pair_list_has_no_weights_and_every_seat(zcta_files):
    congress, table, weighted = census.read_relationship(zcta_files["pairs"])
    assert congress is None and not weighted
    assert table["land_weight"].isna().all()
    assert table["zcta5"].nunique() == 33_774
    assert len(table) == 42_033
    # cd 0 is at-large or a delegate: FEC's '00'
    assert set(table.loc[table["state"].isin(["WY", "DC", "PR"]), "district"]) == {"00"}
    assert table.groupby("zcta5").size().max() >= 4


def test_the_crosswalk_maps_usps_zips_and_leaves_out_zips_without_a_zcta(zcta_files):
    crosswalk = census.read_zip_crosswalk(zcta_files["crosswalk"])
    assert len(crosswalk) == 41_083  # of 41,091: the 8 territory ZIPs with no ZCTA are left out
    lookup = crosswalk.set_index("zip5")["zcta5"]
    assert lookup["00501"] == "11742" and lookup["00601"] == "00601"
    assert "96939" not in lookup.index


def test_geo_imports_the_excerpt_and_the_cache_is_verified(cache_dir, zcta_files, capsys):
    assert main(["geo", "--only", "zcta", "--zcta-from", str(zcta_files["excerpt"])]) == 0
    assert "imported" in capsys.readouterr().out
    relationship = geo_cache.cached_zcta(119)
    assert relationship is not None and relationship.weighted and relationship.crosswalk is None
    manifest = relationship.manifest
    assert manifest["source"]["sha256"] == EXCERPT_SHA256 == files.sha256(zcta_files["excerpt"])
    assert (manifest["n_pairs"], manifest["n_zctas"], manifest["n_split_zctas"]) == (7, 5, 2)
    assert manifest["files"]["zcta_districts.parquet"] == files.sha256(relationship.table)
    assert pd.read_parquet(relationship.table).shape == (7, 4)
    # the cycles of the 2020 apportionment use it, labelled by the caller; others never
    assert geo_cache.zcta_for_cycle(2024).congress == 119
    assert geo_cache.zcta_for_cycle(2026).congress == 119
    assert geo_cache.zcta_for_cycle(2022).congress == 119
    assert geo_cache.zcta_for_cycle(2020) is None
    # a damaged file is refused
    relationship.table.write_bytes(relationship.table.read_bytes()[:-10])
    (cache_dir / "geo" / "zcta-cd119" / "manifest.json").touch()
    assert geo_cache.cached_zcta(119) is None


def test_geo_imports_pairs_without_weights_with_a_crosswalk(cache_dir, zcta_files):
    code = main(
        [
            "geo",
            "--only",
            "zcta",
            "--zcta-from",
            str(zcta_files["pairs"]),
            "--zip-crosswalk",
            str(zcta_files["crosswalk"]),
        ]
    )
    assert code == 0
    relationship = geo_cache.cached_zcta(119)  # the Congress is read from the file name
    assert not relationship.weighted
    assert relationship.manifest["kind"] == census.PAIRS_WITHOUT_WEIGHTS
    assert len(pd.read_parquet(relationship.crosswalk)) == 41_083


def test_geo_downloads_the_relationship_and_checks_its_checksum(cache_dir, zcta_files, monkeypatch):
    body = zcta_files["excerpt"].read_bytes()
    requested = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            if self.path.endswith("tab20_cd11920_zcta520_natl.txt"):
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
            census, "ZCTA_URL", f"http://127.0.0.1:{port}/cd-sld/tab20_cd{{congress}}20_zcta520_natl.txt"
        )
        # 2026 (120th, unpublished) and 2024 both need the 119th's file: downloaded once
        outcome = census.obtain_zcta([119, 120])
        assert outcome == {119: "downloaded (checksum differs)"}  # the excerpt is not the whole file
        monkeypatch.setitem(census.ZCTA_FILES, 119, EXCERPT_SHA256)
        assert census.obtain_zcta([119]) == {119: "downloaded (checksum matches)"}
        assert census.obtain_zcta([119], if_missing=True) == {119: "already cached"}
        outcome = census.obtain_zcta([118])
    except census.RelationshipUnavailable:
        outcome = None
    finally:
        server.shutdown()
    assert requested == ["/cd-sld/tab20_cd11920_zcta520_natl.txt"] * 2 + ["/cd-sld/tab20_cd11820_zcta520_natl.txt"]
    assert outcome is None  # the 118th's file is not served here: nothing of it is cached
    source = geo_cache.cached_zcta(119).manifest["source"]
    assert source["kind"] == "census" and source["url"].endswith("tab20_cd11920_zcta520_natl.txt")
    assert source["sha256"] == EXCERPT_SHA256 and source["checksum"] == "matches"


def test_nothing_obtainable_is_a_clear_error(cache_dir, monkeypatch, capsys):
    monkeypatch.setattr(census, "ZCTA_URL", "http://127.0.0.1:9/tab20_cd{congress}20_zcta520_natl.txt")
    with pytest.raises(census.RelationshipUnavailable, match="--zcta-from FILE"):
        census.obtain_zcta([119])
    assert main(["geo", "--only", "zcta", "--cycle", "2024"]) == 1
    assert "--zcta-from FILE" in capsys.readouterr().err


def test_each_congress_is_served_by_a_published_file_of_its_apportionment():
    assert census.relationship_congress(119) == 119 and census.relationship_congress(118) == 118
    assert census.relationship_congress(120) == 119  # 2026's lines: not published, the 2024 election's stand in
    assert census.relationship_congress(117) is None  # 2020 ran on the 2010 apportionment's districts
