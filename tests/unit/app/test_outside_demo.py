"""Outside spending on the demo: every race's, candidate's and spender's figures equal what the
generator really generated (its truth, in cents: superseded notices and amendments counted once,
notices not yet in a regular report apart), and the pages show them, or say there are none."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from dashboard.app import db, labels
from dashboard.app.queries import outside


@pytest.fixture(scope="module")
def pages(small_snapshot):
    """The page modules, registered as the app registers them."""
    import app  # noqa: F401  (registers the pages; DATA_CACHE_DIR is read on every query)

    return SimpleNamespace(
        **{name: importlib.import_module(f"pages.{name}") for name in ("race", "candidate", "committee")}
    )


def truth(snapshot: Path, name: str) -> pd.DataFrame:
    return duckdb.sql(f"SELECT * FROM read_parquet('{snapshot}/demo_truth/{name}.parquet')").df()


def cents(value) -> int:
    return int(round(float(value) * 100))


@pytest.fixture(scope="module")
def races_with_outside(small_snapshot) -> list[tuple]:
    """Every race of the demo where someone spent for or against a candidate."""
    frame = db.query(
        """SELECT cycle, office, state, district FROM agg_district
           WHERE outside_amount > 0 OR outside_notice_amount > 0 ORDER BY cycle, office, state, district"""
    )
    races = [
        (int(r.cycle), r.office, r.state if r.office != "P" else None, r.district if r.office == "H" else None)
        for r in frame.itertuples()
    ]
    assert len(races) >= 10
    return races


def test_every_race_holds_the_true_money_for_and_against_each_candidate(small_snapshot, races_with_outside):
    true = truth(small_snapshot, "outside").set_index(["cycle", "candidate_id", "support_oppose"])
    checked = 0
    for race in races_with_outside:
        candidates = outside.race_outside_candidates(*race)
        for row in candidates.itertuples():
            for side, column in (("S", "support"), ("O", "oppose")):
                key = (race[0], row.candidate_id, side)
                want = true.loc[key] if key in true.index else None
                assert cents(getattr(row, column)) == (0 if want is None else want.amount_cents), (race, key)
                notice = getattr(row, f"notice_{column}")
                assert cents(notice) == (0 if want is None else want.notice_amount_cents), (race, key)
                checked += want is not None
        share = outside.race_outside_share(*race).iloc[0]  # the map's row: the sum of its candidates'
        for column in ("receipts", "support", "oppose", "outside"):
            assert cents(share[column]) == cents(candidates[column].sum()), (race, column)
        assert cents(share.notice_amount) == cents(candidates.notice_support.sum() + candidates.notice_oppose.sum())
        daily = outside.race_outside_daily(*race)
        for (cid, side), rows in daily.groupby(["candidate_id", "support_oppose"]):
            assert cents(rows.amount_to_date.iloc[-1]) == true.loc[(race[0], cid, side)].amount_cents
            assert cents(rows.notice_amount_to_date.iloc[-1]) == true.loc[(race[0], cid, side)].notice_amount_cents
    assert checked >= 10


def test_spenders_of_a_candidate_and_a_spenders_candidates_are_true(small_snapshot):
    true = truth(small_snapshot, "outside_spenders")
    biggest = true.sort_values(["amount_cents", "candidate_id"], ascending=[False, True]).iloc[0]
    cycle, cid = int(biggest.cycle), biggest.candidate_id
    spenders = outside.candidate_outside_spenders(cid, cycle)
    want = true[(true.cycle == cycle) & (true.candidate_id == cid)]
    got = {(r.committee_id, r.support_oppose): (cents(r.amount), cents(r.notice_amount)) for r in spenders.itertuples()}
    assert got == {
        (r.committee_id, r.support_oppose): (r.amount_cents, r.notice_amount_cents) for r in want.itertuples()
    }
    spender = biggest.committee_id
    by_candidate = outside.spender_outside_candidates(spender, cycle)
    mine = true[(true.cycle == cycle) & (true.committee_id == spender)]
    assert sorted((r.candidate_id, r.support_oppose, cents(r.amount)) for r in by_candidate.itertuples()) == sorted(
        (r.candidate_id, r.support_oppose, r.amount_cents) for r in mine.itertuples()
    )
    unmatched = truth(small_snapshot, "outside_unmatched")
    unmatched = unmatched[(unmatched.cycle == cycle) & (unmatched.committee_id == spender)]
    year = outside.spender_outside_cycles(spender).set_index("cycle").loc[cycle]
    everything = year.support + year.oppose + year.notice_support + year.notice_oppose
    assert cents(everything) == mine.amount_cents.sum() + mine.notice_amount_cents.sum() + unmatched.amount_cents.sum()


def test_race_page_draws_both_kinds_of_money_on_one_chart(pages, races_with_outside):
    cycle, office, state, district = next(r for r in races_with_outside if r[1] == "H")
    layout = pages.race.house(state=state, district=district, cycle=str(cycle))
    graphs = {
        component.id["name"]: component.figure
        for component in _walk(layout)
        if getattr(component, "id", None) and isinstance(component.id, dict) and hasattr(component, "figure")
    }
    names = [trace.name.replace("<br>", " ") for trace in graphs["race-outside-timeline"].data]  # (long names: 2 lines)
    assert any(n.endswith(": raised") for n in names)
    assert any(n.endswith(": outside money for") or n.endswith(": outside money against") for n in names)
    share = outside.race_outside_share(cycle, office, state, district).iloc[0]
    text = _text(layout)
    assert "Outside share of all money in the race" in text
    assert labels.share(share.outside_share) in text and labels.money(share.support) in text


def test_pages_say_when_there_is_no_outside_money(pages):
    quiet = db.query(
        """SELECT candidate_id, cycle, name FROM candidates c WHERE in_race AND NOT EXISTS (
               SELECT 1 FROM agg_outside_spenders s WHERE s.candidate_id = c.candidate_id AND s.cycle = c.cycle)
           ORDER BY candidate_id LIMIT 1"""
    ).iloc[0]
    text = _text(pages.candidate.layout(candidate_id=quiet.candidate_id, cycle=str(quiet.cycle)))
    assert f"No independent expenditures reported for or against {quiet['name']} in {quiet.cycle}." in text
    spender = db.query(
        "SELECT committee_id, cycle FROM agg_outside_spenders ORDER BY amount DESC, committee_id LIMIT 1"
    ).iloc[0]
    text = _text(pages.committee.layout(committee_id=spender.committee_id, cycle=str(spender.cycle)))
    assert "Outside spending: independent expenditures" in text and "Where " in text
    campaign = db.query(
        """SELECT committee_id, cycle FROM committees WHERE committee_id NOT IN (
               SELECT committee_id FROM outside_expenditures) ORDER BY committee_id LIMIT 1"""
    ).iloc[0]
    text = _text(pages.committee.layout(committee_id=campaign.committee_id, cycle=str(campaign.cycle)))
    assert "independent expenditures" not in text  # a committee that never spent on its own: no section


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def _text(layout) -> str:
    return json.dumps(layout, default=lambda c: c.to_plotly_json() if hasattr(c, "to_plotly_json") else str(c))
