"""The itemized receipts of one cycle, with the real data's traps in place: earmarked gifts filed
twice (the recipient's `15E` and the conduit's `24T`), refunds (`22Y`, positive as filed), partnership
gifts with memo attributions to the partners, and a joint fundraiser whose participants file memo
`15J` shares. Amounts are integer cents.

The rows are kept as one dict of equal-length numpy arrays (the "table"): committees and donors by
index into the cycle's committee list and the donor table, dates by day number of the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from dashboard.pipeline.demo.committees import StandingCommittees
from dashboard.pipeline.demo.donors import ROWS_OVERSAMPLE, Donors
from dashboard.pipeline.demo.periods import CycleCalendar
from dashboard.pipeline.demo.races import CycleWorld

MAX_CONTRIBUTION = {2022: 2900, 2024: 3300, 2026: 3500}
ITEMIZATION_THRESHOLD_CENTS = 200_00

GIFT_AMOUNTS = np.array([10, 25, 50, 100, 200, 250, 500, 1000, 2000, -1])  # -1: the maximum
GIFT_WEIGHTS = np.array([5, 16, 16, 16, 4, 11, 11, 10, 4, 5], dtype=float)
PAC_GIFT_AMOUNTS = np.array([250, 500, 1000, 2500, 5000])
JFC_GIFT_AMOUNTS = np.array([1000, 2500, 5000, 10000, 15000])

# Share of gifts to a candidate that arrive earmarked through a conduit, by party.
EARMARK_SHARE = {"DEM": 0.55, "REP": 0.35}

# The election each gift is for (TRANSACTION_PGI: 'P2024', 'G2024'). The demo holds every primary on
# the first Tuesday after the first Monday of June of the election year: gifts up to that day are for
# the primary, later ones for the general. Of a donor's gifts to a candidate before the primary, those
# past the per-election limit are designated to the general, as campaigns do; a few gifts after the
# primary retire its debt, and some filings leave the designation blank. Taken from the gift itself
# (donor and day), never from the random stream: the rest of the demo is what it was, and a conduit's
# copy of an earmarked gift carries the recipient's designation.
PRIMARY_DEBT_PERCENT = 4
BLANK_DESIGNATION_PERCENT = 3


@dataclass(eq=False)
class CycleMoney:
    table: dict[str, np.ndarray]  # the itemized rows
    unitemized: np.ndarray  # cents per (committee, period) given below the itemization threshold
    jfc_proceeds: np.ndarray  # cents per (committee, period) passed on by the joint fundraiser


class ItemizedRows:
    """Rows gathered as blocks of equal-length arrays and joined once, at the end."""

    def __init__(self):
        self.blocks: list[dict[str, np.ndarray]] = []

    def add(
        self,
        cmte,
        donor,
        day,
        amount,
        receipt_type,
        memo_code="",
        memo_text="",
        other="",
        conduit="",
        entity="IND",
        line="11AI",
        election=None,
    ):
        """`election`: the letter of each gift's election ('P', 'G'); by its date when not given."""
        n = len(cmte)
        self.blocks.append(
            {
                "cmte": np.asarray(cmte, np.int64),
                "donor": np.asarray(donor, np.int64),
                "day": np.asarray(day, np.int64),
                "amount": np.asarray(amount, np.int64),
                "receipt_type": np.full(n, receipt_type, object) if isinstance(receipt_type, str) else receipt_type,
                "memo_code": np.full(n, memo_code, object),
                "memo_text": _fill(memo_text, n),
                "other_id": _fill(other, n),
                "conduit": _fill(conduit, n),
                "entity": np.full(n, entity, object),
                "line": np.full(n, line, object),
                "election": np.full(n, "", object) if election is None else np.asarray(election, object),
            }
        )

    def table(self, calendar: CycleCalendar) -> dict[str, np.ndarray]:
        table = {k: np.concatenate([block[k] for block in self.blocks]) for k in self.blocks[0]}
        table["period"] = calendar.period_of_day[table["day"]]
        table["donor_is_org"] = table["entity"] == "ORG"
        table["election"] = _election_types(table, calendar)
        return table


def primary_day(calendar: CycleCalendar) -> int:
    """Day number (from the cycle's start) of the demo's primary (see the comment above PRIMARY_DEBT_PERCENT)."""
    june = date(calendar.cycle, 6, 1)
    first_monday = june + timedelta(days=(7 - june.weekday()) % 7)
    return (first_monday + timedelta(days=1) - calendar.start).days


