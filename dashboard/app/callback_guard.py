"""Refuses malformed Dash callback requests with a 400 before Dash reads them.

Dash's `/_dash-update-component` trusts its body: a body that is not JSON, not an object, names a
callback the app does not have, lacks a key, has the wrong number of inputs, or nests 100,000 deep
raised inside Dash (KeyError, TypeError, RecursionError), which answered 500 and logged a 1.4 KB
traceback per request. Here a cheap check of the body's shape against the app's own callback map
answers such a request with a short plain 400 and one log line, at most one line per kind of problem
every LOG_EVERY_SECONDS (with the count of those not logged), so a flood cannot fill the log.

`guard_callbacks(app)` (dashboard.app.factory) hooks the check into the Flask server.
"""

from __future__ import annotations

import logging
import threading
import time

import dash
from dash import Output
from dash._validate import validate_output_spec
from dash.exceptions import CallbackException
from flask import Response, request

log = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
# Deepest nesting a callback body may have. The app's deepest real bodies (a figure's relayout data,
# a grid's rows request inside a list of inputs) stay under 15 levels.
MAX_DEPTH = 64
LOG_EVERY_SECONDS = 10.0


class BadCallback(ValueError):
    """A callback body the app cannot run; `kind` groups the log lines, the message says what."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class RateLimitedLog:
    """One log line per kind at most every `every` seconds; the next line says how many were not logged."""

    def __init__(self, every: float = LOG_EVERY_SECONDS, clock=time.monotonic):
        self.every, self.clock = every, clock
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}
        self._lock = threading.Lock()

    def warning(self, kind: str, message: str) -> bool:
        """Logs `message` unless a line of this kind was logged less than `every` seconds ago; True if logged."""
        now = self.clock()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self.every:
                self._skipped[kind] = self._skipped.get(kind, 0) + 1
                return False
            self._last[kind] = now
            skipped = self._skipped.pop(kind, 0)
        more = f" ({skipped} more of this kind not logged in the last {self.every:g} s)" if skipped else ""
        log.warning("refused callback request (%s): %s%s", kind, message, more)
        return True


def _depth_within(value, limit: int) -> bool:
    """True when `value` nests no deeper than `limit` lists or objects (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return False
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return True


def _is_dependency(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), (str, dict)) and isinstance(item.get("property"), str)


def _check_dependencies(body: dict, key: str, declared: list) -> None:
    given = body.get(key, [])
    if not isinstance(given, list) or len(given) != len(declared):
        raise BadCallback("shape", f"'{key}' must be a list of {len(declared)} items")
    for item in given:
        # A pattern-matching (ALL) input is a list of the components it matched.
        if not (_is_dependency(item) or (isinstance(item, list) and all(_is_dependency(i) for i in item))):
            raise BadCallback("shape", f"each of '{key}' must name an id and a property")


def _outputs_match(declared, given) -> bool:
    """The request's outputs are the callback's: Dash's own check, which it runs only once the callback
    has started (and then answers 500)."""
    if not isinstance(given, (dict, list)):
        return False
    try:
        validate_output_spec(declared, given, Output)
    except (CallbackException, KeyError, TypeError, AttributeError, ValueError):
        return False
    return True


def check_body(body, callback_map: dict) -> None:
    """Raises BadCallback unless `body` (parsed JSON) is a callback request this app can run."""
    if not isinstance(body, dict):
        raise BadCallback("shape", "the body must be a JSON object")
    if not _depth_within(body, MAX_DEPTH):
        raise BadCallback("depth", f"the body nests deeper than {MAX_DEPTH} levels")
    output = body.get("output")
    if not isinstance(output, str):
        raise BadCallback("shape", "'output' must be a string")
    callback = callback_map.get(output)
    if callback is None or "callback" not in callback:  # a clientside callback runs in the browser only
        raise BadCallback("unknown", "no server callback has that output")
    if not callback.get("no_output") and not _outputs_match(callback["output"], body.get("outputs")):
        raise BadCallback("shape", "'outputs' are not the callback's outputs")
    _check_dependencies(body, "inputs", callback["inputs"])
    _check_dependencies(body, "state", callback["state"])
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(prop, str) for prop in changed):
        raise BadCallback("shape", "'changedPropIds' must be a list of strings")


def guard_callbacks(app: dash.Dash, refusals: RateLimitedLog | None = None) -> None:
    """Checks every POST to the callback route before Dash parses it again (Flask caches the parse)."""
    refusals = refusals or RateLimitedLog()
    app.server.extensions["callback_guard"] = refusals  # its log limit, for tests and operators to see
    callback_path = app.config.routes_pathname_prefix.rstrip("/") + CALLBACK_PATH

    def refuse_malformed_callback():
        if request.method != "POST" or request.path != callback_path:
            return None
        try:
            try:
                body = request.get_json(force=True, silent=True)
            except RecursionError:  # json's decoder gives up on very deep nesting before any value is built
                raise BadCallback("depth", "the body nests too deeply") from None
            if body is None:
                raise BadCallback("json", "the body is not JSON")
            check_body(body, app.callback_map)
        except BadCallback as problem:
            refusals.warning(problem.kind, f"{problem} ({request.content_length or 0} bytes)")
            response = Response(f"Bad callback request: {problem}.\n", status=400, mimetype="text/plain")
            response.headers["Cache-Control"] = "no-store"
            return response
        return None

    app.server.before_request(refuse_malformed_callback)
