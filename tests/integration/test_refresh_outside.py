"""Outside spending through the refresh, against the fake OpenFEC server over real HTTP: the
processed Schedule E and the raw e-filed 24/48-hour notices come back as the same outside-spending
extracts the builder makes of the raw data directly, incrementally, and after an interrupted run."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from dashboard.store.refresh_status import read_status
from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools.fake_openfec import FakeOpenFEC
from devtools.fake_openfec.schedule_e import PROCESSING_DAYS
from tests.integration.test_refresh import CYCLE, SCOPE_STATES, configure, differences, reader, refresh

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def source(demo_builds) -> Path:
    """The demo data the fake serves (outside spending and its traps included), with the snapshot
    the builder makes of it directly (read-only; the same build as test_refresh.py's)."""
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


@pytest.fixture(scope="module")
def reference(fake, tmp_path_factory) -> Path:
    """The snapshot of one uninterrupted refresh."""
    data_dir = tmp_path_factory.mktemp("outside-reference")
    done = refresh(fake, data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    return current_snapshot(data_dir)


def outside_differences(a: Path, b: Path) -> dict:
    """differences() of the outside extracts over the refresh's scope: the scope's candidates, and the
    unmatched lines filed about a candidate of the scope's offices and states."""
    states = ", ".join(f"'{s}'" for s in SCOPE_STATES)
    filed_in_scope = f"cycle = {CYCLE} AND candidate_office IN ('H', 'S') AND candidate_state IN ({states})"
    of_scope = f"cycle = {CYCLE} AND candidate_id IN (SELECT candidate_id FROM {reader(b, 'candidates')})"
    return {
        **differences(a, b, filed_in_scope, ["outside_unmatched"]),
        **differences(a, b, of_scope, ["outside_expenditures", "agg_outside_daily", "agg_outside_spenders"]),
    }


def outside_sub_ids(data_dir: Path) -> list[int]:
    ids = []
    for f in (data_dir / "raw" / "schedule_e").glob("*.parquet"):
        ids += pq.read_table(f, columns=["sub_id"])["sub_id"].to_pylist()
    return ids


def scalar(sql: str, params=None):
    return duckdb.execute(sql, params or []).fetchall()[0][0]


def test_the_refresh_gives_the_outside_extracts_of_the_demo_build(source, reference):
    """Through both views (keyset and offset paging, the API's field names, floats) and back into raw
    rows, the counting rules give what they give on the generator's files: each expenditure once."""
    assert outside_differences(current_snapshot(source), reference) == {}
    spending = reader(reference, "outside_expenditures")
    assert scalar(f"SELECT count(*) FROM {spending}") > 50  # lines over more than one page
    assert scalar(f"SELECT count(*) FROM {spending} WHERE from_notice") > 0  # notices not repeated yet
    assert scalar(f"SELECT count(*) FROM {spending} WHERE matched_by = 'name'") > 0  # named, no ID
    kinds = duckdb.sql(f"SELECT DISTINCT spender_type FROM {spending} ORDER BY 1").fetchall()
    assert len(kinds) >= 3
    # Notices come from the processed view while it holds them: e-filed copies are not kept.
    assert not list((reference.parents[1] / "raw" / "schedule_e").glob("api-efile-*.parquet"))
    coverage = read_status(reference.parents[1])["coverage"][str(CYCLE)]
    assert coverage["outside_lines"] > 50 and coverage["unprocessed_notices"] == 0


def test_notices_not_processed_yet_count_as_notices_then_give_way(fake, source, reference, tmp_path):
    """Between the e-filing of a notice and its processing, only the raw e-filed view has it: the
    refresh keeps it (whole dollars, a notice); once processed, the processed copy replaces it."""
    last_notice = scalar(
        f"SELECT max(filed_date) FROM read_parquet('{source}/raw/schedule_e/*.parquet') "
        "WHERE is_notice AND cycle = ? AND list_contains(?, candidate_state)",
        [CYCLE, list(SCOPE_STATES)],
    )
    configure(fake, as_of=last_notice.isoformat())
    first = refresh(fake, tmp_path)
    assert first.returncode == 0, first.stderr
    efiled = pq.read_table(tmp_path / "raw" / "schedule_e" / f"api-efile-{CYCLE}.parquet").to_pylist()
    assert efiled and all(row["is_notice"] for row in efiled)
    assert all(row["filed_date"] > last_notice - timedelta(days=PROCESSING_DAYS) for row in efiled)
    assert all(row["amount"] == round(row["amount"]) for row in efiled)  # the raw view's whole dollars
    assert read_status(tmp_path)["coverage"][str(CYCLE)]["unprocessed_notices"] == len(efiled)
    spending = reader(current_snapshot(tmp_path), "outside_expenditures")
    shown = scalar(
        f"SELECT count(*) FROM {spending} WHERE from_notice AND list_contains(?, sub_id)",
        [[row["sub_id"] for row in efiled]],
    )
    assert shown > 0
    configure(fake, as_of=None)
    second = refresh(fake, tmp_path)
    assert second.returncode == 0, second.stderr
    assert not (tmp_path / "raw" / "schedule_e" / f"api-efile-{CYCLE}.parquet").exists()
    # Incremental: lines filed before the first run's newest filing day were not asked for again.
    pulled = read_manifest(current_snapshot(tmp_path))["refresh"]["rows_pulled"]["schedule_e"]
    ids = outside_sub_ids(tmp_path)
    assert pulled < len(ids) and len(ids) == len(set(ids))
    assert outside_differences(reference, current_snapshot(tmp_path)) == {}


@pytest.mark.parametrize("where", ["schedule_e/efile", "schedule_e"])
def test_an_interrupted_refresh_resumes_without_double_counting(fake, reference, tmp_path, where):
    """An API that keeps failing part way through outside spending (the notices, or the processed
    pages after the first) stops the run; the next run resumes and ends with the same extracts."""
    configure(fake, faults=[{"path": where, "kind": "500", "skip": 0 if "efile" in where else 1, "times": 50}])
    stopped = refresh(fake, tmp_path, FEC_MAX_RETRIES=1)
    assert stopped.returncode != 0
    assert current_snapshot(tmp_path) is None
    configure(fake, faults=[])
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "resuming the unfinished refresh" in done.stdout
    ids = outside_sub_ids(tmp_path)
    assert len(ids) == len(set(ids))
    assert outside_differences(reference, current_snapshot(tmp_path)) == {}
