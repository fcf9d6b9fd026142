"""Summary reports (the Form 3/3X pages) of one cycle: one per committee and period, agreeing with
the itemized rows plus the unitemized money, with cash carried from one period (and cycle) to the
next; then amendments, whose first versions stay in the files as they do at the FEC.

A report is a dict of the raw `reports` columns plus `ci` and `pi`: the committee's index in the
cycle's committee list and the period's index in the cycle's calendar."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.pipeline.demo.periods import CycleCalendar
from dashboard.pipeline.demo.races import CycleWorld
from dashboard.pipeline.demo.serials import Serials

# Unitemized (small-donor) money as a share of itemized money, by party.
UNITEMIZED_RATIO = {"DEM": 0.45, "REP": 0.32}
AMENDED_SHARE = 0.04  # of candidate committees' reports
AMENDMENT_FILE_NUMBER_GAP = 500_000  # amendments come later, with visibly later file numbers


@dataclass
class Balances:
    """Cash on hand and debts (cents) of each committee at the end of the last cycle generated."""

    cash: dict[str, int] = field(default_factory=dict)
    debts: dict[str, int] = field(default_factory=dict)


def make_reports(
    rng: np.random.Generator,
    world: CycleWorld,
    table: dict,
    unitemized: np.ndarray,
    jfc_proceeds: np.ndarray,
    calendar: CycleCalendar,
    balances: Balances,
    serials: Serials,
) -> list[dict]:
    """The cycle's reports, first filings all (amend_reports refiles some)."""
    itemized, refunds = _itemized_sums(world, table, calendar.n_periods)
    reports, index = _receipts_pages(rng, world, calendar, itemized, unitemized, refunds, jfc_proceeds)
    _transfers_between_own_committees(world, reports, index, calendar.n_periods)
    _cash_flow(rng, world, reports, index, calendar.n_periods, balances)
    for rep in reports:
        rep["file_number"] = serials.next_file_number()
        rep["previous_file_number"] = None
        rep["amendment_indicator"] = "N"
    return reports


def _itemized_sums(world: CycleWorld, table: dict, n_per: int) -> tuple[np.ndarray, np.ndarray]:
    """Itemized gifts and refunds (positive cents) per (committee, period), as a treasurer adds them."""
    n_cmte = len(world.committees)
    counts_money = table["memo_code"] != "X"
    amount, cm, per, rt = table["amount"], table["cmte"], table["period"], table["receipt_type"]
    gift = counts_money & (amount > 0) & np.isin(rt, ["15", "15E", "24T"])
    refund = counts_money & (rt == "22Y")
    itemized = np.zeros((n_cmte, n_per), dtype=np.int64)
    np.add.at(itemized, (cm[gift], per[gift]), amount[gift])
    refunds = np.zeros((n_cmte, n_per), dtype=np.int64)
    np.add.at(refunds, (cm[refund], per[refund]), amount[refund])
    return itemized, refunds


def _receipts_pages(
    rng, world: CycleWorld, calendar: CycleCalendar, itemized, unitemized, refunds, jfc_proceeds
) -> tuple[list[dict], dict[tuple[int, int], int]]:
    """Each report's receipts by source, and the index (ci, pi) -> position in the list; the totals
    and cash are worked out afterwards."""
    reports = []
    index = {}
    candidate_of = {c.principal.committee_id: c for c in world.candidates}
    candidate_of.update({c.authorized.committee_id: c for c in world.candidates if c.authorized})
    for ci, c in enumerate(world.committees):
        ratio = UNITEMIZED_RATIO.get(c.party or "", 0.25) if c.kind == "candidate" else 0.05
        cand = candidate_of.get(c.committee_id)
        for pi, (ryear, rtype, cstart, cend) in enumerate(calendar.periods):
            item = int(itemized[ci, pi])
            unit = int(unitemized[ci, pi]) + int(round(item * ratio * rng.uniform(0.6, 1.4) / 100)) * 100
            if c.kind == "conduit":
                unit = 0
            pac = party_money = cand_money = 0
            if c.kind == "candidate":
                pac_share = 0.5 if cand and cand.incumbent_challenge == "I" else 0.08
                pac = int(item * pac_share * rng.uniform(0.2, 1.2) / 100) * 100
                party_money = int(rng.integers(0, 5) * 1000_00) if rng.random() < 0.1 else 0
                if cand and cand.self_funder and pi in (0, 3, 5):
                    # Self-funders put in money on the scale of what they raise.
                    cand_money = int(max(item, 1000_00) * rng.uniform(0.3, 1.5) / 1000_00) * 1000_00
            other = int(jfc_proceeds[ci, pi])
            reports.append(
                dict(
                    ci=ci,
                    pi=pi,
                    committee_id=c.committee_id,
                    cycle=world.cycle,
                    report_year=ryear,
                    report_type=rtype,
                    coverage_start=cstart,
                    coverage_end=cend,
                    individual_itemized=item,
                    individual_unitemized=unit,
                    individual_refunds=int(refunds[ci, pi]),
                    other_committee_contributions=pac,
                    party_contributions=party_money,
                    candidate_contributions=cand_money,
                    other_receipts=other,
                    transfers_from_authorized=0,
                    transfers_to_authorized=0,
                    cash_on_hand_begin=0,
                    cash_on_hand_end=0,
                    debts_owed=0,
                    receipts=0,
                    disbursements=0,
                )
            )
            index[(ci, pi)] = len(reports) - 1
    return reports, index


