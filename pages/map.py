"""The district map: every House district (or Senate race) coloured by money, as a map on Census
boundaries or as a tile grid, with the same numbers in a sortable table and a CSV.

/map?cycle=&office=house|senate&metric=&view=geo|hex&state=&sort=
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.app import labels, links
from dashboard.app.components.committees_only import no_candidates_note
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.district_map import map_section
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import download_button
from dashboard.app.components.view_links import view_links
from dashboard.app.figures import map_classes
from dashboard.app.queries import committees, home, maps
from dashboard.core import fec, geography, params

dash.register_page(__name__, path="/map", name="District map", title="District money map")

# The map draws House districts and Senate states; the presidency has no seats to map.
OFFICES = {fec.OFFICE_WORDS[code]: fec.OFFICE_NAMES[code] for code in ("H", "S")}
VIEWS = {"geo": "Map", "hex": "Tile grid"}
METRIC_NAMES = {key: metric.label for key, metric in map_classes.METRICS.items()}
SORTABLE = (
    "race_label",
    "n_candidates",
    "receipts",
    "cash_on_hand",
    "leader_share",
    "out_of_state_share",
    "small_share",
    "outside_amount",
    "outside_share",
    "in_district_share",
)
CSV_COLUMNS = [
    "cycle",
    "office",
    "state",
    "district",
    "geoid",
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
    "itemized_amount",
    "out_of_state_amount",
    "out_of_state_share",
    "small_amount",
    "small_share",
    "outside_amount",
    "outside_support",
    "outside_oppose",
    "outside_notice_amount",
    "outside_share",
    "in_district_amount",
    "in_district_share",
    "coverage_end",
]


def _parse_sort(value) -> tuple[str, bool] | None:
    """'receipts' (ascending) or '-receipts' (descending), one of the table's columns."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    key = params.choice(text.lstrip("-"), "sort", SORTABLE, SORTABLE[2])
    return key, text.startswith("-")


def table_columns(metric_key: str, sort: tuple[str, bool], href_for) -> list[Column]:
    """The table's columns, the coloured metric second; headers are links that sort by them."""
    figures = [
        Column("n_candidates", "Candidates", labels.count, numeric=True),
        Column("receipts", "Raised", labels.money_cents, numeric=True),
        Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
        Column("leader_name", "Leader"),
        Column("leader_share", "Leader's share", labels.share, numeric=True),
        Column("out_of_state_share", "From out of state", labels.share, numeric=True),
        Column("small_share", "$200 or less", labels.share, numeric=True),
        Column("outside_amount", "Outside spending", labels.money_cents, numeric=True),
        Column("outside_share", "Outside share", labels.share, numeric=True),
        Column("in_district_share", "From inside the district", labels.share, numeric=True),
    ]
    # The coloured metric formatted as the table's own column of it (money to the cent), not as the hover.
    same = next(c for c in figures if c.key == metric_key)
    coloured = Column(metric_key, map_classes.METRICS[metric_key].label, same.format, numeric=True)
    columns = [Column("race_label", "Race", link="race_path"), coloured, *figures]
    seen, unique = set(), []
    for column in columns:
        if column.key in seen:
            continue
        seen.add(column.key)
        unique.append(_sortable(column, sort, href_for) if column.key in SORTABLE else column)
    return unique


def _sortable(column: Column, sort: tuple[str, bool], href_for) -> Column:
    current = sort[0] == column.key
    descending = not sort[1] if current else column.key != "race_label"
    arrow = (" ▼" if sort[1] else " ▲") if current else ""
    order = "descending" if descending else "ascending"
    header = dcc.Link(
        [column.header, arrow],
        href=href_for(("-" if descending else "") + column.key),
        title=f"Sort by {column.header.lower()}, {order}",
    )
    return Column(
        column.key,
        header,
        column.format,
        column.link,
        column.numeric,
        sort=("descending" if sort[1] else "ascending") if current else None,
    )


def state_links(cycle: int, href_for):
    return html.Details(
        [
            html.Summary("Zoom to a state"),
            html.Ul(
                [
                    html.Li(dcc.Link(state, href=href_for(state), title=geography.STATES[state][1]))
                    for state in sorted(geography.STATES)
                ],
                className="state-links",
            ),
        ]
    )


@friendly_layout
def layout(cycle=None, office=None, metric=None, view=None, state=None, sort=None, **_other_query):
    cycle = params.cycle(cycle)
    office_word = params.choice(office, "office", OFFICES, "house")
    office = params.office(office_word)
    metric_key = params.choice(metric, "metric", METRIC_NAMES, map_classes.DEFAULT_METRIC)
    view = params.choice(view, "view", VIEWS, "geo")
    state = params.state(state) if state else None
    sort = _parse_sort(sort) or (metric_key, True)
    query = {
        "office": office_word,
        "metric": metric_key,
        "view": view,
        "state": state,
        "sort": ("-" if sort[1] else "") + sort[0],
    }

    def href(**changes):
        merged = {**query, **changes}
        return links.map_path(merged.pop("cycle", cycle), **merged)

    where = geography.STATES[state][1] if state else "national"
    title = (
        f"{OFFICES[office_word]} money map, {cycle}"
        if not state
        else f"{OFFICES[office_word]} money in {where}, {cycle}"
    )
    picker = cycle_picker(cycle, home.cycles_available(), lambda c: href(cycle=c))
    rows = maps.map_rows(cycle, office, state, sort_by=sort[0], descending=sort[1])
    if not rows["has_race"].any():
        committees_only = committees.cycles_without_candidates()
        return page(
            html.H1(title),
            picker,
            no_candidates_note(cycle, committees_only[cycle])
            if cycle in committees_only
            else html.P(f"This snapshot has no {OFFICES[office_word]} races for the {cycle} cycle."),
        )
    metric_info = map_classes.METRICS[metric_key]
    national = maps.map_races(cycle, office)[metric_key] if state else None
    section, drawn_view = map_section("district-map", cycle, office, metric_key, view, state, rows, national)
    seats = "districts" if office == "H" else "states"
    caption = f"{metric_info.label} by {'House district' if office == 'H' else 'Senate race'}, {cycle}" + (
        f", {where}" if state else ""
    )
    shown = rows if office == "H" else rows[rows["has_race"]]
    coverage_end = labels.date(rows["coverage_end"].max())
    return page(
        html.H1(title),
        picker,
        view_links("Show", office_word, OFFICES, lambda o: href(office=o, state=None)),
        view_links("Colour by", metric_key, METRIC_NAMES, lambda m: href(metric=m, sort=f"-{m}")),
        view_links("View", drawn_view, VIEWS, lambda v: href(view=v)),
        html.P(dcc.Link("Back to the national map", href=href(state=None)))
        if state
        else state_links(cycle, lambda s: href(state=s)),
        html.Section(
            [
                html.P(caption, className="chart-caption"),
                html.P(metric_info.note, className="muted") if metric_info.note else None,
                *section,
                html.P(
                    f"Click a {'district' if office == 'H' else 'state'} to open its race; every "
                    f"{seats[:-1]} is also in the table below.",
                    className="muted",
                ),
                html.Details(
                    [
                        html.Summary(f"The numbers in this map ({len(shown)} {seats})"),
                        table(shown, table_columns(metric_key, sort, lambda s: href(sort=s)), caption),
                    ],
                    open=True,
                ),
                download_button(
                    "district-map", shown, CSV_COLUMNS, f"map-{office_word}-{cycle}{'-' + state if state else ''}.csv"
                ),
            ],
            className="twin",
            **{"aria-label": f"Map: {caption}"},
        ),
        methodology_note("totals", coverage_end),
    )
