"""Liveness and readiness for load balancers and operators.

- `/healthz`: 200 while the process answers (liveness; never looks at the data).
- `/readyz`: 200 when the snapshot being served is whole (every file its manifest records present
  and of its size; see dashboard.store.checksums), else 503 with a JSON reason: nothing published,
  a manifest unreadable, a partition or a file missing or truncated. A snapshot published before
  manifests recorded checksums is ready but `"verified": false`.

And the gate before every other answer (`serve_from_one_snapshot`): each request is pinned to one
snapshot (the one its page was built from, named by the X-Snapshot-Id it sends, else `current`), and a
server with nothing to answer from says so at once with 503 and Retry-After: before its first snapshot
(a follower that has not synced yet) or when a page's snapshot has not reached it yet (a rolling update;
the load balancer then asks another server). Static files need no snapshot.
"""

from __future__ import annotations

from html import escape

from flask import Blueprint, Flask, Response, jsonify, request

from dashboard.app import db, headers
from dashboard.core import config

health = Blueprint("health", __name__)

# Files that are the same whatever the snapshot (scripts, styles, the map's boundaries): served without one.
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/geo/")
FIRST_SYNC_PENDING = (
    "No data snapshot has reached this server yet: it is copying its first from the snapshot store. Try again shortly."
)
NOTHING_BUILT = (
    "No data snapshot has been published on this server yet. Build the demo data with `make serve` (it builds "
    "it before starting) or `python -m dashboard demo`, then reload this page."
)
NO_SNAPSHOT_RETRY_SECONDS = 10  # a follower's first sync of a demo snapshot takes seconds
NOT_HERE_YET_RETRY_SECONDS = 1  # the next sync is seconds away, and another server has it already


def serve_from_one_snapshot(server: Flask) -> None:
    """Pin each request to its snapshot, or refuse it with 503 when there is none to answer from."""
    server.before_request(_pin_snapshot)


def _pin_snapshot() -> Response | None:
    if request.blueprint == health.name or request.path.startswith(STATIC_PREFIXES):
        return None
    try:
        db.pin_request(request.headers.get(headers.SNAPSHOT_HEADER))
    except db.SnapshotNotHereYet as problem:
        return _refusal(f"{problem} Try again in a moment.", NOT_HERE_YET_RETRY_SECONDS)
    except db.NoSnapshotError:
        # A follower says it is syncing; a single server says how to build its first snapshot.
        waiting = FIRST_SYNC_PENDING if config.get("SNAPSHOT_STORE_URL") else NOTHING_BUILT
        return _refusal(waiting, NO_SNAPSHOT_RETRY_SECONDS, title="No data yet")
    return None


def _refusal(message: str, retry_after: int, title: str = "Please try again shortly") -> Response:
    """503 in plain words: JSON for the API, as its other errors; a small page for a browser asking
    for one (the app's own pages cannot be drawn without a snapshot); text elsewhere (callbacks)."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "status": 503})
    elif request.method == "GET" and request.accept_mimetypes.accept_html:
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><main><h1>{escape(title)}</h1><p>{escape(message)}</p></main></body></html>"
        )
        response = Response(page, mimetype="text/html")
    else:
        response = Response(message + "\n", mimetype="text/plain")
    response.status_code = 503
    response.headers["Retry-After"] = str(retry_after)
    response.headers["Cache-Control"] = "no-store"
    return response


@health.get("/healthz")
def healthz():
    return _answer({"status": "alive"}, 200)


@health.get("/readyz")
def readyz():
    try:
        found = db.snapshot_health(recheck=True)
    except db.NoSnapshotError as problem:
        return _answer({"status": "no_snapshot", "reason": str(problem)}, 503)
    return _answer(found.as_dict(), 200 if found.ok else 503)


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"  # a probe wants the state now, never a copy
    return response
