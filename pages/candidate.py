"""A candidate in one cycle: money raised, spent, cash and debts, and the committees counted."""
from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import labels, links, validate
from dashboard.components.cards import Stat, stat_cards
from dashboard.components.cycle_picker import cycle_picker
from dashboard.components.errors import PageNotFound, friendly_layout
from dashboard.components.notes import methodology_note
from dashboard.components.shell import page
from dashboard.components.tables import Column, table
from dashboard.components.twin import download_button
from dashboard.queries import candidates


def _title(candidate_id: str = "") -> str:
    clean = "".join(ch for ch in str(candidate_id).upper() if ch.isalnum())[:9]
    return f"Candidate {clean}" if clean else "Candidate"


dash.register_page(__name__, path_template="/candidate/<candidate_id>", name="Candidate",
                   title=_title)

COMMITTEE_COLUMNS = [
    Column("name", "Committee", link="committee_path"),
    Column("committee_id", "FEC id"),
    Column("designation", "Role", labels.designation),
    Column("in_totals", "Counted in totals", lambda counted: "Yes" if counted is True else "No"),
]
SUMMARY_CSV = ["candidate_id", "cycle", "name", "party", "office", "state", "district",
               "incumbent_challenge", "receipts", "disbursements", "cash_on_hand", "debts",
               "individual_itemized", "individual_unitemized", "individual_refunds",
               "other_committee_contributions", "party_contributions", "candidate_self",
               "transfers_from_authorized", "coverage_start", "coverage_end"]


def money_stats(summary) -> list[Stat]:
    reported = labels.date(summary["coverage_end"]) != "-"
    return [
        Stat("Raised", labels.money(summary["receipts"]), "All receipts, summary totals"),
        Stat("Spent", labels.money(summary["disbursements"]), "All disbursements"),
        Stat("Cash on hand", labels.money(summary["cash_on_hand"]), "At the end of the latest report"),
        Stat("Debts", labels.money(summary["debts"]), "Owed by the campaign"),
        Stat("Data through", labels.date(summary["coverage_end"]),
             f"Reports from {labels.date(summary['coverage_start'])}" if reported else "No reports yet"),
    ]


def who(summary) -> str:
    """'Republican · Challenger · House WA-08' in plain words."""
    race = links.race_label(summary["office"], summary["state"], summary["district"])
    return " · ".join([labels.party(summary["party"]), labels.incumbency(summary["incumbent_challenge"]), race])


def choose_cycle(candidate_id: str, cycle_param, cycles: list[int]) -> int:
    """The cycle in the URL, or else the candidate's latest one (not the site default, which
    the candidate may not have run in)."""
    if cycle_param not in (None, ""):
        return validate.cycle(cycle_param)
    if not cycles:
        raise PageNotFound(f"There is no candidate {candidate_id} in this data.")
    return cycles[-1]


@friendly_layout
def layout(candidate_id=None, cycle=None, **_other_query):
    candidate_id = validate.candidate_id(candidate_id)
    cycles = [int(c) for c in candidates.candidate_cycles(candidate_id)["cycle"]]
    cycle = choose_cycle(candidate_id, cycle, cycles)
    found = candidates.candidate_summary(candidate_id, cycle)
    if found.empty:
        raise PageNotFound(f"There is no candidate {candidate_id} in the {cycle} cycle"
                           + (f"; they ran in {', '.join(map(str, cycles))}." if cycles else "."))
    summary = found.iloc[0]
    committees = candidates.candidate_committees(candidate_id, cycle)
    committees["committee_path"] = [links.committee_path(c, cycle) for c in committees["committee_id"]]
    race_path = links.race_path(summary["office"], summary["state"], summary["district"], cycle)
    return page(
        html.H1(summary["name"]),
        html.P([who(summary), " · ", dcc.Link(f"See the whole race ({cycle})", href=race_path)],
               className="lede"),
        cycle_picker(cycle, cycles, lambda c: links.candidate_path(candidate_id, c)),
        html.Section([
            html.H2(f"Money in the {cycle} cycle"),
            stat_cards(money_stats(summary), label=f"Money of {summary['name']} in {cycle}"),
            download_button("candidate-summary", found, SUMMARY_CSV,
                            f"candidate-{candidate_id}-{cycle}.csv"),
        ]),
        html.Section([
            html.H2("Committees"),
            table(committees, COMMITTEE_COLUMNS, f"Committees of {summary['name']} in {cycle}",
                  empty="No committees are linked to this candidate for this cycle."),
        ]),
        methodology_note("totals", labels.date(summary["coverage_end"])),
    )
