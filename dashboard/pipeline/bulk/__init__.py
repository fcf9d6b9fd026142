"""Full loads from the FEC's bulk files into the raw store (see the shared reference
`fec-bulk-formats.md`).

    python -m dashboard load-bulk --cycle 2024 (--files DIR | --download) [--force]

What it reads: for a cycle, any subset of the FEC's zips (`cn24.zip`, `cm24.zip`, `ccl24.zip`,
`weball24.zip`, `webl24.zip`, `webk24.zip`, `indiv24.zip`, `pas224.zip`) or of the files inside them
(`cn.txt`, ..., `itcont.txt`, `itpas2.txt`). Zips are streamed, never unpacked, and only their
top-level text file is read (the `indiv` zip also holds a `by_date/` copy of every row).

How:
- A file is cut into chunks at line ends (`BULK_CHUNK_MB`). Each chunk goes through DuckDB's CSV
  reader (pipe-delimited, no header, no quoting, Latin-1) into a Parquet part in the raw
  contract's shape. Values that must be numbers (SUB_ID, amounts, file numbers) are typed by the
  reader itself, so a line with a wrong field count or a non-number there is a reject with its
  line number. Blank lines and lines missing a required value are found too: every line of a file
  is either loaded or reported (`bulk/<cycle>/malformed.txt`), never silently dropped, never fatal.
- Memory: DuckDB runs with DUCKDB_MEMORY_LIMIT and DUCKDB_THREADS and spills to
  `$DATA_CACHE_DIR/tmp`; a chunk at a time is in flight.
- Resume: after every chunk `bulk/<cycle>/state.json` records how far each file got; a killed load
  started again with the same files carries on from there. Nothing reaches `raw/` until every
  present file is parsed; then, under the build lock, the parts replace the cycle's earlier bulk
  files in `raw/` (an idempotent step: after a crash it is simply done again), and the same builder
  as the demo's and the API's builds and publishes a snapshot. A killed load never publishes half.
- Amendments: the classic files normally carry only the newest version of a report, but when a
  filing and a later amendment (AMNDT_IND 'A', larger FILE_NUM) of the same committee and report
  type share transactions (the same transaction ID on the same date), the older filing's rows are
  dropped: the newest version wins. The date matters: filers restart transaction IDs in every
  report, and last year's Q1 is not an earlier version of this year's.
- Totals: weball/webl have one two-year summary per candidate (all authorized committees combined)
  and no per-report pages; each becomes one `reports` row of type `contract.BULK_SUMMARY_REPORT_TYPE`
  on the candidate's principal committee (mapping in docs/architecture.md). The builder splits its
  individual money into itemized (what itcont holds) and unitemized.
- Bulk plus API: receipts are keyed by SUB_ID, the same `sub_id` the API gives; the builder keeps one
  row per sub_id, and the refresh appends only sub_ids not already stored.
- `--download` fetches the zips from FEC_BULK_URL: resumable (`.part` files and HTTP ranges), with
  the SHA-256, size, ETag and Last-Modified of each recorded in `bulk/<cycle>/downloads.json`; a zip
  whose ETag and size are unchanged is not fetched again.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from dashboard.core import config, contract
from dashboard.core.sql import quote_literal
from dashboard.pipeline import duck
from dashboard.pipeline.progress import Progress

log = logging.getLogger(__name__)

STATE_VERSION = 1
MALFORMED_SAMPLES = 20        # kept per file in state.json and printed
MALFORMED_REPORT_CAP = 100_000  # lines listed per file in malformed.txt (all are counted)


class BulkLoadError(RuntimeError):
    """The load cannot go on; the message says what to do."""


def _cols(names: str) -> tuple[str, ...]:
    return tuple(names.split())


SUMMARY_COLUMNS = _cols("""CAND_ID CAND_NAME CAND_ICI PTY_CD CAND_PTY_AFFILIATION TTL_RECEIPTS TRANS_FROM_AUTH
    TTL_DISB TRANS_TO_AUTH COH_BOP COH_COP CAND_CONTRIB CAND_LOANS OTHER_LOANS CAND_LOAN_REPAY OTHER_LOAN_REPAY
    DEBTS_OWED_BY TTL_INDIV_CONTRIB CAND_OFFICE_ST CAND_OFFICE_DISTRICT SPEC_ELECTION PRIM_ELECTION RUN_ELECTION
    GEN_ELECTION GEN_ELECTION_PRECENT OTHER_POL_CMTE_CONTRIB POL_PTY_CONTRIB CVG_END_DT INDIV_REFUNDS CMTE_REFUNDS""")
ITCONT_COLUMNS = _cols("""CMTE_ID AMNDT_IND RPT_TP TRANSACTION_PGI IMAGE_NUM TRANSACTION_TP ENTITY_TP NAME CITY
    STATE ZIP_CODE EMPLOYER OCCUPATION TRANSACTION_DT TRANSACTION_AMT OTHER_ID TRAN_ID FILE_NUM MEMO_CD MEMO_TEXT
    SUB_ID""")
ITPAS2_COLUMNS = ITCONT_COLUMNS[:16] + ("CAND_ID",) + ITCONT_COLUMNS[16:]
WEBK_COLUMNS = _cols("""CMTE_ID CMTE_NM CMTE_TP CMTE_DSGN CMTE_FILING_FREQ TTL_RECEIPTS TRANS_FROM_AFF INDV_CONTRIB
    OTHER_POL_CMTE_CONTRIB CAND_CONTRIB CAND_LOANS TTL_LOANS_RECEIVED TTL_DISB TRANF_TO_AFF INDV_REFUNDS
    OTHER_POL_CMTE_REFUNDS CAND_LOAN_REPAY LOAN_REPAY COH_BOP COH_COP DEBTS_OWED_BY NONFED_TRANS_RECEIVED
    CONTRIB_TO_OTHER_CMTE IND_EXP PTY_COORD_EXP NONFED_SHARE_EXP CVG_END_DT""")

# Columns the CSV reader types itself (a value that is not one is a reject with its line number).
READ_TYPES = {"SUB_ID": "BIGINT", "FILE_NUM": "BIGINT", "TRANSACTION_AMT": contract.MONEY,
              "LINKAGE_ID": "BIGINT", "CAND_ELECTION_YR": "INTEGER", "FEC_ELECTION_YR": "INTEGER"}
SUMMARY_MONEY = {c for c in SUMMARY_COLUMNS + WEBK_COLUMNS
                 if c.startswith(("TTL_", "TRANS_", "TRANF_", "COH_", "CAND_CONTRIB", "CAND_LOAN", "OTHER_LOAN",
                                  "DEBTS_", "INDIV_", "INDV_", "OTHER_POL", "POL_PTY", "CMTE_REFUNDS", "LOAN_REPAY",
                                  "NONFED_", "CONTRIB_TO", "IND_EXP", "PTY_COORD"))}


@dataclass(frozen=True)
class Kind:
    """One of the FEC's bulk files: its zip, the text file inside, its columns and where it goes."""
    name: str
    zip_prefix: str           # <prefix><yy>.zip
    member: str               # text file inside the zip; {yy} is the cycle's last two digits
    columns: tuple[str, ...]
    table: str                # raw table (contract.RAW) or a bulk_* reference table
    select: str               # SQL over the read columns giving the table's columns; {cycle} is an integer
    required: tuple[str, ...]  # a line without these values is malformed
    description: str


