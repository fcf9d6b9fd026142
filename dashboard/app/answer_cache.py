"""Serve each answer once per snapshot: an in-process cache of page shells, Dash callback answers and
API answers, keyed by the snapshot id and the request.

Every page and API answer is a pure function of (snapshot id, request): the URL for a page shell or an
API answer, the callback's inputs for a Dash callback. A page is rendered by its callback in 100-150 ms,
so serving it again from memory is what lets 2 cores keep up with many visitors.

- Key: the snapshot id the request reads (from db.manifest(), as the API's ETags), the kind of answer
  and a digest of the normalized request: host and path plus the query's pairs in sorted order for a
  shell or an API answer; the callback's output, inputs, state and changed properties for a callback.
- Invalidated by id, never by time: the cache holds the answers of the snapshot the worker serves to
  requests naming none and of the one it is warming (below); when it serves another one, it drops those
  of any other. A request pinned to a third snapshot (a page built from an older one, X-Snapshot-Id) is
  answered but not kept, so a worker asked for two snapshots in turn during a rolling update keeps the
  served one's answers. The few files pages show beside the snapshot (the refresh's status, the district
  boundaries) count as part of its id, by their stamps. An answer computed while a snapshot was
  published (the id read before and after differ) is not kept.
- Bounded in bytes (ANSWER_CACHE_MB per worker, 0 turns it off), least recently used answers leave
  first; one answer larger than a sixteenth of the budget is never kept. Answers are kept gzipped and
  sent so to clients that take gzip (every browser), uncompressed to the others.
- A click count (`n_clicks`) is part of the key only as whether this request is that button's click (it
  is in `changedPropIds`): a browser's counts grow with every click and differ between visitors, and no
  callback of this app reads a count or another button's clicks (each reads which button was pressed,
  `ctx.triggered_id`, or whether the one pressed was), so the map's switches of two visitors share
  their answers. A callback that ever needs a count must not go through this cache.
- Never cached: exports (streamed; /api/v1/receipts/export), a download button's file (a callback answer
  carrying a dcc.Download's filename and content), any streamed or compressed answer, errors other than
  a page's 404 or 400 shell, and callbacks triggered by `n_clicks_timestamp` (a time). No answer of this
  app depends on a request header or a cookie other than the host, which the shell's og:url names and
  the shell key includes.
- Browsers and CDNs: API answers and page shells carry the API's ETag (snapshot id and URL digest,
  dashboard.app.api.http) and `Cache-Control`; a matching If-None-Match is answered 304 without a body.
- `X-Answer-Cache: hit` or `miss` says which answer was served (for the load test and for operators).
- One computation per answer: a request whose answer another thread of the worker is computing waits for
  it (at most WAIT_FOR_SAME_SECONDS) instead of computing it again; right after a publish many visitors
  ask the same few answers at once.
- Warm before serving a new snapshot: each worker counts the requests it is asked (at most DEMAND_KEPT
  of them, with their bodies when small) and, on a new snapshot, computes the most asked
  (ANSWER_CACHE_WARM_UP of those asked at least WARM_UP_MIN_ASKED times, within WARM_UP_SECONDS) again
  in a background thread, one at a time, pinned to the new snapshot (X-Snapshot-Id). The publish's
  wake: the pipeline (the write side) cannot call the app, so each gunicorn worker looks at `current`
  every WATCH_SECONDS (`watch_for_snapshots`, started by gunicorn.conf.py); on a new snapshot it opens
  it and warms it while requests naming no snapshot are still answered from the one it served
  (db.serve_snapshot; still on disk, SNAPSHOTS_KEPT) and from its kept answers, so the replays run one
  after another on the CPU those hits leave; it adopts the new snapshot when the warm-up is done or
  ANSWER_CACHE_WARM_UP_SECONDS after it saw it, whichever comes first (a publish during a warm-up warms
  the newer one instead, within the same time). Without the watcher (the tests' app), or with
  ANSWER_CACHE_WARM_UP_SECONDS or ANSWER_CACHE_WARM_UP at 0, the first request after a publish reads
  the new snapshot, and it starts the warm-up, each replay only after WARM_UP_QUIET_SECONDS without any
  visitor's request in the worker (visitors then compute the same answers: replays beside them halved
  the worker's throughput; not at a lower OS priority: a thread descheduled while it holds Python's GIL
  holds the visitors' threads back; measured). A visitor never waits for a warm-up's computation (it
  computes the answer itself). The replays go through the whole app (limits, guard, headers) as any
  request, under a client address of their own, and take no costly search's turn: costly searches are
  never replayed.

Behind each worker's LRU, the workers of one server share a disk tier (SharedAnswers, ANSWER_CACHE_DISK_MB):
a worker reads an answer there before computing it and writes each answer it computes, so the server
computes each answer once per snapshot, and a restarted server starts with the answers of the snapshot it
serves (measured: bench/loadtest.py, mixed_after_restart).

Why not Flask-Caching: its in-process backend bounds entries by count, not bytes, and expires by time;
a shared backend (Redis) needs a server this project does not run; files on the server's disk, renamed
into place, are shared by its workers without one.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, g, request

from dashboard.app import db, limits
from dashboard.app.api import http
from dashboard.app.headers import SNAPSHOT_HEADER
from dashboard.core import config
from dashboard.store import layout

CALLBACK_ENDPOINT = "/_dash-update-component"
SHELL_ENDPOINTS = ("/", "/<path:path>")  # Dash's index and catch-all routes: the page shell
NEVER_CACHED_API = ("api.receipts_export",)  # streamed, bounded by EXPORT_ROW_CAP, never kept
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Link", "Cache-Control")
CACHE_STATUS_HEADER = "X-Answer-Cache"
# Answers are kept compressed (a map switch's 150 KB of JSON is about 15 KB): ten times as many fit, and
# a hit is sent as kept instead of being compressed again by Flask-Compress for every visitor.
GZIP_FROM_BYTES = 500  # Flask-Compress's own threshold: smaller answers are kept and sent as they are
GZIP_LEVEL = 6
CLICK_COUNT = "n_clicks"
CLICK_TIME = ".n_clicks_timestamp"
CALLBACK_KEYS = ("output", "outputs", "inputs", "state", "changedPropIds")
# A request waits this long at most for the same answer being computed by another thread (a page's
# callback takes 0.1-0.5 s, more on a busy worker); then it computes it itself.
WAIT_FOR_SAME_SECONDS = 5.0
# The warm-up after a publish (see the module's notes).
DEMAND_KEPT = 256  # requests counted per worker (the most asked of them are kept when more arrive)
DEMAND_BODY_BYTES = 16 * 1024  # larger callback bodies are not kept for a replay (a map switch's is ~2 KB)
WARM_UP_SECONDS = 30.0
WARM_UP_MIN_ASKED = 2  # a request asked once under the previous snapshot is not worth computing ahead
WARM_UP_PAUSE_SECONDS = 0.02  # between checks for a quiet moment
# A replay starts only after this long without a visitor's request starting or ending in the worker: between
# the requests of a steady load there are instants with none in progress, and replays started in them
# halved the worker's throughput (measured: bench/loadtest.py cold_publish, 50 clients).
WARM_UP_QUIET_SECONDS = 0.5
WARM_UP_CLIENT = "answer-cache-warm-up"  # the replays' client address (their own places in limits.py)
WARM_UP_ENVIRON = "dashboard.answer_cache.warm_up"  # marks a replay (a WSGI environ key: no header sets it)
WATCH_SECONDS = 1.0  # how often a worker looks where `current` points (a readlink)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    gzipped: bool = False

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


class AnswerCache:
    """Answers of the snapshot served and of the one being warmed (see `adopt`), least recently used
    first, at most `max_bytes` of them together."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 16
        self._answers: OrderedDict[tuple[str, str], Answer] = OrderedDict()  # (version, key) -> answer
        self._lock = threading.Lock()
        self.served: str | None = None  # version of the snapshot requests naming none read
        self.warming: str | None = None  # id of the snapshot the warm-up computes answers for, before adopting it
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._computing: dict[tuple[str, str], threading.Event] = {}  # set when its computation ends
        self.generation = 0  # moves on at each clear(): an answer computed before a clear is not kept
        self.on_new_snapshot = None  # called with (previous, new) served versions, under the lock
        self.shared: SharedAnswers | None = None  # the disk tier the workers of the server share

    def get(self, version: str, key: str, served: bool = True) -> Answer | None:
        """The kept answer; `served`: the request reads the snapshot served to requests naming none (a new
        version of it drops the previous one's answers)."""
        with self._lock:
            if served:
                self._serve(version)
            answer = self._answers.get((version, key))
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end((version, key))
            self.hits += 1
            return answer

    def claim(self, version: str, key: str) -> threading.Event | None:
        """None when the caller is now the one computing `key` (it calls `release` when done), else the
        event set when the thread computing it is done."""
        with self._lock:
            running = self._computing.get((version, key))
            if running is not None:
                return running
            self._computing[(version, key)] = threading.Event()
            return None

    def release(self, version: str, key: str) -> None:
        with self._lock:
            done = self._computing.pop((version, key), None)
        if done is not None:
            done.set()

    def holds(self, version: str, key: str) -> bool:
        with self._lock:
            return (version, key) in self._answers

    def put(self, version: str, key: str, answer: Answer) -> bool:
        """Keep an answer of the served snapshot or of the one being warmed (of another one: not kept, so
        a worker asked for two snapshots in turn keeps the served one's answers)."""
        size = answer.size
        if size > self.max_entry_bytes:
            return False
        with self._lock:
            if not self._kept(version):
                return False
            previous = self._answers.pop((version, key), None)
            if previous is not None:
                self.bytes -= previous.size
            self._answers[(version, key)] = answer
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self.bytes -= dropped.size
        return True

    def notice(self, version: str) -> None:
        """The served snapshot is now `version`: the answers of another one are dropped (and the warm-up
        started) now rather than at the next request."""
        with self._lock:
            self._serve(version)

    def warm(self, snapshot_id: str | None) -> None:
        """Keep answers of `snapshot_id` beside the served one's too: the warm-up computes them before the
        worker adopts it (a previous warming one's are dropped; None: none warming)."""
        with self._lock:
            self.warming = snapshot_id
            self._drop_unkept()

    def adopt(self, version: str) -> None:
        """Serve `version` (the snapshot warmed): its answers become the served ones, the previous ones are
        dropped, no warm-up is started (it was warmed)."""
        with self._lock:
            self.warming = None
            previous, self.served = self.served, version
            self._drop_unkept()
            self._prune_shared(previous)

    def clear(self) -> None:
        """Forget every answer, those on disk too (tests that replace a query function start from an empty
        cache)."""
        with self._lock:
            self._answers.clear()
            self.bytes = 0
            self.generation += 1
            if self.shared is not None:
                self.shared.forget_all()

    def __len__(self) -> int:
        return len(self._answers)

    def _kept(self, version: str) -> bool:
        return version == self.served or (self.warming is not None and version.split(":")[0] == self.warming)

    def _serve(self, version: str) -> None:
        if version != self.served:
            previous = self.served
            self.served = version
            self._drop_unkept()
            warmed = version.split(":")[0] == self.warming  # being adopted: its warm-up was done
            self._prune_shared(previous)
            if previous is not None and self.on_new_snapshot is not None and not warmed:
                self.on_new_snapshot(previous, version)  # only starts a thread: safe under the lock

    def _prune_shared(self, previous: str | None) -> None:
        """The disk tier keeps the served version's answers, the previous one's (another worker may serve
        it a little longer) and the warming snapshot's (only starts a thread: safe under the lock)."""
        if self.shared is not None and previous is not None:
            self.shared.keep_only({self.served, previous}, self.warming)

    def _drop_unkept(self) -> None:
        for answer_key in [k for k in self._answers if not self._kept(k[0])]:
            self.bytes -= self._answers.pop(answer_key).size


