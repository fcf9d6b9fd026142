"""The API over HTTP: the Flask blueprint `api` (app.py registers it), its routes and answers.

- `?format=csv` (or a `.csv` suffix on the path) answers CSV; JSON otherwise:
  {"data": [rows], "meta": {"snapshot_id", "source", "data_through", "parameters", "rows"}}.
- Every parameter is validated: an invalid or unknown one is a 400 whose message names it.
- `ETag` and `Cache-Control` derive from the snapshot id, so a client's cached answer stays
  valid until a new snapshot is published (If-None-Match answers 304 without a query).
- /api/v1/receipts pages with a keyset cursor (`after`); /api/v1/receipts/export streams the
  whole view as CSV or Parquet (dashboard.app.exports).
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from flask import Blueprint, Response, jsonify, request

from dashboard.app import db, exports
from dashboard.app.api import openapi
from dashboard.app.api.endpoints import BY_PATH, PREFIX
from dashboard.app.api.params import EXPORT_PARAMS, FORMATS, RECEIPTS_PAGE, parse, response_format
from dashboard.app.queries import receipts, snapshot
from dashboard.core import params

api = Blueprint("api", __name__, url_prefix=PREFIX)
CACHE_SECONDS = 300


class ApiError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def _problem(status: int, message: str, parameter: str | None = None) -> Response:
    body = {"error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _snapshot_tag() -> tuple[str, dict]:
    manifest = db.manifest()
    return str(manifest.get("snapshot_id", "none")), manifest


def snapshot_etag(snapshot_id: str) -> str:
    """The same URL on the same snapshot always has the same answer."""
    digest = hashlib.sha256(request.full_path.encode()).hexdigest()[:16]
    return f"{snapshot_id}-{digest}"


def not_modified(etag: str) -> bool:
    # Flask-Compress appends ':gzip' (or another encoding) to the tag it sends.
    sent = [tag.split(":")[0] for tag in request.if_none_match.as_set()] if request.if_none_match else []
    return etag in sent


def cacheable(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _csv(frame: pd.DataFrame) -> str:
    flat = frame.copy()
    for column in flat.columns:
        if flat[column].dtype == object:
            flat[column] = [
                (
                    "; ".join(str(exports.json_value(v)) for v in value)
                    if isinstance(value, (list, tuple, np.ndarray))
                    else value
                )
                for value in flat[column]
            ]
    return exports.csv_safe_frame(flat).to_csv(index=False, date_format="%Y-%m-%d", float_format=exports.FLOAT_FORMAT)


def _answer(
    frame: pd.DataFrame,
    fmt: str,
    manifest: dict,
    parameters: dict,
    etag: str,
    extra_meta: dict | None = None,
    name: str = "data",
) -> Response:
    if fmt == "csv":
        response = Response(_csv(frame), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    else:
        meta = {
            "snapshot_id": manifest.get("snapshot_id"),
            "source": manifest.get("source"),
            "data_through": snapshot.latest_coverage_end(manifest),
            "parameters": exports.json_value({k: v for k, v in parameters.items() if v is not None}),
            "rows": len(frame),
            **(extra_meta or {}),
        }
        # Not jsonify: it sorts keys, and rows should keep the columns in the tables' order.
        response = Response(
            json.dumps({"data": exports.json_records(frame), "meta": meta}, separators=(",", ":")),
            mimetype="application/json",
        )
    return cacheable(response, etag)


def _guarded(handler: Callable[[], Response]) -> Response:
    """Turns what can go wrong into the right status and a message that says what to do."""
    try:
        return handler()
    except params.InvalidParameter as problem:
        name = str(problem).split(":", 1)[0]
        return _problem(400, str(problem), name)
    except exports.ExportTooLarge as problem:
        return _problem(413, str(problem))
    except db.NoSnapshotError as problem:
        return _problem(503, str(problem))
    except db.QueryTimeoutError:
        return _problem(
            503,
            "This question took too long to answer. Narrow it (name a candidate, committee, "
            "contributor, ZIP code or a shorter date range) and try again.",
        )


def _with_api_errors(handler):
    try:
        return _guarded(handler)
    except ApiError as problem:
        return _problem(problem.status, problem.message, problem.parameter)


def _split_suffix(path: str) -> tuple[str, str | None]:
    for fmt in FORMATS:
        if path.endswith("." + fmt):
            return path[: -len(fmt) - 1], fmt
    return path, None


# ----------------------------------------------------------------------------- routes


@api.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@api.get("/receipts")
@api.get("/receipts.<path_format>")
def receipts_search(path_format: str | None = None):
    def handle():
        if path_format not in (None, *FORMATS):
            raise ApiError(404, f"No endpoint {request.path}")
        fmt = response_format(path_format)
        parsed = parse(RECEIPTS_PAGE)
        snapshot_id, manifest = _snapshot_tag()
        etag = snapshot_etag(snapshot_id)
        if not_modified(etag):
            return cacheable(Response(status=304), etag)
        filters = receipts.ReceiptFilters.from_query(parsed)
        sort = parsed["sort"]
        frame, next_after = receipts.receipts_after(filters, sort, parsed["after"], parsed["limit"])
        following = None
        if next_after:
            query = {k: v for k, v in request.args.items() if k != "after"}
            following = f"{PREFIX}/receipts?{urlencode({**query, 'after': next_after})}"
        response = _answer(
            frame, fmt, manifest, parsed, etag, {"next_after": next_after, "next": following}, name="receipts"
        )
        if next_after:
            response.headers["Link"] = f'<{following}>; rel="next"'
        return response

    return _with_api_errors(handle)


@api.get("/receipts/export")
def receipts_export():
    def handle():
        parsed = parse(EXPORT_PARAMS, allowed_extra=())
        filters = receipts.ReceiptFilters.from_query(parsed)
        export = exports.receipts_export(filters, parsed["sort"], parsed["format"])
        response = Response(export.chunks, mimetype=export.media_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response.headers["X-Row-Count"] = str(export.rows)
        response.headers["Cache-Control"] = "no-store"
        return response

    return _with_api_errors(handle)


@api.get("/<path:path>")
def table(path: str):
    def handle():
        base, path_format = _split_suffix("/" + path)
        endpoint = BY_PATH.get(base)
        if endpoint is None:
            raise ApiError(404, f"No endpoint {PREFIX}{base}. The list is at {PREFIX}/openapi.json.")
        fmt = response_format(path_format)
        parsed = parse(endpoint.params)
        snapshot_id, manifest = _snapshot_tag()
        etag = snapshot_etag(snapshot_id)
        if not_modified(etag):
            return cacheable(Response(status=304), etag)
        result = endpoint.call(parsed) if endpoint.call else endpoint.function(**parsed)
        return _answer(result, fmt, manifest, parsed, etag, name=base.strip("/").replace("/", "-"))

    return _with_api_errors(handle)


@api.errorhandler(500)
def _internal(_error):
    return _problem(500, "Something went wrong on our side; it has been logged.")


@api.errorhandler(405)
def _method(_error):
    return _problem(405, "Only GET is supported.")
