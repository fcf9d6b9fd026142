"""Full loads from generated FEC bulk files in the real layouts: reconciliation with the generator's
truth, subsets, zips, malformed lines, killed loads, bulk plus API, resumable downloads."""

from __future__ import annotations

import hashlib
import shutil
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.pipeline.builder import publish
from dashboard.pipeline.bulk.download import download
from dashboard.pipeline.bulk.formats import KINDS, BulkLoadError, member_name, zip_name
from dashboard.pipeline.bulk.load import load, read_state
from dashboard.pipeline.bulk.parse import parse_chunk
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.store import snapshots
from dashboard.store.files import read_json
from dashboard.store.layout import bulk_dir
from devtools import bulk_layout

CYCLE = 2024
GARBAGE = [
    "THIS LINE|IS NOT|A CONTRIBUTION",
    "C99999999|N|Q1|P2024||15|IND|X, Y|A|OR|97201|||01012024|ten|||1|||4999999999999999999",
]


class Quiet(LoadProgress):
    def __init__(self):
        super().__init__(out=open("/dev/null", "w"))


@pytest.fixture(scope="module")
def files(small_snapshot, tmp_path_factory) -> Path:
    """The small demo's 2024 data as bulk text files, with two garbage lines in itcont."""
    folder = tmp_path_factory.mktemp("bulk-files")
    bulk_layout.write_cycle(small_snapshot, CYCLE, folder)
    itcont = folder / "itcont.txt"
    lines = itcont.read_bytes().split(b"\n")
    lines.insert(99, GARBAGE[0].encode())  # becomes line 100
    lines.insert(199, GARBAGE[1].encode())  # becomes line 200
    itcont.write_bytes(b"\n".join(lines))
    return folder


@pytest.fixture(scope="module")
def loaded(files, tmp_path_factory) -> tuple[Path, dict]:
    data_dir = tmp_path_factory.mktemp("bulk-load")
    summary = load(data_dir, CYCLE, files, Quiet())
    return data_dir, summary


def totals_vs_truth(
    data_dir: Path,
    truth_dir: Path,
    columns=(
        "receipts",
        "disbursements",
        "net_receipts",
        "net_disbursements",
        "cash",
        "debts",
        "itemized",
        "unitemized",
    ),
) -> dict:
    checks = {
        "receipts": "t.receipts * 100 <> truth.receipts",
        "disbursements": "t.disbursements * 100 <> truth.disbursements",
        "net_receipts": "t.net_receipts * 100 <> truth.receipts_net",
        "net_disbursements": "t.net_disbursements * 100 <> truth.disbursements_net",
        "cash": "t.cash_on_hand * 100 <> truth.cash_on_hand",
        "debts": "t.debts * 100 <> truth.debts",
        "itemized": "t.individual_itemized * 100 IS DISTINCT FROM truth.individual_itemized",
        "unitemized": "t.individual_unitemized * 100 IS DISTINCT FROM truth.individual_unitemized",
    }
    sql = ", ".join(f"count(*) FILTER (WHERE {checks[c]}) AS {c}" for c in columns)
    con = duckdb.connect()
    row = (
        con.execute(f"""
        SELECT count(*) AS candidates, count(*) FILTER (WHERE t.candidate_id IS NULL) AS missing, {sql}
        FROM read_parquet('{truth_dir}/demo_truth/candidates.parquet') truth
        LEFT JOIN read_parquet('{data_dir}/current/candidate_totals.parquet') t USING (candidate_id, cycle)
        WHERE truth.cycle = {CYCLE}""")
        .fetchdf()
        .iloc[0]
        .to_dict()
    )
    return row


def extract(data_dir: Path, name: str) -> str:
    if name == "receipts":
        return f"read_parquet('{data_dir}/current/receipts/**/*.parquet', hive_partitioning = true)"
    return f"read_parquet('{data_dir}/current/{name}.parquet')"


def one(sql: str):
    return duckdb.sql(sql).fetchall()[0]


