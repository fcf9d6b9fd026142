"""DuckDB over the published snapshot: the only place the app opens a database.

One in-memory DuckDB database per *process*, opened on first use so that it is created after
gunicorn forks its workers (a connection inherited across a fork is unusable). Every extract of
the snapshot that `$DATA_CACHE_DIR/current` points to is a view named like the extract, so the
SQL in `dashboard/queries/` reads `FROM candidates`, `FROM receipts`, ... The snapshot's search
index (search.duckdb, a DuckDB file) is attached read-only and its tables are views too.

Threads never share a connection (DuckDB 2.0 fails when they do): each thread gets its own
cursor on the process's database, and the cursors see the same views.

Each snapshot's views live in a schema of their own, and a cursor reads one of them (its
search_path). A request resolves `current` at its first query and reads that snapshot to its end
(flask.g), so one page render never mixes two snapshots; the next request reads the new one: a
refresh needs no restart. The views of older snapshots still kept on disk stay open while the newest
is served, and their files stay on disk for a while after a swap, so a request that started before it
still finishes.

Behind a load balancer, the servers of a rolling update are on different snapshots for a while. A page
names its snapshot in its shell and the browser sends it back with each callback (X-Snapshot-Id,
assets/snapshot_pin.js): `pin_request` makes the request read that snapshot while it is still on disk,
so every answer of one page load comes from one snapshot whichever server gives it (SnapshotNotHereYet
when this server has not received it yet: the load balancer asks another one).

A snapshot is opened only if its files match its manifest (dashboard.store.checksums: presence and
sizes, looked at again every RECHECK_SECONDS); a damaged one raises SnapshotDamagedError instead of
answering wrong.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Iterator

import duckdb
import flask
import pandas as pd
import pyarrow as pa

from dashboard.core import config, contract, normalize
from dashboard.core.sql import quote_literal
from dashboard.store import checksums, layout

log = logging.getLogger(__name__)


class NoSnapshotError(RuntimeError):
    """No snapshot has been published yet (or `current` points at nothing usable)."""


class SnapshotNotHereYet(RuntimeError):
    """A request asks for a snapshot newer than any this server has (it is behind in a rolling update):
    answering from an older one would mix two snapshots in one page load."""


class QueryTimeoutError(RuntimeError):
    """A query ran longer than QUERY_TIMEOUT_MS and was cancelled."""


class SnapshotDamagedError(NoSnapshotError):
    """The snapshot `current` points to is not whole (a file missing or of the wrong size, a manifest
    unreadable): nothing is answered from it, rather than a wrong answer ("0 contributions")."""


# How often a worker looks at the served snapshot's files again (a few stat calls), so damage done in
# place after it opened them is found by every worker within this, not only by newly started ones.
RECHECK_SECONDS = 10.0


class _Snapshot:
    """One snapshot's views, in a schema of their own: a query pinned to this snapshot reads these
    even after `current` has moved on (see `_pinned_snapshot_dir`)."""

    def __init__(self, folder: str, schema: str, health: checksums.Health) -> None:
        self.folder = folder
        self.schema = schema
        self.health = health
        self.checked_at = time.monotonic()
        self.search_index: str | None = None  # alias of its attached search index


class _Database:
    """The process's DuckDB database and the snapshots its views read (the newest last)."""

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
        self.snapshots: dict[str, _Snapshot] = {}  # folder -> its views, oldest first
        self.opened = 0  # snapshots opened so far: names their schemas and search indexes


_lock = threading.RLock()
_database: _Database | None = None
_local = threading.local()


def _forget_parent_database() -> None:
    """In a forked child, drop the parent's connection and lock (a lock held by another
    parent thread at fork time would never be released here). The pid check in
    `_snapshot_for` covers processes forked without os.fork's hooks."""
    global _lock, _database, _local
    _lock, _database, _local = threading.RLock(), None, threading.local()


os.register_at_fork(after_in_child=_forget_parent_database)


