"""Safe outputs: security headers on every kind of answer, as gunicorn sends them
(dashboard/app/headers.py and gunicorn.conf.py); no absolute path in a public answer when no snapshot
is published; the methodology says how CSV cells are kept from running as formulas."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import serve_app

ROUTER_BODY = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": "/data"},
        {"id": "_pages_location", "property": "search", "value": ""},
    ],
    "changedPropIds": ["_pages_location.pathname"],
    "state": [],
}
EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.fixture(scope="module")
def base_url(small_snapshot):
    with serve_app(small_snapshot, workers=1) as url:
        yield url


def fetch(url: str, body: dict | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (every value of a repeated header joined) and body; an error status is an answer too."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, _headers(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _headers(error.headers), error.read()


def _headers(message) -> dict[str, str]:
    return {name: ", ".join(message.get_all(name)) for name in set(message.keys())}


def policy_of(headers: dict[str, str]) -> dict[str, list[str]]:
    directives = [part.strip().split() for part in headers["Content-Security-Policy"].split(";")]
    return {words[0]: words[1:] for words in directives if words}


def test_every_kind_of_answer_carries_the_headers_and_no_server_banner(base_url):
    status, headers, shell = fetch(base_url + "/")
    assert status == 200
    script = re.search(r'<script src="(/_dash-component-suites/[^"]+)"', shell.decode()).group(1)
    answers = {
        "page shell": fetch(base_url + "/"),
        "stylesheet": fetch(base_url + "/assets/style.css"),
        "Dash script": fetch(base_url + script),
        "API JSON": fetch(base_url + "/api/v1/races/top"),
        "API CSV": fetch(base_url + "/api/v1/races/top.csv"),
        "OpenAPI": fetch(base_url + "/api/v1/openapi.json"),
        "callback": fetch(base_url + "/_dash-update-component", ROUTER_BODY),
        "page not found": fetch(base_url + "/no-such-page"),
        "API not found": fetch(base_url + "/api/v1/no-such-table"),
    }
    statuses = {kind: answer[0] for kind, answer in answers.items()}
    assert statuses == {
        **{kind: 200 for kind in answers},
        "page not found": 404,
        "API not found": 404,
    }
    for kind, (_status, headers, _body) in answers.items():
        for name, value in EXPECTED.items():
            assert headers.get(name) == value, (kind, name, headers.get(name))
        assert "camera=()" in headers["Permissions-Policy"], kind
        policy = policy_of(headers)
        assert policy["default-src"] == ["'self'"], kind
        assert policy["frame-ancestors"] == ["'none'"], kind
        assert policy["object-src"] == ["'none'"], kind
        assert "'unsafe-eval'" not in policy["script-src"] and "'unsafe-inline'" not in policy["script-src"], kind
        # Nothing from another host, in any directive.
        assert all(
            source.startswith("'") or source in ("data:", "blob:") for sources in policy.values() for source in sources
        )
        assert headers.get("Server", "") == "", (kind, headers.get("Server"))
        assert "Strict-Transport-Security" not in headers, kind  # plain HTTP: HSTS is for HTTPS answers only


def test_every_inline_script_of_the_shell_is_allowed_by_its_hash(base_url):
    for path in ("/", "/map", "/receipts", "/data"):
        _status, headers, body = fetch(base_url + path)
        allowed = set(policy_of(headers)["script-src"])
        inline = [
            content
            for attributes, content in re.findall(r"<script([^>]*)>(.*?)</script>", body.decode(), re.S)
            if "src=" not in attributes and "application/json" not in attributes
        ]
        assert len(inline) >= 2  # the renderer's start and at least one clientside callback
        for content in inline:
            digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in allowed, (path, content[:80])


def test_https_answers_ask_browsers_to_keep_to_https(base_url):
    request = urllib.request.Request(base_url + "/api/v1/races/top", headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_no_absolute_path_in_public_answers_without_a_snapshot(tmp_path):
    """With no `current` snapshot the pages, the API and the callbacks say so, and say nothing of the
    server's folders: the path is in the log only."""
    empty = tmp_path / "no-snapshot-here"
    empty.mkdir()
    with serve_app(empty, workers=1) as url:
        answers = {
            "page shell": fetch(url + "/data"),
            "data page": fetch(url + "/_dash-update-component", ROUTER_BODY),
            "race page": fetch(
                url + "/_dash-update-component",
                {
                    **ROUTER_BODY,
                    "inputs": [
                        {"id": "_pages_location", "property": "pathname", "value": "/race/president/2024"},
                        {"id": "_pages_location", "property": "search", "value": ""},
                    ],
                },
            ),
            "API JSON": fetch(url + "/api/v1/races/top"),
            "API CSV": fetch(url + "/api/v1/races/top.csv"),
            "readiness": fetch(url + "/readyz"),
        }
    for kind, (_status, _headers, body) in answers.items():
        text = body.decode()
        assert str(tmp_path) not in text and "/tmp" not in text and "Traceback" not in text, (kind, text[:300])
    assert "No data snapshot has been published" in answers["data page"][2].decode()
    assert answers["API JSON"][0] == 503
    assert str(empty / "current") in (empty / "gunicorn.log").read_text()  # the operator's log has it


def test_the_methodology_says_how_csv_cells_are_kept_from_running_as_formulas(small_snapshot):
    import app

    response = app.server.test_client().post("/_dash-update-component", json=ROUTER_BODY)
    text = response.get_data(as_text=True)
    assert "written after an apostrophe" in text and "OWASP" in text


def test_a_failed_refresh_is_reported_without_the_server_paths(small_snapshot):
    import app  # noqa: F401  (pages register once the app exists)
    from pages.data import public_error

    error = f'IO Error: Cannot open file "{small_snapshot}/snapshots/x.partial/a.parquet": No space left on device'
    assert public_error(error) == 'IO Error: Cannot open file "(a file of the server)": No space left on device'
    kept = "HTTP 500 from https://api.open.fec.gov/v1/schedules/schedule_a/ after 5 tries (24/48-hour notices)"
    assert public_error(kept) == kept
