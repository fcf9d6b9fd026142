"""Refuses malformed Dash callback requests with a 400 before Dash reads them.

Dash's `/_dash-update-component` trusts its body: a body that is not JSON, not an object, names a
callback the app does not have, lacks a key, has the wrong number of inputs, or nests 100,000 deep
raised inside Dash (KeyError, TypeError, RecursionError), which answered 500 and logged a 1.4 KB
traceback per request. Here a cheap check of the body's shape against the app's own callback map
answers such a request with a short plain 400 and one log line, at most one line per kind of problem
every LOG_EVERY_SECONDS (with the count of those not logged), so a flood cannot fill the log.

The values are checked too, by what a browser can send for them: a click count is a whole number, a
graph's click or a grid's rows request an object, an address a string (PROPERTY_KINDS, whatever the
component), and a text box's value a string or a store's data an object with the keys its page wrote
(COMPONENT_KINDS, by component id or pattern type). A crafted value of another kind (a list for a count,
a number for a text) is refused here, once for all callbacks, instead of raising inside one of them;
values of the right kind but not among a page's options are the page's parsers' to refuse
(dashboard.core.params), as they are in an address.

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
from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest

from dashboard.core import params

log = logging.getLogger(__name__)

CALLBACK_PATH = "/_dash-update-component"
# Deepest nesting a callback body may have. The app's deepest real bodies (a figure's relayout data,
# a grid's rows request inside a list of inputs) stay under 15 levels.
MAX_DEPTH = 64
LOG_EVERY_SECONDS = 10.0
MAX_COUNT = 2**53  # a click count beyond what a browser's number holds exactly is not a browser's


def _count(value) -> bool:
    return value is None or (type(value) is int and 0 <= value <= MAX_COUNT)


def _object(value) -> bool:
    return value is None or isinstance(value, dict)


def _text(value) -> bool:
    return value is None or isinstance(value, str)


def _path(value) -> bool:
    return isinstance(value, str) and value.startswith("/")  # a dcc.Location always holds its address


def _query(value) -> bool:
    return value is None or (isinstance(value, str) and (value == "" or value.startswith("?")))


def _number_or_text(value) -> bool:
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def _value(value) -> bool:
    """A form control's value: a string or number, or a flat list of them (a multiple choice)."""
    if isinstance(value, list):
        return all(_number_or_text(item) and item is not None for item in value)
    return _number_or_text(value) or isinstance(value, bool)


def _object_with(**keys):
    """A store's data as its page writes it: an object with these keys, each of its kind (None: any value)."""

    def kind(value) -> bool:
        return isinstance(value, dict) and all(
            key in value and (check is None or check(value[key])) for key, check in keys.items()
        )

    return kind


def _plotly_event(value) -> bool:
    """A graph's clickData, hoverData or selectedData: an object whose points are objects."""
    if value is None:
        return True
    points = value.get("points", []) if isinstance(value, dict) else None
    return isinstance(points, list) and all(isinstance(point, dict) for point in points)


def _rows_request(value) -> bool:
    """An AG Grid's infinite row model request: row numbers, and a sort model of {colId, sort} strings."""
    if value is None:
        return True
    if not isinstance(value, dict):
        return False
    rows = [value.get(k) for k in ("startRow", "endRow") if k in value]
    sorts = value.get("sortModel") or []
    return (
        all(type(row) is int and 0 <= row <= MAX_COUNT for row in rows)
        and isinstance(sorts, list)
        and all(
            isinstance(sort, dict) and isinstance(sort.get("colId"), str) and isinstance(sort.get("sort", ""), str)
            for sort in sorts
        )
    )


def _string(value) -> bool:
    return isinstance(value, str)


# What a browser sends for these properties, whichever component has them.
PROPERTY_KINDS = {
    "n_clicks": _count,
    "n_submit": _count,
    "n_clicks_timestamp": _count,
    "n_blur": _count,
    "clickData": _plotly_event,
    "hoverData": _plotly_event,
    "selectedData": _plotly_event,
    "relayoutData": _object,
    "getRowsRequest": _rows_request,
    "pathname": _path,
    "search": _query,
    "href": _text,
    "hash": _text,
    "aria-pressed": _text,
    "value": _value,
}
# What the app's own components hold (by id, or by `type` for a pattern-matching id): text boxes, and the
# stores a page writes for its callbacks to read back.
COMPONENT_KINDS = {
    ("search-input", "value"): _text,
    ("compare-with", "value"): _text,
    ("rx-who", "value"): _text,
    ("rx-q", "value"): _text,
    ("rx-employer", "value"): _text,
    ("rx-occupation", "value"): _text,
    ("rx-city", "value"): _text,
    ("rx-zip", "value"): _text,
    ("trends-state", "value"): _text,
    ("trends-min", "value"): _number_or_text,
    ("compare-kind", "data"): _text,
    ("csv-data", "data"): _object_with(content=_string, filename=_string),
    ("donor-csv-key", "data"): _object_with(donor_key=_string, filename=_string),
    ("map-shown", "data"): _object_with(query=_object_with(), shape=None),
    ("rx-view", "data"): _object_with(query=_object, sort=_string, rows=_count),
    ("rx-donor-view", "data"): _object_with(query=_object, sort=_string, rows=_count),
    ("trends-filters", "data"): _object_with(
        filters=_string, cycle=None, office=None, party=None, window=None, by=None, movers=None
    ),
    ("paged-table-page", "data"): _count,
}


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
        for dependency in item if isinstance(item, list) else [item]:
            _check_value(dependency)


def _check_value(dependency: dict) -> None:
    component, prop = dependency["id"], dependency["property"]
    if isinstance(component, dict):
        if not all(isinstance(v, (str, int, float, bool)) for v in component.values()):
            raise BadCallback("value", "a pattern-matching id holds only strings and numbers")
        component = component.get("type")
    kind = COMPONENT_KINDS.get((component, prop)) or PROPERTY_KINDS.get(prop)
    if kind is not None and not kind(dependency.get("value")):
        raise BadCallback("value", f"{str(component)[:40]}.{prop} is not a value this app's pages send")


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


def refuse_invalid_value(error: Exception) -> None:
    """Raises a 400 (BadRequest) when a callback failed on a value the project's parsers refused
    (params.InvalidParameter): a crafted value, as a bad address is, logged in one rate-limited line
    instead of a traceback. Any other error returns, for the caller to log."""
    if not isinstance(error, params.InvalidParameter):
        return
    refusals = current_app.extensions.get("callback_guard")
    if refusals is not None:
        refusals.warning("value", f"{str(error)[:200]} ({request.content_length or 0} bytes)")
    response = Response(f"Bad callback request: {error}.\n", status=400, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    raise BadRequest(response=response)


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
