"""A snapshot's `source` is read from the names of the raw files on disk: demo, bulk, api or a mix."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.store import layout


def _touch(data_dir: Path, *names: str) -> None:
    for name in names:
        path = layout.raw_dir(data_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")


@pytest.mark.parametrize(
    "names, source",
    [
        ((), "none"),
        (("schedule_a/cycle=2024/demo.parquet", "candidates/demo-2024.parquet"), "demo"),
        (("candidates/bulk-2024-cn-00000.parquet", "bulk_weball/bulk-2024-weball-00000.parquet"), "bulk"),
        (("candidates/api-2026.parquet", "schedule_a/cycle=2026/api-20261204.parquet"), "api"),
        (("bulk_weball/bulk-2024-weball-00000.parquet", "candidates/api-2026.parquet"), "bulk+api"),
        (("candidates/api-2026.parquet", "candidates/demo-2024.parquet"), "api+demo"),
        (("reports/bulk-2024.parquet", "candidates/api-2026.parquet", "reports/demo-2022.parquet"), "bulk+api+demo"),
        (("candidates/mine.parquet",), "other"),  # a file no source of ours wrote is never called demo
    ],
)
def test_the_source_names_every_origin_of_the_raw_files(tmp_path, names, source):
    _touch(tmp_path, *names)
    assert layout.raw_source(tmp_path) == source


def test_api_rows_from_a_server_that_said_they_are_synthetic_count_as_demo(tmp_path):
    _touch(tmp_path, "candidates/api-2026.parquet", "bulk_weball/bulk-2024-weball-00000.parquet")
    layout.synthetic_api_marker(tmp_path).touch()
    assert layout.raw_source(tmp_path) == "bulk+demo"


def test_source_parts_split_a_mix():
    assert layout.source_parts("bulk+api") == ["bulk", "api"]
    assert layout.source_parts("demo") == ["demo"]
    assert layout.source_parts(None) == []