def test_a_full_load_reconciles_with_the_generated_truth_to_the_cent(loaded, small_snapshot):
    data_dir, summary = loaded
    row = totals_vs_truth(data_dir, small_snapshot)
    assert row.pop("candidates") > 1000
    assert row == {k: 0 for k in row}, row
    # Itemized rows: each counted once despite repeated lines, superseded filings and conduit copies.
    n, amount = one(f"SELECT count(*), sum(amount) FROM {extract(data_dir, 'receipts')}")
    truth_n, truth_amount = one(
        f"SELECT sum(n_itemized), sum(itemized_net) FROM "
        f"read_parquet('{small_snapshot}/demo_truth/candidates.parquet') WHERE cycle = {CYCLE}"
    )
    assert (n, int(amount * 100)) == (truth_n, truth_amount)
    assert summary["files"]["itcont"]["superseded_rows"] > 0
    manifest = snapshots.read_manifest(snapshots.current_snapshot(data_dir))
    assert manifest["source"] == "bulk" and manifest["bulk"]["cycle"] == CYCLE


def test_each_receipt_keeps_the_election_it_is_for(loaded, small_snapshot):
    # TRANSACTION_PGI as the bulk files carry the demo's designations ('P2024', 'G2024', blank).
    data_dir, _summary = loaded
    n, differing, blank = one(
        f"SELECT count(*), count(*) FILTER (WHERE b.election_type IS DISTINCT FROM d.election_type), "
        f"count(*) FILTER (WHERE b.election_type IS NULL) "
        f"FROM {extract(data_dir, 'receipts')} b JOIN {extract(small_snapshot, 'receipts')} d USING (sub_id)"
    )
    assert n > 1000 and differing == 0 and 0 < blank < n / 10


def test_malformed_lines_are_counted_and_listed_with_line_numbers(loaded):
    data_dir, summary = loaded
    itcont = summary["files"]["itcont"]
    assert itcont["malformed"] == 2 and itcont["lines"] == itcont["rows"] + 2
    listed = (bulk_dir(data_dir, CYCLE) / "malformed.txt").read_text().splitlines()
    not_loaded = [line for line in listed if "(loaded)" not in line]
    assert [line.split("\t")[1] for line in not_loaded] == ["line 100", "line 200"]
    assert "too few fields" in not_loaded[0] and "TRANSACTION_AMT is not a number" in not_loaded[1]
    # The writer's one Windows-1252 line is loaded, and listed with its number and encoding.
    recoded = [line for line in listed if "(loaded)" in line]
    assert itcont["recoded"] == len(recoded) == 1 and "not UTF-8: read as Windows-1252" in recoded[0]
    assert itcont["rows_without_date"] > 0  # blank and impossible dates are kept, as NULL


def test_accented_and_quoted_names_arrive_intact(files, loaded):
    # Written as the FEC's files are: UTF-8 (Á is C3 81), one line in Windows-1252 (Á is C1).
    text = (files / "itcont.txt").read_bytes()
    assert b"\xc3\x81" in text and text.count(b"\xc1") == 1
    data_dir, _summary = loaded
    raw = f"read_parquet('{data_dir}/raw/schedule_a/**/*.parquet', hive_partitioning = true)"
    accented, quoted = one(
        f"SELECT count(*) FILTER (WHERE contributor_name LIKE '%Á%'), "
        f"count(*) FILTER (WHERE contributor_name LIKE '%\"AJ\"') FROM {raw}"
    )
    assert accented > 0 and quoted > 0