def current_link() -> Path:
    return layout.current_link(config.data_dir())


def _resolve_snapshot_dir() -> str:
    """The real folder `current` points to, or NoSnapshotError with what to do about it."""
    real = os.path.realpath(current_link())
    if not os.path.isdir(real):
        # No absolute path in a public answer: the log has it.
        log.warning("no published snapshot at %s", current_link())
        raise NoSnapshotError(
            "No data snapshot has been published yet. Build one with `make serve` or `python -m dashboard demo`."
        )
    return real


def _pinned_snapshot_dir() -> str:
    """The snapshot this request reads: `current` as it was at the request's first query, so one page
    render never mixes two snapshots (a publish during it once gave a new footer with an old name); the
    one this worker serves (`serve_snapshot`) when the request was not pinned (/readyz). Outside a request (the command line, tests), `current` as it is now."""
    if not flask.has_request_context():
        return _resolve_snapshot_dir()
    pinned = getattr(flask.g, "snapshot_dir", None)
    if pinned is None or not os.path.isdir(pinned):  # pruned under a very long request: read the new one
        pinned = flask.g.snapshot_dir = _served_dir()
    return pinned


# A snapshot id as dashboard.store.snapshots.new_snapshot_id writes it (20261205T052920283Z): of one
# width, so a later id sorts after an earlier one; anything else a client sends is ignored (and no dot
# or slash can name another folder).
_SNAPSHOT_ID = re.compile(r"\d{8}T\d{9}Z")


# The snapshot this worker answers requests naming none from: the one it adopted, which stays served while
# it warms its answer cache for a newer `current` (dashboard/app/answer_cache.py); None: `current` as it is.
_served_folder: str | None = None


def serve_snapshot(folder: str | None) -> None:
    """Answer requests that name no snapshot from `folder` (a snapshot on disk), or from `current` as it
    is when None. Only the answer cache's watch of `current` calls it (gunicorn workers)."""
    global _served_folder
    _served_folder = folder


def reads_served_snapshot() -> bool:
    """Whether this request reads the snapshot this worker serves now to requests naming none (rather than
    an older or newer one its page was built from, or the one served before an adoption during it)."""
    pinned = pinned_snapshot_id()
    try:
        return pinned is None or pinned == os.path.basename(_served_dir())
    except NoSnapshotError:
        return False


def _served_dir() -> str:
    """The folder requests naming no snapshot read: the one served, else (none set, or pruned) `current`."""
    if _served_folder is not None and os.path.isdir(_served_folder):
        return _served_folder
    return _resolve_snapshot_dir()


def pin_request(requested: str | None) -> str:
    """Pin this request to the snapshot the client asks for (its page's snapshot) when that one is on disk,
    else to the one this worker serves (`current`, or the previous one while it warms for `current`);
    returns the id read. NoSnapshotError when nothing is published here; SnapshotNotHereYet when the
    client's snapshot is newer than this server's (not received yet). A snapshot older than every one
    kept (pruned) gives way to the served one: the page is old anyway."""
    current, served = _resolve_snapshot_dir(), _served_dir()
    if requested and _SNAPSHOT_ID.fullmatch(requested) and requested != os.path.basename(served):
        folder = layout.snapshots_dir(config.data_dir()) / requested
        if folder.is_dir():
            served = str(folder.resolve())
        elif requested > os.path.basename(current):
            raise SnapshotNotHereYet(f"This server has not received data snapshot {requested} yet.")
    flask.g.snapshot_dir = served
    return os.path.basename(served)


def pinned_snapshot_id() -> str | None:
    """The id of the snapshot this request read (or was pinned to), None when it read none."""
    pinned = flask.g.get("snapshot_dir") if flask.has_request_context() else None
    return os.path.basename(pinned) if pinned else None


