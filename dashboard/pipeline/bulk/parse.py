"""Parsing a bulk file into Parquet parts in the raw contract's shape, a chunk at a time, with every
line either loaded or reported as malformed (with its line number, in `bulk/<cycle>/malformed.txt`).

A chunk goes through DuckDB's CSV reader (pipe-delimited, no header, no quoting, UTF-8). Values that
must be numbers are typed by the reader itself, so a line with a wrong field count or a non-number
there is a reject with its line number; blank lines and lines missing a required value are found by
a plain scan, only when the counts say some exist.

Before the reader sees a chunk, two quirks of real files are repaired line by line (only in chunks
that have them, so a clean chunk costs one check):
- Encoding: real files are UTF-8, but a line may not be (older filings in Windows-1252 or Latin-1).
  Such a line is decoded as Windows-1252, else Latin-1 (which never fails), re-encoded as UTF-8,
  loaded, and listed in malformed.txt with its line number and the encoding used. One odd line
  never fails the file (DuckDB's own reader aborts the whole file, naming no line).
- A transaction line with a blank SUB_ID gets a made-up id, `made_up_sub_id`: negative, so it is
  flagged by its sign (real SUB_IDs are positive) and never collides with one; deterministic (a
  hash of the file's kind and cycle, the line number and the line), so loading the same file again
  gives the same ids, and identical lines at different positions get different ones.

A file with a header (independent_expenditure_<cycle>.csv: comma-separated, double-quoted fields that
may hold commas, quotes and line ends) is read by its header's column names. Python's csv module splits
each chunk into records first (a blank line, or a record with a wrong field count, is listed with its
line number), and writes them back with two more fields: the record's first line number and its
made-up id (the file has no SUB_ID: every record gets one, from its line number and content). DuckDB's
CSV reader then types them as for the other files (a non-number amount or file number is a reject, listed).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import time
from pathlib import Path

import duckdb

from dashboard.core import config, contract
from dashboard.core.sql import quote_literal
from dashboard.pipeline.bulk.formats import IE_HEADER_ALIASES, LINE_COLUMN, READ_TYPES, BulkLoadError, Kind, part_name
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.pipeline.bulk.sources import Source, iter_chunks

MALFORMED_SAMPLES = 20  # kept per file in state.json and printed
MALFORMED_REPORT_CAP = 100_000  # lines listed per file in malformed.txt (all are counted)


def parse_source(
    con, source: Source, cycle: int, run: dict, here: Path, work: Path, staging: Path, progress: LoadProgress, save
) -> None:
    """Parse one file into Parquet parts under staging/<kind>/, chunk by chunk from where the load's
    record of it (`run["files"][kind]`) says it stopped; `save()` persists that record after every
    chunk, so a killed load carries on from the last chunk done."""
    kind = source.kind
    facts = run["files"].setdefault(
        kind.name,
        {
            "source": source.label,
            "chunks": 0,
            "next_offset": 0,
            "next_line": 1,
            "lines": 0,
            "rows": 0,
            "malformed": 0,
            "malformed_samples": [],
            "rows_without_date": 0,
            "done": False,
        },
    )
    if facts.get("done"):
        return
    if facts.get("skipped"):
        facts.clear()
        return parse_source(con, source, cycle, run, here, work, staging, progress, save)
    total = source.size()
    work.mkdir(parents=True, exist_ok=True)
    out_dir = staging / kind.name
    out_dir.mkdir(parents=True, exist_ok=True)
    report = here / "malformed.txt"
    chunk_bytes = max(1, int(config.get("BULK_CHUNK_MB"))) << 20
    started, rows_at_start = time.monotonic(), facts["rows"]
    header = None
    if kind.csv_header:  # the columns are the header's; the first chunk starts after it
        with source.open() as stream:
            first = stream.readline()
        header = header_columns(kind, first, source.label)
        if facts["next_offset"] == 0:
            facts.update(next_offset=len(first), next_line=2, lines=1)
    with source.open() as stream:
        for offset, data in iter_chunks(stream, chunk_bytes, facts["next_offset"], quoted=kind.csv_header):
            index = facts["chunks"]
            result = parse_chunk(
                con, kind, cycle, data, facts["next_line"], work, out_dir / part_name(kind, cycle, index), header
            )
            # Re-encoded lines are loaded and listed beside the malformed ones (their reason says so).
            _report_malformed(report, source.label, result["malformed"], facts)
            _report_malformed(report, source.label, result["recoded"], facts, sample=False)
            facts.update(
                chunks=index + 1,
                next_offset=offset + len(data),
                next_line=facts["next_line"] + result["lines"],
                lines=facts["lines"] + result["lines"],
                rows=facts["rows"] + result["rows"],
                malformed=facts["malformed"] + len(result["malformed"]),
                recoded=facts.get("recoded", 0) + len(result["recoded"]),
                rows_with_made_up_id=facts.get("rows_with_made_up_id", 0) + result["rows_with_made_up_id"],
                rows_without_date=facts["rows_without_date"] + result.get("rows_without_date", 0),
            )
            save()
            rate = (facts["rows"] - rows_at_start) / max(time.monotonic() - started, 1e-6)
            progress.file(source.label, facts["next_offset"], total, facts["rows"], rate)
    facts["done"] = True
    facts["seconds"] = round(facts.get("seconds", 0) + time.monotonic() - started, 1)
    save()
    rate = (facts["rows"] - rows_at_start) / max(time.monotonic() - started, 1e-6)
    progress.file(source.label, total, total, facts["rows"], rate, final=True)
    if facts.get("recoded"):
        progress.line(
            f"{source.label}: {facts['recoded']:,} lines were not UTF-8; read as Windows-1252 or Latin-1, "
            f"loaded and listed in {report}"
        )
    if facts.get("rows_with_made_up_id"):
        progress.line(
            f"{source.label}: {facts['rows_with_made_up_id']:,} rows had no SUB_ID; each got a made-up "
            "negative id (from the line and its number)"
        )
    if facts["malformed"]:
        progress.line(
            f"{source.label}: {facts['malformed']:,} malformed lines not loaded, e.g. "
            + "; ".join(f"line {n}: {why}" for n, why, _t in facts["malformed_samples"][:3])
            + f" (all listed in {report})"
        )


def _report_malformed(report: Path, label: str, malformed: list, facts: dict, sample: bool = True) -> None:
    if not malformed:
        return
    room = MALFORMED_SAMPLES - len(facts["malformed_samples"]) if sample else 0
    facts["malformed_samples"] += [[n, why, text[:200]] for n, why, text in malformed[: max(room, 0)]]
    listed = facts.get("malformed_listed", 0)
    keep = malformed[: max(MALFORMED_REPORT_CAP - listed, 0)]
    facts["malformed_listed"] = listed + len(keep)
    with open(report, "a", encoding="utf-8") as handle:
        for n, why, text in keep:
            handle.write(f"{label}\tline {n}\t{why}\t{text[:300]}\n")


def _reader_sql(kind: Kind, path: str) -> str:
    columns = ", ".join(f"'{c}': '{READ_TYPES.get(c, 'VARCHAR')}'" for c in kind.columns)
    return (
        f"read_csv({quote_literal(path)}, delim = '|', header = false, quote = '', escape = '', encoding = 'utf-8', "
        f"auto_detect = false, strict_mode = true, ignore_errors = true, store_rejects = true, "
        f"columns = {{{columns}}})"
    )


def parse_chunk(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    cycle: int,
    data: bytes,
    first_line: int,
    work: Path,
    out: Path,
    header: tuple[str, ...] | None = None,
) -> dict:
    """One chunk -> one Parquet part at `out`; returns its counts, its malformed lines and the lines
    read in another encoding than UTF-8 (`recoded`). `header`: the columns of a file with a header
    (header_columns), in the file's order."""
    if kind.csv_header:
        return _parse_csv_chunk(con, kind, cycle, data, first_line, work, out, header or kind.columns)
    data, recoded, made_up = repair_lines(kind, cycle, data, first_line)
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
    con.execute(
        f"COPY (SELECT {select} FROM chunk WHERE {required}) TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)"
    )
    rows, incomplete = con.execute(
        f"SELECT count(*) FILTER (WHERE {required}), count(*) FILTER (WHERE NOT ({required})) FROM chunk"
    ).fetchall()[0]
    # One record per line (the reader notes a short line once per missing field).
    rejects = con.execute(
        "SELECT line, arg_min(error_type, column_idx), arg_min(column_name, column_idx), "
        "any_value(csv_line) FROM reject_errors GROUP BY line ORDER BY line"
    ).fetchall()
    con.execute("DROP TABLE chunk")
    malformed = [
        (first_line + int(line) - 1, _reject_reason(kind, error, column), text) for line, error, column, text in rejects
    ]
    blank = lines - rows - incomplete - len(rejects)
    if incomplete or blank:
        malformed += _find_incomplete_and_blank(kind, data, first_line, {m[0] for m in malformed})
    extra = {}
    if kind.name in ("itcont", "itpas2"):  # transaction files: a blank or impossible date is kept, as NULL, and counted
        date_col = "date" if kind.table == "schedule_a" else "transaction_dt"
        extra["rows_without_date"] = con.execute(
            f"SELECT count(*) FILTER (WHERE {date_col} IS NULL) FROM read_parquet({quote_literal(tmp)})"
        ).fetchall()[0][0]
    os.replace(tmp, out)
    text_path.unlink(missing_ok=True)
    malformed.sort()
    return {
        "lines": lines,
        "rows": rows,
        "malformed": malformed,
        "recoded": recoded,
        "rows_with_made_up_id": made_up,
        **extra,
    }


