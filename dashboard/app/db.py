"""DuckDB over the published snapshot: the only place the app opens a database.

One in-memory DuckDB database per *process*, opened on first use so that it is created after
gunicorn forks its workers (a connection inherited across a fork is unusable). Every extract of
the snapshot that `$DATA_CACHE_DIR/current` points to is a view named like the extract, so the
SQL in `dashboard/queries/` reads `FROM candidates`, `FROM receipts`, ... The snapshot's search
index (search.duckdb, a DuckDB file) is attached read-only and its tables are views too.

Threads never share a connection (DuckDB 2.0 fails when they do): each thread gets its own
cursor on the process's database, and the cursors see the same views.

Before every query the `current` symlink is resolved again. When a new snapshot has been
published the views are re-created (under a lock) and the next query reads the new files: a
refresh needs no restart. Old snapshot files stay on disk for a while after a swap, so a query
that started just before it still finishes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.core import config, contract, normalize
from dashboard.core.sql import quote_literal
from dashboard.store import layout, snapshots

log = logging.getLogger(__name__)


class NoSnapshotError(RuntimeError):
    """No snapshot has been published yet (or `current` points at nothing usable)."""


class QueryTimeoutError(RuntimeError):
    """A query ran longer than QUERY_TIMEOUT_MS and was cancelled."""


class _Database:
    """The process's DuckDB database and which snapshot its views currently read."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.connection = duckdb.connect(":memory:")
        # Bounded per worker: blocks of the search index read from disk are cached up to this.
        self.connection.execute(f"SET memory_limit = '{config.size('QUERY_MEMORY_LIMIT')}'")
        # Cache Parquet footers between queries: the views re-open the same files constantly.
        self.connection.execute("SET enable_object_cache = true")
        # Top-N lists (e.g. the largest contributions) fetch full rows only for the few that win;
        # measured 4x faster on the trends page's whole-cycle list of the 40M-row benchmark.
        self.connection.execute("SET late_materialization_max_rows = 1000")
        # The builder's normalization rules, so a filter can match values exactly as grouped.
        normalize.install(self.connection)
        self.snapshot_dir: str | None = None
        self.generation = 0  # bumped on every view swap; thread cursors compare against it
        self.manifest: tuple[str, dict] | None = None  # (snapshot folder, its manifest)
        self.search_indexes: list[str] = []  # aliases of the attached search indexes, oldest first


_lock = threading.RLock()
_database: _Database | None = None
_local = threading.local()


def _forget_parent_database() -> None:
    """In a forked child, drop the parent's connection and lock (a lock held by another
    parent thread at fork time would never be released here). The pid check in
    `_database_for` covers processes forked without os.fork's hooks."""
    global _lock, _database, _local
    _lock, _database, _local = threading.RLock(), None, threading.local()


os.register_at_fork(after_in_child=_forget_parent_database)


def current_link() -> Path:
    return layout.current_link(config.data_dir())


def _resolve_snapshot_dir() -> str:
    """The real folder `current` points to, or NoSnapshotError with what to do about it."""
    link = current_link()
    real = os.path.realpath(link)
    if not os.path.isdir(real):
        raise NoSnapshotError(
            f"No published snapshot at {link}. Build one with `make serve` or `python -m dashboard demo`."
        )
    return real


def _view_sources(snapshot_dir: str) -> dict[str, str]:
    """Extract name -> the table function that reads it, for every extract present on disk."""
    sources = {}
    for name in contract.extract_names():
        if not layout.extract_exists(snapshot_dir, name):
            log.warning("snapshot %s has no %s; its view is missing", snapshot_dir, name)
            continue
        sources[name] = layout.extract_reader(snapshot_dir, name)
    return sources


def _attach_search_index(database: _Database, snapshot_dir: str) -> dict[str, str]:
    """Attach the snapshot's search index (a DuckDB file, read-only) under a new name; its tables
    -> where to read them. The index attached before the previous one is detached: the previous
    one may still be read by a query that started before this swap."""
    path = layout.search_index_path(Path(snapshot_dir))
    if not path.is_file():
        log.warning("snapshot %s has no search index; the receipts explorer cannot search it", snapshot_dir)
        return {}
    alias = f"search_index_{database.generation + 1}"
    database.connection.execute(f"ATTACH {quote_literal(str(path))} AS {alias} (READ_ONLY)")
    database.search_indexes.append(alias)
    while len(database.search_indexes) > 2:
        database.connection.execute(f"DETACH {database.search_indexes.pop(0)}")
    return {table: f"{alias}.{table}" for table in contract.SEARCH_INDEX}


def _point_views_at(database: _Database, snapshot_dir: str) -> None:
    connection = database.connection
    sources = {**_view_sources(snapshot_dir), **_attach_search_index(database, snapshot_dir)}
    for name, source in sources.items():
        connection.execute(f'CREATE OR REPLACE VIEW "{name}" AS SELECT * FROM {source}')
    database.snapshot_dir = snapshot_dir
    database.generation += 1
    log.info("pid %s now reads snapshot %s", database.pid, snapshot_dir)


