"""A visitor's page loads, which fire several callbacks at once, are never refused by the per-client limits
or the costly searches' pool (default settings, one browser on one address)."""

from __future__ import annotations

PAGES = ("/", "/map?cycle=2024", "/receipts?cycle=2024", "/receipts?cycle=2024&group=donor", "/race/president/2024")


def test_page_loads_never_meet_a_limit(page, base_url):
    statuses: list[tuple[int, str]] = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    for path in PAGES:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    refused = [(status, url) for status, url in statuses if status in (413, 429, 503)]
    assert refused == []
    assert sum(1 for _, url in statuses if "_dash-update-component" in url) >= 2 * len(PAGES)
