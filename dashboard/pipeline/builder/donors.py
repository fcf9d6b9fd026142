"""The `donors` extract: one row per donor (donor_key: normalized name + ZIP5, core/normalize.py) and
cycle, from the `receipts` staging table, so a donor's page reads one small table instead of scanning
every receipt.

- `name`: the raw spelling filed most often under the key (of equally frequent ones, the latest filed),
  `variants`: every raw spelling merged under the key, sorted, so the page can show what the rule merged;
- place, employer and occupation are the latest gift's (a refund's row can repeat an old address);
- `amount` is net of refunds as in `receipts` (a 22Y is negative there); `gifts` counts amount > 0 rows,
  `refunds` amount < 0 rows; `recipients` counts distinct candidates (the committee where a row has none);
- `first_date`/`last_date` span every row of the donor in the cycle, refunds included.
"""

from __future__ import annotations

DONORS_SQL = """
    WITH spellings AS (
        SELECT donor_key, cycle, contributor_name, count(*) AS filed, max(date) AS latest, max(sub_id) AS latest_sub
        FROM receipts WHERE contributor_name IS NOT NULL GROUP BY ALL
    ), names AS (
        SELECT donor_key, cycle, arg_max(contributor_name, (filed, latest, latest_sub)) AS name,
               list_sort(list(contributor_name)) AS variants
        FROM spellings GROUP BY ALL
    ), money AS (
        SELECT donor_key, cycle, any_value(norm_name_key(contributor_name)) AS name_key, any_value(zip5) AS zip5,
               arg_max(city, (amount > 0, date, sub_id)) AS city, arg_max(state, (amount > 0, date, sub_id)) AS state,
               arg_max(employer, (amount > 0, date, sub_id)) AS employer,
               arg_max(occupation, (amount > 0, date, sub_id)) AS occupation,
               sum(amount) AS amount, count(*) FILTER (WHERE amount > 0) AS gifts,
               count(*) FILTER (WHERE amount < 0) AS refunds,
               count(DISTINCT coalesce(candidate_id, committee_id)) AS recipients,
               min(date) AS first_date, max(date) AS last_date
        FROM receipts WHERE donor_key IS NOT NULL GROUP BY ALL
    )
    SELECT m.donor_key, m.cycle, n.name, m.name_key, m.zip5, m.city, m.state, m.employer, m.occupation, m.amount,
           m.gifts, m.refunds, m.recipients, m.first_date, m.last_date, coalesce(n.variants, []) AS variants
    FROM money m LEFT JOIN names n USING (donor_key, cycle)
    ORDER BY m.donor_key, m.cycle"""
