"""Amended filings in itcont: the rows of a filing that a later amendment replaced are dropped from
the staged parts, so the newest version of a report wins."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from dashboard.core.sql import quote_literal

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
            n = con.execute(
                f"SELECT count(*) FROM read_parquet({quote_literal(part)}) WHERE file_number IN "
                "(SELECT file_number FROM superseded)"
            ).fetchall()[0][0]
            if n:
                tmp = part.with_name(f".{part.name}.tmp")
                con.execute(
                    f"COPY (SELECT * FROM read_parquet({quote_literal(part)}) WHERE file_number IS NULL OR file_number "
                    f"NOT IN (SELECT file_number FROM superseded)) TO {quote_literal(tmp)} (FORMAT parquet, COMPRESSION zstd)"
                )
                os.replace(tmp, part)
                dropped += n
    con.execute("DROP VIEW parts")
    return filings, dropped
