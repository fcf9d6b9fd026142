"""The OpenFEC refresh's status, `refresh/status.json`: written by the refresh (the pipeline), read by
`python -m dashboard status` and the data page (the app).

It lives in the store rather than in the snapshot because a failed attempt publishes nothing,
yet both readers must say that it failed.

    {"last_attempt": {started_at, finished_at, ok, error, scope, api_url, requests, seconds},
     "last_success": {... the same, snapshot_id, rows_stored},
     "coverage": {"<cycle>": {candidates, committees, reports, receipts, data_through, pulled_at}},
     "requests": {last_hour, budget, as_of}}
"""

from __future__ import annotations

import logging
from pathlib import Path

from dashboard.store import files, layout, locks

log = logging.getLogger(__name__)


def refresh_running(data_dir: Path) -> bool:
    """Whether a refresh holds the data directory's refresh lock right now."""
    return locks.is_held(layout.refresh_lock_path(data_dir))


def read_status(data_dir: Path) -> dict:
    """What the last refresh attempts did (empty when none has run). An attempt that never
    finished and whose process is gone was killed."""
    status = files.read_json(layout.refresh_status_path(data_dir), {})
    attempt = status.get("last_attempt")
    if attempt and attempt.get("finished_at") is None and not refresh_running(data_dir):
        attempt["ok"] = False
        attempt["error"] = attempt.get("error") or "the refresh process stopped before finishing (killed?)"
    return status


def record(data_dir: Path, **changes) -> None:
    """Update the status's top-level entries. Best effort: with the disk full the status may not
    be writable, and that must not hide the original error."""
    path = layout.refresh_status_path(data_dir)
    try:
        status = files.read_json(path, {})
        status.update(changes)
        files.write_json(path, status)
    except OSError as exc:
        log.warning("could not record the refresh status: %s", exc)


def refresh_health(data_dir: Path) -> dict:
    """Facts about the last refreshes; an empty dict when none has ever run here."""
    status = read_status(data_dir)
    if not status:
        return {}
    success = status.get("last_success") or {}
    attempt = status.get("last_attempt") or {}
    requests = status.get("requests") or {}
    return {
        "last_success_at": success.get("finished_at"),
        "last_success_scope": success.get("scope"),
        "last_success_requests": success.get("requests"),
        "last_success_seconds": success.get("seconds"),
        "last_attempt_at": attempt.get("started_at"),
        "last_attempt_ok": attempt.get("ok"),
        "last_attempt_error": attempt.get("error"),
        "api_url": attempt.get("api_url") or success.get("api_url"),
        "requests_last_hour": requests.get("last_hour"),
        "hourly_budget": requests.get("budget"),
        "requests_as_of": requests.get("as_of"),
    }


def refresh_coverage(data_dir: Path):
    """Per refreshed cycle: what the API raw data holds and when it was pulled (a DataFrame)."""
    import pandas as pd  # here, so the refresh process that only writes the status never loads it

    status = read_status(data_dir)
    rows = [{"cycle": int(cycle), **facts} for cycle, facts in (status.get("coverage") or {}).items()]
    columns = ["cycle", "candidates", "committees", "reports", "receipts", "data_through", "pulled_at"]
    return pd.DataFrame(rows, columns=columns).sort_values("cycle", ignore_index=True)