def _summary_select(columns) -> str:
    parts = []
    for c in columns:
        if c in SUMMARY_MONEY:
            parts.append(f"CAST({c} AS {contract.MONEY}) AS {c.lower()}")
        elif c == "CVG_END_DT":
            parts.append("CAST(TRY_STRPTIME(CVG_END_DT, '%m/%d/%Y') AS DATE) AS cvg_end_dt")
        else:
            parts.append(f"{c} AS {c.lower()}")
    return ", ".join(parts) + ", {cycle} AS cycle"


def _transaction_select(columns) -> str:
    parts = [f"{c} AS {c.lower()}" for c in columns if c not in ("TRANSACTION_DT",)]
    return ", ".join(parts) + ", TRY_CAST(TRY_STRPTIME(TRANSACTION_DT, '%m%d%Y') AS DATE) AS transaction_dt, {cycle} AS cycle"


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("cn", "cn", "cn.txt", _cols("""CAND_ID CAND_NAME CAND_PTY_AFFILIATION CAND_ELECTION_YR CAND_OFFICE_ST
         CAND_OFFICE CAND_OFFICE_DISTRICT CAND_ICI CAND_STATUS CAND_PCC CAND_ST1 CAND_ST2 CAND_CITY CAND_ST CAND_ZIP"""),
         "candidates",
         """CAND_ID AS candidate_id, {cycle} AS cycle, CAND_NAME AS name, CAND_PTY_AFFILIATION AS party,
            CAND_OFFICE AS office, CAND_OFFICE_ST AS state,
            CASE WHEN CAND_OFFICE = 'H' THEN lpad(coalesce(CAND_OFFICE_DISTRICT, '00'), 2, '0') ELSE '00' END AS district,
            CAND_ICI AS incumbent_challenge, CAND_STATUS AS status, CAND_PCC AS principal_committee_id,
            CAND_ELECTION_YR AS election_year""",
         ("CAND_ID",), "candidate master"),
    Kind("cm", "cm", "cm.txt", _cols("""CMTE_ID CMTE_NM TRES_NM CMTE_ST1 CMTE_ST2 CMTE_CITY CMTE_ST CMTE_ZIP CMTE_DSGN
         CMTE_TP CMTE_PTY_AFFILIATION CMTE_FILING_FREQ ORG_TP CONNECTED_ORG_NM CAND_ID"""),
         "committees",
         """CMTE_ID AS committee_id, {cycle} AS cycle, CMTE_NM AS name, CMTE_TP AS committee_type,
            CMTE_DSGN AS designation, CMTE_PTY_AFFILIATION AS party, CMTE_ST AS state, CAND_ID AS candidate_id,
            CMTE_FILING_FREQ AS filing_frequency""",
         ("CMTE_ID",), "committee master"),
    Kind("ccl", "ccl", "ccl.txt", _cols("CAND_ID CAND_ELECTION_YR FEC_ELECTION_YR CMTE_ID CMTE_TP CMTE_DSGN LINKAGE_ID"),
         "linkages",
         """CAND_ID AS candidate_id, CAND_ELECTION_YR AS election_year, coalesce(FEC_ELECTION_YR, {cycle}) AS cycle,
            CMTE_ID AS committee_id, CMTE_TP AS committee_type, CMTE_DSGN AS designation, LINKAGE_ID AS linkage_id""",
         ("CAND_ID", "CMTE_ID"), "candidate-committee linkages"),
    Kind("weball", "weball", "weball{yy}.txt", SUMMARY_COLUMNS, "bulk_weball", _summary_select(SUMMARY_COLUMNS),
         ("CAND_ID",), "all-candidates summary"),
    Kind("webl", "webl", "webl{yy}.txt", SUMMARY_COLUMNS, "bulk_webl", _summary_select(SUMMARY_COLUMNS),
         ("CAND_ID",), "House/Senate campaigns summary"),
    Kind("webk", "webk", "webk{yy}.txt", WEBK_COLUMNS, "bulk_webk", _summary_select(WEBK_COLUMNS),
         ("CMTE_ID",), "PAC and party summary"),
    Kind("itcont", "indiv", "itcont.txt", ITCONT_COLUMNS, "schedule_a",
         # conduit_committee_id: on the recipient's copy of an earmarked gift (15E) OTHER_ID names the
         # conduit, as the API's conduit_committee_id does.
         """SUB_ID AS sub_id, CMTE_ID AS committee_id, CAST(NULL AS INTEGER) AS report_year, RPT_TP AS report_type,
            FILE_NUM AS file_number, AMNDT_IND AS amendment_indicator, TRANSACTION_TP AS receipt_type,
            CAST(NULL AS VARCHAR) AS line_number, ENTITY_TP AS entity_type, NAME AS contributor_name, CITY AS city,
            STATE AS state, ZIP_CODE AS zip, EMPLOYER AS employer, OCCUPATION AS occupation,
            CAST(TRY_STRPTIME(TRANSACTION_DT, '%m%d%Y') AS DATE) AS date, TRANSACTION_AMT AS amount,
            CAST(NULL AS DECIMAL(14,2)) AS aggregate_ytd, MEMO_CD AS memo_code, MEMO_TEXT AS memo_text,
            OTHER_ID AS other_id,
            CASE WHEN TRANSACTION_TP = '15E' AND regexp_full_match(OTHER_ID, 'C[0-9]{8}') THEN OTHER_ID END
                AS conduit_committee_id,
            TRAN_ID AS transaction_id, IMAGE_NUM AS image_number""",
         ("CMTE_ID", "SUB_ID", "TRANSACTION_AMT"), "individual contributions"),
    Kind("itpas2", "pas2", "itpas2.txt", ITPAS2_COLUMNS, "bulk_itpas2", _transaction_select(ITPAS2_COLUMNS),
         ("CMTE_ID", "SUB_ID", "TRANSACTION_AMT"), "committee contributions to candidates"),
)}

