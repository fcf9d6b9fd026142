"""Write the demo generator's data as the FEC's bulk files, in their exact layouts (for tests and the
load benchmark; see the shared reference `fec-bulk-formats.md`).

From a data directory holding demo raw tables (`python -m dashboard demo` or `demo.generate`) it writes,
per cycle, `cn.txt`, `cm.txt`, `ccl.txt`, `weball<yy>.txt`, `webl<yy>.txt`, `webk<yy>.txt`,
`itcont.txt` and `itpas2.txt` (committee contributions and the regular reports' independent
expenditures): pipe-delimited, no header, UTF-8, `MMDDYYYY` transaction dates and
`MM/DD/YYYY` coverage dates, amounts as the FEC writes them (`250`, `25.5`, `-100`). Optionally the
FEC's zips instead (`cn24.zip`, ..., `indiv24.zip` with its `by_date/` copy of every row).

And `independent_expenditure_<cycle>.csv` as the FEC publishes it (comma-separated, a header row,
double-quoted fields where a value holds a comma or a quote, `DD-MON-YY` dates): the 24/48-hour notice
lines of raw `schedule_e`, every version (what the real file holds; regular reports' lines are not in
it), memo lines left out (the file has no memo column, so a memo line in it would be counted as an
expenditure: we assume the FEC leaves them out). A demo without outside spending gets the header alone.

The real files' quirks are put in (`quirks=True`): blank fields, accented names as UTF-8 bytes (`É` is
C3 89, as in the FEC's files), one itcont line in Windows-1252 (older filings' bytes, which are not
UTF-8: the loader must read it and list it), names with literal double quotes, missing and impossible transaction dates, negative amounts (refunds),
lines repeated with the same SUB_ID, and amended reports whose superseded filing is still in the file
with the same transaction IDs. Summaries are made from the newest version of every report, so a
correct load reproduces the generator's truth (`demo_truth/`) to the cent.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import duckdb

from dashboard.core import contract, normalize
from dashboard.pipeline.bulk.formats import KINDS, member_name, zip_name
from dashboard.pipeline.duck import connect
from dashboard.store import layout

# Quirks are chosen by SUB_ID so that a seed gives the same files.
ACCENT_EVERY = 53  # 'A' -> 'Á' in the contributor's name
QUOTED_EVERY = 211  # a nickname in literal double quotes
NO_DATE_EVERY = 401  # blank TRANSACTION_DT
BAD_DATE_EVERY = 409  # an impossible date (February 30)
NO_ENTITY_EVERY = 307  # blank ENTITY_TP (paper filings have none)
REPEATED_EVERY = 1009  # the same line twice (same SUB_ID)


def _money(expr: str) -> str:
    """An amount as the FEC writes it: whole dollars without decimals, else as many as needed."""
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL WHEN {expr} = trunc({expr}) THEN CAST(CAST({expr} AS BIGINT) AS VARCHAR) "
        f"ELSE rtrim(CAST({expr} AS VARCHAR), '0') END"
    )


def _views(con: duckdb.DuckDBPyConnection, raw: Path) -> None:
    for table in ("candidates", "committees", "linkages", "reports"):
        con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM read_parquet('{raw / table}/*.parquet')")
    # Outside spending: absent from demos made before the generator wrote it (an empty table then).
    if any((raw / "schedule_e").glob("*.parquet")):
        con.execute(f"CREATE OR REPLACE VIEW schedule_e AS SELECT * FROM read_parquet('{raw}/schedule_e/*.parquet')")
    else:
        empty = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in contract.RAW["schedule_e"].items())
        con.execute(f"CREATE OR REPLACE VIEW schedule_e AS SELECT {empty} WHERE false")
    receipts = f"read_parquet('{raw}/schedule_a/**/*.parquet', hive_partitioning = true)"
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {receipts}").fetchall()}
    # Demos written before receipts carried their election have none (a blank TRANSACTION_PGI then).
    election = "" if "election_type" in columns else ", CAST(NULL AS VARCHAR) AS election_type"
    con.execute(f"CREATE OR REPLACE VIEW schedule_a AS SELECT *{election} FROM {receipts}")
    con.execute("""CREATE OR REPLACE VIEW current_reports AS SELECT * FROM reports WHERE file_number NOT IN
                   (SELECT previous_file_number FROM reports WHERE previous_file_number IS NOT NULL)""")


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path, params=None, legacy_line: bool = False) -> int:
    """Pipe-delimited, unquoted, UTF-8 as the FEC ships it; with `legacy_line`, the first line that is
    not ASCII is re-encoded in Windows-1252, as a few lines of real files are."""
    con.execute(
        f"COPY ({sql}) TO '{path}' (FORMAT csv, DELIMITER '|', HEADER false, QUOTE '', ESCAPE '')", params or []
    )
    if legacy_line:
        _one_line_in_windows_1252(path)
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(64 << 20), b""))


def _copy_with_header(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> int:
    """Comma-separated with a header row, values holding a comma, quote or line end in double quotes
    (a quote inside doubled), blanks empty: the layout of independent_expenditure_<cycle>.csv."""
    con.execute(f"COPY ({sql}) TO '{path}' (FORMAT csv, DELIMITER ',', HEADER true, QUOTE '\"', ESCAPE '\"')")
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(64 << 20), b""))


def _one_line_in_windows_1252(path: Path) -> None:
    """Rewrite the file with its first non-ASCII line in Windows-1252 (streamed: one line changes)."""
    tmp = path.with_name(path.name + ".tmp")
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        for line in iter(src.readline, b""):
            if not line.isascii():
                dst.write(line.decode("utf-8").encode("cp1252", errors="replace"))
                break
            dst.write(line)
        shutil.copyfileobj(src, dst, 16 << 20)
    os.replace(tmp, path)


CN_SQL = """
SELECT candidate_id, CASE WHEN $quirks AND hash(candidate_id) % 41 = 0 THEN regexp_replace(name, 'E', 'É') ELSE name END,
       party, election_year, state, office, district, incumbent_challenge, status, principal_committee_id,
       CASE WHEN hash(candidate_id) % 3 = 0 THEN '100 MAIN ST' END, NULL,
       CASE WHEN hash(candidate_id) % 3 = 0 THEN 'SPRINGFIELD' END,
       CASE WHEN office = 'P' THEN 'DC' ELSE state END, NULL