FALLBACK_ENCODINGS = (("cp1252", "Windows-1252"), ("latin-1", "Latin-1"))  # Latin-1 decodes any byte
NON_ASCII = re.compile(rb"[\x80-\xff]")
ENDS_BLANK = re.compile(rb"\|\r?(?:\n|\Z)")  # a line whose last field is empty


def repair_lines(kind: Kind, cycle: int, data: bytes, first_line: int) -> tuple[bytes, list, int]:
    """The chunk as UTF-8 with every transaction line holding a SUB_ID: (data, lines re-encoded as
    (line number, reason, text), count of made-up ids). Only the lines concerned are looked at (found
    by regular expressions, in C), so a clean chunk is not copied and memory stays near the chunk's size."""
    recoded, edits = [], []
    for number, start, end in () if data.isascii() else _line_spans(data, NON_ASCII, first_line):
        raw = data[start:end]
        if _is_utf8(raw):
            continue
        for codec, label in FALLBACK_ENCODINGS:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            edits.append((start, end, text.encode("utf-8")))
            recoded.append((number, f"not UTF-8: read as {label} (loaded)", text))
            break
    data = _splice(data, edits)
    edits = []
    blank_last = b"|\n" in data or b"|\r\n" in data or data.endswith(b"|")
    if kind.columns[-1] == "SUB_ID" and blank_last:  # transaction files: SUB_ID is the last field
        for number, start, end in _line_spans(data, ENDS_BLANK, first_line):
            raw = data[start:end]
            body = raw.rstrip(b"\r")
            if body.count(b"|") == len(kind.columns) - 1:  # a wrong field count stays a reject
                made_up = str(made_up_sub_id(kind, cycle, number, body)).encode()
                edits.append((start, end, body + made_up + raw[len(body) :]))
    return _splice(data, edits), recoded, len(edits)