class SharedAnswers:
    """The answers of every worker of one server, in files (the disk tier): a worker that does not hold an
    answer in memory reads it here before computing it, and writes each answer it computes, so the server
    computes each answer once per snapshot however many workers it runs, and a restarted server starts
    with the answers of the snapshot it serves. A folder per version (snapshot id and the stamps of the
    files beside it) and per code and settings (`code_and_settings`: a server started with other code,
    other packages or other settings computes its own) under <data dir>/answers/, a file per answer: a line of JSON (status, headers,
    gzipped) and the body, written to a temporary name and renamed, so a reader sees a whole answer or
    none. At most `max_bytes` a version (checked from the folder's size every WRITES_BETWEEN_SIZE_CHECKS
    writes: the workers write there together); past it answers are only kept in memory. A version's
    folder is removed once a newer one is served and another after it (`keep_only`); a folder a slower
    worker still writes to is removed at the next change. A data folder the server cannot write to turns
    the tier off, with one log line."""

    WRITES_BETWEEN_SIZE_CHECKS = 200

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.code_and_settings = code_and_settings()
        self._lock = threading.Lock()
        self._written: dict[str, int] = {}  # version folder -> bytes this worker wrote since the last check
        self._full: set[str] = set()  # version folders at their budget
        self._writes = 0
        self.broken = False  # the data folder is not writable: memory only

    def folder(self, version: str) -> Path:
        snapshot_id, _, stamps = version.partition(":")
        name = f"{_folder_prefix(snapshot_id)}{_digest(stamps, self.code_and_settings)[:12]}"
        return layout.answers_dir(config.data_dir()) / name

    def get(self, version: str, key: str) -> Answer | None:
        try:
            with open(self.folder(version) / key[:2] / key, "rb") as kept:
                head, _, body = kept.read().partition(b"\n")
            meta = json.loads(head)
            return Answer(
                int(meta["status"]), body, tuple(tuple(pair) for pair in meta["headers"]), bool(meta["gzipped"])
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):  # a damaged file: computed again (and rewritten)
            log.warning("answer cache: unreadable kept answer %s of %s", key, version, exc_info=True)
            return None

    def put(self, version: str, key: str, answer: Answer) -> None:
        if self.broken:
            return
        folder = self.folder(version)
        with self._lock:
            if folder.name in self._full:
                return
            self._writes += 1
            check = self._writes % self.WRITES_BETWEEN_SIZE_CHECKS == 0
        head = json.dumps({"status": answer.status, "headers": answer.headers, "gzipped": answer.gzipped})
        path = folder / key[:2] / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}")
            temporary.write_bytes(head.encode() + b"\n" + answer.body)
            os.replace(temporary, path)
        except FileNotFoundError:  # its folder removed meanwhile (another worker serves a newer snapshot)
            return
        except OSError:
            self.broken = True
            log.warning(
                "answer cache: cannot write answers to %s: each worker keeps its own only", folder, exc_info=True
            )
            return
        with self._lock:
            written = self._written.get(folder.name, 0) + len(answer.body) + len(head)
            self._written[folder.name] = written
        if check or written > self.max_bytes:
            self._check_size(folder)

    def keep_only(self, versions: set[str | None], warming: str | None = None) -> None:
        """Remove the folders of every version but `versions` and those of snapshot `warming` (in a thread:
        thousands of files)."""
        kept = {self.folder(version).name for version in versions if version}
        warming_prefix = _folder_prefix(warming) if warming else None
        root = layout.answers_dir(config.data_dir())

        def remove() -> None:
            try:
                stale = [
                    entry
                    for entry in root.iterdir()
                    if entry.is_dir()
                    and entry.name not in kept
                    and not (warming_prefix and entry.name.startswith(warming_prefix))
                ]
            except OSError:
                return
            for entry in stale:
                shutil.rmtree(entry, ignore_errors=True)
            with self._lock:
                for entry in stale:
                    self._written.pop(entry.name, None)
                    self._full.discard(entry.name)

        threading.Thread(target=remove, name="answer-cache-prune", daemon=True).start()

    def forget_all(self) -> None:
        shutil.rmtree(layout.answers_dir(config.data_dir()), ignore_errors=True)
        with self._lock:
            self._written.clear()
            self._full.clear()

    def _check_size(self, folder: Path) -> None:
        try:
            size = sum(entry.stat().st_size for entry in folder.glob("*/*"))
        except OSError:
            return
        with self._lock:
            self._written[folder.name] = size
            if size >= self.max_bytes:
                self._full.add(folder.name)
                log.info(
                    "answer cache: %s holds %d MB, its budget: new answers kept in memory only", folder, size >> 20
                )