def _view_sources(snapshot_dir: str) -> dict[str, str]:
    """Extract name -> the table function that reads it, for every extract present on disk."""
    sources = {}
    for name in contract.extract_names():
        if not layout.extract_exists(snapshot_dir, name):
            log.warning("snapshot %s has no %s; its view is missing", snapshot_dir, name)
            continue
        sources[name] = layout.extract_reader(snapshot_dir, name)
    return sources


def _attach_search_index(database: _Database, snapshot: _Snapshot) -> dict[str, str]:
    """Attach the snapshot's search index (a DuckDB file, read-only); its tables -> where to read them."""
    path = layout.search_index_path(Path(snapshot.folder))
    if not path.is_file():
        log.warning("snapshot %s has no search index; the receipts explorer cannot search it", snapshot.folder)
        return {}
    alias = f"search_index_{database.opened}"
    database.connection.execute(f"ATTACH {quote_literal(str(path))} AS {alias} (READ_ONLY)")
    snapshot.search_index = alias
    return {table: f"{alias}.{table}" for table in contract.SEARCH_INDEX}


def _open_snapshot(database: _Database, folder: str) -> _Snapshot:
    """Check a snapshot's files against its manifest and, when whole, create its views in a schema of
    its own. Up to SNAPSHOTS_KEPT (at least 2) stay open, as older ones may still be read by requests
    pinned to them; beyond, the oldest is closed."""
    health = checksums.check(Path(folder))
    database.opened += 1
    snapshot = _Snapshot(folder, f"snapshot_{database.opened}", health)
    if not health.ok:
        log.error("snapshot %s is damaged, not served: %s", folder, health.reason)
    else:
        if not health.verified:
            log.warning("snapshot %s is unverified: %s", folder, health.reason)
        try:
            _create_views(database, snapshot)
            log.info("pid %s now reads snapshot %s", database.pid, folder)
        except duckdb.Error as exc:  # a file of the right size that DuckDB cannot read is damage too
            log.error("snapshot %s is damaged, not served: %s", folder, exc)
            _close_snapshot(database, snapshot)
            snapshot.health = checksums.Health(
                health.snapshot_id,
                False,
                health.verified,
                [f"{getattr(exc, 'extract', 'a file')} could not be read"],
                health.manifest,
            )
    replaced = database.snapshots.pop(folder, None)  # looked at again and found changed
    if replaced is not None:
        _close_snapshot(database, replaced)
    database.snapshots[folder] = snapshot
    # Requests pinned to an older snapshot still on disk may read it: the oldest (by id, as sorted
    # on disk) is closed first, never the one just opened nor the one `current` names.
    kept = {folder, os.path.realpath(current_link()), _served_folder}
    while len(database.snapshots) > max(2, config.get("SNAPSHOTS_KEPT")):
        oldest = min((f for f in database.snapshots if f not in kept), key=os.path.basename)
        _close_snapshot(database, database.snapshots.pop(oldest))
    return snapshot


def _create_views(database: _Database, snapshot: _Snapshot) -> None:
    """The snapshot's schema and its views (DuckDB reads each file's footer here); a duckdb.Error
    names the extract it could not read (`extract`)."""
    connection = database.connection
    connection.execute(f"CREATE SCHEMA {snapshot.schema}")
    try:
        search_index = _attach_search_index(database, snapshot)
    except duckdb.Error as exc:
        exc.extract = layout.SEARCH_INDEX
        raise
    sources = {**_view_sources(snapshot.folder), **search_index}
    for name, source in sources.items():
        try:
            connection.execute(f'CREATE VIEW {snapshot.schema}."{name}" AS SELECT * FROM {source}')
        except duckdb.Error as exc:
            exc.extract = Path(layout.extract_path(snapshot.folder, name)).relative_to(snapshot.folder).as_posix()
            raise


def _close_snapshot(database: _Database, snapshot: _Snapshot) -> None:
    database.connection.execute(f"DROP SCHEMA IF EXISTS {snapshot.schema} CASCADE")
    if snapshot.search_index:
        database.connection.execute(f"DETACH IF EXISTS {snapshot.search_index}")
        snapshot.search_index = None


