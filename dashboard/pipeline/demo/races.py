"""Who runs: each cycle's races, their candidates and the candidates' own committees. House
incumbents run again (most of them) with their IDs and committees from the cycle before."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.core import fec
from dashboard.core.geography import SENATE_CLASS_STATES, house_districts
from dashboard.pipeline.demo import names
from dashboard.pipeline.demo.committees import MAJOR_PARTIES, MINOR_PARTIES, Committee, StandingCommittees
from dashboard.pipeline.demo.serials import Serials

# How much a candidate raises, relative to a House candidate, by office; and by standing.
OFFICE_FACTOR = {"H": 1.0, "S": 5.0, "P": 30.0}
STANDING_FACTOR = {"I": 1.8, "O": 1.2, "C": 0.8}
# The word campaigns put in their committee's name ("DEMO ALEX ASHWICK FOR CONGRESS").
CAMPAIGN_WORD = {"H": "CONGRESS", "S": "SENATE", "P": "PRESIDENT"}

# (state, district) of a House seat -> the candidate who holds it.
Incumbents = dict[tuple[str, str], "Candidate"]


@dataclass
class Candidate:
    candidate_id: str
    name: str  # "LAST, FIRST" as the FEC writes it
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
    """Everyone who files in one cycle. The order of `committees` is the index the money uses."""

    cycle: int
    candidates: list[Candidate] = field(default_factory=list)
    committees: list[Committee] = field(default_factory=list)
    # (candidate_id, election_year, cycle, committee_id, committee_type, designation)
    linkages: list[tuple] = field(default_factory=list)
    jfc_candidate: Candidate | None = None  # whom the joint fundraiser raises for

    def link(self, candidate_id: str, committee: Committee, committee_type: str, designation: str):
        self.committees.append(committee)
        self.linkages.append(
            (candidate_id, self.cycle, self.cycle, committee.committee_id, committee_type, designation)
        )


def person_name(rng: np.random.Generator) -> tuple[str, str]:
    last = (
        names.SURNAME_HEADS[rng.integers(len(names.SURNAME_HEADS))]
        + names.SURNAME_TAILS[rng.integers(len(names.SURNAME_TAILS))]
    )
    first = names.GIVEN_NAMES[rng.integers(len(names.GIVEN_NAMES))]
    return last, first


def seats(office: str, cycle: int) -> list[tuple[str, str]]:
    """(state, district) of every race for an office in a cycle."""
    if office == "H":
        return house_districts()
    if office == "S":
        return [(s, "00") for s in SENATE_CLASS_STATES[cycle]]
    return [("US", "00")] if cycle % 4 == 0 else []


def make_world(
    rng: np.random.Generator, serials: Serials, cycle: int, standing: StandingCommittees, incumbents: Incumbents
) -> CycleWorld:
    world = CycleWorld(cycle)
    for office in fec.OFFICES:
        for state, district in seats(office, cycle):
            incumbent = incumbents.get((state, district)) if office == "H" else None
            if incumbent and rng.random() < 0.1:
                incumbent = None  # retirement: an open seat
            _make_race(rng, serials, world, office, state, district, incumbent)
    world.committees += standing.all()
    # The joint fundraiser raises for the best-funded Democratic Senate candidate of the cycle.
    senate_dems = [c for c in world.candidates if c.office == "S" and c.party == "DEM"]
    world.jfc_candidate = max(senate_dems, key=lambda c: c.weight)
    world.linkages.append((world.jfc_candidate.candidate_id, cycle, cycle, standing.jfc.committee_id, "N", "J"))
    return world


def _field_size(rng: np.random.Generator, office: str) -> int:
    if office == "P":
        return 6
    if office == "S":
        return int(rng.choice([2, 3, 4, 5, 6], p=[0.25, 0.3, 0.25, 0.12, 0.08]))
    return int(rng.choice([1, 2, 3, 4, 5, 6], p=[0.07, 0.38, 0.27, 0.14, 0.09, 0.05]))


def _parties(rng: np.random.Generator, field_size: int, incumbent: Candidate | None) -> list[str]:
    """The incumbent's party (or a coin toss) first, the other major party second, then a mix."""
    lean = "DEM" if rng.random() < 0.5 else "REP"
    parties = [incumbent.party if incumbent else lean]
    if field_size >= 2:
        parties.append("REP" if parties[0] == "DEM" else "DEM")
    for _ in range(field_size - len(parties)):
        roll = rng.random()
        parties.append(rng.choice(MAJOR_PARTIES) if roll < 0.55 else MINOR_PARTIES[int(rng.integers(3))])
    return parties