_SAFE_NAME = re.compile(r"[0-9A-Za-z_.-]{1,64}")


def _folder_prefix(snapshot_id: str) -> str:
    """How the folders of a snapshot's answers begin: its id (a digest of it if it is not a safe name)."""
    return f"{snapshot_id if _SAFE_NAME.fullmatch(snapshot_id) else _digest(snapshot_id)[:8]}-"


ANSWER_PACKAGES = ("dash", "plotly", "duckdb", "pandas", "pyarrow", "flask", "werkzeug")


def code_and_settings() -> str:
    """A digest of what answers are computed by besides the snapshot: the app's files (their paths, sizes and
    times), the versions of the packages that render them and every setting's value. Answers kept on disk
    by a server with other code or settings are not served (a deploy restarts the server with new code)."""
    root = Path(__file__).resolve().parents[2]
    parts = []
    for folder in ("dashboard", "pages", "assets"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".js", ".css", ".json") and "__pycache__" not in path.parts:
                stat = path.stat()
                parts.append(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}")
    for package in ANSWER_PACKAGES:
        try:
            parts.append(f"{package}=={importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{package} missing")
    parts += [f"{setting.name}={config.get(setting.name)}" for setting in config.SETTINGS]
    return _digest(*parts)


@dataclass(frozen=True)
class Replay:
    """A request as it can be asked again: a GET's path and query (and host, which a shell names) or a
    callback's JSON body."""

    path: str
    query: str = ""
    base_url: str = "http://localhost/"
    body: bytes | None = None


