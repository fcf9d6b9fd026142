"""`load-bulk --summaries`: real data in one command from the small files only (cn cm ccl weball webl
webk), downloaded or from a folder; and a load that publishes nothing never exits 0 (issue 12)."""

from __future__ import annotations

import hashlib
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from dashboard.pipeline import cli
from dashboard.pipeline.bulk.formats import KINDS, zip_name
from dashboard.pipeline.bulk.load import read_state
from dashboard.pipeline.bulk.sources import SUMMARY_KINDS
from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools import bulk_layout

CYCLE = 2024


@pytest.fixture(scope="module")
def zips(small_snapshot, tmp_path_factory) -> Path:
    """The small demo's 2024 data as all eight of the FEC's zips."""
    folder = tmp_path_factory.mktemp("bulk-zips")
    bulk_layout.write_cycle(small_snapshot, CYCLE, folder, zips=True)
    assert {p.name for p in folder.glob("*.zip")} == {zip_name(k, CYCLE) for k in KINDS.values()}
    return folder


def run(monkeypatch, data_dir: Path, *argv: str) -> int:
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    return cli.main(list(argv))


def count(data_dir: Path, extract: str, where: str = "true") -> int:
    return duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{data_dir}/current/{extract}.parquet') WHERE {where}"
    ).fetchall()[0][0]


class Recorder(BaseHTTPRequestHandler):
    """Serves the zips it is given and records every path asked for."""

    files: dict[str, bytes] = {}
    asked: list[tuple[str, str]] = []

    def log_message(self, *args):
        pass

    def _answer(self, method: str, send_body: bool):
        self.asked.append((method, self.path))
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"' + hashlib.md5(body).hexdigest() + '"')
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_HEAD(self):
        self._answer("HEAD", False)

    def do_GET(self):
        self._answer("GET", True)


def test_summaries_download_fetches_only_the_six_small_files_and_publishes(zips, tmp_path, monkeypatch):
    Recorder.files = {f"/files/{CYCLE}/{p.name}": p.read_bytes() for p in zips.glob("*.zip")}
    Recorder.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("FEC_BULK_URL", f"http://127.0.0.1:{server.server_port}/files/")
    data_dir = tmp_path / "data"
    try:
        code = run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--download", "--summaries")
    finally:
        server.shutdown()
    assert code == 0
    small = {f"/files/{CYCLE}/{zip_name(KINDS[k], CYCLE)}" for k in SUMMARY_KINDS}
    assert {path for method, path in Recorder.asked if method == "GET"} == small
    assert {path for _, path in Recorder.asked} == small  # indiv24.zip and pas224.zip not even asked about
    assert read_manifest(current_snapshot(data_dir))["source"] == "bulk"
    assert count(data_dir, "candidates", f"cycle = {CYCLE}") > 1000
    assert count(data_dir, "candidate_totals", f"cycle = {CYCLE}") > 1000
    assert count(data_dir, "agg_district", f"cycle = {CYCLE} AND office = 'H'") >= 435


def test_summaries_from_a_folder_read_only_the_small_files(zips, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(zips), "--summaries") == 0
    assert set(read_state(data_dir, CYCLE)["load"]["files"]) == set(SUMMARY_KINDS)
    assert not list((data_dir / "raw" / "schedule_a").glob("**/*.parquet"))


def test_a_summary_file_alone_publishes_its_candidates_and_totals(zips, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(zips / zip_name(KINDS["weball"], CYCLE), folder)
    data_dir = tmp_path / "data"
    capsys.readouterr()
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(folder)) == 0
    out = capsys.readouterr().out
    assert "no election year" in out and "in no race" in out, out
    summaries = count(data_dir, "candidate_totals", f"cycle = {CYCLE}")
    assert summaries > 1000 and count(data_dir, "candidates", f"cycle = {CYCLE} AND name IS NOT NULL") >= summaries
    # weball says nothing of the election a candidate runs in: no races from it alone...
    assert count(data_dir, "candidates", f"cycle = {CYCLE} AND in_race") == 0
    # ...webl lists the campaigns of this cycle's election: with it, the races appear.
    shutil.copy(zips / zip_name(KINDS["webl"], CYCLE), folder)
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(folder)) == 0
    assert count(data_dir, "agg_district", f"cycle = {CYCLE} AND office = 'H'") >= 435