FROM candidates WHERE cycle = $cycle ORDER BY candidate_id"""

CM_SQL = """
SELECT committee_id, name, NULL, NULL, NULL, NULL, state, NULL, designation, committee_type, party, filing_frequency,
       NULL, NULL, candidate_id
FROM committees WHERE cycle = $cycle ORDER BY committee_id"""

CCL_SQL = """
SELECT candidate_id, election_year, cycle, committee_id, committee_type, designation, linkage_id
FROM linkages WHERE cycle = $cycle ORDER BY linkage_id"""

# Per candidate: its principal and authorized committees' newest reports, summed (what FEC's weball is).
SUMMARY_SQL = """
WITH links AS (
    SELECT DISTINCT candidate_id, committee_id FROM linkages WHERE cycle = $cycle AND designation IN ('P', 'A')
), per AS (
    SELECT l.candidate_id, r.*,
           row_number() OVER (PARTITION BY r.committee_id ORDER BY r.coverage_end DESC) AS newest,
           row_number() OVER (PARTITION BY r.committee_id ORDER BY r.coverage_end) AS first
    FROM current_reports r JOIN links l USING (committee_id) WHERE r.cycle = $cycle
), money AS (
    SELECT candidate_id, sum(receipts) AS receipts, sum(transfers_from_authorized) AS from_auth,
           sum(disbursements) AS disb, sum(transfers_to_authorized) AS to_auth,
           sum(cash_on_hand_begin) FILTER (WHERE first = 1) AS coh_bop,
           sum(cash_on_hand_end) FILTER (WHERE newest = 1) AS coh_cop,
           sum(candidate_contributions) AS cand_contrib, sum(debts_owed) FILTER (WHERE newest = 1) AS debts,
           sum(individual_itemized + individual_unitemized) AS indiv,
           sum(other_committee_contributions) AS other_pol, sum(party_contributions) AS party_money,
           max(coverage_end) AS through, sum(individual_refunds) AS indiv_refunds
    FROM per GROUP BY candidate_id
)
SELECT c.candidate_id, c.name, c.incumbent_challenge,
       CASE c.party WHEN 'DEM' THEN '1' WHEN 'REP' THEN '2' ELSE '3' END, c.party,
       {receipts}, {from_auth}, {disb}, {to_auth}, {coh_bop}, {coh_cop}, {cand_contrib}, '0', '0', '0', '0',
       {debts}, {indiv}, CASE WHEN c.office = 'P' THEN 'US' ELSE c.state END,
       CASE WHEN c.office = 'H' THEN c.district ELSE '00' END, NULL, NULL, NULL, NULL, NULL,
       {other_pol}, {party_money}, strftime(m.through, '%m/%d/%Y'), {indiv_refunds}, '0'
