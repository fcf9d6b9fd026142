"""The receipts explorer's queries: every filter selects exactly the rows an independent query
over the extract selects, pages and cursors walk the same order, and links from candidate pages
land on the same money the candidate page shows."""

from __future__ import annotations

import base64
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.app.queries import candidates, receipts
from dashboard.app.queries.receipts import ReceiptFilters
from dashboard.core import normalize, params
from dashboard.pipeline.builder.search_index import build_search_index


@pytest.fixture(scope="module")
def con(small_snapshot: Path):
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet("
        f"'{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true)"
    )
    return con


@pytest.fixture(scope="module")
def busy(con) -> tuple[str, str]:
    """The 2024 candidate with the most itemized receipts, and one of their donors' ZIP codes."""
    return con.execute("""SELECT candidate_id, mode(zip5) FROM receipts WHERE cycle = 2024
                          GROUP BY candidate_id ORDER BY count(*) DESC LIMIT 1""").fetchall()[0]


def expected(con, condition: str, params: list) -> tuple[int, Decimal]:
    n, amount = con.execute(
        f"SELECT count(*), coalesce(sum(amount), 0) FROM receipts WHERE cycle = 2024 AND {condition}", params
    ).fetchall()[0]
    return n, Decimal(str(amount))


def found(query: dict) -> tuple[int, Decimal]:
    row = receipts.receipts_summary(ReceiptFilters.from_query({"cycle": "2024", **query})).iloc[0]
    return int(row["n"]), Decimal(str(row["amount"])).quantize(Decimal("0.01"))


