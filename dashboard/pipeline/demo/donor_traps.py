"""Donors the donor pages must get right, planted in the demo's donor table: one person filing under two
spellings ('SMITH, JOHN' and 'Smith, John Mr.', merged by the donor key), and two look-alikes the key keeps
apart (the same name in another ZIP code; a middle initial in the same ZIP code).

Planting renames four of the most active donors of one state and moves three of them into one ZIP code and
city, after the donor table is drawn and without a random draw, so the rest of the demo is what it was. Their
gifts are the generator's own, so the busiest of them passes the per-election limit with some candidate.
`donor_trap_truth` records what each planted key really gave (to demo_truth/donors-<cycle>.parquet)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard.pipeline.demo.donors import Donors
from dashboard.pipeline.demo.races import CycleWorld

TRAP_STATE = "CA"
# role -> (name as filed, the donor key the builder should give it); the ZIP code is filled in at planting.
MERGED_NAME, MERGED_VARIANT = "SMITH, JOHN", "Smith, John Mr."
OTHER_ZIP_NAME, MIDDLE_INITIAL_NAME = "SMITH, JOHN", "SMITH, JOHN Q"
ROLES = ("merged", "merged_variant", "other_zip", "middle_initial")
NAMES = dict(zip(ROLES, (MERGED_NAME, MERGED_VARIANT, OTHER_ZIP_NAME, MIDDLE_INITIAL_NAME)))
KEY_NAMES = {"merged": "SMITH, JOHN", "merged_variant": "SMITH, JOHN", "other_zip": "SMITH, JOHN",
             "middle_initial": "SMITH, JOHN Q"}  # fmt: skip


def planted(donors: Donors) -> dict[str, int]:
    """role -> donor index: the four most active donors of TRAP_STATE, busiest first."""
    lo, cdf = donors.state_slices[TRAP_STATE]
    activity = np.diff(cdf, prepend=0.0)
    busiest = lo + np.argsort(-activity, kind="stable")[: len(ROLES)]
    return dict(zip(ROLES, (int(i) for i in busiest)))


def zip5_of(donors: Donors, index: int) -> str:
    return str(donors.zip[index].as_py())[:5]


def plant_donor_traps(donors: Donors) -> None:
    """Rename the planted donors and put the merged pair and the middle initial in one ZIP code (the busiest
    donor's); the other-ZIP look-alike keeps a ZIP code of its own."""
    roles = planted(donors)
    home = zip5_of(donors, roles["merged"])
    names, zips, cities = donors.name.to_pylist(), donors.zip.to_pylist(), donors.city.to_pylist()
    for role, index in roles.items():
        names[index] = NAMES[role]
        if role != "other_zip":
            zips[index], cities[index] = home, cities[roles["merged"]]
        elif zip5_of(donors, index) == home:  # another ZIP code, whatever the draw gave
            zips[index] = home[:4] + str((int(home[4]) + 1) % 10)
    donors.name, donors.zip = pa.array(names, pa.string()), pa.array(zips, pa.string())
    donors.city = pa.array(cities, pa.string())


def trap_keys(donors: Donors) -> dict[str, str]:
    """role -> the donor key the builder should give the role's gifts."""
    return {role: f"{KEY_NAMES[role]}|{zip5_of(donors, index)}" for role, index in planted(donors).items()}


def donor_trap_truth(world: CycleWorld, table: dict, donors: Donors) -> pd.DataFrame:
    """What each planted donor key really gave in the cycle, per candidate and election (as in
    `receipts`: individuals' gifts to a candidate's own committees, memos and conduit copies left out, a
    refund negative): donor_key, role, cycle, candidate_id, election_type, amount_cents, gifts, refunds.
    The two merged spellings share one key, so their rows add up under it."""
    cand_of_cmte = {}
    for c in world.candidates:
        cand_of_cmte[world.committees.index(c.principal)] = c.candidate_id
        if c.authorized:
            cand_of_cmte[world.committees.index(c.authorized)] = c.candidate_id
    keys = trap_keys(donors)
    frames = []
    for role, index in planted(donors).items():
        sel = (
            (table["donor"] == index)
            & (table["memo_code"] != "X")
            & np.isin(table["receipt_type"], ["15", "15E", "22Y"])
            & np.isin(table["cmte"], list(cand_of_cmte))
            & ~table["donor_is_org"]
        )
        signed = np.where(table["receipt_type"][sel] == "22Y", -table["amount"][sel], table["amount"][sel])
        frames.append(
            pd.DataFrame(
                {
                    "donor_key": keys[role],
                    "role": role,
                    "cycle": world.cycle,
                    "candidate_id": pd.Series(table["cmte"][sel]).map(cand_of_cmte).to_numpy(),
                    "election_type": table["election"][sel] if "election" in table else None,
                    "amount_cents": signed,
                    "gifts": (signed > 0).astype(int),
                    "refunds": (signed < 0).astype(int),
                }
            )
        )
    rows = pd.concat(frames, ignore_index=True)
    return (
        rows.groupby(["donor_key", "role", "cycle", "candidate_id", "election_type"], dropna=False)
        .agg(amount_cents=("amount_cents", "sum"), gifts=("gifts", "sum"), refunds=("refunds", "sum"))
        .reset_index()
    )