def _gift_percentile(donor: np.ndarray, day: np.ndarray, salt: int) -> np.ndarray:
    """0..99, the same for every row of one donor's gifts of one day (a splitmix64 finalizer of both)."""
    x = donor.astype(np.uint64) * np.uint64(1_000_003) + day.astype(np.uint64) + np.uint64(salt << 40)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x % np.uint64(100)).astype(np.int64)


def _election_types(table: dict, calendar: CycleCalendar) -> np.ndarray:
    """'P<year>' / 'G<year>' per row, or None (a blank designation)."""
    letter = table["election"]
    by_date = np.where(table["day"] <= primary_day(calendar), "P", "G")
    letter = np.where(letter == "", by_date, letter)
    types = np.where(letter == "P", f"P{calendar.cycle}", f"G{calendar.cycle}").astype(object)
    types[_gift_percentile(table["donor"], table["day"], 1) < BLANK_DESIGNATION_PERCENT] = None
    return types


def _candidate_designations(g: dict[str, np.ndarray], calendar: CycleCalendar, cycle: int) -> np.ndarray:
    """The election letter of each gift to a candidate (see the comment above PRIMARY_DEBT_PERCENT)."""
    primary = g["day"] <= primary_day(calendar)
    # Each donor's running total to the committee before the primary, in date order.
    order = np.lexsort((g["day"], g["donor"], g["cmte"]))
    cmte, donor = g["cmte"][order], g["donor"][order]
    amount = np.where(primary, g["amount"], 0)[order]
    first = np.r_[True, (cmte[1:] != cmte[:-1]) | (donor[1:] != donor[:-1])]
    start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
    running = np.cumsum(amount)
    running_in_pair = running - running[start] + amount[start]
    over = np.empty(len(order), bool)
    over[order] = running_in_pair > MAX_CONTRIBUTION[cycle] * 100
    debt = ~primary & (_gift_percentile(g["donor"], g["day"], 2) < PRIMARY_DEBT_PERCENT)
    return np.where((primary & ~over) | debt, "P", "G").astype(object)


def _fill(value, n):
    if isinstance(value, str):
        return np.full(n, value, object)
    return np.asarray(value, dtype=object)


def draw_amounts(
    rng: np.random.Generator, count: int, cycle: int, menu=GIFT_AMOUNTS, weights=GIFT_WEIGHTS
) -> np.ndarray:
    menu = np.where(menu < 0, MAX_CONTRIBUTION[cycle], menu)
    dollars = menu[rng.choice(len(menu), size=count, p=weights / weights.sum())].astype(np.int64) * 100
    odd = rng.random(count) < 0.12  # some gifts are not round numbers
    odd_cents = np.clip(np.round(rng.lognormal(4.5, 1.0, size=count) * 100), 500, MAX_CONTRIBUTION[cycle] * 100)
    return np.where(odd, odd_cents.astype(np.int64), dollars)


def itemize(
    rng: np.random.Generator,
    world: CycleWorld,
    standing: StandingCommittees,
    donors: Donors,
    calendar: CycleCalendar,
    target: int,
) -> CycleMoney:
    """The cycle's itemized rows, about `target` of them. The order of the draws is part of the
    demo's output: the same seed must give the same files."""
    rows = ItemizedRows()
    unitemized = _gifts_to_candidates(rng, world, standing, donors, calendar, target, rows)
    _partnership_gifts(rng, world, donors, calendar, target, rows)
    _gifts_to_pacs_and_parties(rng, world, donors, calendar, target, rows)
    jfc_proceeds = _joint_fundraiser(rng, world, standing, donors, calendar, target, rows)
    return CycleMoney(rows.table(calendar), unitemized, jfc_proceeds)


def _draw_candidate_gifts(
    rng: np.random.Generator, world: CycleWorld, donors: Donors, calendar: CycleCalendar, n: int
) -> dict[str, np.ndarray]:
    """Gifts to candidate committees, before the itemization threshold is applied."""
    cmtes = [c for c in world.committees if c.kind == "candidate"]
    weights = np.array([c.weight for c in cmtes])
    counts = rng.multinomial(n, weights / weights.sum())
    cmte_of = {c.committee_id: i for i, c in enumerate(world.committees)}
    cmte_idx = np.repeat(np.array([cmte_of[c.committee_id] for c in cmtes]), counts)
    donor = np.empty(n, dtype=np.int64)
    pos = 0
    for c, k in zip(cmtes, counts):
        if k == 0:
            continue
        home = rng.random(k) < (0.6 if c.committee_type == "H" else 0.45)
        d = donors.pick(rng, k)
        if donors.lives_in(c.state) and c.committee_type != "P":
            d[home] = donors.pick_home(rng, c.state, int(home.sum()))
        # Repeat givers: a third of gifts come from someone who already gave to this committee.
        repeat = rng.random(k) < 0.33
        repeat[0] = False
        earlier = (rng.random(k) * np.arange(k)).astype(np.int64)
        d[repeat] = d[earlier[repeat]]
        donor[pos : pos + k] = d
        pos += k
    day = calendar.draw_days(rng, n)
    amount = draw_amounts(rng, n, world.cycle)
    return {"cmte": cmte_idx, "donor": donor, "day": day, "amount": amount}


