"""The DuckDB connection a pipeline process builds or parses with: bounded memory, spilling to
the data directory's tmp/ beyond it."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import config


class SettingError(ValueError):
    """A setting the pipeline cannot use; the message names it."""


def connect(data_dir: Path, progress_bar: bool = False) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB within DUCKDB_MEMORY_LIMIT and DUCKDB_THREADS."""
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit()}'")
    con.execute(f"SET threads = {int(config.get('DUCKDB_THREADS'))}")
    spill = Path(data_dir) / "tmp"
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