class Demand:
    """How often each request was asked in this worker since the snapshot changed, for at most `most`
    requests: when more arrive, the less asked half is forgotten (new requests then start at 1)."""

    def __init__(self, most: int = DEMAND_KEPT):
        self.most = most
        self._counts: dict[str, list] = {}  # key -> [times asked, Replay]
        self._lock = threading.Lock()

    def count(self, key: str, replay: Replay) -> None:
        with self._lock:
            entry = self._counts.get(key)
            if entry is not None:
                entry[0] += 1
                return
            if len(self._counts) >= self.most:
                kept = sorted(self._counts.items(), key=lambda item: item[1][0], reverse=True)[: self.most // 2]
                self._counts = dict(kept)
            self._counts[key] = [1, replay]

    def most_asked(self, count: int, at_least: int = 1) -> list[tuple[str, Replay]]:
        """The `count` most asked requests (asked `at_least` times), most first, and a fresh count for the
        next snapshot."""
        with self._lock:
            ranked = sorted(self._counts.items(), key=lambda item: item[1][0], reverse=True)[:count]
            self._counts = {}
        return [(key, replay) for key, (asked, replay) in ranked if asked >= at_least]

    def clear(self) -> None:
        with self._lock:
            self._counts = {}

    def __len__(self) -> int:
        return len(self._counts)


class WarmUp:
    """Computes the most asked answers of the previous snapshot again for a new one, in a background
    thread, one at a time (see the module's notes)."""

    def __init__(self, server: Flask, cache: AnswerCache, demand: Demand):
        self.server, self.cache, self.demand = server, cache, demand
        self._live = 0  # visitors' requests in progress in this worker
        self._last_live = 0.0  # when one last started or ended (time.monotonic)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._target: threading.Thread | None = None  # the warm-up that goes on (an older one stops)
        self._holding = False  # the last warm-up was started before an adoption (`watch_for_snapshots`)
        self.warmed: list[str] = []  # keys computed by the last warm-up (for tests and operators)
        self.done = threading.Event()
        self.done.set()

    def live_started(self) -> None:
        with self._lock:
            self._live += 1
            self._last_live = time.monotonic()

    def live_ended(self) -> None:
        with self._lock:
            self._live -= 1
            self._last_live = time.monotonic()

    def wanted(self) -> list[tuple[str, Replay]]:
        """The most asked requests worth computing again for a new snapshot (counted afresh from now)."""
        most = config.get("ANSWER_CACHE_WARM_UP")
        if len(self.demand) == 0 or most <= 0:
            return []
        return self.demand.most_asked(most, WARM_UP_MIN_ASKED)

    def start(self, _previous: str | None, version: str, wanted=None, quiet: bool = True) -> None:
        """Compute `wanted` (else the most asked) for snapshot `version` in a thread, each replay after a
        quiet moment when `quiet` (visitors read this snapshot meanwhile), else one after another (visitors
        are answered from the previous one's answers meanwhile). Called under the cache's lock on a new
        served snapshot: a warm-up before an adoption goes on (a stamp moved under it)."""
        if quiet and self._holding and not self.done.is_set():
            return
        wanted = self.wanted() if wanted is None else wanted
        if not wanted:
            return
        self.done = done = threading.Event()
        self._holding = not quiet
        self._thread = threading.Thread(
            target=self._run,
            args=(version, wanted, self.cache.generation, quiet, done),
            name="answer-cache-warm-up",
            daemon=True,
        )
        self._target = self._thread
        self._thread.start()

    def _run(self, version: str, wanted: list[tuple[str, Replay]], generation: int, quiet: bool, done) -> None:
        deadline = time.monotonic() + WARM_UP_SECONDS
        snapshot_id = version.split(":")[0]
        me = threading.current_thread()
        warmed = []
        try:
            client = self.server.test_client()
            for key, replay in wanted:
                if (quiet and not self._free_moment(deadline)) or time.monotonic() >= deadline:
                    break
                # A newer snapshot (its own warm-up takes over) or a cleared cache: stop.
                if self._target is not me or self.cache.generation != generation:
                    break
                if self.cache.holds(version, key):
                    continue  # a visitor asked it first
                if self._replay(client, replay, snapshot_id):
                    warmed.append(key)
        except Exception:  # a warm-up must never take the worker down; the visitors' requests still work
            log.exception("answer cache warm-up failed")
        finally:
            self.warmed = warmed
            done.set()
        log.info("answer cache warm-up: %d answers computed for snapshot %s", len(warmed), snapshot_id)

    def _free_moment(self, deadline: float) -> bool:
        while time.monotonic() < deadline:
            if self._live == 0 and time.monotonic() - self._last_live >= WARM_UP_QUIET_SECONDS:
                return True
            time.sleep(WARM_UP_PAUSE_SECONDS)
        return False

    @staticmethod
    def _replay(client, replay: Replay, snapshot_id: str) -> bool:
        environ = {"REMOTE_ADDR": WARM_UP_CLIENT, WARM_UP_ENVIRON: True}
        # Kept gzipped: not compressed a second time; read from the new snapshot, which this worker may not
        # serve yet.
        headers = {"Accept-Encoding": "gzip", SNAPSHOT_HEADER: snapshot_id}
        if replay.body is None:
            response = client.get(
                replay.path,
                query_string=replay.query,
                base_url=replay.base_url,
                headers=headers,
                environ_overrides=environ,
            )
        else:
            response = client.post(
                replay.path,
                data=replay.body,
                content_type="application/json",
                base_url=replay.base_url,
                headers=headers,
                environ_overrides=environ,
            )
        try:
            return response.headers.get(CACHE_STATUS_HEADER) == "miss"
        finally:
            response.close()


def install(server: Flask) -> None:
    """Hook the cache into the app (create_app calls it once, after Flask-Compress: this after-request
    hook then runs before Flask-Compress's, sees the answer uncompressed and gzips it once to keep it)."""
    max_bytes = config.get("ANSWER_CACHE_MB") * 1024 * 1024
    if max_bytes <= 0:
        return
    cache = AnswerCache(max_bytes)
    server.extensions["answer_cache"] = cache
    disk_bytes = config.get("ANSWER_CACHE_DISK_MB") * 1024 * 1024
    shared = cache.shared = SharedAnswers(disk_bytes) if disk_bytes > 0 else None
    demand = Demand()
    warm_up = WarmUp(server, cache, demand)
    server.extensions["answer_cache_warm_up"] = warm_up
    cache.on_new_snapshot = warm_up.start

    @server.before_request
    def serve_cached_answer():
        replaying = request.environ.get(WARM_UP_ENVIRON, False)
        if not replaying:
            g.answer_cache_live = True
            warm_up.live_started()
        kind, key = _request_key()
        if key is None:
            return None
        try:
            snapshot_id = str(db.manifest().get("snapshot_id", "none"))
        except db.NoSnapshotError:
            return None
        version = f"{snapshot_id}:{_files_beside_the_snapshot()}"
        if not replaying and not limits.is_costly():
            replay = _replay_of_request(kind)
            if replay is not None:
                demand.count(key, replay)
        if kind != "callback":
            etag = http.snapshot_etag(snapshot_id)
            if http.not_modified(etag):
                return _finish(Response(status=304), kind, etag, "hit")
        served = db.reads_served_snapshot()
        answer, computing = cache.get(version, key, served), None
        if answer is None and shared is not None:  # computed by another worker (or before a restart)
            answer = shared.get(version, key)
            if answer is not None:
                cache.put(version, key, answer)
        if answer is None and not replaying:  # a visitor never waits for the background warm-up
            computing = cache.claim(version, key)
            if computing is not None:  # another thread is computing this answer: its result, when done
                computing.wait(WAIT_FOR_SAME_SECONDS)
                answer = cache.get(version, key, served)
        if answer is None:
            g.answer_cache_key = (snapshot_id, version, kind, key, cache.generation)
            g.answer_cache_claim = (version, key) if computing is None and not replaying else None
            return None
        response = Response(status=answer.status)
        for name, value in answer.headers:
            response.headers[name] = value
        _set_body(response, answer)
        etag = http.snapshot_etag(snapshot_id) if kind != "callback" and answer.status == 200 else None
        return _finish(response, kind, etag, "hit")

    @server.after_request
    def keep_answer(response: Response) -> Response:
        pending = g.pop("answer_cache_key", None)
        if pending is None:
            return response
        snapshot_id, version, kind, key, generation = pending
        status = _final_status(response)
        if (
            _keepable(response, kind, status)
            and _same_snapshot(snapshot_id, version)
            and generation == cache.generation
        ):
            headers = tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers)
            body = response.get_data()
            answer = Answer(status, body, headers)
            if len(body) >= GZIP_FROM_BYTES:
                answer = Answer(status, gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0), headers, gzipped=True)
            if cache.put(version, key, answer):
                if shared is not None:
                    shared.put(version, key, answer)
                if answer.gzipped and request.accept_encodings["gzip"]:
                    _set_body(response, answer)  # compressed once: Flask-Compress leaves an encoded answer alone
        _release_claim()
        etag = http.snapshot_etag(snapshot_id) if kind == "shell" and status == 200 else None
        return _finish(response, kind, etag, "miss")

    def _release_claim() -> None:
        claimed = g.pop("answer_cache_claim", None)
        if claimed is not None:
            cache.release(*claimed)

    @server.teardown_request
    def end_of_request(_error=None) -> None:
        _release_claim()  # a request that failed before keep_answer: the waiting ones compute it themselves
        if g.pop("answer_cache_live", False):
            warm_up.live_ended()


