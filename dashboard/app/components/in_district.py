"""Money from inside the district, for House candidates (candidate page) and races (race page): the
share, or the low..high range when only ZCTA-district pairs without land areas are known, the method
in words, and the numbers as a table with its CSV (queries.in_district computes them)."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.app import labels, links
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import download_button
from dashboard.app.queries import in_district
from dashboard.core import geography

BREAKDOWN_COLUMNS = [
    Column("place", "Where donors live"),
    Column("amount", "Itemized money", labels.money, numeric=True),
    Column("share", "Share of money of known place", labels.share, numeric=True),
]
RACE_COLUMNS = [
    Column("name", "Candidate", link="candidate_path"),
    Column("party", "Party", labels.party),
    Column("itemized_amount", "Itemized money", labels.money, numeric=True, sort="descending"),
    Column("in_district_text", "From inside the district"),
    Column("unknown_amount", "Of unknown place", labels.money, numeric=True),
]
RACE_CSV = [
    "candidate_id",
    "name",
    "party",
    "itemized_amount",
    "in_district_amount",
    "in_district_share",
    "low_share",
    "high_share",
    "whole_amount",
    "split_amount",
    "outside_amount",
    "unknown_amount",
    "weighted",
    "congress",
]


def share_text(row) -> str:
    """'38.2%' with land-area weights, '12.0% to 47.5%' without; '-' when no money's place is known."""
    if row["weighted"]:
        return labels.share(row["in_district_share"])
    if pd.isna(row["low_share"]):
        return labels.share(None)
    return f"{labels.share(row['low_share'])} to {labels.share(row['high_share'])}"


def method_text(weighted: bool) -> str:
    return in_district.METHOD_WEIGHTED if weighted else in_district.METHOD_BOUNDS


def _lines_note(status: dict, cycle: int) -> str | None:
    """Which Congress's district lines placed the ZCTAs, when they are not the cycle's own."""
    if status.get("own_congress", True):
        return None
    congress = status["congress"]
    return (
        f"The {cycle} districts' own ZCTA relationship is not available: ZCTAs are placed in the districts of the "
        f"{congress}th Congress (the {geography.cycle_for_congress(congress)} election's lines), which can differ "
        "where a state redrew its map."
    )


def _unavailable(why: str):
    return html.P(["In-district money is not available for this snapshot: ", why], className="muted in-district-none")


def candidate_in_district_section(candidate_id: str, cycle: int, name: str, office: str, state: str, district: str):
    """The candidate page's section (House candidates only; None otherwise)."""
    if office != "H":
        return None
    seat = f"{state}-{district}"
    status = in_district.in_district_status(cycle)
    found = in_district.candidate_in_district(candidate_id, cycle) if status["available"] else pd.DataFrame()
    if found.empty:
        body = [_unavailable(status.get("why") or "no in-district figures were computed for this candidate.")]
    else:
        row = found.iloc[0]
        breakdown = in_district.candidate_in_district_breakdown(candidate_id, cycle)
        placed = row["itemized_amount"] - row["unknown_amount"]
        stats = [
            Stat(
                "From inside the district" if row["weighted"] else "From inside the district (range)",
                share_text(row),
                f"of itemized money of known place ({labels.money(placed)})",
            ),
            Stat(
                "In-district money",
                labels.money(row["in_district_amount"])
                if row["weighted"]
                else f"{labels.money(row['whole_amount'])} to {labels.money(row['whole_amount'] + row['split_amount'])}",
                f"donors living in {seat}",
            ),
            Stat("Of unknown place", labels.money(row["unknown_amount"]), "ZIP missing or with no ZCTA"),
        ]
        caption = f"Itemized money to {name} by where donors live, {seat}, {cycle}"
        body = [
            stat_cards(stats, label=f"In-district money of {name} in {cycle}"),
            table(breakdown, BREAKDOWN_COLUMNS, caption),
            download_button(
                "candidate-in-district",
                breakdown,
                ["place", "amount", "share"],
                f"candidate-{candidate_id}-{cycle}-in-district.csv",
            ),
        ]
    notes = [method_text(bool(status.get("weighted", True)))]
    if status["available"]:
        notes.append(_lines_note(status, cycle))
    return html.Section(
        [
            html.H2("Money from inside the district"),
            *body,
            *[html.P(n, className="muted in-district-method") for n in notes if n],
        ],
        id="in-district",
    )


def race_in_district_block(cycle: int, state: str, district: str):
    """The race page's block: every candidate's in-district share (House races only)."""
    status = in_district.in_district_status(cycle)
    frame = in_district.race_in_district(cycle, state, district) if status["available"] else pd.DataFrame()
    if frame.empty:
        return html.Div(
            [html.H2("Money from inside the district"), _unavailable(status.get("why") or "no figures for this race.")]
        )
    frame = frame.assign(
        in_district_text=[share_text(row) for _i, row in frame.iterrows()],
        candidate_path=[links.candidate_path(c, cycle) for c in frame["candidate_id"]],
    )
    caption = f"Itemized money from donors inside {state}-{district}, {cycle}"
    return html.Div(
        [
            html.H2("Money from inside the district"),
            table(frame, RACE_COLUMNS, caption),
            download_button("race-in-district", frame, RACE_CSV, f"race-{state}-{district}-{cycle}-in-district.csv"),
            *[
                html.P(n, className="muted in-district-method")
                for n in (method_text(bool(status.get("weighted"))), _lines_note(status, cycle))
                if n
            ],
        ],
        className="in-district",
    )
