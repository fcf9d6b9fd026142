"""Layout pieces of the outside-spending sections (race, candidate and committee pages): the table
columns, the cards, the notices kept apart, the empty state, the unmatched list and the note.

Money from 24/48-hour notices not yet in a regular report is always shown in its own column or
card, labelled, and never added to the regular reports' figures.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard.app import labels
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import download_button
from dashboard.app.figures.money_over_time import candidate_label
from dashboard.app.figures.outside import side_word
from dashboard.app.queries.outside import NOTICE_LABEL
from dashboard.core import fec

NOTICE_HEADER = "From 24/48-hour notices, not yet in a regular report"
NOTE = (
    "Outside money is what committees and groups other than the campaign spent for or against a "
    "candidate on their own (independent expenditures, FEC Schedule E). Each expenditure counts once: a "
    "24/48-hour notice gives way to the regular report that repeats it, an amendment replaces what it "
    "amends, memo lines are not added. Money is placed on the date the ad or mail went out "
    "(else the date it was spent). Money reported so far only in a 24/48-hour notice is shown apart, "
    f"labelled '{NOTICE_LABEL}', and is in no other figure."
)


def _for_against(code) -> str:
    return side_word(code).capitalize()


def _spender_type(code) -> str:
    return fec.SPENDER_TYPES.get(code, "-") if isinstance(code, str) else "-"


SPENDER_COLUMNS = [
    Column("rank", "Rank", numeric=True),
    Column("spender_name", "Spender", link="committee_path"),
    Column("spender_type", "Kind", _spender_type),
    Column("support_oppose", "For or against", _for_against),
    Column("amount", "Amount (regular reports)", labels.money_cents, numeric=True),
    Column("n", "Expenditures", labels.count, numeric=True),
    Column("notice_amount", NOTICE_HEADER, labels.money_cents, numeric=True),
    Column("first_date", "First", labels.date),
    Column("last_date", "Last", labels.date),
]
SPENDER_CSV = [
    "cycle",
    "candidate_id",
    "support_oppose",
    "rank",
    "committee_id",
    "spender_name",
    "spender_type",
    "amount",
    "n",
    "notice_amount",
    "first_date",
    "last_date",
]
DAILY_COLUMNS = [
    Column("date", "Date", labels.date),
    Column("support_oppose", "For or against", _for_against),
    Column("amount", "Amount that day", labels.money_cents, numeric=True),
    Column("n", "Expenditures", labels.count, numeric=True),
    Column("amount_to_date", "To date", labels.money_cents, numeric=True),
    Column("notice_amount", f"{NOTICE_HEADER}: that day", labels.money_cents, numeric=True),
    Column("notice_amount_to_date", f"{NOTICE_HEADER}: to date", labels.money_cents, numeric=True),
]
DAILY_CSV = ["date", "support_oppose", "amount", "n", "amount_to_date", "notice_amount", "notice_amount_to_date"]
UNMATCHED_COLUMNS = [
    Column("spender_name", "Spender"),
    Column("candidate_name", "Candidate as filed"),
    Column("candidate_office", "Office"),
    Column("candidate_state", "State"),
    Column("candidate_district", "District"),
    Column("support_oppose", "For or against", _for_against),
    Column("amount", "Amount (notices included)", labels.money_cents, numeric=True),
    Column("n", "Expenditures", labels.count, numeric=True),
    Column("reason", "Why it is not matched"),
]
UNMATCHED_CSV = [
    "cycle",
    "committee_id",
    "spender_name",
    "candidate_name",
    "candidate_office",
    "candidate_state",
    "candidate_district",
    "support_oppose",
    "amount",
    "n",
    "reason",
]


def no_outside(subject: str):
    """The empty state: 'No independent expenditures reported for or against ...'."""
    return html.P(f"No independent expenditures reported {subject}.", className="outside-empty")


def dates(first, last) -> str:
    """'expenditures dated 2024-09-01 to 2024-10-30': an outside figure's coverage."""
    return f"expenditures dated {labels.date(first)} to {labels.date(last)}"


