"""Outside spending: the counting rules for independent expenditures (Schedule E), in one place.

Whatever source wrote raw `schedule_e` (the API's processed and raw e-filed lines, the bulk
independent_expenditure file's notices and pas2 file's regular lines, the demo), the same statements run:
- memo lines (memo_code 'X') are details of an expenditure reported on another line: never added;
- a regular report's lines (Form 3X, Form 5) count in the newest version of the filing only: a filing
  named as replaced by a later one (previous_file_number) drops out, and one sub_id counts once;
- a 24/48-hour notice (Form 24) keeps every version in the FEC's data: of the versions of one
  expenditure (same spender, transaction ID, candidate and expenditure date) the latest filing counts;
- a notice gives way to the regular report's line for the same expenditure: same spender, transaction
  ID, candidate and expenditure date (transaction IDs alone are not enough: some filers restart them,
  SE.1, SE.2, ..., in every notice). The same candidate: the candidate of the cycle both lines are
  matched to (below), else the same candidate ID, else the same name, office, state and district (a
  notice naming its candidate by name and the report's line by ID are one expenditure: the FEC's
  processed data, the bulk pas2 file among them, gives the ID where the filing gave a name). What only
  a notice reports so far is `from_notice`: shown apart, labelled, never added to the processed totals;
- the money is placed on the dissemination date, else the expenditure date; a regular line without one
  (the bulk pas2 file carries none) takes the dissemination date of the notice it supersedes, if any;
  support and oppose stay apart;
- the candidate is the filing's candidate ID when the cycle has that candidate; else the one candidate of
  the cycle with the same last name, office, state (and district, for the House); no match or several:
  listed in `outside_unmatched`, never guessed.
"""

from __future__ import annotations

from dashboard.core import fec
from dashboard.core.sql import literal_list

_SPENDER_TYPE = (
    "CASE m.committee_type "
    + " ".join(f"WHEN '{code}' THEN '{kind}'" for code, kind in fec.SPENDER_TYPE_OF_COMMITTEE_TYPE.items())
    + " ELSE 'nonprofit' END"
)