def _snapshot_for(folder: str, recheck: bool = False) -> _Snapshot:
    """This process's views over the snapshot in `folder` (opened if needed, and its files looked at
    again every RECHECK_SECONDS, or now when `recheck`)."""
    global _database
    database = _database
    if database is not None and database.pid == os.getpid() and not recheck:
        snapshot = database.snapshots.get(folder)
        if snapshot is not None and time.monotonic() - snapshot.checked_at < RECHECK_SECONDS:
            return snapshot
    with _lock:
        if _database is None or _database.pid != os.getpid():
            # First use in this process, or a forked child holding its parent's connection.
            _database = _Database()
        snapshot = _database.snapshots.get(folder)
        if snapshot is None:
            return _open_snapshot(_database, folder)
        if recheck or time.monotonic() - snapshot.checked_at >= RECHECK_SECONDS:
            health = checksums.check(Path(folder))
            if health.ok != snapshot.health.ok or health.problems != snapshot.health.problems:
                return _open_snapshot(_database, folder)  # damaged since, or repaired: views anew
            snapshot.health, snapshot.checked_at = health, time.monotonic()
        return snapshot


def _whole(snapshot: _Snapshot) -> _Snapshot:
    if not snapshot.health.ok:
        raise SnapshotDamagedError(
            f"The data snapshot {snapshot.health.snapshot_id} is damaged, so nothing is answered from it "
            f"until it is rebuilt (`python -m dashboard build`): {snapshot.health.reason}."
        )
    return snapshot


def _cursor(snapshot: _Snapshot) -> duckdb.DuckDBPyConnection:
    """This thread's cursor reading `snapshot`'s views: renewed when the process changed under it,
    pointed at another snapshot's schema when the request reads another one."""
    database = _database
    cached = getattr(_local, "cursor", None)
    if cached is None or _local.database is not database:
        with _lock:
            cached = database.connection.cursor()
        _local.cursor, _local.database, _local.schema = cached, database, None
    if _local.schema != snapshot.schema:
        cached.execute(f"SET search_path = '{snapshot.schema},main'")
        _local.schema = snapshot.schema
    return cached


def _timeout_ms() -> int:
    """QUERY_TIMEOUT_MS, less what this request has spent already when it has a deadline of its own (a
    costly search's wait for its turn counts, dashboard/app/limits.py): QueryTimeoutError when none is left."""
    timeout_ms = config.get("QUERY_TIMEOUT_MS")
    deadline = flask.g.get("query_deadline") if flask.has_request_context() else None
    if deadline is None or timeout_ms <= 0:
        return timeout_ms
    left_ms = int((deadline - time.monotonic()) * 1000)
    if left_ms <= 0:
        raise QueryTimeoutError(f"no time left of QUERY_TIMEOUT_MS ({timeout_ms} ms) for this request")
    return min(timeout_ms, left_ms)


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


def query_once(sql: str, params=None) -> pd.DataFrame:
    """`query`, run once per request: asked again with the same values, a request gets a copy of its first
    answer (it reads one snapshot throughout). The pages router asks a page's title and its layout in one
    request, and both look up the page's subject (a race's candidates, a candidate's cycles and summary)."""
    if not flask.has_request_context():
        return query(sql, params)
    key = (_pinned_snapshot_dir(), sql, tuple(params.items()) if isinstance(params, dict) else tuple(params or ()))
    answers = flask.g.setdefault("query_answers", {})
    if key not in answers:
        answers[key] = query(sql, params)
    return answers[key].copy()  # a copy: callers add columns to what they get


# Answers of `kept_per_snapshot` functions, least recently used first: (function, snapshot folder, arguments).
_kept_answers: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_kept_lock = threading.Lock()
KEPT_ANSWERS = 64


