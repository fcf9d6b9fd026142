"""The individual donors: one table for the whole run (people give in several cycles), drawn by
state population; who gives how often is heavy-tailed."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.core.geography import STATES
from dashboard.pipeline.demo import names

# Base gifts drawn per row finally written (conduit copies add rows, unitemized ones are dropped).
ROWS_OVERSAMPLE = 1.0


@dataclass(eq=False)
class Donors:
    """Column-wise: donor i is row i of every array. Donors are grouped by state."""

    name: pa.Array  # "LAST, FIRST M"
    state: np.ndarray
    zip: pa.Array
    city: pa.Array
    occupation: pa.Array
    employer: pa.Array
    activity_cdf: np.ndarray
    # state -> (first donor of the state, cumulative activity within the state)
    state_slices: dict[str, tuple[int, np.ndarray]]

    @property
    def count(self) -> int:
        return len(self.state)

    def lives_in(self, state: str | None) -> bool:
        return state in self.state_slices

    def pick(self, rng: np.random.Generator, count: int) -> np.ndarray:
        """Donors of gifts: the more active a donor, the likelier."""
        return np.searchsorted(self.activity_cdf, rng.random(count)).astype(np.int64)

    def pick_home(self, rng: np.random.Generator, state: str, count: int) -> np.ndarray:
        """Donors of gifts from one state (anyone when nobody lives there)."""
        if state not in self.state_slices:
            return self.pick(rng, count)
        lo, cdf = self.state_slices[state]
        return lo + np.searchsorted(cdf, rng.random(count)).astype(np.int64)


def make_donors(rng: np.random.Generator, rows: int) -> Donors:
    n = max(3_000, int(rows * ROWS_OVERSAMPLE / 4))
    states = np.array(list(STATES))
    population = np.array([STATES[s][3] for s in states])
    state_idx = rng.choice(len(states), size=n, p=population / population.sum())
    order = np.argsort(state_idx, kind="stable")  # donors grouped by state
    state_idx = state_idx[order]
    full_name = _full_names(rng, n)
    fips = np.array([int(STATES[s][0]) for s in states])[state_idx]
    zip_code = _zip_codes(rng, fips)
    city = pa.array(np.array(names.CITY_NAMES)[rng.integers(len(names.CITY_NAMES), size=n)])
    occupation, employer = _jobs(rng, n)
    # Pareto activity: a few donors give very often.
    activity = rng.pareto(1.3, size=n) + 1.0
    state_slices = {}
    bounds = np.searchsorted(state_idx, np.arange(len(states) + 1))
    for i, s in enumerate(states):
        lo, hi = bounds[i], bounds[i + 1]
        if hi > lo:
            cdf = np.cumsum(activity[lo:hi])
            state_slices[s] = (lo, cdf / cdf[-1])
    return Donors(
        full_name,
        states[state_idx],
        zip_code,
        city,
        occupation,
        employer,
        np.cumsum(activity) / activity.sum(),
        state_slices,
    )


def _full_names(rng: np.random.Generator, n: int) -> pa.Array:
    heads = np.array(names.SURNAME_HEADS)[rng.integers(len(names.SURNAME_HEADS), size=n)]
    tails = np.array(names.SURNAME_TAILS)[rng.integers(len(names.SURNAME_TAILS), size=n)]
    given = np.array(names.GIVEN_NAMES)[rng.integers(len(names.GIVEN_NAMES), size=n)]
    middle = np.array(names.MIDDLE_INITIALS)[rng.integers(len(names.MIDDLE_INITIALS), size=n)]
    full = pc.binary_join_element_wise(pa.array(heads), pa.array(tails), "")
    full = pc.binary_join_element_wise(full, pa.array(given), ", ")
    full = pc.binary_join_element_wise(full, pa.array(middle), " ")
    return pc.utf8_rtrim(full, characters=" ")  # no middle initial: no trailing space


def _zip_codes(rng: np.random.Generator, fips: np.ndarray) -> pa.Array:
    """Five digits that start with the state's FIPS code; 40% carry the plus-four."""
    n = len(fips)
    zip5 = fips * 1000 + rng.integers(0, 1000, size=n)
    zip_text = pc.utf8_lpad(pc.cast(pa.array(zip5), pa.string()), 5, "0")
    plus4 = pc.utf8_lpad(pc.cast(pa.array(rng.integers(0, 10000, size=n)), pa.string()), 4, "0")
    has_plus4 = pa.array(rng.random(n) < 0.4)
    return pc.if_else(has_plus4, pc.binary_join_element_wise(zip_text, plus4, ""), zip_text)


def _jobs(rng: np.random.Generator, n: int) -> tuple[pa.Array, pa.Array]:
    """Occupation by weight, then an employer that fits it."""
    occ_weights = np.array([o[1] for o in names.OCCUPATIONS], dtype=float)
    occ_idx = rng.choice(len(names.OCCUPATIONS), size=n, p=occ_weights / occ_weights.sum())
    occupation = pa.array(np.array([o[0] for o in names.OCCUPATIONS])[occ_idx])
    employers = np.empty(n, dtype=object)
    for i, (_occ, _w, kind) in enumerate(names.OCCUPATIONS):
        mask = occ_idx == i
        choices = np.array(names.EMPLOYER_BY_KIND[kind])
        employers[mask] = choices[rng.integers(len(choices), size=int(mask.sum()))]
    return occupation, pa.array(employers, pa.string())


def place_in_zctas(
    donors: Donors, rng: np.random.Generator, zctas_by_state: dict[str, np.ndarray], unknown_share: float
) -> None:
    """Give the donors of every state with known ZCTAs the ZIP of one of them (plus-four kept), so
    in-district money can be reconciled against a real ZCTA-to-district relationship; a share of
    them keep their synthetic ZIP, which is usually no ZCTA (in-district money: unknown). Draws from
    its own generator: the rest of the demo is what it was."""
    zip5 = pc.utf8_slice_codeunits(donors.zip, 0, 5).to_numpy(zero_copy_only=False).astype(object)
    for state, (lo, cdf) in donors.state_slices.items():
        zctas = zctas_by_state.get(state)
        if zctas is None or len(zctas) == 0:
            continue
        hi = lo + len(cdf)
        picked = zctas[rng.integers(len(zctas), size=hi - lo)]
        keep = rng.random(hi - lo) < unknown_share
        zip5[lo:hi] = np.where(keep, zip5[lo:hi], picked)
    plus4 = pc.utf8_slice_codeunits(donors.zip, 5, 9)  # empty where the ZIP has none
    donors.zip = pc.binary_join_element_wise(pa.array(zip5, pa.string()), plus4, "")
