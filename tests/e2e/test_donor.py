"""A donor's page as a reporter uses it: open the demo's planted donor (two spellings merged under one key),
read the spellings merged, the limit flags (checked against the generator's truth) and the caveats, page
through the gifts, download them with the FEC's notice, and follow a look-alike donor's link."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pytest
from playwright.sync_api import expect

from dashboard.app.queries.donors import DONOR_LIST_NOTICE
from dashboard.core import fec
from dashboard.pipeline.demo import donor_traps


@pytest.fixture(scope="module")
def truth(small_snapshot) -> pd.DataFrame:
    return pd.concat(pd.read_parquet(f) for f in sorted((small_snapshot / "demo_truth").glob("donors-*.parquet")))


def key_of(truth: pd.DataFrame, role: str) -> str:
    return truth.loc[truth["role"] == role, "donor_key"].iloc[0]


def test_donor_page_shows_the_variants_the_limit_flags_and_the_look_alikes(page, base_url, truth, tmp_path: Path):
    key = key_of(truth, "merged")
    rows = truth[truth["donor_key"] == key]
    per_election = rows.groupby(["candidate_id", "cycle", "election_type"], dropna=False)["amount_cents"].sum()
    over = [(c, y) for (c, y, _e), cents in per_election.items() if cents > fec.INDIVIDUAL_LIMIT_PER_ELECTION[y] * 100]
    assert over, "the planted donor passes some per-election limit"

    page.goto(f"{base_url}/donor/{quote(key, safe='')}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text(donor_traps.MERGED_NAME)
    expect(page.locator("#donor-notice")).to_have_text(DONOR_LIST_NOTICE)
    assert page.locator("#donor-variants .variant").all_inner_texts() == [
        donor_traps.MERGED_NAME,
        donor_traps.MERGED_VARIANT,
    ]
    # every total over the limit is counted (the biggest listed), with the FEC's caveats beside
    expect(page.locator("#limit-verdict")).to_contain_text(f"{len(over)} totals to one candidate for one election")
    listed = page.locator("#limit-flags .limit-flag")
    expect(listed.first).to_contain_text("against a limit of")
    assert 1 <= listed.count() <= len(over)
    expect(page.locator("main")).to_contain_text("primary, a runoff and a general election each have their own limit")
    expect(page.locator("main")).to_contain_text("redesignation")
    # the total of all cycles, to the dollar
    assert f"${round(rows['amount_cents'].sum() / 100):,}" in page.locator(".stats").first.inner_text()

    # every gift: the first page and the next, newest first, each with its filing
    gifts = page.locator("#donor-gifts tbody tr")
    expect(gifts).to_have_count(50)
    assert page.locator("#donor-gifts a", has_text="Filing").count() == 50
    with page.expect_download() as info:
        page.get_by_role("button", name=f"Download CSV: donor-{key_slug(key)}-gifts.csv").click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0] == f"# {DONOR_LIST_NOTICE}"
    assert len(lines) - 2 == int(rows["gifts"].sum() + rows["refunds"].sum())
    page.get_by_role("link", name="Older gifts").click()
    expect(page.locator("#donor-gifts caption")).to_contain_text("page 2 of")

    # a look-alike in another ZIP code is another donor, one click away
    other = key_of(truth, "other_zip")
    page.locator("#donor-near-misses a.near-miss", has_text=other.split("|")[1]).click()
    page.wait_for_url(f"**/donor/{quote(other, safe='')}")
    expect(page.locator("h1")).to_have_text(donor_traps.OTHER_ZIP_NAME)
    expect(page.locator("#donor-near-misses")).to_contain_text(key.split("|")[1])


def key_slug(key: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in key).strip("-")[:60]


def test_unknown_donor_is_the_friendly_not_found_page(page, base_url):
    page.goto(f"{base_url}/donor/{quote('NOBODY, AT ALL|00000', safe='')}")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main")).to_contain_text("There is no donor NOBODY, AT ALL|00000")
