"""Home: the national House map, the cycle's headline numbers and the races that raised the most."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.app import db, labels, links
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.committees_only import no_candidates_note
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.district_map import map_section
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column
from dashboard.app.components.twin import chart_with_table
from dashboard.app.figures.races import top_races_bar
from dashboard.app.queries import committees, home, maps, races
from dashboard.core import params

dash.register_page(
    __name__,
    path="/",
    name="Home",
    title="Campaign finance dashboard",
    check=lambda cycle=None, **_other_query: _check(cycle),  # the shell's 400 or 503 (errors.http_status)
    description="Money raised and spent in U.S. federal elections: the cycle's headline numbers, a map of "
    "every House district and the races that raised the most, from FEC filings.",
)

TOP_RACES = 10


def _check(cycle) -> None:
    """The page's cheap checks: a valid cycle (400) and a readable snapshot (503 when it is damaged)."""
    params.cycle(cycle)
    db.raise_if_damaged()


TOP_RACE_COLUMNS = [
    Column("race_label", "Race", link="race_path"),
    Column("n_candidates", "Candidates", numeric=True),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
    Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
    Column("leader_name", "Leader", link="leader_path"),
    Column("leader_party", "Leader's party", labels.party),
    Column("leader_share", "Leader's share", labels.share, numeric=True),
]
TOP_RACE_CSV = [
    "cycle",
    "office",
    "state",
    "district",
    "race_label",
    "n_candidates",
    "receipts",
    "disbursements",
    "cash_on_hand",
    "leader_candidate_id",
    "leader_name",
    "leader_party",
    "leader_receipts",
    "leader_share",
    "margin",
    "coverage_end",
]


def headline_stats(by_office) -> list[Stat]:
    """Money raised by each office's candidates, then how many candidates there are."""
    stats = [
        Stat(
            f"Raised by {labels.office(row.office)} candidates",
            labels.money_short(row.receipts),
            f"{labels.money_short(row.cash_on_hand)} cash on hand; "
            f"{row.n_reporting:,} of {row.n_candidates:,} candidates reporting",
        )
        for row in by_office.itertuples()
    ]
    counts = ", ".join(f"{row.n_candidates:,} {labels.office(row.office)}" for row in by_office.itertuples())
    stats.append(Stat("Candidates", labels.count(by_office["n_candidates"].sum()), counts))
    return stats


def house_map(cycle: int):
    """The hero: every House district coloured by money raised; the map page has the rest."""
    rows = maps.map_rows(cycle, "H")
    if not rows["has_race"].any():
        return None
    section, _view = map_section("home-map", cycle, "H", "receipts", "geo", None, rows)
    return html.Section(
        [
            html.H2("Money raised in every House district"),
            *section,
            html.P(
                [
                    "Click a district to open its race. ",
                    dcc.Link("Open the full map", href=links.map_path(cycle)),
                    ": other measures, a tile grid where every district is the same size, the Senate, "
                    "and every number in a table and a CSV.",
                ]
            ),
        ],
        **{"aria-label": "House district map"},
    )


@friendly_layout
def layout(cycle=None, **_other_query):
    cycle = params.cycle(cycle)
    cycles = home.cycles_available()
    # A cycle whose files name committees only is data too: offered, and explained.
    committees_only = committees.cycles_without_candidates()
    picker = cycle_picker(cycle, [*cycles, *committees_only], lambda c: links.with_cycle("/", c))
    if cycle not in cycles:
        return page(
            html.H1(f"Campaign money, {cycle} cycle"),
            picker,
            no_candidates_note(cycle, committees_only[cycle])
            if cycle in committees_only
            else html.P(f"This snapshot has no data for the {cycle} cycle. Pick one of the cycles above."),
        )
    by_office = home.headline_by_office(cycle)
    top = races.top_races(cycle, limit=TOP_RACES)
    top["leader_path"] = [
        links.candidate_path(c, cycle) if isinstance(c, str) else None for c in top["leader_candidate_id"]
    ]
    coverage_end = labels.date(by_office["coverage_end"].max()) if not by_office.empty else None
    return page(
        html.H1(f"Campaign money, {cycle} cycle"),
        picker,
        house_map(cycle),
        html.Section(
            [
                html.H2("Headline numbers"),
                stat_cards(headline_stats(by_office), label=f"Headline numbers for {cycle}"),
            ],
            **{"aria-label": "Headline numbers"},
        ),
        html.Section(
            [
                html.H2("Races that raised the most"),
                chart_with_table(
                    "top-races",
                    top_races_bar(top, cycle),
                    top,
                    TOP_RACE_COLUMNS,
                    TOP_RACE_CSV,
                    f"top-races-{cycle}.csv",
                    f"The {TOP_RACES} races that raised the most in the {cycle} cycle",
                    table_open=True,
                ),
            ]
        ),
        methodology_note("totals", coverage_end),
    )
