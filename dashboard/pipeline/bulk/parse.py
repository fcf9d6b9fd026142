"""Parsing a bulk file into Parquet parts in the raw contract's shape, a chunk at a time, with every
line either loaded or reported as malformed (with its line number, in `bulk/<cycle>/malformed.txt`).

A chunk goes through DuckDB's CSV reader (pipe-delimited, no header, no quoting, Latin-1). Values that
must be numbers are typed by the reader itself, so a line with a wrong field count or a non-number
there is a reject with its line number; blank lines and lines missing a required value are found by
a plain scan, only when the counts say some exist.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from dashboard.core import config
from dashboard.core.sql import quote_literal
from dashboard.pipeline.bulk.formats import READ_TYPES, Kind, part_name
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
    with source.open() as stream:
        for offset, data in iter_chunks(stream, chunk_bytes, facts["next_offset"]):
            index = facts["chunks"]
            result = parse_chunk(
                con, kind, cycle, data, facts["next_line"], work, out_dir / part_name(kind, cycle, index)
            )
            _report_malformed(report, source.label, result["malformed"], facts)
            facts.update(
                chunks=index + 1,
                next_offset=offset + len(data),
                next_line=facts["next_line"] + result["lines"],
                lines=facts["lines"] + result["lines"],
                rows=facts["rows"] + result["rows"],
                malformed=facts["malformed"] + len(result["malformed"]),
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
    if facts["malformed"]:
        progress.line(
            f"{source.label}: {facts['malformed']:,} malformed lines not loaded, e.g. "
            + "; ".join(f"line {n}: {why}" for n, why, _t in facts["malformed_samples"][:3])
            + f" (all listed in {report})"
        )


def _report_malformed(report: Path, label: str, malformed: list, facts: dict) -> None:
    if not malformed:
        return
    room = MALFORMED_SAMPLES - len(facts["malformed_samples"])
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
        f"read_csv({quote_literal(path)}, delim = '|', header = false, quote = '', escape = '', encoding = 'latin-1', "
        f"auto_detect = false, strict_mode = true, ignore_errors = true, store_rejects = true, "
        f"columns = {{{columns}}})"
    )


def parse_chunk(
    con: duckdb.DuckDBPyConnection, kind: Kind, cycle: int, data: bytes, first_line: int, work: Path, out: Path
) -> dict:
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
    return {"lines": lines, "rows": rows, "malformed": malformed, **extra}


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
            found.append((number, f"missing {', '.join(names)}", raw.decode("latin-1")))
    return found
