"""The refresh against the fake OpenFEC server over real HTTP on 127.0.0.1, with faults.

The fake serves the demo generator's raw data, so the refresh's snapshot can be compared with
what the builder makes of that raw data directly. Every fault test ends the same way: nothing
half-written was served, and the next run's snapshot equals the one of an uninterrupted run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pyarrow.parquet as pq
import pytest

from dashboard.core import contract
from dashboard.pipeline.openfec.refresh import refresh_lock
from dashboard.store import layout
from dashboard.store.refresh_status import read_status
from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools.fake_openfec import FAKE_KEY, FakeOpenFEC

ROOT = Path(__file__).resolve().parents[2]
CYCLE = 2026
SCOPE = ["--cycle", str(CYCLE), "--office", "H,S", "--state", "CA", "OR", "WA"]
SCOPE_STATES = ("CA", "OR", "WA")
# Extracts that describe the difference to the previous snapshot differ by construction
# between an interrupted and an uninterrupted history.
HISTORY_EXTRACTS = set(getattr(contract, "CHANGE_EXTRACTS", ()))
# Each test runs whole refreshes in subprocesses against the fake: seconds apiece.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def source(demo_builds) -> Path:
    """The demo data the fake serves, with the snapshot the builder makes of it directly (read-only)."""
    return demo_builds.built(rows=20_000, seed=5)


@pytest.fixture(scope="module")
def fake(source):
    with FakeOpenFEC(source) as server:
        yield server


@pytest.fixture(autouse=True)
def clean_fake(fake):
    configure(
        fake, faults=[], error_rate=0, delay_ms=0, as_of=None, reset_limits=True, hourly_limit=100_000, synthetic=True
    )
    yield


def configure(fake, **changes):
    httpx.post(fake.url.replace("/v1/", "/_fake/config"), json=changes).raise_for_status()


def fake_stats(fake) -> dict:
    return httpx.get(fake.url.replace("/v1/", "/_fake/stats")).json()


def env_for(fake, data_dir: Path, **extra) -> dict:
    return {
        **os.environ,
        "DATA_CACHE_DIR": str(data_dir),
        "FEC_API_URL": fake.url,
        "FEC_API_KEY": FAKE_KEY,
        "FEC_BACKOFF_SECONDS": "0.01",
        "FEC_MAX_RETRIES": "4",
        "FEC_HOURLY_BUDGET": "100000",
        "FEC_TIMEOUT_SECONDS": "5",
        "LOG_LEVEL": "WARNING",
        **{k: str(v) for k, v in extra.items()},
    }


def refresh(fake, data_dir: Path, *args, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "refresh", *(args or SCOPE)],
        cwd=ROOT,
        env=env_for(fake, data_dir, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def start_refresh(fake, data_dir: Path, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", "refresh", *SCOPE],
        cwd=ROOT,
        env=env_for(fake, data_dir, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def reader(snapshot: Path, name: str) -> str:
    if name == "receipts":
        return f"read_parquet('{snapshot}/receipts/**/*.parquet', hive_partitioning = true)"
    return f"read_parquet('{snapshot}/{name}.parquet')"


def differences(a: Path, b: Path, where: str = "true", names=None, ignore=()) -> dict:
    """Rows in one snapshot's extract and not in the other's, both ways, per extract (columns in
    `ignore` left out where an extract has them)."""
    con = duckdb.connect()
    out = {}
    for name in names or contract.extract_names():
        if name in HISTORY_EXTRACTS:
            continue
        columns = [c for c in contract.EXTRACTS.get(name, contract.EXTRACTS.get(f"{name}/")) if c not in ignore]
        left = f"SELECT {', '.join(columns)} FROM {reader(a, name)} WHERE {where}"
        right = f"SELECT {', '.join(columns)} FROM {reader(b, name)} WHERE {where}"
        only_a = con.execute(f"SELECT count(*) FROM ({left} EXCEPT ALL {right})").fetchall()[0][0]
        only_b = con.execute(f"SELECT count(*) FROM ({right} EXCEPT ALL {left})").fetchall()[0][0]
        if only_a or only_b:
            out[name] = (only_a, only_b)
    return out


@pytest.fixture(scope="module")
def reference(fake, tmp_path_factory) -> Path:
    """The snapshot of one uninterrupted refresh of SCOPE."""
    configure(fake, faults=[], error_rate=0, delay_ms=0, as_of=None, reset_limits=True, hourly_limit=100_000)
    data_dir = tmp_path_factory.mktemp("reference")
    done = refresh(fake, data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    return current_snapshot(data_dir)


def receipt_sub_ids(data_dir: Path) -> list[int]:
    ids = []
    for f in (data_dir / "raw" / "schedule_a").glob("**/*.parquet"):
        ids += pq.read_table(f, columns=["sub_id"])["sub_id"].to_pylist()
    return ids


def no_half_written_files(data_dir: Path) -> list[Path]:
    raw = [p for p in (data_dir / "raw").glob("**/*") if p.is_file() and not p.name.endswith(".parquet")]
    partial = list((data_dir / "snapshots").glob("*.partial")) if (data_dir / "snapshots").exists() else []
    served = current_snapshot(data_dir)
    broken = [] if served is None or (served / "manifest.json").exists() else [served]
    return raw + broken + [p for p in partial if served == p]


# ------------------------------------------------------------------------------------ fidelity
def test_refresh_reproduces_the_builders_answer_from_the_same_raw_data(source, reference):
    """Through the API (envelopes, paging, field names, floats) and back into raw tables, every
    candidate-level extract of the scope equals the one built straight from the generator's files."""
    scope = f"cycle = {CYCLE} AND candidate_id IN (SELECT candidate_id FROM {reader(reference, 'candidates')})"
    demo_snapshot = current_snapshot(source)
    compared = [
        "candidates",
        "candidate_totals",
        "candidate_periods",
        "receipts",
        "agg_candidate_daily",
        "agg_candidate_size",
        "agg_candidate_state",
        "agg_candidate_donor",
        "agg_candidate_employer",
        "agg_candidate_occupation",
    ]
    # The refresh takes the FEC's own candidate totals (/candidates/totals/), the demo sums reports: the
    # same figures, told apart only by where they come from.
    assert differences(demo_snapshot, reference, scope, compared, ignore=("totals_source",)) == {}
    sources = duckdb.sql(f"SELECT DISTINCT totals_source FROM {reader(reference, 'candidate_totals')}").fetchall()
    assert sources == [("summary",)]
    con = duckdb.connect()
    states = con.execute(f"SELECT DISTINCT state FROM {reader(reference, 'candidates')} ORDER BY 1").fetchall()
    assert [s[0] for s in states] == list(SCOPE_STATES)
    n = con.execute(f"SELECT count(*) FROM {reader(reference, 'receipts')}").fetchall()[0][0]
    assert n > 300  # enough rows that paging really happened
    earmarked = con.execute(f"SELECT count(*) FROM {reader(reference, 'receipts')} WHERE is_earmarked").fetchall()[0][0]
    assert earmarked > 0  # the recipient's 15E rows came through, with their conduit


