"""The explorer's donor-state filters (outside the candidate's state, not in a state) and the
conduit's name: each selects and shows exactly what an independent query over the extracts does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.app.queries import receipts
from dashboard.app.queries.receipts import ReceiptFilters
from dashboard.core import params


@pytest.fixture(scope="module")
def con(small_snapshot: Path):
    con = duckdb.connect()
    current = small_snapshot / "current"
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet('{current}/receipts/**/*.parquet', hive_partitioning = true)"
    )
    for name in ("candidates", "committees"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{current}/{name}*.parquet')")
    return con


def expected(con, condition: str, bound: list) -> tuple[int, Decimal]:
    n, amount = con.execute(
        f"""SELECT count(*), coalesce(sum(r.amount), 0) FROM receipts r
            LEFT JOIN candidates c ON c.candidate_id = r.candidate_id AND c.cycle = r.cycle
            WHERE r.cycle = 2024 AND {condition}""",
        bound,
    ).fetchall()[0]
    return n, Decimal(str(amount)).quantize(Decimal("0.01"))


def found(query: dict) -> tuple[int, Decimal]:
    row = receipts.receipts_summary(ReceiptFilters.from_query({"cycle": "2024", **query})).iloc[0]
    return int(row["n"]), Decimal(str(row["amount"])).quantize(Decimal("0.01"))


def test_outside_and_inside_the_candidates_state(con):
    outside = expected(con, "c.office IN ('H', 'S') AND r.state IS NOT NULL AND r.state <> c.state", [])
    inside = expected(con, "c.office IN ('H', 'S') AND r.state = c.state", [])
    assert outside[0] > 0 and inside[0] > 0
    assert found({"outside_state": "yes"}) == outside
    assert found({"outside_state": "no"}) == inside
    # With another filter: one House or Senate candidate's out-of-state money.
    candidate_id, state = con.execute(
        """SELECT r.candidate_id, any_value(c.state) FROM receipts r JOIN candidates c USING (candidate_id, cycle)
           WHERE r.cycle = 2024 AND c.office IN ('H', 'S') AND r.state <> c.state
           GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"""
    ).fetchall()[0]
    one = expected(con, "r.candidate_id = ? AND r.state <> ?", [candidate_id, state])
    assert found({"candidate_id": candidate_id, "outside_state": "yes"}) == one


def test_not_in_a_state(con):
    state = con.execute(
        "SELECT state FROM receipts WHERE cycle = 2024 GROUP BY state ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0][0]
    every, those = expected(con, "true", []), expected(con, "r.state = ?", [state])
    assert those[0] > 0
    assert found({"not_state": state.lower()}) == (every[0] - those[0], every[1] - those[1])
    assert found({"not_state": state, "outside_state": "yes"}) == expected(
        con, "c.office IN ('H', 'S') AND r.state <> c.state AND r.state <> ?", [state]
    )


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"not_state": "ZZ"}, "not_state"),
        ({"outside_state": "maybe"}, "outside_state"),
        ({"state": "CA", "not_state": "ca"}, "not_state"),
    ],
)
def test_bad_values_name_their_parameter(query, parameter):
    with pytest.raises(params.InvalidParameter, match=f"^{parameter}:"):
        ReceiptFilters.from_query({"cycle": "2024", **query})


def test_the_filters_round_trip_through_the_url():
    filters = ReceiptFilters.from_query({"cycle": "2024", "not_state": "tx", "outside_state": "yes"})
    assert filters.to_query() == {"cycle": "2024", "not_state": "TX", "outside_state": "yes"}
    assert ReceiptFilters.from_query(filters.to_query()) == filters
    assert "outside_state" not in filters.without("outside_state").to_query()


def test_rows_name_their_conduit(con):
    frame = receipts.receipts_page(ReceiptFilters.from_query({"cycle": "2024", "earmarked": "yes"}), limit=1000)
    assert len(frame) > 0
    names = dict(con.execute("SELECT committee_id, name FROM committees WHERE cycle = 2024").fetchall())
    assert list(frame["conduit_name"]) == [names.get(c) for c in frame["conduit_committee_id"]]
    assert frame["conduit_name"].notna().all() and frame["conduit_name"].str.len().min() > 0
    direct = receipts.receipts_page(ReceiptFilters.from_query({"cycle": "2024", "earmarked": "no"}), limit=100)
    assert direct["conduit_name"].isna().all()
