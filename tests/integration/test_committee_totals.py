"""What a PAC or party committee raised, spent and kept (committee_totals), on the committee page and its API
twin: the demo's standing committees (the sum of their reports) and the FEC's real PAC and party summaries
webk24 and webk20 (../shared/data, through the shared_data fixture) loaded with `load-bulk`, every row to the
cent."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.app import labels
from dashboard.app.queries import committees
from dashboard.core.sql import quote_literal
from dashboard.pipeline import cli
from dashboard.store.snapshots import current_snapshot
from devtools import bulk_layout
from tests.integration.test_app_routes import page_text

CARDS = ("Raised", "Spent", "Cash on hand", "Independent expenditures (as reported)")


def extract_rows(snapshot: Path) -> dict[tuple[str, int], tuple]:
    result = duckdb.sql(f"SELECT * FROM read_parquet({quote_literal(snapshot / 'committee_totals.parquet')})")
    columns = result.columns
    rows = [dict(zip(columns, values)) for values in result.fetchall()]
    return {(row["committee_id"], row["cycle"]): row for row in rows}


# ----------------------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


@pytest.fixture(scope="module")
def demo_pac(small_snapshot) -> dict:
    """The demo PAC that raised the most in its newest cycle, with its committee_totals row."""
    snapshot = current_snapshot(small_snapshot)
    reader = quote_literal(snapshot / "committee_totals.parquet")
    committees_file = quote_literal(snapshot / "committees.parquet")
    result = duckdb.sql(f"""
        SELECT t.* FROM read_parquet({reader}) t JOIN read_parquet({committees_file}) c USING (committee_id, cycle)
        WHERE c.committee_type = 'Q' AND c.designation = 'B'
        ORDER BY t.cycle DESC, t.receipts DESC LIMIT 1""")
    found = result.fetchall()
    assert found, "the demo's PACs file reports: they have totals"
    return dict(zip(result.columns, found[0]))


def test_the_demo_totals_are_the_sum_of_the_newest_reports(small_snapshot, demo_pac):
    raw = quote_literal(small_snapshot / "raw" / "reports" / "**" / "*.parquet")
    receipts, disbursements, cash = (
        duckdb.connect()
        .execute(
            f"""
        WITH rows AS (SELECT * FROM read_parquet({raw}, union_by_name = true) WHERE committee_id = ? AND cycle = ?),
        current AS (SELECT * FROM rows WHERE file_number NOT IN (
            SELECT previous_file_number FROM rows WHERE previous_file_number IS NOT NULL))
        SELECT sum(receipts), sum(disbursements), arg_max(cash_on_hand_end, coverage_end) FROM current""",
            [demo_pac["committee_id"], demo_pac["cycle"]],
        )
        .fetchall()[0]
    )
    assert demo_pac["totals_source"] == "reports"
    assert (demo_pac["receipts"], demo_pac["disbursements"], demo_pac["cash_on_hand"]) == (
        receipts,
        disbursements,
        cash,
    )


def test_the_committee_page_shows_what_a_pac_raised_and_spent(client, demo_pac):
    committee_id, cycle = demo_pac["committee_id"], demo_pac["cycle"]
    text = page_text(client, f"/committee/{committee_id}", f"?cycle={cycle}")
    for card in CARDS:
        assert card in text
    assert labels.money(demo_pac["receipts"]) in text and labels.money(demo_pac["cash_on_hand"]) in text
    assert labels.money_cents(demo_pac["disbursements"]) in text  # the table, to the cent
    assert f"Source: {labels.committee_totals_source('reports')}" in text
    assert f"data through {labels.date(demo_pac['coverage_end'])}" in text
    assert "Download CSV" in text


def test_the_api_twin_answers_the_pages_numbers(client, demo_pac):
    committee_id = demo_pac["committee_id"]
    response = client.get(f"/api/v1/committee/totals?committee_id={committee_id}")
    assert response.status_code == 200
    rows = response.get_json()["data"]
    row = next(r for r in rows if r["cycle"] == demo_pac["cycle"])
    assert Decimal(str(row["receipts"])) == demo_pac["receipts"] and row["totals_source"] == "reports"
    assert len(rows) == len(committees.committee_totals(committee_id))


def test_a_campaign_committee_has_no_committee_totals_section(client, small_snapshot):
    snapshot = current_snapshot(small_snapshot)
    committee_id, cycle = duckdb.sql(
        f"SELECT principal_committee_id, cycle FROM read_parquet({quote_literal(snapshot / 'candidates.parquet')}) "
        "WHERE principal_committee_id IS NOT NULL ORDER BY cycle DESC, candidate_id LIMIT 1"
    ).fetchall()[0]
    assert committees.committee_totals(committee_id).empty
    text = page_text(client, f"/committee/{committee_id}", f"?cycle={cycle}")
    assert "Raised and spent" not in text


def test_the_demo_as_webk_loads_the_same_totals_as_its_reports(small_snapshot, tmp_path, monkeypatch):
    """The demo's 2024 committees written as the FEC's webk and loaded alone: the FEC-style totals equal
    the sum of the same committees' reports, to the cent."""
    folder = tmp_path / "files"
    bulk_layout.write_cycle(small_snapshot, 2024, folder, kinds=["webk"])
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path / "data"))
    assert cli.main(["load-bulk", "--cycle", "2024", "--files", str(folder)]) == 0
    from_webk = extract_rows(current_snapshot(tmp_path / "data"))
    from_reports = extract_rows(current_snapshot(small_snapshot))
    compared = ("receipts", "disbursements", "cash_on_hand", "debts", "individual_contributions", "coverage_end")
    assert len(from_webk) > 10
    for key, row in from_webk.items():
        assert row["totals_source"] == "summary" and from_reports[key]["totals_source"] == "reports"
        assert [row[c] for c in compared] == [from_reports[key][c] for c in compared], key


