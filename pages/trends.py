"""Trends monitor for staff: what changed, who is surging, what just arrived.

/trends?cycle=&state=&office=&party=&window=&by=&min=&movers= ; every filter lives in the URL, so
a view can be bookmarked or sent to a colleague. Changing a filter navigates to the new address.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Callable, NamedTuple
from urllib.parse import parse_qsl, urlsplit

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard.app import labels
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column, Rows, paged_table, register_pager
from dashboard.app.components.twin import chart_with_table, download_button
from dashboard.app.figures import trends as charts
from dashboard.app.queries import home, trends
from dashboard.app.queries.trends import TrendFilters
from dashboard.core import contract, fec, geography, params

dash.register_page(
    __name__,
    path="/trends",
    name="Trends",
    title="Trends monitor",
    check=lambda **query: TrendFilters.from_query(**query),  # the shell's 400 (errors.http_status)
    description="What changed in campaign money lately: itemized receipts over time, the candidates whose "
    "fundraising moved most, new filings and large contributions, from FEC filings.",
)

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
# Most rows a table lists (its pages and its CSV alike); the status under it says when there were more.
LARGE_ROWS, MOVER_ROWS, CHANGE_ROWS = 500, 25, 200
# Every table shows this many rows a page (the whole of it in its CSV): a 300-row table made the page
# 25,000 px tall, and on a phone, where each row is a card of its ten-odd values, ten rows a table
# still made it 20,000. Turning a page re-renders that table alone (`tables.register_pager`).
PAGE_ROWS = 5
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
    """The chart's own series as table columns: the day, then each party this cycle and the same
    party on the same days of the previous cycle."""
    columns = [Column("period_end", "Day (or week ending)", labels.date)]
    for party in wide.columns[1::2]:
        columns += [
            Column(party, f"{labels.party(party)} ({cycle})", labels.money_cents, numeric=True),
            Column(
                charts.previous_cycle_column(party, cycle),
                f"{labels.party(party)}, same days of {cycle - 2}",
                labels.money_cents,
                numeric=True,
            ),
        ]
    return columns


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
    Column("previous_days", "Its days", labels.count, numeric=True),
    Column("previous_per_day", "Raised a day then", labels.money_cents, numeric=True),
    Column("report_type", "Latest report"),
    Column("coverage_end", "Ending", labels.date),
    Column("days", "Its days", labels.count, numeric=True),
    Column("per_day", "Raised a day now", labels.money_cents, numeric=True),
    Column("per_day_change", "Change a day", signed_money, numeric=True),
    Column("per_day_change_pct", "Change %", signed_share, numeric=True),
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
        "previous_coverage_start",
        "previous_coverage_end",
        "previous_days",
        "previous_receipts",
        "previous_per_day",
        "report_year",
        "report_type",
        "coverage_start",
        "coverage_end",
        "days",
        "receipts",
        "per_day",
        "per_day_change",
        "per_day_change_pct",
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


# NamedTuples, not dataclasses: Dash imports a page without a module in sys.modules, which
# dataclasses need for their string annotations.
class View(NamedTuple):
    """What every panel of one address shows: its filters and the window's days."""

    filters: TrendFilters
    start: date
    end: date
    changes: dict

    @property
    def where(self) -> dict:
        return {"state": self.filters.state, "office": self.filters.office, "party": self.filters.party}


def view_of(filters: TrendFilters) -> View | None:
    """None when the cycle has no itemized receipts."""
    end = trends.data_end(filters.cycle)
    if end is None:
        return None
    start, end = filters.window_dates(end)
    return View(filters, start, end, trends.changes_summary())


def at_most(query, rows: int, ranking: bool = False, **arguments) -> tuple[pd.DataFrame, str]:
    """The first `rows` rows of `query(limit=rows + 1, ...)`, and what to say if there were more."""
    frame = query(limit=rows + 1, **arguments)
    if len(frame) <= rows:
        return frame, ""
    left_out = f" (the top {rows:,})" if ranking else f" (the first {rows:,}; narrow the filters for the rest)"
    return frame.head(rows), left_out


