"""In-district money in the demo: when a ZCTA-to-district relationship is cached in the data
directory at demo time (`python -m dashboard geo`), donors get ZIPs that are real ZCTAs of their
state, and the truth says how much of each House candidate's itemized money came from the district,
under the same definitions as dashboard/pipeline/builder/in_district.py but from the generator's
own bookkeeping. Without a cached relationship the demo is what it always was and there is no truth.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from dashboard.pipeline.demo.donors import Donors
from dashboard.pipeline.demo.races import CycleWorld
from dashboard.pipeline.demo.truth import counted_rows
from dashboard.store import geo_cache

# Donors keeping a synthetic ZIP (usually no ZCTA: money of unknown place), and the seed stream of
# the ZIP draws.
UNKNOWN_SHARE = 0.05
ZCTA_STREAM = 17


def relationships(data_dir: Path, cycles) -> dict[int, geo_cache.ZctaRelationship]:
    """cycle -> the relationship the builder will use for it (cached ones only)."""
    found = {cycle: geo_cache.zcta_for_cycle(cycle, data_dir) for cycle in cycles}
    return {cycle: r for cycle, r in found.items() if r is not None}


def zctas_by_state(used: dict[int, geo_cache.ZctaRelationship]) -> dict[str, np.ndarray]:
    """state -> the sorted ZCTAs that lie (partly) in it, over every relationship used."""
    tables = {r.congress: pd.read_parquet(r.table, columns=["zcta5", "state"]) for r in used.values()}
    if not tables:
        return {}
    pairs = pd.concat(tables.values()).drop_duplicates()
    return {state: np.sort(group["zcta5"].to_numpy()) for state, group in pairs.groupby("state")}


def in_district_truth(
    world: CycleWorld, table: dict, donors: Donors, relationship: geo_cache.ZctaRelationship
) -> pd.DataFrame:
    """Per House candidate of the cycle: itemized, whole, split, outside and unknown money in cents
    (as `candidate_in_district` defines them), split_in (dollars, land-weighted; NaN without weights)."""
    pieces = pd.read_parquet(relationship.table)
    n_districts = pieces.groupby("zcta5").size().rename("n_districts")
    rows = counted_rows(world, table)
    zip5 = pc.utf8_slice_codeunits(donors.zip, 0, 5).to_numpy(zero_copy_only=False)
    rows["zcta5"] = zip5[rows["donor"].to_numpy()]
    if relationship.crosswalk is not None:
        crosswalk = pd.read_parquet(relationship.crosswalk).set_index("zip5")["zcta5"]
        rows["zcta5"] = rows["zcta5"].map(crosswalk)
    house = pd.DataFrame(
        [(c.candidate_id, c.state, c.district) for c in world.candidates if c.office == "H"],
        columns=["candidate_id", "state", "district"],
    )
    rows = rows.merge(house, on="candidate_id").join(n_districts, on="zcta5")
    rows = rows.merge(pieces, on=["zcta5", "state", "district"], how="left", indicator="touch")
    touches = rows["touch"] == "both"
    known = rows["n_districts"].notna()
    split = touches & (rows["n_districts"] > 1)
    rows = rows.assign(
        whole=np.where(touches & (rows["n_districts"] == 1), rows["amount"], 0),
        split=np.where(split, rows["amount"], 0),
        split_in=np.where(split, rows["amount"] * rows["land_weight"].fillna(0) / 100, 0.0),
        outside=np.where(known & ~touches, rows["amount"], 0),
        unknown=np.where(~known, rows["amount"], 0),
    )
    out = rows.groupby("candidate_id")[["amount", "whole", "split", "split_in", "outside", "unknown"]].sum()
    out = house.set_index("candidate_id").join(out).fillna(0).reset_index()
    out = out.rename(
        columns={
            "amount": "itemized_cents",
            "whole": "whole_cents",
            "split": "split_cents",
            "outside": "outside_cents",
            "unknown": "unknown_cents",
        }
    )
    if not relationship.weighted:
        out["split_in"] = np.nan
    out.insert(1, "cycle", world.cycle)
    out["congress"] = relationship.congress
    out["weighted"] = relationship.weighted
    return out