# ----------------------------------------------------------------------------- the FEC's real webk


WEBK = {
    "webk24": ("2024/webk24.txt", 2024),
    "webk20-early": ("2020/bulk-2019-03-19/webk20.txt", 2020),
    "webk20-late": ("2020/late-2020/webk20.txt", 2020),
}


@pytest.fixture(scope="module", params=sorted(WEBK))
def webk_loaded(request, shared_data, tmp_path_factory) -> dict:
    """One real webk file, alone in a folder, loaded as a user would."""
    relative, cycle = WEBK[request.param]
    folder = tmp_path_factory.mktemp(f"{request.param}-files")
    shutil.copy(shared_data / "fec" / relative, folder / Path(relative).name)
    data_dir = tmp_path_factory.mktemp(request.param) / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATA_CACHE_DIR", str(data_dir))
        code = cli.main(["load-bulk", "--cycle", str(cycle), "--files", str(folder)])
    assert code == 0
    return {"webk": folder / Path(relative).name, "cycle": cycle, "data_dir": data_dir}


def test_every_webk_row_is_a_committee_total_to_the_cent(webk_loaded):
    lines = duckdb.sql(
        f"""SELECT column00, CAST(column05 AS DECIMAL(14,2)), CAST(column12 AS DECIMAL(14,2)),
                   CAST(column19 AS DECIMAL(14,2)), CAST(column23 AS DECIMAL(14,2)),
                   CAST(strptime(column26, '%m/%d/%Y') AS DATE)
            FROM read_csv({quote_literal(webk_loaded["webk"])}, delim = '|', header = false, quote = '',
                          all_varchar = true)"""
    ).fetchall()
    totals = extract_rows(current_snapshot(webk_loaded["data_dir"]))
    assert len(totals) == len(lines) > 7000
    for committee_id, receipts, disbursements, cash, independent, through in lines:
        row = totals[(committee_id, webk_loaded["cycle"])]
        assert (row["receipts"], row["disbursements"], row["cash_on_hand"]) == (receipts, disbursements, cash), (
            committee_id
        )
        assert row["independent_expenditures"] == independent and row["coverage_end"] == through, committee_id
        assert row["totals_source"] == "summary"


def test_a_real_committee_page_shows_its_webk_totals(webk_loaded, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(webk_loaded["data_dir"]))
    import app

    client = app.server.test_client()
    committee_id, receipts, through = duckdb.sql(
        f"""SELECT column00, CAST(column05 AS DECIMAL(14,2)), CAST(strptime(column26, '%m/%d/%Y') AS DATE)
            FROM read_csv({quote_literal(webk_loaded["webk"])}, delim = '|', header = false, quote = '',
                          all_varchar = true)
            ORDER BY CAST(column05 AS DECIMAL(14,2)) DESC LIMIT 1"""
    ).fetchall()[0]
    text = page_text(client, f"/committee/{committee_id}", f"?cycle={webk_loaded['cycle']}")
    for card in CARDS:
        assert card in text
    assert labels.money(receipts) in text and labels.money_cents(receipts) in text
    assert f"Source: {labels.committee_totals_source('summary')}; data through {labels.date(through)}" in text
