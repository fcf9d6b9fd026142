"""In-district money in a browser: a demo generated with the Census relationship excerpt cached (real
land weights for two Alabama ZCTAs split between AL-01 and AL-02); the candidate page shows the share
the generator's truth gives, says how split ZCTAs are allocated, and its CSV holds the breakdown; the
race page and the map's metric show it too."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.app import labels
from tests.e2e.conftest import serve_app
from tests.unit.pipeline.test_in_district import make_in_district_demo, truth, zcta_source


@pytest.fixture(scope="module")
def in_district_demo(shared_data, tmp_path_factory) -> Path:
    excerpt = zcta_source(shared_data, "tab20_cd11920_zcta520_natl.EXCERPT.txt")
    return make_in_district_demo(tmp_path_factory.mktemp("e2e-in-district"), excerpt)


@pytest.fixture(scope="module")
def in_district_url(in_district_demo):
    with serve_app(in_district_demo, workers=1) as url:
        yield url


def test_candidate_page_shows_the_in_district_share_of_the_truth(page, in_district_url, in_district_demo, tmp_path):
    expected = truth(in_district_demo).sort_values(["split_cents", "candidate_id"], ascending=[False, True]).iloc[0]
    placed = (expected["itemized_cents"] - expected["unknown_cents"]) / 100
    share = (expected["whole_cents"] / 100 + expected["split_in"]) / placed
    cycle = int(expected["cycle"])
    page.goto(f"{in_district_url}/candidate/{expected['candidate_id']}?cycle={cycle}")
    section = page.locator("#in-district")
    expect(section.locator("h2")).to_have_text("Money from inside the district")
    text = section.inner_text()
    assert labels.share(share) in text
    assert "ZCTAs split between districts are allocated by land area" in text
    assert section.locator("tbody tr").count() == 5
    with page.expect_download() as info:
        section.get_by_role("button", name="Download CSV").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    rows = {row["place"]: row for row in csv.DictReader(path.open())}
    allocated = next(r for place, r in rows.items() if "allocated to this one" in place)
    assert float(allocated["amount"]) == pytest.approx(expected["split_in"], abs=0.006)
    whole = rows["ZCTAs wholly inside the district"]
    assert round(float(whole["amount"]) * 100) == expected["whole_cents"]

    page.goto(f"{in_district_url}/race/house/{expected['state']}/{expected['district']}/{cycle}")
    block = page.locator(".in-district")
    expect(block.locator("h2")).to_have_text("Money from inside the district")
    assert "allocated by land area" in block.inner_text()

    page.goto(f"{in_district_url}/map?cycle={cycle}&metric=in_district_share&state=AL")
    expect(page.locator("h1")).to_contain_text("Alabama")
    assert "ZCTAs split between districts are allocated by land area" in page.locator("main").inner_text()