def watch_for_snapshots(server: Flask, every: float = WATCH_SECONDS) -> threading.Thread | None:
    """In a daemon thread of this process, look where `current` points every `every` seconds. On a new
    snapshot, open it (the views, as its first request would) and warm the cache for it while requests
    naming no snapshot are still answered from the one served (db.serve_snapshot); adopt it when the
    warm-up is done or ANSWER_CACHE_WARM_UP_SECONDS have passed since the publish was seen. With no
    adoption delay (0) or no warm-up, the worker reads the new snapshot at once, as the tests' app does.
    For gunicorn's workers (gunicorn.conf.py's post_worker_init), after the fork."""
    cache: AnswerCache | None = server.extensions.get("answer_cache")
    warm_up: WarmUp | None = server.extensions.get("answer_cache_warm_up")
    if cache is None or warm_up is None:
        return None
    holding = config.get("ANSWER_CACHE_WARM_UP_SECONDS") > 0 and config.get("ANSWER_CACHE_WARM_UP") > 0

    def watch() -> None:
        served = None  # the folder adopted
        warming = None  # (folder, snapshot id, when to adopt it at the latest, the requests warmed)
        while True:
            if warming is None:
                time.sleep(every)
            else:
                warm_up.done.wait(every)
            try:
                folder = os.path.realpath(db.current_link())
                if warming is not None and folder == warming[0]:
                    if warm_up.done.is_set() or time.monotonic() >= warming[2]:
                        _adopt(cache, folder, warming[1], "warm" if warm_up.done.is_set() else "deadline")
                        served, warming = folder, None
                    continue
                if folder == served:
                    if warming is not None:  # `current` back to the one served: nothing to adopt
                        cache.warm(None)
                        warming = None
                    continue
                snapshot_id = str(db.manifest().get("snapshot_id", "none"))  # opens it
                version = f"{snapshot_id}:{_files_beside_the_snapshot()}"
                wanted = warming[3] if warming is not None else warm_up.wanted() if served and holding else []
                if not wanted:  # the first look, nothing to warm, or no delay: serve it at once
                    if holding:
                        db.serve_snapshot(folder)
                    cache.notice(version)  # starts the (quiet) warm-up when there is no delay
                    served, warming = folder, None
                    continue
                db.serve_snapshot(served)  # still (the previous served folder)
                cache.warm(snapshot_id)
                warm_up.start(None, version, wanted, quiet=False)
                deadline = (
                    warming[2] if warming is not None else time.monotonic() + config.get("ANSWER_CACHE_WARM_UP_SECONDS")
                )
                warming = (folder, snapshot_id, deadline, wanted)
            except Exception:  # nothing published yet, a damaged snapshot, a publish half seen: next time
                log.debug("answer cache watch: no snapshot to open", exc_info=True)

    thread = threading.Thread(target=watch, name="answer-cache-watch", daemon=True)
    thread.start()
    return thread


