"""Deterministic generator of synthetic, FEC-shaped raw data (the built-in demo).

It writes the raw tables of `dashboard.core.contract.RAW` exactly as the real sources would, with the
real data's traps in place: earmarked gifts filed twice (conduit `24T` and recipient `15E`),
joint-fundraising memo allocations (`15J`, memo 'X'), partnership memo attributions, refunds
(`22Y`, negative), amended reports whose superseded itemized rows are still in the file, and
transfers between a candidate's own committees. The builder must undo all of that; the truth
written to `demo_truth/` says what the right answers are.

Everything comes from one seeded numpy Generator, so a seed and a row count give the same files.
Amounts are handled as integer cents throughout, so totals reconcile to the cent.
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.core import contract
from dashboard.core.geography import ELECTION_DAY, SENATE_CLASS_STATES, STATES, house_districts
from dashboard.pipeline.demo import names

CYCLES = (2022, 2024, 2026)
CYCLE_ROW_SHARE = {2022: 0.30, 2024: 0.42, 2026: 0.28}
# The demo's "today": the latest reports filed are the 2026 pre-general reports.
AS_OF = date(2026, 10, 14)
MAX_CONTRIBUTION = {2022: 2900, 2024: 3300, 2026: 3500}
ITEMIZATION_THRESHOLD_CENTS = 200_00
ROWS_OVERSAMPLE = 1.0  # base gifts drawn per row finally written (conduit copies add rows, unitemized ones are dropped)
CHUNK_ROWS = 2_000_000

GIFT_AMOUNTS = np.array([10, 25, 50, 100, 200, 250, 500, 1000, 2000, -1])  # -1: the maximum
GIFT_WEIGHTS = np.array([5, 16, 16, 16, 4, 11, 11, 10, 4, 5], dtype=float)
PAC_GIFT_AMOUNTS = np.array([250, 500, 1000, 2500, 5000])
JFC_GIFT_AMOUNTS = np.array([1000, 2500, 5000, 10000, 15000])

PARTY_NAMES = {"DEM": "DEMOCRATIC", "REP": "REPUBLICAN"}
MINOR_PARTIES = ("LIB", "GRE", "IND")
# Share of gifts to a candidate that arrive earmarked through a conduit, by party.
EARMARK_SHARE = {"DEM": 0.55, "REP": 0.35}
# Unitemized (small-donor) money as a share of itemized money, by party.
UNITEMIZED_RATIO = {"DEM": 0.45, "REP": 0.32}


@dataclass
class Committee:
    committee_id: str
    name: str
    committee_type: str
    designation: str
    party: str | None
    state: str | None
    candidate_id: str | None = None
    filing_frequency: str = "Q"
    weight: float = 0.0
    kind: str = "candidate"  # candidate | pac | party | jfc | conduit | leadership


@dataclass
class Candidate:
    candidate_id: str
    name: str
    party: str
    office: str
    state: str
    district: str
    incumbent_challenge: str
    principal: Committee
    authorized: Committee | None = None
    weight: float = 0.0
    self_funder: bool = False


@dataclass
class CycleWorld:
    cycle: int
    candidates: list[Candidate] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    linkages: list[tuple] = field(default_factory=list)


def period_bounds(cycle: int) -> list[tuple[int, str, date, date]]:
    """(report_year, report_type, coverage_start, coverage_end) of a quarterly filer's reports."""
    odd = cycle - 1
    election = date.fromisoformat(ELECTION_DAY[cycle])
    pre_end, post_end = election - timedelta(days=20), election + timedelta(days=20)
    periods = [(odd, "Q1", date(odd, 1, 1), date(odd, 3, 31)), (odd, "Q2", date(odd, 4, 1), date(odd, 6, 30)),
               (odd, "Q3", date(odd, 7, 1), date(odd, 9, 30)), (odd, "YE", date(odd, 10, 1), date(odd, 12, 31)),
               (cycle, "Q1", date(cycle, 1, 1), date(cycle, 3, 31)), (cycle, "Q2", date(cycle, 4, 1), date(cycle, 6, 30)),
               (cycle, "Q3", date(cycle, 7, 1), date(cycle, 9, 30)), (cycle, "12G", date(cycle, 10, 1), pre_end),
               (cycle, "30G", pre_end + timedelta(days=1), post_end),
               (cycle, "YE", post_end + timedelta(days=1), date(cycle, 12, 31))]
    return [p for p in periods if p[3] <= AS_OF]


def cycle_days(cycle: int) -> tuple[date, int]:
    """First day of the cycle and the number of days with filed data."""
    start = date(cycle - 1, 1, 1)
    last = period_bounds(cycle)[-1][3]
    return start, (last - start).days + 1


def gift_day_weights(cycle: int) -> np.ndarray:
    """Giving ramps up toward election day, spikes at quarter ends, falls away after."""
    start, n_days = cycle_days(cycle)
    election = (date.fromisoformat(ELECTION_DAY[cycle]) - start).days
    t = np.arange(n_days)
    weights = 0.25 + np.exp(3.2 * t / election)
    weights[t > election] = 0.6
    days = [start + timedelta(days=int(i)) for i in t]
    quarter_end = np.array([(d.month in (3, 6, 9, 12)) and d.day >= (29 if d.month in (3, 12) else 28)
                            for d in days])
    weights[quarter_end] *= 4.0
    return weights / weights.sum()


class IdMaker:
    def __init__(self):
        self.committee_seq = 10_000_000
        self.candidate_seq: dict[tuple, int] = {}

    def committee(self) -> str:
        self.committee_seq += 1
        return f"C{self.committee_seq:08d}"

    def candidate(self, office: str, cycle: int, state: str, district: str) -> str:
        key = (office, state, district)
        seq = self.candidate_seq.get(key, 100) + 1
        self.candidate_seq[key] = seq
        if office == "P":
            return f"P{cycle % 10}{seq:07d}"
        return f"{office}{cycle % 10}{state}{district}{seq:03d}"


