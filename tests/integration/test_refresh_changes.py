"""What a refresh against the fake OpenFEC server says it brought, checked against the two snapshots.

The trends page's "new since the last refresh" once reported 0 itemized receipts arrived after a
refresh whose snapshot held 13,586 receipts the previous one did not: the fake's rows reuse the
demo's sub_ids for other gifts, and arrivals were matched by sub_id alone. Here the counts the
changes step records must equal the difference of the two snapshots' receipts, row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools.fake_openfec import FakeOpenFEC
from tests.integration.test_refresh import configure, reader, refresh

pytestmark = pytest.mark.slow
# What a receipt is, as a person would tell two apart: more than the changes step compares.
ROW = "sub_id, committee_id, candidate_id, cycle, date, amount, contributor_name, city, zip5"


@pytest.fixture(scope="module")
def fake(demo_builds):
    with FakeOpenFEC(demo_builds.built(rows=20_000, seed=5)) as server:
        configure(server, faults=[], error_rate=0, delay_ms=0, as_of=None, reset_limits=True, hourly_limit=100_000)
        yield server


def real_difference(before: Path, after: Path) -> dict:
    """Receipts only in `after` (arrived) and only in `before` (dropped), with their money."""
    con = duckdb.connect()
    old, new = reader(before, "receipts"), reader(after, "receipts")
    out = {}
    for name, left, right in (("arrived", new, old), ("dropped", old, new)):
        n, amount = con.execute(
            f"SELECT count(*), coalesce(sum(amount), 0) FROM {left} WHERE ({ROW}) NOT IN (SELECT ({ROW}) FROM {right})"
        ).fetchall()[0]
        out[name] = (n, amount)
    return out


def recorded(snapshot: Path) -> dict:
    changes = read_manifest(snapshot)["changes"]
    return {
        "arrived": (changes["receipts_arrived"], changes["receipts_arrived_amount"]),
        "dropped": (changes["receipts_dropped"], changes["receipts_dropped_amount"]),
    }


def as_numbers(counts: dict) -> dict:
    return {k: (int(n), f"{float(amount):.2f}") for k, (n, amount) in counts.items()}


def test_a_refresh_after_the_demo_counts_every_receipt_it_brought(fake, demo_builds, tmp_path):
    """The user's case: demo data, then a refresh from the fake, whose gifts reuse the demo's sub_ids."""
    demo_builds.copy(tmp_path, rows=40_000, seed=3)  # more rows than the fake: its ids are among these
    before = current_snapshot(tmp_path)
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    after = current_snapshot(tmp_path)
    assert read_manifest(after)["changes"]["previous_snapshot_id"] == before.name
    difference = real_difference(before, after)
    new_rows = duckdb.sql(f"SELECT count(*) FROM {reader(after, 'receipts')}").fetchall()[0][0]
    shared_ids = duckdb.sql(
        f"SELECT count(*) FROM {reader(after, 'receipts')} WHERE sub_id IN (SELECT sub_id FROM {reader(before, 'receipts')})"
    ).fetchall()[0][0]
    assert shared_ids > 0  # the trap: ids that name other gifts
    assert difference["arrived"][0] == new_rows > 0
    assert as_numbers(recorded(after)) == as_numbers(difference)


def test_an_incremental_refresh_counts_the_filings_that_arrived(fake, tmp_path):
    """Two refreshes a few months apart (the fake's clock): what the second brought, amendments included."""
    configure(fake, as_of="2026-05-01")
    assert refresh(fake, tmp_path).returncode == 0
    before = current_snapshot(tmp_path)
    configure(fake, as_of=None)
    done = refresh(fake, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    after = current_snapshot(tmp_path)
    difference = real_difference(before, after)
    assert difference["arrived"][0] > 0
    assert as_numbers(recorded(after)) == as_numbers(difference)
