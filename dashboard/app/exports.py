"""Downloads of exactly what the receipts explorer shows, streamed from DuckDB to the response.

The rows come from DuckDB as Arrow record batches (dashboard.app.db.stream) and each batch is
written out as CSV text or as a Parquet row group and handed to the response before the next
one is read, so a worker holds one batch, never the whole export. The row count is checked
against EXPORT_ROW_CAP before anything is sent, so a refusal is a clear message, not a file cut
off halfway.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from dashboard.app import db
from dashboard.app.queries import receipts, snapshot
from dashboard.core import config, params

# One sentence, shown next to every download of contributor data and stored in Parquet files.
FEC_NOTICE = (
    "Federal law (52 U.S.C. 30111(a)(4)) forbids selling the names and addresses of individual "
    "contributors in FEC records or using them to solicit contributions or for any commercial purpose."
)

# A double holds 15 significant digits. Written with 15 (not the 17 of repr), a figure summed in
# floats loses its noise (0.1 + 0.2 is 0.3, not 0.30000000000000004) and every money figure under
# $10 trillion keeps its exact cents.
FLOAT_FORMAT = "%.15g"

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
BATCH_ROWS = 10_000  # rows a download holds as Arrow and CSV at a time, besides DuckDB's sorted rows (50,000: +25 MB)


class ExportTooLarge(ValueError):
    """The view holds more rows than EXPORT_ROW_CAP allows in one file."""


@dataclass
class Export:
    filename: str
    media_type: str
    rows: int
    chunks: Iterator[bytes]


def export_format(value) -> str:
    return params.choice(value, "format", MEDIA_TYPES, "csv")


def filename(filters: receipts.ReceiptFilters, sort: str, fmt: str, coverage_end: str | None) -> str:
    """'receipts-2024-candidate_id-H4WA01001-state-CA-sort-amount-through-2024-12-31.csv': the
    filters (cycle first) and the date the data runs through, in characters safe everywhere."""
    query = filters.to_query()
    parts = ["receipts", query.pop("cycle")]
    for name in receipts.FILTER_NAMES:
        if name in query:
            parts += [name, query[name]]
    if sort != receipts.DEFAULT_SORT:
        parts += ["sort", sort.replace("-", "desc-")]
    parts += ["through", coverage_end or "unknown"]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(parts)).strip("_")[:180]
    return f"{stem}.{fmt}"


# Names, employers and memos are free text filed with the FEC: a cell starting with one of these is read
# as a formula by spreadsheets (=HYPERLINK(...), =WEBSERVICE(...)). Such a text is written after an
# apostrophe, which spreadsheets take as "text follows" (OWASP's advice on CSV injection); numbers are
# written as numbers, so a negative amount stays one.
FORMULA_STARTS = "=+-@\t\r"
_FORMULA_PATTERN = "^[" + re.escape(FORMULA_STARTS) + "]"


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula made plain text."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [
                "'" + value if isinstance(value, str) and value and value[0] in FORMULA_STARTS else value
                for value in safe[column]
            ]
    return safe


def csv_safe_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """csv_safe_frame for an Arrow batch (the streamed exports)."""
    columns = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            risky = pc.match_substring_regex(column, _FORMULA_PATTERN)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def csv_chunks(batches: Iterator[pa.RecordBatch]) -> Iterator[bytes]:
    """CSV bytes, one chunk per batch, the header once; text that would run as a formula made plain."""
    header = True
    for batch in batches:
        buffer = io.BytesIO()
        pa_csv.write_csv(csv_safe_batch(batch), buffer, pa_csv.WriteOptions(include_header=header))
        header = False
        yield buffer.getvalue()


class _Drain(io.RawIOBase):
    """A write-only file whose bytes are taken away after every row group."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self._parts.append(data)
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        taken, self._parts = b"".join(self._parts), []
        return taken


def parquet_chunks(batches: Iterator[pa.RecordBatch], metadata: dict[str, str]) -> Iterator[bytes]:
    """A Parquet file, one row group per batch, sent as each row group is written."""
    sink = _Drain()
    writer = None
    for batch in batches:
        if writer is None:
            schema = batch.schema.with_metadata({**(batch.schema.metadata or {}), **metadata})
            writer = pq.ParquetWriter(sink, schema, compression="zstd")
        writer.write_batch(batch)
        yield sink.take()
    writer.close()
    yield sink.take()


def receipts_export(filters: receipts.ReceiptFilters, sort: str, fmt: str) -> Export:
    """The explorer's view as a file. ExportTooLarge when it has more than EXPORT_ROW_CAP rows;
    db.QueryTimeoutError when even counting it takes too long."""
    cap = config.get("EXPORT_ROW_CAP")
    rows = int(receipts.receipts_summary(filters)["n"].iloc[0])
    if rows > cap:
        raise ExportTooLarge(
            f"This view has {rows:,} contributions; one export holds at most {cap:,}. Narrow it (a "
            "candidate, a shorter date range, a state...) or download it in parts, e.g. one date range at a time."
        )
    manifest = db.manifest()
    through = (manifest.get("coverage_end") or {}).get(str(filters.cycle)) or snapshot.latest_coverage_end(manifest)
    batches = receipts.receipts_batches(filters, sort, BATCH_ROWS)
    if fmt == "parquet":
        metadata = {
            "notice": FEC_NOTICE,
            "snapshot_id": str(manifest.get("snapshot_id")),
            "source": str(manifest.get("source")),
            "data_through": str(through),
            "filters": "&".join(f"{k}={v}" for k, v in filters.to_query().items()),
            "sort": sort,
        }
        chunks = parquet_chunks(batches, metadata)
    else:
        chunks = csv_chunks(batches)
    return Export(filename(filters, sort, fmt, through), MEDIA_TYPES[fmt], rows, _ClosingChunks(chunks, batches))


class _ClosingChunks:
    """A file's chunks that end the query as soon as they are closed: gunicorn closes the response when the
    client stops reading, and the batches' cursor is closed then rather than whenever the garbage is
    collected (closing a generator does not close the iterator it was reading)."""

    def __init__(self, chunks: Iterator[bytes], batches) -> None:
        self._chunks, self._batches = chunks, batches

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        return next(self._chunks)

    def close(self) -> None:
        self._chunks.close()
        self._batches.close()


def json_value(value):
    """A JSON-ready value: dates as YYYY-MM-DD, missing as null, numpy and Decimal as numbers
    (15 significant digits: 1234.5 stays 1234.5, never 1234.4999999999998), integers too big for
    JavaScript as text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        # JavaScript reads numbers as doubles: an id like sub_id beyond 2**53 travels as text.
        return int(value) if abs(int(value)) <= 2**53 else str(int(value))
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else float(FLOAT_FORMAT % number)
    return value


def json_records(frame: pd.DataFrame) -> list[dict]:
    """Rows of a frame as JSON-ready dicts (the API's `data`, the explorer grid's rows)."""
    return [{k: json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
