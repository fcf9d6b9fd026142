"""Raw tables -> the extracts of the contract, in DuckDB SQL. The money rules live here.

Whatever source wrote the raw store (demo, API refresh, bulk load), the same statements run:
- only the newest version of each report counts (amendments supersede, by file number);
- a candidate's money is its principal (P) and authorized (A) committees' only, never a joint
  fundraiser's (J) or a leadership PAC's (D);
- itemized donor money drops memo rows, the conduit's copy of an earmarked gift, rows of
  superseded filings and rows pulled twice (one row per sub_id);
- a candidate's totals are the FEC's own per candidate ID where a source carries them (weball/webl,
  the API's candidate totals), else the sum of its committees' reports; gross, as the FEC publishes
  them, with a net figure beside (transfers between the candidate's own committees taken out);
- a race holds only candidacies of that cycle's election for a real seat (builder/candidacies.py);
- a committee that is no candidate's own (a PAC, a party) has its own totals: the FEC's (webk) where a
  source carries them, else the sum of its reports, like a candidate's.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import contract, fec, geography, normalize
from dashboard.core.sql import literal_list, quote_literal
from dashboard.pipeline.builder.candidacies import mark_races
from dashboard.pipeline.builder.donors import DONORS_SQL
from dashboard.pipeline.builder.in_district import CANDIDATE_IN_DISTRICT_SQL, load_relationships
from dashboard.pipeline.builder.outside import OUTSIDE_EXTRACT_SQL, OUTSIDE_STAGING
from dashboard.store import layout

# Conduits known by ID (ActBlue, WinRed); others are recognised by filing conduit-side rows.
KNOWN_CONDUITS = ("C00401224", "C00694323")


def raw_views(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> dict[str, int]:
    """Views raw_<table> over whatever Parquet files the sources wrote; returns row counts."""
    counts = {}
    for table, columns in contract.RAW.items():
        files = sorted((raw_dir / table).glob("**/*.parquet"))
        if files:
            # View bodies take no parameters, so the file list (our own paths) is quoted inline.
            source = (
                f"read_parquet([{', '.join(quote_literal(str(f)) for f in files)}], "
                "hive_partitioning = true, union_by_name = true)"
            )
            # A column the contract gained after these files were written (none of them has it) is NULL;
            # union_by_name fills it in where only some files lack it.
            present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
            select = ", ".join(f"CAST({c if c in present else 'NULL'} AS {t}) AS {c}" for c, t in columns.items())
            con.execute(f"CREATE OR REPLACE VIEW raw_{table} AS SELECT {select} FROM {source}")
        else:
            empty = ", ".join(f"CAST(NULL AS {t}) AS {c}" for c, t in columns.items())
            con.execute(f"CREATE OR REPLACE VIEW raw_{table} AS SELECT {empty} WHERE false")
        counts[table] = con.execute(f"SELECT count(*) FROM raw_{table}").fetchall()[0][0]
    return counts


STAGING = f"""
-- The FEC's own candidate totals, one per candidate ID, cycle and period: of several sources for the
-- same figures (weball, webl, the API), the one with the later data wins; on a tie weball (the
-- all-candidates file, with the finer breakdown), then the API. validation.py lists disagreements.
CREATE OR REPLACE TEMP TABLE summaries AS
SELECT DISTINCT ON (candidate_id, cycle, period) *
FROM raw_candidate_summaries
ORDER BY candidate_id, cycle, period, coverage_end DESC NULLS LAST,
         CASE source WHEN 'weball' THEN 0 WHEN 'api' THEN 1 ELSE 2 END;

-- One row per entity and cycle, even if a source wrote it twice. A candidate ID that only a summary
-- names (weball/webl loaded without the candidate master cn) is a candidate with the summary's facts.
CREATE OR REPLACE TEMP TABLE candidates AS
SELECT DISTINCT ON (candidate_id, cycle) * EXCLUDE (preference)
FROM (
    SELECT *, 0 AS preference FROM raw_candidates
    UNION ALL BY NAME
    SELECT candidate_id, cycle, name, party, coalesce(office, left(candidate_id, 1)) AS office, state,
           CASE WHEN coalesce(office, left(candidate_id, 1)) = 'H'
                THEN lpad(coalesce(nullif(trim(district), ''), '00'), 2, '0') ELSE '00' END AS district,
           incumbent_challenge, CAST(NULL AS VARCHAR) AS status, CAST(NULL AS VARCHAR) AS principal_committee_id,
           election_year, 1 AS preference
    FROM summaries WHERE period = 'cycle'
)
ORDER BY candidate_id, cycle, preference, election_year DESC;

CREATE OR REPLACE TEMP TABLE conduit_ids AS
SELECT DISTINCT committee_id FROM raw_schedule_a
WHERE receipt_type IN ({literal_list(contract.CONDUIT_SIDE_RECEIPT_TYPES)})
UNION SELECT unnest({list(KNOWN_CONDUITS)});

