"""Snapshots published to an object store and followed from it (issue 17), against a real
S3-compatible server on 127.0.0.1 (moto_server, started by the tests: devtools/s3_server.py), with
the real CLI in subprocesses: publish, follow, swap; kills during an upload and during a download;
the store going away and coming back; pruning after the grace period; no store, no upload."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.pipeline import object_store
from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.store import checksums, layout, sync_status
from dashboard.store.snapshots import current_snapshot
from devtools.s3_server import S3Server

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def dashboard(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`python -m dashboard <args>` on `data_dir`, with the test's environment (the store's settings)."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env={**os.environ, "DATA_CACHE_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def start(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT,
        env={**os.environ, "DATA_CACHE_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def store_of(url: str) -> object_store.Store:
    return object_store.configured_store(url)


def pointer(s3, url: str) -> dict | None:
    return object_store.read_current(s3, store_of(url))


def manifest_bytes(snapshot: Path) -> bytes:
    return layout.manifest_path(snapshot).read_bytes()


def served(data_dir: Path) -> str | None:
    snapshot = current_snapshot(data_dir)
    return snapshot.name if snapshot else None


def test_publish_uploads_then_follow_copies_and_swaps(snapshot_store, s3_server, demo_builds, tmp_path):
    publisher, follower = tmp_path / "publisher", tmp_path / "follower"
    run = dashboard(publisher, "demo", "--rows", "20000")
    assert run.returncode == 0, run.stderr
    first = served(publisher)
    assert f"uploaded snapshot {first} to {snapshot_store}" in run.stdout

    s3 = s3_server.client()
    current = pointer(s3, snapshot_store)
    assert current["snapshot_id"] == first
    assert current["manifest_sha256"] == hashlib.sha256(manifest_bytes(publisher / "current")).hexdigest()
    store = store_of(snapshot_store)
    listed = object_store.snapshot_ids(s3, store)[first]
    recorded = json.loads(manifest_bytes(publisher / "current"))[checksums.FILES_KEY]
    assert listed["complete"] and len(listed["keys"]) == len(recorded) + 1  # every file and the manifest

    uploaded = sync_status.read_status(publisher)["upload"]
    started = time.monotonic()
    run = dashboard(follower, "follow", "--once")
    follow_seconds = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    copied = sync_status.read_status(follower)["follow"]["last_success"]
    assert served(follower) == first
    assert manifest_bytes(follower / "current") == manifest_bytes(publisher / "current")
    assert checksums.check(follower / "current", full=True).ok
    assert "checksums verified" in run.stdout
    again = dashboard(follower, "follow", "--once")
    assert again.returncode == 0 and "current here already" in again.stdout

    # A new publish is uploaded and the follower swaps to it; the snapshot it served stays on disk
    # (SNAPSHOTS_KEPT) for workers still finishing a request on it.
    build = dashboard(publisher, "build")
    assert build.returncode == 0, build.stderr
    second = served(publisher)
    assert second != first and pointer(s3, snapshot_store)["snapshot_id"] == second
    assert dashboard(follower, "follow", "--once").returncode == 0
    assert served(follower) == second
    assert manifest_bytes(follower / "current") == manifest_bytes(publisher / "current")
    assert (layout.snapshots_dir(follower) / first).is_dir()

    status = dashboard(follower, "status")
    assert f"in step with {snapshot_store}" in status.stdout and f"serving {second}" in status.stdout
    upload = sync_status.read_status(publisher)["upload"]
    follow = sync_status.read_status(follower)["follow"]["last_success"]
    assert upload["ok"] and upload["snapshot_id"] == second and follow["snapshot_id"] == second
    print(
        f"\nsync of a {uploaded['bytes']:,}-byte demo snapshot (20,000 rows, {uploaded['files']} files): upload "
        f"{uploaded['seconds']} s, download and verify {copied['seconds']} s of {copied['bytes']:,} bytes "
        f"(follow --once: {follow_seconds:.2f} s with the interpreter's start)"
    )


def test_without_a_store_nothing_is_uploaded_and_follow_says_what_is_missing(
    s3_server, demo_builds, tmp_path, monkeypatch
):
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SNAPSHOT_STORE_URL", raising=False)
    bucket = s3_server.new_bucket()
    data_dir = demo_builds.copy(tmp_path / "data")
    manifest = build_and_publish(data_dir)
    assert served(data_dir) == manifest["snapshot_id"]
    assert s3_server.client().list_objects_v2(Bucket=bucket.removeprefix("s3://"))["KeyCount"] == 0
    assert not layout.sync_status_path(data_dir).exists()
    run = dashboard(tmp_path / "follower", "follow", "--once")
    assert run.returncode == 1 and "SNAPSHOT_STORE_URL is empty" in run.stderr


def test_a_killed_upload_is_never_followed(snapshot_store, s3_server, demo_builds, tmp_path):
    publisher, follower = demo_builds.copy(tmp_path / "publisher"), tmp_path / "follower"
    first = served(publisher)
    assert dashboard(publisher, "upload").returncode == 0
    assert dashboard(follower, "follow", "--once").returncode == 0 and served(follower) == first

    s3, store = s3_server.client(), store_of(snapshot_store)
    proc = start(publisher, "build")
    caught = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and caught is None:
        caught = next((i for i in object_store.snapshot_ids(s3, store) if i != first), None)
        time.sleep(0.005)
    assert caught is not None, "the build and upload finished before the upload could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert served(publisher) == caught  # published here before the upload began
    assert not object_store.snapshot_ids(s3, store)[caught]["complete"]  # no manifest: not a snapshot yet
    assert pointer(s3, snapshot_store)["snapshot_id"] == first

    run = dashboard(follower, "follow", "--once")
    assert run.returncode == 0 and served(follower) == first

    # Even a pointer naming it (as if `current` were written too early) is refused: no manifest.
    good_pointer = object_store.get_object(s3, store, store.key("current"))
    s3.put_object(Bucket=store.bucket, Key=store.key("current"), Body=json.dumps({"snapshot_id": caught}).encode())
    run = dashboard(follower, "follow", "--once")
    assert run.returncode == 1
    assert f"names snapshot {caught} but its manifest.json is not in the store" in run.stderr
    assert f"still serving snapshot {first}" in run.stderr
    assert served(follower) == first and not list(layout.snapshots_dir(follower).glob("*.partial"))
    s3.put_object(Bucket=store.bucket, Key=store.key("current"), Body=good_pointer)

    # The fix the message gives: upload again; then the follower takes it.
    retry = dashboard(publisher, "upload")
    assert retry.returncode == 0, retry.stderr
    assert pointer(s3, snapshot_store)["snapshot_id"] == caught
    assert dashboard(follower, "follow", "--once").returncode == 0 and served(follower) == caught


def test_a_killed_download_leaves_current_alone_and_the_next_follow_completes(
    snapshot_store, s3_server, demo_builds, tmp_path
):
    publisher, follower = demo_builds.copy(tmp_path / "publisher"), tmp_path / "follower"
    first = served(publisher)
    assert dashboard(publisher, "upload").returncode == 0
    assert dashboard(follower, "follow", "--once").returncode == 0
    second = build_and_publish(publisher)["snapshot_id"]  # uploads, SNAPSHOT_STORE_URL being set
    assert pointer(s3_server.client(), snapshot_store)["snapshot_id"] == second

    proc = start(follower, "follow", "--once")
    partial = layout.snapshots_dir(follower) / f"{second}.partial"
    caught = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and not caught:
        caught = partial.is_dir() and any(p.is_file() for p in partial.rglob("*"))
        time.sleep(0.002)
    assert caught, "the download finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert served(follower) == first and checksums.check(follower / "current").ok
    assert not layout.manifest_path(partial).exists() and not (layout.snapshots_dir(follower) / second).exists()

    run = dashboard(follower, "follow", "--once")
    assert run.returncode == 0, run.stderr
    assert served(follower) == second and not partial.exists()
    assert manifest_bytes(follower / "current") == manifest_bytes(publisher / "current")


def test_a_file_changed_in_the_store_is_refused(snapshot_store, s3_server, demo_builds, tmp_path):
    publisher, follower = demo_builds.copy(tmp_path / "publisher"), tmp_path / "follower"
    assert dashboard(publisher, "upload").returncode == 0
    first = served(publisher)
    assert dashboard(follower, "follow", "--once").returncode == 0
    second = build_and_publish(publisher)["snapshot_id"]
    s3, store = s3_server.client(), store_of(snapshot_store)
    key = store.snapshot_key(second, "candidate_totals.parquet")
    body = bytearray(object_store.get_object(s3, store, key))
    body[len(body) // 2] ^= 0xFF  # same size, other bytes: only the sha256 tells
    s3.put_object(Bucket=store.bucket, Key=key, Body=bytes(body))

    run = dashboard(follower, "follow", "--once")
    assert run.returncode == 1
    assert f"snapshot {second} copied from the store does not match its manifest" in run.stderr
    assert "candidate_totals.parquet does not match its sha256" in run.stderr
    assert served(follower) == first and not list(layout.snapshots_dir(follower).glob(f"{second}*"))
    assert sync_status.follow_health(follower)["last_error"].startswith(f"following {snapshot_store} failed")


def test_the_store_going_away_and_coming_back(demo_builds, tmp_path, monkeypatch):
    # Its own server: this test stops it. moto keeps objects in memory, so the store that comes
    # back is empty (as a replaced one would be) and the publisher uploads its snapshot again.
    server = S3Server(log_path=tmp_path / "moto.log").start()
    try:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        url = server.new_bucket() + "/site"
        monkeypatch.setenv("SNAPSHOT_STORE_URL", url)
        publisher, follower = demo_builds.copy(tmp_path / "publisher"), tmp_path / "follower"
        first = served(publisher)
        assert dashboard(publisher, "upload").returncode == 0
        assert dashboard(follower, "follow", "--once").returncode == 0 and served(follower) == first

        server.stop()
        run = dashboard(follower, "follow", "--once")
        assert run.returncode == 1
        assert f"following {url} failed" in run.stderr and f"still serving snapshot {first}" in run.stderr
        assert served(follower) == first and checksums.check(follower / "current").ok
        health = sync_status.follow_health(follower)
        assert health["ok"] is False and "Could not connect" in health["last_error"]
        assert health["snapshot_followed"] == first
        status = dashboard(follower, "status")
        assert status.returncode == 0 and "follow     FAILING since" in status.stdout
        stamp = layout.sync_status_path(follower).stat().st_mtime_ns
        assert dashboard(follower, "follow", "--once").returncode == 1
        assert layout.sync_status_path(follower).stat().st_mtime_ns == stamp, "the same failure is not rewritten"

        # A publish while the store is away: published and served here, the upload's failure said.
        build = dashboard(publisher, "build")
        assert build.returncode == 0, build.stderr
        second = served(publisher)
        assert second != first
        assert f"upload of snapshot {second} to {url} failed" in build.stdout
        assert "`python -m dashboard upload`" in build.stdout
        assert "UPLOAD FAILED" in dashboard(publisher, "status").stdout

        server.start()
        server.client().create_bucket(Bucket=url.removeprefix("s3://").split("/")[0])
        retry = dashboard(publisher, "upload")
        assert retry.returncode == 0, retry.stderr
        run = dashboard(follower, "follow", "--once")
        assert run.returncode == 0, run.stderr
        assert served(follower) == second
        assert sync_status.follow_health(follower)["ok"] is True
        assert "in step with" in dashboard(follower, "status").stdout
    finally:
        server.stop()


def test_replaced_snapshots_are_pruned_after_the_grace_and_ids_never_reused(
    snapshot_store, s3_server, demo_builds, tmp_path, monkeypatch
):
    data_dir = demo_builds.copy(tmp_path / "data")
    source = current_snapshot(data_dir)
    snapshots = layout.snapshots_dir(data_dir)
    ids = ["20990101T000000001Z", "20990101T000000002Z", "20990101T000000003Z"]
    for snapshot_id in ids:  # three snapshots, as three publishes leave them (the same files suffice here)
        shutil.copytree(source, snapshots / snapshot_id)
    s3, store = s3_server.client(), store_of(snapshot_store)
    leftover = store.snapshot_key("20980101T000000000Z", "candidate_totals.parquet")
    s3.put_object(Bucket=store.bucket, Key=leftover, Body=b"half of a killed upload")
    monkeypatch.setenv("STORE_SNAPSHOT_GRACE", "3s")

    pruned = object_store.upload_snapshot(snapshots / ids[0], store)["pruned"]
    pruned += object_store.upload_snapshot(snapshots / ids[1], store)["pruned"]
    assert ids[0] not in pruned  # replaced just now, by ids[1]
    time.sleep(3.5)
    last = object_store.upload_snapshot(snapshots / ids[2], store)["pruned"]
    # ids[0] was replaced 3.5 s ago, the killed upload's leftover written before it: both gone.
    # ids[1] was replaced just now: kept for followers still copying it.
    assert ids[0] in last and sorted(pruned + last) == ["20980101T000000000Z", ids[0]]
    assert sorted(object_store.snapshot_ids(s3, store)) == ids[1:]
    assert pointer(s3, snapshot_store)["snapshot_id"] == ids[2]

    # Uploading a snapshot again (a retry) only re-points; another snapshot under a used id is refused.
    assert object_store.upload_snapshot(snapshots / ids[2], store)["bytes"] == 0
    other = snapshots / ids[1]
    layout.manifest_path(other).write_text(layout.manifest_path(other).read_text().replace("\n", "\n "))
    with pytest.raises(object_store.StoreError, match="never reused"):
        object_store.upload_snapshot(other, store)
    # An older snapshot uploaded late never moves `current` back.
    assert object_store.upload_snapshot(snapshots / ids[0], store)["current"] == ids[2]


def test_a_crafted_manifest_cannot_write_outside_the_snapshot(snapshot_store, s3_server, demo_builds, tmp_path):
    publisher, follower = demo_builds.copy(tmp_path / "publisher"), tmp_path / "follower"
    s3, store = s3_server.client(), store_of(snapshot_store)
    snapshot_id = "20990101T000000000Z"
    manifest = {"snapshot_id": snapshot_id, checksums.FILES_KEY: {"../../escaped.txt": {"bytes": 1, "sha256": "0"}}}
    body = json.dumps(manifest).encode()
    s3.put_object(Bucket=store.bucket, Key=store.snapshot_key(snapshot_id, "manifest.json"), Body=body)
    s3.put_object(
        Bucket=store.bucket,
        Key=store.key("current"),
        Body=json.dumps({"snapshot_id": snapshot_id, "manifest_sha256": hashlib.sha256(body).hexdigest()}).encode(),
    )
    run = dashboard(follower, "follow", "--once")
    assert run.returncode == 1 and "lists '../../escaped.txt'; not followed" in run.stderr
    assert not (tmp_path / "escaped.txt").exists() and served(follower) is None
    assert served(publisher) is not None


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", None),
        ("s3://bucket", object_store.Store("bucket", "")),
        ("s3://bucket/site/prod/", object_store.Store("bucket", "site/prod")),
    ],
)
def test_the_store_url_is_read_from_the_setting(url, expected):
    assert object_store.configured_store(url) == expected


@pytest.mark.parametrize("url", ["bucket/prefix", "https://bucket/prefix", "s3:///prefix", "s3://b/p?x=1"])
def test_a_store_url_that_is_not_s3_is_refused_with_the_form_it_needs(url):
    with pytest.raises(object_store.StoreError, match="is not like s3://bucket/prefix"):
        object_store.configured_store(url)


def test_config_masks_the_store_secret(tmp_path):
    secret = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
    run = dashboard(tmp_path, "config", AWS_SECRET_ACCESS_KEY=secret, SNAPSHOT_STORE_URL="s3://bucket/site")
    assert run.returncode == 0 and secret not in run.stdout
    assert "AWS_SECRET_ACCESS_KEY" in run.stdout and "s3://bucket/site" in run.stdout


def test_the_data_page_says_how_the_copy_from_the_store_goes(small_snapshot, demo_builds, tmp_path, monkeypatch):
    import app
    from tests.integration.test_app_routes import page_text

    follower = demo_builds.copy(tmp_path / "follower")
    monkeypatch.setenv("DATA_CACHE_DIR", str(follower))
    client = app.server.test_client()
    assert "Copied from the object store" not in page_text(client, "/data")  # a node that builds its own

    serving = served(follower)
    sync_status.record_follow(follower, True, "s3://bucket/site", snapshot_id=serving, copied=True, bytes=1, seconds=1)
    text = page_text(client, "/data")
    assert "Copied from the object store" in text and "In step" in text and serving in text
    error = "following s3://bucket/site failed: Could not connect to the endpoint URL: http://10.0.0.7:9000/"
    sync_status.record_follow(follower, False, "s3://bucket/site", error=error)
    text = page_text(client, "/data")
    assert "Failing: this server keeps serving the snapshot it has" in text and serving in text
    assert "10.0.0.7" not in text and "s3://bucket" not in text  # the store's address stays off the public page