def over_time_table(view: View) -> Rows:
    f = view.filters
    over_time = trends.receipts_over_time(f.cycle, view.start, view.end, f.by, **view.where)
    wide = charts.series_by_party(over_time, f.cycle)
    unit = "week" if f.by == "week" else "day"
    return Rows(
        wide,
        over_time_columns(wide, f.cycle),
        f"Itemized receipts per {unit} by party, {labels.date(view.start)} to {labels.date(view.end)}, "
        f"with each party's money on the same days of {f.cycle - 2}",
    )


def comparison_table(view: View) -> Rows:
    return Rows(
        trends.comparison(view.filters.cycle, view.start, view.end, **view.where),
        COMPARISON_COLUMNS,
        "The window against the window before, the same days of the previous "
        "cycle, and the cycle to date against the previous cycle at the same point",
        "No itemized receipts for these filters.",
    )


def ranked(view: View) -> str:
    return "in percent" if view.filters.movers == "percent" else "in dollars"


def snapshot_movers_table(view: View) -> Rows:
    f = view.filters
    frame, more = at_most(trends.movers_since_snapshot, MOVER_ROWS, True, cycle=f.cycle, order=f.movers, **view.where)
    return Rows(
        frame,
        SNAPSHOT_MOVER_COLUMNS,
        f"Candidates whose receipts grew most since snapshot {view.changes.get('previous_snapshot_id')}, "
        f"{ranked(view)}",
        "No candidate's receipts grew since the previous snapshot.",
        more,
    )


def period_movers_table(view: View) -> Rows:
    f = view.filters
    frame, more = at_most(
        trends.movers_since_period, MOVER_ROWS, True, cycle=f.cycle, since=view.start, order=f.movers, **view.where
    )
    return Rows(
        frame,
        PERIOD_MOVER_COLUMNS,
        f"Candidates whose latest report (ending {labels.date(view.start)} or later) raised most a day over "
        f"the report before, {ranked(view)}",
        "No candidate's latest report in this window raised more a day than the one before; try a longer window.",
        more,
    )


class Changes(NamedTuple):
    """One list of what the last refresh brought, for the cycle and the page's filters: its heading,
    its query (`limit`, `cycle` and the filters as arguments), columns, caption, what to say when
    empty, its CSV's columns and the stem of its file name, and a note under the heading, if any."""

    heading: str
    query: Callable
    columns: list[Column]
    caption: str  # with "{cycle}"
    empty: str
    csv: list[str]
    filename: str  # "trends-new-reports" (then "-<cycle>.csv")
    note: str = ""


CHANGES = {
    "new-reports": Changes(
        "Report periods",
        trends.new_reports,
        REPORT_COLUMNS,
        "Report periods new or revised since the previous snapshot, {cycle}",
        "No new or revised report periods for these filters.",
        CSV["new-reports"],
        "trends-new-reports",
    ),
    "arrivals": Changes(
        "Itemized receipts",
        trends.arrivals_since_snapshot,
        ARRIVAL_COLUMNS,
        "Itemized receipts that arrived since the previous snapshot, by candidate, {cycle}",
        "No itemized receipts arrived for these filters.",
        CSV["arrivals"],
        "trends-arrivals",
    ),
    "notices": Changes(
        "Outside spending: new 24/48-hour notices",
        trends.new_notices,
        NOTICE_COLUMNS,
        "24/48-hour notices new since the previous snapshot, {cycle}",
        "No new 24/48-hour notices for these filters.",
        CSV["notices"],
        "trends-new-notices",
        "Independent expenditures from 24/48-hour notices, not yet in a regular report, largest first; "
        "they are not in the outside-spending totals until a regular report repeats them.",
    ),
}


def changes_table(name: str, view: View) -> Rows:
    """The first CHANGE_ROWS rows of the list CHANGES[name]."""
    changes = CHANGES[name]
    frame, more = at_most(changes.query, CHANGE_ROWS, cycle=view.filters.cycle, **view.where)
    return Rows(frame, changes.columns, changes.caption.format(cycle=view.filters.cycle), changes.empty, more)


def large_table(view: View) -> Rows:
    f = view.filters
    frame, more = at_most(
        trends.large_contributions,
        LARGE_ROWS,
        cycle=f.cycle,
        start=view.start,
        end=view.end,
        minimum=f.minimum,
        **view.where,
    )
    return Rows(
        frame,
        LARGE_COLUMNS,
        f"Contributions of {labels.money(f.minimum)} or more",
        "No contribution this large in the window.",
        more,
    )


