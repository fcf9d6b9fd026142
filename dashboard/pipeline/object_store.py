"""The object store snapshots are published to and followed from (SNAPSHOT_STORE_URL=s3://bucket/prefix).

    <prefix>/snapshots/<id>/...        every file of a published snapshot, uploaded first
    <prefix>/snapshots/<id>/manifest.json   uploaded last: a snapshot is complete once it is there
    <prefix>/current                   small JSON naming the snapshot to serve (replaced last):
                                       {"snapshot_id", "published_at", "manifest_sha256", "manifest_bytes", ...}

Readers (dashboard.pipeline.follow) go through `current` only, so a killed upload (files without a
manifest, or a manifest that `current` does not name yet) is never followed. Ids are never reused:
an id already complete in the store with other content is refused. Snapshots replaced longer than
STORE_SNAPSHOT_GRACE ago are deleted by the next upload; the grace lets a slow follower finish
copying the one it started on.

boto3 reads the standard AWS settings itself (AWS_ENDPOINT_URL for S3-compatible stores, keys,
region). Only the pipeline talks to the store: the app serves the local copy, never the store
(a query through S3 costs tens of milliseconds per request; see issue 17).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.core import config, contract, params
from dashboard.pipeline.progress import Progress
from dashboard.store import checksums, layout, sync_status
from dashboard.store.snapshots import read_manifest

log = logging.getLogger(__name__)

POINTER = "current"
SNAPSHOTS = "snapshots"


class StoreError(RuntimeError):
    """The store refused or could not be reached; the message says what and what to do."""


@dataclass(frozen=True)
class Store:
    """Where in the object store: a bucket and a prefix (no slashes at either end)."""

    bucket: str
    prefix: str = ""

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")

    def key(self, *parts: str) -> str:
        return "/".join(p.strip("/") for p in (self.prefix, *parts) if p.strip("/"))

    def snapshot_key(self, snapshot_id: str, relative: str = "") -> str:
        return self.key(SNAPSHOTS, snapshot_id, relative)


def configured_store(url: str | None = None) -> Store | None:
    """The store SNAPSHOT_STORE_URL (or `url`) names; None when it is empty (no store: local only)."""
    text = (config.get("SNAPSHOT_STORE_URL") if url is None else url).strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise StoreError(f"SNAPSHOT_STORE_URL={text!r} is not like s3://bucket/prefix")
    return Store(parts.netloc, parts.path.strip("/"))


def client():
    """An S3 client from boto3's own settings, with timeouts: a store that hangs is an error
    after a minute, never a follow that waits forever."""
    import boto3
    from botocore.config import Config

    logging.getLogger("botocore.credentials").setLevel(logging.WARNING)  # "found credentials in ..." each run
    logging.getLogger("botocore.configprovider").setLevel(logging.WARNING)
    return boto3.client(
        "s3",
        config=Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"}),
    )


def store_errors():
    """The exceptions that mean the store failed us (unreachable, refused, missing object)."""
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError, Boto3Error)


def describe_error(exc: BaseException) -> str:
    """One line saying what the store did: an S3 error code, or the connection failure."""
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message') or exc}"
    return " ".join(str(exc).split()) or type(exc).__name__


def _is_missing(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError

    code = isinstance(exc, ClientError) and str(exc.response.get("Error", {}).get("Code"))
    return code in ("404", "NoSuchKey", "NotFound")


def get_object(s3, store: Store, key: str) -> bytes | None:
    """An object's bytes; None when it does not exist."""
    try:
        return s3.get_object(Bucket=store.bucket, Key=key)["Body"].read()
    except store_errors() as exc:
        if _is_missing(exc):
            return None
        raise


def read_current(s3, store: Store) -> dict | None:
    """The store's `current` pointer; None when nothing was ever published there."""
    body = get_object(s3, store, store.key(POINTER))
    if body is None:
        return None
    try:
        pointer = json.loads(body)
        if not isinstance(pointer, dict) or not isinstance(pointer.get("snapshot_id"), str):
            raise ValueError("no snapshot_id")
    except ValueError as exc:
        raise StoreError(f"{store.url}/{POINTER} is not a snapshot pointer ({exc}); publish again to replace it")
    return pointer


