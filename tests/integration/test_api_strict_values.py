"""Through the real app: values in other scripts' digits, blanks and spaces are 400s naming the
parameter on every API endpoint (never a 500), and values the document offers are answered."""

from __future__ import annotations

import pytest

from dashboard.app.api.endpoints import ENDPOINTS, PREFIX


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


WITH_CYCLE = [e for e in ENDPOINTS if any(p.name == "cycle" for p in e.params)]
# Well-formed values of the parameters some of them require, so the cycle is what is wrong.
REQUIRED = {
    "candidate_id": "H0OR01000",
    "candidate_a": "H0OR01000",
    "candidate_b": "H0OR02000",
    "committee_id": "C00000001",
    "office": "president",
    "start": "2024-10-01",
    "end": "2024-10-31",
    "since": "2024-07-01",
    "q": "smith",
}


@pytest.mark.parametrize("raw", ["²⁰²⁴", "①", "２０２４", "٢٠٢٤", "", " 2024", "2024.0", "2023", "1974"])
def test_a_cycle_the_document_refuses_is_a_400_naming_it_everywhere(client, raw):
    for endpoint in WITH_CYCLE:
        others = {p.name: REQUIRED[p.name] for p in endpoint.params if p.required}
        response = client.get(f"{PREFIX}{endpoint.path}", query_string={**others, "cycle": raw})
        assert response.status_code == 400, (endpoint.path, raw, response.status_code)
        assert response.get_json()["parameter"] == "cycle", (endpoint.path, raw)


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"state": ""}, "state"),
        ({"state": "AA"}, "state"),
        ({"format": ""}, "format"),
        ({"format": " csv"}, "format"),
        ({"limit": "１０"}, "limit"),
        ({"office": "house", "state": "OR", "district": "٠١"}, "district"),
    ],
)
def test_blanks_unknown_codes_and_unicode_digits_are_400s(client, query, parameter):
    response = client.get(f"{PREFIX}/races/top", query_string={"cycle": "2024", **query})
    if parameter == "district":
        response = client.get(f"{PREFIX}/race", query_string={"cycle": "2024", **query})
    assert response.status_code == 400, (query, response.get_data(as_text=True)[:200])
    assert response.get_json()["parameter"] == parameter


def test_receipts_amounts_and_dates_in_other_digits_are_400s(client):
    for name, raw in (("min", "١٠٠"), ("max", "nan"), ("from", "２０２４-01-01"), ("zip", "٩٨١٠١")):
        response = client.get(f"{PREFIX}/receipts/summary", query_string={"cycle": "2024", name: raw})
        assert response.status_code == 400 and response.get_json()["parameter"] == name, (name, raw)
