"""The bulk loader on the FEC's own files (../shared/data/fec, through the shared_data fixture): every
real cycle folder loads with no aborted file, and every line is either loaded or listed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.pipeline.builder import search_index
from dashboard.pipeline.bulk.formats import KINDS
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.store import snapshots
from dashboard.store.layout import bulk_dir, extract_reader, search_index_path

# folder under fec/, cycle, the kinds the loader must find there (other files, e.g. oppexp, are not loaded)
CYCLES = [
    ("2016", 2016, {"cn", "cm", "ccl", "weball", "webl"}),
    ("2020/bulk-2019-03-19", 2020, {"cn", "cm", "ccl", "weball", "webl", "webk", "itcont", "itpas2"}),
    ("2020/late-2020", 2020, {"cn", "cm", "ccl", "webl", "webk"}),
    ("2022", 2022, {"webl"}),
    ("2024", 2024, {"webk"}),
    ("2026", 2026, {"cn", "cm", "weball"}),
]


class Quiet(LoadProgress):
    def __init__(self):
        super().__init__(out=open("/dev/null", "w"))


def line_count(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def one(sql: str):
    return duckdb.sql(sql).fetchall()[0]


@pytest.mark.parametrize("folder,cycle,kinds", CYCLES, ids=[c[0] for c in CYCLES])
def test_every_real_cycle_parses_with_every_line_loaded_or_listed(shared_data, tmp_path, folder, cycle, kinds):
    source = shared_data / "fec" / folder
    summary = load(tmp_path, cycle, source, Quiet(), publish=False)
    assert set(summary["files"]) == kinds
    for name, facts in summary["files"].items():
        assert facts["lines"] == line_count(source / facts["source"]), name
        assert facts["lines"] == facts["rows"] + facts["malformed"], name
    listed = bulk_dir(tmp_path, cycle) / "malformed.txt"
    n_listed = len(listed.read_text().splitlines()) if listed.exists() else 0
    assert n_listed == sum(f["malformed"] + f["recoded"] for f in summary["files"].values())
    # The real files are clean: nothing is malformed (a regression here is a parsing bug).
    assert all(f["malformed"] == 0 for f in summary["files"].values()), summary["files"]


def test_a_utf8_accent_in_a_real_file_arrives_intact(shared_data, tmp_path):
    # webl22 holds `SOLAGES, CARRIÉ` (É = C3 89): DuckDB's Latin-1 reader aborted the whole file on it.
    load(tmp_path, 2022, shared_data / "fec" / "2022", Quiet(), publish=False)
    names = duckdb.sql(
        f"SELECT cand_name FROM read_parquet('{tmp_path}/raw/bulk_webl/*.parquet') WHERE cand_name LIKE 'SOLAGES%'"
    ).fetchall()
    assert names == [("SOLAGES, CARRIÉ",)]


def test_the_whole_2020_set_publishes_in_small_chunks_with_refunds_subtracted(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv("BULK_CHUNK_MB", "1")  # 13 chunks for the 12.75 MB itcont: memory stays bounded
    source = shared_data / "fec" / "2020" / "bulk-2019-03-19"
    summary = load(tmp_path, 2020, source, Quiet())
    itcont = summary["files"]["itcont"]
    assert itcont["rows"] == itcont["lines"] == line_count(source / "itcont.txt") == 70_671
    assert summary["snapshot_id"] and snapshots.current_snapshot(tmp_path) is not None
    raw = f"read_parquet('{tmp_path}/raw/schedule_a/**/*.parquet', hive_partitioning = true)"
    assert one(f"SELECT count(*), count(DISTINCT sub_id) FROM {raw}") == (70_671, 70_671)
    # Refunds (22Y) are positive in the FEC's files and subtract in the candidates' itemized receipts; the
    # few negative ones undo an earlier refund and add back.
    receipts = extract_reader(snapshots.current_snapshot(tmp_path), "receipts")
    filed_positive, filed_negative = one(
        f"SELECT count(*) FILTER (WHERE amount > 0), count(*) FILTER (WHERE amount < 0) FROM {raw} "
        "WHERE receipt_type = '22Y'"
    )
    refunds, flipped, total = one(
        f"SELECT count(*), count(*) FILTER (WHERE r.amount = -f.amount), sum(r.amount) FROM {receipts} r "
        f"JOIN {raw} f USING (sub_id) WHERE r.receipt_type = '22Y'"
    )
    assert filed_positive > 4000 and filed_negative == 10
    assert refunds > 0 and flipped == refunds and total < Decimal(0)
    # On the real rows, the donors extract and the explorer's search index hold exactly the receipts.
    snapshot = snapshots.current_snapshot(tmp_path)
    count, amount, donor_keys = one(f"SELECT count(*), sum(amount), count(DISTINCT donor_key) FROM {receipts}")
    donors = extract_reader(snapshot, "donors")
    assert one(f"SELECT sum(amount), count(DISTINCT donor_key) FROM {donors}") == (amount, donor_keys)
    index = duckdb.connect(str(search_index_path(snapshot)), read_only=True)
    for table in search_index.ORDERS:
        assert index.execute(f"SELECT count(*), sum(amount) FROM {table}").fetchone() == (count, amount), table
    assert index.execute("SELECT count(DISTINCT donor_key) FROM donor_name_tokens").fetchone()[0] == donor_keys
    named = one(f"SELECT count(*), sum(amount) FROM {receipts} WHERE donor_key IS NOT NULL")
    assert index.execute("SELECT sum(receipts), sum(amount) FROM donor_name_totals").fetchone() == named
    every_cycle = "SELECT count(*), sum(total) FROM donor_rankings WHERE cycle IS NULL"
    assert index.execute(every_cycle).fetchone() == (donor_keys, named[1])


def test_the_real_indiv_sample_loads_under_its_zip_member_name(shared_data, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    # The sample's own name is not an FEC name; linked (never copied) under the zip member's.
    (files / KINDS["itcont"].member).symlink_to(shared_data / "fec" / "2024" / "indiv24_itcont_sample.txt")
    summary = load(tmp_path / "data", 2024, files, Quiet(), publish=False)
    facts = summary["files"]["itcont"]
    assert facts["rows"] == facts["lines"] == 28 and facts["malformed"] == 0


def test_the_real_2020_pas2_independent_expenditures_become_regular_outside_spending(shared_data, tmp_path):
    # itpas2.txt of 2019-03-19 holds 105 independent expenditures: 93 supporting (24E, 18 of them memo
    # lines 'X' detailing another line's payees) and 12 opposing (24A). They are the regular reports' lines
    # the notices file lacks: every one a raw schedule_e line, the 87 that are no memo counted as regular.
    summary = load(tmp_path, 2020, shared_data / "fec" / "2020" / "bulk-2019-03-19", Quiet())
    assert summary["summaries"]["independent_expenditures"] == 105
    raw = f"read_parquet('{tmp_path}/raw/schedule_e/bulk-2020-pas2.parquet')"
    stored = duckdb.sql(
        f"SELECT support_oppose, memo_code, count(*), count(DISTINCT sub_id), sum(amount), bool_or(is_notice), "
        f"count(DISTINCT filing_form), count(dissemination_date) FROM {raw} GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert stored == [
        ("O", None, 12, 12, Decimal("10696.00"), False, 1, 0),
        ("S", "X", 18, 18, Decimal("315500.00"), False, 1, 0),
        ("S", None, 75, 75, Decimal("793645.00"), False, 1, 0),
    ]
    counted = extract_reader(snapshots.current_snapshot(tmp_path), "outside_expenditures")
    assert duckdb.sql(
        f"SELECT support_oppose, count(*), sum(amount), bool_or(from_notice), count(date), min(filing_form) "
        f"FROM {counted} GROUP BY ALL ORDER BY ALL"
    ).fetchall() == [
        ("O", 12, Decimal("10696.00"), False, 12, "F3X"),
        ("S", 75, Decimal("793645.00"), False, 75, "F3X"),
    ]
    # One names a candidate ID the 2020 candidate master does not list: shown as matching no candidate.
    assert one(f"SELECT count(*) FROM {counted} WHERE candidate_id IS NULL") == (1,)
