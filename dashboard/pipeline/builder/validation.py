"""Checks a freshly built snapshot must pass before it may be published."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import contract
from dashboard.store import layout


class ValidationError(RuntimeError):
    pass


def extract_row_counts(con: duckdb.DuckDBPyConnection, snapshot: Path, names) -> dict[str, int]:
    """Each named extract can be read and has the contract's columns; returns its row counts."""
    problems = []
    row_counts = {}
    for extract, columns in contract.EXTRACTS.items():
        name = extract.rstrip("/")
        if name not in names:
            continue
        try:
            found = [
                r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {layout.extract_reader(snapshot, name)}").fetchall()
            ]
        except duckdb.Error as exc:
            problems.append(f"{name}: cannot be read ({exc})")
            continue
        if sorted(found) != sorted(columns):
            problems.append(f"{name}: columns {found} differ from the contract {list(columns)}")
        row_counts[name] = con.execute(f"SELECT count(*) FROM {layout.extract_reader(snapshot, name)}").fetchall()[0][0]
    if problems:
        raise ValidationError("; ".join(problems))
    return row_counts


def validate_snapshot(con: duckdb.DuckDBPyConnection, snapshot: Path, skip=()) -> dict:
    """Schema, row counts and money sanity of every extract but those in `skip` (the change
    extracts, written after this check); returns facts for the manifest."""
    row_counts = extract_row_counts(con, snapshot, [n for n in contract.extract_names() if n not in skip])
    problems = []
    for required in ("candidates", "candidate_totals", "agg_district"):
        if row_counts[required] == 0:
            problems.append(f"{required} is empty")

    def one(sql: str):
        return con.execute(sql).fetchall()[0]

    totals = layout.extract_reader(snapshot, "candidate_totals")
    receipts = layout.extract_reader(snapshot, "receipts")
    daily = layout.extract_reader(snapshot, "agg_candidate_daily")
    size = layout.extract_reader(snapshot, "agg_candidate_size")
    bad_totals = one(
        f"SELECT count(*) FROM {totals} WHERE receipts IS NULL OR receipts < 0 "
        "OR disbursements < 0 OR individual_itemized < 0 OR individual_unitemized < 0"
    )[0]
    if bad_totals:
        problems.append(f"{bad_totals} candidate totals have missing or negative money")
    itemized, daily_sum = one(
        f"SELECT (SELECT coalesce(sum(amount), 0) FROM {receipts}), (SELECT coalesce(sum(amount), 0) FROM {daily})"
    )
    if itemized != daily_sum:
        problems.append(f"daily aggregate ({daily_sum}) does not add up to the receipts ({itemized})")
    size_sum, unitemized = one(
        f"SELECT (SELECT coalesce(sum(amount), 0) FROM {size}), "
        f"(SELECT coalesce(sum(individual_unitemized), 0) FROM {totals})"
    )
    if size_sum != itemized + unitemized:
        problems.append(f"size buckets ({size_sum}) differ from itemized + unitemized ({itemized + unitemized})")
    orphans = one(
        f"SELECT count(*) FROM {receipts} r ANTI JOIN {layout.extract_reader(snapshot, 'candidates')} c "
        "USING (candidate_id, cycle)"
    )[0]
    if orphans:
        problems.append(f"{orphans} receipts belong to no known candidate")
    if problems:
        raise ValidationError("; ".join(problems))
    cycles = [r[0] for r in con.execute(f"SELECT DISTINCT cycle FROM {totals} ORDER BY 1").fetchall()]
    coverage = {
        str(c): str(d)
        for c, d in con.execute(
            f"SELECT cycle, max(coverage_end) FROM {totals} GROUP BY cycle ORDER BY cycle"
        ).fetchall()
    }
    return {"row_counts": row_counts, "cycles": cycles, "coverage_end": coverage}
