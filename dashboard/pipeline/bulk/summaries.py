"""The candidate summaries of weball/webl as `reports` rows: one two-year summary per candidate, on
the committee that carries it (type `contract.BULK_SUMMARY_REPORT_TYPE`)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from dashboard.core import contract
from dashboard.core.sql import quote_literal
from dashboard.pipeline.builder.extracts import raw_views

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
    target = raw / "reports" / f"bulk-{cycle}.parquet"
    unions = []
    for preference, name in enumerate(("weball", "webl"), start=1):
        files = sorted((raw / f"bulk_{name}").glob(f"bulk-{cycle}-*.parquet"))
        if files:
            unions.append(
                f"SELECT *, {preference} AS preference FROM read_parquet([{', '.join(quote_literal(f) for f in files)}])"
            )
    if not unions:
        target.unlink(missing_ok=True)
        return {"summaries": 0, "without_committee": 0}
    raw_views(con, raw)
    sql = BULK_REPORTS_SQL.replace("{summaries}", " UNION ALL BY NAME ".join(unions)).replace("$cycle", str(int(cycle)))
    con.execute(f"CREATE OR REPLACE TEMP TABLE bulk_reports AS {sql}")
    total, orphan = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE committee_id IS NULL) FROM bulk_reports"
    ).fetchall()[0]
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW["reports"].items())
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(
        f"COPY (SELECT {columns} FROM bulk_reports WHERE committee_id IS NOT NULL ORDER BY committee_id) "
        f"TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)"
    )
    os.replace(tmp, target)
    return {"summaries": total, "without_committee": orphan}
