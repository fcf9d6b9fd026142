"""Fair sharing of a worker between clients, and a limit on what one request may send.

- A request body larger than MAX_BODY_BYTES is refused with 413 before anything reads it (Flask's
  MAX_CONTENT_LENGTH also stops a chunked body that grows past it while it is read).
- One client (its address, see below) may have CLIENT_REQUESTS requests in progress at once in a worker
  and CLIENT_EXPORTS downloads of whole views; beyond, 429 with Retry-After. A download holds its places
  until its last chunk is taken or the client stops reading, not only while its view function runs.
- A worker streams at most WORKER_EXPORTS downloads at once, all clients together; beyond, 503 with
  Retry-After at once (no thread is held waiting). A download's rows are sorted before the first is
  sent and DuckDB keeps them until the last is read, about 370 MB for a cap-size export of 1,000,000
  receipts: ten at once took one worker from 190 MB to 2.9-3.2 GB, two 910 MB, one 555-579 MB
  (tests/integration/test_exports_concurrent_memory.py).
- Costly searches (the itemized receipts: the explorer's page and callbacks, the API's /receipts routes and
  exports) take turns in a pool of COSTLY_SEARCHES per worker, with at most as many waiting, so the other
  threads stay free for everything else. The wait counts against QUERY_TIMEOUT_MS (dashboard.app.db reads
  the deadline set here): a search that cannot start in time is refused with 503 and Retry-After. The turn
  is taken just before the view function runs (an answer from the answer cache takes none) and given back
  when it returns; a download's rows are then read outside the pool, its sort being done.
  A browser shows nothing of a callback's 503 (the explorer's grid stayed empty, without a word): a page
  registers what its costly callback answers instead (`answer_when_busy`), a 200 with BUSY_MESSAGE and a
  way to try again, never kept by the answer cache (Cache-Control: no-store).

Counts are per worker process (gunicorn's workers share no memory): a client may have up to
CLIENT_REQUESTS in progress in each worker. A browser opens at most 6 connections to a site and a worker
thread handles one at a time, so the default of 6 never refuses one visitor's page load; it bites only in
workers with more threads than that (`make serve` runs 4: there the costly searches' pool is what keeps
threads free for cheap requests).

The client is the connection's address. Behind a reverse proxy every request comes from the proxy:
TRUSTED_PROXY_HOPS=1 then takes the address the proxy adds to X-Forwarded-For (werkzeug's ProxyFix);
never set it without such a proxy in front, or any client could name itself.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, g, jsonify, request
from plotly.utils import PlotlyJSONEncoder
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.core import config

# What is costly: the only queries that read the itemized receipts row by row (dashboard.app.queries.receipts).
COSTLY_API_PREFIX = "/api/v1/receipts"
CHEAP_API_PATHS = ("/api/v1/receipts/conduits",)  # a short list of committees
COSTLY_PAGE = "/receipts"
# The receipts explorer's callbacks that search (pages/receipts.py): its grids' blocks of rows and the donor CSV.
# Its other callbacks (name suggestions, filters to URL) are cheap.
COSTLY_OUTPUTS = ("rx-grid.", "rx-donor-grid.", "rx-donor-download.")
# Downloads of a whole view: the API's export and the explorer's one-row-per-donor CSV (built in the callback).
EXPORT_PATH = "/api/v1/receipts/export"
EXPORT_COMPONENTS = ("rx-donor-download",)
CALLBACK_PATH = "/_dash-update-component"
PAGES_LOCATION = "_pages_location"  # Dash's pages router: its callback renders the layout of this pathname

BUSY_MESSAGE = "Many searches are running; try again in a few seconds."
# What a page's costly callback answers when the pool has no turn for it: (component id, property) of one of
# its outputs -> a function of the callback's body giving {component id: {property: value}}, or None for a 503.
_BUSY_ANSWERS: dict[tuple[str, str], Callable[[dict], dict | None]] = {}

WORKER = "\x00worker"  # the name the worker's downloads are counted under (no client address looks like it)

# Seconds a refused client is asked to wait: a page's requests end within a second; a download takes longer.
RETRY_REQUESTS, RETRY_EXPORTS, RETRY_COSTLY = 1, 10, 2
RETRY_WORKER_EXPORTS = 30  # a cap-size download takes 10-50 s


@dataclass
class _Counts:
    """Places held per client, under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    held: Counter = field(default_factory=Counter)

    def take(self, client: str, most: int) -> bool:
        with self.lock:
            if self.held[client] >= most:
                return False
            self.held[client] += 1
            return True

    def give_back(self, client: str) -> None:
        with self.lock:
            self.held[client] -= 1
            if self.held[client] <= 0:
                del self.held[client]