def _line_spans(data: bytes, pattern: re.Pattern, first_line: int):
    """(line number, start, end) of each line (line end excluded) in which pattern matches, once per
    line; line ends are counted from the previous match on, never from the start again."""
    pos, number = 0, first_line
    while (match := pattern.search(data, pos)) is not None:
        start = data.rfind(b"\n", pos, match.start()) + 1 or pos
        number += data.count(b"\n", pos, start)
        end = data.find(b"\n", match.start())
        end = len(data) if end < 0 else end
        yield number, start, end
        pos, number = end + 1, number + 1
        if pos > len(data):
            return


def _splice(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    if not edits:
        return data
    pieces, pos = [], 0
    for start, end, new in edits:
        pieces += [data[pos:start], new]
        pos = end
    pieces.append(data[pos:])
    return b"".join(pieces)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def made_up_sub_id(kind: Kind, cycle: int, line_number: int, line: bytes) -> int:
    """A deterministic id for a transaction line without a SUB_ID: negative (flagged by its sign;
    real SUB_IDs are positive) and from the file's kind and cycle, the line number and the line."""
    digest = hashlib.blake2b(f"{kind.name}{cycle}:{line_number}:".encode() + line, digest_size=8).digest()
    return -(int.from_bytes(digest, "big") % (2**63 - 1)) - 1


def _reject_reason(kind: Kind, error: str, column: str | None) -> str:
    return {
        "MISSING COLUMNS": f"too few fields (expected {len(kind.columns)})",
        "TOO MANY COLUMNS": f"too many fields (expected {len(kind.columns)})",
        "CAST": f"{column} is not a number",
    }.get(error, error.lower())


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
            found.append((number, f"missing {', '.join(names)}", raw.decode("utf-8", errors="replace")))
    return found


def header_columns(kind: Kind, first_line: bytes, label: str) -> tuple[str, ...]:
    """The columns of a file with a header, in its order, by the kind's names (upper case, aliases
    resolved); a column the kind does not know is read and ignored. Without a required column the
    file cannot be loaded: BulkLoadError says which."""
    text = first_line.decode("utf-8-sig", errors="replace").strip("\r\n")
    names = next(csv.reader([text]), [])
    columns = []
    for i, name in enumerate(names):
        column = re.sub(r"[^A-Z0-9_]", "_", name.strip().upper()) or f"COLUMN_{i + 1}"
        column = IE_HEADER_ALIASES.get(column, column)
        reserved = (*columns, LINE_COLUMN, "SUB_ID")  # the names the loader adds
        columns.append(column if column not in reserved else f"{column}_{i + 1}")
    absent = [c for c in kind.required if c not in columns]
    if absent:
        raise BulkLoadError(
            f"{label}: its first line should be the header ({', '.join(c.lower() for c in kind.columns)}); "
            f"it has no {', '.join(c.lower() for c in absent)}: {text[:200]!r}"
        )
    return tuple(columns)


def _parse_csv_chunk(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    cycle: int,
    data: bytes,
    first_line: int,
    work: Path,
    out: Path,
    header: tuple[str, ...],
) -> dict:
    """A chunk of a file with a header -> one Parquet part (see the module's docstring)."""
    data, recoded, _ = repair_lines(kind, cycle, data, first_line)
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    text_path = work / f"chunk-{kind.name}.csv"
    with open(text_path, "w", encoding="utf-8", newline="") as handle:
        malformed = _csv_records(kind, cycle, data.decode("utf-8"), first_line, len(header), handle)
    columns = (*header, LINE_COLUMN, "SUB_ID")
    types = ", ".join(f"'{c}': '{READ_TYPES.get(c, 'VARCHAR')}'" for c in columns)
    reader = (
        f"read_csv({quote_literal(str(text_path))}, delim = ',', quote = '\"', escape = '\"', header = false, "
        "encoding = 'utf-8', auto_detect = false, strict_mode = true, ignore_errors = true, store_rejects = true, "
        f"columns = {{{types}}})"
    )
    absent = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in kind.columns if c not in header)
    for table in ("reject_errors", "reject_scans"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE chunk AS SELECT *{', ' + absent if absent else ''} FROM {reader}")
    # A value of only spaces is as missing as an empty one.
    present = {c: f"nullif(trim(CAST({c} AS VARCHAR)), '') IS NOT NULL" for c in kind.required}
    required = " AND ".join(present.values())
    select = kind.select.replace("{cycle}", str(int(cycle)))
    shape = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW[kind.table].items())
    tmp = out.with_name(f".{out.name}.tmp")
    con.execute(
        f"COPY (SELECT {shape} FROM (SELECT {select} FROM chunk WHERE {required})) TO {quote_literal(tmp)} "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    rows = con.execute(f"SELECT count(*) FROM chunk WHERE {required}").fetchall()[0][0]
    # A line missing a required value: listed with what it lacks.
    missing = " || ".join(f"CASE WHEN NOT ({test}) THEN ', {c}' ELSE '' END" for c, test in present.items())
    fields = ", ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '')" for c in header)
    for number, lacks, text in con.execute(
        f"SELECT {LINE_COLUMN}, {missing}, concat_ws(',', {fields}) FROM chunk WHERE NOT ({required})"
    ).fetchall():
        malformed.append((int(number), f"missing {lacks.lstrip(', ')}", text))
    # Typing rejects, by the line number the record carries (its second-to-last field).
    for error, column, text in con.execute(
        "SELECT arg_min(error_type, column_idx), arg_min(column_name, column_idx), any_value(csv_line) "
        "FROM reject_errors GROUP BY line ORDER BY line"
    ).fetchall():
        fields_read = next(csv.reader([text]), [])
        number = int(fields_read[-2]) if len(fields_read) >= 2 and fields_read[-2].isdigit() else first_line
        original = ",".join(fields_read[:-2])
        malformed.append((number, _reject_reason(kind, error, column), original))
    without_date = con.execute(
        f"SELECT count(*) FILTER (WHERE expenditure_date IS NULL AND dissemination_date IS NULL) "
        f"FROM read_parquet({quote_literal(tmp)})"
    ).fetchall()[0][0]
    con.execute("DROP TABLE chunk")
    os.replace(tmp, out)
    text_path.unlink(missing_ok=True)
    malformed.sort()
    return {
        "lines": lines,
        "rows": rows,
        "malformed": malformed,
        "recoded": recoded,
        "rows_with_made_up_id": 0,  # every record has one: the file has no SUB_ID at all
        "rows_without_date": without_date,
    }