def _gifts_to_candidates(
    rng,
    world: CycleWorld,
    standing: StandingCommittees,
    donors: Donors,
    calendar: CycleCalendar,
    target: int,
    rows: ItemizedRows,
) -> np.ndarray:
    """Gifts to candidates, earmarked ones also itemized by their conduit, and a few refunds.
    Returns the money that stayed below the itemization threshold, per (committee, period)."""
    cmtes = world.committees
    g = _draw_candidate_gifts(rng, world, donors, calendar, int(target * 0.80 * ROWS_OVERSAMPLE))
    election = _candidate_designations(g, calendar, world.cycle)
    party = np.array([(c.party or "") for c in cmtes])[g["cmte"]]
    earmark_p = np.select([party == "DEM", party == "REP"], [EARMARK_SHARE["DEM"], EARMARK_SHARE["REP"]], 0.12)
    earmarked = rng.random(len(party)) < earmark_p
    conduit_is_red = (party == "REP") | (party == "LIB")
    # Itemization: a donor is itemized once their gifts to the committee pass $200.
    key = g["cmte"] * donors.count + g["donor"]
    _uniq, inverse = np.unique(key, return_inverse=True)
    total_by_pair = np.bincount(inverse, weights=g["amount"])
    itemized = total_by_pair[inverse] > ITEMIZATION_THRESHOLD_CENTS
    period = calendar.period_of_day[g["day"]]
    unitemized = np.zeros((len(cmtes), calendar.n_periods), dtype=np.int64)
    np.add.at(unitemized, (g["cmte"][~itemized], period[~itemized]), g["amount"][~itemized])

    cmte_ids = np.array([c.committee_id for c in cmtes])
    earmarked_for = np.array([f"EARMARKED FOR {c.name} ({c.committee_id})" for c in cmtes], dtype=object)
    blue, red = standing.conduits["BLUE"], standing.conduits["RED"]
    conduit_idx = np.where(conduit_is_red, cmtes.index(red), cmtes.index(blue))
    conduit_id = np.where(conduit_is_red, red.committee_id, blue.committee_id)
    ear = itemized & earmarked
    plain = itemized & ~earmarked
    rows.add(g["cmte"][plain], g["donor"][plain], g["day"][plain], g["amount"][plain], "15", election=election[plain])
    rows.add(
        g["cmte"][ear],
        g["donor"][ear],
        g["day"][ear],
        g["amount"][ear],
        "15E",
        memo_text=np.where(conduit_is_red[ear], f"EARMARKED THROUGH {red.name}", f"EARMARKED THROUGH {blue.name}"),
        other=conduit_id[ear],
        conduit=conduit_id[ear],
        election=election[ear],
    )
    # The conduit itemizes every earmarked gift, itemized by the recipient or not.
    rows.add(
        conduit_idx[earmarked],
        g["donor"][earmarked],
        g["day"][earmarked],
        g["amount"][earmarked],
        "24T",
        memo_text=earmarked_for[g["cmte"][earmarked]],
        other=cmte_ids[g["cmte"][earmarked]],
        election=election[earmarked],
    )
    # Refunds of some itemized gifts, a few weeks later, filed as the FEC's files carry them: positive.
    kept_idx = np.flatnonzero(itemized)
    ref = kept_idx[rng.random(len(kept_idx)) < 0.012]
    ref_day = np.minimum(g["day"][ref] + rng.integers(5, 60, size=len(ref)), calendar.n_days - 1)
    ref_amount = np.minimum(g["amount"][ref], (rng.integers(1, 4, size=len(ref)) * 25_000))
    # a refund is of the gift's election
    rows.add(g["cmte"][ref], g["donor"][ref], ref_day, ref_amount, "22Y", line="20A", election=election[ref])
    return unitemized