class DemoGenerator:
    def __init__(self, rows: int, seed: int, progress=None):
        self.rows = rows
        self.rng = np.random.default_rng(seed)
        self.ids = IdMaker()
        self.progress = progress or (lambda msg: None)
        self.house_incumbents: dict[tuple[str, str], Candidate] = {}
        self.cash_carry: dict[str, int] = {}  # committee_id -> cents on hand at end of last cycle
        self.debt_carry: dict[str, int] = {}
        self.next_sub_id = 4_000_000_000_000_000_000
        self.next_file_number = 1_400_000
        self.next_linkage_id = 120_000_000_000
        self._make_standing_committees()
        self._make_donors()

    # ---------------------------------------------------------------- people and committees
    def person_name(self) -> tuple[str, str]:
        r = self.rng
        last = names.SURNAME_HEADS[r.integers(len(names.SURNAME_HEADS))] + \
            names.SURNAME_TAILS[r.integers(len(names.SURNAME_TAILS))]
        first = names.GIVEN_NAMES[r.integers(len(names.GIVEN_NAMES))]
        return last, first

    def _make_standing_committees(self):
        """PACs, parties, conduits and the joint fundraiser: the same IDs every cycle."""
        mk = self.ids.committee
        self.conduits = {
            "BLUE": Committee(mk(), "DEMO CONDUIT BLUE", "V", "U", None, "MA", kind="conduit", filing_frequency="M"),
            "RED": Committee(mk(), "DEMO CONDUIT RED", "V", "U", None, "VA", kind="conduit", filing_frequency="M"),
        }
        self.parties = []
        for party, word in PARTY_NAMES.items():
            for body in ("NATIONAL COMMITTEE", "CONGRESSIONAL CAMPAIGN COMMITTEE", "SENATORIAL CAMPAIGN COMMITTEE"):
                self.parties.append(Committee(mk(), f"DEMO {word} {body}", "Y", "U", party, "DC", kind="party",
                                              weight=3.0, filing_frequency="M"))
        for state in ("CA", "TX", "FL", "NY", "PA", "OH", "GA", "MI", "NC", "AZ"):
            for party, word in PARTY_NAMES.items():
                self.parties.append(Committee(mk(), f"DEMO {word} PARTY OF {STATES[state][1].upper()}", "X", "U",
                                              party, state, kind="party", weight=0.6))
        self.pacs = []
        for industry in names.PAC_INDUSTRIES:
            self.pacs.append(Committee(mk(), f"DEMO {industry} PAC", "Q", "B", None, "DC", kind="pac",
                                       weight=float(self.rng.lognormal(0, 0.8))))
        for i, cause in enumerate(("FUTURE", "LIBERTY", "PROGRESS", "HERITAGE")):
            self.pacs.append(Committee(mk(), f"DEMO {cause} ACTION FUND (SUPER PAC)", "O", "U",
                                       "DEM" if i % 2 == 0 else "REP", "DC", kind="pac", weight=2.0))
        self.jfc = Committee(mk(), "DEMO SENATE VICTORY FUND", "N", "J", "DEM", "DC", kind="jfc")

    def _make_donors(self):
        """One table of individual donors; who gives how often is heavy-tailed."""
        r = self.rng
        n = max(3_000, int(self.rows * ROWS_OVERSAMPLE / 4))
        states = np.array(list(STATES))
        population = np.array([STATES[s][3] for s in states])
        state_idx = r.choice(len(states), size=n, p=population / population.sum())
        order = np.argsort(state_idx, kind="stable")  # donors grouped by state
        state_idx = state_idx[order]
        heads = np.array(names.SURNAME_HEADS)[r.integers(len(names.SURNAME_HEADS), size=n)]
        tails = np.array(names.SURNAME_TAILS)[r.integers(len(names.SURNAME_TAILS), size=n)]
        given = np.array(names.GIVEN_NAMES)[r.integers(len(names.GIVEN_NAMES), size=n)]
        middle = np.array(names.MIDDLE_INITIALS)[r.integers(len(names.MIDDLE_INITIALS), size=n)]
        full = pc.binary_join_element_wise(pa.array(heads), pa.array(tails), "")
        full = pc.binary_join_element_wise(full, pa.array(given), ", ")
        full = pc.binary_join_element_wise(full, pa.array(middle), " ")
        self.donor_name = pc.utf8_rtrim(full, characters=" ")
        self.donor_state = states[state_idx]
        fips = np.array([int(STATES[s][0]) for s in states])[state_idx]
        zip5 = fips * 1000 + r.integers(0, 1000, size=n)
        zip_text = pc.utf8_lpad(pc.cast(pa.array(zip5), pa.string()), 5, "0")
        plus4 = pc.utf8_lpad(pc.cast(pa.array(r.integers(0, 10000, size=n)), pa.string()), 4, "0")
        has_plus4 = pa.array(r.random(n) < 0.4)
        self.donor_zip = pc.if_else(has_plus4, pc.binary_join_element_wise(zip_text, plus4, ""), zip_text)
        self.donor_city = pa.array(np.array(names.CITY_NAMES)[r.integers(len(names.CITY_NAMES), size=n)])
        occ_weights = np.array([o[1] for o in names.OCCUPATIONS], dtype=float)
        occ_idx = r.choice(len(names.OCCUPATIONS), size=n, p=occ_weights / occ_weights.sum())
        self.donor_occupation = pa.array(np.array([o[0] for o in names.OCCUPATIONS])[occ_idx])
        employers = np.empty(n, dtype=object)
        for i, (_occ, _w, kind) in enumerate(names.OCCUPATIONS):
            mask = occ_idx == i
            choices = np.array(names.EMPLOYER_BY_KIND[kind])
            employers[mask] = choices[r.integers(len(choices), size=int(mask.sum()))]
        self.donor_employer = pa.array(employers, pa.string())
        # Pareto activity: a few donors give very often.
        activity = r.pareto(1.3, size=n) + 1.0
        self.donor_activity_cdf = np.cumsum(activity) / activity.sum()
        self.state_slices = {}
        bounds = np.searchsorted(state_idx, np.arange(len(states) + 1))
        for i, s in enumerate(states):
            lo, hi = bounds[i], bounds[i + 1]
            if hi > lo:
                cdf = np.cumsum(activity[lo:hi])
                self.state_slices[s] = (lo, cdf / cdf[-1])
        self.n_donors = n

    def pick_donors(self, count: int) -> np.ndarray:
        return np.searchsorted(self.donor_activity_cdf, self.rng.random(count)).astype(np.int64)

    def pick_home_donors(self, state: str, count: int) -> np.ndarray:
        if state not in self.state_slices:
            return self.pick_donors(count)
        lo, cdf = self.state_slices[state]
        return lo + np.searchsorted(cdf, self.rng.random(count)).astype(np.int64)

    # ---------------------------------------------------------------- races
    def make_cycle(self, cycle: int) -> CycleWorld:
        world = CycleWorld(cycle)
        r = self.rng
        races = [("H", s, d) for s, d in house_districts()]
        races += [("S", s, "00") for s in SENATE_CLASS_STATES[cycle]]
        if cycle % 4 == 0:
            races.append(("P", "US", "00"))
        for office, state, district in races:
            self._make_race(world, office, state, district)
        world.committees += [*self.conduits.values(), *self.parties, *self.pacs, self.jfc]
        # The joint fundraiser raises for the best-funded Democratic Senate candidate of the cycle.
        senate_dems = [c for c in world.candidates if c.office == "S" and c.party == "DEM"]
        self.jfc_candidate = max(senate_dems, key=lambda c: c.weight)
        world.linkages.append((self.jfc_candidate.candidate_id, cycle, cycle, self.jfc.committee_id, "N", "J"))
        self.jfc.weight = 0.0
        return world

    def _make_race(self, world: CycleWorld, office: str, state: str, district: str):
        r, cycle = self.rng, world.cycle
        key = (state, district)
        incumbent = self.house_incumbents.get(key) if office == "H" else None
        if incumbent and r.random() < 0.1:
            incumbent = None  # retirement: an open seat
        if office == "P":
            k = 6
        elif office == "S":
            k = int(r.choice([2, 3, 4, 5, 6], p=[0.25, 0.3, 0.25, 0.12, 0.08]))
        else:
            k = int(r.choice([1, 2, 3, 4, 5, 6], p=[0.07, 0.38, 0.27, 0.14, 0.09, 0.05]))
        lean = "DEM" if r.random() < 0.5 else "REP"
        parties = [incumbent.party if incumbent else lean]
        if k >= 2:
            parties.append("REP" if parties[0] == "DEM" else "DEM")
        for _ in range(k - len(parties)):
            roll = r.random()
            parties.append(r.choice(["DEM", "REP"]) if roll < 0.55 else MINOR_PARTIES[int(r.integers(3))])
        office_factor = {"H": 1.0, "S": 5.0, "P": 30.0}[office]
        for i, party in enumerate(parties):
            if i == 0 and incumbent:
                ici, name, cand_id = "I", incumbent.name, incumbent.candidate_id
            else:
                ici = "O" if (incumbent is None and office != "P") else "C"
                last, first = self.person_name()
                name = f"{last}, {first}"
                cand_id = self.ids.candidate(office, cycle, state, district)
            standing = {"I": 1.8, "O": 1.2, "C": 0.8}[ici]
            rank = 1.0 if i < 2 else (0.3 if party in ("DEM", "REP") else 0.06)
            weight = float(r.lognormal(0, 0.9)) * office_factor * standing * rank
            if incumbent and i == 0:
                principal = incumbent.principal
                authorized = incumbent.authorized
            else:
                words = {"H": "CONGRESS", "S": "SENATE", "P": "PRESIDENT"}[office]
                first_last = f"{name.split(', ')[1]} {name.split(', ')[0]}"
                principal = Committee(self.ids.committee(), f"DEMO {first_last} FOR {words}", office, "P",
                                      party, state if state != "US" else "DC", cand_id)
                authorized = None
                if r.random() < (0.12 if office == "H" else 0.3):
                    authorized = Committee(self.ids.committee(), f"DEMO {first_last} VICTORY COMMITTEE", office,
                                           "A", party, principal.state, cand_id)
            cand = Candidate(cand_id, name, party, office, state, district, ici, principal, authorized,
                             weight=weight, self_funder=bool(r.random() < 0.07))
            principal.weight = weight * (0.8 if authorized else 1.0)
            world.candidates.append(cand)
            world.committees.append(principal)
            world.linkages.append((cand_id, cycle, cycle, principal.committee_id, office, "P"))
            if authorized:
                authorized.weight = weight * 0.2
                world.committees.append(authorized)
                world.linkages.append((cand_id, cycle, cycle, authorized.committee_id, office, "A"))
            if ici == "I" and r.random() < 0.08:
                lpac = Committee(self.ids.committee(), f"DEMO {name.split(', ')[0]} LEADERSHIP PAC", "Q", "D",
                                 party, "DC", kind="leadership", weight=0.3)
                world.committees.append(lpac)
                world.linkages.append((cand_id, cycle, cycle, lpac.committee_id, "Q", "D"))

    def remember_winners(self, world: CycleWorld, raised: dict[str, int]):
        by_race: dict[tuple, list[Candidate]] = {}
        for c in world.candidates:
            if c.office == "H":
                by_race.setdefault((c.state, c.district), []).append(c)
        for key, cands in by_race.items():
            self.house_incumbents[key] = max(cands, key=lambda c: raised.get(c.candidate_id, 0))

    # ---------------------------------------------------------------- itemized gifts
    def draw_amounts(self, count: int, cycle: int, menu=GIFT_AMOUNTS, weights=GIFT_WEIGHTS) -> np.ndarray:
        r = self.rng
        menu = np.where(menu < 0, MAX_CONTRIBUTION[cycle], menu)
        dollars = menu[r.choice(len(menu), size=count, p=weights / weights.sum())].astype(np.int64) * 100
        odd = r.random(count) < 0.12  # some gifts are not round numbers
        odd_cents = np.clip(np.round(r.lognormal(4.5, 1.0, size=count) * 100), 500, MAX_CONTRIBUTION[cycle] * 100)
        return np.where(odd, odd_cents.astype(np.int64), dollars)

    def candidate_gifts(self, world: CycleWorld, n: int) -> dict[str, np.ndarray]:
        """Gifts to candidate committees, before the itemization threshold is applied."""
        r, cycle = self.rng, world.cycle
        cmtes = [c for c in world.committees if c.kind == "candidate"]
        weights = np.array([c.weight for c in cmtes])
        counts = r.multinomial(n, weights / weights.sum())
        cmte_of = {c.committee_id: i for i, c in enumerate(world.committees)}
        cmte_idx = np.repeat(np.array([cmte_of[c.committee_id] for c in cmtes]), counts)
        donors = np.empty(n, dtype=np.int64)
        pos = 0
        for c, k in zip(cmtes, counts):
            if k == 0:
                continue
            home = r.random(k) < (0.6 if c.committee_type == "H" else 0.45)
            d = self.pick_donors(k)
            if c.state in self.state_slices and c.committee_type != "P":
                d[home] = self.pick_home_donors(c.state, int(home.sum()))
            # Repeat givers: a third of gifts come from someone who already gave to this committee.
            repeat = r.random(k) < 0.33
            repeat[0] = False
            earlier = (r.random(k) * np.arange(k)).astype(np.int64)
            d[repeat] = d[earlier[repeat]]
            donors[pos:pos + k] = d
            pos += k
        day = r.choice(len(self.day_weights), size=n, p=self.day_weights)
        amount = self.draw_amounts(n, cycle)
        return {"cmte": cmte_idx, "donor": donors, "day": day, "amount": amount}

    def generate_cycle(self, cycle: int, out: Path) -> dict:
        r = self.rng
        world = self.make_cycle(cycle)
        self.day_weights = gift_day_weights(cycle)
        periods = period_bounds(cycle)
        start, n_days = cycle_days(cycle)
        period_of_day = np.searchsorted(np.array([(p[3] - start).days for p in periods]), np.arange(n_days))
        cmtes = world.committees
        n_cmte, n_per = len(cmtes), len(periods)
        cand_by_cmte = {c.principal.committee_id: c for c in world.candidates}
        cand_by_cmte.update({c.authorized.committee_id: c for c in world.candidates if c.authorized})
        cmte_party = np.array([(c.party or "") for c in cmtes])
        target = int(self.rows * CYCLE_ROW_SHARE[cycle])

        # 1. Gifts to candidates; earmarked ones also go through a conduit.
        g = self.candidate_gifts(world, int(target * 0.80 * ROWS_OVERSAMPLE))
        party = cmte_party[g["cmte"]]
        earmark_p = np.select([party == "DEM", party == "REP"], [EARMARK_SHARE["DEM"], EARMARK_SHARE["REP"]], 0.12)
        earmarked = r.random(len(party)) < earmark_p
        conduit_is_red = (party == "REP") | (party == "LIB")
        # Itemization: a donor is itemized once their gifts to the committee pass $200.
        key = g["cmte"] * self.n_donors + g["donor"]
        uniq, inverse = np.unique(key, return_inverse=True)
        total_by_pair = np.bincount(inverse, weights=g["amount"])
        itemized = total_by_pair[inverse] > ITEMIZATION_THRESHOLD_CENTS
        period = period_of_day[g["day"]]
        unitemized = np.zeros((n_cmte, n_per), dtype=np.int64)
        np.add.at(unitemized, (g["cmte"][~itemized], period[~itemized]), g["amount"][~itemized])

        rows = []  # list of dicts of equal-length arrays; concatenated at the end

        def add(cmte, donor, day, amount, receipt_type, memo_code="", memo_text="", other="", conduit="",
                entity="IND", line="11AI", current=True):
            n = len(cmte)
            rows.append({"cmte": np.asarray(cmte, np.int64), "donor": np.asarray(donor, np.int64),
                         "day": np.asarray(day, np.int64), "amount": np.asarray(amount, np.int64),
                         "receipt_type": np.full(n, receipt_type, object) if isinstance(receipt_type, str) else receipt_type,
                         "memo_code": np.full(n, memo_code, object), "memo_text": _fill(memo_text, n),
                         "other_id": _fill(other, n), "conduit": _fill(conduit, n),
                         "entity": np.full(n, entity, object), "line": np.full(n, line, object)})

        cmte_ids = np.array([c.committee_id for c in cmtes])
        earmarked_for = np.array([f"EARMARKED FOR {c.name} ({c.committee_id})" for c in cmtes], dtype=object)
        blue, red = self.conduits["BLUE"], self.conduits["RED"]
        conduit_idx = np.where(conduit_is_red, cmtes.index(red), cmtes.index(blue))
        conduit_id = np.where(conduit_is_red, red.committee_id, blue.committee_id)
        keep = itemized
        ear = keep & earmarked
        plain = keep & ~earmarked
        add(g["cmte"][plain], g["donor"][plain], g["day"][plain], g["amount"][plain], "15")
        add(g["cmte"][ear], g["donor"][ear], g["day"][ear], g["amount"][ear], "15E",
            memo_text=np.where(conduit_is_red[ear], f"EARMARKED THROUGH {red.name}", f"EARMARKED THROUGH {blue.name}"),
            other=conduit_id[ear], conduit=conduit_id[ear])
        # The conduit itemizes every earmarked gift, itemized by the recipient or not.
        add(conduit_idx[earmarked], g["donor"][earmarked], g["day"][earmarked], g["amount"][earmarked], "24T",
            memo_text=earmarked_for[g["cmte"][earmarked]],
            other=cmte_ids[g["cmte"][earmarked]])
        # Refunds of some itemized gifts, a few weeks later, as negative amounts.
        kept_idx = np.flatnonzero(keep)
        ref = kept_idx[r.random(len(kept_idx)) < 0.012]
        ref_day = np.minimum(g["day"][ref] + r.integers(5, 60, size=len(ref)), n_days - 1)
        ref_amount = -np.minimum(g["amount"][ref], (r.integers(1, 4, size=len(ref)) * 25_000))
        add(g["cmte"][ref], g["donor"][ref], ref_day, ref_amount, "22Y", line="20A")

        # 2. Partnership gifts: the firm's row counts; the partners' attribution rows are memos.
        n_llc = max(2, target // 400)
        cand_cmte_idx = np.array([i for i, c in enumerate(cmtes) if c.kind == "candidate"])
        llc_cmte = cand_cmte_idx[r.integers(len(cand_cmte_idx), size=n_llc)]
        llc_day = r.choice(len(self.day_weights), size=n_llc, p=self.day_weights)
        llc_amount = r.integers(5, 21, size=n_llc) * 100_00
        llc_donor = self.pick_donors(n_llc)
        add(llc_cmte, llc_donor, llc_day, llc_amount, "15", entity="ORG")
        for share in (0.5, 0.5):
            add(llc_cmte, self.pick_donors(n_llc), llc_day, (llc_amount * share).astype(np.int64), "15",
                memo_code="X", memo_text="PARTNERSHIP ATTRIBUTION")
        self.llc_donors = getattr(self, "llc_donors", set()) | set(llc_donor.tolist())

        # 3. Gifts to PACs and parties (itemized in full: they are at least $250).
        others = [i for i, c in enumerate(cmtes) if c.kind in ("pac", "party", "leadership")]
        ow = np.array([cmtes[i].weight for i in others])
        n_other = int(target * 0.14)
        o_cmte = np.array(others)[r.choice(len(others), size=n_other, p=ow / ow.sum())]
        add(o_cmte, self.pick_donors(n_other), r.choice(len(self.day_weights), size=n_other, p=self.day_weights),
            self.draw_amounts(n_other, cycle, PAC_GIFT_AMOUNTS, np.ones(len(PAC_GIFT_AMOUNTS))), "15")

        # 4. The joint fundraiser: it itemizes the gift; each participant files a 15J memo of its share.
        n_jfc = max(10, int(target * 0.01))
        jfc_i = cmtes.index(self.jfc)
        cand_i = cmtes.index(self.jfc_candidate.principal)
        party_i = cmtes.index(next(p for p in self.parties if "SENATORIAL" in p.name and p.party == "DEM"))
        j_donor = self.pick_donors(n_jfc)
        j_day = r.choice(len(self.day_weights), size=n_jfc, p=self.day_weights)
        j_amount = self.draw_amounts(n_jfc, cycle, JFC_GIFT_AMOUNTS, np.ones(len(JFC_GIFT_AMOUNTS)))
        cand_share = np.minimum(j_amount, MAX_CONTRIBUTION[cycle] * 100)
        add(np.full(n_jfc, jfc_i), j_donor, j_day, j_amount, "15")
        add(np.full(n_jfc, cand_i), j_donor, j_day, cand_share, "15J", memo_code="X", line="12",
            memo_text=f"JFC ALLOCATION: {self.jfc.name}", other=self.jfc.committee_id)
        party_share = j_amount - cand_share
        has_party = party_share > 0
        add(np.full(int(has_party.sum()), party_i), j_donor[has_party], j_day[has_party], party_share[has_party],
            "15J", memo_code="X", line="12", memo_text=f"JFC ALLOCATION: {self.jfc.name}", other=self.jfc.committee_id)
        jfc_proceeds = np.zeros((n_cmte, n_per), dtype=np.int64)
        np.add.at(jfc_proceeds, (np.full(n_jfc, cand_i), period_of_day[j_day]), cand_share)
        np.add.at(jfc_proceeds, (np.full(int(has_party.sum()), party_i), period_of_day[j_day[has_party]]),
                  party_share[has_party])

        table = {k: np.concatenate([r_[k] for r_ in rows]) for k in rows[0]}
        table["period"] = period_of_day[table["day"]]
        entity = table["entity"]
        table["donor_is_org"] = entity == "ORG"

        # 5. Reports: summary pages that agree with the itemized rows plus unitemized money.
        reports, report_index = self.make_reports(world, table, unitemized, jfc_proceeds, periods)
        # 6. Amendments: some candidate reports were refiled; the first version's rows stay in the file.
        stale = self.amend_reports(world, table, reports, report_index)
        truth = self.truth(world, table, reports, unitemized)
        raised = dict(zip(truth.candidate_id, truth.receipts_cents))
        self.remember_winners(world, raised)
        self.ytd = _running_totals(self.n_donors, table)
        n_written = self.write_schedule_a(cycle, world, table, stale, reports, report_index, start, out)
        self.write_entities(world, reports, out)
        self.progress(f"  cycle {cycle}: {len(world.candidates):,} candidates, {n_cmte:,} committees, "
                      f"{n_written:,} itemized rows")
        return {"truth": truth, "rows": n_written}

    def make_reports(self, world, table, unitemized, jfc_proceeds, periods):
        r, cmtes = self.rng, world.committees
        n_cmte, n_per = len(cmtes), len(periods)
        counts_money = table["memo_code"] != "X"
        amount, cm, per, rt = table["amount"], table["cmte"], table["period"], table["receipt_type"]
        gift = counts_money & (amount > 0) & np.isin(rt, ["15", "15E", "24T"])
        refund = counts_money & (rt == "22Y")
        itemized = np.zeros((n_cmte, n_per), dtype=np.int64)
        np.add.at(itemized, (cm[gift], per[gift]), amount[gift])
        refunds = np.zeros((n_cmte, n_per), dtype=np.int64)
        np.add.at(refunds, (cm[refund], per[refund]), -amount[refund])
        reports = []
        index = {}
        candidate_of = {c.principal.committee_id: c for c in world.candidates}
        candidate_of.update({c.authorized.committee_id: c for c in world.candidates if c.authorized})
        for ci, c in enumerate(cmtes):
            ratio = UNITEMIZED_RATIO.get(c.party or "", 0.25) if c.kind == "candidate" else 0.05
            cand = candidate_of.get(c.committee_id)
            for pi, (ryear, rtype, cstart, cend) in enumerate(periods):
                item = int(itemized[ci, pi])
                unit = int(unitemized[ci, pi]) + int(round(item * ratio * r.uniform(0.6, 1.4) / 100)) * 100
                if c.kind == "conduit":
                    unit = 0
                pac = party_money = cand_money = 0
                if c.kind == "candidate":
                    pac_share = 0.5 if cand and cand.incumbent_challenge == "I" else 0.08
                    pac = int(item * pac_share * r.uniform(0.2, 1.2) / 100) * 100
                    party_money = int(r.integers(0, 5) * 1000_00) if r.random() < 0.1 else 0
                    if cand and cand.self_funder and pi in (0, 3, 5):
                        # Self-funders put in money on the scale of what they raise.
                        cand_money = int(max(item, 1000_00) * r.uniform(0.3, 1.5) / 1000_00) * 1000_00
                other = int(jfc_proceeds[ci, pi])
                reports.append(dict(ci=ci, pi=pi, committee_id=c.committee_id, cycle=world.cycle, report_year=ryear,
                                    report_type=rtype, coverage_start=cstart, coverage_end=cend,
                                    individual_itemized=item, individual_unitemized=unit,
                                    individual_refunds=int(refunds[ci, pi]), other_committee_contributions=pac,
                                    party_contributions=party_money, candidate_contributions=cand_money,
                                    other_receipts=other, transfers_from_authorized=0, transfers_to_authorized=0,
                                    cash_on_hand_begin=0, cash_on_hand_end=0, debts_owed=0, receipts=0,
                                    disbursements=0))
                index[(ci, pi)] = len(reports) - 1
        # Transfers from a candidate's authorized committee to its principal one.
        for cand in world.candidates:
            if not cand.authorized:
                continue
            a, p = cmtes.index(cand.authorized), cmtes.index(cand.principal)
            for pi in range(n_per):
                ra, rp = reports[index[(a, pi)]], reports[index[(p, pi)]]
                moved = int(0.7 * (ra["individual_itemized"] + ra["individual_unitemized"]) / 100) * 100
                ra["transfers_to_authorized"] = moved
                rp["transfers_from_authorized"] = moved
        # Receipts, disbursements and cash, period by period.
        for ci, c in enumerate(cmtes):
            cash = self.cash_carry.get(c.committee_id)
            if cash is None:
                cash = int(r.integers(50_000, 800_000) * 100) if c.kind != "candidate" else 0
            debts = self.debt_carry.get(c.committee_id, 0)
            for pi in range(n_per):
                rep = reports[index[(ci, pi)]]
                receipts = (rep["individual_itemized"] + rep["individual_unitemized"]
                            + rep["other_committee_contributions"] + rep["party_contributions"]
                            + rep["candidate_contributions"] + rep["other_receipts"]
                            + rep["transfers_from_authorized"])
                must_pay = rep["individual_refunds"] + rep["transfers_to_authorized"]
                shortfall = max(0, must_pay - (cash + receipts))
                if shortfall:  # a committee that owes refunds it cannot pay borrows the difference
                    rep["other_receipts"] += shortfall
                    receipts += shortfall
                    debts += shortfall
                spendable = cash + receipts - must_pay
                share = 0.97 if c.kind == "conduit" else r.uniform(0.35, 0.95)
                operating = int(spendable * share / 100) * 100
                disb = operating + must_pay
                rep.update(receipts=receipts, disbursements=disb, cash_on_hand_begin=cash)
                cash = cash + receipts - disb
                debts += int(rep["candidate_contributions"] * 0.6)
                rep.update(cash_on_hand_end=cash, debts_owed=debts)
            self.cash_carry[c.committee_id] = cash
            self.debt_carry[c.committee_id] = debts
        for rep in reports:
            rep["file_number"] = self._file_number()
            rep["previous_file_number"] = None
            rep["amendment_indicator"] = "N"
        return reports, index

    def _file_number(self) -> int:
        self.next_file_number += 1
        return self.next_file_number

    def amend_reports(self, world, table, reports, index):
        """Refile ~4% of candidate reports. The first filing missed a tenth of its itemized gifts;
        both filings' rows stay in the itemized file, as they do in the API."""
        r = self.rng
        cand_cmtes = {i for i, c in enumerate(world.committees) if c.kind == "candidate"}
        gift = (table["memo_code"] != "X") & np.isin(table["receipt_type"], ["15", "15E"]) & (table["amount"] > 0)
        gift_rows = np.flatnonzero(gift)
        n_per = int(table["period"].max()) + 1
        report_key = (table["cmte"] * n_per + table["period"])[gift_rows]
        order = np.argsort(report_key, kind="stable")
        gift_rows, report_key = gift_rows[order], report_key[order]
        stale_rows = []
        for rep in list(reports):
            if rep["ci"] not in cand_cmtes or r.random() > 0.04:
                continue
            wanted = rep["ci"] * n_per + rep["pi"]
            rows = gift_rows[np.searchsorted(report_key, wanted):np.searchsorted(report_key, wanted, side="right")]
            if len(rows) < 5:
                continue
            missed = rows[r.random(len(rows)) < 0.1]
            if len(missed) == 0:
                missed = rows[:1]
            first_version = dict(rep)
            missed_cents = int(table["amount"][missed].sum())
            first_version["individual_itemized"] -= missed_cents
            first_version["receipts"] -= missed_cents
            first_version["cash_on_hand_end"] -= missed_cents
            first_version["file_number"] = rep["file_number"]
            rep["previous_file_number"] = rep["file_number"]
            rep["file_number"] = self._file_number() + 500_000
            rep["amendment_indicator"] = "A"
            reports.append(first_version)
            stale_rows.append((np.setdiff1d(rows, missed), first_version["file_number"]))
        return stale_rows

    # ---------------------------------------------------------------- truth
    def truth(self, world, table, reports, unitemized) -> pd.DataFrame:
        """What each candidate really raised, from the generator's own bookkeeping."""
        cmtes = world.committees
        superseded = {x["previous_file_number"] for x in reports if x["previous_file_number"]}
        rep = pd.DataFrame([x for x in reports if x["file_number"] not in superseded])
        cand_of_cmte = {}
        for c in world.candidates:
            cand_of_cmte[cmtes.index(c.principal)] = c.candidate_id
            if c.authorized:
                cand_of_cmte[cmtes.index(c.authorized)] = c.candidate_id
        rep = rep[rep.ci.isin(cand_of_cmte)].copy()
        rep["candidate_id"] = rep.ci.map(cand_of_cmte)
        last = rep.sort_values("pi").groupby("ci").tail(1)
        money = rep.groupby("candidate_id")[["receipts", "disbursements", "individual_itemized",
                                              "individual_unitemized", "individual_refunds",
                                              "transfers_from_authorized", "transfers_to_authorized"]].sum()
        money["cash_on_hand"] = last.groupby("candidate_id").cash_on_hand_end.sum()
        money["debts"] = last.groupby("candidate_id").debts_owed.sum()
        counted = (table["memo_code"] != "X") & np.isin(table["receipt_type"], ["15", "15E", "22Y"])
        in_cand = np.isin(table["cmte"], list(cand_of_cmte))
        sel = counted & in_cand
        rows = pd.DataFrame({"candidate_id": pd.Series(table["cmte"][sel]).map(cand_of_cmte).to_numpy(),
                             "amount": table["amount"][sel],
                             "earmarked": table["receipt_type"][sel] == "15E"})
        per_cand = rows.groupby("candidate_id").agg(itemized_net=("amount", "sum"), n_itemized=("amount", "size"))
        per_cand["earmarked"] = rows[rows.earmarked].groupby("candidate_id").amount.sum()
        out = pd.DataFrame({"candidate_id": [c.candidate_id for c in world.candidates]}).set_index("candidate_id")
        out = out.join(money).join(per_cand).fillna(0)
        out["receipts_net"] = out.receipts - out.transfers_from_authorized
        out["disbursements_net"] = out.disbursements - out.transfers_to_authorized
        out = out.reset_index()
        out.insert(1, "cycle", world.cycle)
        out["receipts_cents"] = out.receipts_net.astype(np.int64)
        return out

    # ---------------------------------------------------------------- writing
    def write_schedule_a(self, cycle, world, table, stale, reports, index, start, out: Path) -> int:
        cmtes = world.committees
        n = len(table["cmte"])
        rep_file = np.zeros((len(cmtes), len(period_bounds(cycle))), dtype=np.int64)
        rep_amend = np.full(rep_file.shape, "N", dtype=object)
        for rep in reports:
            if rep["amendment_indicator"] == "A" or rep["previous_file_number"] is None:
                if rep["amendment_indicator"] == "A" or rep_file[rep["ci"], rep["pi"]] == 0:
                    rep_file[rep["ci"], rep["pi"]] = rep["file_number"]
                    rep_amend[rep["ci"], rep["pi"]] = rep["amendment_indicator"]
        parts = [(np.arange(n), None)] + [(rows, f) for rows, f in stale]
        folder = out / "raw" / "schedule_a" / f"cycle={cycle}"
        folder.mkdir(parents=True, exist_ok=True)
        schema = contract.raw_arrow_schema("schedule_a", drop=("cycle",))
        periods = period_bounds(cycle)
        rtypes = np.array([p[1] for p in periods], dtype=object)
        ryears = np.array([p[0] for p in periods])
        cmte_ids = pa.array([c.committee_id for c in cmtes])
        writer = pq.ParquetWriter(folder / "demo.parquet", schema, compression="zstd")
        written = 0
        try:
            for rows, file_number in parts:
                for lo in range(0, len(rows), CHUNK_ROWS):
                    idx = rows[lo:lo + CHUNK_ROWS]
                    k = len(idx)
                    cm, per = table["cmte"][idx], table["period"][idx]
                    donor = pa.array(table["donor"][idx])
                    is_stale = file_number is not None
                    files = np.full(k, file_number) if is_stale else rep_file[cm, per]
                    amend = np.full(k, "N", object) if is_stale else rep_amend[cm, per]
                    sub = np.arange(self.next_sub_id, self.next_sub_id + k, dtype=np.int64)
                    self.next_sub_id += k
                    amount = table["amount"][idx]
                    ytd = self.ytd[idx]
                    org = table["donor_is_org"][idx]
                    names_ = _org_names(pc.take(self.donor_name, donor), org)
                    batch = pa.table({
                        "sub_id": pa.array(sub), "committee_id": pc.take(cmte_ids, pa.array(cm)),
                        "report_year": pa.array(ryears[per].astype(np.int32)),
                        "report_type": pa.array(rtypes[per], pa.string()),
                        "file_number": pa.array(files.astype(np.int64)),
                        "amendment_indicator": pa.array(amend, pa.string()),
                        "receipt_type": pa.array(table["receipt_type"][idx], pa.string()),
                        "line_number": pa.array(table["line"][idx], pa.string()),
                        "entity_type": pa.array(table["entity"][idx], pa.string()),
                        "contributor_name": names_,
                        "city": pc.take(self.donor_city, donor),
                        "state": pa.array(self.donor_state[table["donor"][idx]], pa.string()),
                        "zip": pc.take(self.donor_zip, donor),
                        "employer": pc.if_else(pa.array(org), pa.scalar(None, pa.string()), pc.take(self.donor_employer, donor)),
                        "occupation": pc.if_else(pa.array(org), pa.scalar(None, pa.string()), pc.take(self.donor_occupation, donor)),
                        "date": pa.array(np.datetime64(start, "D") + table["day"][idx].astype("timedelta64[D]")),
                        "amount": _cents_to_decimal(amount),
                        "aggregate_ytd": _cents_to_decimal(ytd),
                        "memo_code": _nullable(table["memo_code"][idx]),
                        "memo_text": _nullable(table["memo_text"][idx]),
                        "other_id": _nullable(table["other_id"][idx]),
                        "conduit_committee_id": _nullable(table["conduit"][idx]),
                        "transaction_id": pc.binary_join_element_wise(
                            "SA", pa.array(table["line"][idx], pa.string()), ".",
                            pc.cast(pa.array(sub % 10_000_000), pa.string()), ""),
                        "image_number": pa.nulls(k, pa.string()),
                    })
                    writer.write_table(batch.select(schema.names).cast(schema))
                    written += k
        finally:
            writer.close()
        return written

    def write_entities(self, world: CycleWorld, reports, out: Path):
        cycle = world.cycle
        cands = pd.DataFrame([dict(candidate_id=c.candidate_id, cycle=cycle, name=c.name, party=c.party,
                                   office=c.office, state=c.state, district=c.district,
                                   incumbent_challenge=c.incumbent_challenge, status="C",
                                   principal_committee_id=c.principal.committee_id, election_year=cycle)
                              for c in world.candidates])
        cmtes = pd.DataFrame([dict(committee_id=c.committee_id, cycle=cycle, name=c.name,
                                   committee_type=c.committee_type, designation=c.designation, party=c.party,
                                   state=c.state, candidate_id=c.candidate_id, filing_frequency=c.filing_frequency)
                              for c in world.committees])
        links = []
        for cand_id, eyear, fyear, cmte_id, ctype, dsgn in world.linkages:
            self.next_linkage_id += 1
            links.append(dict(candidate_id=cand_id, election_year=eyear, cycle=fyear, committee_id=cmte_id,
                              committee_type=ctype, designation=dsgn, linkage_id=self.next_linkage_id))
        reps = pd.DataFrame(reports).drop(columns=["ci", "pi"])
        for col in contract.RAW["reports"]:
            if contract.RAW["reports"][col] == contract.MONEY:
                reps[col] = reps[col].astype(np.int64)
        for name, frame in (("candidates", cands), ("committees", cmtes), ("linkages", pd.DataFrame(links)),
                            ("reports", reps)):
            folder = out / "raw" / name
            folder.mkdir(parents=True, exist_ok=True)
            _write_frame(frame, name, folder / f"demo-{cycle}.parquet")


def _fill(value, n):
    if isinstance(value, str):
        return np.full(n, value, object)
    return np.asarray(value, dtype=object)


def _org_names(names_: pa.Array, is_org: np.ndarray) -> pa.Array:
    """Partnerships file under a firm name made from the surname: 'ASHWICK HOLDINGS LLC'."""
    if not is_org.any():
        return names_
    surname = pc.utf8_split_whitespace(pc.replace_substring(names_, ",", " "))
    first = pc.list_element(surname, 0)
    firm = pc.binary_join_element_wise(first, " HOLDINGS LLC", "")
    return pc.if_else(pa.array(is_org), firm, names_)


def _nullable(values: np.ndarray) -> pa.Array:
    arr = pa.array(values, pa.string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _cents_to_decimal(cents: np.ndarray, precision: int = 14) -> pa.Array:
    """Exact int64 cents -> DECIMAL(precision, 2) without a detour through floats."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension into the high 64 bits
    return pa.Array.from_buffers(pa.decimal128(precision, 2), len(cents), [None, pa.py_buffer(words.tobytes())])


def _write_frame(frame: pd.DataFrame, table: str, path: Path):
    schema = contract.raw_arrow_schema(table)
    arrays = []
    for col in schema:
        values = frame[col.name]
        if pa.types.is_decimal(col.type):
            arrays.append(_cents_to_decimal(values.to_numpy(np.int64)))
        elif pa.types.is_date(col.type):
            arrays.append(pa.array(pd.to_datetime(values).dt.date, col.type))
        else:
            arrays.append(pa.array([None if pd.isna(v) else v for v in values], col.type))
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path, compression="zstd")


def _running_totals(n_donors: int, table: dict) -> np.ndarray:
    """contributor_aggregate_ytd: the donor's running total to that committee this cycle."""
    cm, donor, day, amount = table["cmte"], table["donor"], table["day"], table["amount"]
    counted = table["memo_code"] != "X"
    order = np.lexsort((day, donor, cm))
    amt = np.where(counted, amount, 0)[order]
    key = (cm * n_donors + donor)[order]
    running = np.cumsum(amt)
    starts = np.r_[True, key[1:] != key[:-1]]
    base = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
    before = np.r_[0, running][base]
    ytd = np.empty_like(amount)
    ytd[order] = running - before
    return np.where(counted, ytd, amount)


def generate(out_dir: Path, rows: int, seed: int, progress=None) -> dict:
    """Write the demo's raw tables and truth under out_dir, replacing earlier raw data."""
    progress = progress or (lambda msg: None)
    started = time.monotonic()
    out_dir = Path(out_dir)
    for sub in ("raw", "demo_truth"):
        shutil.rmtree(out_dir / sub, ignore_errors=True)
    (out_dir / "demo_truth").mkdir(parents=True)
    gen = DemoGenerator(rows, seed, progress)
    truths, total = [], 0
    for cycle in CYCLES:
        result = gen.generate_cycle(cycle, out_dir)
        truths.append(result["truth"])
        total += result["rows"]
    truth = pd.concat(truths, ignore_index=True)
    truth.to_parquet(out_dir / "demo_truth" / "candidates.parquet", index=False)
    return {"rows": total, "candidates": len(truth), "seconds": round(time.monotonic() - started, 1)}