def test_each_receipt_keeps_the_election_it_is_for(source, reference):
    """The API's election_type ('P2026', 'G2026', or null where the filing left it blank) reaches the raw
    rows and the receipts extract exactly as the generator wrote it."""
    con = duckdb.connect()
    generated = f"read_parquet('{source}/raw/schedule_a/**/*.parquet', hive_partitioning = true)"
    pulled = f"read_parquet('{reference.parents[1]}/raw/schedule_a/**/*.parquet', hive_partitioning = true)"
    rows, differing = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE p.election_type IS DISTINCT FROM g.election_type) "
        f"FROM {pulled} p JOIN {generated} g USING (sub_id)"
    ).fetchall()[0]
    assert rows > 300 and differing == 0
    kinds = con.execute(
        f"SELECT DISTINCT coalesce(election_type, 'blank') FROM {reader(reference, 'receipts')} ORDER BY 1"
    ).fetchall()
    assert [k[0] for k in kinds] == [f"G{CYCLE}", f"P{CYCLE}", "blank"]


def test_the_manifest_records_the_refresh_and_the_synthetic_source(reference):
    manifest = read_manifest(reference)
    assert manifest["source"] == "demo"  # the fake's data is synthetic: pages keep the demo banner
    summary = manifest["refresh"]
    assert summary["synthetic"] is True and summary["requests"] > 10
    assert summary["rows_stored"]["schedule_a"] == manifest["raw_row_counts"]["schedule_a"]


