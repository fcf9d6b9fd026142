"""The app through Flask's test client: every route answers, every page renders its content.

Dash renders a page in two steps: GET returns the app shell, then the browser asks the pages
router callback for the content. `render()` makes that second request the way the browser does.
"""

from __future__ import annotations

import json

import pytest

from dashboard.app import db
from dashboard.app.queries import races
from devtools.pages_router import router_body


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


def render(client, path: str, search: str = "") -> dict:
    body = router_body(path, search)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:500]
    return response.get_json()["response"]


def text_of(node) -> str:
    """All visible text in a rendered component tree, joined by spaces."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, list):
        return " ".join(text_of(child) for child in node)
    props = node.get("props", {})
    return text_of(props.get("children"))


def page_text(client, path, search="") -> str:
    return text_of(render(client, path, search)["_pages_content"]["children"])


def links_in(node) -> list[str]:
    found = []
    if isinstance(node, list):
        for child in node:
            found += links_in(child)
    elif isinstance(node, dict):
        props = node.get("props", {})
        if node.get("type") == "Link":
            found.append(props.get("href"))
        found += links_in(props.get("children"))
    return found


@pytest.fixture(scope="module")
def top_race():
    return races.top_races(2024, office="H", limit=1).iloc[0]


@pytest.fixture(scope="module")
def paths(top_race):
    senate = races.top_races(2024, office="S", limit=1).iloc[0]
    candidate = races.race_candidates(2024, "H", top_race.state, top_race.district).iloc[0]
    return {
        "home": "/",
        "data": "/data",
        "house": top_race.race_path,
        "senate": senate.race_path,
        "president": "/race/president/2024",
        "candidate": f"/candidate/{candidate.candidate_id}",
        "committee": "/committee/C10000001",
    }


def test_every_page_shell_answers_200(client, paths):
    for path in paths.values():  # unknown and invalid addresses: test_http_status.py
        response = client.get(path)
        assert response.status_code == 200, path
        assert b'<html lang="en">' in response.data
        assert b"cdn." not in response.data  # everything served from this app


def test_assets_are_local_and_responses_compressed(client):
    css = client.get("/assets/style.css", headers={"Accept-Encoding": "identity"})
    assert css.status_code == 200
    assert "http" not in css.get_data(as_text=True)  # no fonts or images from elsewhere
    shell = client.get("/", headers={"Accept-Encoding": "identity"})
    scripts = [part.split('"')[0] for part in shell.get_data(as_text=True).split('src="')[1:]]
    bundle = client.get(max(scripts, key=len), headers={"Accept-Encoding": "gzip"})
    assert bundle.status_code == 200 and bundle.headers.get("Content-Encoding") == "gzip"


@pytest.mark.parametrize(
    "page, expected",
    [
        ("home", "Races that raised the most"),
        ("data", "How money is counted"),
        ("house", "Candidates"),
        ("senate", "Senate"),
        ("president", "President"),
        ("candidate", "Committees"),
        ("committee", "FEC id"),
    ],
)
def test_every_page_renders_with_banner_and_footer(client, paths, page, expected):
    text = page_text(client, paths[page])
    assert expected in text
    assert "Demo data: synthetic, not real FEC records" in text
    assert "Data through" in text and "refreshed" in text
    assert "Something went wrong" not in text and "Page not found" not in text


def test_home_has_headline_numbers_and_links_to_races(client, top_race):
    content = render(client, "/", "?cycle=2024")["_pages_content"]["children"]
    text = text_of(content)
    assert "Raised by House candidates" in text and "Raised by Senate candidates" in text
    assert "Campaign money, 2024 cycle" in text
    assert top_race.race_path in links_in(content)
    assert "Download CSV" in text


def test_home_cycle_from_the_url(client):
    assert "Campaign money, 2022 cycle" in page_text(client, "/", "?cycle=2022")
    assert "Page not found" in page_text(client, "/", "?cycle=2023")
    assert "no data for the 2030 cycle" in page_text(client, "/", "?cycle=2030")


def test_race_page_lists_candidates_with_links(client, top_race):
    content = render(client, top_race.race_path)["_pages_content"]["children"]
    expected = races.race_candidates(2024, "H", top_race.state, top_race.district)
    found = links_in(content)
    for path in expected.candidate_path:
        assert path in found
    text = text_of(content)
    assert "Incumbent" in text or "Challenger" in text or "Open seat" in text


def test_data_page_shows_coverage_and_row_counts(client):
    text = page_text(client, "/data")
    assert "Coverage by cycle" in text and "agg_district" in text and "2024-12-31" in text


@pytest.mark.parametrize(
    "path, search",
    [
        ("/no/such/page", ""),
        ("/candidate/JUNK", ""),
        ("/candidate/H9ZZ99999", ""),
        ("/race/house/ZZ/01/2024", ""),
        ("/race/house/WA/99/2024", ""),
        ("/race/house/WA/01/2023", ""),
        ("/race/house/WA/01/2024/extra", ""),
        ("/race/senate/WA/1900", ""),
        ("/race/president/2026", ""),
        ("/committee/C99999999", ""),
        ("/committee/NOPE", ""),
    ],
)
def test_junk_addresses_get_the_friendly_404(client, path, search):
    text = page_text(client, path, search)
    assert "Page not found" in text
    assert "Traceback" not in text


def test_candidate_page_in_a_cycle_they_did_not_run(client, paths):
    text = page_text(client, paths["candidate"], "?cycle=1980")
    assert "Page not found" in text and "ran in" in text


def test_search_callback_lists_links(client, top_race):
    surname = top_race.leader_name.split(",")[0]
    body = {
        "output": "..search-input.value...search-results.children..",
        "outputs": [{"id": "search-input", "property": "value"}, {"id": "search-results", "property": "children"}],
        "inputs": [
            {"id": "search-input", "property": "value", "value": surname.lower()},
            {"id": "url", "property": "pathname", "value": "/"},
        ],
        "changedPropIds": ["search-input.value"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    results = response.get_json()["response"]["search-results"]["children"]
    # A result opens the candidate's latest cycle, which need not be this race's.
    assert any(link.startswith(f"/candidate/{top_race.leader_candidate_id}?cycle=") for link in links_in(results))


def component_id(type_: str, name: str) -> str:
    """How Dash names a pattern-matching id in callback requests: sorted keys, compact JSON."""
    return json.dumps({"name": name, "type": type_}, separators=(",", ":"))


def test_csv_download_callback_sends_the_stored_csv(client):
    body = {
        "output": '{"name":["MATCH"],"type":"csv-download"}.data',
        "outputs": {"id": {"name": "top-races", "type": "csv-download"}, "property": "data"},
        "inputs": [{"id": {"name": "top-races", "type": "csv-button"}, "property": "n_clicks", "value": 1}],
        "state": [
            {
                "id": {"name": "top-races", "type": "csv-data"},
                "property": "data",
                "value": {"filename": "x.csv", "content": "a,b\n1,2\n"},
            }
        ],
        "changedPropIds": [f"{component_id('csv-button', 'top-races')}.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    sent = response.get_json()["response"][component_id("csv-download", "top-races")]["data"]
    assert sent == {"content": "a,b\n1,2\n", "filename": "x.csv", "type": "text/csv"}


def test_home_csv_holds_the_tables_numbers(client):
    content = render(client, "/", "?cycle=2024")["_pages_content"]["children"]
    stored = find_store(content, component_id("csv-data", "top-races"))
    top = races.top_races(2024, limit=10)
    lines = stored["content"].splitlines()
    assert lines[0].startswith("cycle,office,state,district,race_label")
    assert len(lines) == 1 + len(top)
    assert f"{top.receipts.iloc[0]}" in lines[1]


def find_store(node, wanted_id):
    if isinstance(node, list):
        for child in node:
            found = find_store(child, wanted_id)
            if found is not None:
                return found
    elif isinstance(node, dict):
        props = node.get("props", {})
        if (
            isinstance(props.get("id"), dict)
            and json.dumps(props["id"], sort_keys=True, separators=(",", ":")) == wanted_id
        ):
            return props.get("data")
        return find_store(props.get("children"), wanted_id)
    return None


def test_without_a_snapshot_pages_say_how_to_build_one(client, tmp_path, monkeypatch):
    """A single server (no snapshot store) with nothing built says how to build the demo, with a 503."""
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SNAPSHOT_STORE_URL", raising=False)
    for path in ("/", "/race/president/2024", "/candidate/H4WA01001", "/data"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == 503 and response.headers["Retry-After"]
        text = response.get_data(as_text=True)
        assert "No data yet" in text and "python -m dashboard demo" in text


def test_a_failing_page_apologises_and_logs(client, monkeypatch, caplog, top_race):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(races, "race_candidates", broken)
    text = page_text(client, top_race.race_path)
    assert "Something went wrong" in text and "disk on fire" not in text
    assert "disk on fire" in caplog.text


def test_a_slow_page_says_so(client, monkeypatch, top_race):
    def slow(*_args, **_kwargs):
        raise db.QueryTimeoutError("query cancelled after 5000 ms")

    monkeypatch.setattr(races, "race_candidates", slow)
    assert "This page took too long" in page_text(client, top_race.race_path)


@pytest.mark.parametrize(
    "source, banner, named",
    [
        ("demo", True, "synthetic demo data"),
        ("bulk", False, "FEC bulk data files"),
        ("api", False, "the OpenFEC API"),
        ("bulk+api", False, "FEC bulk data files and the OpenFEC API"),
        ("bulk+demo", True, "FEC bulk data files and synthetic demo data"),
    ],
)
def test_the_demo_banner_shows_on_demo_rows_only_and_the_footer_names_every_source(
    client, monkeypatch, source, banner, named
):
    manifest = {**db.manifest(), "source": source}
    monkeypatch.setattr(db, "manifest", lambda: manifest)
    for path in ("/", "/data"):
        text = page_text(client, path)
        assert ("Demo data: synthetic, not real FEC records" in text) is banner, (path, source)
        assert f"from {named} (snapshot" in text, (path, text[-300:])
    assert named in page_text(client, "/data")  # the source line of /data


def test_data_page_lists_the_data_quality_report(client, odd_snapshot, monkeypatch):
    data_dir, ids = odd_snapshot
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    content = render(client, "/data")["_pages_content"]["children"]
    text = text_of(content)
    assert "Data quality" in text
    assert "negative_totals" in text and "orphan_totals" in text and ids["orphan"] in text
    csv_text = json.dumps(content)
    assert "data-quality.csv" in csv_text and "orphan_receipts" in csv_text


def test_a_committee_page_says_what_the_committee_is(client, monkeypatch):
    # Only a candidate's own campaign committees are "... of" the candidate with money in the
    # totals; a leadership PAC or joint fundraiser filed under a candidate's name says so.
    principal = db.query("SELECT committee_id FROM committees WHERE designation = 'P' AND cycle = 2024 LIMIT 1")
    text = page_text(client, f"/committee/{principal.committee_id[0]}")
    assert "Principal campaign committee of" in text and "its money is in the candidate's totals" in text
    pac = db.query("SELECT committee_id FROM committees WHERE designation = 'D' LIMIT 1").committee_id[0]
    text = page_text(client, f"/committee/{pac}")
    assert "Kind Leadership PAC" in text and "Campaign committee of" not in text

    from dashboard.app.queries import committees

    real = committees.committee_cycles

    def sponsored(committee_id):  # as in real files: a leadership PAC whose cm row names its sponsor
        rows = real(principal.committee_id[0]).head(1).copy()
        rows[["committee_id", "name", "committee_type", "designation", "in_totals"]] = [
            committee_id,
            "SPONSOR LEADERSHIP FUND",
            "Q",
            "D",
            False,
        ]
        return rows

    monkeypatch.setattr(committees, "committee_cycles", sponsored)
    text = page_text(client, "/committee/C00999999")
    assert "Leadership PAC linked to" in text and "its money is not in the candidate's totals" in text
    assert "Campaign committee of" not in text and "Principal campaign committee" not in text