def test_masters_and_summaries_alone_give_totals_races_and_the_district_map(files, small_snapshot, tmp_path):
    subset = tmp_path / "files"
    subset.mkdir()
    for name in ("cn.txt", "cm.txt", "ccl.txt", f"weball{CYCLE % 100}.txt"):
        shutil.copy(files / name, subset / name)
    data_dir = tmp_path / "data"
    summary = load(data_dir, CYCLE, subset, Quiet())
    assert sorted(summary["missing"]) == ["ie", "itcont", "itpas2", "webk", "webl"]
    row = totals_vs_truth(data_dir, small_snapshot, ("receipts", "disbursements", "cash", "debts"))
    assert row.pop("candidates") > 1000 and row == {k: 0 for k in row}, row
    # No itemized file: the split is unknown, not zero.
    assert (
        one(
            f"SELECT count(*) FROM {extract(data_dir, 'candidate_totals')} "
            "WHERE individual_itemized IS NOT NULL OR individual_unitemized IS NOT NULL"
        )[0]
        == 0
    )
    # Every House district has its race, with the receipts of its candidates.
    districts, off = one(f"""
        WITH truth AS (
            SELECT c.state, c.district, sum(t.receipts) / 100 AS receipts
            FROM read_parquet('{small_snapshot}/demo_truth/candidates.parquet') t
            JOIN read_parquet('{small_snapshot}/current/candidates.parquet') c USING (candidate_id, cycle)
            WHERE t.cycle = {CYCLE} AND c.office = 'H' GROUP BY ALL)
        SELECT count(*), count(*) FILTER (WHERE d.receipts IS DISTINCT FROM truth.receipts)
        FROM truth LEFT JOIN {extract(data_dir, "agg_district")} d
             ON d.cycle = {CYCLE} AND d.office = 'H' AND d.state = truth.state AND d.district = truth.district""")
    demo_districts = one(
        f"SELECT count(*) FROM read_parquet('{small_snapshot}/current/agg_district.parquet') "
        f"WHERE cycle = {CYCLE} AND office = 'H'"
    )[0]
    assert districts == demo_districts >= 435 and off == 0


def test_zips_load_the_same_as_their_text_files_and_by_date_is_not_read_twice(files, loaded, tmp_path):
    zips = tmp_path / "zips"
    zips.mkdir()
    for path in [*files.glob("*.txt"), *files.glob("*.csv")]:
        name = next(k for k in KINDS.values() if member_name(k, CYCLE) == path.name)
        shutil.copy(path, tmp_path / path.name)
        bulk_layout._zip(tmp_path / path.name, zips / zip_name(name, CYCLE), by_date=(name.name == "itcont"))
    data_dir = tmp_path / "data"
    summary = load(data_dir, CYCLE, zips, Quiet())
    assert summary["files"]["itcont"]["source"] == f"indiv{CYCLE % 100}.zip:itcont.txt"
    for name in ("candidate_totals", "receipts", "agg_district"):
        a, b = extract(loaded[0], name), extract(data_dir, name)
        assert one(f"SELECT count(*) FROM ((SELECT * FROM {a}) EXCEPT ALL (SELECT * FROM {b}))")[0] == 0, name
        assert one(f"SELECT count(*) FROM {a}")[0] == one(f"SELECT count(*) FROM {b}")[0], name


def test_a_killed_load_resumes_and_never_publishes_half(files, loaded, tmp_path, monkeypatch):
    monkeypatch.setenv("BULK_CHUNK_MB", "1")
    data_dir = tmp_path / "data"
    real_parse = parse_chunk
    calls = []

    def dies_on_the_fourth_itcont_chunk(con, kind, *args, **kwargs):
        if kind.name == "itcont":
            calls.append(1)
            if len(calls) == 4:
                raise KeyboardInterrupt("killed")
        return real_parse(con, kind, *args, **kwargs)

    # parse_source looks parse_chunk up in its own module
    monkeypatch.setattr("dashboard.pipeline.bulk.parse.parse_chunk", dies_on_the_fourth_itcont_chunk)
    with pytest.raises(KeyboardInterrupt):
        load(data_dir, CYCLE, files, Quiet())
    assert snapshots.current_snapshot(data_dir) is None
    assert not list((data_dir / "raw").glob("**/bulk-*.parquet")) if (data_dir / "raw").exists() else True
    state = read_state(data_dir, CYCLE)
    assert state["load"]["files"]["itcont"]["chunks"] == 3 and state["load"]["phase"] == "parsing"

    # Killed while building: raw/ is complete, nothing new is served; the next run only publishes.
    calls.clear()
    monkeypatch.setattr(publish, "build_and_publish", _raises)
    with pytest.raises(RuntimeError):
        load(data_dir, CYCLE, files, Quiet())
    assert snapshots.current_snapshot(data_dir) is None
    total_chunks = read_state(data_dir, CYCLE)["load"]["files"]["itcont"]["chunks"]
    assert len(calls) == total_chunks - 3  # resumed after the third chunk, nothing parsed twice
    monkeypatch.undo()
    calls.clear()
    summary = load(data_dir, CYCLE, files, Quiet())
    assert summary["snapshot_id"] and not calls
    for name in ("candidate_totals", "receipts"):
        a, b = extract(loaded[0], name), extract(data_dir, name)
        assert one(f"SELECT count(*) FROM ((SELECT * FROM {a}) EXCEPT ALL (SELECT * FROM {b}))")[0] == 0, name
    assert summary["files"]["itcont"]["malformed"] == 2


