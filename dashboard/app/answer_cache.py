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

Why not Flask-Caching: its in-process backend bounds entries by count, not bytes, and expires by time;
a shared backend (Redis) needs a server this project does not run. Each worker's own LRU is enough:
two workers compute each answer at most twice per snapshot.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, g, request

from dashboard.app import db
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

    def clear(self) -> None:
        """Forget every answer (tests that replace a query function start from an empty cache)."""
        with self._lock:
            self._answers.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._answers)

    def _forget_other_snapshots(self, snapshot_id: str) -> None:
        if snapshot_id != self.snapshot_id:
            self._answers.clear()
            self.bytes = 0
            self.snapshot_id = snapshot_id


def install(server: Flask) -> None:
    """Hook the cache into the app (create_app calls it once, after Flask-Compress: this after-request
    hook then runs before Flask-Compress's, sees the answer uncompressed and gzips it once to keep it)."""
    max_bytes = config.get("ANSWER_CACHE_MB") * 1024 * 1024
    if max_bytes <= 0:
        return
    cache = AnswerCache(max_bytes)
    server.extensions["answer_cache"] = cache

    @server.before_request
    def serve_cached_answer():
        kind, key = _request_key()
        if key is None:
            return None
        try:
            snapshot_id = str(db.manifest().get("snapshot_id", "none"))
        except db.NoSnapshotError:
            return None
        version = f"{snapshot_id}:{_files_beside_the_snapshot()}"
        if kind != "callback":
            etag = http.snapshot_etag(snapshot_id)
            if http.not_modified(etag):
                return _finish(Response(status=304), kind, etag, "hit")
        answer = cache.get(version, key)
        if answer is None:
            g.answer_cache_key = (snapshot_id, version, kind, key)
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
        snapshot_id, version, kind, key = pending
        status = _final_status(response)
        if _keepable(response, kind, status) and _same_snapshot(snapshot_id, version):
            headers = tuple((name, response.headers[name]) for name in KEPT_HEADERS if name in response.headers)
            body = response.get_data()
            answer = Answer(status, body, headers)
            if len(body) >= GZIP_FROM_BYTES:
                answer = Answer(status, gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0), headers, gzipped=True)
            if cache.put(version, key, answer) and answer.gzipped and request.accept_encodings["gzip"]:
                _set_body(response, answer)  # compressed once: Flask-Compress leaves an encoded answer alone
        etag = http.snapshot_etag(snapshot_id) if kind == "shell" and status == 200 else None
        return _finish(response, kind, etag, "miss")


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
    if "Set-Cookie" in response.headers:
        return False
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
    says when the data was last refreshed; /data shows the last attempts) and the district boundaries
    (`python -m dashboard geo` may add them after a publish: the map then draws them). A change of one
    drops the kept answers as a new snapshot does. A few stat calls: microseconds."""
    data_dir = config.data_dir()
    stamps = []
    for path in (layout.refresh_status_path(data_dir), layout.geo_dir(data_dir)):
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
