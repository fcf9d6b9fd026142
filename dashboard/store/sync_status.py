"""The object store's side of a data directory, `sync/status.json`: what the last upload of a
published snapshot did (on the node that builds) and what the last `follow` did (on a node that
copies snapshots from the store). Written by the pipeline, read by `python -m dashboard status` and
the data page, like refresh/status.json: a failed upload or follow changes no snapshot, yet both
readers must say that it failed.

    {"upload": {"at", "ok", "store", "snapshot_id", "error", "files", "bytes", "seconds", "pruned"},
     "follow": {"last_attempt": {"since", "ok", "store", "error", "snapshot_id", "store_snapshot_id"},
                "last_success": {"at", "store", "snapshot_id", "bytes", "seconds"}}}
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from dashboard.store import files, layout

log = logging.getLogger(__name__)


def now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def read_status(data_dir: Path) -> dict:
    """The recorded upload and follow (empty when neither ever ran here)."""
    status = files.read_json(layout.sync_status_path(data_dir), {})
    return status if isinstance(status, dict) else {}


def _update(data_dir: Path, key: str, change) -> None:
    """Best effort, as the refresh's status: a status that cannot be written must not hide the
    error being recorded."""
    path = layout.sync_status_path(data_dir)
    try:
        status = read_status(data_dir)
        status[key] = change(status.get(key) or {})
        files.write_json(path, status)
    except OSError as exc:
        log.warning("could not record the object store's status in %s: %s", path, exc)


def record_upload(data_dir: Path, ok: bool, store: str, snapshot_id: str, error: str | None = None, **facts) -> None:
    _update(
        data_dir,
        "upload",
        lambda _old: {"at": now_text(), "ok": ok, "store": store, "snapshot_id": snapshot_id, "error": error, **facts},
    )


def record_follow(data_dir: Path, ok: bool, store: str, error: str | None = None, **facts) -> None:
    """One follow pass. Written only when the outcome changes (a snapshot copied, an error that
    appears, changes or goes): a pass every FOLLOW_INTERVAL that finds nothing new rewrites nothing,
    so the web workers' answer cache, which counts this file as part of the snapshot, is not dropped
    every 30 s. Hence `since`: when the recorded outcome was first seen."""
    outcome = {"ok": ok, "store": store, "error": error, **facts}
    copied = outcome.pop("copied", False)
    moved = {key: outcome.pop(key) for key in ("bytes", "seconds") if key in outcome}
    follow = read_status(data_dir).get("follow") or {}
    previous = {k: v for k, v in (follow.get("last_attempt") or {}).items() if k != "since"}
    if previous == outcome and not copied:
        return

    def change(follow: dict) -> dict:
        follow = {**follow, "last_attempt": {"since": now_text(), **outcome}}
        if ok:
            success = {"at": now_text(), "store": store, "snapshot_id": outcome.get("snapshot_id")}
            follow["last_success"] = (
                {**success, **moved} if copied else {**(follow.get("last_success") or {}), **success}
            )
        return follow

    _update(data_dir, "follow", change)


def follow_health(data_dir: Path) -> dict:
    """Facts about following the store, for the data page; empty when `follow` never ran here."""
    follow = read_status(data_dir).get("follow") or {}
    if not follow:
        return {}
    success, attempt = follow.get("last_success") or {}, follow.get("last_attempt") or {}
    return {
        "store": attempt.get("store") or success.get("store"),
        "ok": bool(attempt.get("ok")),
        "since": attempt.get("since"),  # when the present outcome (in step, or failing) began
        "last_success_at": success.get("at"),
        "snapshot_followed": success.get("snapshot_id"),
        "last_error": None if attempt.get("ok") else attempt.get("error"),
    }
