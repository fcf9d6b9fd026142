"""A race: every candidate for one seat in one cycle, their money side by side, over time, by
contribution size and by where it comes from, and the outside money spent for and against them.

Three addresses share this page: /race/house/<ST>/<DD>/<cycle>, /race/senate/<ST>/<cycle> and
/race/president/<cycle>; `?money=weekly` switches the over-time chart to weekly itemized money,
`?sort=` sorts the candidate table (and its chart) by one of its columns ('-cash_on_hand': biggest first).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import dash
import pandas as pd
from dash import html

from dashboard.app import labels, links
from dashboard.app.components import donors as donor_parts
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.errors import PageNotFound, friendly_layout, titled
from dashboard.app.components.in_district import race_in_district_block
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.outside import (
    NOTICE_HEADER,
    SPENDER_COLUMNS,
    SPENDER_CSV,
    TIMELINE_COLUMNS,
    TIMELINE_CSV,
    dates,
    no_outside,
    outside_note,
    outside_stats,
    timeline_rows,
    unmatched_list,
)
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column, parse_sort, sort_rows, sort_value, sortable
from dashboard.app.components.twin import chart_with_table
from dashboard.app.components.view_links import view_links
from dashboard.app.figures.money_over_time import candidate_label, race_cumulative_receipts, race_weekly_receipts
from dashboard.app.figures.outside import for_against_bars, race_money_bars, race_timeline
from dashboard.app.figures.races import race_candidates_money
from dashboard.app.figures.sizes import bucket_name, race_sizes_bar
from dashboard.app.figures.states import race_home_state_bar
from dashboard.app.queries import donors, outside, races
from dashboard.core import contract, geography, params

MONEY_VIEWS = {
    "reports": "Raised to date, by report (all receipts)",
    "weekly": "Per week (itemized individual contributions)",
}

CANDIDATE_COLUMNS = [
    Column("candidate", "Candidate", link="candidate_path"),
    Column("party", "Party", labels.party),
    Column("incumbent_challenge", "Status", labels.incumbency),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
    Column("disbursements", "Spent", labels.money_cents, numeric=True),
    Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
    Column("debts", "Debts", labels.money_cents, numeric=True),
    Column("coverage_end", "Data through", labels.date),
]
# The table's columns a header click sorts by; the page opens sorted as the query returns the rows.
CANDIDATE_SORTS = tuple(column.key for column in CANDIDATE_COLUMNS)
DEFAULT_SORT = ("receipts", True)
CANDIDATE_CSV = [
    "cycle",
    "office",
    "state",
    "district",
    "candidate_id",
    "name",
    "party",
    "incumbent_challenge",
    "receipts",
    "disbursements",
    "net_receipts",
    "net_disbursements",
    "cash_on_hand",
    "debts",
    "totals_source",
    "coverage_start",
    "coverage_end",
]
GROSS_NOTE = (
    "Raised and spent are gross, as the FEC publishes them: money moved between a candidate's own "
    "committees counts in each. Each candidate's page shows the net figure beside; the CSV carries it too."
)
PERIODS_CSV = [
    "candidate_id",
    "name",
    "party",
    "report_year",
    "report_type",
    "coverage_start",
    "coverage_end",
    "receipts",
    "receipts_to_date",
]
WEEKLY_CSV = ["candidate_id", "name", "party", "week", "amount", "n", "amount_to_date"]
SIZES_CSV = ["candidate_id", "name", "party", "size_bucket", "size_label", "amount", "n", "share"]
HOME_STATE_COLUMNS = [
    Column("label", "Candidate"),
    Column("in_state", "From the candidate's state", labels.money_cents, numeric=True),
    Column("out_of_state", "From elsewhere", labels.money_cents, numeric=True),
    Column("in_state_share", "In-state share", labels.share, numeric=True),
]
HOME_STATE_CSV = ["candidate_id", "name", "party", "in_state", "out_of_state", "itemized", "in_state_share"]
OUTSIDE_COLUMNS = [
    Column("name", "Candidate", link="candidate_path"),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
    Column("support", "Outside money for", labels.money_cents, numeric=True),
    Column("oppose", "Outside money against", labels.money_cents, numeric=True),
    Column("outside_share", "Outside share of the money around the candidate", labels.share, numeric=True),
    Column("notice_support", f"For, {NOTICE_HEADER.lower()}", labels.money_cents, numeric=True),
    Column("notice_oppose", f"Against, {NOTICE_HEADER.lower()}", labels.money_cents, numeric=True),
]
OUTSIDE_CSV = [
    "cycle",
    "candidate_id",
    "name",
    "party",
    "receipts",
    "support",
    "oppose",
    "outside",
    "outside_share",
    "notice_support",
    "notice_oppose",
    "first_date",
    "last_date",
    "coverage_end",
]


def race_stats(summary, candidates) -> list[Stat]:
    """Race totals from agg_district, or added up from the candidates if it has no row."""
    source = (
        summary.iloc[0]
        if not summary.empty
        else candidates[["receipts", "disbursements", "cash_on_hand"]].sum(min_count=1)
    )
    reporting = candidates["receipts"].notna().sum()
    return [
        Stat("Candidates", labels.count(len(candidates)), f"{reporting} reporting money"),
        Stat("Raised by all candidates", labels.money(source["receipts"]), "All receipts, summary totals"),
        Stat("Spent", labels.money(source["disbursements"])),
        Stat("Cash on hand", labels.money(source["cash_on_hand"]), "At the end of each latest report"),
        Stat("Debts", labels.money(candidates["debts"].sum(min_count=1))),
        Stat(
            "Data through",
            labels.date(candidates["coverage_end"].max()),
            f"Reports from {labels.date(candidates['coverage_start'].min())}",
        ),
    ]


def by_candidate(frame: pd.DataFrame, index: list[str], value: str, order: list[str]) -> pd.DataFrame:
    """One row per `index`, one column per candidate (named by candidate id) holding `value`."""
    if frame.empty:
        return pd.DataFrame(columns=index)
    # pivot_table's sum, as groupby and unstack give it without pivot_table's generality (a third of its time)
    wide = frame.groupby(index + ["candidate_id"])[value].sum().unstack("candidate_id")
    return wide.reindex(columns=[c for c in order if c in wide.columns]).reset_index()


def candidate_names(candidates: pd.DataFrame) -> dict[str, str]:
    """candidate_id -> 'SMITH, JOHN (DEM, incumbent)', as the charts name them."""
    return {
        row.candidate_id: candidate_label(row.name, row.party, row.incumbent_challenge)
        for row in candidates.itertuples()
    }


def candidate_columns(candidates: pd.DataFrame, order: list[str], shown: set) -> list[Column]:
    names = candidate_names(candidates)
    return [Column(cid, names[cid], labels.money_cents, numeric=True) for cid in order if cid in shown]


def coverage_caption(basis: str, start, end) -> str:
    """'Itemized only · 2023-01-01 to 2024-10-14': what a figure counts, and over which dates."""
    return f"{basis} · {labels.date(start)} to {labels.date(end)}"


def money_over_time(view, periods, weekly, candidates, order, cycle, slug, label):
    election_day = geography.ELECTION_DAY.get(cycle)
    if view == "weekly":
        table = by_candidate(weekly, ["week"], "amount", order)
        columns = [Column("week", "Week of", labels.date)] + candidate_columns(candidates, order, set(table.columns))
        return chart_with_table(
            "race-weekly",
            race_weekly_receipts(weekly, order, periods, election_day),
            table,
            columns,
            WEEKLY_CSV,
            f"race-{slug}-weekly.csv",
            f"Itemized contributions from individuals per week, {label}, {cycle} "
            f"({coverage_caption('Itemized only', weekly['week'].min(), weekly['week'].max())})",
            csv_frame=weekly,
        )
    table = by_candidate(periods, ["coverage_end", "report_year", "report_type"], "receipts_to_date", order)
    columns = [Column("coverage_end", "Report ends", labels.date), Column("report_type", "Report")] + candidate_columns(
        candidates, order, set(table.columns)
    )
    return chart_with_table(
        "race-periods",
        race_cumulative_receipts(periods, order, election_day),
        table,
        columns,
        PERIODS_CSV,
        f"race-{slug}-by-report.csv",
        f"Raised to date by each candidate at the end of each report, {label}, {cycle} "
        f"({coverage_caption('All receipts', periods['coverage_start'].min(), periods['coverage_end'].max())}); "
        "dotted lines are report period ends, the solid line election day",
        csv_frame=periods,
    )


def sizes_section(sizes, candidates, order, cycle, slug, label, coverage):
    sizes = sizes.assign(bucket=[f"b{b}" for b in sizes["size_bucket"]])
    table = pd.DataFrame(columns=["candidate_id"])
    if not sizes.empty:
        table = (
            sizes.groupby(["candidate_id", "bucket"])["amount"]
            .sum()
            .unstack("bucket")  # as by_candidate pivots
            .reindex([c for c in order if c in set(sizes["candidate_id"])])
            .reset_index()
        )
    table["label"] = table["candidate_id"].map(candidate_names(candidates))
    columns = [Column("label", "Candidate")] + [
        Column(f"b{b}", bucket_name(b, text), labels.money_cents, numeric=True) for b, text in contract.SIZE_BUCKETS
    ]
    return chart_with_table(
        "race-sizes",
        race_sizes_bar(sizes, order),
        table,
        columns,
        SIZES_CSV,
        f"race-{slug}-sizes.csv",
        f"Money from individuals by contribution size, {label}, {cycle} (all individual money: the "
        f"$200-and-under bucket includes unitemized gifts; reports through {coverage})",
        csv_frame=sizes,
    )


def home_state_section(office, split, order, cycle, slug, label, coverage):
    if office == "P":
        return html.P(
            "In-state and out-of-state money is not shown for the presidential race: "
            "every state is part of it. Each candidate's page maps their donors by state."
        )
    split = split.assign(
        label=[candidate_label(*row) for row in zip(split["name"], split["party"], split["incumbent_challenge"])]
    )
    return chart_with_table(
        "race-home-state",
        race_home_state_bar(split, order),
        split,
        HOME_STATE_COLUMNS,
        HOME_STATE_CSV,
        f"race-{slug}-in-state.csv",
        f"Itemized money from individuals in and outside the candidate's state, {label}, {cycle} "
        f"(itemized only; contributions through {coverage})",
    )


def share_stat(totals) -> Stat:
    return Stat(
        "Outside share of all money in the race",
        labels.share(totals["outside_share"]),
        f"{labels.money(totals['outside'])} of {labels.money(totals['receipts'] + totals['outside'])}: "
        "the candidates' receipts plus outside money",
    )


def top_spenders(spenders, name, party, cycle, slug, candidate_id, when):
    """The biggest spenders for and against one candidate, or the empty state."""
    rows = spenders[spenders["candidate_id"] == candidate_id]
    label = candidate_label(name, party)
    if rows.empty:
        return no_outside(f"for or against {label}")
    return chart_with_table(
        f"race-outside-spenders-{candidate_id}",
        for_against_bars(rows, "spender_name", f"for or against {label}"),
        rows,
        SPENDER_COLUMNS,
        SPENDER_CSV,
        f"race-{slug}-outside-{candidate_id}.csv".lower(),
        f"Top spenders for and against {label}, {cycle} (regular reports; {when})",
    )


def outside_section(office, state, district, cycle, candidates, order, periods, slug, label):
    """Outside money for and against the race's candidates: cards with the share, one timeline with
    the candidates' own money, the money around each candidate, and each one's top spenders."""
    unmatched = unmatched_list(
        outside.race_outside_unmatched(cycle, office, state, district),
        f"Independent expenditures naming a candidate for {label}, {cycle}, that no candidate matches",
        "race-outside-unmatched",
        f"race-{slug}-outside-unmatched.csv",
    )
    share = outside.race_outside_share(cycle, office, state, district)
    totals = share.iloc[0] if not share.empty else None
    if totals is None or not (totals["outside"] or totals["notice_amount"]):
        return [no_outside(f"for or against the candidates for {label} in {cycle}"), unmatched]
    daily = outside.race_outside_daily(cycle, office, state, district)
    by_candidate = outside.race_outside_candidates(cycle, office, state, district)
    spenders = outside.race_outside_spenders(cycle, office, state, district)
    when = dates(totals["first_date"], totals["last_date"])
    raised = coverage_caption("raised: all receipts", periods["coverage_start"].min(), periods["coverage_end"].max())
    return [
        stat_cards(
            [
                *outside_stats(
                    totals["support"],
                    totals["oppose"],
                    totals["notice_amount"],
                    totals["first_date"],
                    totals["last_date"],
                ),
                share_stat(totals),
            ],
            label=f"Outside money in {label}, {cycle}",
        ),
        chart_with_table(
            "race-outside-timeline",
            race_timeline(periods, daily, order, geography.ELECTION_DAY.get(cycle)),
            timeline_rows(periods, daily),
            TIMELINE_COLUMNS,
            TIMELINE_CSV,
            f"race-{slug}-outside-timeline.csv",
            f"Raised to date by each candidate (solid) and outside money spent for (dashed) and against (dotted) "
            f"them to date, {label}, {cycle} ({raised}; outside: regular reports, {when}). Money {NOTICE_HEADER.lower()} "
            "is in the legend, hidden until clicked.",
        ),
        chart_with_table(
            "race-outside-share",
            race_money_bars(by_candidate),
            by_candidate,
            OUTSIDE_COLUMNS,
            OUTSIDE_CSV,
            f"race-{slug}-outside.csv",
            f"The money around each candidate for {label}, {cycle}: raised by the campaign (the cycle's totals) "
            f"and spent for and against them by others (regular reports; {when})",
        ),
        html.H3("Top spenders for and against each candidate"),
        *[
            top_spenders(spenders, row.name, row.party, cycle, slug, row.candidate_id, when)
            for row in candidates.itertuples()
        ],
        unmatched,
        outside_note(),
    ]


def donors_section(cycle: int, office: str, state, district, candidates: pd.DataFrame, order, slug, label, coverage):
    """The race's unique, repeat and shared itemized donors (cards), new donors per week of each
    candidate (chart, table, CSV), and the donors its two biggest fundraisers share with what each
    received (table + CSV, with the FEC's notice on named donors)."""
    row = donors.race_donor_counts(cycle, office, state, district).iloc[0]
    stats = [
        Stat("Unique donors", labels.count(row["unique_donors"]), "Itemized, name + ZIP5, all candidates"),
        Stat("Repeat donors", labels.count(row["repeat_donors"]), "Two or more gifts in the race"),
        Stat("Gave to several", labels.count(row["donors_to_several"]), "To two or more of its candidates"),
    ]
    parts = [
        stat_cards(stats, label=f"Donors of {label}, {cycle}"),
        html.P(
            f"Counted over itemized gifts from individuals (refunds are not gifts), reports through {coverage}. "
            "A donor who gave to two candidates is one donor of the race.",
            className="muted",
        ),
        donor_parts.race_new_donors(
            donors.race_new_donors_weekly(cycle, office, state, district),
            donors.race_new_donors_total_weekly(cycle, office, state, district),
            candidates,
            order,
            cycle,
            slug,
            label,
        ),
    ]
    if len(candidates) < 2:
        return html.Div(parts)
    a, b = candidates.iloc[0], candidates.iloc[1]
    both = donors.gave_to_both(a["candidate_id"], b["candidate_id"], cycle, limit=donor_parts.BOTH_ON_PAGE)
    shared = (
        donors.shared_donor_count(a["candidate_id"], b["candidate_id"], cycle)
        if len(both) == donor_parts.BOTH_ON_PAGE
        else len(both)
    )
    return html.Div(
        [
            *parts,
            donor_parts.overlap_list(
                both,
                shared,
                (a["candidate_id"], a["name"]),
                (b["candidate_id"], b["name"]),
                cycle,
                "race-gave-to-both",
                f"race-{slug}-gave-to-both.csv",
            ),
            html.P(
                "Any two candidates, of this race or another: open one's page and compare it with the other.",
                className="muted",
            ),
        ]
    )


def race_page(office: str, state: str | None, district: str | None, cycle: int, money=None, sort=None):
    view = params.choice(money, "money", MONEY_VIEWS, "reports")
    sort = parse_sort(sort, CANDIDATE_SORTS) or DEFAULT_SORT
    candidates = races.race_candidates(cycle, office, state, district)
    label = links.race_label(office, state, district)
    if candidates.empty:
        raise PageNotFound(
            f"No candidates filed for {label} in the {cycle} cycle.", closest_races(cycle, office, state, district)
        )
    candidates["candidate"] = [
        f"{name} (incumbent)" if status == "I" else name
        for name, status in zip(candidates["name"], candidates["incumbent_challenge"])
    ]
    # Biggest fundraiser first, each with its party: every chart of the page draws a candidate in the
    # colour this gives it (money_over_time.candidate_styles), whatever order the table is sorted in.
    order = dict(zip(candidates["candidate_id"], candidates["party"]))
    summary = races.race_summary(cycle, office, state, district)
    periods = races.race_periods(cycle, office, state, district)
    weekly = races.race_weekly(cycle, office, state, district) if view == "weekly" else None
    coverage_end = labels.date(candidates["coverage_end"].max())
    slug = f"{office}-{state or 'US'}-{district or '00'}-{cycle}".lower()

    def href(cycle=cycle, view=view, sort=sort_value(sort)) -> str:
        """This page's address with its choices, the defaults left out (the plain page has a plain address)."""
        query = {"money": view, "sort": sort}
        query = {name: value for name, value in query.items() if value not in ("reports", sort_value(DEFAULT_SORT))}
        return links.race_path(office, state, district, cycle) + (f"?{urlencode(query)}" if query else "")

    shown = sort_rows(candidates, sort)
    return page(
        html.H1(f"{label}, {cycle}"),
        cycle_picker(cycle, races.race_cycles(office, state, district), lambda c: href(cycle=c)),
        stat_cards(race_stats(summary, candidates), label=f"Totals for {label}, {cycle}"),
        html.Section(
            [
                html.H2("Candidates"),
                chart_with_table(
                    "race-candidates",
                    race_candidates_money(shown, order),
                    shown,
                    sortable(CANDIDATE_COLUMNS, CANDIDATE_SORTS, sort, lambda s: href(sort=s)),
                    CANDIDATE_CSV,
                    f"race-{slug}.csv",
                    f"Raised, spent and cash on hand of each candidate for {label}, {cycle} "
                    f"(all receipts; reports through {coverage_end})",
                    table_open=True,
                ),
                html.P(GROSS_NOTE, className="muted"),
            ]
        ),
        html.Section(
            [
                html.H2("Money over time"),
                view_links("Show", view, MONEY_VIEWS, lambda v: href(view=v)),
                money_over_time(view, periods, weekly, candidates, order, cycle, slug, label),
            ]
        ),
        html.Section(
            [
                html.H2("Where the money comes from"),
                sizes_section(
                    races.race_sizes(cycle, office, state, district),
                    candidates,
                    order,
                    cycle,
                    slug,
                    label,
                    coverage_end,
                ),
                home_state_section(
                    office,
                    races.race_home_state(cycle, office, state, district),
                    order,
                    cycle,
                    slug,
                    label,
                    coverage_end,
                ),
            ]
        ),
        html.Section(race_in_district_block(cycle, state, district)) if office == "H" else None,
        html.Section(
            [
                html.H2("Donors"),
                donors_section(cycle, office, state, district, candidates, order, slug, label, coverage_end),
            ]
        ),
        html.Section(
            [
                html.H2("Outside spending"),
                *outside_section(office, state, district, cycle, candidates, order, periods, slug, label),
            ]
        ),
        methodology_note("totals", coverage_end),
        methodology_note("itemized", coverage_end),
    )


def closest_races(cycle: int, office: str, state: str | None, district: str | None) -> list[tuple[str, str]]:
    nearby = races.nearby_races(cycle, office, state, district)
    return [(f"{row.race_label}, {row.cycle}", row.race_path) for row in nearby.itertuples()]


def _race_subject(office: str, state: str | None, district: str | None, cycle, money=None, sort=None) -> str:
    """The tab's title, 'House OR-05 race, 2024'; raises as the layout does for an address that names
    no race or an invalid value (the shell's 400 or 404: errors.http_status)."""
    cycle = params.cycle(cycle)
    params.choice(money, "money", MONEY_VIEWS, "reports")
    parse_sort(sort, CANDIDATE_SORTS)
    if races.race_candidates(cycle, office, state, district).empty:
        raise PageNotFound(f"No candidates filed for {links.race_label(office, state, district)} in {cycle}.")
    label = "Presidential" if office == "P" else links.race_label(office, state, district)
    return f"{label} race, {cycle}"


def _house_subject(state=None, district=None, cycle=None, money=None, sort=None, **_other_query) -> str:
    return _race_subject("H", params.state(state), params.district(district), cycle, money, sort)


def _senate_subject(state=None, cycle=None, money=None, sort=None, **_other_query) -> str:
    return _race_subject("S", params.state(state), None, cycle, money, sort)


def _president_subject(cycle=None, money=None, sort=None, **_other_query) -> str:
    return _race_subject("P", None, None, cycle, money, sort)


@friendly_layout
def house(state=None, district=None, cycle=None, money=None, sort=None, **_other_query):
    state, cycle = params.state(state), params.cycle(cycle)
    try:
        district = params.district(district)
    except params.InvalidParameter as problem:  # a real state and cycle: offer its nearest districts
        number = str(district or "").strip()
        near = f"{int(number):02d}" if re.fullmatch(r"[0-9]{1,3}", number) else "00"
        raise PageNotFound(str(problem), closest_races(cycle, "H", state, near)) from problem
    return race_page("H", state, district, cycle, money, sort)


@friendly_layout
def senate(state=None, cycle=None, money=None, sort=None, **_other_query):
    return race_page("S", params.state(state), None, params.cycle(cycle), money, sort)


@friendly_layout
def president(cycle=None, money=None, sort=None, **_other_query):
    return race_page("P", None, None, params.cycle(cycle), money, sort)


RACE_DESCRIPTION = (
    "Who is raising and spending the most in this race: each candidate's money raised, spent and cash on hand, "
    "donors by size and home state, and outside spending, from FEC filings."
)
dash.register_page(
    f"{__name__}_house",
    path_template="/race/house/<state>/<district>/<cycle>",
    layout=house,
    name="House race",
    title=titled(_house_subject, "House race"),
    check=_house_subject,
    description=RACE_DESCRIPTION,
)
dash.register_page(
    f"{__name__}_senate",
    path_template="/race/senate/<state>/<cycle>",
    layout=senate,
    name="Senate race",
    title=titled(_senate_subject, "Senate race"),
    check=_senate_subject,
    description=RACE_DESCRIPTION,
)
dash.register_page(
    f"{__name__}_president",
    path_template="/race/president/<cycle>",
    layout=president,
    name="Presidential race",
    title=titled(_president_subject, "Presidential race"),
    check=_president_subject,
    description=RACE_DESCRIPTION,
)
