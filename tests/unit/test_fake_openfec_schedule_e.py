"""The fake OpenFEC server's Schedule E (devtools/fake_openfec/schedule_e.py), asked directly: the
processed view's keyset paging under every sort, its filters and errors, the raw e-filed view's
offset paging, whole dollars and four months, and the clock. The expected rows are worked out from
the raw lines with SQL, apart from the fake's pandas."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from dashboard.pipeline import demo
from devtools.fake_openfec.data import FakeData
from devtools.fake_openfec.endpoints import FakeApi
from devtools.fake_openfec.errors import ApiError
from devtools.fake_openfec.faults import FakeSettings
from devtools.fake_openfec.params import Args
from devtools.fake_openfec.schedule_e import EFILE_DAYS, PROCESSING_DAYS

PER_PAGE = 100
# The fake builds each record in Python: paging through thousands of lines takes seconds.
pytestmark = pytest.mark.slow
PROCESSED, EFILE = "/v1/schedules/schedule_e", "/v1/schedules/schedule_e/efile"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("fake-schedule-e")
    demo.generate(data_dir, rows=2_000, seed=4)  # outside spending included, at a few thousand lines
    return data_dir


@pytest.fixture(scope="module")
def data(data_dir) -> FakeData:
    return FakeData(data_dir)


APIS: dict = {}  # one FakeApi per data and clock, so its per-question cache serves every page


def ask(data: FakeData, path: str, settings: FakeSettings | None = None, **query) -> dict:
    args = Args({k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in query.items()})
    settings = settings or FakeSettings()
    api = APIS.setdefault((id(data), settings.as_of), FakeApi(data, settings))
    return api.route(path, args)


def refused(data: FakeData, path: str, **query) -> tuple[int, object]:
    with pytest.raises(ApiError) as err:
        ask(data, path, **query)
    return err.value.status, err.value.body


def expected_processed(data_dir: Path, where: str = "true") -> set[int]:
    """Regular lines of the newest version of each filing, every version of notices."""
    lines = f"read_parquet('{data_dir}/raw/schedule_e/*.parquet')"
    rows = duckdb.sql(
        f"""SELECT sub_id FROM {lines} WHERE ({where}) AND (is_notice OR file_number NOT IN (
              SELECT previous_file_number FROM {lines} WHERE NOT is_notice AND previous_file_number IS NOT NULL))"""
    ).fetchall()
    return {r[0] for r in rows}


def every_page(data: FakeData, sort: str, **query) -> list[dict]:
    rows, cursor = [], {}
    while True:
        body = ask(data, PROCESSED, sort=sort, per_page=PER_PAGE, **query, **cursor)
        rows += body["results"]
        if len(body["results"]) < PER_PAGE:
            assert body["pagination"]["count"] == len(rows)
            return rows
        cursor = body["pagination"]["last_indexes"]


SORT_FIELDS = {
    "expenditure_date": "expenditure_date",
    "expenditure_amount": "expenditure_amount",
    "office_total_ytd": "office_total_ytd",
    "support_oppose_indicator": "support_oppose_indicator",
}


@pytest.mark.parametrize("sort", [*SORT_FIELDS, *(f"-{s}" for s in SORT_FIELDS)])
def test_keyset_paging_gives_every_processed_line_once_in_order(data, data_dir, sort):
    rows = every_page(data, sort)
    ids = [int(r["sub_id"]) for r in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_processed(data_dir)
    field = sort.lstrip("-")
    keys = [(r[field], int(r["sub_id"])) for r in rows]
    assert keys == sorted(keys, reverse=sort.startswith("-"))
    assert all(isinstance(r["sub_id"], str) for r in rows)


def test_the_processed_view_holds_newest_regular_lines_and_every_notice_version(data, data_dir):
    rows = every_page(data, "expenditure_date")
    regular = [r for r in rows if not r["is_notice"]]
    notices = [r for r in rows if r["is_notice"]]
    amended_notices = [r for r in notices if r["previous_file_number"]]
    assert regular and notices and amended_notices
    # The notices an amended notice replaces are still there, no longer most_recent.
    replaced = {r["previous_file_number"] for r in amended_notices}
    assert {r["file_number"] for r in notices if not r["most_recent"]} == replaced
    only_newest = every_page(data, "expenditure_date", most_recent="true")
    assert len(only_newest) == len(rows) - sum(1 for r in notices if r["file_number"] in replaced)
    assert all(r["committee"]["committee_id"] == r["committee_id"] for r in rows)
    assert {r["filing_form"] for r in rows} == {"F24", "F3X", "F5"}


def test_filters(data, data_dir):
    everything = every_page(data, "expenditure_date")
    cid = everything[0]["committee_id"]
    assert {int(r["sub_id"]) for r in every_page(data, "expenditure_date", committee_id=cid)} == expected_processed(
        data_dir, f"committee_id = '{cid}'"
    )
    some = next(r["candidate_id"] for r in everything if r["candidate_id"])
    by_candidate = every_page(data, "expenditure_date", candidate_id=some)
    assert by_candidate and {r["candidate_id"] for r in by_candidate} == {some}
    opposed = every_page(data, "expenditure_date", support_oppose_indicator="o")
    assert opposed and {r["support_oppose_indicator"] for r in opposed} == {"O"}
    notices = every_page(data, "expenditure_date", is_notice="true")
    both = every_page(data, "expenditure_date", is_notice=["true", "false"])
    assert notices and {r["is_notice"] for r in notices} == {True} and len(both) > len(notices)
    window = every_page(data, "expenditure_date", min_date="2025-06-01", max_date="2025-06-30")
    assert window and all("2025-06-01" <= r["expenditure_date"] <= "2025-06-30" for r in window)
    filed = every_page(data, "expenditure_date", min_filing_date="2026-07-01")
    assert filed and all(r["filing_date"] >= "2026-07-01" for r in filed)
    assert len(filed) < len(every_page(data, "expenditure_date", cycle=2026))
    cycle = every_page(data, "expenditure_date", cycle=2024)
    assert {int(r["sub_id"]) for r in cycle} == expected_processed(data_dir, "cycle = 2024")
    assert every_page(data, "expenditure_date", cycle=2020) == []


def test_errors_are_the_apis(data):
    assert refused(data, PROCESSED, sort="contribution_receipt_date")[0] == 422
    assert refused(data, PROCESSED, last_index="4260000000000000001")[0] == 422
    assert refused(data, PROCESSED, line_number="24")[0] == 400
    assert refused(data, PROCESSED, support_oppose_indicator="X")[0] == 422
    assert refused(data, PROCESSED, committee_id=[f"C900000{i:02d}" for i in range(11)])[0] == 422
    assert refused(data, PROCESSED, per_page=101)[0] == 422
    empty = ask(data, PROCESSED, committee_id="C00000000")
    assert empty["results"] == [] and empty["pagination"]["last_indexes"] is None


def test_the_raw_efiled_view_holds_four_months_in_whole_dollars(data, data_dir):
    lines = f"read_parquet('{data_dir}/raw/schedule_e/*.parquet')"
    newest = duckdb.sql(f"SELECT max(filed_date) FROM {lines}").fetchall()[0][0]
    since = newest - timedelta(days=EFILE_DAYS)
    expected = duckdb.execute(f"SELECT count(*) FROM {lines} WHERE is_notice AND filed_date > ?", [since]).fetchall()[
        0
    ][0]
    rows, page = [], 1
    while True:
        body = ask(data, EFILE, is_notice="true", per_page=40, page=page)
        assert body["pagination"]["is_count_exact"] and body["pagination"]["count"] == expected
        rows += body["results"]
        if page >= body["pagination"]["pages"]:
            break
        page += 1
    assert len(rows) == expected > 0
    assert ask(data, EFILE, is_notice="true", per_page=40, page=page + 1)["results"] == []
    assert all("sub_id" not in r and isinstance(r["expenditure_amount"], int) for r in rows)
    assert all(r["is_notice"] and r["filing"]["filed_date"] > since.isoformat() for r in rows)
    assert len({(r["file_number"], r["related_line_number"]) for r in rows}) == len(rows)
    cid = rows[0]["committee_id"]
    mine = ask(data, EFILE, committee_id=cid, is_notice="true", per_page=100)["results"]
    assert mine and {r["committee_id"] for r in mine} == {cid}
    day = rows[0]["filing"]["filed_date"]
    that_day = ask(data, EFILE, min_filed_date=day, max_filed_date=day, per_page=100)["results"]
    assert that_day and {r["filing"]["filed_date"] for r in that_day} == {day}


def test_the_clock_hides_later_filings_and_the_processed_view_lags(data):
    today = date(2026, 3, 1)
    settings = FakeSettings(as_of=today)
    processed = ask(data, PROCESSED, settings, per_page=100, sort="-expenditure_date", min_filing_date="2026-01-01")
    processed_by = (today - timedelta(days=PROCESSING_DAYS)).isoformat()
    assert processed["results"] and all(r["filing_date"] <= processed_by for r in processed["results"])
    efiled = ask(data, EFILE, settings, per_page=100)["results"]
    assert efiled and all(r["filing"]["filed_date"] <= today.isoformat() for r in efiled)
    assert max(r["filing"]["filed_date"] for r in efiled) > processed_by
