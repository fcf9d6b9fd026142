"""Serve each answer once per snapshot: an in-process cache of page shells, Dash callback answers and
API answers, keyed by the snapshot id and the request.

Every page and API answer is a pure function of (snapshot id, request): the URL for a page shell or an
API answer, the callback's inputs for a Dash callback. A page is rendered by its callback in 100-150 ms,
so serving it again from memory is what lets 2 cores keep up with many visitors.

- Key: the snapshot id the request reads (from db.manifest(), as the API's ETags), the kind of answer
  and a digest of the normalized request: host and path plus the query's pairs in sorted order for a
  shell or an API answer; the callback's output, inputs, state and changed properties for a callback.
- Invalidated by id, never by time: when a worker sees a new snapshot id, it drops every answer of the
  old one. The few files pages show beside the snapshot (the refresh's status, the district
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
- Warm after a publish: each worker counts the requests it is asked (at most DEMAND_KEPT of them, with
  their bodies when small) and, when it first sees a new snapshot, computes the most asked
  (ANSWER_CACHE_WARM_UP of those asked at least WARM_UP_MIN_ASKED times, within WARM_UP_SECONDS) again
  in a background thread, one at a time, each started only after WARM_UP_QUIET_SECONDS without any
  visitor's request in the worker (not at a lower OS priority: a thread descheduled while it holds
  Python's GIL holds the visitors' threads back; measured), so it warms in the lulls (the moments after
  a publish, a quiet site) and stays out of the way of a steady load; a visitor never waits for a warm-up's computation (it
  computes the answer itself). It stops when a newer snapshot arrives. The replays go through the
  whole app (limits, guard, headers) as any request, under a client address of their own, and take no
  costly search's turn: costly searches are never replayed. The publish's wake: the pipeline (the write
  side) cannot call the app, so each gunicorn worker looks at `current` every WATCH_SECONDS
  (`watch_for_snapshots`, started by gunicorn.conf.py) and, on a new snapshot, opens it and starts the
  warm-up at once, before a visitor's request reads it; without the watcher (the tests' app), the first
  request that reads the new snapshot starts it.

Why not Flask-Caching: its in-process backend bounds entries by count, not bytes, and expires by time;
a shared backend (Redis) needs a server this project does not run. Each worker's own LRU is enough:
two workers compute each answer at most twice per snapshot.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, g, request

from dashboard.app import db, limits
from dashboard.app.api import http
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
    """Answers of one snapshot, least recently used first, at most `max_bytes` of them."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_bytes // 16
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.snapshot_id: str | None = None
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._computing: dict[str, threading.Event] = {}  # key -> set when its computation ends
        self.generation = 0  # moves on at each clear(): an answer computed before a clear is not kept
        self.on_new_snapshot = None  # called with (previous, new) snapshot versions, under the lock

    def get(self, snapshot_id: str, key: str) -> Answer | None:
        with self._lock:
            self._forget_other_snapshots(snapshot_id)
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def claim(self, snapshot_id: str, key: str) -> threading.Event | None:
        """None when the caller is now the one computing `key` (it calls `release` when done), else the
        event set when the thread computing it is done."""
        with self._lock:
            self._forget_other_snapshots(snapshot_id)
            running = self._computing.get(key)
            if running is not None:
                return running
            self._computing[key] = threading.Event()
            return None

    def release(self, key: str) -> None:
        with self._lock:
            done = self._computing.pop(key, None)
        if done is not None:
            done.set()

    def holds(self, snapshot_id: str, key: str) -> bool:
        with self._lock:
            return snapshot_id == self.snapshot_id and key in self._answers

    def put(self, snapshot_id: str, key: str, answer: Answer) -> bool:
        size = answer.size
        if size > self.max_entry_bytes:
            return False
        with self._lock:
            self._forget_other_snapshots(snapshot_id)
            previous = self._answers.pop(key, None)
            if previous is not None:
                self.bytes -= previous.size
            self._answers[key] = answer
            self.bytes += size
            while self.bytes > self.max_bytes:
                _, dropped = self._answers.popitem(last=False)
                self.bytes -= dropped.size
        return True

    def notice(self, version: str) -> None:
        """The served snapshot is now `version`: the answers of another one are dropped (and the warm-up
        started) now rather than at the next request."""
        with self._lock:
            self._forget_other_snapshots(version)

    def clear(self) -> None:
        """Forget every answer (tests that replace a query function start from an empty cache)."""
        with self._lock:
            self._answers.clear()
            self.bytes = 0
            self.generation += 1

    def __len__(self) -> int:
        return len(self._answers)

    def _forget_other_snapshots(self, snapshot_id: str) -> None:
        if snapshot_id != self.snapshot_id:
            previous = self.snapshot_id
            self._answers.clear()
            self.bytes = 0
            self.snapshot_id = snapshot_id
            if previous is not None and self.on_new_snapshot is not None:
                self.on_new_snapshot(previous, snapshot_id)  # only starts a thread: safe under the lock


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
    thread, one at a time, each started after a quiet moment (see the module's notes)."""

    def __init__(self, server: Flask, cache: AnswerCache, demand: Demand):
        self.server, self.cache, self.demand = server, cache, demand
        self._live = 0  # visitors' requests in progress in this worker
        self._last_live = 0.0  # when one last started or ended (time.monotonic)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
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

    def start(self, _previous: str, version: str) -> None:
        """A new snapshot was seen (called under the cache's lock: starts the thread and returns)."""
        most = config.get("ANSWER_CACHE_WARM_UP")
        if len(self.demand) == 0 or most <= 0:
            return
        wanted = self.demand.most_asked(most, WARM_UP_MIN_ASKED)
        if not wanted:
            return
        self.done.clear()
        self._thread = threading.Thread(
            target=self._run, args=(version, wanted, self.cache.generation), name="answer-cache-warm-up", daemon=True
        )
        self._thread.start()

    def _run(self, version: str, wanted: list[tuple[str, Replay]], generation: int) -> None:
        deadline = time.monotonic() + WARM_UP_SECONDS
        warmed = []
        try:
            client = self.server.test_client()
            for key, replay in wanted:
                if not self._free_moment(deadline):
                    break
                # A newer snapshot (its own warm-up takes over) or a cleared cache: stop.
                if self.cache.snapshot_id != version or self.cache.generation != generation:
                    break
                if self.cache.holds(version, key):
                    continue  # a visitor asked it first
                if self._replay(client, replay):
                    warmed.append(key)
        except Exception:  # a warm-up must never take the worker down; the visitors' requests still work
            log.exception("answer cache warm-up failed")
        finally:
            self.warmed = warmed
            self.done.set()
        log.info("answer cache warm-up: %d answers computed for snapshot %s", len(warmed), version.split(":")[0])

    def _free_moment(self, deadline: float) -> bool:
        while time.monotonic() < deadline:
            if self._live == 0 and time.monotonic() - self._last_live >= WARM_UP_QUIET_SECONDS:
                return True
            time.sleep(WARM_UP_PAUSE_SECONDS)
        return False

    @staticmethod
    def _replay(client, replay: Replay) -> bool:
        environ = {"REMOTE_ADDR": WARM_UP_CLIENT, WARM_UP_ENVIRON: True}
        headers = {"Accept-Encoding": "gzip"}  # kept gzipped: not compressed a second time
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
        answer, computing = cache.get(version, key), None
        if answer is None and not replaying:  # a visitor never waits for the background warm-up
            computing = cache.claim(version, key)
            if computing is not None:  # another thread is computing this answer: its result, when done
                computing.wait(WAIT_FOR_SAME_SECONDS)
                answer = cache.get(version, key)
        if answer is None:
            g.answer_cache_key = (snapshot_id, version, kind, key, cache.generation)
            g.answer_cache_claim = key if computing is None and not replaying else None
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
            if cache.put(version, key, answer) and answer.gzipped and request.accept_encodings["gzip"]:
                _set_body(response, answer)  # compressed once: Flask-Compress leaves an encoded answer alone
        _release_claim()
        etag = http.snapshot_etag(snapshot_id) if kind == "shell" and status == 200 else None
        return _finish(response, kind, etag, "miss")

    def _release_claim() -> None:
        claimed = g.pop("answer_cache_claim", None)
        if claimed is not None:
            cache.release(claimed)

    @server.teardown_request
    def end_of_request(_error=None) -> None:
        _release_claim()  # a request that failed before keep_answer: the waiting ones compute it themselves
        if g.pop("answer_cache_live", False):
            warm_up.live_ended()


def watch_for_snapshots(server: Flask, every: float = WATCH_SECONDS) -> threading.Thread | None:
    """In a daemon thread of this process, look where `current` points every `every` seconds; on a new
    snapshot, open it (the views, as its first request would) and start the warm-up. For gunicorn's
    workers (gunicorn.conf.py's post_worker_init), after the fork."""
    cache: AnswerCache | None = server.extensions.get("answer_cache")
    if cache is None:
        return None

    def watch() -> None:
        seen = None
        while True:
            time.sleep(every)
            try:
                folder = os.path.realpath(db.current_link())
                if folder == seen:
                    continue
                snapshot_id = str(db.manifest().get("snapshot_id", "none"))
                cache.notice(f"{snapshot_id}:{_files_beside_the_snapshot()}")
                seen = folder
            except Exception:  # nothing published yet, a damaged snapshot, a publish half seen: next time
                log.debug("answer cache watch: no snapshot to open", exc_info=True)

    thread = threading.Thread(target=watch, name="answer-cache-watch", daemon=True)
    thread.start()
    return thread


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
