"""What changed between the previous published snapshot and the one being built.

Staff open the trends page each morning to see what the last refresh brought. Before the new
snapshot replaces `current`, this step compares its extracts with those of the snapshot
`current` still points to, and writes the differences into the new snapshot as two small
extracts (columns in `contract.EXTRACTS`):

- `changes_candidates`: one row per candidate and cycle whose money changed: summary-total
  receipts before and after, itemized individual money before and after, and the itemized
  receipts that arrived (a receipt the previous snapshot did not count) or dropped out (one it
  counted that is gone, e.g. replaced by an amended filing). A receipt is the same in both
  snapshots when its identity matches: the FEC's row id (sub_id) and what that row says, the filer,
  the cycle, the date and the amount. A sub_id alone is not enough: a source that numbers its
  rows afresh (the local fake API's data after the demo's, a reprocessed row) reuses ids for
  other gifts, and an anti-join on the id alone then reported nothing arrived.
- `changes_reports`: report periods that are new, or whose figures were revised by an
  amendment, with the figures before and after.
- `changes_notices`: 24/48-hour notices of independent expenditures (not yet in a regular report)
  that the previous snapshot did not have.

The first snapshot, and one whose predecessor came from another source (demo data against API
data would be nonsense) or cannot be read, gets the same extracts with no rows; the manifest's
`changes` section says why.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import contract
from dashboard.core.sql import quote_literal
from dashboard.pipeline.builder.validation import extract_row_counts
from dashboard.store import layout, snapshots

# What makes two rows of `receipts` the same receipt (see the module's docstring). Undated rows exist,
# so the comparison treats two NULLs as equal.
RECEIPT_IDENTITY = ("sub_id", "committee_id", "cycle", "date", "amount")
_SAME_RECEIPT = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in RECEIPT_IDENTITY)

# candidate_totals and candidate_periods are small; receipts is read for its identity and candidate
# only (an anti-join both ways finds what arrived and what dropped out).
_CANDIDATES_SQL = """
WITH totals AS (
    SELECT coalesce(n.candidate_id, p.candidate_id) AS candidate_id, coalesce(n.cycle, p.cycle) AS cycle,
           p.receipts AS previous_receipts, n.receipts, p.coverage_end AS previous_coverage_end, n.coverage_end
    FROM {new_totals} n FULL JOIN {old_totals} p USING (candidate_id, cycle)
), itemized AS (
    SELECT coalesce(n.candidate_id, p.candidate_id) AS candidate_id, coalesce(n.cycle, p.cycle) AS cycle,
           p.amount AS previous_itemized, n.amount AS itemized
    FROM (SELECT candidate_id, cycle, sum(amount) AS amount FROM {new_daily} GROUP BY ALL) n
    FULL JOIN (SELECT candidate_id, cycle, sum(amount) AS amount FROM {old_daily} GROUP BY ALL) p
    USING (candidate_id, cycle)
), arrived AS (
    SELECT n.candidate_id, n.cycle, count(*) AS arrived_n, sum(n.amount) AS arrived_amount
    FROM (SELECT {receipt_identity}, candidate_id FROM {new_receipts}) n
    ANTI JOIN (SELECT {receipt_identity} FROM {old_receipts}) o ON {same_receipt}
    GROUP BY ALL
), dropped AS (
    SELECT o.candidate_id, o.cycle, count(*) AS dropped_n, sum(o.amount) AS dropped_amount
    FROM (SELECT {receipt_identity}, candidate_id FROM {old_receipts}) o
    ANTI JOIN (SELECT {receipt_identity} FROM {new_receipts}) n ON {same_receipt}
    GROUP BY ALL
)
SELECT candidate_id, cycle, t.previous_receipts, t.receipts,
       coalesce(t.receipts, 0) - coalesce(t.previous_receipts, 0) AS receipts_change,
       coalesce(i.previous_itemized, 0) AS previous_itemized, coalesce(i.itemized, 0) AS itemized,
       coalesce(i.itemized, 0) - coalesce(i.previous_itemized, 0) AS itemized_change,
       coalesce(a.arrived_n, 0) AS arrived_n, coalesce(a.arrived_amount, 0) AS arrived_amount,
       coalesce(d.dropped_n, 0) AS dropped_n, coalesce(d.dropped_amount, 0) AS dropped_amount,
       t.previous_coverage_end, t.coverage_end, CAST($previous_id AS VARCHAR) AS previous_snapshot_id
FROM totals t
FULL JOIN itemized i USING (candidate_id, cycle)
FULL JOIN arrived a USING (candidate_id, cycle)
FULL JOIN dropped d USING (candidate_id, cycle)
WHERE t.receipts IS DISTINCT FROM t.previous_receipts
   OR i.itemized IS DISTINCT FROM i.previous_itemized
   OR a.arrived_n > 0 OR d.dropped_n > 0
ORDER BY cycle, candidate_id
"""

_REPORTS_SQL = """
SELECT n.candidate_id, n.cycle, n.report_year, n.report_type, n.coverage_start, n.coverage_end,
       CASE WHEN p.candidate_id IS NULL THEN 'new' ELSE 'revised' END AS change,
       p.receipts AS previous_receipts, n.receipts, n.disbursements, n.cash_on_hand_end,
       CAST($previous_id AS VARCHAR) AS previous_snapshot_id
