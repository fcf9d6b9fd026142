"""Trends monitor for staff: what changed, who is surging, what just arrived.

/trends?cycle=&state=&office=&party=&window=&by=&min=&movers= ; every filter lives in the URL, so
a view can be bookmarked or sent to a colleague. Changing a filter navigates to the new address.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard.app import labels
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import chart_with_table, download_button
from dashboard.app.figures import trends as charts
from dashboard.app.queries import home, trends
from dashboard.app.queries.trends import TrendFilters
from dashboard.core import contract, fec, geography, params

dash.register_page(__name__, path="/trends", name="Trends", title="Trends monitor")

NAVIGATE_ID = "trends-navigate"
FILTERS_ID = "trends-filters"
MESSAGE_ID = "trends-filter-message"
WINDOW_NAMES = {
    "7": "Last 7 days",
    "30": "Last 30 days",
    "90": "Last 90 days",
    "365": "Last 365 days",
    "cycle": "Whole cycle to date",
}
LARGE_SHOWN, LARGE_CSV_ROWS = 100, 500  # rows of the large-contribution table, and of its CSV
# One column on a phone, as many as fit on wider screens.
FILTER_GRID = {"display": "grid", "gridTemplateColumns": "repeat(auto-fit, minmax(11rem, 1fr))", "gap": "0.75rem"}


def signed_share(value) -> str:
    return "-" if labels.money(value) == "-" else f"{value:+.0%}"


def signed_money(value) -> str:
    """+$1,234.50 / -$12.00: a change, to the cent, as the tables show money."""
    text = labels.money_cents(value)
    return text if text == "-" or text.startswith("-") else f"+{text}"


CANDIDATE = [
    Column("name", "Candidate", link="candidate_path"),
    Column("party", "Party", labels.party),
    Column("race_label", "Race", link="race_path"),
]


def over_time_columns(wide, cycle: int) -> list[Column]:
    """The chart's own series as table columns: the day, each party, the previous cycle."""
    series = [c for c in wide.columns if c != "period_end"]
    return [Column("period_end", "Day (or week ending)", labels.date)] + [
        Column(
            c,
            c.capitalize() if c == charts.previous_cycle_column(cycle) else labels.party(c),
            labels.money_cents,
            numeric=True,
        )
        for c in series
    ]


