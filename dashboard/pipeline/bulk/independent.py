"""The regular reports' independent expenditures of a bulk load as raw `schedule_e` rows.

independent_expenditure_<cycle>.csv holds the 24/48-hour notices only (formats.KINDS["ie"]). The lines
of the regular reports (Form 3X, Form 5) are in the pas2 file, itpas2.txt, stored as the reference
table bulk_itpas2: its rows of type 24E (an independent expenditure supporting the candidate) and 24A
(opposing). This writes them as `raw/schedule_e/bulk-<cycle>-pas2.parquet`, so the builder's counting
rules (builder/outside.py) let each notice give way to the regular line that repeats it.

What pas2 carries and what it does not (the shared reference fec-bulk-formats.md, section 6):
- the newest version of each report only (the file reflects amendments): no previous_file_number;
- memo lines (MEMO_CD 'X'), kept as filed: the builder never adds them;
- no dissemination date (the builder takes the superseded notice's, else the expenditure date), no
  date the filing was received, no purpose, category, report year nor spender name (the committees of
  the cycle name the spender; the builder prefers their name anyway);
- the candidate by ID only: name, office, state, district and party come from the cycle's candidates
  (any source's) where they list the ID, else stay blank; a Senate or presidential candidate has no
  district;
- no form: a spender the cycle's committees give type 'I' (a person or group that is no political
  committee) files Form 5, and so does an unlisted spender with a C9 ID (the FEC's range for them, as
  KINDS["ie"] infers); every other spender's Schedule E is part of its Form 3X. The report type does not
  tell Form 3X from Form 5 (both file quarterly and year-end reports), and pas2 holds no notices
  (types 24 and 48) to tell apart.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from dashboard.core import contract
from dashboard.core.sql import quote_literal

# TRANSACTION_TP of an independent expenditure in pas2, and the support/oppose it means.
INDEPENDENT_EXPENDITURE_TYPES = {"24E": "S", "24A": "O"}

BULK_INDEPENDENT_SQL = """
WITH candidates AS (
    SELECT DISTINCT ON (candidate_id) candidate_id, name, office, state, district, party
    FROM ({candidates}) WHERE cycle = $cycle ORDER BY candidate_id, name
), committees AS (
    SELECT DISTINCT ON (committee_id) committee_id, name, committee_type
    FROM ({committees}) WHERE cycle = $cycle ORDER BY committee_id, name
), lines AS (
    SELECT *, nullif(trim(cmte_id), '') AS spender, upper(nullif(trim(cand_id), '')) AS candidate
    FROM ({pas2}) WHERE cycle = $cycle AND transaction_tp IN ({types})
)
SELECT p.sub_id, $cycle AS cycle, p.spender AS committee_id, m.name AS spender_name,
       CASE WHEN m.committee_type = 'I' OR (m.committee_id IS NULL AND p.spender LIKE 'C9%') THEN 'F5' ELSE 'F3X' END
           AS filing_form,
       false AS is_notice, nullif(trim(p.rpt_tp), '') AS report_type, NULL AS report_year, p.file_num AS file_number,
       NULL AS previous_file_number, nullif(trim(p.amndt_ind), '') AS amendment_indicator,
       nullif(trim(p.tran_id), '') AS transaction_id, NULL AS back_reference_transaction_id,
       nullif(trim(p.image_num), '') AS image_number, nullif(trim(p.memo_cd), '') AS memo_code,
       nullif(trim(p.memo_text), '') AS memo_text, p.candidate AS candidate_id, c.name AS candidate_name,
       c.office AS candidate_office, c.state AS candidate_state,
       CASE WHEN c.office = 'H' THEN c.district END AS candidate_district, c.party AS candidate_party,
       CASE p.transaction_tp {support_oppose} END AS support_oppose, p.transaction_amt AS amount,
       p.transaction_dt AS expenditure_date, NULL AS dissemination_date, NULL AS purpose,
       nullif(trim(p.name), '') AS payee_name, NULL AS category_code, NULL AS filed_date
FROM lines p
LEFT JOIN candidates c ON c.candidate_id = p.candidate
LEFT JOIN committees m ON m.committee_id = p.spender
"""


def _union(parts: list[Path], empty: str) -> str:
    if not parts:
        return empty
    return f"SELECT * FROM read_parquet([{', '.join(quote_literal(p) for p in parts)}], union_by_name = true)"


def write_bulk_independent_expenditures(con: duckdb.DuckDBPyConnection, raw: Path, cycle: int) -> dict:
    """raw/schedule_e/bulk-<cycle>-pas2.parquet from the stored pas2 of the cycle: its 24E and 24A rows
    as regular Schedule E lines. Rewritten whole on every commit (removed when the cycle has no pas2 or
    none of those rows), so running it again after a crash is harmless. Returns counts: lines written
    and how many name a candidate ID the cycle's candidates do not list."""
    target = raw / "schedule_e" / f"bulk-{cycle}-pas2.parquet"
    pas2 = sorted((raw / "bulk_itpas2").glob(f"bulk-{cycle}-*.parquet"))
    if not pas2:
        target.unlink(missing_ok=True)
        return {"independent_expenditures": 0, "independent_expenditures_unknown_candidate": 0}
    sql = (
        BULK_INDEPENDENT_SQL.replace("{pas2}", _union(pas2, ""))
        .replace(
            "{candidates}",
            _union(
                sorted((raw / "candidates").glob("*.parquet")),
                "SELECT NULL::VARCHAR AS candidate_id, NULL::INTEGER AS cycle, NULL::VARCHAR AS name, "
                "NULL::VARCHAR AS office, NULL::VARCHAR AS state, NULL::VARCHAR AS district, "
                "NULL::VARCHAR AS party WHERE false",
            ),
        )
        .replace(
            "{committees}",
            _union(
                sorted((raw / "committees").glob("*.parquet")),
                "SELECT NULL::VARCHAR AS committee_id, NULL::INTEGER AS cycle, NULL::VARCHAR AS name, "
                "NULL::VARCHAR AS committee_type WHERE false",
            ),
        )
        .replace("{types}", ", ".join(f"'{t}'" for t in INDEPENDENT_EXPENDITURE_TYPES))
        .replace(
            "{support_oppose}", " ".join(f"WHEN '{t}' THEN '{s}'" for t, s in INDEPENDENT_EXPENDITURE_TYPES.items())
        )
        .replace("$cycle", str(int(cycle)))
    )
    columns = ", ".join(f"CAST({c} AS {t}) AS {c}" for c, t in contract.RAW["schedule_e"].items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE bulk_independent AS SELECT {columns} FROM ({sql})")
    written, unknown = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE candidate_id IS NOT NULL AND candidate_name IS NULL) "
        "FROM bulk_independent"
    ).fetchall()[0]
    if not written:
        target.unlink(missing_ok=True)
        return {"independent_expenditures": 0, "independent_expenditures_unknown_candidate": 0}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    con.execute(
        f"COPY (SELECT * FROM bulk_independent ORDER BY sub_id) TO {quote_literal(tmp)} "
        "(FORMAT parquet, COMPRESSION zstd)"
    )
    os.replace(tmp, target)
    return {"independent_expenditures": written, "independent_expenditures_unknown_candidate": unknown}
