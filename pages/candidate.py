"""A candidate in one cycle: money raised, spent and kept, report by report; contributions by
size; where donors live; the top donors, employers and occupations; the outside money spent for
and against them, by spender and over time; the committees counted."""

from __future__ import annotations

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.app import labels, links
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.donors import overlap_section
from dashboard.app.components.errors import PageNotFound, friendly_layout, titled
from dashboard.app.components.in_district import candidate_in_district_section
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.outside import (
    DAILY_COLUMNS,
    DAILY_CSV,
    SPENDER_COLUMNS,
    SPENDER_CSV,
    dates,
    no_outside,
    outside_cards,
    outside_note,
)
from dashboard.app.components.shell import page
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import chart_with_table, download_button
from dashboard.app.figures import theme
from dashboard.app.figures.donors import top_bar
from dashboard.app.figures.money_over_time import candidate_periods_chart, period_label
from dashboard.app.figures.outside import cumulative_for_against, for_against_bars
from dashboard.app.figures.sizes import bucket_name, candidate_sizes_bar
from dashboard.app.figures.states import state_tile_map
from dashboard.app.queries import candidates, donors, outside, search
from dashboard.core import geography, normalize, params


def _subject(candidate_id: str = "", cycle=None, **_query) -> str:
    """The tab's title, 'DOE, JANE, candidate for House OR-05' (the race of the cycle shown; Dash titles a
    page from its path alone, so no cycle is named); raises as the layout does for an address that names no
    candidate or a cycle they did not run in (the shell's 400 or 404: errors.http_status)."""
    candidate_id = params.candidate_id(candidate_id)
    cycles = [int(c) for c in candidates.candidate_cycles(candidate_id)["cycle"]]
    chosen = choose_cycle(candidate_id, cycle, cycles)
    found = candidates.candidate_summary(candidate_id, chosen)
    if found.empty:
        raise PageNotFound(f"There is no candidate {candidate_id} in the {chosen} cycle.")
    row = found.iloc[0]
    return f"{row['name']}, candidate for {links.race_label(row['office'], row['state'], row['district'])}"


dash.register_page(
    __name__,
    path_template="/candidate/<candidate_id>",
    name="Candidate",
    title=titled(_subject, "Candidate"),
    check=_subject,
    description="A candidate's money, report by report: raised, spent and cash on hand, donors by size and "
    "place, top employers, and the outside money spent for and against them, from FEC filings.",
)

NOT_REPORTED = "Not reported"
# Money limits of each size bucket for the receipts explorer's min/max filters.
BUCKET_LIMITS = {
    0: (None, "200"),
    1: ("200.01", "499.99"),
    2: ("500", "999.99"),
    3: ("1000", "1999.99"),
    4: ("2000", None),
}