COMPARISON_COLUMNS = [
    Column("party", "Party", labels.party),
    Column("office", "Office", lambda o: fec.OFFICE_NAMES.get(o, "Other committees")),
    Column("in_window", "In the window", labels.money_cents, numeric=True),
    Column("previous_window", "Window before", labels.money_cents, numeric=True),
    Column("window_change", "Change", signed_share, numeric=True),
    Column("previous_cycle_window", "Same days, previous cycle", labels.money_cents, numeric=True),
    Column("previous_cycle_change", "Change", signed_share, numeric=True),
    Column("cycle_to_date", "Cycle to date", labels.money_cents, numeric=True),
    Column("previous_cycle_to_date", "Previous cycle, same point", labels.money_cents, numeric=True),
    Column("cycle_to_date_change", "Change", signed_share, numeric=True),
]
SNAPSHOT_MOVER_COLUMNS = CANDIDATE + [
    Column("previous_receipts", "Raised before", labels.money_cents, numeric=True),
    Column("receipts", "Raised now", labels.money_cents, numeric=True),
    Column("receipts_change", "Change", signed_money, numeric=True),
    Column("receipts_change_pct", "Change %", signed_share, numeric=True),
    Column("coverage_end", "Data through", labels.date),
]
PERIOD_MOVER_COLUMNS = CANDIDATE + [
    Column("previous_report_type", "Report before"),
    Column("previous_receipts", "Raised then", labels.money_cents, numeric=True),
    Column("report_type", "Latest report"),
    Column("coverage_end", "Ending", labels.date),
    Column("receipts", "Raised in it", labels.money_cents, numeric=True),
    Column("receipts_change", "Change", signed_money, numeric=True),
    Column("receipts_change_pct", "Change %", signed_share, numeric=True),
]
REPORT_COLUMNS = CANDIDATE + [
    Column("report_type", "Report"),
    Column("report_year", "Year"),
    Column("coverage_start", "From", labels.date),
    Column("coverage_end", "To", labels.date),
    Column("change", "What changed", lambda c: "New report" if c == "new" else "Figures revised"),
    Column("previous_receipts", "Raised (before)", labels.money_cents, numeric=True),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
]
ARRIVAL_COLUMNS = CANDIDATE + [
    Column("arrived_n", "Receipts arrived", labels.count, numeric=True),
    Column("arrived_amount", "Amount arrived", labels.money_cents, numeric=True),
    Column("dropped_n", "Replaced or removed", labels.count, numeric=True),
    Column("itemized_change", "Net change", signed_money, numeric=True),
]
NOTICE_COLUMNS = CANDIDATE + [
    Column("support_oppose", "For or against", lambda s: fec.SUPPORT_OPPOSE.get(s, s)),
    Column("spender_name", "Spender", link="spender_path"),
    Column("spender_type", "Kind", lambda k: fec.SPENDER_TYPES.get(k, k)),
    Column("amount", "Amount", labels.money_cents, numeric=True),
    Column("date", "Disseminated", labels.date),
    Column("filed_date", "Filed", labels.date),
]
LARGE_COLUMNS = [
    Column("date", "Date", labels.date),
    Column("amount", "Amount", labels.money_cents, numeric=True),
    Column("contributor_name", "Contributor"),
    Column("city", "City"),
    Column("contributor_state", "State"),
    Column("employer", "Employer"),
    Column("occupation", "Occupation"),
    Column("is_earmarked", "Via a conduit", lambda e: "Yes" if e is True else "No"),
] + CANDIDATE
RACE_COLUMNS = [
    Column("race_label", "Race", link="race_path"),
    Column("date", "Report period ending", labels.date),
    Column("cumulative", "Raised to date", labels.money_cents, numeric=True),
]
CSV = {
    "comparison": [
        "party",
        "office",
        "in_window",
        "previous_window",
        "window_change",
        "previous_cycle_window",
        "previous_cycle_change",
        "cycle_to_date",
        "previous_cycle_to_date",
        "cycle_to_date_change",
    ],
    "snapshot-movers": [
        "candidate_id",
        "cycle",
        "name",
        "party",
        "office",
        "state",
        "district",
        "previous_receipts",
        "receipts",
        "receipts_change",
        "receipts_change_pct",
        "itemized_change",
        "arrived_n",
        "arrived_amount",
        "coverage_end",
        "previous_snapshot_id",
    ],
    "period-movers": [
        "candidate_id",
        "cycle",
        "name",
        "party",
        "office",
        "state",
        "district",
        "previous_report_year",
        "previous_report_type",
        "previous_coverage_end",
        "previous_receipts",
        "report_year",
        "report_type",
        "coverage_start",
        "coverage_end",
        "receipts",
        "receipts_change",
        "receipts_change_pct",
    ],
    "new-reports": [
        "candidate_id",
        "cycle",
        "name",
        "party",
        "office",
        "state",
        "district",
        "report_year",
        "report_type",
        "coverage_start",
        "coverage_end",
        "change",
        "previous_receipts",
        "receipts",
        "disbursements",
        "cash_on_hand_end",
    ],
    "arrivals": [
        "candidate_id",
        "cycle",
        "name",
        "party",
        "office",
        "state",
        "district",
        "arrived_n",
        "arrived_amount",
        "dropped_n",
        "dropped_amount",
        "itemized_change",
        "itemized",
    ],
    "notices": [
        "candidate_id",
        "cycle",
        "name",
        "party",
        "office",
        "state",
        "district",
        "support_oppose",
        "committee_id",
        "spender_name",
        "spender_type",
        "amount",
        "date",
        "filed_date",
        "sub_id",
    ],
    "large": [
        "date",
        "amount",
        "contributor_name",
        "city",
        "contributor_state",
        "employer",
        "occupation",
        "is_earmarked",
        "conduit_committee_id",
        "committee_id",
        "sub_id",
        "candidate_id",
        "name",
        "party",
        "office",
        "state",
        "district",
    ],
    "races": ["office", "state", "district", "race_label", "date", "cumulative", "total"],
}


def link_choices(legend: str, current: str, options: list[tuple[str, str]], href_for):
    """A row of links, one per option, the current one marked: plain links work without
    JavaScript, keep the filter in the URL and are reachable with Tab (styled like the cycle picker)."""
    items = [
        html.Li(
            html.Span(text, className="current", **{"aria-current": "true"})
            if key == current
            else dcc.Link(text, href=href_for(key))
        )
        for key, text in options
    ]
    return html.Nav(
        [html.Span(f"{legend}:", className="picker-label"), html.Ul(items)],
        className="cycle-picker",
        **{"aria-label": legend},
    )


