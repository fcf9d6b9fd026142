"""Races of a real cycle hold only that election's candidacies for real seats. The FEC's 2016
candidate master (../shared/data/fec/2016, through the shared_data fixture) lists 7,645 candidates,
over a third of them for other elections (senators between elections, people filing for 2018 or 2020,
candidacies from the 1990s) or for districts that are no seat of the 115th Congress (CA-00, MD-35,
VA-32, ...). Before the race rule they made 474 House races and 50 Senate races out of 2016's
441 House seats and delegates and 34 Senate seats."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.core import geography
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.store import snapshots

CYCLE = 2016


class Quiet(LoadProgress):
    def __init__(self):
        super().__init__(out=open("/dev/null", "w"))


@pytest.fixture(scope="module")
def published(shared_data: Path, tmp_path_factory) -> Path:
    real = shared_data / "fec" / "2016"
    tmp = tmp_path_factory.mktemp("races16")
    folder = tmp / "files"
    folder.mkdir()
    for name in ("cn.txt", "cm.txt", "ccl.txt", "weball16.txt"):
        (folder / name).symlink_to(real / name)  # read in place, never copied
    load(tmp / "data", CYCLE, folder, Quiet())
    return tmp / "data" / "current"


def rows(current: Path, name: str, where: str = "true") -> list[tuple]:
    return duckdb.connect().execute(f"SELECT * FROM read_parquet('{current / name}.parquet') WHERE {where}").fetchall()


def races(current: Path, office: str) -> set[tuple[str, str]]:
    found = duckdb.connect().execute(
        f"SELECT state, district FROM read_parquet('{current / 'agg_district.parquet'}') WHERE cycle = ? AND office = ?",
        [CYCLE, office],
    )
    return set(found.fetchall())


def test_every_house_race_is_a_seat_of_the_115th_congress(published):
    assert geography.congress_for_cycle(CYCLE) == 115
    seats = set(geography.house_districts(CYCLE)) | {(t, "00") for t in geography.DELEGATE_TERRITORIES}
    house = races(published, "H")
    assert house <= seats
    assert len(house) == 441  # every seat and delegate has candidates in the real file (474 before)
    for typo in (("CA", "00"), ("MD", "35"), ("VA", "32"), ("OH", "92"), ("MA", "10"), ("NY", "29")):
        assert typo not in house


def test_every_senate_race_is_in_a_state_with_a_2016_election(published):
    senate = {state for state, _ in races(published, "S")}
    assert set(geography.senate_states(CYCLE)) <= senate
    # 2016 had no special Senate election, but one candidate each in Nebraska and New Jersey is filed
    # for 2016: nothing in the files tells that from a special, so both are kept as races (36, 50 before).
    assert senate - set(geography.senate_states(CYCLE)) == {"NE", "NJ"}
    findings = {f["code"]: f for f in snapshots.read_manifest(published)["data_quality"]["findings"]}
    assert findings["senate_off_class"]["count"] == 2  # and the report lists them


def test_race_candidates_run_in_2016_and_the_others_are_listed(published):
    columns = [
        c[0]
        for c in duckdb.connect().execute(f"DESCRIBE SELECT * FROM '{published / 'candidates.parquet'}'").fetchall()
    ]
    candidates = [dict(zip(columns, row)) for row in rows(published, "candidates")]
    in_race = [c for c in candidates if c["in_race"]]
    outside = [c for c in candidates if not c["in_race"]]
    assert all(c["election_year"] == CYCLE for c in in_race if c["office"] != "H")
    # A House candidacy may come from the 2016 linkage when the master's year is another (one case).
    assert sum(c["election_year"] != CYCLE for c in in_race) <= 1
    assert sum(race[4] for race in rows(published, "agg_district")) == len(in_race)  # n_candidates
    cruz = [c for c in candidates if c["candidate_id"] == "S2TX00312"]  # up in 2018: still a candidate
    assert cruz and not cruz[0]["in_race"]
    findings = {f["code"]: f for f in snapshots.read_manifest(published)["data_quality"]["findings"]}
    assert findings["not_in_a_race"]["count"] == len(outside) > 2500