def _csv_records(kind: Kind, cycle: int, text: str, first_line: int, width: int, out) -> list:
    """Writes the chunk's records to `out` (a text file), each with its first line's number and its
    made-up id appended; returns the malformed ones (blank lines, wrong field counts, csv errors) as
    (line number, reason, text)."""
    malformed = []
    writer = csv.writer(out, lineterminator="\n")
    source = io.StringIO(text, newline="")
    # skipinitialspace: a quoted field after a stray space ( "SMITH, JANE") is still one field.
    reader = csv.reader(source, strict=False, skipinitialspace=True)
    done = 0  # physical lines consumed so far
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a NUL byte: the line is listed, the rest is read on
            malformed.append((first_line + done, f"unreadable CSV ({exc})", ""))
            done = reader.line_num
            continue
        number, done = first_line + done, reader.line_num
        if not fields or fields == [""] and width > 1:
            malformed.append((number, "blank line", ""))
        elif len(fields) != width:
            span = (
                f" (lines {number}-{first_line + done - 1}: an unclosed quote?)"
                if done > number - first_line + 1
                else ""
            )
            reason = "too few" if len(fields) < width else "too many"
            malformed.append((number, f"{reason} fields (expected {width}){span}", ",".join(fields)))
        else:
            made_up = made_up_sub_id(kind, cycle, number, "\x1f".join(fields).encode("utf-8"))
            writer.writerow([*fields, number, made_up])
    return malformed