def filter_controls(filters: TrendFilters, parties: list[str]):
    """Links for the short choices; boxes for the state and the threshold, which navigate when
    changed (see `apply_filters`)."""
    office = [("all", "All")] + list(fec.OFFICE_NAMES.items())
    party = [("all", "All")] + [(code, labels.party(code)) for code in parties]
    return html.Section(
        [
            html.H2("Filters", className="visually-hidden"),
            link_choices(
                "Office",
                filters.office or "all",
                office,
                lambda key: filters.path(office=None if key == "all" else key),
            ),
            link_choices(
                "Party", filters.party or "all", party, lambda key: filters.path(party=None if key == "all" else key)
            ),
            link_choices("Window", filters.window, list(WINDOW_NAMES.items()), lambda key: filters.path(window=key)),
            link_choices("Count by", filters.by, [("day", "Day"), ("week", "Week")], lambda key: filters.path(by=key)),
            link_choices(
                "Rank movers by",
                filters.movers,
                [("dollars", "Dollars"), ("percent", "Percent")],
                lambda key: filters.path(movers=key),
            ),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label("State (two-letter code, empty for all)", htmlFor="trends-state"),
                            dcc.Input(
                                id="trends-state",
                                type="text",
                                value=filters.state or "",
                                list="trends-state-codes",
                                debounce=True,
                                maxLength=2,
                                autoComplete="off",
                                className="search-input",
                            ),
                            html.Datalist(
                                [html.Option(facts[1], value=code) for code, facts in sorted(geography.STATES.items())],
                                id="trends-state-codes",
                            ),
                        ],
                        className="filter",
                    ),
                    html.Div(
                        [
                            html.Label("Large contributions from ($)", htmlFor="trends-min"),
                            dcc.Input(
                                id="trends-min",
                                type="number",
                                value=filters.minimum,
                                min=contract.LARGE_RECEIPT_FLOOR,
                                step=100,
                                debounce=True,
                                className="search-input",
                            ),
                        ],
                        className="filter",
                    ),
                ],
                style=FILTER_GRID,
            ),
            html.P(id=MESSAGE_ID, className="muted", role="status"),
            dcc.Store(
                id=FILTERS_ID,
                data={
                    "filters": filters.path(),
                    "cycle": filters.cycle,
                    "office": filters.office,
                    "party": filters.party,
                    "window": filters.window,
                    "by": filters.by,
                    "movers": filters.movers,
                },
            ),
            dcc.Location(id=NAVIGATE_ID, refresh="callback-nav"),
        ],
        **{"aria-label": "Filters"},
    )


def comparison_stats(frame, filters: TrendFilters, start, end) -> list[Stat]:
    sums = frame[
        ["in_window", "previous_window", "previous_cycle_window", "cycle_to_date", "previous_cycle_to_date"]
    ].sum()
    ratio = lambda now, before: signed_share((now - before) / before) if before > 0 else "-"  # noqa: E731
    days = (end - start).days + 1
    return [
        Stat(
            f"Itemized receipts, {labels.date(start)} to {labels.date(end)}",
            labels.money(sums.in_window),
            f"{ratio(sums.in_window, sums.previous_window)} against the {days} days before "
            f"({labels.money(sums.previous_window)})",
        ),
        Stat(
            f"Same days of {filters.cycle - 2}",
            labels.money(sums.previous_cycle_window),
            f"This cycle {ratio(sums.in_window, sums.previous_cycle_window)} at the same point",
        ),
        Stat(
            "Cycle to date",
            labels.money(sums.cycle_to_date),
            f"{ratio(sums.cycle_to_date, sums.previous_cycle_to_date)} against {filters.cycle - 2} at the same "
            f"point ({labels.money(sums.previous_cycle_to_date)})",
        ),
    ]


def money_over_time(filters: TrendFilters, start, end, where: dict):
    over_time = trends.receipts_over_time(filters.cycle, start, end, filters.by, **where)
    wide = charts.series_by_party(over_time, filters.cycle)
    compared = trends.comparison(filters.cycle, start, end, **where)
    unit = "week" if filters.by == "week" else "day"
    return html.Section(
        [
            html.H2("Itemized receipts over time"),
            stat_cards(comparison_stats(compared, filters, start, end), label="Itemized receipts compared"),
            chart_with_table(
                "trends-over-time",
                charts.receipts_over_time(wide, filters.by, filters.cycle),
                wide,
                over_time_columns(wide, filters.cycle),
                list(wide.columns),
                f"trends-receipts-by-{unit}-{filters.cycle}.csv",
                f"Itemized receipts per {unit} by party, {labels.date(start)} to {labels.date(end)}, "
                f"with the same days of {filters.cycle - 2}",
            ),
            html.H3("By party and office"),
            table(
                compared,
                COMPARISON_COLUMNS,
                "The window against the window before, the same days of the previous "
                "cycle, and the cycle to date against the previous cycle at the same point",
                empty="No itemized receipts for these filters.",
            ),
            download_button("trends-comparison", compared, CSV["comparison"], f"trends-comparison-{filters.cycle}.csv"),
        ],
        **{"aria-label": "Itemized receipts over time"},
    )