CREATE OR REPLACE TEMP TABLE committees AS
SELECT DISTINCT ON (c.committee_id, c.cycle) c.committee_id, c.cycle, c.name, c.committee_type,
       c.designation, c.party, c.candidate_id, c.state,
       c.committee_id IN (SELECT committee_id FROM conduit_ids) AS is_conduit
-- of a committee listed twice (the master cm or the API, and webk's summary row), the one that
-- knows more: webk's rows carry no state
FROM raw_committees c ORDER BY c.committee_id, c.cycle, c.state IS NULL;
"""

# After the race rule (candidacies.mark_races), which the choice of a shared committee's candidacy reads.
ATTRIBUTION = f"""
-- Every principal (P) and authorized (A) committee of each candidate ID, plus its declared principal
-- committee: the committees its totals cover ("Committees included").
CREATE OR REPLACE TEMP TABLE candidate_links AS
SELECT DISTINCT committee_id, cycle, candidate_id, designation FROM (
    SELECT committee_id, cycle, candidate_id, designation FROM raw_linkages WHERE designation IN ('P', 'A')
    UNION ALL
    SELECT principal_committee_id, cycle, candidate_id, 'P' FROM candidates
    WHERE principal_committee_id IS NOT NULL
);

-- Whose are a committee's itemized receipts (and its reports, where no FEC total exists)? One
-- candidacy per committee and cycle, so nothing counts twice: a committee linked to several candidate
-- IDs of one person (House and Senate IDs, re-registrations) goes to the candidacy of that cycle's
-- election (in a race; the linkage's election year is the cycle), then to the one it is principal for.
CREATE OR REPLACE TEMP TABLE candidate_committees AS
SELECT DISTINCT ON (l.committee_id, l.cycle) l.committee_id, l.cycle, l.candidate_id, l.designation
FROM candidate_links l
LEFT JOIN candidates c USING (candidate_id, cycle)
ORDER BY l.committee_id, l.cycle, coalesce(c.in_race, false) DESC,
         EXISTS (SELECT 1 FROM raw_linkages y WHERE y.candidate_id = l.candidate_id AND y.committee_id = l.committee_id
                 AND y.cycle = l.cycle AND y.election_year = l.cycle) DESC,
         l.designation DESC, l.candidate_id;

-- Newest version of every report: a filing named as replaced by a later one drops out, and of
-- what is left the largest file number per report wins.
CREATE OR REPLACE TEMP TABLE superseded_files AS
SELECT DISTINCT previous_file_number AS file_number FROM raw_reports WHERE previous_file_number IS NOT NULL;

CREATE OR REPLACE TEMP TABLE current_reports AS
SELECT DISTINCT ON (committee_id, report_year, report_type, coverage_start) *
FROM raw_reports
WHERE (file_number IS NULL OR file_number NOT IN (SELECT file_number FROM superseded_files))
  AND report_type IS DISTINCT FROM '{contract.LEGACY_BULK_REPORT_TYPE}'
ORDER BY committee_id, report_year, report_type, coverage_start, file_number DESC;

-- Itemized money from individuals as counted: one row per sub_id, no memos, no conduit copies,
-- nothing from a superseded filing. A refund (22Y) is filed as a positive amount and subtracts; a
-- negative one undoes an earlier refund and adds back.
CREATE OR REPLACE TEMP TABLE counted_receipts AS
SELECT DISTINCT ON (sub_id) * REPLACE (
    CASE WHEN receipt_type IN ({literal_list(contract.REFUND_RECEIPT_TYPES)}) THEN -amount ELSE amount END
        AS amount)
FROM raw_schedule_a
WHERE memo_code IS DISTINCT FROM 'X'
  AND coalesce(receipt_type, '15') IN ({literal_list(contract.INDIVIDUAL_RECEIPT_TYPES)})
  AND committee_id NOT IN (SELECT committee_id FROM conduit_ids)
  AND (file_number IS NULL OR file_number NOT IN (SELECT file_number FROM superseded_files))
ORDER BY sub_id, file_number DESC NULLS LAST;
"""

# Money that can have moved between a candidate's own committees is counted twice in a gross total
# (once raised by the committee that sent it, once by the one that received it). Filings do not say
# which transfers are between the candidate's committees, and most transfers in have no transfer out
# among them (joint-fundraising proceeds), so the net figure takes out only what both sides show:
# the smaller of transfers in and transfers out.
# Unknown (NULL) where a source does not carry both.
NET = "CASE WHEN {t}.transfers_from_authorized IS NOT NULL AND {t}.transfers_to_authorized IS NOT NULL \
THEN least({t}.transfers_from_authorized, {t}.transfers_to_authorized) END"

EXTRACT_SQL: dict[str, str] = {
    "candidates": "SELECT {cols} FROM candidates ORDER BY cycle, office, state, district, candidate_id",
    "committees": "SELECT {cols} FROM committees ORDER BY cycle, committee_id",
    "candidate_totals": f"""
        WITH per_committee AS (
            SELECT cc.candidate_id, r.cycle, r.committee_id, r.*,
                   row_number() OVER (PARTITION BY r.committee_id, r.cycle
                                      ORDER BY r.coverage_end DESC, r.file_number DESC) AS newest
            FROM current_reports r JOIN candidate_committees cc USING (committee_id, cycle)
        ), from_reports AS (
            SELECT candidate_id, cycle, sum(receipts) AS receipts, sum(disbursements) AS disbursements,
                   sum(cash_on_hand_end) FILTER (WHERE newest = 1) AS cash_on_hand,
                   sum(debts_owed) FILTER (WHERE newest = 1) AS debts,
                   sum(individual_itemized) AS individual_itemized,
                   sum(individual_unitemized) AS individual_unitemized,
                   sum(individual_refunds) AS individual_refunds,
                   sum(other_committee_contributions) AS other_committee_contributions,
                   sum(party_contributions) AS party_contributions,
                   sum(candidate_contributions) AS candidate_self,
                   sum(transfers_from_authorized) AS transfers_from_authorized,
                   sum(transfers_to_authorized) AS transfers_to_authorized,
                   'reports' AS totals_source,
                   min(coverage_start) AS coverage_start, max(coverage_end) AS coverage_end
            FROM per_committee GROUP BY candidate_id, cycle
        ), gifts AS (
            SELECT candidate_id, cycle, sum(amount) FILTER (
                       WHERE receipt_type IS NULL OR receipt_type NOT IN ({literal_list(contract.REFUND_RECEIPT_TYPES)})) AS gifts
            FROM receipts GROUP BY ALL
        ), itemized_cycles AS (SELECT DISTINCT cycle FROM counted_receipts),
        -- The FEC's own totals of the candidate ID. Where they do not split individual money (weball,
        -- webl), itemized = the gifts counted in `receipts` (refunds apart, as on a report) and
        -- unitemized = the rest (never below 0: itemized rows dated after the summary's coverage can
        -- exceed it); without itemized data for the cycle, both are unknown. A breakdown the source does
        -- not carry (the API's batch totals have no transfers out) comes from the candidate's reports.
        from_summary AS (
            SELECT s.candidate_id, s.cycle, s.receipts, s.disbursements, s.cash_on_hand_end AS cash_on_hand,
                   s.debts_owed AS debts,
                   coalesce(s.individual_itemized, itemized_here, r.individual_itemized) AS individual_itemized,
                   coalesce(s.individual_unitemized,
                            CASE WHEN s.individual_contributions IS NOT NULL
                                      AND coalesce(s.individual_itemized, itemized_here) IS NOT NULL THEN
                                 greatest(s.individual_contributions - coalesce(s.individual_itemized, itemized_here), 0)
                            END,
                            r.individual_unitemized) AS individual_unitemized,
                   coalesce(s.individual_refunds, r.individual_refunds) AS individual_refunds,
                   coalesce(s.other_committee_contributions, r.other_committee_contributions)
                       AS other_committee_contributions,
                   coalesce(s.party_contributions, r.party_contributions) AS party_contributions,
                   coalesce(s.candidate_contributions, r.candidate_self) AS candidate_self,
                   coalesce(s.transfers_from_authorized, r.transfers_from_authorized) AS transfers_from_authorized,
                   coalesce(s.transfers_to_authorized, r.transfers_to_authorized) AS transfers_to_authorized,
                   'summary' AS totals_source, s.coverage_start, s.coverage_end
            FROM (SELECT s.*, CASE WHEN i.cycle IS NOT NULL THEN coalesce(g.gifts, 0) END AS itemized_here
                  FROM summaries s LEFT JOIN gifts g USING (candidate_id, cycle)
                  LEFT JOIN itemized_cycles i USING (cycle)) s
            LEFT JOIN from_reports r USING (candidate_id, cycle)
            WHERE s.period = 'cycle'
        ), totals AS (
            SELECT * FROM from_summary
            UNION ALL BY NAME
            SELECT * FROM from_reports r
            WHERE NOT EXISTS (SELECT 1 FROM from_summary s WHERE s.candidate_id = r.candidate_id AND s.cycle = r.cycle)
        ), linked AS (
            SELECT candidate_id, cycle, list(DISTINCT committee_id ORDER BY committee_id) AS committee_ids
            FROM candidate_links GROUP BY ALL
        )
        SELECT t.*, t.receipts - {NET.format(t="t")} AS net_receipts,
               t.disbursements - {NET.format(t="t")} AS net_disbursements,
               -- FEC totals cover every principal and authorized committee of the ID; report sums
               -- cover the committees attributed to it
               CASE WHEN t.totals_source = 'summary' THEN l.committee_ids
                    ELSE (SELECT list(DISTINCT committee_id ORDER BY committee_id) FROM candidate_committees cc
                          WHERE cc.candidate_id = t.candidate_id AND cc.cycle = t.cycle) END AS committee_ids
        FROM totals t LEFT JOIN linked l USING (candidate_id, cycle)
        ORDER BY cycle, candidate_id""",
    # Mirrors candidate_totals' two sources, one committee at a time. Only committees that are no
    # candidate's own (a PAC, a party, a leadership PAC, a joint fundraiser): a campaign committee's money
    # is its candidate's, in candidate_totals.
    "committee_totals": f"""
        WITH candidates_own AS (
            SELECT committee_id, cycle FROM candidate_links
            UNION
            SELECT committee_id, cycle FROM committees
            WHERE committee_type IN ({literal_list(fec.CANDIDATE_COMMITTEE_TYPES)})
        ), per_report AS (
            SELECT r.*, row_number() OVER (PARTITION BY r.committee_id, r.cycle
                                           ORDER BY r.coverage_end DESC, r.file_number DESC) AS newest
            FROM current_reports r
            WHERE NOT EXISTS (SELECT 1 FROM candidates_own o WHERE o.committee_id = r.committee_id AND o.cycle = r.cycle)
        ), from_reports AS (
            SELECT committee_id, cycle, sum(receipts) AS receipts, sum(disbursements) AS disbursements,
                   sum(cash_on_hand_end) FILTER (WHERE newest = 1) AS cash_on_hand,
                   sum(debts_owed) FILTER (WHERE newest = 1) AS debts,
                   -- refunds apart, as webk's INDV_CONTRIB keeps them
                   sum(coalesce(individual_itemized, 0) + coalesce(individual_unitemized, 0)) FILTER (
                       WHERE individual_itemized IS NOT NULL OR individual_unitemized IS NOT NULL)
                       AS individual_contributions,
                   -- a report's summary page as the raw store keeps it has no independent-expenditure line
                   CAST(NULL AS {contract.MONEY}) AS independent_expenditures,
                   max(coverage_end) AS coverage_end, 'reports' AS totals_source
            FROM per_report GROUP BY committee_id, cycle
        ), from_summary AS (
            -- one per committee and cycle: the later data wins
            SELECT DISTINCT ON (committee_id, cycle) committee_id, cycle, receipts, disbursements,
                   cash_on_hand_end AS cash_on_hand, debts_owed AS debts, individual_contributions,
                   independent_expenditures, coverage_end, 'summary' AS totals_source
            FROM raw_committee_summaries
            ORDER BY committee_id, cycle, coverage_end DESC NULLS LAST, source
        )
        SELECT * FROM from_summary
        UNION ALL BY NAME
        SELECT * FROM from_reports r
        WHERE NOT EXISTS (SELECT 1 FROM from_summary s WHERE s.committee_id = r.committee_id AND s.cycle = r.cycle)
        ORDER BY cycle, committee_id""",
    "candidate_election_totals": f"""
        WITH elections AS (
            SELECT DISTINCT candidate_id, election_year, office,
                   election_year - CASE office WHEN 'S' THEN 4 ELSE 2 END AS first_cycle
            FROM candidates WHERE office IN ('S', 'P') AND election_year IS NOT NULL
        ), loaded_cycles AS (SELECT DISTINCT cycle FROM candidates),
        period_cycles AS (
            SELECT e.*, unnest(generate_series(e.first_cycle, e.election_year, 2)) AS cycle FROM elections e
        ), summed AS (
            SELECT p.candidate_id, p.election_year, any_value(p.office) AS office, any_value(p.first_cycle) AS first_cycle,
                   list(p.cycle ORDER BY p.cycle) FILTER (WHERE l.cycle IS NOT NULL) AS cycles_included,
                   list(p.cycle ORDER BY p.cycle) FILTER (WHERE l.cycle IS NULL) AS cycles_missing,
                   sum(t.receipts) AS receipts, sum(t.disbursements) AS disbursements,
                   sum(t.net_receipts) AS net_receipts, sum(t.net_disbursements) AS net_disbursements,
                   arg_max(t.cash_on_hand, t.cycle) AS cash_on_hand, arg_max(t.debts, t.cycle) AS debts,
                   min(t.coverage_start) AS coverage_start, max(t.coverage_end) AS coverage_end,
                   CASE WHEN bool_and(t.totals_source = 'summary') THEN 'summary' ELSE 'reports' END AS totals_source
            FROM period_cycles p
            LEFT JOIN loaded_cycles l USING (cycle)
            LEFT JOIN candidate_totals t ON t.candidate_id = p.candidate_id AND t.cycle = p.cycle
            GROUP BY p.candidate_id, p.election_year
        )
        -- The FEC's own election totals (the API's full-election rows) replace the sum where present.
        SELECT m.candidate_id, m.election_year, m.office, m.first_cycle,
               CASE WHEN s.candidate_id IS NULL THEN coalesce(m.cycles_included, []) ELSE
                   generate_series(m.first_cycle, m.election_year, 2) END AS cycles_included,
               CASE WHEN s.candidate_id IS NULL THEN coalesce(m.cycles_missing, []) ELSE [] END AS cycles_missing,
               coalesce(s.receipts, m.receipts) AS receipts, coalesce(s.disbursements, m.disbursements) AS disbursements,
               CASE WHEN s.candidate_id IS NULL THEN m.net_receipts ELSE s.receipts - {NET.format(t="s")} END
                   AS net_receipts,
               CASE WHEN s.candidate_id IS NULL THEN m.net_disbursements ELSE s.disbursements - {NET.format(t="s")} END
                   AS net_disbursements,
               coalesce(s.cash_on_hand_end, m.cash_on_hand) AS cash_on_hand, coalesce(s.debts_owed, m.debts) AS debts,
               coalesce(s.coverage_start, m.coverage_start) AS coverage_start,
               coalesce(s.coverage_end, m.coverage_end) AS coverage_end,
               CASE WHEN s.candidate_id IS NULL THEN m.totals_source ELSE 'summary' END AS totals_source
        FROM summed m
        LEFT JOIN summaries s ON s.candidate_id = m.candidate_id AND s.cycle = m.election_year AND s.period = 'election'
        WHERE m.receipts IS NOT NULL OR s.candidate_id IS NOT NULL
        ORDER BY m.election_year, m.candidate_id""",
    "candidate_periods": """
        SELECT cc.candidate_id, r.cycle, r.report_year, r.report_type,
               min(r.coverage_start) AS coverage_start, max(r.coverage_end) AS coverage_end,
               sum(r.receipts) AS receipts, sum(r.disbursements) AS disbursements,
               sum(r.cash_on_hand_end) AS cash_on_hand_end,
               sum(r.individual_itemized) AS individual_itemized, sum(r.individual_unitemized) AS individual_unitemized
        FROM current_reports r JOIN candidate_committees cc USING (committee_id, cycle)
        GROUP BY ALL ORDER BY cc.candidate_id, r.cycle, coverage_end""",
    "agg_candidate_daily": """
        SELECT candidate_id, cycle, date, sum(amount) AS amount, count(*) AS n
        FROM receipts GROUP BY ALL ORDER BY candidate_id, cycle, date""",
    "agg_candidate_size": f"""
        WITH buckets AS (
            SELECT candidate_id, cycle, size_bucket(amount) AS size_bucket, sum(amount) AS amount, count(*) AS n
            FROM receipts GROUP BY ALL
        ), grid AS (
            SELECT t.candidate_id, t.cycle, b.size_bucket, b.size_label, t.individual_unitemized
            FROM candidate_totals t CROSS JOIN (VALUES {", ".join(f"({i}, '{label}')" for i, label in contract.SIZE_BUCKETS)})
                 b(size_bucket, size_label)
        )
        SELECT g.candidate_id, g.cycle, g.size_bucket, g.size_label,
               coalesce(b.amount, 0) + CASE WHEN g.size_bucket = 0 THEN coalesce(g.individual_unitemized, 0) ELSE 0 END
                   AS amount,
               CASE WHEN g.size_bucket = 0 THEN NULL ELSE coalesce(b.n, 0) END AS n
        FROM grid g LEFT JOIN buckets b USING (candidate_id, cycle, size_bucket)
        ORDER BY g.candidate_id, g.cycle, g.size_bucket""",
    "agg_candidate_state": """
        SELECT r.candidate_id, r.cycle, r.state, sum(r.amount) AS amount, count(*) AS n,
               r.state = any_value(c.state) AS in_state
        FROM receipts r JOIN candidates c USING (candidate_id, cycle)
        GROUP BY r.candidate_id, r.cycle, r.state ORDER BY r.candidate_id, r.cycle, amount DESC""",
    "agg_candidate_donor": f"""
        WITH donors AS (
            SELECT candidate_id, cycle, donor_key,
                   arg_max(contributor_name, date) AS contributor_name, arg_max(city, date) AS city,
                   arg_max(state, date) AS state, arg_max(zip5, date) AS zip5,
                   arg_max(employer, date) AS employer, arg_max(occupation, date) AS occupation,
                   sum(amount) AS amount, count(*) AS n
            FROM receipts GROUP BY candidate_id, cycle, donor_key
        )
        SELECT * FROM (
            SELECT candidate_id, cycle,
                   row_number() OVER (PARTITION BY candidate_id, cycle ORDER BY amount DESC, donor_key) AS rank,
                   donor_key, contributor_name, city, state, zip5, employer, occupation, amount, n
            FROM donors)
        WHERE rank <= {contract.TOP_N} ORDER BY candidate_id, cycle, rank""",
    "agg_district": """
        WITH races AS (
            SELECT c.candidate_id, c.cycle, c.office,
                   CASE WHEN c.office = 'P' THEN 'US' ELSE c.state END AS state,
                   CASE WHEN c.office = 'H' THEN c.district ELSE '00' END AS district,
                   c.name, c.party, t.receipts, t.disbursements, t.cash_on_hand, t.individual_unitemized,
                   t.coverage_end
            FROM candidates c LEFT JOIN candidate_totals t USING (candidate_id, cycle)
            WHERE c.in_race  -- candidacies of the cycle's own election only (builder/candidacies.py)
        ), itemized AS (
            SELECT r.candidate_id, r.cycle, sum(r.amount) AS itemized,
                   sum(r.amount) FILTER (WHERE r.state IS DISTINCT FROM c.state) AS out_of_state,
                   sum(r.amount) FILTER (WHERE size_bucket(r.amount) = 0) AS small
            FROM receipts r JOIN candidates c USING (candidate_id, cycle) GROUP BY ALL
        ), outside_money AS (  -- builder/outside.py: counted once; notices apart
            SELECT candidate_id, cycle,
                   sum(amount) FILTER (WHERE NOT from_notice AND support_oppose = 'S') AS outside_support,
                   sum(amount) FILTER (WHERE NOT from_notice AND support_oppose = 'O') AS outside_oppose,
                   sum(amount) FILTER (WHERE from_notice) AS outside_notices
            FROM outside WHERE candidate_id IS NOT NULL GROUP BY ALL
        ), ranked AS (
            SELECT races.*, i.itemized, i.out_of_state, i.small, o.outside_support, o.outside_oppose, o.outside_notices,
                   d.in_district_amount, d.placed_amount,
                   row_number() OVER (PARTITION BY cycle, office, state, district
                                      ORDER BY coalesce(receipts, 0) DESC, candidate_id) AS place
            FROM races LEFT JOIN itemized i USING (candidate_id, cycle) LEFT JOIN outside_money o USING (candidate_id, cycle)
            LEFT JOIN (SELECT candidate_id, cycle, in_district_amount, itemized_amount - unknown_amount AS placed_amount
                       FROM candidate_in_district) d USING (candidate_id, cycle)  -- builder/in_district.py
        )
        SELECT cycle, office, state, district, count(*) AS n_candidates,
               coalesce(sum(receipts), 0) AS receipts, coalesce(sum(disbursements), 0) AS disbursements,
               coalesce(sum(cash_on_hand), 0) AS cash_on_hand,
               any_value(candidate_id) FILTER (WHERE place = 1) AS leader_candidate_id,
               any_value(name) FILTER (WHERE place = 1) AS leader_name,
               any_value(party) FILTER (WHERE place = 1) AS leader_party,
               coalesce(any_value(receipts) FILTER (WHERE place = 1), 0) AS leader_receipts,
               CAST(any_value(receipts) FILTER (WHERE place = 1) AS DOUBLE) / nullif(sum(receipts), 0) AS leader_share,
               CAST(coalesce(any_value(receipts) FILTER (WHERE place = 1), 0)
                    - coalesce(any_value(receipts) FILTER (WHERE place = 2), 0) AS DOUBLE)
                   / nullif(sum(receipts), 0) AS margin,
               coalesce(sum(itemized), 0) AS itemized_amount,
               CASE WHEN office = 'P' THEN NULL ELSE coalesce(sum(out_of_state), 0) END AS out_of_state_amount,
               CASE WHEN office = 'P' THEN NULL
                    ELSE CAST(sum(out_of_state) AS DOUBLE) / nullif(sum(itemized), 0) END AS out_of_state_share,
               coalesce(sum(small), 0) + coalesce(sum(individual_unitemized), 0) AS small_amount,
               CAST(coalesce(sum(small), 0) + coalesce(sum(individual_unitemized), 0) AS DOUBLE)
                   / nullif(coalesce(sum(itemized), 0) + coalesce(sum(individual_unitemized), 0), 0) AS small_share,
               max(coverage_end) AS coverage_end,
               coalesce(sum(outside_support), 0) + coalesce(sum(outside_oppose), 0) AS outside_amount,
               coalesce(sum(outside_support), 0) AS outside_support,
               coalesce(sum(outside_oppose), 0) AS outside_oppose,
               coalesce(sum(outside_notices), 0) AS outside_notice_amount,
               -- outside money (reported in regular reports) as a share of all money: the candidates' own
               -- receipts plus it
               CAST(coalesce(sum(outside_support), 0) + coalesce(sum(outside_oppose), 0) AS DOUBLE)
                   / nullif(coalesce(sum(receipts), 0) + coalesce(sum(outside_support), 0)
                            + coalesce(sum(outside_oppose), 0), 0) AS outside_share,
               sum(in_district_amount) AS in_district_amount,
               CAST(sum(in_district_amount) AS DOUBLE) / nullif(sum(placed_amount), 0) AS in_district_share
        FROM ranked GROUP BY cycle, office, state, district ORDER BY cycle, office, state, district""",
    "agg_daily": """
        SELECT r.date, r.cycle, coalesce(m.party, 'UNK') AS party, coalesce(c.office, 'N') AS office,
               -- the race's state for a candidate's committee (US for the presidency), else the
               -- committee's own
               CASE WHEN c.office = 'P' THEN 'US' ELSE coalesce(c.state, m.state, '?') END AS state,
               coalesce(m.committee_type, '?') AS committee_type, sum(r.amount) AS amount, count(*) AS n
        FROM counted_receipts r
        LEFT JOIN committees m USING (committee_id, cycle)
        LEFT JOIN candidate_committees cc USING (committee_id, cycle)
        LEFT JOIN candidates c ON c.candidate_id = cc.candidate_id AND c.cycle = r.cycle
        WHERE r.date IS NOT NULL
        GROUP BY ALL ORDER BY r.date, party, office, state, committee_type""",
    "large_receipts": f"""
        SELECT r.cycle, r.date, r.amount, r.candidate_id, c.party, c.office,
               CASE WHEN c.office = 'P' THEN 'US' ELSE c.state END AS state, r.committee_id, r.sub_id,
               r.contributor_name, r.city, r.state AS contributor_state, r.employer, r.occupation,
               r.is_earmarked, r.conduit_committee_id
        FROM receipts r JOIN candidates c USING (candidate_id, cycle)
        WHERE r.amount >= {contract.LARGE_RECEIPT_FLOOR} AND r.date IS NOT NULL
        ORDER BY r.cycle, r.date, r.amount DESC, r.sub_id""",
}


# Donors are counted over gifts only: a refund (22Y, negative in `receipts`) is no gift, and a donor
# whose only rows are refunds is no donor of the cycle.
EXTRACT_SQL["candidate_donor_counts"] = """
    WITH donors AS (
        SELECT candidate_id, cycle, donor_key, count(*) AS gifts
        FROM receipts WHERE amount > 0 AND donor_key IS NOT NULL GROUP BY ALL
    )
    SELECT candidate_id, cycle, count(*) AS unique_donors,
           count(*) FILTER (WHERE gifts >= 2) AS repeat_donors, count(*) FILTER (WHERE gifts = 1) AS one_time_donors
    FROM donors GROUP BY ALL ORDER BY cycle, candidate_id"""
EXTRACT_SQL["agg_candidate_donor_weeks"] = """
    WITH first_gifts AS (
        SELECT candidate_id, cycle, donor_key, CAST(date_trunc('week', min(date)) AS DATE) AS week
        FROM receipts WHERE amount > 0 AND donor_key IS NOT NULL AND date IS NOT NULL GROUP BY ALL
    ), weeks AS (
        SELECT candidate_id, cycle, week, count(*) AS new_donors FROM first_gifts GROUP BY ALL
    )
    SELECT candidate_id, cycle, week, new_donors,
           CAST(sum(new_donors) OVER (PARTITION BY candidate_id, cycle ORDER BY week) AS BIGINT) AS donors_to_date
    FROM weeks ORDER BY candidate_id, cycle, week"""


def _text_top(column: str) -> str:
    return f"""
        WITH grouped AS (
            SELECT candidate_id, cycle, norm_job({column}) AS {column}, sum(amount) AS amount, count(*) AS n,
                   list(DISTINCT {column}) FILTER (WHERE {column} IS NOT NULL) AS variants
            FROM receipts GROUP BY candidate_id, cycle, norm_job({column})
        )
        SELECT * FROM (
            SELECT candidate_id, cycle,
                   row_number() OVER (PARTITION BY candidate_id, cycle ORDER BY amount DESC, {column} NULLS LAST) AS rank,
                   {column}, amount, n, list_sort(variants)[1:20] AS variants
            FROM grouped)
        WHERE rank <= {contract.TOP_N} ORDER BY candidate_id, cycle, rank"""


EXTRACT_SQL.update(OUTSIDE_EXTRACT_SQL)
EXTRACT_SQL["agg_candidate_employer"] = _text_top("employer")
EXTRACT_SQL["agg_candidate_occupation"] = _text_top("occupation")
EXTRACT_SQL["candidate_in_district"] = CANDIDATE_IN_DISTRICT_SQL  # builder/in_district.py
EXTRACT_SQL["donors"] = DONORS_SQL  # one row per donor and cycle (builder/donors.py)

# The ZIP code of an American address only (a state, territory or military post office) written
# as 5 or 9 digits: a foreign postal code ('ZZ' BONN 53177, a blank state with PARIS 75004) is no
# US ZIP, so it gets no zip5 and its donor key says '?' for the ZIP, like a missing one.
US_ZIP = f"""CASE WHEN upper(trim(r.state)) IN ({literal_list(geography.US_POSTAL_STATES)})
                   AND regexp_full_match(trim(r.zip), '[0-9]{{5}}(-?[0-9]{{4}})?') THEN trim(r.zip) END"""

RECEIPTS_SQL = f"""
    SELECT r.sub_id, r.committee_id, cc.candidate_id, r.date, CAST(r.amount AS DECIMAL(14,2)) AS amount,
           donor_key(r.contributor_name, {US_ZIP}) AS donor_key, r.contributor_name, r.city, r.state,
           zip5({US_ZIP}) AS zip5, r.employer, r.occupation,
           (r.receipt_type = '15E' OR r.conduit_committee_id IS NOT NULL) AS is_earmarked,
           r.conduit_committee_id, r.receipt_type, CAST(r.aggregate_ytd AS DECIMAL(14,2)) AS aggregate_ytd,
           r.entity_type, r.image_number, upper(nullif(trim(r.election_type), '')) AS election_type, r.cycle
    FROM counted_receipts r JOIN candidate_committees cc USING (committee_id, cycle)
    ORDER BY r.cycle, cc.candidate_id, r.date, r.sub_id"""

SIZE_BUCKET_MACRO = """
CREATE OR REPLACE MACRO size_bucket(amount) AS CASE
    WHEN abs(amount) <= 200 THEN 0 WHEN abs(amount) < 500 THEN 1 WHEN abs(amount) < 1000 THEN 2
    WHEN abs(amount) < 2000 THEN 3 ELSE 4 END;
"""

# Built in this order: later extracts read earlier ones (as tables of the same name).
BUILD_ORDER = (
    "candidates",
    "committees",
    "receipts",
    "candidate_totals",
    "candidate_election_totals",
    "committee_totals",
    "candidate_periods",
    "agg_candidate_daily",
    "agg_candidate_size",
    "agg_candidate_state",
    "agg_candidate_donor",
    "agg_candidate_employer",
    "agg_candidate_occupation",
    "candidate_donor_counts",
    "agg_candidate_donor_weeks",
    "donors",
    "candidate_in_district",
    "agg_district",
    "agg_daily",
    "large_receipts",
    "outside_expenditures",
    "agg_outside_daily",
    "agg_outside_spenders",
    "outside_unmatched",
)


def stage(con: duckdb.DuckDBPyConnection) -> None:
    """The staged tables every extract reads, from the raw views (raw_views)."""
    normalize.install(con)
    con.execute(STAGING)
    mark_races(con)
    con.execute(ATTRIBUTION)
    con.execute(OUTSIDE_STAGING)


def build_extracts(con: duckdb.DuckDBPyConnection, raw_dir: Path, out_dir: Path, progress=None) -> dict:
    """Write every extract of the contract into out_dir; returns raw row counts."""
    progress = progress or (lambda msg: None)
    con.execute(SIZE_BUCKET_MACRO)
    raw_counts = raw_views(con, raw_dir)
    progress(f"raw rows: {raw_counts}")
    stage(con)
    for name in BUILD_ORDER:
        if name == "receipts":
            con.execute(f"CREATE OR REPLACE TEMP TABLE receipts AS {RECEIPTS_SQL}")
            folder = out_dir / "receipts"
            cols = ", ".join(contract.EXTRACTS["receipts/"])
            con.execute(
                f"COPY (SELECT {cols} FROM receipts) TO {quote_literal(folder)} "
                "(FORMAT parquet, PARTITION_BY (cycle), COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
            )
            if not any(folder.glob("**/*.parquet")):  # no itemized data (e.g. a bulk load without itcont)
                no_cycle = ", ".join(c for c in contract.EXTRACTS["receipts/"] if c != "cycle")
                cycles = "SELECT DISTINCT cycle FROM candidates UNION SELECT DISTINCT cycle FROM committees"
                for (cycle,) in con.execute(cycles).fetchall():
                    (folder / f"cycle={int(cycle)}").mkdir(parents=True, exist_ok=True)
                    con.execute(
                        f"COPY (SELECT {no_cycle} FROM receipts) TO "
                        f"{quote_literal(folder / f'cycle={int(cycle)}' / 'empty.parquet')} (FORMAT parquet)"
                    )
        else:
            if name == "candidate_in_district":  # the Census relationship cached beside raw/ (data_dir/geo)
                load_relationships(con, raw_dir.parent)
            cols = ", ".join(contract.EXTRACTS[name])
            sql = EXTRACT_SQL[name].replace("{cols}", cols)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name}_out AS SELECT {cols} FROM ({sql})")
            con.execute(
                f"COPY {name}_out TO {quote_literal(layout.extract_path(out_dir, name))} "
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            if name in ("candidate_totals", "candidate_in_district"):
                con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_out")
        progress(f"built {name}")
    return raw_counts
