"""The explorer keeps individuals and organizations apart (entity=individual|organization) and links
each row to the FEC's image of its filing page: counts equal an independent query over the extract."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.app import links
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
    return con


def expected(con, condition: str, bound: list) -> tuple[int, Decimal]:
    n, amount = con.execute(
        f"SELECT count(*), coalesce(sum(amount), 0) FROM receipts WHERE cycle = 2024 AND {condition}", bound
    ).fetchall()[0]
    return n, Decimal(str(amount)).quantize(Decimal("0.01"))


def found(query: dict) -> tuple[int, Decimal]:
    row = receipts.receipts_summary(ReceiptFilters.from_query({"cycle": "2024", **query})).iloc[0]
    return int(row["n"]), Decimal(str(row["amount"])).quantize(Decimal("0.01"))


def test_individuals_and_organizations_are_counted_apart(con):
    individuals, organizations = expected(con, "entity_type = 'IND'", []), expected(con, "entity_type = 'ORG'", [])
    assert individuals[0] > 0 and organizations[0] > 0
    assert found({"entity": "individual"}) == individuals
    assert found({"entity": "Organization"}) == organizations
    state = con.execute(
        "SELECT state FROM receipts WHERE cycle = 2024 AND entity_type = 'ORG' GROUP BY 1 ORDER BY count(*) DESC"
    ).fetchall()[0][0]
    assert found({"entity": "organization", "state": state}) == expected(
        con, "entity_type = 'ORG' AND state = ?", [state]
    )


def test_the_entity_round_trips_through_the_url_and_is_checked():
    filters = ReceiptFilters.from_query({"cycle": "2024", "entity": "individual"})
    assert filters.to_query() == {"cycle": "2024", "entity": "individual"}
    assert filters.without("entity").entity is None
    with pytest.raises(params.InvalidParameter, match="entity"):
        ReceiptFilters.from_query({"cycle": "2024", "entity": "pac"})


def test_rows_carry_the_entity_and_the_image_number(con):
    filters = ReceiptFilters.from_query({"cycle": "2024", "entity": "organization"})
    page = receipts.receipts_page(filters, limit=50)
    assert len(page) > 0 and set(page["entity_type"]) == {"ORG"}
    sub_ids = [int(s) for s in page["sub_id"]]
    images = dict(
        con.execute(
            f"SELECT sub_id, image_number FROM receipts WHERE sub_id IN ({', '.join('?' * len(sub_ids))})", sub_ids
        ).fetchall()
    )
    assert [images[s] for s in sub_ids] == [None if v is None or v != v else v for v in page["image_number"]]


def test_the_filing_image_link():
    assert links.filing_image_url("202404159123456789") == "https://docquery.fec.gov/cgi-bin/fecimg/?202404159123456789"
    assert links.filing_image_url(" 13960405157 ") == "https://docquery.fec.gov/cgi-bin/fecimg/?13960405157"
    assert links.filing_image_url(None) is None
    assert links.filing_image_url("") is None
    assert links.filing_image_url("x?y") is None