def test_a_second_run_stores_nothing_twice_and_publishes_the_same(fake, reference, tmp_path):
    assert refresh(fake, tmp_path).returncode == 0
    first = len(receipt_sub_ids(tmp_path))
    again = refresh(fake, tmp_path)
    assert again.returncode == 0, again.stderr
    ids = receipt_sub_ids(tmp_path)
    assert len(ids) == len(set(ids)) == first
    assert read_manifest(current_snapshot(tmp_path))["refresh"]["rows_stored"]["schedule_a"] == 0
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_incremental_refresh_pulls_only_what_was_loaded_since(fake, reference, tmp_path):
    configure(fake, as_of="2026-05-01")  # filings up to the Q1 reports only
    assert refresh(fake, tmp_path).returncode == 0
    early = len(receipt_sub_ids(tmp_path))
    configure(fake, as_of=None)
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    pulled_later = read_manifest(current_snapshot(tmp_path))["refresh"]["rows_pulled"]["schedule_a"]
    assert 0 < early < len(receipt_sub_ids(tmp_path))
    # Rows loaded before each committee's watermark day were not asked for again.
    assert pulled_later < len(receipt_sub_ids(tmp_path))
    ids = receipt_sub_ids(tmp_path)
    assert len(ids) == len(set(ids))
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_demo_raw_data_is_replaced_not_mixed(fake, reference, tmp_path, demo_builds):
    demo_builds.copy(tmp_path, rows=5_000, seed=3)
    (tmp_path / "notes.txt").write_text("mine")
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "raw").glob("**/demo*.parquet")) == []
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_a_refresh_from_the_real_api_drops_the_fakes_rows_and_the_demo_label(fake, reference, tmp_path):
    assert refresh(fake, tmp_path).returncode == 0
    marker = layout.synthetic_api_marker(tmp_path)
    assert marker.exists() and read_manifest(current_snapshot(tmp_path))["source"] == "demo"
    configure(fake, synthetic=False)  # now it answers as the real API does: no synthetic header
    real = refresh(fake, tmp_path)
    assert real.returncode == 0, real.stderr
    manifest = read_manifest(current_snapshot(tmp_path))
    assert manifest["source"] == "api" and manifest["refresh"]["synthetic"] is False and not marker.exists()
    # Pulled in full, not from the fake's watermarks: the same snapshot as one uninterrupted run.
    assert manifest["refresh"]["rows_pulled"]["schedule_a"] == len(receipt_sub_ids(tmp_path))
    assert differences(reference, current_snapshot(tmp_path)) == {}
    # The fake again, onto real API rows: refused, the real rows and their label kept.
    stored = {p: p.read_bytes() for p in (tmp_path / "raw").glob("**/api-*.parquet")}
    configure(fake, synthetic=True)
    fake_again = refresh(fake, tmp_path)
    assert fake_again.returncode == 1 and "must not mix" in fake_again.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "raw").glob("**/api-*.parquet")} == stored
    assert not marker.exists() and layout.raw_source(tmp_path) == "api"


