"""The build's DuckDB takes its memory, threads and spill folder from the settings (docs/scaling.md)."""

from __future__ import annotations

from dashboard.pipeline import duck


def _setting(con, name: str) -> str:
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def test_the_build_spills_to_duckdb_temp_dir_with_its_memory_and_threads(tmp_path, monkeypatch):
    spill = tmp_path / "fast-disk" / "spill"
    monkeypatch.setenv("DUCKDB_TEMP_DIR", str(spill))
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "256MB")
    monkeypatch.setenv("DUCKDB_THREADS", "1")
    con = duck.connect(tmp_path / "data")

    assert spill.is_dir()  # created for it
    assert _setting(con, "temp_directory") == str(spill)
    assert _setting(con, "threads") == 1
    assert _setting(con, "memory_limit") in ("256.0 MiB", "244.1 MiB")  # DuckDB prints MB as MiB
    # A sort four times the memory limit finishes by spilling there.
    rows = con.execute(
        "SELECT count(*) FROM (SELECT md5(i::VARCHAR) || repeat('x', 100) AS s FROM range(4000000) t(i) ORDER BY s)"
    ).fetchone()[0]
    assert rows == 4_000_000


def test_without_duckdb_temp_dir_the_build_spills_into_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DUCKDB_TEMP_DIR", raising=False)
    con = duck.connect(tmp_path / "data")
    assert _setting(con, "temp_directory") == str(tmp_path / "data" / "tmp")