def _adopt(cache: AnswerCache, folder: str, snapshot_id: str, why: str) -> None:
    db.serve_snapshot(folder)  # first: a request reading the previous one now would make it served again
    cache.adopt(f"{snapshot_id}:{_files_beside_the_snapshot()}")
    log.info("answer cache: snapshot %s adopted (%s)", snapshot_id, why)


def _replay_of_request(kind: str) -> Replay | None:
    """This request as the warm-up can ask it again, or None (a callback body too large to keep)."""
    if kind == "callback":
        body = request.get_data(cache=True)
        if len(body) > DEMAND_BODY_BYTES:
            return None
        return Replay(request.path, base_url=request.host_url, body=body)
    return Replay(request.path, query=request.query_string.decode("latin-1"), base_url=request.host_url)


def _set_body(response: Response, answer: Answer) -> None:
    """The kept answer's body: as kept (gzip) when the client takes gzip, else uncompressed."""
    if answer.gzipped:
        response.vary.add("Accept-Encoding")  # for caches on the way: the bytes depend on it
    if answer.gzipped and request.accept_encodings["gzip"]:
        response.set_data(answer.body)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(gzip.decompress(answer.body) if answer.gzipped else answer.body)


def _request_key() -> tuple[str | None, str | None]:
    """(kind, key) of a request whose answer may be kept, else (None, None)."""
    rule = request.url_rule.rule if request.url_rule is not None else None
    if request.method == "GET" and rule in SHELL_ENDPOINTS:
        # The shell's og:url names the host the visitor used.
        return "shell", _digest("shell", request.host_url, request.path, _sorted_query())
    if request.method == "GET" and request.blueprint == "api" and request.endpoint not in NEVER_CACHED_API:
        return "api", _digest("api", request.path, _sorted_query())
    if request.method == "POST" and rule == CALLBACK_ENDPOINT:
        try:
            body = request.get_json(silent=True)
        except RecursionError:  # absurdly nested: Dash answers it, the cache stays out of the way
            return None, None
        if not isinstance(body, dict) or not isinstance(body.get("changedPropIds", []), list):
            return None, None
        if any(str(prop).endswith(CLICK_TIME) for prop in body.get("changedPropIds", [])):
            return None, None
        try:
            changed = {str(prop) for prop in body.get("changedPropIds", [])}
            parts = {k: _clicked_or_not(body.get(k), changed) for k in CALLBACK_KEYS}
            normalized = json.dumps(parts, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return None, None
        return "callback", _digest("callback", normalized)
    return None, None


def _clicked_or_not(value, changed: set[str]):
    """Inputs and state with each click count as whether this request is its click (see the module's notes)."""
    if isinstance(value, list):
        return [_clicked_or_not(item, changed) for item in value]
    if isinstance(value, dict) and value.get("property") == CLICK_COUNT:
        component_id = value.get("id")
        if isinstance(component_id, dict):  # Dash names a pattern-matching id by its JSON, keys sorted
            component_id = json.dumps(component_id, sort_keys=True, separators=(",", ":"))
        return {**value, "value": f"{component_id}.{CLICK_COUNT}" in changed}
    return value


def _is_download(response: Response) -> bool:
    """A callback answer that hands the browser a file (dcc.Download's data: filename and content)."""
    body = response.get_data()
    if b'"filename"' not in body:
        return False
    try:
        outputs = json.loads(body).get("response", {})
    except (ValueError, AttributeError):
        return True  # not what Dash answers: not kept
    return any(
        isinstance(props, dict) and isinstance(props.get("data"), dict) and "filename" in props["data"]
        for props in outputs.values()
    )


def _sorted_query() -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(request.args.items(multi=True)))


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _final_status(response: Response) -> int:
    # A page's shell gets its 404 or 400 from factory._with_page_status, which runs after this hook.
    return g.get("page_status") or response.status_code