def kept_per_snapshot(function):
    """A query function whose answer (a frame) depends on its arguments and the snapshot read only, kept in
    this process per snapshot (KEPT_ANSWERS of them for all such functions): every switch of the map asks
    the seats of its view again, a third of the switch's time (the answer cache keeps whole answers by the
    view switched from and to, many more than the views). Each caller gets a copy (callers add columns)."""

    @functools.wraps(function)
    def kept(*args, **kwargs):
        folder = _pinned_snapshot_dir()
        _whole(_snapshot_for(folder))  # a snapshot found damaged since answers nothing, kept or not
        key = (function.__qualname__, folder, args, tuple(sorted(kwargs.items())))
        with _kept_lock:
            frame = _kept_answers.get(key)
            if frame is not None:
                _kept_answers.move_to_end(key)
        if frame is None:
            frame = function(*args, **kwargs)
            with _kept_lock:
                _kept_answers[key] = frame
                while len(_kept_answers) > KEPT_ANSWERS:
                    _kept_answers.popitem(last=False)
        return frame.copy()

    return kept


def forget_kept_answers() -> None:
    """Forget what `kept_per_snapshot` functions keep (tests that replace a query function)."""
    with _kept_lock:
        _kept_answers.clear()


def query(sql: str, params=None) -> pd.DataFrame:
    """Run one parameterized query (`?` placeholders) against the current snapshot."""
    cursor = _cursor(_whole(_snapshot_for(_pinned_snapshot_dir())))
    timeout_ms = _timeout_ms()
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
    snapshot = _whole(_snapshot_for(_pinned_snapshot_dir()))
    with _lock:
        cursor = _database.connection.cursor()
    cursor.execute(f"SET search_path = '{snapshot.schema},main'")
    timeout_ms = _timeout_ms()
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

    return _Batches(cursor, reader, first)


class _Batches:
    """The batches of one streamed query. Closing it closes its cursor, which ends the query: at the end,
    or as soon as the consumer stops (gunicorn closes a response whose client went away), even before
    the first batch was taken (a generator that never started would run no `finally`)."""

    def __init__(self, cursor, reader, first) -> None:
        self._cursor, self._reader = cursor, reader
        # No rows: one empty batch still carries the columns.
        self._pending = [first if first is not None else pa.RecordBatch.from_pylist([], schema=reader.schema)]
        self._taken = 0
        self._closed = False

    def __iter__(self):
        return self

    def __next__(self) -> pa.RecordBatch:
        if self._closed:
            raise StopIteration
        try:
            batch = self._pending.pop() if self._pending else self._reader.read_next_batch()
        except StopIteration:
            self.close(finished=True)
            raise
        self._taken += 1
        return batch

    def close(self, finished: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        self._cursor.close()
        log.info("stream %s after %d batches; its query is closed", "ended" if finished else "stopped", self._taken)

    def __del__(self) -> None:
        self.close()


def manifest() -> dict:
    """The manifest of the snapshot this request reads (read when the snapshot was opened);
    SnapshotDamagedError when the snapshot is not whole, as for its queries (the damage is in its
    health: `snapshot_health`)."""
    return _whole(_snapshot_for(_pinned_snapshot_dir())).health.manifest


def snapshot_health(recheck: bool = False) -> checksums.Health:
    """Whether the snapshot this request reads is whole, as this worker last found it or, when
    `recheck`, as its files are now (/readyz); NoSnapshotError when nothing is published."""
    return _snapshot_for(_pinned_snapshot_dir(), recheck=recheck).health


def raise_if_damaged() -> None:
    """SnapshotDamagedError when the snapshot this request reads is not whole (the data page says so
    before anything else); nothing when none is published (the page says that itself)."""
    try:
        snapshot = _snapshot_for(_pinned_snapshot_dir())
    except NoSnapshotError:
        return
    _whole(snapshot)


def snapshot_dir() -> Path:
    """The folder of the snapshot queries read now."""
    return Path(_snapshot_for(_pinned_snapshot_dir()).folder)


def has_snapshot() -> bool:
    try:
        _resolve_snapshot_dir()
    except NoSnapshotError:
        return False
    return True