# Where each kind's Parquet goes in raw/; schedule_a is partitioned by cycle like the other sources'.
def raw_folder(raw: Path, kind: Kind, cycle: int) -> Path:
    if kind.table == "schedule_a":
        return raw / "schedule_a" / f"cycle={cycle}"
    return raw / kind.table


def part_name(kind: Kind, cycle: int, index: int) -> str:
    return f"bulk-{cycle}-{kind.name}-{index:05d}.parquet"


# ------------------------------------------------------------------------------------ finding files
def zip_name(kind: Kind, cycle: int) -> str:
    return f"{kind.zip_prefix}{cycle % 100:02d}.zip"


def member_name(kind: Kind, cycle: int) -> str:
    return kind.member.format(yy=f"{cycle % 100:02d}")


@dataclass
class Source:
    """Where one kind's text comes from: a text file, or a member of a zip."""
    kind: Kind
    path: Path
    member: str | None = None  # set when path is a zip

    @property
    def label(self) -> str:
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    def size(self) -> int:
        if self.member:
            with zipfile.ZipFile(self.path) as zf:
                return zf.getinfo(self.member).file_size
        return self.path.stat().st_size

    def identity(self) -> dict:
        stat = self.path.stat()
        return {"path": str(self.path), "member": self.member, "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def open(self):
        if self.member:
            return zipfile.ZipFile(self.path).open(self.member)
        return open(self.path, "rb")


def find_sources(folder: Path, cycle: int) -> tuple[dict[str, Source], list[str]]:
    """The files present for each kind (a text file wins over its zip) and the kinds missing."""
    by_lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    found, missing = {}, []
    for kind in KINDS.values():
        text = by_lower.get(member_name(kind, cycle).lower())
        if kind.name in ("weball", "webl", "webk") and text is None:
            text = by_lower.get(f"{kind.name}.txt")
        if text is not None:
            found[kind.name] = Source(kind, text)
            continue
        archive = by_lower.get(zip_name(kind, cycle).lower())
        if archive is not None:
            found[kind.name] = Source(kind, archive, _zip_member(archive, kind, cycle))
            continue
        missing.append(kind.name)
    return found, missing


def _zip_member(archive: Path, kind: Kind, cycle: int) -> str:
    """The top-level text file of a bulk zip; never the by_date/ slices that repeat every row."""
    try:
        with zipfile.ZipFile(archive) as zf:
            top = [i.filename for i in zf.infolist() if not i.is_dir() and "/" not in i.filename
                   and i.filename.lower().endswith(".txt")]
    except zipfile.BadZipFile:
        raise BulkLoadError(f"{archive} is not a readable zip (a broken download?); delete it and fetch it again")
    wanted = member_name(kind, cycle).lower()
    exact = [n for n in top if n.lower() == wanted]
    if exact:
        return exact[0]
    if len(top) == 1:
        return top[0]
    raise BulkLoadError(f"{archive.name} should hold one top-level text file ({member_name(kind, cycle)}); "
                        f"it holds {top or 'none'}")


# ------------------------------------------------------------------------------------ progress
class LoadProgress(Progress):
    """Progress of one file: bytes, rows, rows/s and time left."""

    def file(self, label: str, done_bytes: int, total_bytes: int, rows: int | None, rows_per_s: float,
             final: bool = False) -> None:
        """rows None: a download (bytes only; rows_per_s is then bytes per second)."""
        share = done_bytes / total_bytes if total_bytes else 1.0
        left = ""
        if 0 < share < 1 and rows_per_s > 0:
            bytes_per_row = 1.0 if rows is None else max(done_bytes / max(rows, 1), 1.0)
            left = f", about {_duration((total_bytes - done_bytes) / bytes_per_row / rows_per_s)} left"
        speed = (f"{rows_per_s / 1e6:,.1f} MB/s" if rows is None else f"{rows:,} rows, {rows_per_s:,.0f} rows/s")
        self.show(label, share, f"{done_bytes / 1e9:,.2f}/{total_bytes / 1e9:,.2f} GB {speed}{left}", final=final)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 90:
        return f"{seconds} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


# ------------------------------------------------------------------------------------ state
def bulk_dir(data_dir: Path, cycle: int) -> Path:
    return Path(data_dir) / "bulk" / str(cycle)


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, indent=1, default=str))
    os.replace(tmp, path)


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return default