class _CostlyPool:
    """COSTLY_SEARCHES at a time, at most `waiting` more waiting for a turn (each waiting one holds a thread)."""

    def __init__(self, slots: int, waiting: int) -> None:
        self._turns = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._waiting, self._most_waiting = 0, waiting

    def enter(self, seconds: float | None) -> bool:
        if self._turns.acquire(blocking=False):
            return True
        with self._lock:
            if self._waiting >= self._most_waiting:
                return False
            self._waiting += 1
        try:
            return self._turns.acquire(timeout=seconds)
        finally:
            with self._lock:
                self._waiting -= 1

    def leave(self) -> None:
        self._turns.release()


class _Limits:
    def __init__(self) -> None:
        self.client_requests = config.get("CLIENT_REQUESTS")
        self.client_exports = config.get("CLIENT_EXPORTS")
        slots = config.get("COSTLY_SEARCHES")
        self.costly = _CostlyPool(slots, slots) if slots > 0 else None
        self.requests, self.exports = _Counts(), _Counts()
        self.worker_exports = config.get("WORKER_EXPORTS")


class _Places:
    """What one request holds, given back once: the costly turn when its view function is done, the
    client's places when its response has been sent (or abandoned)."""

    def __init__(self, limits: _Limits, client: str) -> None:
        self.limits, self.client = limits, client
        self.request = self.export = self.costly = self.wants_costly = self.is_costly = False
        self.worker_export = False

    def leave_costly(self) -> None:
        if self.costly:
            self.costly = False
            self.limits.costly.leave()

    def give_back(self) -> None:
        self.leave_costly()
        if self.export:
            self.export = False
            self.limits.exports.give_back(self.client)
        if self.worker_export:
            self.worker_export = False
            self.limits.exports.give_back(WORKER)
        if self.request:
            self.request = False
            self.limits.requests.give_back(self.client)


def register(server: Flask) -> None:
    """The body limit, the per-client limits and the costly searches' pool, for every route."""
    server.config["MAX_CONTENT_LENGTH"] = config.get("MAX_BODY_BYTES")
    hops = config.get("TRUSTED_PROXY_HOPS")
    if hops > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)
    server.extensions["limits"] = _Limits()
    # First of the before_request functions (Dash's own included), so nothing runs for a refused request.
    server.before_request_funcs.setdefault(None, []).insert(0, _admit)
    server.after_request(_hand_over)
    server.teardown_request(_give_back_unless_handed_over)
    server.dispatch_request = _in_turn(server.dispatch_request)
    server.register_error_handler(RequestEntityTooLarge, _too_large)


def forget_places(server: Flask) -> None:
    """Start the counts afresh: for tests, whose test client may leave a streamed download unclosed (a real
    server always closes a response, which gives its places back)."""
    server.extensions["limits"] = _Limits()