COMMITTEE_COLUMNS = [
    Column("name", "Committee", link="committee_path"),
    Column("committee_id", "FEC id"),
    Column("designation", "Role", labels.designation),
    Column("in_totals", "Counted in totals", lambda counted: "Yes" if counted is True else "No"),
]
SUMMARY_CSV = [
    "candidate_id",
    "cycle",
    "name",
    "party",
    "office",
    "state",
    "district",
    "incumbent_challenge",
    "receipts",
    "disbursements",
    "net_receipts",
    "net_disbursements",
    "cash_on_hand",
    "debts",
    "individual_itemized",
    "individual_unitemized",
    "individual_refunds",
    "other_committee_contributions",
    "party_contributions",
    "candidate_self",
    "transfers_from_authorized",
    "transfers_to_authorized",
    "totals_source",
    "coverage_start",
    "coverage_end",
]
# The whole election (Senate six years, President four): the cards' figures to the cent.
ELECTION_COLUMNS = [
    Column("period", "Election period"),
    Column("cycles", "Cycles covered"),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
    Column("net_receipts", "Raised, net of own transfers", labels.money_cents, numeric=True),
    Column("disbursements", "Spent", labels.money_cents, numeric=True),
    Column("net_disbursements", "Spent, net of own transfers", labels.money_cents, numeric=True),
    Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
    Column("debts", "Debts", labels.money_cents, numeric=True),
    Column("coverage_end", "Data through", labels.date),
]
ELECTION_CSV = [
    "candidate_id",
    "election_year",
    "office",
    "first_cycle",
    "cycles_included",
    "cycles_missing",
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
ELECTION_YEARS = {"S": "six", "P": "four"}  # the election period's length by office
PERIOD_COLUMNS = [
    Column("period", "Report"),
    Column("coverage_start", "From", labels.date),
    Column("coverage_end", "To", labels.date),
    Column("receipts", "Raised", labels.money_cents, numeric=True),
    Column("disbursements", "Spent", labels.money_cents, numeric=True),
    Column("cash_on_hand_end", "Cash on hand at the end", labels.money_cents, numeric=True),
    Column("receipts_to_date", "Raised to date", labels.money_cents, numeric=True),
]
PERIOD_CSV = [
    "report_year",
    "report_type",
    "coverage_start",
    "coverage_end",
    "receipts",
    "disbursements",
    "cash_on_hand_end",
    "receipts_to_date",
    "disbursements_to_date",
    "individual_itemized",
    "individual_unitemized",
]
SIZE_COLUMNS = [
    Column("bucket", "Contribution size", link="receipts_path"),
    Column("amount", "Amount", labels.money_cents, numeric=True),
    Column("n", "Itemized contributions", labels.count, numeric=True),
    Column("share", "Share", labels.share, numeric=True),
]
SIZE_CSV = ["size_bucket", "size_label", "amount", "n", "share"]
STATE_COLUMNS = [
    Column("state_name", "Donor state", link="receipts_path"),
    Column("amount", "Itemized amount", labels.money_cents, numeric=True),
    Column("n", "Contributions", labels.count, numeric=True),
    Column("share", "Share", labels.share, numeric=True),
    Column("in_state", "Candidate's state", lambda home: "Yes" if home is True else ""),
]
STATE_CSV = ["state", "amount", "n", "share", "in_state"]
DONOR_COLUMNS = [
    Column("rank", "Rank", numeric=True),
    Column("contributor_name", "Donor", link="donor_path"),
    Column("place", "Place"),
    Column("employer", "Employer (latest)"),
    Column("occupation", "Occupation (latest)"),
    Column("amount", "Itemized total", labels.money_cents, numeric=True),
    Column("n", "Contributions", labels.count, numeric=True),
]
DONOR_CSV = ["rank", "donor_key", "contributor_name", "city", "state", "zip5", "employer", "occupation", "amount", "n"]


def _text_columns(key: str, header: str, linked: bool) -> list[Column]:
    return [
        Column("rank", "Rank", numeric=True),
        Column(key, header, link="receipts_path" if linked else None),
        Column("amount", "Itemized total", labels.money_cents, numeric=True),
        Column("n", "Contributions", labels.count, numeric=True),
        Column("share", "Share of itemized", labels.share, numeric=True),
        Column("spellings", "Spellings in the filings"),
    ]


def gross_stats(totals) -> list[Stat]:
    """'Raised' and 'Spent' cards: gross, as the FEC publishes them, with the net figure in the
    card's detail when money moved between the candidate's own committees makes it differ."""
    return [
        Stat(
            "Raised",
            labels.money(totals["receipts"]),
            labels.net_of_own_transfers(totals["receipts"], totals["net_receipts"]) or "All receipts",
        ),
        Stat(
            "Spent",
            labels.money(totals["disbursements"]),
            labels.net_of_own_transfers(totals["disbursements"], totals["net_disbursements"]) or "All disbursements",
        ),
    ]


def money_stats(summary, committees) -> list[Stat]:
    reported = labels.date(summary["coverage_end"]) != "-"
    counted = committees[committees["in_totals"]]
    return [
        *gross_stats(summary),
        Stat("Cash on hand", labels.money(summary["cash_on_hand"]), "At the end of the latest report"),
        Stat("Debts", labels.money(summary["debts"]), "Owed by the campaign"),
        Stat(
            "Data through",
            labels.date(summary["coverage_end"]),
            f"Reports from {labels.date(summary['coverage_start'])}" if reported else "No reports yet",
        ),
        Stat(
            "Committees included",
            labels.count(len(counted)),
            "; ".join(f"{n} ({c})" for n, c in zip(counted["name"], counted["committee_id"])) or "None",
        ),
    ]


def totals_note(totals) -> html.P | None:
    """Where the totals come from and that the headline is gross (nothing before any report)."""
    if labels.date(totals["coverage_end"]) == "-":
        return None
    source = labels.totals_source(totals["totals_source"])
    return html.P(f"Raised and spent are gross, as the FEC publishes them. Source: {source}.", className="muted")


def cycle_list(cycles) -> str:
    """'2022, 2024 and 2026'."""
    names = [str(int(c)) for c in (cycles if cycles is not None else [])]
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def election_stats(election) -> list[Stat]:
    included, missing = election["cycles_included"], election["cycles_missing"]
    return [
        *gross_stats(election),
        Stat("Cash on hand", labels.money(election["cash_on_hand"]), "At the end of the latest report"),
        Stat("Debts", labels.money(election["debts"]), "Owed by the campaign"),
        Stat(
            "Cycles covered",
            cycle_list(included) or "None",
            f"Partial: {cycle_list(missing)} not loaded" if len(missing) else "The whole election",
        ),
    ]


def election_section(elections: pd.DataFrame, name: str, candidate_id: str):
    """A Senate or presidential candidate's money over the whole election (six or four years), as
    fec.gov shows it beside the two-year cycle; nothing for House candidates."""
    if elections.empty:
        return None
    election = elections.iloc[0]
    first, year = int(election["first_cycle"]), int(election["election_year"])
    period = f"{first - 1}-{year}"
    missing = election["cycles_missing"]
    frame = elections.assign(
        period=period,
        cycles=[cycle_list(c) for c in elections["cycles_included"]],
        # one text cell per list in the CSV, as the API writes them
        cycles_included=["; ".join(str(int(c)) for c in v) for v in elections["cycles_included"]],
        cycles_missing=["; ".join(str(int(c)) for c in v) for v in elections["cycles_missing"]],
    )
    caption = f"Money of {name} over the whole {year} election, {period}"
    return html.Section(
        [
            html.H2(f"Whole election {period}"),
            html.P(
                f"A {labels.office(election['office'])} election's money over its {ELECTION_YEARS[election['office']]}"
                f" years ({period}), as fec.gov shows it beside the two-year cycle's. Source: "
                f"{labels.totals_source(election['totals_source'])}; reports from "
                f"{labels.date(election['coverage_start'])} to {labels.date(election['coverage_end'])}.",
                className="muted",
            ),
            html.P(
                [
                    html.Strong("Partial: "),
                    f"the {cycle_list(missing)} cycle{'s' if len(missing) > 1 else ''} of this election "
                    f"{'are' if len(missing) > 1 else 'is'} not in this data; these totals cover "
                    f"{cycle_list(election['cycles_included']) or 'no cycle'} only.",
                ],
                className="notice",
            )
            if len(missing)
            else None,
            stat_cards(election_stats(election), label=caption),
            html.Details([html.Summary("The numbers to the cent"), table(frame, ELECTION_COLUMNS, caption)]),
            download_button("candidate-election", frame, ELECTION_CSV, f"candidate-{candidate_id}-election-{year}.csv"),
        ]
    )


def who(summary) -> str:
    """'Republican · Challenger · House WA-08' in plain words."""
    race = links.race_label(summary["office"], summary["state"], summary["district"])
    return " · ".join([labels.party(summary["party"]), labels.incumbency(summary["incumbent_challenge"]), race])


def choose_cycle(candidate_id: str, cycle_param, cycles: list[int]) -> int:
    """The cycle in the URL, or else the candidate's latest one (not the site default, which
    the candidate may not have run in)."""
    if cycle_param not in (None, ""):
        return params.cycle(cycle_param)
    if not cycles:
        raise PageNotFound(f"There is no candidate {candidate_id} in this data.", closest_candidates(candidate_id))
    return cycles[-1]


def closest_candidates(text: str) -> list[tuple[str, str]]:
    """Candidates named like `text`, else with an FEC id like it: the 404's 'closest matches'."""

    def describe(row) -> str:
        return f"{row.name} ({links.race_label(row.office, row.state, row.district)}, {row.cycle})"

    named = search.search(params.search_text(text), limit=5)
    named = named[named["kind"] == "candidate"]
    if not named.empty:
        return [(describe(row), row.path) for row in named.itertuples()]
    similar = candidates.similar_candidates(text.upper()[:9])
    return [(describe(row), links.candidate_path(row.candidate_id, int(row.cycle))) for row in similar.itertuples()]


def caption(what: str, basis: str, start, end) -> str:
    """'Raised ... (all receipts · 2023-01-01 to 2024-10-14)': what a figure counts and when."""
    return f"{what} ({basis} · {labels.date(start)} to {labels.date(end)})"


def periods_section(periods, name, cycle, candidate_id, start, end):
    periods = periods.assign(
        period=[period_label(y, t) for y, t in zip(periods["report_year"], periods["report_type"])]
    )
    return chart_with_table(
        "candidate-periods",
        candidate_periods_chart(periods),
        periods,
        PERIOD_COLUMNS,
        PERIOD_CSV,
        f"candidate-{candidate_id}-{cycle}-by-report.csv",
        caption(f"Raised, spent and cash on hand of {name} by report, {cycle}", "all receipts", start, end),
    )


def sizes_section(sizes, name, cycle, candidate_id, start, end):
    sizes = sizes.assign(
        bucket=[bucket_name(b, t) for b, t in zip(sizes["size_bucket"], sizes["size_label"])],
        receipts_path=[
            links.receipts_path(
                candidate_id=candidate_id, cycle=cycle, min=BUCKET_LIMITS[int(b)][0], max=BUCKET_LIMITS[int(b)][1]
            )
            for b in sizes["size_bucket"]
        ],
    )
    return chart_with_table(
        "candidate-sizes",
        candidate_sizes_bar(sizes),
        sizes,
        SIZE_COLUMNS,
        SIZE_CSV,
        f"candidate-{candidate_id}-{cycle}-sizes.csv",
        caption(
            f"Money from individuals to {name} by contribution size, {cycle}",
            "all individual money: the $200-and-under bucket includes unitemized gifts",
            start,
            end,
        ),
    )


def states_section(states, summary, cycle, candidate_id, start, end):
    states = states.assign(
        state_name=[
            geography.STATES.get(s, (None, s or "Unknown"))[1] if isinstance(s, str) else "Unknown"
            for s in states["state"]
        ],
        receipts_path=[
            links.receipts_path(candidate_id=candidate_id, cycle=cycle, state=s) if isinstance(s, str) else None
            for s in states["state"]
        ],
    )
    home = summary["state"] if summary["office"] != "P" else None
    in_state = states.loc[states["in_state"], "amount"].sum()
    total = states["amount"].sum()
    share_note = (
        html.P(
            [
                html.Strong("In-state share: "),
                f"{labels.share(in_state / total if total else None)} of itemized money "
                f"({labels.money(in_state)} of {labels.money(total)}) came from donors in "
                f"{geography.STATES[home][1]} (the outlined tile).",
            ]
        )
        if home
        else html.P("A presidential race is national: there is no in-state share.")
    )
    return html.Div(
        [
            share_note,
            chart_with_table(
                "candidate-states",
                state_tile_map(states, home),
                states,
                STATE_COLUMNS,
                STATE_CSV,
                f"candidate-{candidate_id}-{cycle}-states.csv",
                caption(f"Itemized money to {summary['name']} by donor state, {cycle}", "itemized only", start, end),
            ),
        ]
    )


def donors_section(donors, name, cycle, candidate_id, start, end):
    donors = donors.assign(
        place=[
            ", ".join(p for p in (c, s, z) if isinstance(p, str))
            for c, s, z in zip(donors["city"], donors["state"], donors["zip5"])
        ],
        donor_path=[links.donor_url(k) for k in donors["donor_key"]],
    )
    return html.Div(
        [
            html.P([html.Strong("How donors are grouped: "), normalize.DONOR_KEY_RULE], className="muted"),
            chart_with_table(
                "candidate-donors",
                top_bar(donors, "contributor_name", "contributions"),
                donors,
                DONOR_COLUMNS,
                DONOR_CSV,
                f"candidate-{candidate_id}-{cycle}-donors.csv",
                caption(f"Top individual contributors to {name}, {cycle}", "itemized only, net of refunds", start, end),
            ),
        ]
    )


NEW_DONOR_COLUMNS = [
    Column("week", "Week of", labels.date, sort="ascending"),
    Column("new_donors", "New donors", labels.count, numeric=True),
    Column("donors_to_date", "Donors so far", labels.count, numeric=True),
]
NEW_DONOR_CSV = ["week", "new_donors", "donors_to_date"]


def new_donors_chart(weekly: pd.DataFrame) -> go.Figure:
    """Bars of the donors who first gave each week (queries.donors.candidate_new_donors_weekly)."""
    if weekly.empty:
        return theme.empty_figure("No itemized gifts from individuals for this cycle")
    layout = theme.base_layout(height=320)
    layout["yaxis"].update(title={"text": "New donors that week"}, rangemode="tozero")
    bars = {
        "type": "bar",
        "x": pd.to_datetime(weekly["week"]),
        "y": weekly["new_donors"],
        "marker": {"color": theme.OKABE_ITO["blue"]},
        "hovertemplate": "Week of %{x|%b %d, %Y}: %{y:,} new donors<extra></extra>",
    }
    return theme.figure([bars], layout)


def donor_counts_section(counts, weekly, name, cycle, candidate_id, start, end):
    """Unique and repeat itemized donors (cards) and new donors per week (chart, table, CSV)."""
    row = counts.iloc[0] if len(counts) else None
    stats = [
        Stat("Unique donors", labels.count(row["unique_donors"] if row is not None else 0), "Itemized, name + ZIP5"),
        Stat(
            "Repeat donors",
            labels.count(row["repeat_donors"] if row is not None else 0),
            "Gave two or more times",
        ),
    ]
    return html.Div(
        [
            stat_cards(stats, label=f"Donors of {name} in {cycle}"),
            html.P(
                "Counted over itemized gifts from individuals (refunds are not gifts); "
                "unitemized donors (under $200 in the year) are not named, so not counted.",
                className="muted",
            ),
            chart_with_table(
                "candidate-new-donors",
                new_donors_chart(weekly),
                weekly,
                NEW_DONOR_COLUMNS,
                NEW_DONOR_CSV,
                f"candidate-{candidate_id}-{cycle}-new-donors.csv",
                caption(f"New itemized donors to {name} per week, {cycle}", "week of a donor's first gift", start, end),
            ),
        ]
    )


def texts_section(frame, key, header, name, cycle, candidate_id, start, end):
    linked = key == "employer"  # the receipts explorer filters by employer, not by occupation
    frame = frame.assign(
        # a list of spellings; missing (NA, not a list) where no donor reported an employer
        spellings=[
            "; ".join(v) if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else "" for v in frame["variants"]
        ],
        receipts_path=[
            links.receipts_path(candidate_id=candidate_id, cycle=cycle, employer=e)
            if linked and isinstance(e, str)
            else None
            for e in frame[key]
        ],
    )
    frame[key] = frame[key].fillna(NOT_REPORTED)
    return chart_with_table(
        f"candidate-{key}s",
        top_bar(frame, key, f"{key}s"),
        frame,
        _text_columns(key, header, linked),
        ["rank", key, "amount", "n", "share", "spellings"],
        f"candidate-{candidate_id}-{cycle}-{key}s.csv",
        caption(f"Top {key}s of donors to {name}, {cycle} (normalized)", "itemized only", start, end),
    )


def outside_section(summary, spenders, daily, name, cycle, candidate_id):
    """Outside money for and against the candidate: by spender and over time, or the empty state."""
    if summary.empty:
        return [no_outside(f"for or against {name} in {cycle}")]
    totals = summary.iloc[0]
    when = dates(totals["first_date"], totals["last_date"])
    return [
        outside_cards(totals, f"Outside money for and against {name} in {cycle}"),
        chart_with_table(
            "candidate-outside-spenders",
            for_against_bars(spenders, "spender_name", f"for or against {name}"),
            spenders,
            SPENDER_COLUMNS,
            SPENDER_CSV,
            f"candidate-{candidate_id}-{cycle}-outside-spenders.csv",
            f"Spenders for and against {name}, {cycle} (regular reports; {when})",
        ),
        chart_with_table(
            "candidate-outside-daily",
            cumulative_for_against(daily, f"for or against {name}"),
            daily,
            DAILY_COLUMNS,
            DAILY_CSV,
            f"candidate-{candidate_id}-{cycle}-outside-by-day.csv",
            f"Outside money for and against {name} to date, {cycle} ({when}; notice-only money drawn apart)",
        ),
        outside_note(),
    ]


def race_link(summary, cycle: int):
    """The race this candidacy is in; a candidate filed for another election (or for a seat that
    does not exist that cycle) is in none, and the page says so rather than link to nothing."""
    if summary["in_race"]:
        path = links.race_path(summary["office"], summary["state"], summary["district"], cycle)
        return dcc.Link(f"See the whole race ({cycle})", href=path)
    year = summary["election_year"]
    for_year = f"; the candidacy is for the {int(year)} election" if pd.notna(year) and int(year) != cycle else ""
    return html.Span(f"Not in a {cycle} race{for_year}")


@friendly_layout
def layout(candidate_id=None, cycle=None, compare=None, **_other_query):
    try:
        candidate_id = params.candidate_id(candidate_id)
    except params.InvalidParameter as problem:
        raise PageNotFound(str(problem), closest_candidates(str(candidate_id or ""))) from problem
    cycles = [int(c) for c in candidates.candidate_cycles(candidate_id)["cycle"]]
    cycle = choose_cycle(candidate_id, cycle, cycles)
    found = candidates.candidate_summary(candidate_id, cycle)
    if found.empty:
        raise PageNotFound(
            f"There is no candidate {candidate_id} in the {cycle} cycle"
            + (f"; they ran in {', '.join(map(str, cycles))}." if cycles else "."),
            [(f"{candidate_id} in {c}", links.candidate_path(candidate_id, c)) for c in cycles]
            or closest_candidates(candidate_id),
        )
    summary = found.iloc[0]
    name = summary["name"]
    committees = candidates.candidate_committees(candidate_id, cycle)
    committees["committee_path"] = [links.committee_path(c, cycle) for c in committees["committee_id"]]
    start, end = summary["coverage_start"], summary["coverage_end"]
    return page(
        html.H1(name),
        html.P([who(summary), " · ", race_link(summary, cycle)], className="lede"),
        cycle_picker(cycle, cycles, lambda c: links.candidate_path(candidate_id, c)),
        html.Section(
            [
                html.H2(f"Money in the {cycle} cycle"),
                stat_cards(money_stats(summary, committees), label=f"Money of {name} in {cycle}"),
                totals_note(summary),
                download_button("candidate-summary", found, SUMMARY_CSV, f"candidate-{candidate_id}-{cycle}.csv"),
            ]
        ),
        election_section(candidates.candidate_election_totals(candidate_id, cycle), name, candidate_id),
        html.Section(
            [
                html.H2("Raised, spent and cash on hand by report"),
                periods_section(
                    candidates.candidate_periods(candidate_id, cycle), name, cycle, candidate_id, start, end
                ),
            ]
        ),
        html.Section(
            [
                html.H2("Contributions by size"),
                sizes_section(candidates.candidate_sizes(candidate_id, cycle), name, cycle, candidate_id, start, end),
            ]
        ),
        html.Section(
            [
                html.H2("Where donors live"),
                states_section(
                    candidates.candidate_states(candidate_id, cycle), summary, cycle, candidate_id, start, end
                ),
            ]
        ),
        candidate_in_district_section(
            candidate_id, cycle, name, summary["office"], summary["state"], summary["district"]
        ),
        html.Section(
            [
                html.H2("Top contributors"),
                donors_section(candidates.candidate_donors(candidate_id, cycle), name, cycle, candidate_id, start, end),
            ]
        ),
        html.Section(
            [
                html.H2("Donors"),
                donor_counts_section(
                    donors.candidate_donor_counts(candidate_id, cycle),
                    donors.candidate_new_donors_weekly(candidate_id, cycle),
                    name,
                    cycle,
                    candidate_id,
                    start,
                    end,
                ),
                overlap_section("candidate", candidate_id, name, cycle, compare),
            ]
        ),
        html.Section(
            [
                html.H2("Top employers and occupations"),
                html.P([html.Strong("How they are normalized: "), normalize.JOB_RULE], className="muted"),
                texts_section(
                    candidates.candidate_employers(candidate_id, cycle),
                    "employer",
                    "Employer",
                    name,
                    cycle,
                    candidate_id,
                    start,
                    end,
                ),
                texts_section(
                    candidates.candidate_occupations(candidate_id, cycle),
                    "occupation",
                    "Occupation",
                    name,
                    cycle,
                    candidate_id,
                    start,
                    end,
                ),
            ]
        ),
        html.Section(
            [
                html.H2("Outside spending"),
                *outside_section(
                    outside.candidate_outside_summary(candidate_id, cycle),
                    outside.candidate_outside_spenders(candidate_id, cycle),
                    outside.candidate_outside_daily(candidate_id, cycle),
                    name,
                    cycle,
                    candidate_id,
                ),
            ]
        ),
        html.P(
            dcc.Link(
                "Every itemized contribution to this candidate in the receipts explorer",
                href=links.receipts_path(candidate_id=candidate_id, cycle=cycle),
            )
        ),
        html.Section(
            [
                html.H2("Committees"),
                table(
                    committees,
                    COMMITTEE_COLUMNS,
                    f"Committees of {name} in {cycle}",
                    empty="No committees are linked to this candidate for this cycle.",
                ),
            ]
        ),
        methodology_note("totals", labels.date(end)),
        methodology_note("itemized", labels.date(end)),
    )