# ------------------------------------------------------------------------------------ faults
def wait_for(predicate, timeout=120, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def receipts_steps_done(data_dir: Path) -> int:
    try:
        state = json.loads((data_dir / "refresh" / "state.json").read_text())
    except (FileNotFoundError, ValueError):
        return 0
    return sum(1 for step in (state.get("run") or {}).get("done", []) if ":receipts:" in step)


def test_killed_during_the_pull_it_resumes_and_ends_equal(fake, reference, tmp_path, demo_builds):
    demo_builds.copy(tmp_path, rows=5_000, seed=3)
    before = current_snapshot(tmp_path)
    configure(fake, delay_ms=25)
    proc = start_refresh(fake, tmp_path)
    wait_for(lambda: receipts_steps_done(tmp_path) >= 2, what="two receipt batches pulled")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert current_snapshot(tmp_path) == before  # the demo snapshot keeps serving
    assert no_half_written_files(tmp_path) == []
    status = read_status(tmp_path)
    assert status["last_attempt"]["ok"] is False and "stopped before finishing" in status["last_attempt"]["error"]
    configure(fake, delay_ms=0, reset_stats=True)
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "resuming the unfinished refresh" in done.stdout
    ids = receipt_sub_ids(tmp_path)
    assert len(ids) == len(set(ids))
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_killed_during_the_build_the_old_snapshot_serves_and_the_next_run_ends_equal(
    fake, reference, tmp_path, demo_builds
):
    demo_builds.copy(tmp_path, rows=5_000, seed=3)
    before = current_snapshot(tmp_path)
    proc = start_refresh(fake, tmp_path)
    for line in proc.stdout:
        if "built candidates" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert current_snapshot(tmp_path) == before
    assert read_manifest(before)["source"] == "demo"
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert list((tmp_path / "snapshots").glob("*.partial")) == []
    assert differences(reference, current_snapshot(tmp_path)) == {}


@pytest.fixture
def tiny_disk(tmp_path):
    """An 8 MB tmpfs as the data directory (mounting needs root; it is the honest full disk)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_disk_leaving(folder: Path, free_bytes: int) -> Path:
    filler = folder / "filler.bin"
    stat = os.statvfs(folder)
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free_bytes))
    return filler


# The scope's pull writes about 120 KB and its snapshot about 150 KB: 40 KB free fails during the
# pull, 250 KB free during the commit or the build.
@pytest.mark.parametrize("free_bytes", [40_000, 250_000])
def test_a_full_disk_fails_cleanly_and_the_next_run_ends_equal(fake, reference, tiny_disk, free_bytes):
    filler = fill_disk_leaving(tiny_disk, free_bytes)
    done = refresh(fake, tiny_disk)
    assert done.returncode == 1, done.stdout
    assert "No space left" in done.stderr and "previous snapshot keeps serving" in done.stderr
    assert current_snapshot(tiny_disk) is None
    assert no_half_written_files(tiny_disk) == []
    filler.unlink()  # space again
    again = refresh(fake, tiny_disk)
    assert again.returncode == 0, again.stderr
    assert read_status(tiny_disk)["last_attempt"]["ok"] is True
    assert differences(reference, current_snapshot(tiny_disk)) == {}


def test_malformed_json_is_retried_and_a_persistent_one_stops_the_run_until_fixed(fake, reference, tmp_path):
    configure(fake, faults=[{"kind": "malformed", "path": "schedule_a", "skip": 2, "times": 2}])
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert read_manifest(current_snapshot(tmp_path))["refresh"]["retries"] >= 2
    assert differences(reference, current_snapshot(tmp_path)) == {}

    other = tmp_path / "persistent"
    configure(fake, faults=[{"kind": "malformed", "path": "schedule_a", "skip": 3, "times": 100}])
    failed = refresh(fake, other)
    assert failed.returncode == 1
    assert "not valid JSON" in failed.stderr and "resumes where this one stopped" in failed.stderr
    assert current_snapshot(other) is None
    assert "not valid JSON" in read_status(other)["last_attempt"]["error"]
    configure(fake, faults=[])
    again = refresh(fake, other)
    assert again.returncode == 0, again.stderr
    assert "resuming the unfinished refresh" in again.stdout
    assert differences(reference, current_snapshot(other)) == {}


def test_a_page_that_stops_short_is_asked_for_again(fake, reference, tmp_path):
    # Faults fire one after the other; a retry of a short page gets the whole page (an identical
    # short page twice in a row is believed: the count was wrong, not the page).
    configure(
        fake,
        faults=[
            {"kind": "short", "path": "reports", "skip": 0, "times": 1},
            {"kind": "short", "path": "schedule_a", "skip": 1, "times": 1},
            {"kind": "short", "path": "schedule_a", "skip": 2, "times": 1},
            {"kind": "short", "path": "schedule_a", "skip": 3, "times": 1},
        ],
    )
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert read_manifest(current_snapshot(tmp_path))["refresh"]["retries"] >= 3
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_a_429_storm_is_waited_out_and_a_longer_one_resumes_next_run(fake, reference, tmp_path):
    configure(
        fake,
        faults=[
            {"kind": "429", "path": "", "skip": 5, "times": 3},
            {"kind": "503", "path": "", "skip": 10, "times": 1},
            {"kind": "quirk404", "path": "", "skip": 12, "times": 1},
        ],
    )
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert differences(reference, current_snapshot(tmp_path)) == {}

    other = tmp_path / "storm"
    configure(fake, faults=[{"kind": "429", "path": "schedule_a", "skip": 2, "times": 1000}])
    failed = refresh(fake, other)
    assert failed.returncode == 1 and "gave up after 5 tries (429" in failed.stderr
    assert current_snapshot(other) is None
    configure(fake, faults=[])
    again = refresh(fake, other)
    assert again.returncode == 0, again.stderr
    assert differences(reference, current_snapshot(other)) == {}


def test_slow_answers_time_out_and_are_retried(fake, reference, tmp_path):
    configure(fake, faults=[{"kind": "slow", "seconds": 3, "path": "reports", "skip": 1, "times": 1}])
    done = refresh(fake, tmp_path, FEC_TIMEOUT_SECONDS="1")
    assert done.returncode == 0, done.stderr
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_the_hourly_budget_stops_the_run_and_the_next_one_finishes(fake, reference, tmp_path):
    failed = refresh(fake, tmp_path, FEC_HOURLY_BUDGET="15")
    assert failed.returncode == 1
    assert "hourly budget" in failed.stderr and current_snapshot(tmp_path) is None
    log = json.loads((tmp_path / "refresh" / "requests.json").read_text())
    assert len(log) == 15
    (tmp_path / "refresh" / "requests.json").write_text("[]")  # an hour later
    again = refresh(fake, tmp_path)
    assert again.returncode == 0, again.stderr
    assert differences(reference, current_snapshot(tmp_path)) == {}


def test_two_refreshes_never_overlap(fake, tmp_path):
    with refresh_lock(tmp_path):
        done = refresh(fake, tmp_path)
    assert done.returncode == 1 and "another refresh is running" in done.stderr
    assert not (tmp_path / "raw").exists()


def test_status_prints_the_last_refresh_and_the_coverage(fake, reference, tmp_path):
    assert refresh(fake, tmp_path).returncode == 0
    configure(fake, faults=[{"kind": "500", "path": "", "skip": 0, "times": 1000}])
    assert refresh(fake, tmp_path).returncode == 1
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "status"],
        cwd=ROOT,
        env=env_for(fake, tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "last success" in out and "failed: candidates/: gave up" in out
    assert f"cycle {CYCLE}:" in out and "data through 2026-10-14" in out
    assert "requests:" in out and "of 100000 used" in out


def test_the_data_page_shows_the_refresh_health(fake, tmp_path, monkeypatch):
    assert refresh(fake, tmp_path).returncode == 0
    configure(fake, faults=[{"kind": "503", "path": "", "skip": 0, "times": 1000}])
    assert refresh(fake, tmp_path).returncode == 1
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    import app  # noqa: F401  (registers the pages)
    from dashboard.app.queries import snapshot
    from pages import data as data_page

    text = json.dumps(data_page.refresh_section(), default=lambda c: c.to_plotly_json())
    assert "Last successful refresh" in text and "cycles 2026, offices H,S, CA,OR,WA" in text
    assert "failed" in text and "gave up after 5 tries (HTTP 503)" in text
    assert "The snapshot shown is the last good one" in text
    coverage = snapshot.refresh_coverage()
    assert coverage["cycle"].tolist() == [CYCLE] and coverage["receipts"].iloc[0] == len(receipt_sub_ids(tmp_path))


def test_every_keeps_refreshing_on_a_schedule_until_interrupted(fake, tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "refresh",
            "--cycle",
            str(CYCLE),
            "--office",
            "H",
            "--state",
            "OR",
            "--every",
            "3s",
        ],
        cwd=ROOT,
        env=env_for(fake, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    published = set()
    try:
        wait_for(
            lambda: published.add(current_snapshot(tmp_path)) or len(published - {None}) >= 2,
            timeout=60,
            what="two scheduled refreshes",
        )
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert out.count("refresh done") >= 2 and "refreshing every 3s" in out