FROM {new_periods} n
LEFT JOIN {old_periods} p USING (candidate_id, cycle, report_year, report_type)
WHERE p.candidate_id IS NULL
   OR (n.receipts, n.disbursements, n.cash_on_hand_end, n.coverage_start, n.coverage_end)
      IS DISTINCT FROM (p.receipts, p.disbursements, p.cash_on_hand_end, p.coverage_start, p.coverage_end)
ORDER BY n.cycle, n.candidate_id, n.coverage_end, n.report_type
"""


_NOTICES_SQL = """
SELECT n.cycle, n.date, n.filed_date, n.candidate_id, n.support_oppose, n.amount, n.committee_id, n.spender_name,
       n.spender_type, n.sub_id, CAST($previous_id AS VARCHAR) AS previous_snapshot_id
FROM {new_outside} n
WHERE n.from_notice AND n.sub_id NOT IN (SELECT sub_id FROM {old_outside})
ORDER BY n.cycle, n.amount DESC, n.sub_id
"""


def _sources(snapshot: Path) -> dict[str, str]:
    """Table functions over the extracts this step compares."""
    return {
        "totals": layout.extract_reader(snapshot, "candidate_totals"),
        "daily": layout.extract_reader(snapshot, "agg_candidate_daily"),
        "periods": layout.extract_reader(snapshot, "candidate_periods"),
        "receipts": layout.extract_reader(snapshot, "receipts"),
        "outside": layout.extract_reader(snapshot, "outside_expenditures"),
    }


def comparable_previous(previous: Path | None, source: str) -> tuple[dict | None, str | None]:
    """The previous snapshot's manifest if it can be compared with a new `source` snapshot, else
    (None, why not)."""
    if previous is None:
        return None, "no earlier snapshot"
    try:
        manifest = snapshots.read_manifest(previous)
    except (OSError, ValueError) as exc:
        return None, f"the earlier snapshot {previous.name} has no readable manifest ({exc})"
    if manifest.get("source") != source:
        return None, (
            f"the earlier snapshot {manifest.get('snapshot_id', previous.name)} came from "
            f"{manifest.get('source', 'an unknown source')}, this one from {source}"
        )
    return manifest, None


def record_changes(
    con: duckdb.DuckDBPyConnection, previous: Path | None, new: Path, source: str, progress=None
) -> tuple[dict, dict[str, int]]:
    """Write the change extracts into `new`; returns (the manifest's `changes` section, their
    row counts). `previous` is the snapshot being replaced (None for the first one)."""
    progress = progress or (lambda msg: None)
    manifest, reason = comparable_previous(previous, source)
    new_sources = _sources(new)
    old_sources = _sources(previous) if manifest else new_sources
    if manifest:
        try:
            for table in old_sources.values():  # an unreadable old snapshot must not block publishing
                con.execute(f"DESCRIBE SELECT * FROM {table}")
        except duckdb.Error as exc:
            manifest, reason, old_sources = None, f"the earlier snapshot could not be read ({exc})", new_sources
    previous_id = manifest.get("snapshot_id", previous.name) if manifest else None
    # With nothing to compare against, the same statements run with no rows: same columns and types.
    limit = "" if manifest else " LIMIT 0"
    filled = {f"new_{k}": v for k, v in new_sources.items()} | {f"old_{k}": v for k, v in old_sources.items()}
    filled |= {"receipt_identity": ", ".join(RECEIPT_IDENTITY), "same_receipt": _SAME_RECEIPT}
    for name, sql in (
        ("changes_candidates", _CANDIDATES_SQL),
        ("changes_reports", _REPORTS_SQL),
        ("changes_notices", _NOTICES_SQL),
    ):
        columns = ", ".join(contract.EXTRACTS[name])
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {columns} FROM ({sql.format(**filled)}){limit}",
            {"previous_id": previous_id},
        )
        con.execute(
            f"COPY {name} TO {quote_literal(layout.extract_path(new, name))} (FORMAT parquet, COMPRESSION zstd)"
        )
        progress(f"built {name}")
    row_counts = extract_row_counts(con, new, contract.CHANGE_EXTRACTS)
    if not manifest:
        return {"previous_snapshot_id": None, "reason": reason}, row_counts
    ((changed, arrived_n, arrived_amount, dropped_n, dropped_amount),) = con.execute(
        "SELECT count(*), coalesce(sum(arrived_n), 0), coalesce(sum(arrived_amount), 0), "
        "coalesce(sum(dropped_n), 0), coalesce(sum(dropped_amount), 0) FROM changes_candidates"
    ).fetchall()
    new_reports, revised_reports = con.execute(
        "SELECT count(*) FILTER (WHERE change = 'new'), count(*) FILTER (WHERE change = 'revised') FROM changes_reports"
    ).fetchall()[0]
    notices_n, notices_amount = con.execute(
        "SELECT count(*), coalesce(sum(amount), 0) FROM changes_notices"
    ).fetchall()[0]
    return {
        "previous_snapshot_id": previous_id,
        "previous_built_at": manifest.get("built_at"),
        "notices_new": notices_n,
        "notices_new_amount": str(notices_amount),
        "candidates_changed": changed,
        "reports_new": new_reports,
        "reports_revised": revised_reports,
        "receipts_arrived": arrived_n,
        "receipts_arrived_amount": str(arrived_amount),
        "receipts_dropped": dropped_n,
        "receipts_dropped_amount": str(dropped_amount),
    }, row_counts
