"""The DuckDB connection a pipeline process builds or parses with: bounded memory and threads,
spilling beyond the memory to DUCKDB_TEMP_DIR (default: the data directory's tmp/)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import config


class SettingError(ValueError):
    """A setting the pipeline cannot use; the message names it."""


def connect(data_dir: Path, progress_bar: bool = False) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB within DUCKDB_MEMORY_LIMIT and DUCKDB_THREADS, spilling to `spill_dir`."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit()}'")
    con.execute(f"SET threads = {int(config.get('DUCKDB_THREADS'))}")
    spill = spill_dir(data_dir)
    spill.mkdir(parents=True, exist_ok=True)
    con.execute("SET temp_directory = ?", [str(spill)])
    con.execute("SET preserve_insertion_order = false")
    if not progress_bar:
        con.execute("SET enable_progress_bar = false")  # our processes report their own progress
    return con


def memory_limit() -> str:
    """DUCKDB_MEMORY_LIMIT goes into a SET statement, so accept only sizes like 4GB or 512MB."""
    try:
        return config.size("DUCKDB_MEMORY_LIMIT")
    except config.SizeSettingError as exc:
        raise SettingError(str(exc)) from None


def spill_dir(data_dir: Path) -> Path:
    """DUCKDB_TEMP_DIR, else the data directory's tmp/: where sorts and joins larger than the memory
    limit go. A big build wants it on a fast local disk, apart from the data directory if that is slower."""
    configured = config.get("DUCKDB_TEMP_DIR").strip()
    return Path(configured).expanduser().resolve() if configured else Path(data_dir) / "tmp"
