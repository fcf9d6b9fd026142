"""A load whose files name committees but no candidate publishes what its own columns carry (issue 12):
the real 2024 folder (../shared/data/fec/2024, through the shared_data fixture) holds only webk24, the PAC
and party summary. Its committees are published with their names, type and designation; there are no
candidates, races or totals, and the data-quality report and the pages say why. A committee the committee
master cm lists keeps cm's fuller row."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from dashboard.core.sql import quote_literal
from dashboard.pipeline import cli
from dashboard.pipeline.bulk.load import load
from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools import bulk_layout
from tests.integration.test_app_routes import page_text
from tests.integration.test_bulk_real_cycles import Quiet, line_count

CYCLE = 2024


@pytest.fixture(scope="module")
def webk_only(shared_data, tmp_path_factory) -> dict:
    """The real 2024 folder loaded as a user would: exit code, seconds, and the data directory."""
    folder = shared_data / "fec" / str(CYCLE)
    data_dir = tmp_path_factory.mktemp("webk-only") / "data"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATA_CACHE_DIR", str(data_dir))
        started = time.monotonic()
        code = cli.main(["load-bulk", "--cycle", str(CYCLE), "--files", str(folder)])
        seconds = time.monotonic() - started
    return {"code": code, "seconds": seconds, "data_dir": data_dir, "webk": folder / "webk24.txt"}


def webk_lines(path: Path) -> str:
    return (
        f"SELECT column00 AS committee_id, column01 AS name, column02 AS committee_type, column03 AS designation "
        f"FROM read_csv({quote_literal(path)}, delim = '|', header = false, quote = '', all_varchar = true)"
    )


def test_the_real_webk_alone_publishes_every_committee_with_its_name(webk_only):
    assert webk_only["code"] == 0 and webk_only["seconds"] < 30
    snapshot = current_snapshot(webk_only["data_dir"])
    assert read_manifest(snapshot)["source"] == "bulk"
    committees = quote_literal(snapshot / "committees.parquet")
    lines = line_count(webk_only["webk"])
    published, same, bare = duckdb.sql(f"""
        SELECT count(*),
               count(*) FILTER (WHERE p.name = w.name AND p.committee_type = w.committee_type
                                AND p.designation = w.designation),
               count(*) FILTER (WHERE p.party IS NULL AND p.state IS NULL AND p.candidate_id IS NULL)
        FROM read_parquet({committees}) p JOIN ({webk_lines(webk_only["webk"])}) w USING (committee_id)
        WHERE p.cycle = {CYCLE}""").fetchall()[0]
    assert published == same == bare == lines == 11_916
    assert duckdb.sql(
        f"SELECT count(*) FROM read_parquet({quote_literal(snapshot / 'candidates.parquet')})"
    ).fetchall()[0] == (0,)


def test_the_data_quality_report_says_why_there_are_no_candidates(webk_only):
    assert webk_only["code"] == 0
    findings = read_manifest(current_snapshot(webk_only["data_dir"]))["data_quality"]["findings"]
    finding = next(f for f in findings if f["code"] == "no_candidates")
    assert finding["reason"].startswith("No candidates in 2024: the files loaded name committees only")
    assert finding["count"] == 11_916 and finding["examples"][0] == "C00000059"


def test_the_pages_answer_and_say_there_are_no_candidates(webk_only, monkeypatch):
    assert webk_only["code"] == 0
    monkeypatch.setenv("DATA_CACHE_DIR", str(webk_only["data_dir"]))
    import app  # noqa: F401  (registers the pages; DATA_CACHE_DIR is read on every query)

    client = app.server.test_client()
    for path in ("/", "/map", "/data", "/trends", "/receipts", "/committee/C00000422", "/api/v1/search?q=hallmark"):
        assert client.get(path).status_code == 200, path
    for path in ("/", "/map"):
        assert "No candidates in 2024 in this data" in page_text(client, path, f"?cycle={CYCLE}"), path
    assert "2024" in page_text(client, "/")  # the cycle picker offers it from the default cycle
    assert "No candidates in 2024: the files loaded name committees only" in page_text(client, "/data")
    assert "AMERICAN MEDICAL ASSOCIATION POLITICAL ACTION COMMITTEE" in page_text(client, "/committee/C00000422")
    found = client.get("/api/v1/search?q=hallmark").get_json()["data"]
    assert [(r["id"], r["path"]) for r in found] == [("C00000059", f"/committee/C00000059?cycle={CYCLE}")]


def test_committees_of_webk_are_raw_rows_that_cm_overrides_whenever_it_is_loaded(small_snapshot, tmp_path):
    folder = tmp_path / "files"
    bulk_layout.write_cycle(small_snapshot, CYCLE, folder, kinds=["cm", "webk"])
    cm = folder / "cm.txt"
    held = cm.rename(tmp_path / "cm.txt")
    webk = folder / "webk24.txt"
    with webk.open("a", encoding="utf-8") as f:  # a PAC that only webk names
        f.write("C99999999|ONLY IN WEBK PAC|Q|U|M" + "|0" * 21 + "|06/30/2024\n")
    data_dir = tmp_path / "data"
    raw = data_dir / "raw" / "committees"
    rows = f"read_parquet({quote_literal(raw)} || '/*.parquet', union_by_name = true)"

    load(data_dir, CYCLE, folder, Quiet(), publish=False)  # webk alone: every committee from webk's columns
    assert duckdb.sql(f"SELECT count(*) FROM {rows}").fetchall()[0][0] == line_count(webk)
    assert duckdb.sql(
        f"SELECT name, committee_type, designation, filing_frequency, party, state, candidate_id FROM {rows} "
        "WHERE committee_id = 'C99999999'"
    ).fetchall() == [("ONLY IN WEBK PAC", "Q", "U", "M", None, None, None)]

    held.rename(cm)  # the committee master arrives later: its rows win, webk keeps only what cm lacks
    load(data_dir, CYCLE, folder, Quiet(), publish=False)
    per_source = dict(
        duckdb.sql(
            f"SELECT split_part(parse_filename(filename, true), '-', 3), count(*) FROM "
            f"read_parquet({quote_literal(raw)} || '/*.parquet', union_by_name = true, filename = true) GROUP BY 1"
        ).fetchall()
    )
    assert per_source == {"cm": line_count(cm), "webk": 1}
    assert duckdb.sql(f"SELECT count(*) = count(DISTINCT committee_id) FROM {rows}").fetchall() == [(True,)]