def _transfers_between_own_committees(world: CycleWorld, reports, index, n_per: int):
    """A candidate's authorized committee passes most of what it raises to the principal one."""
    cmtes = world.committees
    for cand in world.candidates:
        if not cand.authorized:
            continue
        a, p = cmtes.index(cand.authorized), cmtes.index(cand.principal)
        for pi in range(n_per):
            ra, rp = reports[index[(a, pi)]], reports[index[(p, pi)]]
            moved = int(0.7 * (ra["individual_itemized"] + ra["individual_unitemized"]) / 100) * 100
            ra["transfers_to_authorized"] = moved
            rp["transfers_from_authorized"] = moved


def _cash_flow(rng, world: CycleWorld, reports, index, n_per: int, balances: Balances):
    """Receipts, disbursements, cash and debts, period by period, from last cycle's balances."""
    for ci, c in enumerate(world.committees):
        cash = balances.cash.get(c.committee_id)
        if cash is None:
            cash = int(rng.integers(50_000, 800_000) * 100) if c.kind != "candidate" else 0
        debts = balances.debts.get(c.committee_id, 0)
        for pi in range(n_per):
            rep = reports[index[(ci, pi)]]
            receipts = (
                rep["individual_itemized"]
                + rep["individual_unitemized"]
                + rep["other_committee_contributions"]
                + rep["party_contributions"]
                + rep["candidate_contributions"]
                + rep["other_receipts"]
                + rep["transfers_from_authorized"]
            )
            must_pay = rep["individual_refunds"] + rep["transfers_to_authorized"]
            shortfall = max(0, must_pay - (cash + receipts))
            if shortfall:  # a committee that owes refunds it cannot pay borrows the difference
                rep["other_receipts"] += shortfall
                receipts += shortfall
                debts += shortfall
            spendable = cash + receipts - must_pay
            share = 0.97 if c.kind == "conduit" else rng.uniform(0.35, 0.95)
            operating = int(spendable * share / 100) * 100
            disb = operating + must_pay
            rep.update(receipts=receipts, disbursements=disb, cash_on_hand_begin=cash)
            cash = cash + receipts - disb
            debts += int(rep["candidate_contributions"] * 0.6)
            rep.update(cash_on_hand_end=cash, debts_owed=debts)
        balances.cash[c.committee_id] = cash
        balances.debts[c.committee_id] = debts


def amend_reports(
    rng: np.random.Generator, world: CycleWorld, table: dict, reports: list[dict], serials: Serials
) -> list[tuple[np.ndarray, int]]:
    """Refile ~4% of candidate reports. The first filing missed a tenth of its itemized gifts;
    both filings' rows stay in the itemized file, as they do in the API. Appends the first
    versions to `reports` and returns, for each, (the table rows it itemized, its file number)."""
    cand_cmtes = {i for i, c in enumerate(world.committees) if c.kind == "candidate"}
    gift = (table["memo_code"] != "X") & np.isin(table["receipt_type"], ["15", "15E"]) & (table["amount"] > 0)
    gift_rows = np.flatnonzero(gift)
    n_per = int(table["period"].max()) + 1
    report_key = (table["cmte"] * n_per + table["period"])[gift_rows]
    order = np.argsort(report_key, kind="stable")
    gift_rows, report_key = gift_rows[order], report_key[order]
    stale_rows = []
    for rep in list(reports):
        if rep["ci"] not in cand_cmtes or rng.random() > AMENDED_SHARE:
            continue
        wanted = rep["ci"] * n_per + rep["pi"]
        rows = gift_rows[np.searchsorted(report_key, wanted) : np.searchsorted(report_key, wanted, side="right")]
        if len(rows) < 5:
            continue
        missed = rows[rng.random(len(rows)) < 0.1]
        if len(missed) == 0:
            missed = rows[:1]
        first_version = dict(rep)
        missed_cents = int(table["amount"][missed].sum())
        first_version["individual_itemized"] -= missed_cents
        first_version["receipts"] -= missed_cents
        first_version["cash_on_hand_end"] -= missed_cents
        rep["previous_file_number"] = rep["file_number"]
        rep["file_number"] = serials.next_file_number() + AMENDMENT_FILE_NUMBER_GAP
        rep["amendment_indicator"] = "A"
        reports.append(first_version)
        stale_rows.append((np.setdiff1d(rows, missed), first_version["file_number"]))
    return stale_rows
