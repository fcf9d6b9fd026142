"""One page load reads one snapshot: a snapshot published while a page renders (between two of its
queries) changes nothing in that page (a publish once gave a page the new footer and the old name);
the next page load reads the new snapshot."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pytest

from dashboard.app import db
from dashboard.store import checksums, layout
from tests.integration.test_snapshot_damage import answer, page_text

RENAMED = "RENAMEDINSECOND"


@pytest.fixture
def two_snapshots(demo_builds, tmp_path, monkeypatch):
    """A data dir serving snapshot `first`, and `second` published beside it, not yet current: the same
    data with every candidate renamed, its manifest recording its own files as a publish does."""
    data_dir = demo_builds.copy(tmp_path / "data")
    first = (data_dir / "current").resolve()
    second = layout.snapshots_dir(data_dir) / (first.name[:-1] + "9Z")  # a later id
    shutil.copytree(first, second)
    candidates = second / "candidates.parquet"
    renamed = second / "renamed.tmp"
    duckdb.sql(
        f"COPY (SELECT * REPLACE ('{RENAMED} ' || name AS name) FROM read_parquet('{candidates}')) TO '{renamed}' (FORMAT parquet)"
    )
    os.replace(renamed, candidates)
    manifest = json.loads(layout.manifest_path(second).read_text())
    manifest["snapshot_id"] = second.name
    manifest[checksums.FILES_KEY] = checksums.inventory(second)
    layout.manifest_path(second).write_text(json.dumps(manifest))
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    return data_dir, first, second


def publish(data_dir, snapshot):
    """Swap `current` as the builder does (dashboard.store.snapshots.point_current_at)."""
    tmp = data_dir / f".current.{snapshot.name}"
    os.symlink(os.path.relpath(snapshot, data_dir), tmp)
    os.replace(tmp, data_dir / "current")


def test_a_publish_during_a_page_render_does_not_mix_snapshots(two_snapshots, monkeypatch):
    import app  # imported only once DATA_CACHE_DIR points at a snapshot

    data_dir, first, second = two_snapshots
    client = app.server.test_client()
    candidate_id, name = duckdb.sql(
        f"SELECT candidate_id, name FROM read_parquet('{first / 'candidates.parquet'}') WHERE cycle = 2024 LIMIT 1"
    ).fetchall()[0]
    queries = []
    real_query = db.query

    def query_then_publish(sql, params=None):
        """The real query; after the page's first one, the new snapshot is published."""
        result = real_query(sql, params)
        queries.append(sql)
        if len(queries) == 1:
            publish(data_dir, second)
        return result

    monkeypatch.setattr(db, "query", query_then_publish)
    during = page_text(client, f"/candidate/{candidate_id}", "?cycle=2024")
    monkeypatch.setattr(db, "query", real_query)

    assert len(queries) > 1 and (data_dir / "current").resolve() == second  # published mid-render
    assert name in during and RENAMED not in during  # every query read the first snapshot...
    assert first.name in during and second.name not in during  # ...and so did the footer

    after = page_text(client, f"/candidate/{candidate_id}", "?cycle=2024")  # the next page load
    assert f"{RENAMED} {name}" in after and second.name in after and first.name not in after
    status, ready = answer(client, "/readyz")
    assert status == 200 and ready["snapshot_id"] == second.name