def _raises(*_args, **_kwargs):
    raise RuntimeError("build killed")


def test_bulk_then_api_counts_nothing_twice_and_the_later_fec_totals_win(files, small_snapshot, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(files, tmp_path / "files")
    load(data_dir, CYCLE, tmp_path / "files", Quiet())
    raw = data_dir / "raw"
    before_n, before_sum = one(f"SELECT count(*), sum(amount) FROM {extract(data_dir, 'receipts')}")
    bulk_rows = pq.read_table(next((raw / "schedule_a" / f"cycle={CYCLE}").glob("bulk-*.parquet")))
    counted = bulk_rows.filter(pa.compute.equal(bulk_rows["receipt_type"], "15")).slice(0, 50)
    # The API refresh brings 50 rows the bulk file already had (same sub_id) and 5 new ones.
    new = counted.slice(0, 5)
    new = new.set_column(
        new.schema.get_field_index("sub_id"),
        counted.schema.field("sub_id"),
        pa.array([9_000_000_000_000_000_000 + i for i in range(5)], pa.int64()),
    )
    pq.write_table(pa.concat_tables([counted, new]), raw / "schedule_a" / f"cycle={CYCLE}" / "api-test.parquet")
    # ... and the FEC's candidate totals: newer than the bulk file's for one candidate, older for another.
    summaries = pq.read_table(raw / "candidate_summaries" / f"bulk-{CYCLE}.parquet").to_pylist()
    newer, older = summaries[0], summaries[1]
    api_rows = [
        {**newer, "receipts": 1234, "coverage_end": date(CYCLE, 12, 31), "source": "api"},
        {**older, "receipts": 1, "coverage_end": date(CYCLE - 1, 1, 31), "source": "api"},
    ]
    pq.write_table(
        pa.Table.from_pylist(api_rows, schema=pq.read_schema(raw / "candidate_summaries" / f"bulk-{CYCLE}.parquet")),
        raw / "candidate_summaries" / f"api-{CYCLE}.parquet",
    )
    publish.build_and_publish(data_dir, source="bulk")
    after_n, after_sum = one(f"SELECT count(*), sum(amount) FROM {extract(data_dir, 'receipts')}")
    assert after_n == before_n + 5 and after_sum == before_sum + sum(new["amount"].to_pylist())
    totals = dict(
        duckdb.sql(
            f"SELECT candidate_id, receipts FROM {extract(data_dir, 'candidate_totals')} "
            f"WHERE candidate_id IN ('{newer['candidate_id']}', '{older['candidate_id']}')"
        ).fetchall()
    )
    # one set of FEC totals per candidate, never both: the one with the later data
    assert totals == {newer["candidate_id"]: 1234, older["candidate_id"]: older["receipts"]}


class RangeServer(BaseHTTPRequestHandler):
    """Serves files with HTTP ranges; drops the first download of each file halfway."""

    files: dict[str, bytes] = {}
    dropped: set[str] = set()

    def log_message(self, *args):
        pass

    def _head(self, body: bytes, status=200, extra=None):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", '"' + hashlib.md5(body).hexdigest() + '"')
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()

    def do_HEAD(self):
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        self._head(body)

    def do_GET(self):
        body = self.files.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        start = int(self.headers.get("Range", "bytes=0-").split("=")[1].split("-")[0])
        part = body[start:]
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(len(part)))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.end_headers()
        if self.path not in self.dropped:
            self.dropped.add(self.path)
            self.wfile.write(part[: len(part) // 2])
            self.wfile.flush()
            self.connection.close()
            return
        self.wfile.write(part)


def test_downloads_resume_after_a_dropped_connection_and_record_checksums(files, tmp_path, monkeypatch):
    bodies = {}
    for name in ("cn", "weball"):
        kind = KINDS[name]
        bulk_layout._zip(files / member_name(kind, CYCLE), tmp_path / zip_name(kind, CYCLE), by_date=False)
        bodies[f"/files/{CYCLE}/{zip_name(kind, CYCLE)}"] = (tmp_path / zip_name(kind, CYCLE)).read_bytes()
    RangeServer.files, RangeServer.dropped = bodies, set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), RangeServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("FEC_BULK_URL", f"http://127.0.0.1:{server.server_port}/files/")
    folder = tmp_path / "downloads"
    try:
        # Each file's first transfer breaks off halfway: each run keeps what came and resumes it.
        for _ in bodies:
            with pytest.raises(BulkLoadError, match="run again to resume"):
                download(CYCLE, folder, Quiet())
            assert len(list(folder.glob("*.part"))) == 1
        outcomes = download(CYCLE, folder, Quiet())
        assert outcomes["cn24.zip"] in ("downloaded", "unchanged") and outcomes["weball24.zip"] == "downloaded"
        assert not list(folder.glob("*.part"))
        assert outcomes["cm24.zip"] == "not published"
        record = read_json(folder / "downloads.json", {})
        for path, body in bodies.items():
            name = path.rsplit("/", 1)[1]
            assert (folder / name).read_bytes() == body
            assert record[name]["sha256"] == hashlib.sha256(body).hexdigest() and record[name]["bytes"] == len(body)
        again = download(CYCLE, folder, Quiet())
        assert again["cn24.zip"] == again["weball24.zip"] == "unchanged"
    finally:
        server.shutdown()


def test_totals_are_the_files_gross_figures_and_the_net_takes_out_only_matched_transfers(
    files, small_snapshot, tmp_path
):
    """weball's TTL_RECEIPTS is the headline, as the FEC publishes it. The net figure takes out what can
    have moved between the candidate's own committees, the smaller of TRANS_FROM_AUTH and TRANS_TO_AUTH:
    TRANS_FROM_AUTH alone (e.g. joint-fundraising proceeds) is money from outside and stays in."""
    subset = tmp_path / "files"
    subset.mkdir()
    for name in ("cn.txt", "cm.txt", "ccl.txt"):
        shutil.copy(files / name, subset / name)
    weball = f"weball{CYCLE % 100}.txt"
    lines = (files / weball).read_text(encoding="utf-8").splitlines()
    changed = {}
    for i, line in enumerate(lines):
        fields = line.split("|")
        if float(fields[6] or 0) == 0 and float(fields[8] or 0) == 0 and float(fields[5] or 0) > 0:
            fields[5] = f"{float(fields[5]) + 5000:.2f}"  # TTL_RECEIPTS includes the transfer...
            fields[6] = "5000.00"  # ...received, from a joint fundraiser...
            if changed:
                fields[7] = f"{float(fields[7]) + 2000:.2f}"  # ...or partly from a committee of its own
                fields[8] = "2000.00"
            lines[i] = "|".join(fields)
            changed[fields[0]] = 0 if len(changed) == 0 else 2000
            if len(changed) == 2:
                break
    (subset / weball).write_text("\n".join(lines) + "\n", encoding="utf-8")
    data_dir = tmp_path / "data"
    load(data_dir, CYCLE, subset, Quiet())
    for candidate_id, moved in changed.items():
        gross, net = one(
            f"SELECT receipts, net_receipts FROM {extract(data_dir, 'candidate_totals')} "
            f"WHERE candidate_id = '{candidate_id}'"
        )
        filed = next(float(x.split("|")[5]) for x in lines if x.startswith(candidate_id + "|"))
        assert float(gross) == filed and float(gross - net) == moved