def test_files_that_name_no_candidate_exit_non_zero_saying_what_to_add(zips, tmp_path, monkeypatch, capsys):
    # The itemized file names neither candidates nor committees: nothing to publish. (Committees alone,
    # e.g. webk's, do publish: test_bulk_committees_only.)
    folder = tmp_path / "files"
    folder.mkdir()
    shutil.copy(zips / zip_name(KINDS["itcont"], CYCLE), folder)
    data_dir = tmp_path / "data"
    capsys.readouterr()
    code = run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(folder))
    err = capsys.readouterr().err
    assert code == 1 and current_snapshot(data_dir) is None
    assert err.count("\n") == 1 and "nothing was published" in err, err
    assert "cn" in err and "--download --summaries" in err, err
    # Run again unchanged: still refused, not "loaded already".
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(folder)) == 1
    # What it said to add makes it publish, the file loaded before included.
    for kind in ("cn", "ccl", "weball"):
        shutil.copy(zips / zip_name(KINDS[kind], CYCLE), folder)
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(CYCLE), "--files", str(folder)) == 0
    assert count(data_dir, "candidate_totals", f"cycle = {CYCLE}") > 1000


@pytest.mark.parametrize("cycle", [2016, 2026])
def test_real_summaries_publish_candidates_races_and_totals(shared_data, tmp_path, monkeypatch, cycle):
    folder = shared_data / "fec" / str(cycle)
    data_dir = tmp_path / "data"
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(cycle), "--files", str(folder), "--summaries") == 0
    assert count(data_dir, "candidates", f"cycle = {cycle}") > 2500
    # Races exist (which seats exactly is test_bulk_real_cycles' business; a 2026 file may lack a seat).
    assert count(data_dir, "agg_district", f"cycle = {cycle} AND office = 'H'") > 400
    assert count(data_dir, "agg_district", f"cycle = {cycle} AND office = 'S'") > 0


# Every real summary file: (folder under fec/, cycle).
REAL_SUMMARY_SETS = [
    ("2016", 2016),
    ("2020/bulk-2019-03-19", 2020),
    ("2020/late-2020", 2020),
    ("2022", 2022),
    ("2026", 2026),
]


@pytest.mark.parametrize("folder, cycle", REAL_SUMMARY_SETS, ids=[f for f, _ in REAL_SUMMARY_SETS])
def test_every_candidate_of_every_real_summary_file_has_the_files_money_to_the_cent(
    shared_data, tmp_path, monkeypatch, folder, cycle
):
    """Receipts, disbursements and cash on hand as published equal each summary file's row to the cent,
    for every candidate, apart from those the data-quality report lists: where weball and webl disagree,
    one of them is shown."""
    source = shared_data / "fec" / folder
    data_dir = tmp_path / "data"
    assert run(monkeypatch, data_dir, "load-bulk", "--cycle", str(cycle), "--files", str(source)) == 0
    manifest = read_manifest(current_snapshot(data_dir))
    findings = {f["code"]: f for f in manifest["data_quality"]["findings"]}
    listed = findings.get("summaries_disagree", {"count": 0})["count"]
    files = sorted(source.glob(f"web[la]*{cycle % 100}.txt"))
    assert files
    for summary in files:
        rows, published, equal = duckdb.sql(f"""
            WITH s AS (
                SELECT column00 AS candidate_id, CAST(column05 AS DECIMAL(14,2)) AS receipts,
                       CAST(column07 AS DECIMAL(14,2)) AS disbursements, CAST(column10 AS DECIMAL(14,2)) AS cash
                FROM read_csv('{summary}', delim = '|', header = false, quote = '', all_varchar = true))
            SELECT count(*), count(t.candidate_id),
                   count(*) FILTER (WHERE t.receipts = s.receipts AND t.disbursements = s.disbursements
                                    AND t.cash_on_hand = s.cash)
            FROM s LEFT JOIN read_parquet('{data_dir}/current/candidate_totals.parquet') t
                   ON t.candidate_id = s.candidate_id AND t.cycle = {cycle}""").fetchall()[0]
        assert published == rows > 0, summary.name
        assert rows - equal <= listed, (summary.name, rows, equal, listed)