def races_table(view: View) -> Rows:
    return Rows(
        trends.top_races_cumulative(view.filters.cycle, **view.where),
        RACE_COLUMNS,
        f"Money raised to date by "
        f"{labels.party(view.filters.party) + ' candidates' if view.filters.party else 'all candidates'} "
        f"in the races that raised the most, {view.filters.cycle} cycle",
    )


# Every table of the page by name: the layout shows its first page, `rows_again` the others.
TABLES: dict[str, Callable[[View], Rows]] = {
    "over-time": over_time_table,
    "comparison": comparison_table,
    "snapshot-movers": snapshot_movers_table,
    "period-movers": period_movers_table,
    **{name: partial(changes_table, name) for name in CHANGES},
    "large": large_table,
    "races": races_table,
}


def paged(name: str, rows: Rows):
    """The table's first PAGE_ROWS rows, with buttons to the others when there are more."""
    return paged_table("trends", name, rows, page_rows=PAGE_ROWS)


def paged_with_csv(name: str, rows: Rows, csv_columns: list[str], filename: str):
    return [paged(name, rows), download_button(f"trends-{name}", rows.frame, csv_columns, filename)]


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


def money_over_time(view: View):
    f = view.filters
    over_time, compared = over_time_table(view), comparison_table(view)
    unit = "week" if f.by == "week" else "day"
    return html.Section(
        [
            html.H2("Itemized receipts over time"),
            stat_cards(comparison_stats(compared.frame, f, view.start, view.end), label="Itemized receipts compared"),
            chart_with_table(
                "trends-over-time",
                charts.receipts_over_time(over_time.frame, f.by, f.cycle),
                over_time.frame,
                over_time.columns,
                list(over_time.frame.columns),
                f"trends-receipts-by-{unit}-{f.cycle}.csv",
                over_time.caption,
                shown_table=paged("over-time", over_time),
            ),
            html.P(
                f"Each party is compared with itself: the paler line of a party's colour and style is its money on "
                f"the same days of {f.cycle - 2} (the same day number of the cycle), under the same filters.",
                className="muted",
            ),
            html.H3("By party and office"),
            *paged_with_csv("comparison", compared, CSV["comparison"], f"trends-comparison-{f.cycle}.csv"),
        ],
        **{"aria-label": "Itemized receipts over time"},
    )


def movers(view: View):
    f, minimum = view.filters, labels.money(trends.MOVER_MINIMUM)
    parts = [
        html.H2("Biggest movers"),
        html.P(
            f"Ranked by growth {ranked(view)}, from summary-total receipts. Since the previous snapshot: the "
            f"growth of each candidate's total for the cycle to date; ranked in percent, only candidates who had "
            f"raised {minimum} or more before. Since the previous report: money raised a day of each report "
            f"period, the latest report against the one before, since reports cover from 14 to 92 days and their "
            f"totals alone would compare unequal windows; only candidates who raised {minimum} or more in each of "
            f"the two reports.",
            className="muted",
        ),
        html.H3("Since the previous snapshot"),
    ]
    if view.changes.get("previous_snapshot_id"):
        parts += paged_with_csv(
            "snapshot-movers",
            snapshot_movers_table(view),
            CSV["snapshot-movers"],
            f"trends-movers-since-snapshot-{f.cycle}.csv",
        )
    else:
        parts.append(html.P(f"Nothing to compare: {view.changes.get('reason', 'no earlier snapshot')}."))
    parts += [
        html.H3("Since the previous report"),
        *paged_with_csv(
            "period-movers",
            period_movers_table(view),
            CSV["period-movers"],
            f"trends-movers-since-report-{f.cycle}.csv",
        ),
    ]
    return html.Section(parts, **{"aria-label": "Biggest movers"})


def arrivals_summary(view: View):
    """The cycle's receipts that arrived and dropped out, for the page's filters."""
    f = view.filters
    total = trends.arrivals_total(f.cycle, **view.where)
    scope = f"{f.cycle}" + (" for these filters" if any(view.where.values()) else "")
    return html.P(
        [
            html.Strong(
                f"In {scope}: {int(total['arrived_n']):,} itemized receipts arrived "
                f"({labels.money(float(total['arrived_amount']))}) for {int(total['candidates']):,} candidates; "
                f"{int(total['dropped_n']):,} were replaced or removed ({labels.money(float(total['dropped_amount']))})."
            ),
            " A receipt arrived when the previous snapshot did not hold it: the same FEC row (sub_id) with the "
            "same filer, cycle, date and amount. Rows of a report replaced by an amendment count as removed, and "
            "the amendment's rows as arrived.",
        ],
        id="trends-arrivals-total",
    )


