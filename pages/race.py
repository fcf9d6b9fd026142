"""A race: every candidate for one seat in one cycle, with their money side by side.

Three addresses share this page: /race/house/<ST>/<DD>/<cycle>, /race/senate/<ST>/<cycle> and
/race/president/<cycle>.
"""
from __future__ import annotations

import dash
from dash import html

from dashboard import labels, links, validate
from dashboard.components.cards import Stat, stat_cards
from dashboard.components.cycle_picker import cycle_picker
from dashboard.components.errors import PageNotFound, friendly_layout
from dashboard.components.notes import methodology_note
from dashboard.components.shell import page
from dashboard.components.tables import Column
from dashboard.components.twin import chart_with_table
from dashboard.figures.races import race_candidates_bar
from dashboard.queries import races

CANDIDATE_COLUMNS = [
    Column("name", "Candidate", link="candidate_path"),
    Column("party", "Party", labels.party),
    Column("incumbent_challenge", "Status", labels.incumbency),
    Column("receipts", "Raised", labels.money, numeric=True),
    Column("disbursements", "Spent", labels.money, numeric=True),
    Column("cash_on_hand", "Cash on hand", labels.money, numeric=True),
    Column("debts", "Debts", labels.money, numeric=True),
    Column("coverage_end", "Data through", labels.date),
]
CANDIDATE_CSV = ["cycle", "office", "state", "district", "candidate_id", "name", "party",
                 "incumbent_challenge", "receipts", "disbursements", "cash_on_hand", "debts",
                 "coverage_start", "coverage_end"]


def race_stats(summary, candidates) -> list[Stat]:
    """Race totals from agg_district, or added up from the candidates if it has no row."""
    source = summary.iloc[0] if not summary.empty else candidates[
        ["receipts", "disbursements", "cash_on_hand"]].sum(min_count=1)
    return [
        Stat("Candidates", labels.count(len(candidates))),
        Stat("Raised by all candidates", labels.money(source["receipts"])),
        Stat("Spent", labels.money(source["disbursements"])),
        Stat("Cash on hand", labels.money(source["cash_on_hand"])),
    ]


def race_page(office: str, state: str | None, district: str | None, cycle: int):
    candidates = races.race_candidates(cycle, office, state, district)
    label = links.race_label(office, state, district)
    if candidates.empty:
        raise PageNotFound(f"No candidates filed for {label} in the {cycle} cycle.")
    summary = races.race_summary(cycle, office, state, district)
    coverage_end = labels.date(candidates["coverage_end"].max())
    slug = f"{office}-{state or 'US'}-{district or '00'}-{cycle}".lower()
    return page(
        html.H1(f"{label}, {cycle}"),
        cycle_picker(cycle, races.race_cycles(office, state, district),
                     lambda c: links.race_path(office, state, district, c)),
        stat_cards(race_stats(summary, candidates), label=f"Totals for {label}, {cycle}"),
        html.Section([
            html.H2("Candidates"),
            chart_with_table(
                "race-candidates", race_candidates_bar(candidates),
                candidates, CANDIDATE_COLUMNS, CANDIDATE_CSV, f"race-{slug}.csv",
                f"Money raised and spent by each candidate for {label}, {cycle}",
                table_open=True,
            ),
        ]),
        methodology_note("totals", coverage_end),
    )


def _title(label: str, cycle) -> str:
    return f"{label}, {cycle}" if str(cycle).isdigit() else label


@friendly_layout
def house(state=None, district=None, cycle=None, **_other_query):
    return race_page("H", validate.state(state), validate.district(district), validate.cycle(cycle))


@friendly_layout
def senate(state=None, cycle=None, **_other_query):
    return race_page("S", validate.state(state), None, validate.cycle(cycle))


@friendly_layout
def president(cycle=None, **_other_query):
    return race_page("P", None, None, validate.cycle(cycle))


dash.register_page(
    f"{__name__}_house", path_template="/race/house/<state>/<district>/<cycle>", layout=house,
    name="House race", title=lambda state="", district="", cycle="": _title(f"House {state}-{district}", cycle),
)
dash.register_page(
    f"{__name__}_senate", path_template="/race/senate/<state>/<cycle>", layout=senate,
    name="Senate race", title=lambda state="", cycle="": _title(f"Senate {state}", cycle),
)
dash.register_page(
    f"{__name__}_president", path_template="/race/president/<cycle>", layout=president,
    name="Presidential race", title=lambda cycle="": _title("President", cycle),
)