def read_state(data_dir: Path, cycle: int) -> dict:
    state = _read_json(bulk_dir(data_dir, cycle) / "state.json", {})
    if state.get("version") != STATE_VERSION:
        state = {"version": STATE_VERSION, "cycle": cycle, "load": None, "loaded": {}}
    return state


# ------------------------------------------------------------------------------------ parsing
def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    return duck.connect(data_dir)


def iter_chunks(stream, chunk_bytes: int, skip_bytes: int = 0):
    """(byte offset, bytes) pieces of a stream, each ending at a line end (the last may not)."""
    if skip_bytes:
        if hasattr(stream, "seekable") and stream.seekable() and not isinstance(stream, zipfile.ZipExtFile):
            stream.seek(skip_bytes)
        else:  # a zip stream cannot seek cheaply: read past what is done
            left = skip_bytes
            while left:
                got = stream.read(min(left, 64 << 20))
                if not got:
                    break
                left -= len(got)
    offset = skip_bytes
    carry = b""
    while True:
        block = stream.read(chunk_bytes)
        if not block:
            if carry:
                yield offset, carry
            return
        block = carry + block
        cut = block.rfind(b"\n")
        if cut < 0:
            carry = block
            continue
        piece, carry = block[:cut + 1], block[cut + 1:]
        yield offset, piece
        offset += len(piece)


def _reader_sql(kind: Kind, path: str) -> str:
    columns = ", ".join(f"'{c}': '{READ_TYPES.get(c, 'VARCHAR')}'" for c in kind.columns)
    return (f"read_csv({quote_literal(path)}, delim = '|', header = false, quote = '', escape = '', encoding = 'latin-1', "
            f"auto_detect = false, strict_mode = true, ignore_errors = true, store_rejects = true, "
            f"columns = {{{columns}}})")


def parse_chunk(con: duckdb.DuckDBPyConnection, kind: Kind, cycle: int, data: bytes, first_line: int,
                work: Path, out: Path) -> dict:
    """One chunk -> one Parquet part at `out`; returns its counts and its malformed lines."""
    text_path = work / f"chunk-{kind.name}.txt"
    text_path.write_bytes(data)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    reader = _reader_sql(kind, str(text_path))
    required = " AND ".join(f"{c} IS NOT NULL" for c in kind.required)
    select = kind.select.replace("{cycle}", str(int(cycle)))
    for table in ("reject_errors", "reject_scans"):  # they accumulate over scans otherwise
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE chunk AS SELECT * FROM {reader}")
    tmp = out.with_name(f".{out.name}.tmp")
    con.execute(f"COPY (SELECT {select} FROM chunk WHERE {required}) TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)")
    rows, incomplete = con.execute(
        f"SELECT count(*) FILTER (WHERE {required}), count(*) FILTER (WHERE NOT ({required})) FROM chunk").fetchall()[0]
    # One record per line (the reader notes a short line once per missing field).
    rejects = con.execute("SELECT line, arg_min(error_type, column_idx), arg_min(column_name, column_idx), "
                          "any_value(csv_line) FROM reject_errors GROUP BY line ORDER BY line").fetchall()
    con.execute("DROP TABLE chunk")
    malformed = [(first_line + int(line) - 1, _reject_reason(kind, error, column), text)
                 for line, error, column, text in rejects]
    blank = lines - rows - incomplete - len(rejects)
    if incomplete or blank:
        malformed += _find_incomplete_and_blank(kind, data, first_line, {m[0] for m in malformed})
    extra = {}
    if kind.name in ("itcont", "itpas2"):  # transaction files: a blank or impossible date is kept, as NULL, and counted
        date_col = "date" if kind.table == "schedule_a" else "transaction_dt"
        extra["rows_without_date"] = con.execute(
            f"SELECT count(*) FILTER (WHERE {date_col} IS NULL) FROM read_parquet({quote_literal(tmp)})").fetchall()[0][0]
    os.replace(tmp, out)
    text_path.unlink(missing_ok=True)
    malformed.sort()
    return {"lines": lines, "rows": rows, "malformed": malformed, **extra}


def _reject_reason(kind: Kind, error: str, column: str | None) -> str:
    return {"MISSING COLUMNS": f"too few fields (expected {len(kind.columns)})",
            "TOO MANY COLUMNS": f"too many fields (expected {len(kind.columns)})",
            "CAST": f"{column} is not a number"}.get(error, error.lower())