FROM money m JOIN candidates c ON c.candidate_id = m.candidate_id AND c.cycle = $cycle
WHERE $offices
ORDER BY c.candidate_id"""

WEBK_SQL = """
WITH per AS (
    SELECT r.*, row_number() OVER (PARTITION BY r.committee_id ORDER BY r.coverage_end DESC) AS newest,
           row_number() OVER (PARTITION BY r.committee_id ORDER BY r.coverage_end) AS first
    FROM current_reports r JOIN committees c ON c.committee_id = r.committee_id AND c.cycle = r.cycle
    WHERE r.cycle = $cycle AND c.committee_type IN ('N', 'O', 'Q', 'V', 'W', 'X', 'Y')
), money AS (
    SELECT committee_id, sum(receipts) AS receipts, sum(individual_itemized + individual_unitemized) AS indiv,
           sum(disbursements) AS disb, sum(individual_refunds) AS refunds,
           sum(cash_on_hand_begin) FILTER (WHERE first = 1) AS coh_bop,
           sum(cash_on_hand_end) FILTER (WHERE newest = 1) AS coh_cop,
           sum(debts_owed) FILTER (WHERE newest = 1) AS debts, max(coverage_end) AS through
    FROM per GROUP BY committee_id
)
SELECT c.committee_id, c.name, c.committee_type, c.designation, c.filing_frequency, {receipts}, '0', {indiv},
       '0', '0', '0', '0', {disb}, '0', {refunds}, '0', '0', '0', {coh_bop}, {coh_cop}, {debts}, '0', '0', '0', '0',
       '0', strftime(m.through, '%m/%d/%Y')
FROM money m JOIN committees c ON c.committee_id = m.committee_id AND c.cycle = $cycle ORDER BY c.committee_id"""

# Transaction IDs shared by a filing and its amendment: the same gift, matched by its content.
ITCONT_SQL = """
WITH amended AS (
    SELECT file_number FROM reports WHERE cycle = $cycle AND previous_file_number IS NOT NULL
    UNION SELECT previous_file_number FROM reports WHERE cycle = $cycle AND previous_file_number IS NOT NULL
), amended_rows AS (
    SELECT sub_id,
           'AMD' || substr(md5(concat_ws('|', committee_id, contributor_name, zip, date, amount, receipt_type,
                                         row_number() OVER (PARTITION BY file_number, committee_id, contributor_name,
                                                                         zip, date, amount, receipt_type
                                                            ORDER BY sub_id))), 1, 16) AS tran_id
    FROM schedule_a WHERE cycle = $cycle AND file_number IN (SELECT file_number FROM amended)
), rows AS (
    SELECT a.*, coalesce(m.tran_id, a.transaction_id) AS tran_id
    FROM schedule_a a LEFT JOIN amended_rows m USING (sub_id) WHERE a.cycle = $cycle
), lines AS (
    SELECT committee_id, amendment_indicator, report_type,
           election_type,
           strftime(coalesce(date, make_date($cycle, 1, 1)), '%Y%m%d') || '90' || lpad(CAST(sub_id % 100000000 AS VARCHAR), 8, '0'),
           receipt_type,
           CASE WHEN $quirks AND sub_id % {no_entity} = 0 THEN NULL ELSE entity_type END,
           CASE WHEN $quirks AND sub_id % {accent} = 0 THEN regexp_replace(contributor_name, 'A', 'Á')
                WHEN $quirks AND sub_id % {quoted} = 0 THEN contributor_name || ' "AJ"'
                ELSE contributor_name END,
           city, state, zip, employer, occupation,
           CASE WHEN $quirks AND sub_id % {no_date} = 0 THEN NULL
                WHEN $quirks AND sub_id % {bad_date} = 0 THEN '0230' || $cycle
                ELSE strftime(date, '%m%d%Y') END,
           {amount}, other_id, tran_id, file_number, memo_code, memo_text, sub_id
    FROM rows
)
SELECT * FROM lines
UNION ALL
SELECT * FROM lines WHERE $quirks AND sub_id % {repeated} = 0"""

# Committee contributions to candidates (24K): one per candidate report with PAC money, from a PAC; and
# the independent expenditures of the regular reports (ITPAS2_IE_SQL).
ITPAS2_SQL = """
WITH pacs AS (
    SELECT committee_id, row_number() OVER (ORDER BY committee_id) - 1 AS i, count(*) OVER () AS n
    FROM committees WHERE cycle = $cycle AND committee_type = 'Q'
), gifts AS (
    SELECT r.*, l.candidate_id, row_number() OVER (ORDER BY r.committee_id, r.coverage_end) AS k
    FROM current_reports r JOIN linkages l ON l.committee_id = r.committee_id AND l.cycle = r.cycle
    WHERE r.cycle = $cycle AND r.other_committee_contributions > 0 AND l.designation IN ('P', 'A')
)
SELECT p.committee_id, 'N', g.report_type, 'G' || $cycle, NULL, '24K', 'CCM', c.name, NULL, c.state, NULL, NULL,
       NULL, strftime(g.coverage_end, '%m%d%Y'), {amount}, g.committee_id, g.candidate_id, 'SB23.' || g.k,
       g.file_number, NULL, NULL, 4500000000000000000 + g.k
