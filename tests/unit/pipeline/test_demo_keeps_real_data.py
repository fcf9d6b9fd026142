"""The demo generator replaces only its own files, and a build labels a snapshot by the raw files
it was built from (issue 12: a demo run once deleted a bulk load, then was published as bulk data)."""

from __future__ import annotations

from pathlib import Path

from dashboard.pipeline import demo
from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.store import layout


def test_generating_the_demo_leaves_other_sources_raw_files_alone(tmp_path: Path):
    raw = layout.raw_dir(tmp_path)
    bulk = raw / "bulk_weball" / "bulk-2024-weball-00000.parquet"
    api = raw / "candidates" / "api-2026.parquet"
    stale_demo = raw / "schedule_a" / "cycle=2020" / "demo.parquet"  # an earlier demo's, not made again
    for path, body in ((bulk, b"bulk rows"), (api, b"api rows"), (stale_demo, b"old demo")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    demo.generate(tmp_path, rows=4_000, seed=3)
    assert bulk.read_bytes() == b"bulk rows" and api.read_bytes() == b"api rows"
    assert not stale_demo.exists()
    assert layout.raw_origins(tmp_path) == {"bulk", "api", "demo"}
    assert (tmp_path / "demo_truth" / "candidates.parquet").is_file()


def test_a_build_names_the_sources_of_its_rows(tmp_path: Path, demo_builds):
    data_dir = demo_builds.copy(tmp_path / "data")
    assert build_and_publish(data_dir)["source"] == "demo"
    # The 2024 candidates as if a refresh had stored them: demo and API rows together.
    raw = layout.raw_dir(data_dir)
    (raw / "candidates" / "demo-2024.parquet").rename(raw / "candidates" / "api-2024.parquet")
    assert build_and_publish(data_dir)["source"] == "api+demo"
    for path in raw.glob("**/demo*.parquet"):
        path.rename(path.with_name("bulk-" + path.name))
    assert build_and_publish(data_dir)["source"] == "bulk+api"
    layout.synthetic_api_marker(data_dir).touch()  # the API rows came from the local fake
    assert build_and_publish(data_dir)["source"] == "bulk+demo"
