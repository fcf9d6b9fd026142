"""/api/v1/donor...: one donor's tables over HTTP, equal to the donor page's queries, in JSON and CSV, for the
demo's planted donor (pipeline/demo/donor_traps.py); a bad key is a 400 naming donor_key."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pandas as pd
import pytest

from dashboard.app.queries import donor_profile
from dashboard.pipeline.demo import donor_traps


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def key(small_snapshot) -> str:
    truth = pd.concat(pd.read_parquet(f) for f in (small_snapshot / "demo_truth").glob("donors-*.parquet"))
    return truth.loc[truth["role"] == "merged", "donor_key"].iloc[0]


def test_donor_summary_and_its_csv_answer_the_pages_numbers(client, key):
    response = client.get("/api/v1/donor", query_string={"donor_key": key})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    expected = donor_profile.donor_summary(key)
    assert body["meta"]["rows"] == len(expected) >= 2
    assert body["data"][0]["cycle"] is None  # all cycles first
    assert float(body["data"][0]["amount"]) == pytest.approx(float(expected["amount"].iloc[0]))
    assert body["meta"]["parameters"] == {"donor_key": key}
    as_csv = client.get(f"/api/v1/donor.csv?donor_key={quote(key)}")
    rows = list(csv.reader(io.StringIO(as_csv.get_data(as_text=True))))
    assert rows[0] == list(expected.columns) and len(rows) - 1 == len(expected)


def test_donor_variants_flags_and_near_misses_over_http(client, key):
    def data(path: str) -> list[dict]:
        response = client.get(f"/api/v1/donor/{path}", query_string={"donor_key": key})
        assert response.status_code == 200, (path, response.get_json())
        return response.get_json()["data"]

    assert [r["variant"] for r in data("variants")] == [donor_traps.MERGED_NAME, donor_traps.MERGED_VARIANT]
    flags = data("limit-flags")
    assert flags and all(float(f["amount"]) > f["limit"] and f["over_limit"] for f in flags)
    assert len(flags) == len(donor_profile.limit_flags(key))
    reasons = {r["reason"] for r in data("near-misses")}
    assert reasons == {donor_profile.NEAR_MISS_OTHER_ZIP, donor_profile.NEAR_MISS_MIDDLE}
    gifts = data("gifts")
    assert len(gifts) == len(donor_profile.donor_gifts(key)) and {"conduit_name", "image_number"} <= set(gifts[0])


@pytest.mark.parametrize("bad", ["", "SMITH, JOHN", "SMITH, JOHN|1234", "A|B|12345"])
def test_a_bad_donor_key_is_a_400_naming_it(client, bad):
    response = client.get("/api/v1/donor", query_string={"donor_key": bad})
    assert response.status_code == 400 and response.get_json()["parameter"] == "donor_key"


def test_openapi_documents_the_donor_endpoints_with_the_notice(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/donor", "/api/v1/donor/gifts", "/api/v1/donor/limit-flags", "/api/v1/donor/near-misses"):
        assert "30111(a)(4)" in paths[path]["get"]["summary"], path
        assert [p["name"] for p in paths[path]["get"]["parameters"]][0] == "donor_key"