FROM gifts g JOIN pacs p ON p.i = g.k % p.n
JOIN committees c ON c.committee_id = g.committee_id AND c.cycle = g.cycle
UNION ALL
SELECT * FROM ({independent})"""

# Independent expenditures in pas2 (24E supporting, 24A opposing): the regular reports' Schedule E lines
# (Form 3X and Form 5), newest version of each report only (pas2 reflects amendments), memo lines
# included with MEMO_CD 'X' (the FEC's pas2 carries them). pas2 has no dissemination date, purpose,
# receipt date nor candidate name: the candidate is its ID only, so a line the filer named by name, office
# and state gets the ID of the one candidate of the cycle it names (the FEC codes the ID in its processed
# data; the same rule as the builder's). A line naming no candidate of the cycle is left out: pas2 is the
# candidate-linked part of the FEC's committee transactions, every real row has a CAND_ID (all 105
# independent expenditures of the 2020 file of 2019-03-19), so such a line is inferred not to be in it.
ITPAS2_IE_SQL = """
WITH regular AS (
    SELECT * FROM schedule_e
    WHERE cycle = $cycle AND NOT is_notice AND (file_number IS NULL OR file_number NOT IN (
        SELECT previous_file_number FROM schedule_e WHERE previous_file_number IS NOT NULL AND NOT is_notice))
), by_name AS (
    SELECT e.sub_id, min(c.candidate_id) AS candidate_id, count(DISTINCT c.candidate_id) AS n
    FROM regular e JOIN candidates c
      ON c.cycle = e.cycle AND c.office = e.candidate_office AND c.state = e.candidate_state
     AND (c.office <> 'H' OR c.district = lpad(coalesce(nullif(trim(e.candidate_district), ''), '00'), 2, '0'))
     AND fold_name(split_part(c.name, ',', 1)) = fold_name(split_part(e.candidate_name, ',', 1))
    WHERE e.candidate_id IS NULL
    GROUP BY e.sub_id
)
SELECT e.committee_id, e.amendment_indicator, e.report_type,
       CASE WHEN e.expenditure_date > make_date($cycle, 6, 30) THEN 'G' ELSE 'P' END || $cycle, e.image_number,
       CASE e.support_oppose WHEN 'S' THEN '24E' ELSE '24A' END, 'ORG', e.payee_name, NULL, NULL, NULL, NULL, NULL,
       strftime(e.expenditure_date, '%m%d%Y'), {amount}, NULL,
       coalesce(e.candidate_id, CASE WHEN n.n = 1 THEN n.candidate_id END), e.transaction_id, e.file_number,
       e.memo_code, e.memo_text, e.sub_id
FROM regular e LEFT JOIN by_name n USING (sub_id)
WHERE coalesce(e.candidate_id, CASE WHEN n.n = 1 THEN n.candidate_id END) IS NOT NULL"""


# The FEC's independent-expenditure file: its header's names, its DD-MON-YY dates. Quirks: IDs and
# spender names padded with spaces as in the real file, now and then.
IE_SQL = """
SELECT candidate_id AS cand_id, candidate_name AS cand_name,
       CASE WHEN $quirks AND sub_id % {padded} = 0 THEN ' ' || committee_id || ' ' ELSE committee_id END AS spe_id,
       CASE WHEN $quirks AND sub_id % {padded} = 0 THEN spender_name || '  ' ELSE spender_name END AS spe_nam,
       CASE WHEN coalesce(dissemination_date, expenditure_date) > make_date($cycle, 6, 30) THEN 'G' ELSE 'P' END
           AS ele_type,
       candidate_state AS can_office_state, candidate_district AS can_office_dis, candidate_office AS can_office,
       candidate_party AS cand_pty_aff, {amount} AS exp_amo, {expenditure_date} AS exp_date, NULL AS agg_amo,
       support_oppose AS sup_opp, purpose AS pur, payee_name AS pay, file_number AS file_num,
       amendment_indicator AS amndt_ind, transaction_id AS tran_id, image_number AS image_num,
       {filed_date} AS receipt_dat, $cycle AS fec_election_yr, previous_file_number AS prev_file_num,
       {dissemination_date} AS dissem_dt