def _find_incomplete_and_blank(kind: Kind, data: bytes, first_line: int, known: set[int]) -> list[tuple[int, str, str]]:
    """Rare lines the reader accepted or skipped without a reject record: blank lines and lines
    missing a required value. Found by a plain scan of the chunk, only when some exist."""
    found = []
    positions = [kind.columns.index(c) for c in kind.required]
    pieces = data.split(b"\n")
    if data.endswith(b"\n"):
        pieces.pop()  # what follows the last line end is not a line
    for i, raw in enumerate(pieces):
        number = first_line + i
        if number in known:
            continue
        if not raw.strip(b"\r"):
            found.append((number, "blank line", ""))
            continue
        fields = raw.split(b"|")
        if len(fields) == len(kind.columns) and any(not fields[p].strip() for p in positions):
            names = [kind.columns[p] for p in positions if not fields[p].strip()]
            found.append((number, f"missing {', '.join(names)}", raw.decode("latin-1")))
    return found


# ------------------------------------------------------------------------------------ amendments
SUPERSEDED_FILINGS_SQL = """
-- Filings of a committee's report that a later amendment replaced: an amendment (AMNDT_IND 'A',
-- larger FILE_NUM) of the same committee and report type carries the same transactions (the same
-- transaction ID on the same date: IDs restart in every report, so Q1 of another year can reuse them).
WITH filings AS (
    SELECT committee_id, report_type, file_number, bool_or(amendment_indicator = 'A') AS is_amendment
    FROM parts WHERE file_number IS NOT NULL GROUP BY ALL
), refiled AS (
    SELECT committee_id, report_type FROM filings GROUP BY ALL HAVING count(*) > 1 AND bool_or(is_amendment)
), candidates AS (
    SELECT DISTINCT p.committee_id, p.report_type, p.file_number, p.transaction_id, p.date
    FROM parts p SEMI JOIN refiled r USING (committee_id, report_type)
    WHERE p.transaction_id IS NOT NULL AND p.file_number IS NOT NULL AND p.date IS NOT NULL
)
SELECT DISTINCT old.file_number
FROM candidates old
JOIN candidates new ON new.committee_id = old.committee_id AND new.report_type = old.report_type
                   AND new.transaction_id = old.transaction_id AND new.date = old.date
                   AND new.file_number > old.file_number
JOIN filings f ON f.committee_id = new.committee_id AND f.report_type = new.report_type
              AND f.file_number = new.file_number AND f.is_amendment
"""


def drop_superseded(con: duckdb.DuckDBPyConnection, staged: list[Path]) -> tuple[int, int]:
    """Rewrite the staged schedule_a parts without rows of superseded filings; (filings, rows) dropped."""
    if not staged:
        return 0, 0
    files = ", ".join(quote_literal(p) for p in staged)
    con.execute(f"CREATE OR REPLACE TEMP VIEW parts AS SELECT * FROM read_parquet([{files}])")
    con.execute(f"CREATE OR REPLACE TEMP TABLE superseded AS {SUPERSEDED_FILINGS_SQL}")
    filings = con.execute("SELECT count(*) FROM superseded").fetchall()[0][0]
    dropped = 0
    if filings:
        for part in staged:
            n = con.execute(f"SELECT count(*) FROM read_parquet({quote_literal(part)}) WHERE file_number IN "
                            "(SELECT file_number FROM superseded)").fetchall()[0][0]
            if n:
                tmp = part.with_name(f".{part.name}.tmp")
                con.execute(f"COPY (SELECT * FROM read_parquet({quote_literal(part)}) WHERE file_number IS NULL OR file_number "
                            f"NOT IN (SELECT file_number FROM superseded)) TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)")
                os.replace(tmp, part)
                dropped += n
    con.execute("DROP VIEW parts")
    return filings, dropped


# ------------------------------------------------------------------------------------ summaries -> reports
BULK_REPORTS_SQL = f"""
-- One summary per candidate: weball (every candidate) before webl (House/Senate campaigns).
WITH summaries AS (
    SELECT DISTINCT ON (cand_id) * FROM ({{summaries}})
    WHERE cycle = $cycle ORDER BY cand_id, preference
),
-- The committee that carries a candidate's summary: cn's principal committee, else a P link, else an A link.
carrier AS (
    SELECT candidate_id, committee_id FROM (
        SELECT candidate_id, principal_committee_id AS committee_id, 0 AS rank
        FROM raw_candidates WHERE cycle = $cycle AND principal_committee_id IS NOT NULL
        UNION ALL
        SELECT candidate_id, committee_id, CASE designation WHEN 'P' THEN 1 ELSE 2 END
        FROM raw_linkages WHERE cycle = $cycle AND designation IN ('P', 'A'))
    QUALIFY row_number() OVER (PARTITION BY candidate_id ORDER BY rank, committee_id) = 1
)
SELECT c.committee_id, $cycle AS cycle, $cycle AS report_year,
       '{contract.BULK_SUMMARY_REPORT_TYPE}' AS report_type, make_date($cycle - 1, 1, 1) AS coverage_start,
       s.cvg_end_dt AS coverage_end, CAST(NULL AS BIGINT) AS file_number, CAST(NULL AS BIGINT) AS previous_file_number,
       'N' AS amendment_indicator,
       s.ttl_receipts AS receipts, s.ttl_disb AS disbursements, s.coh_bop AS cash_on_hand_begin,
       s.coh_cop AS cash_on_hand_end, s.debts_owed_by AS debts_owed,
       -- weball does not split individual money: all of it is carried here and the builder
       -- moves the itemized part (what itcont holds) out.
       CAST(NULL AS {contract.MONEY}) AS individual_itemized, s.ttl_indiv_contrib AS individual_unitemized,
       s.indiv_refunds AS individual_refunds, s.other_pol_cmte_contrib AS other_committee_contributions,
       s.pol_pty_contrib AS party_contributions, s.cand_contrib AS candidate_contributions,
       CAST(NULL AS {contract.MONEY}) AS other_receipts,
       -- FEC's advice for these files: money moved between a candidate's own committees shows as
       -- values in both transfer columns; one column alone (e.g. joint-fundraising proceeds) is
       -- money from outside and stays in the totals.
       CASE WHEN s.trans_from_auth > 0 AND s.trans_to_auth > 0 THEN s.trans_from_auth ELSE 0 END
           AS transfers_from_authorized,
       CASE WHEN s.trans_from_auth > 0 AND s.trans_to_auth > 0 THEN s.trans_to_auth ELSE 0 END
           AS transfers_to_authorized,
       s.cand_id AS summary_candidate_id
FROM summaries s LEFT JOIN carrier c ON c.candidate_id = s.cand_id
"""