def test_each_filter_selects_what_an_independent_query_selects(con, busy):
    candidate_id, zip5 = busy
    state = con.execute(
        "SELECT state FROM receipts WHERE cycle = 2024 GROUP BY state ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0][0]
    city = con.execute("SELECT city FROM receipts WHERE cycle = 2024 AND city IS NOT NULL LIMIT 1").fetchall()[0][0]
    committee = con.execute(
        "SELECT committee_id FROM receipts WHERE candidate_id = ? LIMIT 1", [candidate_id]
    ).fetchall()[0][0]
    conduit = con.execute(
        "SELECT conduit_committee_id FROM receipts WHERE conduit_committee_id IS NOT NULL LIMIT 1"
    ).fetchall()[0][0]
    cases = [
        ({"candidate_id": candidate_id}, "candidate_id = ?", [candidate_id]),
        ({"committee_id": committee}, "committee_id = ?", [committee]),
        ({"state": state.lower()}, "state = ?", [state]),
        ({"zip": zip5 + "-1234"}, "zip5 = ?", [zip5]),
        ({"city": city[:3].lower()}, "upper(city) LIKE ?", [city[:3].upper() + "%"]),
        ({"min": "500", "max": "$1,000"}, "amount BETWEEN 500 AND 1000", []),
        ({"from": "2024-03-01", "to": "2024-03-31"}, "date BETWEEN '2024-03-01' AND '2024-03-31'", []),
        ({"earmarked": "yes"}, "is_earmarked", []),
        ({"earmarked": "no"}, "NOT is_earmarked", []),
        ({"conduit": conduit.lower()}, "conduit_committee_id = ?", [conduit]),
    ]
    for query, condition, bound in cases:
        n, amount = expected(con, condition, bound)
        assert n > 0, query
        assert found(query) == (n, amount), query


def test_filters_combine(con, busy):
    candidate_id, zip5 = busy
    n, amount = expected(con, "candidate_id = ? AND zip5 = ? AND amount >= 100", [candidate_id, zip5])
    assert found({"candidate_id": candidate_id, "zip": zip5, "min": "100"}) == (n, amount)


def test_name_words_start_words_of_the_name_in_any_order(con, busy):
    name = con.execute(
        "SELECT contributor_name FROM receipts WHERE candidate_id = ? AND contributor_name LIKE '%, %' LIMIT 1",
        [busy[0]],
    ).fetchall()[0][0]
    last, first = name.split(", ", 1)
    typed = f"{first[:2].lower()} {last[:3].lower()}"  # first name first, partial words
    frame = receipts.receipts_page(ReceiptFilters.from_query({"cycle": "2024", "q": typed}), limit=1000)
    assert name in set(frame["contributor_name"])
    for other in frame["contributor_name"]:
        words = other.replace(",", " ").replace(".", " ").split()
        assert any(w.startswith(last[:3].upper()) for w in words) and any(
            w.startswith(first[:2].upper()) for w in words
        )
    # A word inside a name, not at its start, does not match.
    inner = last[1:4]
    inside = receipts.receipts_page(ReceiptFilters.from_query({"cycle": "2024", "q": inner}), limit=1000)
    assert all(
        any(w.startswith(inner.upper()) for w in n.replace(",", " ").split()) for n in inside["contributor_name"]
    )


def test_employer_links_from_the_candidate_page_add_up_to_its_table(busy):
    candidate_id = busy[0]
    employers = candidates.candidate_employers(candidate_id, 2024).dropna(subset=["employer"])
    assert len(employers) > 0
    for row in employers.head(5).itertuples():
        n, amount = found({"candidate_id": candidate_id, "employer": row.employer})
        assert n == row.n and amount == Decimal(str(row.amount)).quantize(Decimal("0.01")), row.employer
    self_employed = employers[employers["employer"] == "SELF-EMPLOYED"]
    if not self_employed.empty:  # every spelling of self-employment is one row, and one filter
        assert found({"candidate_id": candidate_id, "employer": "self employed"})[0] == int(self_employed["n"].iloc[0])


def test_employer_prefix(con, busy):
    employer = candidates.candidate_employers(busy[0], 2024).dropna(subset=["employer"])["employer"].iloc[0]
    exact = found({"candidate_id": busy[0], "employer": employer})
    prefix = found({"candidate_id": busy[0], "employer": employer[:4] + "*"})
    assert prefix[0] >= exact[0] > 0


@pytest.mark.parametrize("sort", list(receipts.SORTS))
def test_pages_and_cursors_walk_the_same_order(busy, sort):
    filters = ReceiptFilters.from_query({"cycle": "2024", "candidate_id": busy[0]})
    whole = receipts.receipts_page(filters, sort, limit=1000)
    column, descending = receipts.SORTS[sort]
    keys = list(zip(whole[column], whole["sub_id"]))
    assert keys == sorted(keys, reverse=descending)
    walked, after = [], None
    while True:
        frame, after = receipts.receipts_after(filters, sort, after, limit=37)
        walked += list(frame["sub_id"])
        if after is None:
            break
    assert walked == list(whole["sub_id"])[: len(walked)] and len(walked) == min(len(whole), 1000)
    assert list(receipts.receipts_page(filters, sort, 37, 74)["sub_id"]) == list(whole["sub_id"])[74:111]


def test_a_cursor_is_checked(busy):
    filters = ReceiptFilters.from_query({"cycle": "2024", "candidate_id": busy[0]})
    _frame, after = receipts.receipts_after(filters, "-date", None, limit=5)
    for bad in ("junk", "eyJ4IjoxfQ", after[:-3]):
        with pytest.raises(params.InvalidParameter, match="after"):
            receipts.receipts_after(filters, "-date", bad)
    with pytest.raises(params.InvalidParameter, match="after"):  # made for another order
        receipts.receipts_after(filters, "-amount", after)
    forged = base64.urlsafe_b64encode(b'["-date","2024-13-45",1]').decode()  # our shape, an impossible date
    with pytest.raises(params.InvalidParameter, match="after"):
        receipts.receipts_after(filters, "-date", forged)


def test_batches_hold_the_whole_view_in_order(busy):
    filters = ReceiptFilters.from_query({"cycle": "2024", "candidate_id": busy[0]})
    batches = list(receipts.receipts_batches(filters, "-amount", batch_rows=50))
    assert len(batches) > 1
    sub_ids = [s for b in batches for s in b.column("sub_id").to_pylist()]
    assert sub_ids == list(receipts.receipts_page(filters, "-amount", limit=1000)["sub_id"])[: len(sub_ids)]
    empty = list(receipts.receipts_batches(ReceiptFilters.from_query({"cycle": "2024", "zip": "00000"})))
    assert sum(b.num_rows for b in empty) == 0 and empty[0].schema.names == list(receipts.COLUMNS)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"zip": "123"}, "zip"),
        ({"min": "ten"}, "min"),
        ({"max": "1e9"}, "max"),
        ({"from": "2024-02-30"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"min": "500", "max": "100"}, "max"),
        ({"from": "2024-05-01", "to": "2024-01-01"}, "to"),
        ({"q": "x" * 81}, "q"),
        ({"q": "!!"}, "q"),
        ({"employer": "a\x00b"}, "employer"),
        ({"state": "ZZ"}, "state"),
        ({"earmarked": "maybe"}, "earmarked"),
        ({"conduit": "ACTBLUE"}, "conduit"),
        ({"cycle": "2023"}, "cycle"),
        ({"candidate_id": "X1"}, "candidate_id"),
        ({"committee_id": "C1"}, "committee_id"),
    ],
)
def test_bad_values_name_their_parameter(query, parameter):
    with pytest.raises(params.InvalidParameter, match=f"^{parameter}:"):
        ReceiptFilters.from_query({"cycle": "2024", **query})