def outside_cards(totals, label: str):
    """The cards of one row of for/against totals with its notice money split (candidate and spender
    summaries: support, oppose, notice_support, notice_oppose, first_date, last_date)."""
    return stat_cards(
        outside_stats(
            totals["support"],
            totals["oppose"],
            totals["notice_support"] + totals["notice_oppose"],
            totals["first_date"],
            totals["last_date"],
            notice_split=(totals["notice_support"], totals["notice_oppose"]),
        ),
        label=label,
    )


def outside_stats(support, oppose, notice_amount, first, last, notice_split: tuple | None = None) -> list[Stat]:
    """For, against (regular reports) and the notice-only money apart (`notice_split`: its for and
    against parts, when known), with the dates covered."""
    apart = "not yet in a regular report, in no other figure"
    if notice_split is not None:
        apart = f"{labels.money(notice_split[0])} for, {labels.money(notice_split[1])} against; {apart}"
    return [
        Stat("Outside money for", labels.money(support), "Regular reports"),
        Stat("Outside money against", labels.money(oppose), "Regular reports"),
        Stat("From 24/48-hour notices", labels.money(notice_amount), apart[0].upper() + apart[1:]),
        Stat("Expenditures dated", labels.date(first), f"to {labels.date(last)}"),
    ]


def unmatched_list(frame: pd.DataFrame, caption: str, name: str, filename: str):
    """Expenditures naming a candidate nobody (or several) matched: listed, never guessed."""
    if frame.empty:
        return None
    return html.Details(
        [
            html.Summary(f"{len(frame)} expenditure groups name a candidate we could not match"),
            html.P(
                "They are in no candidate's figures: no candidate of the cycle has the ID filed, or the "
                "name, office, state and district fit none (or several).",
                className="muted",
            ),
            table(frame, UNMATCHED_COLUMNS, caption),
            download_button(name, frame, UNMATCHED_CSV, filename),
        ]
    )


def timeline_rows(periods: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """The race timeline's numbers as one table, date by date: each candidate's receipts to date at
    each report's end, and the outside money for and against them to date (notice-only money in
    its own columns)."""
    raised = pd.DataFrame(
        {
            "date": periods["coverage_end"],
            "candidate_id": periods["candidate_id"],
            "candidate": [candidate_label(n, p) for n, p in zip(periods["name"], periods["party"])],
            "series": "raised (all receipts, at the report's end)",
            "amount": periods["receipts"],
            "amount_to_date": periods["receipts_to_date"],
        }
    )
    spent = pd.DataFrame(
        {
            "date": daily["date"],
            "candidate_id": daily["candidate_id"],
            "candidate": [candidate_label(n, p) for n, p in zip(daily["name"], daily["party"])],
            "series": [f"outside money {side_word(s)}" for s in daily["support_oppose"]],
            "amount": daily["amount"],
            "amount_to_date": daily["amount_to_date"],
            "notice_amount": daily["notice_amount"],
            "notice_amount_to_date": daily["notice_amount_to_date"],
        }
    )
    frames = [f for f in (raised, spent) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[*spent.columns])
    rows = pd.concat(frames, ignore_index=True).reindex(columns=spent.columns)
    rows["date"] = pd.to_datetime(rows["date"])
    return rows.sort_values(["date", "candidate", "series"], kind="stable").reset_index(drop=True)


TIMELINE_COLUMNS = [
    Column("date", "Date", labels.date),
    Column("candidate", "Candidate"),
    Column("series", "What"),
    Column("amount", "Amount (report or day)", labels.money_cents, numeric=True),
    Column("amount_to_date", "To date", labels.money_cents, numeric=True),
    Column("notice_amount", f"{NOTICE_HEADER}: that day", labels.money_cents, numeric=True),
    Column("notice_amount_to_date", f"{NOTICE_HEADER}: to date", labels.money_cents, numeric=True),
]
TIMELINE_CSV = [
    "date",
    "candidate_id",
    "candidate",
    "series",
    "amount",
    "amount_to_date",
    "notice_amount",
    "notice_amount_to_date",
]


def outside_note():
    return html.Aside(
        [html.P([html.Strong("Outside money: "), NOTE, " ", dcc.Link("How we count", href="/data#methodology")])],
        className="method-note",
    )