def snapshot_ids(s3, store: Store) -> dict[str, dict]:
    """Every snapshot id in the store -> {"complete": manifest present, "manifest_at", "newest_at"}."""
    found: dict[str, dict] = {}
    root = store.key(SNAPSHOTS) + "/"
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=store.bucket, Prefix=root):
        for item in page.get("Contents", []):
            snapshot_id, _, relative = item["Key"][len(root) :].partition("/")
            facts = found.setdefault(
                snapshot_id, {"complete": False, "manifest_at": None, "newest_at": None, "keys": []}
            )
            facts["keys"].append(item["Key"])
            modified = item["LastModified"]
            facts["newest_at"] = max(facts["newest_at"] or modified, modified)
            if relative == layout.MANIFEST:
                facts["complete"], facts["manifest_at"] = True, modified
    return found


def upload_snapshot(snapshot: Path, store: Store, bar: Progress | None = None) -> dict:
    """Upload a published local snapshot to `snapshots/<id>/` (every file, then manifest.json),
    replace `current` with a pointer to it, and prune what the grace allows. Returns what was done.
    Raises StoreError (or a boto error) on failure; the local snapshot is untouched either way."""
    from boto3.s3.transfer import TransferConfig

    started = time.monotonic()
    grace = grace_seconds()  # a bad setting stops the upload before it begins, not after `current`
    snapshot = Path(snapshot)
    snapshot_id = snapshot.name
    manifest_bytes = layout.manifest_path(snapshot).read_bytes()
    manifest_sha = hashlib.sha256(manifest_bytes).hexdigest()
    recorded = read_manifest(snapshot).get(checksums.FILES_KEY)
    if not isinstance(recorded, dict):
        raise StoreError(f"snapshot {snapshot_id} records no checksums (built before them); rebuild it to upload it")
    s3 = client()
    in_store = get_object(s3, store, store.snapshot_key(snapshot_id, layout.MANIFEST))
    if in_store is not None and hashlib.sha256(in_store).hexdigest() != manifest_sha:
        raise StoreError(
            f"{store.url} already holds a different snapshot {snapshot_id}; snapshot ids are never reused "
            "(publish a new one with `python -m dashboard build`)"
        )
    total = sum(int(facts["bytes"]) for facts in recorded.values())
    uploaded = 0
    if in_store is None:  # else a retry after the files and manifest went up: only `current` is left
        moved = ByteProgress(bar, f"uploading {snapshot_id}", total)
        transfer = TransferConfig(multipart_threshold=64 << 20, multipart_chunksize=64 << 20)
        for relative in sorted(recorded):
            s3.upload_file(
                str(snapshot / relative),
                store.bucket,
                store.snapshot_key(snapshot_id, relative),
                Config=transfer,
                Callback=moved.add,
            )
        s3.put_object(
            Bucket=store.bucket,
            Key=store.snapshot_key(snapshot_id, layout.MANIFEST),
            Body=manifest_bytes,
            ContentType="application/json",
        )
        uploaded = total + len(manifest_bytes)
    pointed = _replace_current(s3, store, snapshot_id, manifest_bytes, manifest_sha)
    pruned = prune_store(s3, store, grace)
    return {
        "snapshot_id": snapshot_id,
        "files": len(recorded) + 1,
        "bytes": uploaded,
        "seconds": round(time.monotonic() - started, 2),
        "current": pointed,
        "pruned": pruned,
    }


def _replace_current(s3, store: Store, snapshot_id: str, manifest_bytes: bytes, manifest_sha: str) -> str:
    """Point `current` at the snapshot, unless it already names a newer one (a retried upload of
    an older snapshot never rolls the store back). Returns the id `current` names after."""
    pointer = read_current(s3, store)
    if pointer and pointer["snapshot_id"] > snapshot_id:
        log.warning("%s/current names the newer %s; left as it is", store.url, pointer["snapshot_id"])
        return pointer["snapshot_id"]
    manifest = json.loads(manifest_bytes)
    body = {
        "snapshot_id": snapshot_id,
        "published_at": sync_status.now_text(),
        "manifest_sha256": manifest_sha,
        "manifest_bytes": len(manifest_bytes),
        "schema_version": manifest.get("schema_version"),
        "source": manifest.get("source"),
    }
    s3.put_object(
        Bucket=store.bucket,
        Key=store.key(POINTER),
        Body=(json.dumps(body, indent=1) + "\n").encode(),
        ContentType="application/json",
        CacheControl="no-cache",
    )
    return snapshot_id


def grace_seconds() -> int:
    try:
        return params.interval(config.get("STORE_SNAPSHOT_GRACE"), "STORE_SNAPSHOT_GRACE")
    except params.InvalidParameter as exc:
        raise StoreError(str(exc)) from None


