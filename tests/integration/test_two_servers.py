"""Two app servers, each following the object store into its own data folder, behind Debian's nginx on
127.0.0.1 (devtools/cluster.py): a new snapshot is built, uploaded and followed by one server then
the other while a bounded load run of page loads goes through the balancer. No request fails, and every
page load's answers name one snapshot (X-Snapshot-Id), though for a while the two servers serve two."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

import pytest

from bench.scale import PageLoads, sample_pages
from dashboard.app.headers import SNAPSHOT_HEADER
from devtools.cluster import RETRIED_AFTER_503, rolling_follow, run_dashboard, served_id, servers_behind_balancer

pytestmark = pytest.mark.slow


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers)


def test_two_followers_behind_nginx_take_a_new_snapshot_with_no_failed_request(
    demo_builds, snapshot_store, tmp_path, monkeypatch
):
    # The build shares the machine's cores with both servers: a slow query is not what this test is about.
    monkeypatch.setenv("QUERY_TIMEOUT_MS", "30000")
    builder = demo_builds.copy(tmp_path / "builder")
    run_dashboard(["upload"], builder)  # the snapshot built before the store was set
    first = served_id(builder)
    server_dirs = [tmp_path / "server-a", tmp_path / "server-b"]
    for folder in server_dirs:
        folder.mkdir()

    with servers_behind_balancer(server_dirs, tmp_path / "nginx", workers=1) as (urls, balancer):
        # Before their first sync both servers are alive, not ready, and say so through the balancer.
        status, headers = get(balancer.url + "/")
        assert status == 503 and headers["Retry-After"]
        assert [get(url + "/healthz")[0] for url in urls] == [200, 200]
        assert [get(url + "/readyz")[0] for url in urls] == [503, 503]
        rolling_follow(server_dirs, urls=urls)
        assert [get(url + "/readyz")[0] for url in urls] == [200, 200]

        pages, cycle = sample_pages(builder, count=40)
        load = PageLoads(balancer.url, pages, cycle, clients=3).start()
        time.sleep(3)
        run_dashboard(["build"], builder)  # publishes and uploads the second snapshot
        second = served_id(builder)
        # A rolling update: for 4 s server A is on the new snapshot, server B still on the old one.
        rolling_follow(server_dirs, pause=4, urls=urls)
        time.sleep(3)
        figures = load.stop()
        status, headers = get(balancer.url + "/data")
        access_log = balancer.access_log.read_text()

    retried = access_log.count(RETRIED_AFTER_503)  # a server behind sent the page's callback on
    print(f"load run: {figures.summary()}, {retried} answers retried on the other server after a 503")
    assert second != first and [served_id(folder) for folder in server_dirs] == [second, second]
    assert figures.failures == [], figures.failures[:5]
    assert figures.mixed == [], figures.mixed[:5]
    assert figures.page_loads > 10 and figures.snapshots[first] > 0 and figures.snapshots[second] > 0
    assert status == 200 and headers[SNAPSHOT_HEADER] == second
    assert all(url.removeprefix("http://") in access_log for url in urls)  # both servers answered
