"""Validation refuses only what cannot be right (a broken schema, an unreadable extract, a collapse
against the previous snapshot) and publishes what is odd but real with a data-quality report."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.core.sql import quote_literal
from dashboard.pipeline import cli
from dashboard.pipeline.builder import publish
from dashboard.pipeline.builder.publish import BuildError, build_and_publish
from dashboard.store import snapshots


def rewrite(path: Path, sql: str) -> None:
    """Replace a raw Parquet file with `sql` run over its rows (the table is `t`)."""
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_parquet({quote_literal(str(path))})")
    con.execute(sql)
    con.execute(f"COPY t TO {quote_literal(str(path))} (FORMAT parquet)")


def findings(manifest: dict) -> dict[str, dict]:
    return {f["code"]: f for f in manifest["data_quality"]["findings"]}


@pytest.fixture
def raw_copy(demo_builds, tmp_path) -> Path:
    """The small demo's raw data (and its published snapshot) in a folder of the test's own."""
    return demo_builds.copy(tmp_path / "data")


def test_negative_totals_and_orphans_are_published_and_reported(odd_snapshot):
    data_dir, ids = odd_snapshot  # built by conftest.make_odd through build_and_publish
    manifest = snapshots.read_manifest(data_dir / "current")
    found = findings(manifest)
    assert ids["negative"] in found["negative_totals"]["examples"]
    assert found["negative_totals"]["count"] >= 1
    assert found["orphan_totals"]["examples"] == [ids["orphan"]]
    assert found["orphan_totals"]["count"] == 1
    assert float(found["orphan_totals"]["amount"]) > 0
    assert found["orphan_receipts"]["examples"] == [ids["orphan"]]
    for finding in found.values():
        assert finding["reason"] and finding["count"] > 0 and len(finding["examples"]) <= 5
    # The money is published as filed, not dropped.
    totals = quote_literal(str(data_dir / "current" / "candidate_totals.parquet"))
    receipts = duckdb.execute(
        f"SELECT receipts FROM read_parquet({totals}) WHERE candidate_id = ? AND cycle = 2024", [ids["negative"]]
    ).fetchall()[0][0]
    assert receipts < 0


def _break_after_build(monkeypatch, damage):
    real = publish.build_extracts

    def build_then_damage(con, raw_dir, out_dir, progress=None):
        counts = real(con, raw_dir, out_dir, progress)
        damage(out_dir)
        return counts

    monkeypatch.setattr(publish, "build_extracts", build_then_damage)


def _drop_a_column(out_dir: Path) -> None:
    rewrite(out_dir / "candidate_totals.parquet", "ALTER TABLE t DROP COLUMN debts")


def _garble(out_dir: Path) -> None:
    (out_dir / "agg_daily.parquet").write_bytes(b"not parquet at all")


@pytest.mark.parametrize(
    "damage, message",
    [(_drop_a_column, "candidate_totals: columns .* differ from the contract"), (_garble, "agg_daily: cannot be read")],
)
def test_a_broken_schema_or_unreadable_extract_is_refused(raw_copy: Path, monkeypatch, damage, message):
    before = snapshots.read_manifest(raw_copy / "current")["snapshot_id"]
    _break_after_build(monkeypatch, damage)
    with pytest.raises(BuildError, match=message):
        build_and_publish(raw_copy, source="demo")
    assert snapshots.read_manifest(raw_copy / "current")["snapshot_id"] == before


def test_a_collapse_against_the_previous_snapshot_of_the_source_is_refused(raw_copy: Path):
    first = build_and_publish(raw_copy, source="api")
    shutil.rmtree(raw_copy / "raw" / "schedule_a" / "cycle=2024")  # as if a truncated file replaced them
    with pytest.raises(BuildError, match=r"collapsed .* receipts of 2024: 0 rows, [\d,]+ before.*--allow-shrink"):
        build_and_publish(raw_copy, source="api")
    assert snapshots.read_manifest(raw_copy / "current")["snapshot_id"] == first["snapshot_id"]

    # Intended: published, and the manifest says what shrank.
    allowed = build_and_publish(raw_copy, source="api", allow_shrink=True)
    assert allowed["data_quality"]["compared_with"] == first["snapshot_id"]
    assert any(s.startswith("receipts of 2024: 0 rows") for s in allowed["data_quality"]["shrinks_allowed"])


def test_shrinking_is_not_a_collapse_against_another_source_or_for_demo_data(raw_copy: Path):
    build_and_publish(raw_copy, source="api")
    shutil.rmtree(raw_copy / "raw" / "schedule_a" / "cycle=2024")
    # demo data is regenerated whole: a smaller demo is what was asked for
    assert build_and_publish(raw_copy, source="demo")["data_quality"]["compared_with"] is None
    shutil.rmtree(raw_copy / "raw" / "schedule_a" / "cycle=2022")
    assert build_and_publish(raw_copy, source="bulk")["data_quality"]["compared_with"] is None


def test_committees_without_candidates_publish_saying_so_and_neither_is_refused(raw_copy: Path):
    cycles = snapshots.read_manifest(raw_copy / "current")["cycles"]
    for path in (raw_copy / "raw" / "candidates").glob("*.parquet"):
        rewrite(path, "DELETE FROM t")
    manifest = build_and_publish(raw_copy, source="demo")
    reasons = [f["reason"] for f in manifest["data_quality"]["findings"] if f["code"] == "no_candidates"]
    assert [r.split(":")[0] for r in reasons] == [f"No candidates in {cycle}" for cycle in cycles]
    assert all("the files loaded name committees only" in r for r in reasons)
    published = manifest["snapshot_id"]
    for path in (raw_copy / "raw" / "committees").glob("*.parquet"):
        rewrite(path, "DELETE FROM t")
    with pytest.raises(BuildError, match="candidates and committees are empty"):
        build_and_publish(raw_copy, source="demo")
    assert snapshots.read_manifest(raw_copy / "current")["snapshot_id"] == published


def test_status_prints_the_data_quality_report(odd_snapshot, monkeypatch, capsys):
    data_dir, ids = odd_snapshot
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    assert cli.main(["status"]) == 0
    out = capsys.readouterr().out
    assert "data quality:" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("orphan_totals"))
    assert " 1 " in line and ids["orphan"] in line and "no candidate record" in line


def test_build_refuses_a_collapse_and_publishes_it_with_allow_shrink(raw_copy: Path, monkeypatch, capsys):
    for path in (raw_copy / "raw").glob("**/demo*.parquet"):  # as if the API had written them
        path.rename(path.with_name("api" + path.name[len("demo") :]))
    monkeypatch.setenv("DATA_CACHE_DIR", str(raw_copy))
    assert cli.main(["build"]) == 0
    first = snapshots.read_manifest(raw_copy / "current")
    shutil.rmtree(raw_copy / "raw" / "schedule_a" / "cycle=2024")
    assert cli.main(["build"]) == 1
    assert "--allow-shrink" in capsys.readouterr().err
    assert snapshots.read_manifest(raw_copy / "current")["snapshot_id"] == first["snapshot_id"]
    assert cli.main(["build", "--allow-shrink"]) == 0
    assert snapshots.read_manifest(raw_copy / "current")["data_quality"]["shrinks_allowed"]
