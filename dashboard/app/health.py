"""Liveness and readiness for load balancers and operators.

- `/healthz`: 200 while the process answers (liveness; never looks at the data).
- `/readyz`: 200 when the snapshot being served is whole (every file its manifest records present
  and of its size; see dashboard.store.checksums), else 503 with a JSON reason: nothing published,
  a manifest unreadable, a partition or a file missing or truncated. A snapshot published before
  manifests recorded checksums is ready but `"verified": false`.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from dashboard.app import db

health = Blueprint("health", __name__)


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