def arrivals(view: View):
    f, changes = view.filters, view.changes
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
    parts += [
        arrivals_summary(view),
        html.P(
            f"Compared with snapshot {changes['previous_snapshot_id']} (built "
            f"{labels.date(changes.get('previous_built_at'))}), over all cycles: {changes.get('reports_new', 0):,} new "
            f"and {changes.get('reports_revised', 0):,} revised report periods, "
            f"{changes.get('receipts_arrived', 0):,} itemized receipts arrived "
            f"({labels.money(float(changes.get('receipts_arrived_amount', 0)))}), "
            f"{changes.get('receipts_dropped', 0):,} replaced or removed, "
            f"{changes.get('notices_new', 0):,} new 24/48-hour notices of outside spending "
            f"({labels.money(float(changes.get('notices_new_amount', 0)))}).",
            className="muted",
        ),
    ]
    for name, changes in CHANGES.items():
        parts += [
            html.H3(changes.heading),
            html.P(changes.note, className="muted") if changes.note else None,
            *paged_with_csv(name, changes_table(name, view), changes.csv, f"{changes.filename}-{f.cycle}.csv"),
        ]
    return html.Section(parts, **{"aria-label": "New since the last refresh"})


def large_contributions(view: View):
    f = view.filters
    return html.Section(
        [
            html.H2("Large contributions"),
            html.P(
                f"Itemized contributions from individuals of {labels.money(f.minimum)} or more received "
                f"{labels.date(view.start)} to {labels.date(view.end)}, largest first: up to the {LARGE_ROWS} "
                f"largest, {PAGE_ROWS} a page, all of them in the CSV. State, office and party are the recipient "
                f"candidate's.",
                className="muted",
            ),
            *paged_with_csv("large", large_table(view), CSV["large"], f"trends-large-contributions-{f.cycle}.csv"),
            html.P(
                "Contributors' names and addresses may not be sold or used to solicit contributions or for "
                "commercial purposes (52 U.S.C. 30111(a)(4)).",
                className="muted",
            ),
        ],
        **{"aria-label": "Large contributions"},
    )


def top_races(view: View):
    races = races_table(view)
    return html.Section(
        [
            html.H2("Top races by money"),
            chart_with_table(
                "trends-races",
                charts.cumulative_races(races.frame),
                races.frame,
                races.columns,
                CSV["races"],
                f"trends-top-races-{view.filters.cycle}.csv",
                races.caption,
                shown_table=paged("races", races),
            ),
        ],
        **{"aria-label": "Top races by money"},
    )


@friendly_layout
def layout(**query):
    filters = TrendFilters.from_query(**query)
    cycles = home.cycles_available()
    header = [html.H1("Trends monitor"), cycle_picker(filters.cycle, cycles, lambda c: filters.path(cycle=c))]
    view = view_of(filters)
    if view is None:
        return page(
            *header,
            html.P(
                f"This snapshot has no itemized receipts for the {filters.cycle} cycle. Pick one of the cycles above."
            ),
        )
    return page(
        *header,
        html.P(
            f"What changed, who is surging and what just arrived: {WINDOW_NAMES[filters.window].lower()} "
            f"of itemized data, {labels.date(view.start)} to {labels.date(view.end)}.",
            className="lede",
        ),
        filter_controls(filters, trends.party_options(filters.cycle)),
        money_over_time(view),
        movers(view),
        arrivals(view),
        large_contributions(view),
        top_races(view),
        methodology_note("itemized", labels.date(view.end)),
        methodology_note("totals"),
    )


def rows_again(name: str, current: dict) -> Rows | None:
    """The table `name` for the page's address (its filters' store), to show another of its pages."""
    view = view_of(TrendFilters.from_query(**dict(parse_qsl(urlsplit(current["filters"]).query))))
    return None if view is None else TABLES[name](view)


register_pager("trends", rows_again, State(FILTERS_ID, "data"), PAGE_ROWS)


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