def _refusal(status: int, message: str, retry_after: int | None = None) -> Response:
    """A plain answer: JSON for the API (as its other errors), text elsewhere (a page's callback shows none)."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "status": status})
    else:
        response = Response(message + "\n", mimetype="text/plain")
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def _too_large(_error=None) -> Response:
    return _refusal(
        413, f"This request's body is larger than the {config.get('MAX_BODY_BYTES'):,} bytes this site accepts."
    )


def _admit():
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        return _too_large()
    if (
        limit is not None
        and request.content_length is None
        and "chunked" in request.headers.get("Transfer-Encoding", "")
    ):
        # A chunked body names no length, and werkzeug quietly cuts it at the limit: a byte more raises the 413.
        if len(request.get_data(cache=True)) >= limit:
            request.stream.read(1)
    limits: _Limits = current_app.extensions["limits"]
    client = request.remote_addr or "unknown"
    places = g.limits_places = _Places(limits, client)
    if not limits.requests.take(client, limits.client_requests):
        return _refusal(
            429,
            f"Too many requests from your address at once (at most {limits.client_requests}): wait for the "
            "ones in progress to finish, then try again.",
            RETRY_REQUESTS,
        )
    places.request = True
    costly, export = _what_it_costs()
    if export:
        if not limits.exports.take(client, limits.client_exports):
            return _refusal(
                429,
                f"You are already downloading {limits.client_exports} exports: wait for one to finish, then try again.",
                RETRY_EXPORTS,
            )
        places.export = True
        # All of the worker's downloads, counted as one client's.
        if limits.worker_exports > 0 and not limits.exports.take(WORKER, limits.worker_exports):
            return _refusal(
                503,
                "This server is sending as many downloads as its memory allows: try again in a minute.",
                RETRY_WORKER_EXPORTS,
            )
        places.worker_export = True
    places.is_costly = costly
    places.wants_costly = costly and limits.costly is not None
    return None


def is_costly() -> bool:
    """Whether this request is a costly search (the answer cache never replays one: its warm-up would take
    a turn of the pool the visitors' searches need)."""
    places: _Places | None = g.get("limits_places")
    return places is not None and places.is_costly


def _in_turn(dispatch):
    """The view function of a costly search runs in its turn. The turn is taken after every before_request
    function, so an answer given by one of them (the answer cache) waits for none."""

    def dispatch_in_turn():
        places: _Places | None = g.get("limits_places")
        if places is not None and places.wants_costly:
            timeout_ms = config.get("QUERY_TIMEOUT_MS")
            started = time.monotonic()
            if not places.limits.costly.enter(timeout_ms / 1000 if timeout_ms > 0 else None):
                busy = _busy_answer()
                if busy is not None:
                    return busy
                return _refusal(
                    503,
                    "Searches of itemized contributions are all busy right now: try again in a few seconds.",
                    RETRY_COSTLY,
                )
            places.costly = True
            if timeout_ms > 0:
                g.query_deadline = started + timeout_ms / 1000  # the wait counts against the request's queries
        return dispatch()

    return dispatch_in_turn


def answer_when_busy(component_id: str, prop: str):
    """Registers the decorated function as the answer of a costly callback that updates `component_id`'s
    `prop`, when every turn of the pool is taken: it gets the callback's body and gives the updates
    ({component id: {property: value}}) that say so on the page, or None to refuse with a 503."""

    def register(make: Callable[[dict], dict | None]):
        _BUSY_ANSWERS[(component_id, prop)] = make
        return make

    return register


def _busy_answer() -> Response | None:
    """A costly callback's answer when the pool is full, as its page registered it, else None."""
    if request.path != CALLBACK_PATH:
        return None
    body = request.get_json(silent=True)  # parsed already (the callback guard); a dict with a list of outputs
    outputs = body.get("outputs") if isinstance(body, dict) else None
    outputs = outputs if isinstance(outputs, list) else [outputs]
    for output in outputs:
        if not isinstance(output, dict):
            continue
        make = _BUSY_ANSWERS.get((str(output.get("id")), str(output.get("property"))))
        updates = make(body) if make is not None else None
        if updates is not None:
            response = Response(
                json.dumps({"multi": True, "response": updates}, cls=PlotlyJSONEncoder), mimetype="application/json"
            )
            response.headers["Cache-Control"] = "no-store"  # never kept: the next try is computed
            response.headers["Retry-After"] = str(RETRY_COSTLY)
            return response
    return None


def _what_it_costs() -> tuple[bool, bool]:
    """(costly, export) for this request, from what the server will run for it: the route, or for a Dash
    callback the components it updates and the page whose layout it renders."""
    path = request.path
    if path.startswith(COSTLY_API_PREFIX):
        return path not in CHEAP_API_PATHS, path == EXPORT_PATH
    if path != CALLBACK_PATH or request.method != "POST":
        return False, False
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly nested: Dash refuses it; it costs nothing here
        return False, False
    if not isinstance(body, dict):
        return False, False
    output = str(body.get("output", ""))
    export = any(component in output for component in EXPORT_COMPONENTS)
    if any(component in output for component in COSTLY_OUTPUTS):
        return True, export
    for value in body.get("inputs") or []:
        if (
            isinstance(value, dict)
            and value.get("id") == PAGES_LOCATION
            and value.get("property") == "pathname"
            and str(value.get("value", "")).rstrip("/") == COSTLY_PAGE
        ):
            return True, export
    return False, export


def _hand_over(response: Response) -> Response:
    """The costly turn ends with the view function, and so do the client's places, except for a streamed
    answer (a download): its places are given back once its last chunk is taken or it is closed (gunicorn
    closes it when the client goes away)."""
    places: _Places | None = g.pop("limits_places", None)
    if places is None:
        return response
    if not response.is_streamed:
        places.give_back()
        return response
    places.leave_costly()
    response.response = _GivingBack(response.response, places.give_back)
    response.call_on_close(places.give_back)
    return response


class _GivingBack:
    """A streamed body that gives its request's places back when it runs out or is closed."""

    def __init__(self, body, give_back) -> None:
        self._body, self._chunks, self._give_back = body, iter(body), give_back

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._chunks)
        except StopIteration:
            self._give_back()
            raise

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._give_back()


def _give_back_unless_handed_over(_error=None) -> None:
    """A request that ended without a response to attach them to (an error on the way) gives its places back."""
    places: _Places | None = g.pop("limits_places", None)
    if places is not None:
        places.give_back()