def _keepable(response: Response, kind: str, status: int) -> bool:
    if response.is_streamed or response.direct_passthrough or "Content-Encoding" in response.headers:
        return False
    if "Set-Cookie" in response.headers or "no-store" in response.headers.get("Cache-Control", ""):
        return False  # no-store: an answer made for this moment only (limits.py's busy answers)
    allowed = {"shell": (200, 400, 404), "api": (200,), "callback": (200, 204)}[kind]
    return status in allowed and not (kind == "callback" and _is_download(response))


def _same_snapshot(snapshot_id: str, version: str) -> bool:
    try:
        return (
            str(db.manifest().get("snapshot_id", "none")) == snapshot_id
            and f"{snapshot_id}:{_files_beside_the_snapshot()}" == version
        )
    except db.NoSnapshotError:
        return False


def _files_beside_the_snapshot() -> str:
    """Stamps of what pages show from outside the snapshot: the refresh's status (every page's footer
    says when the data was last refreshed; /data shows the last attempts), the object store's (/data:
    how `follow` goes; rewritten only when that changes) and the district boundaries
    (`python -m dashboard geo` may add them after a publish: the map then draws them). A change of one
    drops the kept answers as a new snapshot does. A few stat calls: microseconds."""
    data_dir = config.data_dir()
    stamps = []
    for path in (layout.refresh_status_path(data_dir), layout.sync_status_path(data_dir), layout.geo_dir(data_dir)):
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    try:
        # Boundaries are written into a Congress's folder (cd119/, ...) by atomic renames: its stamp moves.
        stamps += sorted(entry.stat().st_mtime_ns for entry in layout.geo_dir(data_dir).iterdir() if entry.is_dir())
    except OSError:
        pass
    return "-".join(str(stamp) for stamp in stamps)


def _finish(response: Response, kind: str, etag: str | None, status: str) -> Response:
    if etag is not None:
        http.cacheable(response, etag)
    response.headers[CACHE_STATUS_HEADER] = status
    return response