FROM schedule_e WHERE cycle = $cycle AND is_notice AND memo_code IS DISTINCT FROM 'X'
ORDER BY filed_date, file_number, sub_id"""
IE_PADDED_EVERY = 7


def _fec_date(expr: str) -> str:
    """A date as the independent-expenditure file writes it: 31-OCT-24."""
    return f"upper(strftime({expr}, '%d-%b-%y'))"


def _summary_sql(offices: str) -> str:
    money = {
        k: _money(f"m.{k}")
        for k in (
            "receipts",
            "from_auth",
            "disb",
            "to_auth",
            "coh_bop",
            "coh_cop",
            "cand_contrib",
            "debts",
            "indiv",
            "other_pol",
            "party_money",
            "indiv_refunds",
        )
    }
    return SUMMARY_SQL.format(**money).replace("$offices", offices)


def write_cycle(
    data_dir: Path, cycle: int, out: Path, quirks: bool = True, zips: bool = False, kinds=None, progress=None
) -> dict[str, int]:
    """Write one cycle's bulk files into out; returns lines written per file name."""
    progress = progress or (lambda msg: None)
    out.mkdir(parents=True, exist_ok=True)
    con = connect(out)  # DUCKDB_MEMORY_LIMIT, spilling under out/tmp
    normalize.install(con)  # fold_name, for the candidates named by name in pas2
    _views(con, layout.raw_dir(data_dir))
    wanted = set(kinds or KINDS)

    def params(sql: str) -> str:
        return sql.replace("$cycle", str(int(cycle))).replace("$quirks", "true" if quirks else "false")

    jobs = {
        "cn": CN_SQL,
        "cm": CM_SQL,
        "ccl": CCL_SQL,
        "weball": _summary_sql("true"),
        "webl": _summary_sql("c.office IN ('H', 'S')"),
        "webk": WEBK_SQL.format(
            **{k: _money(f"m.{k}") for k in ("receipts", "indiv", "disb", "refunds", "coh_bop", "coh_cop", "debts")}
        ),
        "itcont": ITCONT_SQL.format(
            no_entity=NO_ENTITY_EVERY,
            accent=ACCENT_EVERY,
            quoted=QUOTED_EVERY,
            no_date=NO_DATE_EVERY,
            bad_date=BAD_DATE_EVERY,
            repeated=REPEATED_EVERY,
            amount=_money("amount"),
        ),
        "itpas2": ITPAS2_SQL.format(
            amount=_money("g.other_committee_contributions"),
            independent=ITPAS2_IE_SQL.format(amount=_money("e.amount")),
        ),
        "ie": IE_SQL.format(
            padded=IE_PADDED_EVERY,
            amount=_money("amount"),
            **{c: _fec_date(c) for c in ("expenditure_date", "dissemination_date", "filed_date")},
        ),
    }
    written = {}
    for name, sql in jobs.items():
        if name not in wanted:
            continue
        kind = KINDS[name]
        text = out / member_name(kind, cycle)
        if kind.csv_header:
            written[text.name] = _copy_with_header(con, params(sql), text)
        else:
            written[text.name] = _copy(con, params(sql), text, legacy_line=quirks and name == "itcont")
        progress(f"wrote {text.name}: {written[text.name]:,} lines")
        if zips:
            _zip(text, out / zip_name(kind, cycle), by_date=(name == "itcont"))
            text.unlink()
    con.close()
    shutil.rmtree(out / "tmp", ignore_errors=True)
    return written


def _zip(text: Path, archive: Path, by_date: bool) -> None:
    """The FEC's zip: the text file at the top level; the indiv zip also repeats every row in by_date/."""
    tmp = archive.with_name(archive.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.write(text, text.name)
        if by_date:
            halves = {"by_date/itcont_early.txt": [], "by_date/itcont_late.txt": []}
            with open(text, "rb") as handle:
                for i, line in enumerate(handle):
                    halves["by_date/itcont_early.txt" if i % 2 == 0 else "by_date/itcont_late.txt"].append(line)
            for member, lines in halves.items():
                zf.writestr(member, b"".join(lines))
    os.replace(tmp, archive)