def prune_store(s3, store: Store, grace: int) -> list[str]:
    """Delete the store's snapshots that stopped being current more than `grace` seconds ago, and
    the leftovers of killed uploads (no manifest) untouched for as long. A complete snapshot stopped
    being current when the next one's manifest arrived; `current` and newer ones are never deleted.
    Each snapshot's manifest goes first, so what is left of one being deleted is never complete."""
    pointer = read_current(s3, store)
    if pointer is None:
        return []
    current_id = pointer["snapshot_id"]
    found = snapshot_ids(s3, store)
    complete = sorted(i for i, facts in found.items() if facts["complete"])
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=grace)
    pruned = []
    for snapshot_id, facts in sorted(found.items()):
        if snapshot_id == current_id or (facts["complete"] and snapshot_id > current_id):
            continue  # served, or complete but not yet current (an upload killed before `current`)
        if facts["complete"]:
            retired_at = next((found[i]["manifest_at"] for i in complete if i > snapshot_id), None)
        else:  # a killed upload, or one going on now: its newest file says when it was last written
            retired_at = facts["newest_at"]
        if retired_at is None or retired_at > cutoff:
            continue
        keys = sorted(facts["keys"], key=lambda k: not k.endswith("/" + layout.MANIFEST))
        for start in range(0, len(keys), 1000):  # the most one DeleteObjects request takes
            s3.delete_objects(
                Bucket=store.bucket, Delete={"Objects": [{"Key": k} for k in keys[start : start + 1000]], "Quiet": True}
            )
        pruned.append(snapshot_id)
    return pruned


def publish_to_store(data_dir: Path, snapshot: Path, progress=None) -> dict | None:
    """After a local publish: upload the snapshot when SNAPSHOT_STORE_URL is set (None when it is
    empty). Never raises: the local snapshot is published and serving whatever the store does, so a
    failure is said (progress, log, sync/status.json) with what to do, and the followers keep serving
    the previous snapshot."""
    say = progress or (lambda message: None)
    try:
        store = configured_store()
    except StoreError as exc:
        store, error = None, str(exc)
        sync_status.record_upload(data_dir, False, "", snapshot.name, error=error)
        say(f"upload skipped: {error}; snapshot {snapshot.name} is published here only")
        return {"ok": False, "error": error}
    if store is None:
        return None
    say(f"uploading snapshot {snapshot.name} to {store.url}")
    try:
        facts = upload_snapshot(snapshot, store, bar=Progress() if progress else None)
    except Exception as exc:  # noqa: BLE001 - whatever failed, the local publish stands and says so
        reason = describe_error(exc)
        error = (
            f"upload of snapshot {snapshot.name} to {store.url} failed ({reason}); it is published and serving "
            "here, the store still names the previous snapshot. Check the store and the AWS_* settings, then "
            "`python -m dashboard upload` uploads it (or the next publish uploads its own)"
        )
        sync_status.record_upload(data_dir, False, store.url, snapshot.name, error=error)
        log.error("%s", error)
        say(f"error: {error}")
        return {"ok": False, "error": error}
    sync_status.record_upload(data_dir, True, store.url, **facts)
    moved = (
        f"{facts['files']} files, {facts['bytes']:,} bytes in {facts['seconds']} s"
        if facts["bytes"]
        else "its files were there already"
    )
    say(
        f"uploaded snapshot {snapshot.name} to {store.url}: {moved}; current: {facts['current']}"
        + (f"; pruned {', '.join(facts['pruned'])}" if facts["pruned"] else "")
    )
    return {"ok": True, **facts}


def check_schema(pointer: dict) -> str | None:
    """Why this code cannot serve the snapshot `current` names (another schema), or None."""
    version = pointer.get("schema_version")
    if version is not None and version != contract.SCHEMA_VERSION:
        return (
            f"snapshot {pointer['snapshot_id']} has schema version {version} and this code reads "
            f"{contract.SCHEMA_VERSION}: deploy the same version as the publisher on this node"
        )
    return None


class ByteProgress:
    """Bytes moved of a total, shown through dashboard.pipeline.progress (boto calls `add` from
    its transfer threads)."""

    def __init__(self, progress, label: str, total: int):
        self.progress, self.label, self.total = progress, label, max(total, 1)
        self.done = 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        if self.progress is None:
            return
        with self._lock:
            self.done += count
            detail = f"{self.done / 1e6:,.1f} of {self.total / 1e6:,.1f} MB"
            self.progress.show(self.label, self.done / self.total, detail, final=self.done >= self.total)
