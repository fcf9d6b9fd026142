"""A committee: what it is and whose it is; for a PAC or party, what it raised, spent and kept; and,
when it spent money for or against candidates on its own (independent expenditures), where: by race,
by candidate, for or against, over time; and the donors it shares with any other committee
(?compare=<committee ID or name>). Search results of committees with no candidate lead here."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.app import labels, links
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.donors import overlap_section
from dashboard.app.components.errors import PageNotFound, friendly_layout, titled
from dashboard.app.components.outside import (
    DAILY_COLUMNS,
    DAILY_CSV,
    NOTICE_HEADER,
    dates,
    no_outside,
    outside_cards,
    outside_note,
    unmatched_list,
)
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import chart_with_table, download_button
from dashboard.app.figures.money_over_time import candidate_label
from dashboard.app.figures.outside import cumulative_for_against, for_against_bars, side_word
from dashboard.app.queries import committees, outside
from dashboard.core import fec, params


def _subject(committee_id: str = "", cycle=None, **_query) -> str:
    """The tab's title, the committee's name; raises as the layout does for an address that names no
    committee or a cycle it did not file in (the shell's 400 or 404: errors.http_status)."""
    committee_id = params.committee_id(committee_id)
    rows = committees.committee_cycles(committee_id)
    if rows.empty:
        raise PageNotFound(f"There is no committee {committee_id} in this data.")
    if cycle not in (None, "") and rows[rows["cycle"] == params.cycle(cycle)].empty:
        raise PageNotFound(f"Committee {committee_id} did not file in the {cycle} cycle.")
    return f"{rows.iloc[0]['name']} (committee {committee_id})"


dash.register_page(
    __name__,
    path_template="/committee/<committee_id>",
    name="Committee",
    title=titled(_subject, "Committee"),
    check=_subject,
    description="A political committee's money by cycle as reported to the FEC, who it works for, and the "
    "outside money it spent for and against candidates.",
)

# Short words for the table; captions and cards say it in full (labels.committee_totals_source).
TOTALS_SOURCE_WORDS = {"summary": "FEC committee totals", "reports": "Sum of its reports"}
TOTALS_COLUMNS = [
    Column("cycle", "Cycle", link="cycle_path"),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
    Column("disbursements", "Spent", labels.money_cents, numeric=True),
    Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
    Column("debts", "Debts", labels.money_cents, numeric=True),
    Column("individual_contributions", "From individuals", labels.money_cents, numeric=True),
    Column("independent_expenditures", "Independent expenditures (as reported)", labels.money_cents, numeric=True),
    Column("coverage_end", "Data through", labels.date),
    Column("totals_source", "Source", lambda code: TOTALS_SOURCE_WORDS.get(code, "-")),
]
TOTALS_CSV = [
    "cycle",
    "receipts",
    "disbursements",
    "cash_on_hand",
    "debts",
    "individual_contributions",
    "independent_expenditures",
    "coverage_end",
    "totals_source",
]
BY_RACE_COLUMNS = [
    Column("race_label", "Race", link="race_path"),
    Column("support_oppose", "For or against its candidates", lambda code: side_word(code).capitalize()),
    Column("amount", "Amount (regular reports)", labels.money_cents, numeric=True),
    Column("n", "Expenditures", labels.count, numeric=True),
    Column("candidates", "Candidates", labels.count, numeric=True),
    Column("notice_amount", NOTICE_HEADER, labels.money_cents, numeric=True),
    Column("first_date", "First", labels.date),
    Column("last_date", "Last", labels.date),
]
BY_RACE_CSV = [
    "cycle",
    "office",
    "state",
    "district",
    "support_oppose",
    "amount",
    "n",
    "candidates",
    "notice_amount",
    "first_date",
    "last_date",
]
BY_CANDIDATE_COLUMNS = [
    Column("name", "Candidate", link="candidate_path"),
    Column("party", "Party", labels.party),
    Column("race_label", "Race", link="race_path"),
    Column("support_oppose", "For or against", lambda code: side_word(code).capitalize()),
    Column("amount", "Amount (regular reports)", labels.money_cents, numeric=True),
    Column("n", "Expenditures", labels.count, numeric=True),
    Column("notice_amount", NOTICE_HEADER, labels.money_cents, numeric=True),
    Column("first_date", "First", labels.date),
    Column("last_date", "Last", labels.date),
]
BY_CANDIDATE_CSV = [
    "cycle",
    "candidate_id",
    "name",
    "party",
    "office",
    "state",
    "district",
    "in_race",
    "support_oppose",
    "amount",
    "n",
    "notice_amount",
    "first_date",
    "last_date",
]


@friendly_layout
def layout(committee_id=None, cycle=None, compare=None, **_other_query):
    committee_id = params.committee_id(committee_id)
    rows = committees.committee_cycles(committee_id)
    if rows.empty:
        raise PageNotFound(f"There is no committee {committee_id} in this data.")
    if cycle not in (None, ""):
        chosen = rows[rows["cycle"] == params.cycle(cycle)]
        if chosen.empty:
            raise PageNotFound(f"Committee {committee_id} did not file in the {cycle} cycle.")
        row = chosen.iloc[0]
    else:
        row = rows.iloc[0]  # newest cycle
    cycle = int(row["cycle"])
    kind = fec.committee_kind(row["committee_type"], row["designation"])
    return page(
        html.H1(row["name"]),
        _whose(row, kind, cycle),
        stat_cards(
            [
                Stat("FEC id", committee_id),
                Stat("Kind", kind),
                Stat("Designation", labels.designation(row["designation"])),
                Stat("Party", labels.party(row["party"])),
                Stat("Cycle", str(cycle)),
            ],
            label="Committee facts",
        ),
        totals_section(committee_id, row["name"], cycle, set(int(c) for c in rows["cycle"])),
        html.Section([html.H2("Donors"), overlap_section("committee", committee_id, row["name"], cycle, compare)]),
        spender_section(committee_id, row["name"], cycle, set(int(c) for c in rows["cycle"])),
    )


def totals_section(committee_id: str, name: str, cycle: int, committee_cycles: set[int]):
    """What a committee that is no candidate's own raised, spent and kept: cards for the cycle shown
    (with where the figures come from and the date they run through) and every cycle as a table."""
    totals = committees.committee_totals(committee_id)
    if totals.empty:
        return None
    totals["cycle_path"] = [
        links.committee_path(committee_id, int(c)) if int(c) in committee_cycles and int(c) != cycle else None
        for c in totals["cycle"]
    ]
    in_cycle = totals[totals["cycle"] == cycle]
    if in_cycle.empty:
        cards = [html.P(f"No source carries the totals of {name} for {cycle}.", className="muted")]
    else:
        shown = in_cycle.iloc[0]
        through = labels.date(shown["coverage_end"])
        source = labels.committee_totals_source(shown["totals_source"])
        reported = labels.money(shown["independent_expenditures"])
        cards = [
            stat_cards(
                [
                    Stat("Raised", labels.money(shown["receipts"]), f"All receipts through {through}"),
                    Stat("Spent", labels.money(shown["disbursements"]), f"All disbursements through {through}"),
                    Stat("Cash on hand", labels.money(shown["cash_on_hand"]), f"At the end of the report to {through}"),
                    Stat(
                        "Independent expenditures (as reported)",
                        reported,
                        "As the committee's totals report them"
                        if reported != "-"
                        else "Unknown: the reports' summaries loaded do not carry it",
                    ),
                ],
                label=f"Money of {name} in {cycle}",
            ),
            html.P(
                f"Source: {source}; data through {through}. Raised and spent are gross: money moved to "
                "and from other committees included.",
                className="muted",
            ),
        ]
    return html.Section(
        [
            html.H2("Raised and spent"),
            *cards,
            table(
                totals,
                TOTALS_COLUMNS,
                f"What {name} raised, spent and kept, per cycle (gross; cash and debts at the end of the latest "
                "report)",
            ),
            download_button("committee-totals", totals, TOTALS_CSV, f"committee-{committee_id}-totals.csv"),
        ]
    )


def spender_section(committee_id: str, name: str, cycle: int, committee_cycles: set[int]):
    """Where the committee spent for and against candidates on its own, when it ever did: by race,
    by candidate and over time in the cycle shown, or which cycles it spent in."""
    spent = outside.spender_outside_cycles(committee_id)
    if spent.empty:
        return None
    in_cycle = spent[spent["cycle"] == cycle]
    heading = html.H2("Outside spending: independent expenditures")
    if in_cycle.empty:
        others = [
            dcc.Link(str(c), href=links.committee_path(committee_id, c)) if c in committee_cycles else str(c)
            for c in spent["cycle"]
        ]
        return html.Section(
            [
                heading,
                no_outside(f"by {name} for or against candidates in {cycle}"),
                html.P(["It reported some in: ", *_joined(others), "."]),
            ]
        )
    totals = in_cycle.iloc[0]
    when = dates(totals["first_date"], totals["last_date"])
    by_race = outside.spender_outside_races(committee_id, cycle)
    by_candidate = outside.spender_outside_candidates(committee_id, cycle)
    by_candidate["candidate_label"] = [
        candidate_label(n, p) for n, p in zip(by_candidate["name"], by_candidate["party"])
    ]
    daily = outside.spender_outside_daily(committee_id, cycle)
    return html.Section(
        [
            heading,
            outside_cards(totals, f"Independent expenditures of {name} in {cycle}"),
            chart_with_table(
                "committee-outside-races",
                for_against_bars(by_race, "race_label", f"by {name} in a race of {cycle}"),
                by_race,
                BY_RACE_COLUMNS,
                BY_RACE_CSV,
                f"committee-{committee_id}-{cycle}-outside-by-race.csv",
                f"Where {name} spent for and against candidates, by race, {cycle} (regular reports; {when})",
            ),
            chart_with_table(
                "committee-outside-candidates",
                for_against_bars(by_candidate, "candidate_label", f"by {name} for or against a candidate in {cycle}"),
                by_candidate,
                BY_CANDIDATE_COLUMNS,
                BY_CANDIDATE_CSV,
                f"committee-{committee_id}-{cycle}-outside-by-candidate.csv",
                f"Candidates {name} spent for and against, {cycle} (regular reports; {when})",
            ),
            chart_with_table(
                "committee-outside-daily",
                cumulative_for_against(daily, f"by {name} in {cycle}", who=name),
                daily,
                DAILY_COLUMNS,
                DAILY_CSV,
                f"committee-{committee_id}-{cycle}-outside-by-day.csv",
                f"Independent expenditures of {name} for and against candidates to date, {cycle} ({when}; "
                "every expenditure, its candidate matched or not; notice-only money drawn apart)",
            ),
            unmatched_list(
                outside.spender_outside_unmatched(committee_id, cycle),
                f"Independent expenditures of {name} in {cycle} naming a candidate that no candidate matches",
                "committee-outside-unmatched",
                f"committee-{committee_id}-{cycle}-outside-unmatched.csv",
            ),
            outside_note(),
        ]
    )


def _joined(items: list) -> list:
    """[a, ', ', b, ', ', c]: links and words in a sentence."""
    joined = []
    for i, item in enumerate(items):
        joined += [", "] if i else []
        joined.append(item)
    return joined


def _whose(row, kind: str, cycle: int):
    """The committee's tie to its candidate, in words that say what it is ('Principal campaign
    committee of ...', 'Leadership PAC linked to ...', never 'Campaign committee of ...' for
    every kind), and whether its money is in the candidate's totals (only the candidate's own
    campaign committees' is)."""
    if not (isinstance(row["candidate_id"], str) and row["candidate_id"]):
        return None
    name = row["candidate_name"] if isinstance(row["candidate_name"], str) else row["candidate_id"]
    link = dcc.Link(name, href=links.candidate_path(row["candidate_id"], cycle))
    if row["in_totals"]:
        return html.P([f"{kind} of ", link, "; its money is in the candidate's totals."])
    return html.P([f"{kind} linked to ", link, "; its money is not in the candidate's totals."])
