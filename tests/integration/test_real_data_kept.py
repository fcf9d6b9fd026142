"""`make serve` (`demo --if-missing`) and `demo` never replace real data with the demo (issue 12: after a
summaries-only bulk load, `make serve` generated the demo over raw/, and the next load published the
synthetic rows labelled as FEC bulk data)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashboard.core import contract
from dashboard.pipeline import cli
from dashboard.store import layout
from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools import bulk_layout

CYCLE = 2024


@pytest.fixture(scope="module")
def bulk_files(small_snapshot, tmp_path_factory) -> Path:
    """The small demo's 2024 masters and candidate summaries as FEC bulk files."""
    folder = tmp_path_factory.mktemp("bulk-masters-summaries")
    bulk_layout.write_cycle(small_snapshot, CYCLE, folder, kinds=("cn", "cm", "ccl", "weball"))
    return folder


def run(monkeypatch, data_dir: Path, *argv: str) -> int:
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    monkeypatch.setenv("DEMO_ROWS", "4000")  # small, should a demo (wrongly) be generated
    return cli.main(list(argv))


def raw_files(data_dir: Path) -> dict[str, int]:
    return {str(p.relative_to(data_dir)): p.stat().st_mtime_ns for p in layout.raw_dir(data_dir).glob("**/*.parquet")}


def test_a_summaries_only_bulk_load_survives_make_serve(bulk_files, tmp_path, monkeypatch, capsys):
    summaries = tmp_path / "files"
    summaries.mkdir()
    shutil.copy(bulk_files / f"weball{CYCLE % 100}.txt", summaries)
    data_dir = tmp_path / "data"
    run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(summaries))
    loaded = raw_files(data_dir)
    assert loaded and all(Path(p).name.startswith("bulk-") for p in loaded)
    capsys.readouterr()

    code = run(monkeypatch, data_dir, "demo", "--if-missing")

    assert raw_files(data_dir) == loaded  # not one file deleted, added or rewritten
    assert not (data_dir / "demo_truth").exists()
    snapshot = current_snapshot(data_dir)
    if snapshot is None:  # nothing publishable from a summary file alone: says so, keeps the data
        err = capsys.readouterr().err
        assert code == 1 and "is kept, no demo generated" in err and err.count("\n") == 1, err
    else:
        assert code == 0 and read_manifest(snapshot)["source"] == "bulk"


def test_a_published_bulk_load_is_served_rebuilt_and_never_replaced(bulk_files, tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "data"
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(bulk_files)) == 0
    published = current_snapshot(data_dir)
    assert read_manifest(published)["source"] == "bulk"
    loaded = raw_files(data_dir)
    capsys.readouterr()

    # make serve: the bulk snapshot is served as it is
    assert run(monkeypatch, data_dir, "demo", "--if-missing") == 0
    assert current_snapshot(data_dir) == published and raw_files(data_dir) == loaded
    assert "no demo generated" in capsys.readouterr().out

    # an explicit demo refuses in one line that says what to do, and changes nothing
    assert run(monkeypatch, data_dir, "demo") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bulk" in err and "DATA_CACHE_DIR" in err, err
    assert current_snapshot(data_dir) == published and raw_files(data_dir) == loaded

    # a snapshot of an older schema is rebuilt from the bulk files, still labelled bulk
    manifest_path = layout.manifest_path(published)
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "schema_version": contract.SCHEMA_VERSION - 1}))
    assert run(monkeypatch, data_dir, "demo", "--if-missing") == 0
    rebuilt = current_snapshot(data_dir)
    assert rebuilt != published and read_manifest(rebuilt)["source"] == "bulk"
    assert raw_files(data_dir) == loaded and not (data_dir / "demo_truth").exists()


def test_a_snapshot_of_real_data_without_its_raw_files_is_not_replaced(bulk_files, tmp_path, monkeypatch, capsys):
    data_dir = tmp_path / "data"
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(bulk_files)) == 0
    published = current_snapshot(data_dir)
    shutil.rmtree(layout.raw_dir(data_dir))
    assert run(monkeypatch, data_dir, "demo", "--if-missing") == 0
    assert run(monkeypatch, data_dir, "demo") == 1
    assert "a published snapshot from bulk" in capsys.readouterr().err
    assert current_snapshot(data_dir) == published and not layout.raw_dir(data_dir).exists()


def test_demo_data_is_still_regenerated_on_request(tmp_path, monkeypatch, demo_builds):
    data_dir = demo_builds.copy(tmp_path / "data")
    before = current_snapshot(data_dir)
    assert run(monkeypatch, data_dir, "demo", "--rows", "4000") == 0
    after = current_snapshot(data_dir)
    assert after != before and read_manifest(after)["source"] == "demo"
    assert read_manifest(after)["demo"]["rows"] == 4000
