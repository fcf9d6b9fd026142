"""The data footer tells the build and the last refresh apart: a snapshot built from demo data was never
refreshed; one published by a refresh from the (fake) OpenFEC API says when that refresh ran."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from dashboard.store.refresh_status import read_status
from dashboard.store.snapshots import current_snapshot, read_manifest
from devtools.fake_openfec import FAKE_KEY, FakeOpenFEC
from tests.e2e.conftest import ROOT, serve_app


def minute(iso: str) -> str:
    """As the footer writes a time: '2026-12-05 02:34 UTC'."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")


def footer_text(page, url: str) -> str:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.locator("footer.data-footer").inner_text()


def test_a_demo_snapshot_says_when_it_was_built_and_that_it_was_never_refreshed(page, base_url, small_snapshot):
    manifest = read_manifest(current_snapshot(small_snapshot))
    text = footer_text(page, base_url + "/data")
    assert f"Built {minute(manifest['built_at'])} from synthetic demo data" in text
    assert "Never refreshed from the OpenFEC API." in text
    assert "Last refreshed" not in text


@pytest.fixture(scope="module")
def refreshed(demo_builds, tmp_path_factory):
    """A data folder whose snapshot was published by a refresh from the fake OpenFEC API."""
    data_dir = tmp_path_factory.mktemp("refreshed")
    with FakeOpenFEC(demo_builds.built(rows=20_000, seed=5)) as fake:
        env = {
            **os.environ,
            "DATA_CACHE_DIR": str(data_dir),
            "FEC_API_URL": fake.url,
            "FEC_API_KEY": FAKE_KEY,
            "FEC_BACKOFF_SECONDS": "0.01",
            "LOG_LEVEL": "WARNING",
        }
        done = subprocess.run(
            [sys.executable, "-m", "dashboard", "refresh", "--cycle", "2026", "--office", "H", "--state", "OR"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    return data_dir


def test_a_refreshed_snapshot_says_when_it_was_built_and_when_it_was_refreshed(page, refreshed):
    manifest = read_manifest(current_snapshot(refreshed))
    refreshed_at = read_status(refreshed)["last_success"]["finished_at"]
    with serve_app(refreshed, workers=1) as url:
        text = footer_text(page, url + "/data")
    assert f"Built {minute(manifest['built_at'])} from" in text
    assert f"Last refreshed from the OpenFEC API {minute(refreshed_at)}." in text
    assert "Never refreshed" not in text
