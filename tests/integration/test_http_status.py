"""The HTTP status and <head> of each page's HTML shell, through Flask's test client.

Dash serves one shell for every address and renders the page afterwards; the shell still answers
404 for an address that names nothing, 400 for an invalid value in it, and names the page (title,
description, Open Graph) for link previews and tabs, which run no script.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from dashboard.app import db
from dashboard.app.queries import committees, donor_profile, races
from devtools.pages_router import router_body
from tests.integration.test_app_routes import page_text


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


@pytest.fixture(scope="module")
def known(small_snapshot):
    top = races.top_races(2024, office="H", limit=1).iloc[0]
    candidate = races.race_candidates(2024, "H", top.state, top.district).iloc[0]
    committee = committees.committee_cycles("C10000001").iloc[0]
    donor_key = db.query("SELECT donor_key FROM donors ORDER BY amount DESC, donor_key LIMIT 1")["donor_key"].iloc[0]
    return {"race": top, "candidate": candidate, "committee": committee, "donor_key": donor_key}


def head(response) -> dict:
    """The shell's <title> and its <meta> tags by name or property."""
    text = response.get_data(as_text=True)
    tags = {
        unescape(name): unescape(content)
        for name, content in re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', text)
    }
    tags["title"] = unescape(re.search(r"<title>(.*?)</title>", text, re.S).group(1))
    return tags


def test_pages_that_exist_answer_200_with_their_names_in_the_title(client, known):
    race, candidate = known["race"], known["candidate"]
    expected = {
        "/": "Campaign finance dashboard",
        "/?cycle=2024": "Campaign finance dashboard",
        "/map?cycle=2024&metric=receipts&view=hex": "District money map",
        "/trends": "Trends monitor",
        "/receipts": "Itemized receipts",
        "/data": "About the data",
        race.race_path: f"House {race.state}-{race.district} race, 2024",
        "/race/president/2024": "Presidential race, 2024",
        f"/candidate/{candidate.candidate_id}?cycle=2024": f"{candidate['name']}, candidate for House",
        "/committee/C10000001": known["committee"]["name"],
    }
    for path, title in expected.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert title in head(response)["title"], path


def test_a_donor_page_is_titled_with_the_donors_name(client, known):
    from urllib.parse import quote

    key = known["donor_key"]
    response = client.get(f"/donor/{quote(key, safe='')}")
    assert response.status_code == 200
    name = donor_profile.donor_summary(key).iloc[0]["name"]
    assert head(response)["title"] == f"{name}: donor"


@pytest.mark.parametrize(
    "path",
    [
        "/no/such/page",
        "/404",
        "/candidate/H9ZZ99999",
        "/race/president/2026",
        "/committee/C99999999",
        "/donor/NOBODY%20AT%20ALL%7C00000",
        "/race/house/WA/01/2024/extra",  # more segments than the race's address has: no page, not a bad value
        "/race/president/2024/extra",
    ],
)
def test_addresses_that_name_nothing_answer_404_with_the_friendly_page(client, path):
    response = client.get(path)
    assert response.status_code == 404, path
    assert head(response)["title"] == "Page not found"
    assert b'<html lang="en">' in response.data  # the app's shell all the same, which renders:
    path_only, _, search = path.partition("?")
    assert "Page not found" in page_text(client, path_only, f"?{search}" if search else "")


@pytest.mark.parametrize(
    "path",
    [
        "/?cycle=2023",
        "/?cycle=abc",
        "/map?metric=bogus",
        "/map?sort=nothing",
        "/map?state=ZZ",
        "/trends?window=9",
        "/receipts?sort=sideways",
        "/receipts?cycle=1066",
        "/race/house/ZZ/01/2024",
        "/race/house/WA/1X/2024",
        "/race/senate/WA/1900",
        "/candidate/JUNK",
        "/committee/NOPE",
        "/candidate/{candidate}?cycle=1981",
    ],
)
def test_invalid_values_answer_400_with_the_friendly_page(client, known, path):
    path = path.format(candidate=known["candidate"].candidate_id)
    response = client.get(path)
    assert response.status_code == 400, path
    path_only, _, search = path.partition("?")
    assert "Page not found" in page_text(client, path_only, f"?{search}" if search else "")


def test_the_friendly_page_keeps_its_suggestions(client, known):
    race = known["race"]
    path = f"/race/house/{race.state}/99/2024"
    assert client.get(path).status_code == 400
    assert "Closest matches" in page_text(client, path)


def test_a_known_candidate_in_a_cycle_they_did_not_run_is_404(client, known):
    candidate_id = known["candidate"].candidate_id
    response = client.get(f"/candidate/{candidate_id}?cycle=1980")
    assert response.status_code == 404
    assert "ran in" in page_text(client, f"/candidate/{candidate_id}", "?cycle=1980")


def test_every_page_describes_itself_for_link_previews(client, known):
    race = known["race"]
    for path in ["/", "/map", "/trends", "/receipts", "/data", race.race_path, "/committee/C10000001"]:
        tags = head(client.get(path))
        assert len(tags["description"]) > 40, path
        assert tags["og:title"] == tags["title"] == tags["twitter:title"], path
        assert tags["og:description"] == tags["description"], path
        assert tags["og:type"] == "website"
        assert tags["og:url"] == f"http://localhost{path}"
        assert tags["twitter:card"] == "summary"  # no image: no "large image" card
    tags = head(client.get(race.race_path))
    assert "raising and spending" in tags["description"]


def test_without_javascript_the_shell_says_what_the_site_is_and_where_the_numbers_are(client):
    text = client.get("/map").get_data(as_text=True)
    noscript = re.search(r"<body>\s*<noscript>(.*?)</noscript>", text, re.S).group(1)
    assert "money raised and spent in U.S. federal elections" in noscript
    links = re.findall(r'href="([^"]+)"', noscript)
    assert "/api/v1/openapi.json" in links
    for link in links:  # every link in it answers, without any script
        assert client.get(link).status_code == 200, link
    assert "<noscript><style>._dash-loading { display: none; }</style></noscript>" in text


def test_without_a_snapshot_every_page_answers_503(client, tmp_path, monkeypatch):
    """Before its first snapshot (a follower not synced yet) a server answers 503 with Retry-After and a plain
    message, the data page included (tests/integration/test_snapshot_pins.py has the rest)."""
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    for path in ("/candidate/H4WA01001", "/data"):
        response = client.get(path)
        assert response.status_code == 503 and response.headers["Retry-After"], path
    callback = client.post("/_dash-update-component", json=router_body("/candidate/H4WA01001"))
    assert callback.status_code == 503 and "No data snapshot" in callback.get_data(as_text=True)


def test_a_damaged_snapshot_answers_503_on_every_page_that_shows_its_numbers(
    client, known, demo_builds, tmp_path, monkeypatch
):
    """Pages answer 503 with "Data unavailable" when the published snapshot cannot be read whole (a
    partition deleted after publishing), the home page and the data page included."""
    data_dir = demo_builds.copy(tmp_path / "data")
    snapshot = (data_dir / "current").resolve()
    sorted((snapshot / "receipts").glob("cycle=2024/*.parquet"))[0].unlink()
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    for path in ["/", "/?cycle=2024", "/data", known["race"].race_path, "/committee/C10000001"]:
        assert client.get(path).status_code == 503, path
    for path in ["/", "/data"]:
        assert "Data unavailable" in page_text(client, path), path
    assert client.get("/?cycle=abc").status_code == 400  # an invalid address is still said to be one