def write_bulk_reports(con: duckdb.DuckDBPyConnection, raw: Path, cycle: int) -> dict:
    """raw/reports/bulk-<cycle>.parquet from the stored weball/webl of the cycle and the store's
    candidates and linkages (any source). Returns counts; summaries naming a candidate with no
    known committee are counted (their totals cannot be shown)."""
    from dashboard.pipeline.builder.extracts import raw_views

    target = raw / "reports" / f"bulk-{cycle}.parquet"
    unions = []
    for preference, name in enumerate(("weball", "webl"), start=1):
        files = sorted((raw / f"bulk_{name}").glob(f"bulk-{cycle}-*.parquet"))
        if files:
            unions.append(f"SELECT *, {preference} AS preference FROM read_parquet([{', '.join(quote_literal(f) for f in files)}])")
    if not unions:
        target.unlink(missing_ok=True)
        return {"summaries": 0, "without_committee": 0}
    raw_views(con, raw)
    sql = BULK_REPORTS_SQL.replace("{summaries}", " UNION ALL BY NAME ".join(unions)).replace("$cycle", str(int(cycle)))
    con.execute(f"CREATE OR REPLACE TEMP TABLE bulk_reports AS {sql}")
    total, orphan = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE committee_id IS NULL) FROM bulk_reports").fetchall()[0]
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW["reports"].items())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(f"COPY (SELECT {columns} FROM bulk_reports WHERE committee_id IS NOT NULL ORDER BY committee_id) "
                f"TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)")
    os.replace(tmp, target)
    return {"summaries": total, "without_committee": orphan}


# ------------------------------------------------------------------------------------ downloads
def download(cycle: int, folder: Path, progress: LoadProgress, kinds=None, client=None) -> dict:
    """Fetch the cycle's zips into folder (resumable, checksummed); returns {zip name: outcome}."""
    import httpx

    base = config.get("FEC_BULK_URL").rstrip("/") + "/"
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / "downloads.json"
    record = _read_json(record_path, {})
    outcomes = {}
    own_client = client is None
    client = client or httpx.Client(timeout=httpx.Timeout(float(config.get("FEC_TIMEOUT_SECONDS")), connect=10.0),
                                    follow_redirects=True)
    try:
        for kind in (kinds or KINDS.values()):
            name = zip_name(kind, cycle)
            url = f"{base}{cycle}/{name}"
            outcomes[name] = _download_one(client, url, folder / name, record, progress)
            _write_json(record_path, record)
    finally:
        _write_json(record_path, record)  # also after a failure: the partial file's ETag
        if own_client:
            client.close()
    return outcomes


