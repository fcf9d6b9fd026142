"""The explorer reads the search index (search.duckdb): whichever sorted copy it picks, a search returns
exactly the rows of the `receipts` extract that match, in the order asked, and keyset pages add up to
the whole result. The truth here is the Parquet extract filtered by pandas, not our SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import receipts, search
from dashboard.app.queries.receipts import ReceiptFilters
from dashboard.core import normalize
from dashboard.store import layout


@pytest.fixture(scope="module")
def extract(small_snapshot: Path) -> pd.DataFrame:
    """Every receipt of the snapshot, with the columns the filters compare, computed in Python."""
    con = duckdb.connect()
    normalize.install(con)
    frame = con.execute(
        f"""SELECT r.*, norm_job(r.employer) AS employer_n, norm_job(r.occupation) AS occupation_n,
                   c.state AS seat_state
            FROM read_parquet('{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true) AS r
            LEFT JOIN read_parquet('{small_snapshot}/current/candidates.parquet') AS c
              ON c.candidate_id = r.candidate_id AND c.cycle = r.cycle AND c.office IN ('H', 'S')"""
    ).fetchdf()
    frame["folded_words"] = [
        set(normalize.fold_name(name).split()) | set(normalize.fold_name(str(name).replace("'", " ")).split())
        for name in frame["contributor_name"]
    ]
    return frame


def truth(extract: pd.DataFrame, cycle: int | None = 2024, **match) -> pd.DataFrame:
    rows = extract if cycle is None else extract[extract["cycle"] == cycle]
    for column, test in match.items():
        rows = rows[rows[column].map(test)] if callable(test) else rows[rows[column] == test]
    return rows


def has_words(typed: str):
    words = normalize.fold_name(typed).split()
    return lambda names: all(any(name.startswith(word) for name in names) for word in words)


def ordered(rows: pd.DataFrame, sort: str) -> list[int]:
    column, descending = receipts.SORTS[sort]
    key = rows[column].fillna(pd.Timestamp("1900-01-01").date() if column == "date" else 0)
    frame = pd.DataFrame({"key": key.values, "sub_id": rows["sub_id"].values})
    frame = frame.sort_values(["key", "sub_id"], ascending=not descending)
    return [int(x) for x in frame["sub_id"]]


def page_ids(query: dict, sort: str, limit: int = 1000) -> list[int]:
    frame = receipts.receipts_page(ReceiptFilters.from_query(query), sort, limit)
    return [int(x) for x in frame["sub_id"]]


@pytest.fixture(scope="module")
def sample(extract) -> pd.Series:
    """A gift of 2024 with every searchable field filled, from a donor with a two-word name."""
    rows = truth(extract).dropna(subset=["zip5", "city", "employer_n", "occupation_n"])
    rows = rows[rows["contributor_name"].str.count(" ") >= 1]
    return rows.iloc[len(rows) // 2]


def test_the_snapshot_has_a_search_index_with_every_receipt(small_snapshot, extract):
    index = layout.search_index_path(Path(small_snapshot) / "current")
    con = duckdb.connect(str(index), read_only=True)
    for table in receipts.BY_DATE, receipts.BY_AMOUNT, receipts.BY_DONOR, receipts.BY_ZIP, receipts.BY_CANDIDATE:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(extract), table


@pytest.mark.parametrize("sort", sorted(receipts.SORTS))
def test_every_kind_of_search_returns_the_extracts_matching_rows_in_order(extract, sample, sort):
    last, first = sample["contributor_name"].split(",")[0], sample["contributor_name"].split(",")[-1].strip()
    two_words = f"{first[:2]} {last[:3]}"
    searches = [
        ({"q": two_words}, {"folded_words": has_words(two_words)}),
        ({"q": "a"}, {"folded_words": has_words("a")}),  # a word many donors' names begin with
        ({"zip": sample["zip5"]}, {"zip5": sample["zip5"]}),
        ({"candidate_id": sample["candidate_id"]}, {"candidate_id": sample["candidate_id"]}),
        (
            {"city": sample["city"][:4].lower()},
            {"city": lambda c: isinstance(c, str) and c.upper().startswith(sample["city"][:4].upper())},
        ),
        ({"employer": sample["employer_n"]}, {"employer_n": sample["employer_n"]}),
        (
            {"occupation": sample["occupation_n"][:3] + "*"},
            {"occupation_n": lambda o: isinstance(o, str) and o.startswith(sample["occupation_n"][:3])},
        ),
        (
            {"from": "2024-03-01", "to": "2024-03-31"},
            {"date": lambda d: d is not None and not pd.isna(d) and str(d)[:7] == "2024-03"},
        ),
        ({"min": "1000", "max": "2000"}, {"amount": lambda a: 1000 <= a <= 2000}),
        # an undated gift is before no date: "to" alone leaves it out
        ({"to": "2023-06-30"}, {"date": lambda d: d is not None and not pd.isna(d) and str(d)[:10] <= "2023-06-30"}),
        (
            {"state": sample["state"], "outside_state": "yes"},
            {"state": sample["state"], "seat_state": lambda s: isinstance(s, str) and s != sample["state"]},
        ),
    ]
    for query, match in searches:
        expected = ordered(truth(extract, **match), sort)
        assert page_ids({"cycle": "2024", **query}, sort, 1000) == expected[:1000], query
        summary = receipts.receipts_summary(ReceiptFilters.from_query({"cycle": "2024", **query}))
        assert int(summary["n"].iloc[0]) == len(expected), query


def test_a_common_name_word_is_searched_row_by_row_with_the_same_answer(extract, monkeypatch):
    by_donor = page_ids({"cycle": "2024", "q": "jo"}, "-amount")
    monkeypatch.setattr(receipts, "MANY_DONORS", 0)  # every word now counts as common
    assert page_ids({"cycle": "2024", "q": "jo"}, "-amount") == by_donor
    assert by_donor == ordered(truth(extract, folded_words=has_words("jo")), "-amount")[:1000]


def test_all_cycles_search_every_cycle(extract):
    summary = receipts.receipts_summary(ReceiptFilters.from_query({"cycle": "all"}))
    assert int(summary["n"].iloc[0]) == len(extract)
    assert page_ids({"cycle": "all"}, "-amount", 50) == ordered(extract, "-amount")[:50]
    assert ReceiptFilters.from_query({"cycle": "all", "q": "jo"}).to_query()["cycle"] == "all"


@pytest.mark.parametrize("sort", ["-date", "amount"])
def test_keyset_pages_add_up_to_the_whole_search(extract, sort):
    filters = ReceiptFilters.from_query({"cycle": "2024", "q": "a"})
    seen, cursor = [], None
    for _ in range(50):
        frame, cursor = receipts.receipts_after(filters, sort, cursor, 400)
        seen += [int(x) for x in frame["sub_id"]]
        if cursor is None:
            break
    assert seen == ordered(truth(extract, folded_words=has_words("a")), sort)


def test_donor_search_finds_donors_by_two_partial_words_biggest_first(extract):
    donor = extract.groupby("donor_key")["amount"].sum().sort_values().index[-1]
    name = extract.loc[extract["donor_key"] == donor, "contributor_name"].iloc[0]
    last, first = name.split(",")[0], name.split(",")[-1].strip()
    found = search.donors(f"{first[:2].lower()} {last[:3].lower()}", limit=50)
    assert donor in list(found["donor_key"])
    assert list(found["amount"]) == sorted(found["amount"], reverse=True)
    row = found.set_index("donor_key").loc[donor]
    assert float(row["amount"]) == pytest.approx(float(extract.loc[extract["donor_key"] == donor, "amount"].sum()))
    assert row["path"].startswith("/donor/")
    assert search.donors("a").empty  # one letter is too short to list donors
