"""The right answers: what each candidate really raised and spent, from the generator's own
bookkeeping (current report versions only), and the outside money for and against each. Written to
`demo_truth/`; the builder's tests check its results against it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.pipeline.demo.races import CycleWorld


def candidate_truth(world: CycleWorld, table: dict, reports: list[dict]) -> pd.DataFrame:
    superseded = {x["previous_file_number"] for x in reports if x["previous_file_number"]}
    rep = pd.DataFrame([x for x in reports if x["file_number"] not in superseded])
    cand_of_cmte = candidate_of_committee(world)
    rep = rep[rep.ci.isin(cand_of_cmte)].copy()
    rep["candidate_id"] = rep.ci.map(cand_of_cmte)
    last = rep.sort_values("pi").groupby("ci").tail(1)
    money = rep.groupby("candidate_id")[
        [
            "receipts",
            "disbursements",
            "individual_itemized",
            "individual_unitemized",
            "individual_refunds",
            "transfers_from_authorized",
            "transfers_to_authorized",
        ]
    ].sum()
    money["cash_on_hand"] = last.groupby("candidate_id").cash_on_hand_end.sum()
    money["debts"] = last.groupby("candidate_id").debts_owed.sum()
    rows = counted_rows(world, table)
    per_cand = rows.groupby("candidate_id").agg(itemized_net=("amount", "sum"), n_itemized=("amount", "size"))
    per_cand["earmarked"] = rows[rows.earmarked].groupby("candidate_id").amount.sum()
    out = pd.DataFrame({"candidate_id": [c.candidate_id for c in world.candidates]}).set_index("candidate_id")
    out = out.join(money).join(per_cand).fillna(0)
    # Gross, as the FEC publishes candidate totals; net of the money moved between the candidate's own
    # committees (the generator moves it from one to the other, so transfers in equal transfers out).
    moved = np.minimum(out.transfers_from_authorized, out.transfers_to_authorized)
    out["receipts_net"] = out.receipts - moved
    out["disbursements_net"] = out.disbursements - moved
    out = out.reset_index()
    out.insert(1, "cycle", world.cycle)
    out["receipts_cents"] = out.receipts_net.astype(np.int64)
    return out


def candidate_of_committee(world: CycleWorld) -> dict[int, str]:
    """Index of each candidate's principal and authorized committee -> the candidate's ID."""
    cand_of_cmte = {}
    for c in world.candidates:
        cand_of_cmte[world.committees.index(c.principal)] = c.candidate_id
        if c.authorized:
            cand_of_cmte[world.committees.index(c.authorized)] = c.candidate_id
    return cand_of_cmte


def counted_rows(world: CycleWorld, table: dict) -> pd.DataFrame:
    """The itemized rows a candidate's donor money counts (no memos, no conduit copies; the money
    table holds no superseded rows): candidate_id, amount (cents; a refund negative), earmarked, donor."""
    cand_of_cmte = candidate_of_committee(world)
    counted = (table["memo_code"] != "X") & np.isin(table["receipt_type"], ["15", "15E", "22Y"])
    sel = counted & np.isin(table["cmte"], list(cand_of_cmte))
    return pd.DataFrame(
        {
            "candidate_id": pd.Series(table["cmte"][sel]).map(cand_of_cmte).to_numpy(),
            # a refund (filed positive) takes money back
            "amount": np.where(table["receipt_type"][sel] == "22Y", -table["amount"][sel], table["amount"][sel]),
            "earmarked": table["receipt_type"][sel] == "15E",
            "donor": table["donor"][sel],
        }
    )


def outside_truth(expenditures: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Outside spending as it should count (outside.py's bookkeeping: each expenditure once, at its
    final amount, regular or, when only a notice reports it so far, from the notice), per candidate,
    per spender, per day, and what names no candidate of the cycle. Amounts in cents."""
    exp = expenditures.assign(
        regular_cents=np.where(expenditures.from_notice, 0, expenditures.amount_cents),
        regular=~expenditures.from_notice,
        notice_cents=np.where(expenditures.from_notice, expenditures.amount_cents, 0),
    )
    matched = exp[exp.candidate_id.notna()]

    def split(keys: list[str]) -> pd.DataFrame:
        return (
            matched.groupby(keys)
            .agg(
                amount_cents=("regular_cents", "sum"),
                n=("regular", "sum"),
                notice_amount_cents=("notice_cents", "sum"),
                notice_n=("from_notice", "sum"),
            )
            .reset_index()
        )

    daily = (
        matched.groupby(["cycle", "candidate_id", "date", "support_oppose", "spender_type", "from_notice"])
        .agg(amount_cents=("amount_cents", "sum"), n=("amount_cents", "size"))
        .reset_index()
    )
    unmatched = (
        exp[exp.candidate_id.isna()]
        .groupby(
            [
                "cycle",
                "committee_id",
                "candidate_name",
                "candidate_office",
                "candidate_state",
                "candidate_district",
                "support_oppose",
            ],
            dropna=False,
        )
        .agg(amount_cents=("amount_cents", "sum"), n=("amount_cents", "size"))
        .reset_index()
    )
    return {
        "outside": split(["cycle", "candidate_id", "support_oppose"]),
        "outside_spenders": split(["cycle", "candidate_id", "committee_id", "support_oppose"]),
        "outside_daily": daily,
        "outside_unmatched": unmatched,
    }