def test_url_round_trip_and_narrowness():
    query = {
        "cycle": "2024",
        "candidate_id": "H4WA01001",
        "q": "smith",
        "min": "200.01",
        "from": "2024-01-01",
        "earmarked": "yes",
        "zip": "98101",
    }
    filters = ReceiptFilters.from_query(query)
    assert filters.to_query() == query and ReceiptFilters.from_query(filters.to_query()) == filters
    assert filters.without("from").start is None and filters.without("q").q is None
    everything = ReceiptFilters.from_query({"cycle": "all"})
    assert everything.cycle is None and everything.to_query() == {"cycle": "all"}
    assert (
        receipts.ReceiptFilters.parse_sort(None) == "-date" and receipts.ReceiptFilters.parse_sort("AMOUNT") == "amount"
    )
    with pytest.raises(params.InvalidParameter, match="^sort:"):
        receipts.ReceiptFilters.parse_sort("name")


def test_name_filter_folds_accents_and_apostrophes(small_snapshot, tmp_path, monkeypatch):
    # Real files are UTF-8: "julian castro" must find CASTRO, JULIÁN, and O'ROURKE is found typed
    # with or without its apostrophe (straight or curly), as the header's search does.
    names = ["CASTRO, JULIÁN", "O'ROURKE, ROBERT BETO", "O’NEIL, KATE", "JULIANNE, MOORE", "ROURKE, ANN"]
    folder = tmp_path / "snapshots" / "tiny"
    (folder / "receipts" / "cycle=2024").mkdir(parents=True)
    con = duckdb.connect()
    template = con.execute(
        f"SELECT * EXCLUDE (cycle) FROM read_parquet('{small_snapshot}/current/receipts/cycle=2024/*.parquet') LIMIT 1"
    ).fetchdf()
    rows = template.loc[template.index.repeat(len(names))].reset_index(drop=True)
    rows["contributor_name"], rows["sub_id"] = names, range(1, len(names) + 1)
    con.register("rows", rows)
    con.execute(f"COPY rows TO '{folder}/receipts/cycle=2024/data.parquet' (FORMAT parquet)")
    # The explorer searches the snapshot's search index, built as the builder does from its staged tables.
    normalize.install(con)
    con.execute("CREATE TABLE receipts AS SELECT *, 2024 AS cycle FROM rows")
    con.execute(f"CREATE TABLE candidates AS SELECT * FROM '{small_snapshot}/current/candidates.parquet'")
    con.execute(f"CREATE TABLE donors_out AS SELECT * FROM '{small_snapshot}/current/donors.parquet' LIMIT 0")
    build_search_index(con, folder)
    shutil.copy(f"{small_snapshot}/current/committees.parquet", folder)  # the conduits' names
    (folder / "manifest.json").write_text('{"snapshot_id": "tiny", "source": "demo"}')
    (tmp_path / "current").symlink_to("snapshots/tiny")
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))

    def matching(typed):
        frame = receipts.receipts_page(ReceiptFilters.from_query({"cycle": "2024", "q": typed}))
        return sorted(frame["contributor_name"])

    assert matching("julian castro") == ["CASTRO, JULIÁN"]
    assert matching("Julián") == ["CASTRO, JULIÁN", "JULIANNE, MOORE"]  # word starts, accent or not
    for typed in ("orourke", "o'rourke", "O’Rourke", "beto o'rourke"):
        assert matching(typed) == ["O'ROURKE, ROBERT BETO"], typed
    assert matching("oneil") == matching("o'neil") == ["O’NEIL, KATE"]
    assert matching("rourke") == ["O'ROURKE, ROBERT BETO", "ROURKE, ANN"]  # ROURKE starts a word of both
    assert matching("ourke") == []  # but not the middle of a word
