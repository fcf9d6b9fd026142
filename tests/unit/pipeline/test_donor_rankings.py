"""The search index's donor_rankings: each donor's place in every order of the explorer's grouped view
equals numbering the donors in that order (NULL dates last either way, ties broken by key)."""

from __future__ import annotations

from datetime import date

import duckdb

from dashboard.core import contract
from dashboard.pipeline.builder.search_index import donor_rankings_sql


def test_every_place_is_the_donors_number_in_that_order():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE donors_out (cycle INTEGER, donor_key VARCHAR, name VARCHAR, city VARCHAR, state VARCHAR,"
        " zip5 VARCHAR, employer VARCHAR, amount DECIMAL(18, 2), gifts BIGINT, first_date DATE, last_date DATE)"
    )
    rows = [
        (2024, "A|1", 100, 2, date(2024, 1, 5), date(2024, 3, 1)),
        (2024, "B|1", 100, 1, None, None),  # a paper filing without dates: last in every date order
        (2024, "C|1", 50, 2, date(2024, 1, 5), date(2024, 3, 1)),
        (2024, "D|1", -20, 0, None, None),
        (2024, "E|1", 300, 5, date(2023, 2, 1), date(2024, 6, 1)),
        (2022, "A|1", 10, 1, date(2022, 5, 1), date(2022, 5, 1)),
        (2022, "F|1", 10, 1, date(2021, 5, 1), date(2022, 7, 1)),
    ]
    con.executemany(
        "INSERT INTO donors_out VALUES (?, ?, ?, 'X', 'OR', '97000', 'E', ?, ?, ?, ?)",
        [(c, k, k, a, g, f, last) for c, k, a, g, f, last in rows],
    )
    ranked = con.execute(donor_rankings_sql()).df()
    assert len(ranked) == len(rows) + 6  # every cycle's donors, and the 6 donors of all cycles (cycle NULL)
    for sort, (column, descending) in contract.DONOR_ORDERS.items():
        direction = "DESC" if descending else "ASC"
        expected = con.execute(
            f"""SELECT cycle, donor_key, row_number() OVER (PARTITION BY cycle ORDER BY {column} {direction}
                       NULLS LAST, donor_key {direction}) AS place
                FROM (SELECT cycle, donor_key, total, gifts, first_date, last_date FROM ranked)"""
        ).df()
        merged = ranked.merge(expected, on=["cycle", "donor_key"], how="left")
        assert len(merged) == len(ranked)
        assert (merged[contract.donor_position(sort)] == merged["place"]).all(), sort
