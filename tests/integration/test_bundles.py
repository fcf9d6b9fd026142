"""What a page's first load downloads (dashboard/app/bundles.py), through Flask's test client: the
address dcc.Graph loads plotly.js from answers the partial bundle, compressed and revalidated by ETag;
AG Grid's bundle is in no page's scripts, only the stand-in that loads it, and it is still served."""

from __future__ import annotations

import re

import brotli
import pytest

from dashboard.app import bundles

PLOTLY_ADDRESS = "/" + bundles.DASH_PLOTLY_PATH


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


def test_the_plotly_js_address_answers_the_partial_bundle(client):
    response = client.get(PLOTLY_ADDRESS, headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.data == bundles.PLOTLY_BUNDLE.read_bytes()
    assert len(response.data) < 2_000_000  # the full plotly.min.js is 4.8 MB
    assert response.headers["Cache-Control"] == "no-cache"
    again = client.get(
        PLOTLY_ADDRESS, headers={"Accept-Encoding": "identity", "If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304 and again.data == b""


def test_the_bundle_is_sent_compressed_and_revalidated_compressed(client):
    response = client.get(PLOTLY_ADDRESS, headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(response.data) < 600_000
    assert response.headers["ETag"].endswith(':gzip"')
    again = client.get(PLOTLY_ADDRESS, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_browsers_that_take_brotli_get_the_copy_the_build_compressed(client):
    chromium = "gzip, deflate, br, zstd"
    response = client.get(PLOTLY_ADDRESS, headers={"Accept-Encoding": chromium})
    assert response.headers["Content-Encoding"] == "br"
    assert response.data == bundles.PLOTLY_BUNDLE_BROTLI.read_bytes()
    assert brotli.decompress(response.data) == bundles.PLOTLY_BUNDLE.read_bytes()
    assert "Accept-Encoding" in response.headers["Vary"]
    again = client.get(PLOTLY_ADDRESS, headers={"Accept-Encoding": chromium, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_pages_load_the_grid_stand_in_not_the_grid(client):
    for path in ("/", "/receipts"):
        shell = client.get(path).get_data(as_text=True)
        assert re.findall(r'<script src="[^"]*dash_ag_grid/dash_ag_grid[^"]*"', shell) == []
        (tag,) = re.findall(r'<script src="/_dash-component-suites/dash_ag_grid/on_demand\.js"[^>]*>', shell)
        bundle = re.search(r'data-bundle="([^"]+)"', tag).group(1)
        # The stand-in and the real bundle it loads both answer.
        assert client.get("/" + bundles.AG_GRID_STAND_IN_PATH).data == bundles.AG_GRID_STAND_IN.read_bytes()
        grid = client.get(bundle, headers={"Accept-Encoding": "identity"})
        assert grid.status_code == 200 and b"window.dash_ag_grid=" in grid.data
