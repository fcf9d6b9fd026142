"""In-district money reconciled with the demo generator's truth: a demo generated where a real ZCTA
relationship is cached (the Census file's excerpt with land weights; the full pair list without
weights, with the real ZIP -> ZCTA crosswalk) draws donor ZIPs from its ZCTAs, and the builder's
candidate_in_district and agg_district must equal what the generator knows. Without a cached
relationship the extract is empty and the manifest says what to run."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.pipeline import census
from dashboard.store import snapshots
from tests.conftest import make_demo

ROWS = 60_000


def zcta_source(shared_data: Path, name: str) -> Path:
    path = shared_data / "geo" / "zcta" / name
    if not path.is_file():
        pytest.skip(f"needs ../shared/data/geo/zcta/{name}")
    return path


def make_in_district_demo(data_dir: Path, relationship: Path, crosswalk: Path | None = None) -> Path:
    """A demo data folder whose ZCTA relationship was cached before the demo was generated."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_CACHE_DIR", str(data_dir))
        census.import_zcta_file(relationship, crosswalk=crosswalk)
    return make_demo(data_dir, rows=ROWS)


def extract(data_dir: Path, name: str) -> pd.DataFrame:
    return duckdb.connect().execute(f"SELECT * FROM read_parquet('{data_dir}/current/{name}.parquet')").df()


def truth(data_dir: Path) -> pd.DataFrame:
    return pd.concat(pd.read_parquet(p) for p in sorted((data_dir / "demo_truth").glob("in_district-*.parquet")))


@pytest.fixture(scope="module")
def weighted_demo(shared_data, tmp_path_factory) -> Path:
    excerpt = zcta_source(shared_data, "tab20_cd11920_zcta520_natl.EXCERPT.txt")
    return make_in_district_demo(tmp_path_factory.mktemp("in-district-weighted"), excerpt)


@pytest.fixture(scope="module")
def pairs_demo(shared_data, tmp_path_factory) -> Path:
    pairs = zcta_source(shared_data, "zccd_119_OpenSourceActivismTech.csv")
    crosswalk = zcta_source(shared_data, "ZIPCodetoZCTACrosswalk2021UDS.sheet1.csv")
    return make_in_district_demo(tmp_path_factory.mktemp("in-district-pairs"), pairs, crosswalk)


def _joined(data_dir: Path) -> pd.DataFrame:
    built = extract(data_dir, "candidate_in_district")
    expected = truth(data_dir)
    joined = built.merge(expected, on=["candidate_id", "cycle"], suffixes=("", "_truth"), validate="one_to_one")
    assert len(joined) == len(built) == len(expected)  # every House candidate of every cycle, no more
    return joined


def _cents(series) -> list[int]:
    return [round(float(v) * 100) for v in series]


def test_weighted_shares_equal_the_truth(weighted_demo):
    joined = _joined(weighted_demo)
    assert joined["weighted"].all() and set(joined["congress"]) == {119}
    for column in ("itemized", "whole", "split", "outside", "unknown"):
        assert _cents(joined[f"{column}_amount"]) == joined[f"{column}_cents"].astype(int).tolist(), column
    assert joined["split_in_amount"].astype(float).tolist() == pytest.approx(joined["split_in"].tolist(), abs=0.006)
    placed = (joined["itemized_cents"] - joined["unknown_cents"]) / 100
    has_place = placed != 0
    # the share of the placed money, to the cent of the (rounded) allocated amount
    in_district = joined["in_district_share"] * placed
    assert in_district[has_place].tolist() == pytest.approx(
        (joined["whole_cents"] / 100 + joined["split_in"])[has_place].tolist(), abs=0.006
    )
    assert joined.loc[~has_place, "in_district_share"].isna().all()
    # the excerpt's ZCTAs are all in Alabama's 1st and 2nd: money from wholly inside and from split ZCTAs
    inside = joined[(joined["whole_cents"] > 0) | (joined["split_cents"] > 0)]
    assert set(inside["state"]) == {"AL"} and set(inside["district"]) <= {"01", "02"}
    assert (joined["whole_cents"] > 0).any() and (joined["split_cents"] > 0).any()
    assert (joined["unknown_cents"] > 0).any() and (joined["outside_cents"] > 0).any()
    assert ((joined["low_share"] <= joined["in_district_share"] + 1e-12) | joined["low_share"].isna()).all()
    assert ((joined["in_district_share"] <= joined["high_share"] + 1e-12) | joined["high_share"].isna()).all()


