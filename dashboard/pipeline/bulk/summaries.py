"""The summary files as raw rows: weball/webl as `candidate_summaries` rows (the FEC's own two-year
totals of each candidate ID, all of its authorized committees combined, exactly as the file carries
them), and webk's committees as `committees` rows where no committee master names them, with their
totals as `committee_summaries` rows."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from dashboard.core import contract
from dashboard.core.sql import quote_literal

BULK_SUMMARIES_SQL = """
-- Every row of both files: weball (every candidate with money in the two years, with the finer
-- breakdown) and webl (the House and Senate campaigns whose election is this cycle's). Where both
-- have a candidate, the builder publishes one (extracts.STAGING) and the data-quality report lists
-- the candidates whose two rows disagree.
WITH summaries AS (SELECT * FROM ({summaries}) WHERE cycle = $cycle),
current_campaigns AS (SELECT DISTINCT cand_id FROM summaries WHERE source = 'webl')
SELECT s.cand_id AS candidate_id, $cycle AS cycle, 'cycle' AS period,
       -- webl lists only campaigns of this cycle's election; weball's rows say nothing of the election year
       CASE WHEN s.cand_id IN (SELECT cand_id FROM current_campaigns) THEN $cycle END AS election_year,
       s.cand_name AS name, s.cand_pty_affiliation AS party, left(s.cand_id, 1) AS office,
       s.cand_office_st AS state, s.cand_office_district AS district, s.cand_ici AS incumbent_challenge,
       s.ttl_receipts AS receipts, s.ttl_disb AS disbursements, s.coh_bop AS cash_on_hand_begin,
       s.coh_cop AS cash_on_hand_end, s.debts_owed_by AS debts_owed,
       s.ttl_indiv_contrib AS individual_contributions,
       CAST(NULL AS DECIMAL(14,2)) AS individual_itemized, CAST(NULL AS DECIMAL(14,2)) AS individual_unitemized,
       s.indiv_refunds AS individual_refunds, s.other_pol_cmte_contrib AS other_committee_contributions,
       s.pol_pty_contrib AS party_contributions, s.cand_contrib AS candidate_contributions,
       s.trans_from_auth AS transfers_from_authorized, s.trans_to_auth AS transfers_to_authorized,
       make_date($cycle - 1, 1, 1) AS coverage_start, s.cvg_end_dt AS coverage_end, s.source
FROM summaries s
"""


def write_bulk_summaries(con: duckdb.DuckDBPyConnection, raw: Path, cycle: int) -> dict:
    """raw/candidate_summaries/bulk-<cycle>.parquet from the stored weball/webl of the cycle. Returns
    counts: summaries written, how many name a candidate ID that the candidate master (cn) does not
    know (they are published from the summary's own columns), and how many of those have no election
    year (weball's: they can be in no race)."""
    target = raw / "candidate_summaries" / f"bulk-{cycle}.parquet"
    # Bulk loads before schema 4 wrote these figures as `reports` rows; candidate_summaries replaces them.
    (raw / "reports" / f"bulk-{cycle}.parquet").unlink(missing_ok=True)
    unions = []
    for name in ("weball", "webl"):
        files = sorted((raw / f"bulk_{name}").glob(f"bulk-{cycle}-*.parquet"))
        if files:
            unions.append(
                f"SELECT *, '{name}' AS source FROM read_parquet([{', '.join(quote_literal(f) for f in files)}])"
            )
    if not unions:
        target.unlink(missing_ok=True)
        return {"summaries": 0, "without_candidate_master": 0, "without_election_year": 0}
    sql = BULK_SUMMARIES_SQL.replace("{summaries}", " UNION ALL BY NAME ".join(unions)).replace(
        "$cycle", str(int(cycle))
    )
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW["candidate_summaries"].items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE bulk_summaries AS SELECT {columns} FROM ({sql})")
    masters = sorted((raw / "candidates").glob("*.parquet"))
    known = (
        f"SELECT candidate_id FROM read_parquet([{', '.join(quote_literal(f) for f in masters)}], union_by_name = true) "
        f"WHERE cycle = {int(cycle)}"
        if masters
        else "SELECT NULL AS candidate_id WHERE false"
    )
    total, unknown, no_year = con.execute(
        f"SELECT count(DISTINCT candidate_id), count(DISTINCT candidate_id) FILTER (WHERE candidate_id NOT IN ({known})), "
        f"count(DISTINCT candidate_id) FILTER (WHERE candidate_id NOT IN ({known}) AND election_year IS NULL) "
        "FROM bulk_summaries"
    ).fetchall()[0]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(
        f"COPY (SELECT * FROM bulk_summaries ORDER BY candidate_id, source) TO {quote_literal(tmp)} "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    os.replace(tmp, target)
    return {"summaries": total, "without_candidate_master": unknown, "without_election_year": no_year}


BULK_COMMITTEES_SQL = """
-- webk names each PAC and party committee with its type, designation and filing frequency; it has no
-- party, state or candidate. A committee any other source lists for the cycle (the committee master cm,
-- the API) keeps that source's fuller row: the builder keeps one row per committee and cycle.
SELECT DISTINCT ON (cmte_id) cmte_id AS committee_id, cycle, cmte_nm AS name, cmte_tp AS committee_type,
       cmte_dsgn AS designation, CAST(NULL AS VARCHAR) AS party, CAST(NULL AS VARCHAR) AS state,
       CAST(NULL AS VARCHAR) AS candidate_id, cmte_filing_freq AS filing_frequency
FROM ({webk})
WHERE cycle = $cycle AND cmte_id NOT IN ({listed})
ORDER BY cmte_id, cvg_end_dt DESC NULLS LAST
"""


BULK_COMMITTEE_SUMMARIES_SQL = """
-- webk's totals of each PAC and party committee for the two years, exactly as the file carries them
-- (gross); a committee listed twice keeps its later row.
SELECT DISTINCT ON (cmte_id) cmte_id AS committee_id, cycle, ttl_receipts AS receipts, ttl_disb AS disbursements,
       coh_bop AS cash_on_hand_begin, coh_cop AS cash_on_hand_end, debts_owed_by AS debts_owed,
       indv_contrib AS individual_contributions, other_pol_cmte_contrib AS other_committee_contributions,
       ind_exp AS independent_expenditures, pty_coord_exp AS party_coordinated_expenditures,
       contrib_to_other_cmte AS contributions_to_committees, cvg_end_dt AS coverage_end, 'webk' AS source
FROM ({webk})
WHERE cycle = $cycle
ORDER BY cmte_id, cvg_end_dt DESC NULLS LAST
"""


def write_bulk_committees(con: duckdb.DuckDBPyConnection, raw: Path, cycle: int) -> dict:
    """raw/committees/bulk-<cycle>-webk.parquet from the stored webk of the cycle: its committees
    that no other committees file lists for the cycle (cm wins); and raw/committee_summaries/
    bulk-<cycle>-webk.parquet: every webk committee's totals. Rewritten whole on every commit, so
    a cm loaded later takes its committees over. Returns counts: webk committees, how many of
    them only webk names (those written to committees), and committee summaries written."""
    target = raw / "committees" / f"bulk-{cycle}-webk.parquet"
    summaries_target = raw / "committee_summaries" / f"bulk-{cycle}-webk.parquet"
    webk = sorted((raw / "bulk_webk").glob(f"bulk-{cycle}-*.parquet"))
    if not webk:
        target.unlink(missing_ok=True)
        summaries_target.unlink(missing_ok=True)
        return {"webk_committees": 0, "committees_from_webk": 0, "committee_summaries": 0}
    others = [f for f in sorted((raw / "committees").glob("*.parquet")) if f != target]
    listed = (
        f"SELECT committee_id FROM read_parquet([{', '.join(quote_literal(f) for f in others)}], "
        f"union_by_name = true) WHERE cycle = {int(cycle)}"
        if others
        else "SELECT NULL AS committee_id WHERE false"
    )
    webk_rows = f"SELECT * FROM read_parquet([{', '.join(quote_literal(f) for f in webk)}], union_by_name = true)"
    sql = (
        BULK_COMMITTEES_SQL.replace("{webk}", webk_rows).replace("{listed}", listed).replace("$cycle", str(int(cycle)))
    )
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW["committees"].items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE bulk_committees AS SELECT {columns} FROM ({sql})")
    total = con.execute(f"SELECT count(DISTINCT cmte_id) FROM ({webk_rows}) WHERE cycle = {int(cycle)}").fetchall()[0][
        0
    ]
    summaries = _write_committee_summaries(con, webk_rows, summaries_target, cycle)
    written = con.execute("SELECT count(*) FROM bulk_committees").fetchall()[0][0]
    if not written:
        target.unlink(missing_ok=True)
        return {"webk_committees": total, "committees_from_webk": 0, "committee_summaries": summaries}
    _write_atomically(con, "SELECT * FROM bulk_committees ORDER BY committee_id", target)
    return {"webk_committees": total, "committees_from_webk": written, "committee_summaries": summaries}


def _write_committee_summaries(con: duckdb.DuckDBPyConnection, webk_rows: str, target: Path, cycle: int) -> int:
    """`target` from webk's rows of the cycle (removed when there are none); returns rows written."""
    sql = BULK_COMMITTEE_SUMMARIES_SQL.replace("{webk}", webk_rows).replace("$cycle", str(int(cycle)))
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW["committee_summaries"].items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE bulk_committee_summaries AS SELECT {columns} FROM ({sql})")
    written = con.execute("SELECT count(*) FROM bulk_committee_summaries").fetchall()[0][0]
    if not written:
        target.unlink(missing_ok=True)
        return 0
    _write_atomically(con, "SELECT * FROM bulk_committee_summaries ORDER BY committee_id", target)
    return written


def _write_atomically(con: duckdb.DuckDBPyConnection, query: str, target: Path) -> None:
    """The query's rows as `target`, never seen half written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(f"COPY ({query}) TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)")
    os.replace(tmp, target)