def _partnership_gifts(
    rng, world: CycleWorld, donors: Donors, calendar: CycleCalendar, target: int, rows: ItemizedRows
):
    """The firm's row counts; the partners' attribution rows are memos."""
    n_llc = max(2, target // 400)
    cand_cmte_idx = np.array([i for i, c in enumerate(world.committees) if c.kind == "candidate"])
    llc_cmte = cand_cmte_idx[rng.integers(len(cand_cmte_idx), size=n_llc)]
    llc_day = calendar.draw_days(rng, n_llc)
    llc_amount = rng.integers(5, 21, size=n_llc) * 100_00
    llc_donor = donors.pick(rng, n_llc)
    rows.add(llc_cmte, llc_donor, llc_day, llc_amount, "15", entity="ORG")
    for share in (0.5, 0.5):
        rows.add(
            llc_cmte,
            donors.pick(rng, n_llc),
            llc_day,
            (llc_amount * share).astype(np.int64),
            "15",
            memo_code="X",
            memo_text="PARTNERSHIP ATTRIBUTION",
        )


def _gifts_to_pacs_and_parties(
    rng, world: CycleWorld, donors: Donors, calendar: CycleCalendar, target: int, rows: ItemizedRows
):
    """Itemized in full: they are at least $250."""
    cmtes = world.committees
    others = [i for i, c in enumerate(cmtes) if c.kind in ("pac", "party", "leadership")]
    ow = np.array([cmtes[i].weight for i in others])
    n_other = int(target * 0.14)
    o_cmte = np.array(others)[rng.choice(len(others), size=n_other, p=ow / ow.sum())]
    o_donor = donors.pick(rng, n_other)
    o_day = calendar.draw_days(rng, n_other)
    o_amount = draw_amounts(rng, n_other, world.cycle, PAC_GIFT_AMOUNTS, np.ones(len(PAC_GIFT_AMOUNTS)))
    rows.add(o_cmte, o_donor, o_day, o_amount, "15")


def _joint_fundraiser(
    rng,
    world: CycleWorld,
    standing: StandingCommittees,
    donors: Donors,
    calendar: CycleCalendar,
    target: int,
    rows: ItemizedRows,
) -> np.ndarray:
    """The joint fundraiser itemizes each gift; each participant files a 15J memo of its share.
    Returns the shares passed on, per (committee, period)."""
    cmtes, jfc = world.committees, standing.jfc
    n_jfc = max(10, int(target * 0.01))
    jfc_i = cmtes.index(jfc)
    cand_i = cmtes.index(world.jfc_candidate.principal)
    party_i = cmtes.index(standing.jfc_party)
    j_donor = donors.pick(rng, n_jfc)
    j_day = calendar.draw_days(rng, n_jfc)
    j_amount = draw_amounts(rng, n_jfc, world.cycle, JFC_GIFT_AMOUNTS, np.ones(len(JFC_GIFT_AMOUNTS)))
    cand_share = np.minimum(j_amount, MAX_CONTRIBUTION[world.cycle] * 100)
    rows.add(np.full(n_jfc, jfc_i), j_donor, j_day, j_amount, "15")
    rows.add(
        np.full(n_jfc, cand_i),
        j_donor,
        j_day,
        cand_share,
        "15J",
        memo_code="X",
        line="12",
        memo_text=f"JFC ALLOCATION: {jfc.name}",
        other=jfc.committee_id,
    )
    party_share = j_amount - cand_share
    has_party = party_share > 0
    rows.add(
        np.full(int(has_party.sum()), party_i),
        j_donor[has_party],
        j_day[has_party],
        party_share[has_party],
        "15J",
        memo_code="X",
        line="12",
        memo_text=f"JFC ALLOCATION: {jfc.name}",
        other=jfc.committee_id,
    )
    period_of_day = calendar.period_of_day
    proceeds = np.zeros((len(cmtes), calendar.n_periods), dtype=np.int64)
    np.add.at(proceeds, (np.full(n_jfc, cand_i), period_of_day[j_day]), cand_share)
    np.add.at(
        proceeds, (np.full(int(has_party.sum()), party_i), period_of_day[j_day[has_party]]), party_share[has_party]
    )
    return proceeds


def running_totals(n_donors: int, table: dict) -> np.ndarray:
    """contributor_aggregate_ytd: the donor's running total to that committee this cycle."""
    cm, donor, day, amount = table["cmte"], table["donor"], table["day"], table["amount"]
    counted = table["memo_code"] != "X"
    order = np.lexsort((day, donor, cm))
    signed = np.where(table["receipt_type"] == "22Y", -amount, amount)  # a refund takes money back
    amt = np.where(counted, signed, 0)[order]
    key = (cm * n_donors + donor)[order]
    running = np.cumsum(amt)
    starts = np.r_[True, key[1:] != key[:-1]]
    base = np.maximum.accumulate(np.where(starts, np.arange(len(key)), 0))
    before = np.r_[0, running][base]
    ytd = np.empty_like(amount)
    ytd[order] = running - before
    return np.where(counted, ytd, amount)