def movers(filters: TrendFilters, start, where: dict, changes: dict):
    ranked = "in percent" if filters.movers == "percent" else "in dollars"
    period = trends.movers_since_period(filters.cycle, start, order=filters.movers, **where)
    parts = [
        html.H2("Biggest movers"),
        html.P(
            f"Ranked by growth {ranked}; in percent only from ${trends.PERCENT_BASE:,} before. Summary-total receipts.",
            className="muted",
        ),
        html.H3("Since the previous snapshot"),
    ]
    if changes.get("previous_snapshot_id"):
        since = trends.movers_since_snapshot(filters.cycle, order=filters.movers, **where)
        parts += [
            table(
                since,
                SNAPSHOT_MOVER_COLUMNS,
                f"Candidates whose receipts grew most since snapshot {changes['previous_snapshot_id']}, {ranked}",
                empty="No candidate's receipts grew since the previous snapshot.",
            ),
            download_button(
                "trends-snapshot-movers",
                since,
                CSV["snapshot-movers"],
                f"trends-movers-since-snapshot-{filters.cycle}.csv",
            ),
        ]
    else:
        parts.append(html.P(f"Nothing to compare: {changes.get('reason', 'no earlier snapshot')}."))
    parts += [
        html.H3("Since the previous report"),
        table(
            period,
            PERIOD_MOVER_COLUMNS,
            f"Candidates whose latest report (ending {labels.date(start)} or later) "
            f"raised most over the report before, {ranked}",
            empty="No candidate's latest report in this window raised more than the one before; try a longer window.",
        ),
        download_button(
            "trends-period-movers", period, CSV["period-movers"], f"trends-movers-since-report-{filters.cycle}.csv"
        ),
    ]
    return html.Section(parts, **{"aria-label": "Biggest movers"})


def arrivals(filters: TrendFilters, where: dict, changes: dict):
    parts = [html.H2("New since the last refresh")]
    if not changes.get("previous_snapshot_id"):
        return html.Section(
            parts
            + [
                html.P(
                    f"Nothing to compare: {changes.get('reason', 'no earlier snapshot')}. "
                    "The next refresh will list what it brings."
                )
            ],
            **{"aria-label": "New since the last refresh"},
        )
    reports = trends.new_reports(filters.cycle, **where)
    arrived = trends.arrivals_since_snapshot(filters.cycle, **where)
    notices = trends.new_notices(filters.cycle, **where)
    parts += [
        html.P(
            f"Compared with snapshot {changes['previous_snapshot_id']} (built "
            f"{labels.date(changes.get('previous_built_at'))}): {changes.get('reports_new', 0):,} new and "
            f"{changes.get('reports_revised', 0):,} revised report periods, "
            f"{changes.get('receipts_arrived', 0):,} itemized receipts arrived "
            f"({labels.money(float(changes.get('receipts_arrived_amount', 0)))}), "
            f"{changes.get('receipts_dropped', 0):,} replaced or removed, "
            f"{changes.get('notices_new', 0):,} new 24/48-hour notices of outside spending "
            f"({labels.money(float(changes.get('notices_new_amount', 0)))}), over all cycles."
        ),
        html.H3("Report periods"),
        table(
            reports,
            REPORT_COLUMNS,
            f"Report periods new or revised since the previous snapshot, {filters.cycle}",
            empty="No new or revised report periods for these filters.",
        ),
        download_button("trends-new-reports", reports, CSV["new-reports"], f"trends-new-reports-{filters.cycle}.csv"),
        html.H3("Itemized receipts"),
        table(
            arrived,
            ARRIVAL_COLUMNS,
            f"Itemized receipts that arrived since the previous snapshot, {filters.cycle}",
            empty="No itemized receipts arrived for these filters.",
        ),
        download_button("trends-arrivals", arrived, CSV["arrivals"], f"trends-arrivals-{filters.cycle}.csv"),
        html.H3("Outside spending: new 24/48-hour notices"),
        html.P(
            "Independent expenditures from 24/48-hour notices, not yet in a regular report, largest first; "
            "they are not in the outside-spending totals until a regular report repeats them.",
            className="muted",
        ),
        table(
            notices,
            NOTICE_COLUMNS,
            f"24/48-hour notices new since the previous snapshot, {filters.cycle}",
            empty="No new 24/48-hour notices for these filters.",
        ),
        download_button("trends-notices", notices, CSV["notices"], f"trends-new-notices-{filters.cycle}.csv"),
    ]
    return html.Section(parts, **{"aria-label": "New since the last refresh"})