def _make_race(
    rng: np.random.Generator,
    serials: Serials,
    world: CycleWorld,
    office: str,
    state: str,
    district: str,
    incumbent: Candidate | None,
):
    for i, party in enumerate(_parties(rng, _field_size(rng, office), incumbent)):
        if i == 0 and incumbent:
            ici, name, cand_id = "I", incumbent.name, incumbent.candidate_id
        else:
            ici = "O" if (incumbent is None and office != "P") else "C"
            last, first = person_name(rng)
            name = f"{last}, {first}"
            cand_id = serials.candidate_id(office, world.cycle, state, district)
        rank = 1.0 if i < 2 else (0.3 if party in MAJOR_PARTIES else 0.06)
        weight = float(rng.lognormal(0, 0.9)) * OFFICE_FACTOR[office] * STANDING_FACTOR[ici] * rank
        if incumbent and i == 0:
            principal, authorized = incumbent.principal, incumbent.authorized
        else:
            principal, authorized = _campaign_committees(rng, serials, name, office, state, party, cand_id)
        cand = Candidate(
            cand_id,
            name,
            party,
            office,
            state,
            district,
            ici,
            principal,
            authorized,
            weight=weight,
            self_funder=bool(rng.random() < 0.07),
        )
        principal.weight = weight * (0.8 if authorized else 1.0)
        world.candidates.append(cand)
        world.link(cand_id, principal, office, "P")
        if authorized:
            authorized.weight = weight * 0.2
            world.link(cand_id, authorized, office, "A")
        if ici == "I" and rng.random() < 0.08:
            lpac = Committee(
                serials.committee_id(),
                f"DEMO {name.split(', ')[0]} LEADERSHIP PAC",
                "Q",
                "D",
                party,
                "DC",
                kind="leadership",
                weight=0.3,
            )
            world.link(cand_id, lpac, "Q", "D")


def _campaign_committees(
    rng: np.random.Generator, serials: Serials, name: str, office: str, state: str, party: str, cand_id: str
) -> tuple[Committee, Committee | None]:
    """A new candidate's principal committee and, for some, a second authorized one."""
    first_last = f"{name.split(', ')[1]} {name.split(', ')[0]}"
    principal = Committee(
        serials.committee_id(),
        f"DEMO {first_last} FOR {CAMPAIGN_WORD[office]}",
        office,
        "P",
        party,
        state if state != "US" else "DC",
        cand_id,
    )
    authorized = None
    if rng.random() < (0.12 if office == "H" else 0.3):
        authorized = Committee(
            serials.committee_id(), f"DEMO {first_last} VICTORY COMMITTEE", office, "A", party, principal.state, cand_id
        )
    return principal, authorized


def update_incumbents(incumbents: Incumbents, world: CycleWorld, raised: dict[str, int]):
    """The House candidate who raised the most in each race holds the seat next cycle."""
    by_race: dict[tuple, list[Candidate]] = {}
    for c in world.candidates:
        if c.office == "H":
            by_race.setdefault((c.state, c.district), []).append(c)
    for key, cands in by_race.items():
        incumbents[key] = max(cands, key=lambda c: raised.get(c.candidate_id, 0))
