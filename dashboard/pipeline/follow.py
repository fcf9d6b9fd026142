"""`python -m dashboard follow`: keep this node's data directory on the snapshot the object store's
`current` names (SNAPSHOT_STORE_URL; dashboard.pipeline.object_store writes it). Its own process,
like the refresh; gunicorn's workers pick up each new snapshot on their next request, as after a
local publish, and never touch the store.

One pass (`follow_once`):
1. read the store's `current`; a store that cannot be reached is recorded (sync/status.json) and
   the node keeps serving the snapshot it has;
2. nothing to copy when the local `current` is that snapshot already, whole;
3. the snapshot's manifest.json, checked against the sha256 `current` records (a snapshot whose
   manifest is not in the store yet, i.e. half uploaded, is never followed); then every file it
   lists, into `snapshots/<id>.partial/` (never served; a killed copy is cleared by the next pass);
   the manifest written last;
4. every file's size and sha256 compared with the manifest (dashboard.store.checksums): a mismatch
   is refused and reported;
5. renamed to `snapshots/<id>/`, `current` swapped in one step, snapshots beyond SNAPSHOTS_KEPT pruned.

Public entry points: `follow_once(data_dir)` -> FollowResult (raises FollowError), and
`follow_every(data_dir, interval)` (the loop `follow` runs without --once).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from dashboard.core import config, params
from dashboard.pipeline import object_store
from dashboard.pipeline.progress import Progress
from dashboard.store import checksums, layout, locks, snapshots, sync_status

# What the builder's ids look like (snapshots.new_snapshot_id), with room for other sortable ids:
# never a path (the id becomes a folder name here).
_SNAPSHOT_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,99}")


class FollowError(RuntimeError):
    """This pass copied nothing; the message says why, what the node still serves, and what to do."""


class FollowBusy(FollowError):
    """Another follow (or a build) holds this data directory; this pass is skipped, not recorded."""


@dataclass
class FollowResult:
    snapshot_id: str | None  # what the node serves after this pass (None: nothing yet)
    copied: bool  # a snapshot was downloaded (or a whole local copy put back in service)
    bytes: int
    seconds: float
    message: str


def follow_once(data_dir: Path | None = None, progress: Progress | None = None) -> FollowResult:
    """One pass: copy and serve the store's current snapshot if this node does not serve it yet.
    Records the outcome in sync/status.json; raises FollowError when nothing could be copied."""
    data_dir = Path(data_dir or config.data_dir()).resolve()
    try:
        store = object_store.configured_store()
    except object_store.StoreError as exc:
        raise FollowError(str(exc)) from None
    if store is None:
        raise FollowError(
            "SNAPSHOT_STORE_URL is empty: set it to the store the publisher uploads to (s3://bucket/prefix)"
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    busy = FollowBusy(f"another follow or a build is running on {data_dir}; this pass is skipped")
    started = time.monotonic()
    seen: dict = {}
    try:
        with locks.exclusive(layout.build_lock_path(data_dir), busy):
            result = _follow(data_dir, store, progress, seen, started)
    except FollowBusy:
        raise
    except (FollowError, object_store.StoreError, OSError, ValueError, *object_store.store_errors()) as exc:
        serving = snapshots.current_snapshot(data_dir)
        reason = str(exc) if isinstance(exc, FollowError) else object_store.describe_error(exc)
        message = (
            f"following {store.url} failed: {reason}; "
            + (f"still serving snapshot {serving.name}" if serving else "no snapshot to serve yet")
            + (
                ". Check that the store is reachable and the AWS_* settings; the next pass tries again"
                if not isinstance(exc, FollowError)
                else ""
            )
        )
        sync_status.record_follow(data_dir, False, store.url, error=message, store_snapshot_id=seen.get("id"))
        raise FollowError(message) from exc
    sync_status.record_follow(
        data_dir,
        True,
        store.url,
        snapshot_id=result.snapshot_id,
        store_snapshot_id=seen.get("id"),
        copied=result.copied,
        bytes=result.bytes,
        seconds=result.seconds,
    )
    return result


def _follow(data_dir: Path, store: object_store.Store, progress, seen: dict, started: float) -> FollowResult:
    s3 = object_store.client()
    pointer = object_store.read_current(s3, store)
    serving = snapshots.current_snapshot(data_dir)

    def result(copied: bool, size: int, message: str) -> FollowResult:
        now = snapshots.current_snapshot(data_dir)
        return FollowResult(now.name if now else None, copied, size, round(time.monotonic() - started, 2), message)

    if pointer is None:
        return result(False, 0, f"{store.url} has no snapshot yet (nothing was published to it)")
    snapshot_id = seen["id"] = pointer["snapshot_id"]
    if not _SNAPSHOT_ID.fullmatch(snapshot_id):
        raise FollowError(f"the store's current names {snapshot_id!r}, which is not a snapshot id; not followed")
    why_not = object_store.check_schema(pointer)
    if why_not:
        raise FollowError(why_not)
    if serving is not None and serving.name == snapshot_id and checksums.check(serving).ok:
        return result(False, 0, f"snapshot {snapshot_id} is current here already")

    manifest_bytes = object_store.get_object(s3, store, store.snapshot_key(snapshot_id, layout.MANIFEST))
    if manifest_bytes is None:
        raise FollowError(
            f"the store's current names snapshot {snapshot_id} but its {layout.MANIFEST} is not in the store "
            "(an upload that did not finish, or a snapshot pruned); not followed"
        )
    if hashlib.sha256(manifest_bytes).hexdigest() != pointer.get("manifest_sha256"):
        raise FollowError(
            f"the {layout.MANIFEST} of snapshot {snapshot_id} in the store does not match the sha256 its "
            "pointer records (replaced after publishing?); not followed"
        )
    recorded = _recorded_files(snapshot_id, json.loads(manifest_bytes))

    final = layout.snapshots_dir(data_dir) / snapshot_id
    if final.is_dir() and _whole_copy(final, manifest_bytes):  # copied before; the swap was not reached
        snapshots.point_current_at(data_dir, final)
        snapshots.prune(data_dir, keep=config.get("SNAPSHOTS_KEPT"), serving=final)
        return result(True, 0, f"snapshot {snapshot_id} (already copied here) is now current")

    partial = snapshots.start_partial(data_dir, snapshot_id)
    total = sum(int(facts["bytes"]) for facts in recorded.values())
    moved = object_store.ByteProgress(progress, f"downloading {snapshot_id}", total)
    for relative in sorted(recorded):
        target = partial / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            s3.download_file(store.bucket, store.snapshot_key(snapshot_id, relative), str(target), Callback=moved.add)
        except object_store.store_errors() as exc:
            raise FollowError(
                f"could not copy {relative} of snapshot {snapshot_id} ({object_store.describe_error(exc)}); not followed"
            ) from exc
    layout.manifest_path(partial).write_bytes(manifest_bytes)  # last: the copy is complete
    health = checksums.check(partial, full=True)
    if not health.ok:
        shutil.rmtree(partial, ignore_errors=True)
        raise FollowError(f"snapshot {snapshot_id} copied from the store does not match its manifest: {health.reason}")
    if final.exists():  # a damaged copy under the same name (never served: it failed its check)
        os.rename(final, final.with_name(f"{snapshot_id}.replaced.partial"))  # cleared by the next start_partial
    snapshots.promote(data_dir, partial, keep=config.get("SNAPSHOTS_KEPT"))
    size = total + len(manifest_bytes)
    return result(True, size, f"snapshot {snapshot_id} copied ({size:,} bytes, checksums verified) and now current")


def _recorded_files(snapshot_id: str, manifest) -> dict[str, dict]:
    """The manifest's files, each a plain relative path inside the snapshot (a crafted manifest
    must not make this node write elsewhere)."""
    recorded = manifest.get(checksums.FILES_KEY) if isinstance(manifest, dict) else None
    if not isinstance(recorded, dict) or not recorded:
        raise FollowError(f"the manifest of snapshot {snapshot_id} records no checksums; it cannot be verified")
    for relative, facts in recorded.items():
        path = PurePosixPath(relative)
        if path.is_absolute() or ".." in path.parts or relative == layout.MANIFEST or not isinstance(facts, dict):
            raise FollowError(f"the manifest of snapshot {snapshot_id} lists {relative!r}; not followed")
    return recorded


def _whole_copy(folder: Path, manifest_bytes: bytes) -> bool:
    manifest = layout.manifest_path(folder)
    return manifest.is_file() and manifest.read_bytes() == manifest_bytes and checksums.check(folder, full=True).ok


def follow_every(data_dir: Path | None = None, interval: str | None = None, progress: Progress | None = None) -> None:
    """Follow now and then every `interval` (FOLLOW_INTERVAL), until interrupted. A failed pass is
    recorded and said; the next one tries again. Passes that find nothing new print nothing."""
    interval = interval or config.get("FOLLOW_INTERVAL")
    seconds = params.interval(interval, "FOLLOW_INTERVAL")
    progress = progress or Progress()
    store = object_store.configured_store()
    if store is None:
        raise FollowError(
            "SNAPSHOT_STORE_URL is empty: set it to the store the publisher uploads to (s3://bucket/prefix)"
        )
    progress.line(f"following {store.url} every {interval}; stop with Ctrl-C")
    while True:
        try:
            outcome = follow_once(data_dir, progress)
            if outcome.copied:
                progress.line(outcome.message)
        except FollowError as exc:
            progress.line(f"error: {exc}")
        time.sleep(seconds)