def large_contributions(filters: TrendFilters, start, end, where: dict):
    large = trends.large_contributions(filters.cycle, start, end, filters.minimum, limit=LARGE_CSV_ROWS, **where)
    return html.Section(
        [
            html.H2("Large contributions"),
            html.P(
                f"Itemized contributions from individuals of {labels.money(filters.minimum)} or more received "
                f"{labels.date(start)} to {labels.date(end)}, largest first: the {LARGE_SHOWN} largest here, up to "
                f"{LARGE_CSV_ROWS} in the CSV. State, office and party are the recipient candidate's.",
                className="muted",
            ),
            table(
                large.head(LARGE_SHOWN),
                LARGE_COLUMNS,
                f"Contributions of {labels.money(filters.minimum)} or more",
                empty="No contribution this large in the window.",
            ),
            download_button("trends-large", large, CSV["large"], f"trends-large-contributions-{filters.cycle}.csv"),
            html.P(
                "Contributors' names and addresses may not be sold or used to solicit contributions or for "
                "commercial purposes (52 U.S.C. 30111(a)(4)).",
                className="muted",
            ),
        ],
        **{"aria-label": "Large contributions"},
    )


def top_races(filters: TrendFilters, where: dict):
    races = trends.top_races_cumulative(filters.cycle, **where)
    whose = f"{labels.party(filters.party)} candidates" if filters.party else "all candidates"
    return html.Section(
        [
            html.H2("Top races by money"),
            chart_with_table(
                "trends-races",
                charts.cumulative_races(races),
                races,
                RACE_COLUMNS,
                CSV["races"],
                f"trends-top-races-{filters.cycle}.csv",
                f"Money raised to date by {whose} in the races that raised the most, {filters.cycle} cycle",
            ),
        ],
        **{"aria-label": "Top races by money"},
    )


@friendly_layout
def layout(**query):
    filters = TrendFilters.from_query(**query)
    cycles = home.cycles_available()
    header = [html.H1("Trends monitor"), cycle_picker(filters.cycle, cycles, lambda c: filters.path(cycle=c))]
    end = trends.data_end(filters.cycle)
    if end is None:
        return page(
            *header,
            html.P(
                f"This snapshot has no itemized receipts for the {filters.cycle} cycle. Pick one of the cycles above."
            ),
        )
    start, end = filters.window_dates(end)
    where = {"state": filters.state, "office": filters.office, "party": filters.party}
    changes = trends.changes_summary()
    return page(
        *header,
        html.P(
            f"What changed, who is surging and what just arrived: {WINDOW_NAMES[filters.window].lower()} "
            f"of itemized data, {labels.date(start)} to {labels.date(end)}.",
            className="lede",
        ),
        filter_controls(filters, trends.party_options(filters.cycle)),
        money_over_time(filters, start, end, where),
        movers(filters, start, where, changes),
        arrivals(filters, where, changes),
        large_contributions(filters, start, end, where),
        top_races(filters, where),
        methodology_note("itemized", labels.date(end)),
        methodology_note("totals"),
    )


@callback(
    Output(NAVIGATE_ID, "href"),
    Output(MESSAGE_ID, "children"),
    Input("trends-state", "value"),
    Input("trends-min", "value"),
    State(FILTERS_ID, "data"),
    prevent_initial_call=True,
)
def apply_filters(state, minimum, current):
    """A changed state or threshold opens the page at the address that names it (or says what
    is wrong with it)."""
    if minimum is None:  # the browser sends nothing for a number it cannot read
        return no_update, (
            f"Large contributions from: enter a whole number of dollars, {contract.LARGE_RECEIPT_FLOOR:,} or more."
        )
    if isinstance(minimum, float) and minimum.is_integer():
        minimum = int(minimum)
    try:
        chosen = TrendFilters.from_query(
            cycle=current["cycle"],
            state=state,
            office=current["office"],
            party=current["party"],
            window=current["window"],
            by=current["by"],
            min=minimum,
            movers=current["movers"],
        )
    except params.InvalidParameter as problem:
        return no_update, str(problem)
    path = chosen.path()
    return (no_update if path == current["filters"] else path), ""
