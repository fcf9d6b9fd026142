"""Committees: what the generator knows of one, and the standing committees (conduits, parties,
PACs, the joint fundraiser) that keep their IDs from cycle to cycle. Candidates' own committees are
made with their races (races.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.core import fec
from dashboard.core.geography import STATES
from dashboard.pipeline.demo import names
from dashboard.pipeline.demo.serials import Serials

MAJOR_PARTIES = ("DEM", "REP")
MINOR_PARTIES = ("LIB", "GRE", "IND")
# States big enough to have a state party committee in the demo.
STATE_PARTY_STATES = ("CA", "TX", "FL", "NY", "PA", "OH", "GA", "MI", "NC", "AZ")


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
    weight: float = 0.0  # its share of the gifts drawn for committees of its kind
    kind: str = "candidate"  # candidate | pac | party | jfc | conduit | leadership | group (outside.py)


@dataclass
class StandingCommittees:
    """The committees that exist in every cycle, whoever runs."""

    conduits: dict[str, Committee]  # "BLUE" (Democrats' conduit), "RED" (Republicans' and Libertarians')
    parties: list[Committee]
    pacs: list[Committee]
    jfc: Committee

    def all(self) -> list[Committee]:
        return [*self.conduits.values(), *self.parties, *self.pacs, self.jfc]

    @property
    def jfc_party(self) -> Committee:
        """The party committee that shares in the joint fundraiser's proceeds."""
        return next(p for p in self.parties if "SENATORIAL" in p.name and p.party == "DEM")


def make_standing_committees(rng: np.random.Generator, serials: Serials) -> StandingCommittees:
    mk = serials.committee_id
    conduits = {
        "BLUE": Committee(mk(), "DEMO CONDUIT BLUE", "V", "U", None, "MA", kind="conduit", filing_frequency="M"),
        "RED": Committee(mk(), "DEMO CONDUIT RED", "V", "U", None, "VA", kind="conduit", filing_frequency="M"),
    }
    parties = []
    for party in MAJOR_PARTIES:
        word = fec.PARTY_NAMES[party].upper()
        for body in ("NATIONAL COMMITTEE", "CONGRESSIONAL CAMPAIGN COMMITTEE", "SENATORIAL CAMPAIGN COMMITTEE"):
            parties.append(
                Committee(
                    mk(), f"DEMO {word} {body}", "Y", "U", party, "DC", kind="party", weight=3.0, filing_frequency="M"
                )
            )
    for state in STATE_PARTY_STATES:
        for party in MAJOR_PARTIES:
            word = fec.PARTY_NAMES[party].upper()
            parties.append(
                Committee(
                    mk(),
                    f"DEMO {word} PARTY OF {STATES[state][1].upper()}",
                    "X",
                    "U",
                    party,
                    state,
                    kind="party",
                    weight=0.6,
                )
            )
    pacs = []
    for industry in names.PAC_INDUSTRIES:
        pacs.append(
            Committee(
                mk(), f"DEMO {industry} PAC", "Q", "B", None, "DC", kind="pac", weight=float(rng.lognormal(0, 0.8))
            )
        )
    for i, cause in enumerate(("FUTURE", "LIBERTY", "PROGRESS", "HERITAGE")):
        pacs.append(
            Committee(
                mk(),
                f"DEMO {cause} ACTION FUND (SUPER PAC)",
                "O",
                "U",
                MAJOR_PARTIES[i % 2],
                "DC",
                kind="pac",
                weight=2.0,
            )
        )
    jfc = Committee(mk(), "DEMO SENATE VICTORY FUND", "N", "J", "DEM", "DC", kind="jfc")
    return StandingCommittees(conduits, parties, pacs, jfc)
