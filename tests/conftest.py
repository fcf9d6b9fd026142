"""Shared fixtures: demo snapshots built by the real generator and builder, once per session, and
the real third-party files kept beside the repository (../shared/data), skipped when absent."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.app import db, limits
from dashboard.pipeline import demo
from dashboard.pipeline.builder.publish import build_and_publish

SMALL_ROWS = 60_000
SMALL_SEED = 11

# Real FEC and Census files are third-party copies kept beside the repository, never inside it;
# CI has them. SHARED_DATA_DIR points elsewhere (or at nothing, to try a clone without them).
SHARED_DATA = Path(os.environ.get("SHARED_DATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "data")


@pytest.fixture(autouse=True)
def fresh_app_state(monkeypatch):
    """Each test starts with no answer kept and no client place held. It computes its own answers: the app's answer cache (dashboard/app/answer_cache.py) keeps
    pages per snapshot, and a test that replaces a query function (monkeypatch.setattr) must not be
    served a page computed before, by an earlier test or by itself. (In production new code means a
    new process, whose cache is empty.)"""

    def forget():
        db.forget_kept_answers()
        app_module = sys.modules.get("app")
        server = getattr(app_module, "server", None)
        if server is None:
            return
        if server.extensions.get("answer_cache"):
            server.extensions["answer_cache"].clear()
        # Flask's test client leaves a streamed download open unless the test closes it, and an open one
        # holds its client's place (CLIENT_EXPORTS): each test starts with none held.
        if "limits" in server.extensions:
            limits.forget_places(server)

    replace = monkeypatch.setattr

    def replace_and_forget(*args, **kwargs):
        replace(*args, **kwargs)
        forget()

    forget()
    monkeypatch.setattr = replace_and_forget
    yield


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real FEC/Census files; the test is skipped when it is not there."""
    if not SHARED_DATA.is_dir():
        pytest.skip("needs ../shared/data (real FEC/Census files beside the repo)")
    return SHARED_DATA


def make_demo(data_dir: Path, rows: int = SMALL_ROWS, seed: int = SMALL_SEED) -> Path:
    demo.generate(data_dir, rows=rows, seed=seed)
    # Published here only, even inside a test that set SNAPSHOT_STORE_URL: session builds are shared.
    store_url = os.environ.pop("SNAPSHOT_STORE_URL", None)
    try:
        build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": rows, "seed": seed}})
    finally:
        if store_url is not None:
            os.environ["SNAPSHOT_STORE_URL"] = store_url
    return data_dir


def snapshot_digest(snapshot: Path) -> dict:
    """Row count and a content hash of every extract of a snapshot."""
    con = duckdb.connect()
    digests = {}
    for f in sorted(snapshot.glob("**/*.parquet")):
        digests[str(f.relative_to(snapshot))] = con.execute(
            f"SELECT count(*), sum(hash(COLUMNS(*))) FROM read_parquet('{f}')"
        ).fetchall()[0]
    return digests


class DemoBuilds:
    """Demo data folders (raw data plus a published snapshot), each built once per session for
    its (rows, seed) and handed out as copies: building takes seconds, copying a fraction."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._built: dict[tuple[int, int], Path] = {}

    def built(self, rows: int = SMALL_ROWS, seed: int = SMALL_SEED) -> Path:
        """The session's own folder: read it, never write to it."""
        key = (rows, seed)
        if key not in self._built:
            self._built[key] = make_demo(self._tmp.mktemp(f"demo-{rows}-{seed}"), rows, seed)
        return self._built[key]

    def copy(self, data_dir: Path, rows: int = SMALL_ROWS, seed: int = SMALL_SEED) -> Path:
        """A writable copy in `data_dir` (may exist, empty). `current` stays a relative symlink,
        so the copy points at its own snapshot."""
        shutil.copytree(self.built(rows, seed), data_dir, symlinks=True, dirs_exist_ok=True)
        return data_dir


@pytest.fixture(scope="session")
def demo_builds(tmp_path_factory) -> DemoBuilds:
    return DemoBuilds(tmp_path_factory)


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory) -> Path:
    """A published demo snapshot (read-only for tests); DATA_CACHE_DIR points at it. Built apart
    from DemoBuilds' folders: the browser tests add files to it (boundaries, gunicorn's log)."""
    data_dir = make_demo(tmp_path_factory.mktemp("small-demo"))
    os.environ["DATA_CACHE_DIR"] = str(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def changed(demo_builds, tmp_path_factory):
    """(data_dir, KnownChanges): a demo snapshot and a rebuild after known differences were added
    to its raw data (tests/known_changes.py). Read-only for tests."""
    from tests.known_changes import CHANGE_ROWS, append_known_differences

    data_dir = demo_builds.copy(tmp_path_factory.mktemp("two-snapshots"), rows=CHANGE_ROWS)
    return data_dir, append_known_differences(data_dir)


def make_odd(data_dir: Path) -> dict:
    """Alter a demo data folder's 2024 raw data the way real files are odd, and publish it: one
    candidate's principal committee reports negative receipts and disbursements (refunds larger than
    the period's money), and another candidate's master row is missing while its committee, money and
    receipts remain. Returns the ids: {"negative": candidate_id, "orphan": candidate_id}."""
    raw = data_dir / "raw"
    con = duckdb.connect()
    con.execute(f"CREATE TABLE links AS SELECT * FROM read_parquet('{raw}/linkages/demo-2024.parquet')")
    committee, negative = con.execute(
        "SELECT committee_id, candidate_id FROM links WHERE designation = 'P' ORDER BY 1 LIMIT 1"
    ).fetchall()[0]
    orphan = con.execute(
        "SELECT candidate_id FROM links WHERE designation = 'P' AND candidate_id <> ? ORDER BY 1 LIMIT 1", [negative]
    ).fetchall()[0][0]
    for path, change in (
        (
            raw / "reports" / "demo-2024.parquet",
            "UPDATE t SET receipts = -1234.56, disbursements = -10 WHERE committee_id = ?",
        ),
        (raw / "candidates" / "demo-2024.parquet", "DELETE FROM t WHERE candidate_id = ?"),
    ):
        con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_parquet('{path}')")
        con.execute(change, [committee if "reports" in path.parts else orphan])
        con.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    con.close()
    build_and_publish(data_dir, source="demo")
    return {"negative": negative, "orphan": orphan}


@pytest.fixture(scope="session")
def odd_snapshot(demo_builds, tmp_path_factory) -> tuple[Path, dict]:
    """(data_dir, ids) of a published demo snapshot with negative totals and an orphan (make_odd).
    Read-only for tests."""
    data_dir = demo_builds.copy(tmp_path_factory.mktemp("odd-demo"))
    return data_dir, make_odd(data_dir)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3-compatible server (moto_server) on 127.0.0.1 and a free port, for the session
    (devtools/s3_server.py). Tests that stop it start their own S3Server instead."""
    from devtools.s3_server import S3Server

    with S3Server(log_path=tmp_path_factory.mktemp("s3-server") / "moto.log") as server:
        yield server


@pytest.fixture
def snapshot_store(s3_server, monkeypatch) -> str:
    """SNAPSHOT_STORE_URL (`s3://<fresh bucket>/site`) on the session's S3 server, set in the
    environment with the AWS variables pointing at it (subprocesses inherit them)."""
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    url = s3_server.new_bucket() + "/site"
    monkeypatch.setenv("SNAPSHOT_STORE_URL", url)
    return url
