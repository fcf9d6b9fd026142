"""The receipts explorer's search index: a DuckDB database file in the snapshot (search.duckdb).

Why a DuckDB file and five sorted copies of the receipts (measured on the 40M-row benchmark, 2 cores):
- An explorer query must answer in tens of milliseconds however broad it is. DuckDB skips every row
  group whose min/max cannot match, and a top-N query skips the row groups that cannot beat the rows
  it already holds, so a search is fast when the rows are sorted by what it looks up or sorts by.
  One order cannot serve them all: a ZIP code's rows are 1 of 40,000 and scattered in date order
  (a page took 200 ms); the largest gifts of a cycle took 215 ms from rows in date order and 21 ms
  from rows in amount order. So the rows are stored five times, each in the order one kind of
  search needs (ORDERS below), and dashboard.app.queries.receipts picks the copy.
- A read-only DuckDB file answers the same lookups several times faster than Parquet (a name lookup:
  1-5 ms against 35-40 ms, as Parquet's footer and row-group statistics are decoded per query), and
  its tables carry min/max per row group for every column.
- Name search: `donor_name_tokens` holds every word of every name a donor filed under, sorted, so
  "every word typed begins a word of the name" is a range lookup per word (4-6 ms), and the donors
  it finds are read from the copy sorted by donor (and from `donors`, the donors extract again).
- Columns the filters compare are stored precomputed (folded name words, normalized employer and
  occupation, upper-case city, the state of the recipient candidate's seat), so no regular
  expression runs at query time.
The cost is disk: on the 40M-row benchmark (20.5M receipts) search.duckdb takes 5.3 GB beside the 0.47 GB
receipts extract (DuckDB compresses text less than zstd Parquet does), and
the build about 4.5 minutes more on a quiet machine.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import contract, normalize
from dashboard.core.sql import quote_literal
from dashboard.store import layout

# Copy of the receipts -> the order its rows are stored in.
ORDERS = {
    "receipts_date_order": "cycle, sort_date, sub_id",
    "receipts_amount_order": "cycle, sort_amount DESC, sub_id DESC",
    "receipts_donor_order": "donor_key, cycle, sort_date, sub_id",
    "receipts_zip_order": "zip5, cycle, sort_date, sub_id",
    "receipts_candidate_order": "candidate_id, cycle, sort_date, sub_id",
}

_APOSTROPHE = quote_literal(normalize.APOSTROPHE_CLASS)

# Every word a name is searched by, each after a space: the name folded as typed names are
# (apostrophes dropped: O'ROURKE -> OROURKE) and, for names with an apostrophe, also read with the
# apostrophe as a space (so ROURKE finds it too).
NAME_WORDS_SQL = f"""' ' || fold_name(contributor_name) || CASE
    WHEN regexp_matches(coalesce(contributor_name, ''), {_APOSTROPHE})
    THEN ' ' || fold_name(regexp_replace(contributor_name, {_APOSTROPHE}, ' ', 'g')) ELSE '' END"""

# sort_date and sort_amount are what the explorer orders by: a missing date sorts as the oldest, a
# missing amount as zero, so every row has a place in the order and keyset cursors never skip one.
# Stored rather than computed: DuckDB skips row groups by the min/max of a column, not of an expression
# (ordering by coalesce(amount, 0) took 203 ms where ordering by a column took 21).
_SEARCH_COLUMNS = f"""coalesce(r.date, DATE '1900-01-01') AS sort_date, coalesce(r.amount, 0) AS sort_amount,
    {NAME_WORDS_SQL} AS name_words, norm_job(employer) AS employer_norm,
    norm_job(occupation) AS occupation_norm, upper(city) AS city_upper,
    (SELECT c.state FROM candidates AS c WHERE c.candidate_id = r.candidate_id AND c.cycle = r.cycle
     AND c.office IN ('H', 'S')) AS seat_state"""


# What the explorer shows of a donor: their latest row's name, place and employer.
LATEST_ROW = ", ".join(f"arg_max({column}, (date, sub_id)) AS {column}" for column in contract.DONOR_LATEST_COLUMNS)

# Each donor of a cycle, and of every cycle (cycle NULL: sums, and the name, place and employer of the
# latest cycle), as the explorer lists them with no filter but the cycle. The name is the one filed most
# often (the donors extract's), the place and employer those of the latest gift.
_DONORS_TO_RANK = """
    SELECT cycle, donor_key, name AS contributor_name, city, state, zip5, employer, amount AS total, gifts,
           first_date, last_date
    FROM donors_out
    UNION ALL
    SELECT NULL, donor_key, arg_max(name, cycle), arg_max(city, cycle), arg_max(state, cycle), arg_max(zip5, cycle),
           arg_max(employer, cycle), sum(amount), sum(gifts), min(first_date), max(last_date)
    FROM donors_out GROUP BY donor_key"""


def donor_rankings_sql() -> str:
    """The donor_rankings table: _DONORS_TO_RANK with each donor's place in every order the explorer lists
    donors in, so that a page in any order is a range of one integer column (an ordered top-N over 4.6M
    donors took 50-110 ms, mostly reading their keys to break ties; a range reads 1.5-20). One sort per
    column: the descending place is the ascending one counted from the end, except that NULLs stay last."""
    columns = dict.fromkeys(column for column, _ in contract.DONOR_ORDERS.values())
    ascending = ", ".join(
        f"row_number() OVER (PARTITION BY cycle ORDER BY {column} ASC NULLS LAST, donor_key ASC) AS up_{column}, "
        f"count({column}) OVER (PARTITION BY cycle) AS known_{column}"
        for column in columns
    )
    positions = []
    for sort, (column, descending) in contract.DONOR_ORDERS.items():
        place = (
            f"CASE WHEN {column} IS NULL THEN known_{column} + donors + 1 - up_{column}"
            f" ELSE known_{column} + 1 - up_{column} END"
            if descending
            else f"up_{column}"
        )
        positions.append(f"{place} AS {contract.donor_position(sort)}")
    return f"""SELECT * EXCLUDE (donors, {", ".join(f"up_{c}, known_{c}" for c in columns)}), {", ".join(positions)}
        FROM (SELECT *, count(*) OVER (PARTITION BY cycle) AS donors, {ascending} FROM ({_DONORS_TO_RANK}))
        ORDER BY cycle NULLS FIRST, donor_key"""


def build_search_index(con: duckdb.DuckDBPyConnection, snapshot: Path, progress=None) -> dict[str, int]:
    """Write search.duckdb into the snapshot from the build connection's staged `receipts` and
    `candidates` tables and the built `donors_out`; returns the row count of each table."""
    progress = progress or (lambda msg: None)
    path = layout.search_index_path(snapshot)
    path.unlink(missing_ok=True)
    columns = ", ".join(f"r.{c}" for c in contract.EXTRACTS["receipts/"])
    con.execute("SET preserve_insertion_order = true")  # the copies must keep their ORDER BY
    con.execute(f"ATTACH {quote_literal(str(path))} AS search_index")
    try:
        con.execute(f"CREATE TEMP TABLE search_rows AS SELECT {columns}, {_SEARCH_COLUMNS} FROM receipts AS r")
        for table, order in ORDERS.items():
            con.execute(f"CREATE TABLE search_index.{table} AS SELECT * FROM search_rows ORDER BY {order}")
            progress(f"search index: {table}")
        con.execute("""
            CREATE TABLE search_index.donor_name_tokens AS
            SELECT DISTINCT token, donor_key FROM (
                SELECT donor_key, unnest(string_split(trim(name_words), ' ')) AS token
                FROM (SELECT DISTINCT donor_key, name_words FROM search_rows WHERE donor_key IS NOT NULL))
            WHERE token <> ''
            ORDER BY token, donor_key""")
        progress("search index: donor_name_tokens")
        # Each donor's rows of a cycle summed per spelling of their name words, for searches by name alone:
        # their totals and their donors sum these few rows instead of every receipt (a surname's 97,000
        # donors grouped from their 335,000 receipts took 50 ms at 40M rows).
        con.execute(f"""
            CREATE TABLE search_index.donor_name_totals AS
            SELECT donor_key, cycle, name_words, count(*) AS receipts, sum(amount) AS amount,
                   count(*) FILTER (WHERE amount > 0) AS gifts, min(date) AS first_date, max(date) AS last_date,
                   max((date, sub_id)) AS latest, {LATEST_ROW}
            FROM search_rows WHERE donor_key IS NOT NULL GROUP BY ALL ORDER BY donor_key, cycle""")
        progress("search index: donor_name_totals")
        # The donors extract again, for the donor search and donor pages: one donor's rows are one
        # lookup in a sorted DuckDB table (the Parquet copy stays the extract others read).
        columns = ", ".join(contract.EXTRACTS["donors"])
        con.execute(f"CREATE TABLE search_index.donors AS SELECT {columns} FROM donors_out ORDER BY donor_key, cycle")
        con.execute(f"CREATE TABLE search_index.donor_rankings AS {donor_rankings_sql()}")
        progress("search index: donor_rankings")
        counts = {
            table: con.execute(f"SELECT count(*) FROM search_index.{table}").fetchone()[0]
            for table in contract.SEARCH_INDEX
        }
        con.execute("DROP TABLE search_rows")
    finally:
        con.execute("DETACH search_index")
        con.execute("SET preserve_insertion_order = false")
    return counts
