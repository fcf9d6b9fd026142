"""The refresh: pull from the OpenFEC API into the raw store, then build and publish a snapshot.

    python -m dashboard refresh [--cycle 2026] [--office H,S,P] [--state ST ...] [--every 6h]

Per cycle it pulls candidates, their principal and authorized committees (which give the
candidate-committee links), FEC's own candidate totals (`election_full=true`) and the races (kept
beside the raw tables for checking, the builder does not read them), every report version of each
committee (original and amended: the builder keeps the newest), the committees' itemized
receipts (Schedule A, keyset pagination), and outside spending: the processed Schedule E of the
cycle (keyset pagination: the newest version of regular lines, every version of 24/48-hour notices)
with the spenders' committees as its lines nest them, and the 24/48-hour notices e-filed but not
processed yet (/schedules/schedule_e/efile/, kept only until the processed view has them).

No data is ever lost, and nothing half-written is ever served:
- Pages are first written to `refresh/pending/` (each file written under a temporary name and
  renamed), and `refresh/state.json` records after each file how far every query got. A run
  that is killed, runs out of its hourly request budget, or meets an API that keeps failing
  stops; the next run with the same scope resumes from there.
- Only when the whole scope is pulled are the rows committed to `raw/` (under the build lock):
  small tables are upserted by key into `raw/<table>/api-<cycle>.parquet`; receipts are
  appended as `raw/schedule_a/cycle=<cycle>/api-<run>.parquet` holding only sub_ids not already
  there, so a row pulled twice is stored once. Committing again after a crash is harmless.
- Then the same builder as the demo's builds and publishes the snapshot; if it fails, the
  previous snapshot keeps serving and `refresh/status.json` records the error.
- Incremental: each committee remembers the latest `load_date` it has been pulled through, and
  its next pull asks only for rows loaded since (`min_load_date`; that day again, deduplicated).
  Outside spending likewise per cycle: processed lines filed since the newest `filing_date` pulled
  (`min_filing_date`, a week back: the processed view may take an older filing late), notices
  since the newest `filed_date` (`min_filed_date`).
  Reports are re-pulled in full every run (a few rows per committee), so amendments always
  arrive; the amended filing's receipts arrive with their new load date.
- Demo raw files found in `raw/` are removed at the first commit: demo and API data never mix.
- So are the local fake's synthetic API rows (marked by `raw/.synthetic-api`), before a pull from a
  server that does not say its data is synthetic, which then pulls in full; the fake's rows are
  never committed onto real API rows (commit.py).

This module holds the entry points (one run, a schedule, the lock); the work is in rows.py (API
records -> raw rows), pull.py (paging into `refresh/pending/`, resumable) and commit.py
(pending -> `raw/`). The status file is the store's: dashboard.store.refresh_status.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from dashboard.core import params
from dashboard.core.fec import OFFICES
from dashboard.pipeline.builder.publish import BuildError, build_and_publish
from dashboard.pipeline.openfec.client import OpenFECClient, OpenFECError
from dashboard.pipeline.openfec.commit import commit, coverage_of_raw, forget_synthetic_api_rows
from dashboard.pipeline.openfec.pull import Refresh, now
from dashboard.pipeline.progress import Progress
from dashboard.store import layout, locks
from dashboard.store.files import read_json
from dashboard.store.refresh_status import record


class RefreshError(RuntimeError):
    """The refresh stopped; the message says why and what happens next."""


@dataclass(frozen=True)
class Scope:
    cycles: tuple[int, ...]
    offices: tuple[str, ...] = OFFICES
    states: tuple[str, ...] = ()

    def describe(self) -> str:
        states = ",".join(self.states) if self.states else "all states"
        return f"cycles {','.join(map(str, self.cycles))}, offices {','.join(self.offices)}, {states}"


def refresh_lock(data_dir: Path):
    """One refresh per data directory at a time (a scheduled one and a manual one never overlap)."""
    return locks.exclusive(
        layout.refresh_lock_path(data_dir),
        RefreshError("another refresh is running on this data directory; this one does nothing"),
    )


def server_is_synthetic(client: OpenFECClient, scope: Scope) -> bool:
    """Whether the server says its data is synthetic (the local fake sends a header on every
    answer; the real API never does), at the cost of one small request."""
    client.get("candidates/", {"cycle": scope.cycles[0], "per_page": 1})
    return client.synthetic


def run_refresh(
    data_dir: Path, scope: Scope, client: OpenFECClient | None = None, progress: Progress | None = None
) -> dict:
    """One refresh: pull (or resume), commit, build and publish. Returns the summary; raises
    RefreshError (or the API's error) after recording it, leaving the previous snapshot serving."""
    data_dir = Path(data_dir).resolve()
    progress = progress or Progress()
    started, started_at = time.monotonic(), now()
    own_client = client is None
    with refresh_lock(data_dir):
        client = client or OpenFECClient(request_log=layout.refresh_dir(data_dir) / "requests.json", warn=progress.line)
        attempt = {
            "started_at": started_at,
            "finished_at": None,
            "ok": None,
            "error": None,
            "scope": scope.describe(),
            "api_url": client.base_url,
        }
        record(data_dir, last_attempt=attempt)
        job = Refresh(data_dir, scope, client, progress)
        try:
            progress.line(f"refreshing {scope.describe()} from {client.base_url}")
            if layout.synthetic_api_marker(data_dir).exists() and not server_is_synthetic(client, scope):
                removed = forget_synthetic_api_rows(job)
                progress.line(f"removed the local fake's synthetic API rows ({removed} files): pulling in full")
            job.start_or_resume()
            job.pull()
            progress.line(f"pulled everything ({client.requests} requests); storing it in raw/")
            commit(job)
            summary = {
                "scope": scope.describe(),
                "api_url": client.base_url,
                "synthetic": client.synthetic,
                "requests": client.requests,
                "retries": client.retries,
                "rows_pulled": job.pulled,
                "rows_stored": job.stored,
                "pull_seconds": round(time.monotonic() - started, 1),
                "finished_at": None,
            }
            # The source comes from raw/: "api", a mix with bulk files, or "demo" when the server was
            # the local fake (commit marks its synthetic rows), so every page keeps the demo banner.
            manifest = build_and_publish(data_dir, progress=progress.line, extra_manifest={"refresh": summary})
        except BaseException as exc:
            reason = _one_line(exc)
            if own_client:
                client.close()
            attempt.update(
                finished_at=now(),
                ok=False,
                error=reason,
                requests=client.requests,
                seconds=round(time.monotonic() - started, 1),
            )
            record(
                data_dir,
                last_attempt=attempt,
                requests={"last_hour": client.log.used_last_hour(), "budget": client.hourly_budget, "as_of": now()},
            )
            if isinstance(exc, (OpenFECError, BuildError, OSError)):
                raise RefreshError(f"{reason}; the previous snapshot keeps serving") from exc
            raise
        if own_client:
            client.close()
        seconds = round(time.monotonic() - started, 1)
        summary.update(
            seconds=seconds, snapshot_id=manifest["snapshot_id"], finished_at=now(), budget_left=client.budget_left()
        )
        attempt.update(finished_at=summary["finished_at"], ok=True, requests=client.requests, seconds=seconds)
        status = read_json(layout.refresh_status_path(data_dir), {})
        coverage = status.get("coverage", {})
        coverage.update(coverage_of_raw(layout.raw_dir(data_dir), scope.cycles))
        for cycle in scope.cycles:
            coverage[str(cycle)]["pulled_at"] = summary["finished_at"]
        record(
            data_dir,
            last_attempt=attempt,
            last_success={**attempt, "snapshot_id": manifest["snapshot_id"], "rows_stored": job.stored},
            coverage=coverage,
            requests={"last_hour": client.log.used_last_hour(), "budget": client.hourly_budget, "as_of": now()},
        )
        stored = ", ".join(f"{t} {n:,}" for t, n in job.stored.items() if not t.startswith("openfec_")) or "nothing new"
        progress.line(
            f"refresh done in {seconds} s: {client.requests} requests ({client.retries} retries), "
            f"stored {stored}; {client.budget_left()} requests of the hourly budget left; "
            f"snapshot {manifest['snapshot_id']} published"
        )
        return summary


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if isinstance(exc, (OpenFECError, RefreshError, BuildError)) else f"{type(exc).__name__}: {text}"


def run_every(data_dir: Path, scope: Scope, interval: str, progress: Progress | None = None) -> None:
    """Refresh now and then every `interval`, in this process, until interrupted. A run that
    fails is recorded and the schedule goes on; runs never overlap (one job instance, and the
    refresh lock against other processes)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    seconds = params.interval(interval)
    progress = progress or Progress()

    def job():
        try:
            run_refresh(data_dir, scope, progress=progress)
        except Exception as exc:  # recorded in the status; the next run tries again
            progress.line(f"refresh failed: {_one_line(exc)}")

    scheduler = BlockingScheduler(timezone=timezone.utc)
    scheduler.add_job(
        job,
        IntervalTrigger(seconds=seconds),
        next_run_time=datetime.now(timezone.utc),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=seconds,
    )
    progress.line(f"refreshing every {interval}; stop with Ctrl-C")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
