"""Hand-made raw tables for builder tests: rows written as the sources write them (contract schemas)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.core import contract


def write_raw(raw: Path, table: str, rows: list[dict]) -> None:
    """raw/<table>/test.parquet; itemized receipts under cycle=<year> (of their first row) as the
    sources partition them. Columns a row leaves out are NULL."""
    folder = raw / table / f"cycle={rows[0]['cycle']}" if table == "schedule_a" else raw / table
    schema = contract.raw_arrow_schema(table, drop=("cycle",) if table == "schedule_a" else ())
    full = [{column: row.get(column) for column in schema.names} for row in rows]
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(full, schema=schema), folder / "test.parquet")


def money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
