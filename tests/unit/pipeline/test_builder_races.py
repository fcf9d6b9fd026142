"""Who runs in which race: a candidate is in a race of cycle C only for a candidacy of C's own
election (the candidate row's election year, or a linkage of C naming C) and a real seat: a House
district of the Congress C elects, a state for the Senate (a state without a regular election that
year: a special), a presidential year. Real candidate masters list many others (senators between
elections, people filing for the next cycle, renumbered or mistyped districts); before this rule
each of them made or joined a race. They stay candidates, in no race, and the data-quality report
counts them."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from dashboard.core import geography
from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.store import snapshots

CYCLE = 2024
# candidate_id -> (office, state, district, election_year, in a 2024 race?)
ALTERED = {
    "H8CA12901": ("H", "CA", "12", 2026, False),  # a real seat, but the candidacy is for 2026
    "H4CA60901": ("H", "CA", "60", 2024, False),  # California has 52 seats
    "H4MT00901": ("H", "MT", "00", 2024, False),  # Montana has two seats since 2022: '00' is none
    "H4NY27901": ("H", "NY", "27", 2024, False),  # New York's 27th went with the 2020 census
    "S6GA00901": ("S", "GA", "00", 2026, False),  # Georgia's next Senate election is 2026
    "P8US00901": ("P", "US", "00", 2028, False),  # the next presidential election
    "S4GA00902": ("S", "GA", "00", 2024, True),  # no regular election in Georgia: a special, kept
    "H4WA03901": ("H", "WA", "03", 2022, True),  # a stale election year, but a 2024 linkage says 2024
}


def read(path, sql="SELECT * FROM t"):
    con = duckdb.connect()
    con.execute(f"CREATE VIEW t AS SELECT * FROM read_parquet('{path}')")
    return con.execute(sql).fetchdf()


@pytest.fixture(scope="module")
def built(demo_builds, tmp_path_factory):
    """A demo copy with the candidates above added to 2024's candidate master, rebuilt."""
    data_dir = demo_builds.copy(tmp_path_factory.mktemp("races"))
    raw = data_dir / "raw"
    template = read(raw / "candidates" / f"demo-{CYCLE}.parquet", "SELECT * FROM t LIMIT 1")
    rows = template.loc[template.index.repeat(len(ALTERED))].reset_index(drop=True)
    rows["candidate_id"] = list(ALTERED)
    for i, column in enumerate(("office", "state", "district", "election_year")):
        rows[column] = [facts[i] for facts in ALTERED.values()]
    rows["name"] = [f"ALTERED, {cid}" for cid in ALTERED]
    rows["principal_committee_id"] = None
    link = read(raw / "linkages" / f"demo-{CYCLE}.parquet", "SELECT * FROM t LIMIT 1")
    link["candidate_id"], link["election_year"], link["linkage_id"] = "H4WA03901", CYCLE, 9_999_999
    link["committee_id"], link["designation"] = "C99999901", "P"  # a committee of its own: no demo money moves
    con = duckdb.connect()
    for table, frame in (("candidates", rows), ("linkages", link)):
        con.register("frame", frame)
        con.execute(f"COPY frame TO '{raw / table / f'demo-{CYCLE}-altered.parquet'}' (FORMAT parquet)")
    build_and_publish(data_dir, source="demo")
    return data_dir


def test_every_demo_candidate_is_in_a_race(demo_builds):
    """The generator makes only real seats: the rule drops none of its candidates nor races."""
    current = demo_builds.built() / "current"
    candidates = read(current / "candidates.parquet")
    assert candidates["in_race"].all()
    races = read(current / "agg_district.parquet")
    assert races["n_candidates"].sum() == len(candidates)


def test_candidates_outside_the_cycles_election_are_in_no_race(built, demo_builds):
    candidates = read(built / "current" / "candidates.parquet").set_index("candidate_id")
    for cid, (*_, in_race) in ALTERED.items():
        assert candidates.loc[cid, "in_race"] == in_race, cid  # and each is still a candidate
    races = read(built / "current" / "agg_district.parquet")
    races = races[races["cycle"] == CYCLE]
    keys = set(zip(races["office"], races["state"], races["district"]))
    for seat in (("H", "CA", "60"), ("H", "MT", "00"), ("H", "NY", "27")):
        assert seat not in keys
    assert ("S", "GA", "00") in keys  # the special
    seats = set(geography.house_districts(CYCLE))
    assert {(s, d) for o, s, d in keys if o == "H"} <= seats
    assert {s for o, s, _ in keys if o == "S"} <= set(geography.senate_states(CYCLE)) | {"GA"}
    # Everything else is the demo's races as before: the special is the only new race, and the
    # stale-year WA-03 candidate joins WA-03.
    before = read(demo_builds.built() / "current" / "agg_district.parquet")
    before = before[before["cycle"] == CYCLE].set_index(["office", "state", "district"])["n_candidates"]
    after = races.set_index(["office", "state", "district"])["n_candidates"]
    expected = before.copy()
    expected.loc[("H", "WA", "03")] += 1
    expected.loc[("S", "GA", "00")] = 1
    pd.testing.assert_series_equal(after.sort_index(), expected.sort_index(), check_dtype=False)


def test_race_pages_and_the_map_leave_them_out(built, monkeypatch):
    from dashboard.app.queries import maps, races

    monkeypatch.setenv("DATA_CACHE_DIR", str(built))
    ca12 = races.race_candidates(CYCLE, "H", "CA", "12")
    assert "H8CA12901" not in set(ca12["candidate_id"]) and len(ca12) > 0
    assert "H4WA03901" in set(races.race_candidates(CYCLE, "H", "WA", "03")["candidate_id"])
    assert CYCLE not in races.race_cycles("H", "CA", "60")
    hover = maps.map_candidates(CYCLE, "S", per_race=50)
    assert "ALTERED, S6GA00901" not in set(hover["name"]) and "ALTERED, S4GA00902" in set(hover["name"])


def test_the_data_quality_report_counts_them(built):
    findings = {f["code"]: f for f in snapshots.read_manifest(built / "current")["data_quality"]["findings"]}
    outside = {cid for cid, facts in ALTERED.items() if not facts[-1]}
    assert findings["not_in_a_race"]["count"] == len(outside)
    assert set(findings["not_in_a_race"]["examples"]) <= outside
    # the special is published, and listed: nothing tells it from a candidacy filed for the wrong year
    assert findings["senate_off_class"]["count"] == 1 and findings["senate_off_class"]["examples"] == ["S4GA00902"]


def test_a_candidate_in_no_race_says_so_instead_of_linking_to_a_missing_race(built, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(built))
    import app  # noqa: F401  (registers the pages; DATA_CACHE_DIR is read on every query)
    from dashboard.app.queries import candidates
    from pages.candidate import race_link

    outside = candidates.candidate_summary("H8CA12901", CYCLE).iloc[0]
    assert str(race_link(outside, CYCLE).children) == f"Not in a {CYCLE} race; the candidacy is for the 2026 election"
    inside = candidates.candidate_summary("H4WA03901", CYCLE).iloc[0]
    assert race_link(inside, CYCLE).href == f"/race/house/WA/03/{CYCLE}"