OUTSIDE_STAGING = f"""
CREATE OR REPLACE TEMP TABLE se_named AS
SELECT *,
       -- the candidate as the filing names it: its ID, else its name, office, state and district
       coalesce(nullif(trim(candidate_id), ''),
                fold_name(split_part(candidate_name, ',', 1)) || '|' || coalesce(candidate_office, '?') || '|'
                || coalesce(candidate_state, '?') || '|' || coalesce(candidate_district, '')) AS named_key
FROM raw_schedule_e
WHERE memo_code IS DISTINCT FROM 'X' AND amount IS NOT NULL;

-- The candidate of the cycle each way of naming one stands for: the ID when the cycle has it, else the
-- one candidate with that last name, office, state (and district); several or none: no candidate.
CREATE OR REPLACE TEMP TABLE se_names AS
WITH named AS (
    SELECT DISTINCT cycle, candidate_id, candidate_name, candidate_office, candidate_state, candidate_district
    FROM se_named
), known AS (SELECT DISTINCT candidate_id, cycle FROM candidates),
by_name AS (
    SELECT e.cycle, e.candidate_id, e.candidate_name, e.candidate_office, e.candidate_state, e.candidate_district,
           list(DISTINCT c.candidate_id) AS candidate_ids
    FROM named e
    JOIN candidates c
      ON c.cycle = e.cycle AND c.office = e.candidate_office AND c.state = e.candidate_state
     AND (c.office <> 'H' OR c.district = lpad(coalesce(nullif(trim(e.candidate_district), ''), '00'), 2, '0'))
     AND fold_name(split_part(c.name, ',', 1)) = fold_name(split_part(e.candidate_name, ',', 1))
    WHERE e.candidate_id IS NULL OR e.candidate_id NOT IN (SELECT candidate_id FROM known k WHERE k.cycle = e.cycle)
    GROUP BY ALL
)
SELECT e.*,
       CASE WHEN k.candidate_id IS NOT NULL THEN e.candidate_id
            WHEN len(b.candidate_ids) = 1 THEN b.candidate_ids[1] END AS matched_candidate_id,
       CASE WHEN k.candidate_id IS NOT NULL THEN 'id' WHEN len(b.candidate_ids) = 1 THEN 'name' END AS matched_by,
       coalesce(len(b.candidate_ids), 0) AS name_matches
FROM named e
LEFT JOIN known k ON k.candidate_id = e.candidate_id AND k.cycle = e.cycle
LEFT JOIN by_name b
  ON b.cycle = e.cycle AND b.candidate_id IS NOT DISTINCT FROM e.candidate_id
 AND b.candidate_name IS NOT DISTINCT FROM e.candidate_name AND b.candidate_office IS NOT DISTINCT FROM e.candidate_office
 AND b.candidate_state IS NOT DISTINCT FROM e.candidate_state
 AND b.candidate_district IS NOT DISTINCT FROM e.candidate_district;

CREATE OR REPLACE TEMP TABLE se_lines AS
SELECT l.*, n.matched_candidate_id, n.matched_by, n.name_matches,
       coalesce(n.matched_candidate_id, l.named_key) AS candidate_key
FROM se_named l
JOIN se_names n
  ON n.cycle = l.cycle AND n.candidate_id IS NOT DISTINCT FROM l.candidate_id
 AND n.candidate_name IS NOT DISTINCT FROM l.candidate_name AND n.candidate_office IS NOT DISTINCT FROM l.candidate_office
 AND n.candidate_state IS NOT DISTINCT FROM l.candidate_state
 AND n.candidate_district IS NOT DISTINCT FROM l.candidate_district;

CREATE OR REPLACE TEMP TABLE se_notices AS
SELECT * FROM se_lines WHERE coalesce(is_notice, false)
QUALIFY row_number() OVER (
    PARTITION BY committee_id, transaction_id, candidate_key, expenditure_date
    ORDER BY file_number DESC NULLS LAST, sub_id DESC) = 1;

-- A regular line without a dissemination date takes the one of the notice it supersedes.
CREATE OR REPLACE TEMP TABLE se_regular AS
SELECT r.* REPLACE (coalesce(r.dissemination_date, n.dissemination_date) AS dissemination_date)
FROM (
    SELECT DISTINCT ON (sub_id) * FROM se_lines
    WHERE NOT coalesce(is_notice, false)
      AND (file_number IS NULL OR file_number NOT IN (
          SELECT previous_file_number FROM raw_schedule_e
          WHERE previous_file_number IS NOT NULL AND NOT coalesce(is_notice, false)))
    ORDER BY sub_id, file_number DESC NULLS LAST
) r
LEFT JOIN se_notices n
  ON n.committee_id = r.committee_id AND n.transaction_id = r.transaction_id
 AND n.candidate_key = r.candidate_key AND n.expenditure_date IS NOT DISTINCT FROM r.expenditure_date;

CREATE OR REPLACE TEMP TABLE se_counted AS
SELECT *, false AS from_notice FROM se_regular
UNION ALL BY NAME
SELECT n.*, true AS from_notice FROM se_notices n
WHERE NOT EXISTS (
    SELECT 1 FROM se_regular r
    WHERE r.committee_id = n.committee_id AND r.transaction_id = n.transaction_id
      AND r.candidate_key = n.candidate_key AND r.expenditure_date IS NOT DISTINCT FROM n.expenditure_date);

CREATE OR REPLACE TEMP TABLE outside AS
SELECT e.cycle, coalesce(e.dissemination_date, e.expenditure_date) AS date,
       e.matched_candidate_id AS candidate_id,
       e.support_oppose, e.amount, e.committee_id, coalesce(m.name, e.spender_name) AS spender_name,
       {_SPENDER_TYPE} AS spender_type, e.from_notice, e.matched_by, e.name_matches,
       e.purpose, e.payee_name, e.filing_form, e.file_number, e.transaction_id, e.image_number, e.sub_id,
       e.filed_date,
       e.candidate_name, e.candidate_office, e.candidate_state, e.candidate_district
FROM se_counted e
LEFT JOIN committees m ON m.committee_id = e.committee_id AND m.cycle = e.cycle
WHERE e.support_oppose IN ({literal_list(fec.SUPPORT_OPPOSE)});
"""

OUTSIDE_EXTRACT_SQL = {
    "outside_expenditures": """
        SELECT {cols} FROM outside ORDER BY cycle, candidate_id, date, sub_id""",
    "agg_outside_daily": """
        SELECT candidate_id, cycle, date, support_oppose, spender_type, from_notice, sum(amount) AS amount,
               count(*) AS n
        FROM outside WHERE candidate_id IS NOT NULL
        GROUP BY ALL ORDER BY candidate_id, cycle, date, support_oppose, spender_type, from_notice""",
    "agg_outside_spenders": """
        SELECT cycle, candidate_id, committee_id, any_value(spender_name) AS spender_name,
               any_value(spender_type) AS spender_type, support_oppose,
               coalesce(sum(amount) FILTER (WHERE NOT from_notice), 0) AS amount,
               count(*) FILTER (WHERE NOT from_notice) AS n,
               coalesce(sum(amount) FILTER (WHERE from_notice), 0) AS notice_amount,
               min(date) AS first_date, max(date) AS last_date
        FROM outside WHERE candidate_id IS NOT NULL
        GROUP BY cycle, candidate_id, committee_id, support_oppose
        ORDER BY cycle, candidate_id, sum(amount) DESC, committee_id""",
    "outside_unmatched": """
        SELECT cycle, committee_id, any_value(spender_name) AS spender_name, candidate_name, candidate_office,
               candidate_state, candidate_district, support_oppose, sum(amount) AS amount, count(*) AS n,
               CASE WHEN max(name_matches) > 1
                    THEN 'several candidates of the cycle have this name, office and state'
                    ELSE 'no candidate of the cycle has this ID, or this name, office and state' END AS reason
        FROM outside WHERE candidate_id IS NULL
        GROUP BY cycle, committee_id, candidate_name, candidate_office, candidate_state, candidate_district,
                 support_oppose
        ORDER BY cycle, amount DESC""",
}
