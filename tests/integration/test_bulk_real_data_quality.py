"""A real cycle's summary file holds negative totals (refunds and corrections larger than the
period's money): it loads, publishes, and the data-quality report lists them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core.sql import quote_literal
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.store import snapshots

# weball columns: CAND_ID|...|TTL_RECEIPTS (6th)|TRANS_FROM_AUTH|TTL_DISB (8th)|... (fec-bulk-formats.md)
TTL_RECEIPTS, TTL_DISB = 5, 7


class Quiet(LoadProgress):
    def __init__(self):
        super().__init__(out=open("/dev/null", "w"))


def test_real_2016_summaries_with_negative_totals_publish_with_a_report(shared_data: Path, tmp_path: Path):
    real = shared_data / "fec" / "2016"
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("cn.txt", "cm.txt", "ccl.txt", "weball16.txt"):
        (folder / name).symlink_to(real / name)  # read in place, never copied
    negative_in_file = {
        fields[0]
        for fields in (line.split("|") for line in (real / "weball16.txt").read_text("utf-8").splitlines())
        if any(fields[i].strip().startswith("-") for i in (TTL_RECEIPTS, TTL_DISB))
    }
    assert negative_in_file  # the premise: real files have them

    summary = load(tmp_path / "data", 2016, folder, Quiet())

    manifest = snapshots.read_manifest(tmp_path / "data" / "current")
    assert summary["snapshot_id"] == manifest["snapshot_id"] and manifest["row_counts"]["candidate_totals"] > 2000
    found = {f["code"]: f for f in manifest["data_quality"]["findings"]}
    totals = quote_literal(str(tmp_path / "data" / "current" / "candidate_totals.parquet"))
    published_negative = {
        row[0]
        for row in duckdb.execute(
            f"SELECT candidate_id FROM read_parquet({totals}) WHERE receipts < 0 OR disbursements < 0 "
            "OR individual_itemized < 0 OR individual_unitemized < 0"
        ).fetchall()
    }
    assert published_negative & negative_in_file  # published as filed
    assert found["negative_totals"]["count"] == len(published_negative)
    assert set(found["negative_totals"]["examples"]) <= published_negative
    assert found["negative_cash_on_hand"]["count"] > 0  # overdrawn committees, as filed
    assert found["candidates_without_money"]["count"] > 0  # cn lists many who never filed


def test_real_2016_grand_totals_add_up_the_same_candidates_on_every_page(
    shared_data: Path, tmp_path: Path, monkeypatch
):
    """The data page's total of a cycle, the home page's headline and the races' sums count the same
    candidates (issue 12: they disagreed by hundreds of millions on real data)."""
    from dashboard.app.queries import home, snapshot

    load(tmp_path / "data", 2016, shared_data / "fec" / "2016", Quiet())
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path / "data"))
    coverage = snapshot.coverage_by_cycle().set_index("cycle")
    headline = home.headline_by_office(2016)
    assert coverage.loc[2016, "receipts"] == headline.receipts.sum() > 1e9
    totals = quote_literal(str(tmp_path / "data" / "current" / "candidate_totals.parquet"))
    assert (
        float(duckdb.sql(f"SELECT sum(receipts) FROM read_parquet({totals})").fetchall()[0][0])
        == headline.receipts.sum()
    )