def _database_for(snapshot_dir: str) -> _Database:
    """This process's database with views over `snapshot_dir` (opened or swapped if needed)."""
    global _database
    database = _database
    if database is not None and database.pid == os.getpid() and database.snapshot_dir == snapshot_dir:
        return database
    with _lock:
        if _database is None or _database.pid != os.getpid():
            # First use in this process, or a forked child holding its parent's connection.
            _database = _Database()
        if _database.snapshot_dir != snapshot_dir:
            _point_views_at(_database, snapshot_dir)
        return _database


def _cursor(database: _Database) -> duckdb.DuckDBPyConnection:
    """This thread's cursor, renewed when the process or the views changed under it."""
    cached = getattr(_local, "cursor", None)
    if cached is not None and _local.database is database and _local.generation == database.generation:
        return cached
    with _lock:
        cursor = database.connection.cursor()
    _local.cursor, _local.database, _local.generation = cursor, database, database.generation
    return cursor


class _Deadline:
    """Interrupts a cursor's query if it is still running after `seconds`.

    The flag and the lock make sure a late timer never interrupts the *next* query that the
    same cursor runs.
    """

    def __init__(self, cursor, seconds: float) -> None:
        self._cursor = cursor
        self._lock = threading.Lock()
        self._running = True
        self.fired = False
        self._timer = threading.Timer(seconds, self._interrupt)
        self._timer.daemon = True

    def _interrupt(self) -> None:
        with self._lock:
            if self._running:
                self.fired = True
                self._cursor.interrupt()

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._running = False
        self._timer.cancel()


def query(sql: str, params=None) -> pd.DataFrame:
    """Run one parameterized query (`?` placeholders) against the current snapshot."""
    database = _database_for(_resolve_snapshot_dir())
    cursor = _cursor(database)
    timeout_ms = config.get("QUERY_TIMEOUT_MS")
    started = time.perf_counter()
    if timeout_ms <= 0:
        return cursor.execute(sql, params or []).fetchdf()
    with _Deadline(cursor, timeout_ms / 1000) as deadline:
        try:
            result = cursor.execute(sql, params or []).fetchdf()
        except duckdb.InterruptException as exc:
            if deadline.fired:
                raise QueryTimeoutError(f"query cancelled after {timeout_ms} ms (QUERY_TIMEOUT_MS)") from exc
            raise
    elapsed_ms = (time.perf_counter() - started) * 1000
    if elapsed_ms > timeout_ms / 2:
        log.warning("slow query (%.0f ms): %s", elapsed_ms, " ".join(sql.split())[:200])
    return result


def stream(sql: str, params=None, batch_rows: int = 50_000) -> Iterator[pa.RecordBatch]:
    """One parameterized query's result as Arrow record batches, never all of it at once (for
    exports). The query runs on a cursor of its own, closed when the batches run out or the
    consumer stops, so a half-read result never breaks the thread's cursor. QUERY_TIMEOUT_MS
    covers the wait for the first batch (a sort finishes before it), which is fetched before
    this returns: a timeout is raised here, not halfway through a download."""
    database = _database_for(_resolve_snapshot_dir())
    with _lock:
        cursor = database.connection.cursor()
    timeout_ms = config.get("QUERY_TIMEOUT_MS")
    deadline = _Deadline(cursor, timeout_ms / 1000) if timeout_ms > 0 else contextlib.nullcontext()
    try:
        with deadline:
            try:
                reader = cursor.sql(sql, params=params or []).to_arrow_reader(batch_rows)
                first = next(iter(reader), None)
            except Exception as exc:
                if getattr(deadline, "fired", False):
                    raise QueryTimeoutError(f"query cancelled after {timeout_ms} ms (QUERY_TIMEOUT_MS)") from exc
                raise
    except BaseException:
        cursor.close()
        raise

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            if first is None:  # no rows: one empty batch still carries the columns
                yield pa.RecordBatch.from_pylist([], schema=reader.schema)
            else:
                yield first
                yield from reader
        finally:
            cursor.close()

    return batches()


def manifest() -> dict:
    """The current snapshot's manifest.json, read once per snapshot."""
    snapshot = _resolve_snapshot_dir()
    database = _database_for(snapshot)
    cached = database.manifest
    if cached is not None and cached[0] == snapshot:
        return cached[1]
    try:
        loaded = snapshots.read_manifest(Path(snapshot))
    except FileNotFoundError as exc:
        raise NoSnapshotError(f"The snapshot {snapshot} has no manifest.json.") from exc
    database.manifest = (snapshot, loaded)
    return loaded


def snapshot_dir() -> Path:
    """The folder of the snapshot queries read now."""
    return Path(_database_for(_resolve_snapshot_dir()).snapshot_dir)


def has_snapshot() -> bool:
    try:
        _resolve_snapshot_dir()
    except NoSnapshotError:
        return False
    return True