def test_the_map_metric_is_the_race_share_of_the_truth(weighted_demo):
    expected = truth(weighted_demo).assign(placed=lambda t: t["itemized_cents"] - t["unknown_cents"])
    candidates = extract(weighted_demo, "candidates")
    in_race = candidates[candidates["in_race"] & (candidates["office"] == "H")]
    expected = expected.merge(in_race[["candidate_id", "cycle"]], on=["candidate_id", "cycle"])
    races = expected.groupby(["cycle", "state", "district"]).agg(
        whole=("whole_cents", "sum"), split_in=("split_in", "sum"), placed=("placed", "sum")
    )
    built = extract(weighted_demo, "agg_district").set_index(["cycle", "state", "district"])
    built = built[built["office"] == "H"]
    for key, race in races.iterrows():
        row = built.loc[key]
        assert float(row["in_district_amount"]) == pytest.approx(race["whole"] / 100 + race["split_in"], abs=0.01)
        if race["placed"]:
            assert row["in_district_share"] * race["placed"] / 100 == pytest.approx(
                race["whole"] / 100 + race["split_in"], abs=0.02
            )
        else:
            assert pd.isna(row["in_district_share"])
    assert built["in_district_share"].gt(0).any()
    senate = extract(weighted_demo, "agg_district").query("office != 'H'")
    assert senate["in_district_share"].isna().all()


def test_pairs_without_weights_give_bounds_equal_to_the_truth(pairs_demo):
    joined = _joined(pairs_demo)
    assert not joined["weighted"].any()
    for column in ("itemized", "whole", "split", "outside", "unknown"):
        assert _cents(joined[f"{column}_amount"]) == joined[f"{column}_cents"].astype(int).tolist(), column
    assert joined["split_in_amount"].isna().all() and joined["in_district_amount"].isna().all()
    placed = (joined["itemized_cents"] - joined["unknown_cents"]) / 100
    has_place = placed != 0
    assert joined.loc[has_place, "low_share"].tolist() == pytest.approx(
        (joined["whole_cents"] / 100 / placed)[has_place].tolist()
    )
    assert joined.loc[has_place, "high_share"].tolist() == pytest.approx(
        ((joined["whole_cents"] + joined["split_cents"]) / 100 / placed)[has_place].tolist()
    )
    # with the full list every state's donors live at real ZCTAs: most money is placed, and House
    # candidates get money from inside their districts
    assert joined["unknown_cents"].sum() < 0.2 * joined["itemized_cents"].sum()
    assert (joined["whole_cents"] > 0).sum() > 50
    manifest = snapshots.read_manifest(pairs_demo / "current")
    facts = manifest["in_district"]["cycles"]["2024"]
    assert facts["congress"] == 119 and facts["own_congress"] and not facts["weighted"]
    assert manifest["in_district"]["cycles"]["2026"]["own_congress"] is False
    assert extract(pairs_demo, "agg_district")["in_district_share"].isna().all()  # no single share to map


def test_without_a_relationship_the_extract_is_empty_and_the_manifest_says_why(demo_builds):
    data_dir = demo_builds.built()
    assert extract(data_dir, "candidate_in_district").empty
    note = snapshots.read_manifest(data_dir / "current")["in_district"]
    assert note["cycles"] == {} and note["cycles_without"] == [2022, 2024, 2026]
    assert "python -m dashboard geo" in note["why"]
    assert not list((data_dir / "demo_truth").glob("in_district-*"))
    assert extract(data_dir, "agg_district")["in_district_share"].isna().all()