def _download_one(client, url: str, path: Path, record: dict, progress: LoadProgress) -> str:
    import httpx

    name = path.name
    try:
        head = client.head(url)
    except httpx.HTTPError as exc:
        raise BulkLoadError(f"cannot reach {url} ({exc}); check FEC_BULK_URL and the network, or use --files")
    if head.status_code in (403, 404):
        return "not published"
    if head.status_code >= 400:
        raise BulkLoadError(f"{url} answered {head.status_code}; try again later")
    etag, size = head.headers.get("etag"), int(head.headers.get("content-length") or -1)
    known = record.get(name)
    if path.exists() and known and known.get("etag") == etag and known.get("bytes") == path.stat().st_size \
            and (size < 0 or size == known["bytes"]):
        return "unchanged"
    part = path.with_name(path.name + ".part")
    if part.exists() and (known or {}).get("partial_etag") not in (None, etag):
        part.unlink()  # the file changed on the server since the partial download began
    record[name] = {**(known or {}), "partial_etag": etag}
    digest = hashlib.sha256()
    have = part.stat().st_size if part.exists() else 0
    if have:
        with open(part, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        digest = _fetch(client, url, headers, part, have, size, digest, name, progress)
    except httpx.HTTPError as exc:
        raise BulkLoadError(f"{name}: the download broke off at {part.stat().st_size if part.exists() else 0:,} "
                            f"bytes ({exc}); run again to resume it")
    total = part.stat().st_size
    if size >= 0 and total != size:
        raise BulkLoadError(f"{name}: got {total:,} of {size:,} bytes; run again to resume the download")
    os.replace(part, path)
    record[name] = {"url": url, "bytes": total, "sha256": digest.hexdigest(), "etag": etag,
                    "last_modified": head.headers.get("last-modified"),
                    "downloaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    progress.line(f"downloaded {name}: {total:,} bytes, sha256 {digest.hexdigest()[:16]}...")
    return "downloaded"


def _fetch(client, url, headers, part: Path, have: int, size: int, digest, name: str, progress):
    """Append the rest of the file to `part`; returns the SHA-256 of the whole file (a server that
    ignores the range sends it all again, and the digest starts over)."""
    started, got = time.monotonic(), 0
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 200 and have:  # the server ignored the range: start over
            have, digest = 0, hashlib.sha256()
            mode = "wb"
        elif response.status_code in (200, 206):
            mode = "ab"
        elif response.status_code == 416 and have == size:
            mode = None
        else:
            raise BulkLoadError(f"{url} answered {response.status_code} while downloading; run again to resume")
        if mode:
            with open(part, mode) as handle:
                for block in response.iter_bytes():  # as it arrives: a broken-off download keeps what came
                    handle.write(block)
                    digest.update(block)
                    got += len(block)
                    progress.file(f"download {name}", have + got, max(size, have + got), None,
                                  got / max(time.monotonic() - started, 1e-6))
    return digest


# ------------------------------------------------------------------------------------ the load
def load(data_dir: Path, cycle: int, folder: Path, progress: LoadProgress | None = None, force: bool = False,
         publish: bool = True) -> dict:
    """Parse the bulk files present in folder (resuming a killed load), commit them to raw/ and
    build and publish a snapshot. Returns the summary (also kept in state.json)."""
    from dashboard.pipeline.builder.publish import build_and_publish, build_lock

    progress = progress or LoadProgress()
    data_dir = Path(data_dir).resolve()
    folder = Path(folder)
    if not folder.is_dir():
        raise BulkLoadError(f"{folder} is not a folder; give --files the folder holding the FEC's bulk files")
    sources, missing = find_sources(folder, cycle)
    if not sources:
        raise BulkLoadError(f"no bulk files for {cycle} in {folder} (looked for e.g. {zip_name(KINDS['cn'], cycle)}, "
                            f"cn.txt, {zip_name(KINDS['itcont'], cycle)}, itcont.txt)")
    here = bulk_dir(data_dir, cycle)
    work, staging = here / "work", here / "staging"
    state = read_state(data_dir, cycle)
    identities = {k: s.identity() for k, s in sources.items()}
    run = state.get("load")
    same_files = run is not None and run.get("identities") == identities
    if same_files and run.get("published_at") and not force:
        progress.line(f"these files were loaded and published already (snapshot {run.get('snapshot_id')}); "
                      "--force loads them again")
        return {**summarize(run, missing), "snapshot_id": run.get("snapshot_id")}
    if not same_files or force and run.get("phase") == "committed":
        if run is not None and run.get("phase") != "committed" and not same_files:
            progress.line("the files differ from those of the unfinished earlier load: starting over")
        shutil.rmtree(staging, ignore_errors=True)
        (here / "malformed.txt").unlink(missing_ok=True)
        run = {"started_at": _now(), "identities": identities, "phase": "parsing", "files": {}}
    else:
        progress.line(f"resuming the unfinished load of {cycle} (it stopped while {run['phase']})")
    state["load"] = run
    _write_json(here / "state.json", state)
    progress.line(f"cycle {cycle}: found {', '.join(s.label for s in sources.values())}")
    if missing:
        progress.line(f"not present (the pages show what the rest supports): {', '.join(missing)}")

    started = time.monotonic()
    con = connect(data_dir)
    try:
        if run["phase"] == "parsing":
            for name, source in sources.items():
                unchanged = state["loaded"].get(name, {}).get("identity") == identities[name]
                if unchanged and not force:
                    run["files"][name] = {"skipped": "unchanged since the last load"}
                    progress.line(f"{source.label}: unchanged since the last load, kept (--force reloads it)")
                    continue
                _parse_source(con, source, cycle, run, here, work, staging, progress,
                              lambda: _write_json(here / "state.json", state))
            if "itcont" in run["files"] and not run["files"]["itcont"].get("skipped"):
                parts = sorted((staging / "itcont").glob("*.parquet"))
                filings, dropped = drop_superseded(con, parts)
                run["files"]["itcont"].update(superseded_filings=filings, superseded_rows=dropped)
                if filings:
                    progress.line(f"amendments: {dropped:,} rows of {filings:,} filings replaced by a later "
                                  "amendment dropped (the newest version of a report wins)")
            run["phase"] = "committing"
            _write_json(here / "state.json", state)
        if run["phase"] == "committing":
            with build_lock(data_dir):
                run["reports"] = _commit(con, data_dir / "raw", cycle, run, staging, progress)
            for name in run["files"]:
                if not run["files"][name].get("skipped"):
                    state["loaded"][name] = {"identity": identities[name], "loaded_at": _now(),
                                             **{k: v for k, v in run["files"][name].items() if k != "malformed_samples"}}
            run["phase"] = "committed"
            run["parse_seconds"] = round(run.get("parse_seconds", 0) + time.monotonic() - started, 1)
            _write_json(here / "state.json", state)
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
    finally:
        con.close()
    summary = summarize(run, missing)
    if publish and run.get("published_at") is None and not _store_has_candidates(data_dir / "raw"):
        progress.line("loaded into raw/, but nothing can be published yet: no candidates are known; load the "
                      "cycle's cn file (with ccl and weball for totals)")
        publish = False
    if publish and run.get("published_at") is None:
        manifest = build_and_publish(data_dir, source="bulk", progress=progress.line,
                                     extra_manifest={"bulk": {"cycle": cycle, **summary}})
        run["published_at"] = _now()
        run["snapshot_id"] = manifest["snapshot_id"]
        _write_json(here / "state.json", state)
    return {**summary, "snapshot_id": run.get("snapshot_id")}


def _parse_source(con, source: Source, cycle: int, run: dict, here: Path, work: Path, staging: Path,
                  progress: LoadProgress, save) -> None:
    kind = source.kind
    facts = run["files"].setdefault(kind.name, {"source": source.label, "chunks": 0, "next_offset": 0,
                                                "next_line": 1, "lines": 0, "rows": 0, "malformed": 0,
                                                "malformed_samples": [], "rows_without_date": 0, "done": False})
    if facts.get("done"):
        return
    if facts.get("skipped"):
        facts.clear()
        return _parse_source(con, source, cycle, run, here, work, staging, progress, save)
    total = source.size()
    work.mkdir(parents=True, exist_ok=True)
    out_dir = staging / kind.name
    out_dir.mkdir(parents=True, exist_ok=True)
    report = here / "malformed.txt"
    chunk_bytes = max(1, int(config.get("BULK_CHUNK_MB"))) << 20
    started, rows_at_start = time.monotonic(), facts["rows"]
    with source.open() as stream:
        for offset, data in iter_chunks(stream, chunk_bytes, facts["next_offset"]):
            index = facts["chunks"]
            result = parse_chunk(con, kind, cycle, data, facts["next_line"], work, out_dir / part_name(kind, cycle, index))
            _report_malformed(report, source.label, result["malformed"], facts)
            facts.update(chunks=index + 1, next_offset=offset + len(data), next_line=facts["next_line"] + result["lines"],
                         lines=facts["lines"] + result["lines"], rows=facts["rows"] + result["rows"],
                         malformed=facts["malformed"] + len(result["malformed"]),
                         rows_without_date=facts["rows_without_date"] + result.get("rows_without_date", 0))
            save()
            rate = (facts["rows"] - rows_at_start) / max(time.monotonic() - started, 1e-6)
            progress.file(source.label, facts["next_offset"], total, facts["rows"], rate)
    facts["done"] = True
    facts["seconds"] = round(facts.get("seconds", 0) + time.monotonic() - started, 1)
    save()
    rate = (facts["rows"] - rows_at_start) / max(time.monotonic() - started, 1e-6)
    progress.file(source.label, total, total, facts["rows"], rate, final=True)
    if facts["malformed"]:
        progress.line(f"{source.label}: {facts['malformed']:,} malformed lines not loaded, e.g. "
                      + "; ".join(f"line {n}: {why}" for n, why, _t in facts["malformed_samples"][:3])
                      + f" (all listed in {report})")


def _report_malformed(report: Path, label: str, malformed: list, facts: dict) -> None:
    if not malformed:
        return
    room = MALFORMED_SAMPLES - len(facts["malformed_samples"])
    facts["malformed_samples"] += [[n, why, text[:200]] for n, why, text in malformed[:max(room, 0)]]
    listed = facts.get("malformed_listed", 0)
    keep = malformed[:max(MALFORMED_REPORT_CAP - listed, 0)]
    facts["malformed_listed"] = listed + len(keep)
    with open(report, "a", encoding="utf-8") as handle:
        for n, why, text in keep:
            handle.write(f"{label}\tline {n}\t{why}\t{text[:300]}\n")


def _commit(con, raw: Path, cycle: int, run: dict, staging: Path, progress: LoadProgress) -> dict:
    """Move the staged parts into raw/ replacing the cycle's earlier bulk files of the same kinds,
    and rewrite the cycle's summary reports. Idempotent, so a crash here is repaired by running again."""
    removed = 0
    for path in raw.glob("**/demo*.parquet"):  # demo and real data must not mix
        path.unlink()
        removed += 1
    if removed:
        progress.line(f"removed {removed} demo raw files: demo and FEC data must not mix")
    for name, facts in run["files"].items():
        if facts.get("skipped"):
            continue
        kind = KINDS[name]
        target = raw_folder(raw, kind, cycle)
        target.mkdir(parents=True, exist_ok=True)
        new = {p.name for p in (staging / name).glob("*.parquet")} | set(facts.get("committed_parts", []))
        for old in target.glob(f"bulk-{cycle}-{name}-*.parquet"):
            if old.name not in new:
                old.unlink()
        for part in sorted((staging / name).glob("*.parquet")):
            os.replace(part, target / part.name)
        facts["committed_parts"] = sorted(new)
    counts = write_bulk_reports(con, raw, cycle)
    if counts["without_committee"]:
        progress.line(f"{counts['without_committee']:,} of {counts['summaries']:,} candidate summaries name a "
                      "candidate with no principal or authorized committee in cn/ccl: their totals are not shown "
                      "(load the cycle's cn and ccl files)")
    return counts


def _store_has_candidates(raw: Path) -> bool:
    return any((raw / "candidates").glob("*.parquet"))


def summarize(run: dict, missing: list[str]) -> dict:
    files = {}
    for name, facts in run.get("files", {}).items():
        if facts.get("skipped"):
            files[name] = {"skipped": facts["skipped"]}
            continue
        files[name] = {k: facts.get(k) for k in ("source", "lines", "rows", "malformed", "rows_without_date",
                                                 "superseded_filings", "superseded_rows", "seconds")
                       if facts.get(k) is not None}
    return {"files": files, "missing": missing, "reports": run.get("reports"),
            "parse_seconds": run.get("parse_seconds")}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
