"""The API's endpoints: one declarative `Endpoint` per table, grouped by subject.

Each entry names its path under PREFIX, the query function of dashboard.app.queries the pages
call (so the API's numbers equal the pages' by construction) and its parameters
(dashboard.app.api.params). Adding an endpoint for a new query function is one entry in its
subject's group; dashboard.app.api.http serves it and dashboard.app.api.openapi documents it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from dashboard.app.api.params import (
    BUCKET,
    CANDIDATE,
    CANDIDATE_CYCLE,
    CANDIDATE_SCHEMA,
    COMMITTEE,
    COMMITTEE_SCHEMA,
    CYCLE,
    DISTRICT,
    LARGE_MINIMUM,
    MAP_OFFICE,
    OFFICE,
    OFFICE_OPTIONAL,
    ORDER,
    PER_RACE,
    RACE,
    RACE_COUNT,
    RACE_RULES,
    RECEIPT_FILTERS,
    RECEIPT_RULES,
    SEARCH_TEXT,
    SINCE,
    STATE,
    TREND_FILTERS,
    WINDOW,
    Param,
    Rule,
    limit,
)
from dashboard.app.queries import (
    candidates,
    committees,
    donor_profile,
    donors,
    home,
    maps,
    outside,
    races,
    receipts,
    search,
    snapshot,
    trends,
)
from dashboard.core import params

PREFIX = "/api/v1"


@dataclass(frozen=True)
class Endpoint:
    path: str  # under /api/v1
    summary: str
    function: Callable  # the query function the pages call
    params: tuple[Param, ...] = ()
    call: Callable[[dict], Any] | None = None  # adapts parsed parameters (default: function(**params))
    tag: str = "data"
    extra: dict = field(default_factory=dict)  # more OpenAPI fields
    rules: tuple[Rule, ...] = ()  # constraints between parameters (in words in the document)


def _race(function: Callable) -> Callable[[dict], Any]:
    """Calls a race query after checking the race is fully named (state for house and senate,
    district for house); parameters beyond the race's (a limit) are passed by name."""

    def call(p: dict):
        if p["office"] in ("H", "S") and not p.get("state"):
            raise params.InvalidParameter("state: missing (house and senate races are in one state)")
        if p["office"] == "H" and not p.get("district"):
            raise params.InvalidParameter("district: missing (a house race is one district)")
        more = {name: value for name, value in p.items() if name not in ("cycle", "office", "state", "district")}
        return function(p["cycle"], p["office"], p.get("state"), p.get("district"), **more)

    return call


def _listing(column: str, function: Callable) -> Callable[[dict], Any]:
    return lambda p: pd.DataFrame({column: function(**p)})


SITE = (
    Endpoint(
        "/cycles",
        "Cycles with data, newest first",
        home.cycles_available,
        call=_listing("cycle", home.cycles_available),
        tag="site",
    ),
    Endpoint(
        "/headline",
        "Money raised, spent and kept per office in a cycle (home page)",
        home.headline_by_office,
        (CYCLE,),
        tag="site",
    ),
    Endpoint(
        "/search",
        "Candidates and committees matching a name or id",
        search.search,
        (SEARCH_TEXT, limit(50, 10)),
        call=lambda p: search.search(p["q"], p["limit"]),
        tag="site",
    ),
    Endpoint(
        "/coverage",
        "Per cycle: the date the data runs through, candidates reporting",
        snapshot.coverage_by_cycle,
        tag="site",
    ),
    Endpoint("/row-counts", "Rows per extract of the snapshot", snapshot.row_counts, tag="site"),
    Endpoint(
        "/data-quality",
        "What the snapshot holds that is odd but real (negative totals, orphan ids, ...): reason, count, examples",
        snapshot.data_quality,
        tag="site",
    ),
)

RACES = (
    Endpoint(
        "/races/top",
        "The races that raised the most in a cycle",
        races.top_races,
        (CYCLE, OFFICE_OPTIONAL, limit(500, 10)),
        tag="races",
    ),
    Endpoint(
        "/race",
        "One race's totals, leader and shares (agg_district row)",
        races.race_summary,
        RACE,
        call=_race(races.race_summary),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/candidates",
        "Every candidate of a race with summary totals",
        races.race_candidates,
        RACE,
        call=_race(races.race_candidates),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/periods",
        "Every report of every candidate of a race",
        races.race_periods,
        RACE,
        call=_race(races.race_periods),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/weekly",
        "Itemized money per candidate and week in a race",
        races.race_weekly,
        RACE,
        call=_race(races.race_weekly),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/sizes",
        "Money by contribution size for every candidate of a race",
        races.race_sizes,
        RACE,
        call=_race(races.race_sizes),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/home-state",
        "In-state and out-of-state itemized money per candidate of a race",
        races.race_home_state,
        RACE,
        call=_race(races.race_home_state),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/cycles",
        "Cycles in which a race has candidates",
        races.race_cycles,
        (OFFICE, STATE, DISTRICT),
        call=lambda p: pd.DataFrame({"cycle": races.race_cycles(p["office"], p.get("state"), p.get("district"))}),
        tag="races",
    ),
    Endpoint(
        "/race/nearby",
        "Races closest to a race (the same seat in other cycles, neighbours)",
        races.nearby_races,
        (CYCLE, OFFICE, STATE, DISTRICT),
        tag="races",
    ),
)

# Outside spending (independent expenditures): `amount`, `support`, `oppose` are from regular
# reports; `notice_*` columns from 24/48-hour notices not yet in a regular report, never added in.
NOTICES = "notice_* columns: 24/48-hour notices not yet in a regular report, apart"
RACE_OUTSIDE = (
    Endpoint(
        "/race/outside",
        "Outside money for and against every candidate of a race, their receipts and the outside share of the "
        f"money around each ({NOTICES})",
        outside.race_outside_candidates,
        RACE,
        call=_race(outside.race_outside_candidates),
        rules=RACE_RULES,
        tag="outside",
    ),
    Endpoint(
        "/race/outside/share",
        "A race's outside money for and against its candidates and its share of all money in the race "
        "(candidates' receipts plus outside money); notice_amount: 24/48-hour notices not yet in a regular report",
        outside.race_outside_share,
        RACE,
        call=_race(outside.race_outside_share),
        rules=RACE_RULES,
        tag="outside",
    ),
    Endpoint(
        "/race/outside/daily",
        f"Outside money for and against each candidate of a race per day, with running totals ({NOTICES})",
        outside.race_outside_daily,
        RACE,
        call=_race(outside.race_outside_daily),
        rules=RACE_RULES,
        tag="outside",
    ),
    Endpoint(
        "/race/outside/spenders",
        f"The biggest spenders for and against each candidate of a race ({NOTICES})",
        outside.race_outside_spenders,
        (*RACE, limit(100, 10)),
        call=_race(outside.race_outside_spenders),
        rules=RACE_RULES,
        tag="outside",
    ),
    Endpoint(
        "/race/outside/unmatched",
        "Independent expenditures naming a candidate of a race's office and place that no candidate matches",
        outside.race_outside_unmatched,
        RACE,
        call=_race(outside.race_outside_unmatched),
        rules=RACE_RULES,
        tag="outside",
    ),
)

CANDIDATES = (
    Endpoint(
        "/candidate",
        "A candidate's facts and totals in a cycle: receipts and disbursements gross as the FEC publishes them, "
        "net_receipts and net_disbursements without the money moved between the candidate's own committees, "
        "totals_source ('summary': the FEC's candidate totals; 'reports': the sum of the committees' reports)",
        candidates.candidate_summary,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/election-totals",
        "A Senate or presidential candidate's totals over the whole election the candidacy of the cycle is for "
        "(six or four years), gross with net beside; partial when cycles_missing is not empty (no row for House)",
        candidates.candidate_election_totals,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/cycles",
        "Every cycle a candidate ran in",
        candidates.candidate_cycles,
        (CANDIDATE,),
        tag="candidates",
    ),
    Endpoint(
        "/candidate/committees",
        "A candidate's committees and whether each is counted",
        candidates.candidate_committees,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/periods",
        "Raised, spent and cash on hand by report",
        candidates.candidate_periods,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/sizes",
        "Money from individuals by contribution size",
        candidates.candidate_sizes,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/states",
        "Itemized money by donor state",
        candidates.candidate_states,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/donors",
        "Top individual contributors",
        candidates.candidate_donors,
        (*CANDIDATE_CYCLE, limit(100, 100)),
        tag="candidates",
    ),
    Endpoint(
        "/candidate/employers",
        "Top employers of donors (normalized)",
        candidates.candidate_employers,
        (*CANDIDATE_CYCLE, limit(100, 100)),
        tag="candidates",
    ),
    Endpoint(
        "/candidate/occupations",
        "Top occupations of donors (normalized)",
        candidates.candidate_occupations,
        (*CANDIDATE_CYCLE, limit(100, 100)),
        tag="candidates",
    ),
)

CANDIDATE_OUTSIDE = (
    Endpoint(
        "/candidate/outside",
        f"Outside money for and against a candidate in a cycle, with its dates ({NOTICES})",
        outside.candidate_outside_summary,
        CANDIDATE_CYCLE,
        tag="outside",
    ),
    Endpoint(
        "/candidate/outside/spenders",
        f"Every spender for and against a candidate, biggest first on each side ({NOTICES})",
        outside.candidate_outside_spenders,
        (*CANDIDATE_CYCLE, limit(500, 100)),
        tag="outside",
    ),
    Endpoint(
        "/candidate/outside/daily",
        f"Outside money for and against a candidate per day, with running totals ({NOTICES})",
        outside.candidate_outside_daily,
        CANDIDATE_CYCLE,
        tag="outside",
    ),
)

COMMITTEES = (
    Endpoint(
        "/committee", "A committee's facts per cycle", committees.committee_cycles, (COMMITTEE,), tag="committees"
    ),
    Endpoint(
        "/committee/totals",
        "What a PAC or party committee raised, spent and kept per cycle: the FEC's own committee totals, else "
        "the sum of its reports",
        committees.committee_totals,
        (COMMITTEE,),
        tag="committees",
    ),
)

SPENDER = (COMMITTEE, CYCLE)
COMMITTEE_OUTSIDE = (
    Endpoint(
        "/committee/outside",
        f"A committee's independent expenditures for and against candidates per cycle ({NOTICES})",
        outside.spender_outside_cycles,
        (COMMITTEE,),
        tag="outside",
    ),
    Endpoint(
        "/committee/outside/races",
        f"Where a committee spent for and against candidates in a cycle, by race ({NOTICES})",
        outside.spender_outside_races,
        SPENDER,
        tag="outside",
    ),
    Endpoint(
        "/committee/outside/candidates",
        f"The candidates a committee spent for and against in a cycle ({NOTICES})",
        outside.spender_outside_candidates,
        SPENDER,
        tag="outside",
    ),
    Endpoint(
        "/committee/outside/daily",
        f"A committee's independent expenditures per day in a cycle, with running totals ({NOTICES})",
        outside.spender_outside_daily,
        SPENDER,
        tag="outside",
    ),
    Endpoint(
        "/committee/outside/unmatched",
        "A committee's independent expenditures naming a candidate that no candidate of the cycle matches",
        outside.spender_outside_unmatched,
        SPENDER,
        tag="outside",
    ),
)

# The receipts pages and the export have their own routes (dashboard.app.api.http): they page
# with a cursor or stream.
RECEIPTS = (
    Endpoint(
        "/receipts/summary",
        "Count, sum and dates of the itemized receipts a search selects",
        receipts.receipts_summary,
        RECEIPT_FILTERS,
        call=lambda p: receipts.receipts_summary(receipts.ReceiptFilters.from_query(p)),
        rules=RECEIPT_RULES,
        tag="receipts",
    ),
    Endpoint(
        "/receipts/conduits",
        "Conduit committees of a cycle (ActBlue, WinRed...)",
        receipts.conduits,
        (CYCLE,),
        tag="receipts",
    ),
)

TRENDS = (
    Endpoint(
        "/trends/data-end",
        "The last day with itemized receipts in a cycle",
        trends.data_end,
        (CYCLE,),
        call=lambda p: pd.DataFrame({"data_end": [trends.data_end(p["cycle"])]}),
        tag="trends",
    ),
    Endpoint(
        "/trends/parties",
        "Party codes of a cycle's candidates, most common first",
        trends.party_options,
        (CYCLE,),
        call=_listing("party", trends.party_options),
        tag="trends",
    ),
    Endpoint(
        "/trends/over-time",
        "Itemized money per day or week by party and office, with the previous cycle",
        trends.receipts_over_time,
        (*TREND_FILTERS, *WINDOW, BUCKET),
        tag="trends",
    ),
    Endpoint(
        "/trends/comparison",
        "Itemized money in a window against the windows before",
        trends.comparison,
        (*TREND_FILTERS, *WINDOW),
        tag="trends",
    ),
    Endpoint(
        "/trends/changes",
        "The snapshot this one was compared with",
        trends.changes_summary,
        call=lambda p: pd.DataFrame([trends.changes_summary()]),
        tag="trends",
    ),
    Endpoint(
        "/trends/movers",
        "Candidates whose receipts grew since the previous snapshot",
        trends.movers_since_snapshot,
        (*TREND_FILTERS, ORDER, limit(500, 25)),
        tag="trends",
    ),
    Endpoint(
        "/trends/arrivals",
        "Candidates with itemized receipts that arrived since the previous snapshot",
        trends.arrivals_since_snapshot,
        (*TREND_FILTERS, limit(1000, 100)),
        tag="trends",
    ),
    Endpoint(
        "/trends/new-reports",
        "Report periods new or revised since the previous snapshot",
        trends.new_reports,
        (*TREND_FILTERS, limit(1000, 200)),
        tag="trends",
    ),
    Endpoint(
        "/trends/new-notices",
        "24/48-hour notices of outside spending new since the previous snapshot (not yet in a regular report)",
        trends.new_notices,
        (*TREND_FILTERS, limit(1000, 200)),
        tag="trends",
    ),
    Endpoint(
        "/trends/movers-since",
        f"Candidates whose latest report raised more a day than the one before (both ${trends.MOVER_MINIMUM:,} or more)",
        trends.movers_since_period,
        (*TREND_FILTERS, SINCE, ORDER, limit(500, 25)),
        tag="trends",
    ),
    Endpoint(
        "/trends/large",
        "Large itemized contributions received in a window",
        trends.large_contributions,
        (*TREND_FILTERS, *WINDOW, LARGE_MINIMUM, limit(5000, 500)),
        tag="trends",
    ),
    Endpoint(
        "/trends/top-races",
        "Cumulative receipts of the races that raised the most",
        trends.top_races_cumulative,
        (*TREND_FILTERS, RACE_COUNT),
        tag="trends",
    ),
)

MAP = (
    Endpoint(
        "/map",
        "Every seat the district map draws, with every metric it colours by and the leaders",
        maps.map_rows,
        (CYCLE, MAP_OFFICE, STATE, PER_RACE),
        tag="map",
    ),
    Endpoint(
        "/map/races",
        "Every race of one office in a cycle (agg_district rows)",
        maps.map_races,
        (CYCLE, MAP_OFFICE, STATE),
        tag="map",
    ),
    Endpoint(
        "/map/candidates",
        "The biggest fundraisers of every race (the map's hover)",
        maps.map_candidates,
        (CYCLE, MAP_OFFICE, STATE, PER_RACE),
        tag="map",
    ),
)

# The two candidates whose shared donors /donors/both lists.
CANDIDATE_PAIR = tuple(
    Param(name, params.candidate_id, CANDIDATE_SCHEMA, what, required=True)
    for name, what in (
        ("candidate_a", "FEC candidate id (amount_a, gifts_a)"),
        ("candidate_b", "FEC candidate id (amount_b, gifts_b)"),
    )
)

# Any two candidates or any two committees whose shared donors /overlap lists: one pair, not both.
OVERLAP_PAIR = tuple(
    Param(name, params.optional(parse), schema, what)
    for name, parse, schema, what in (
        (
            "committee_a",
            lambda v: params.committee_id(v, "committee_a"),
            COMMITTEE_SCHEMA,
            "FEC committee id (amount_a, gifts_a)",
        ),
        (
            "committee_b",
            lambda v: params.committee_id(v, "committee_b"),
            COMMITTEE_SCHEMA,
            "FEC committee id (amount_b, gifts_b)",
        ),
        ("candidate_a", params.candidate_id, CANDIDATE_SCHEMA, "FEC candidate id, instead of committee_a"),
        ("candidate_b", params.candidate_id, CANDIDATE_SCHEMA, "FEC candidate id, instead of committee_b"),
    )
)


def _overlap(p: dict):
    """gave_to_both of two candidates or committee_gave_to_both of two committees, whichever pair is named."""
    committees_named = [p.get("committee_a"), p.get("committee_b")]
    candidates_named = [p.get("candidate_a"), p.get("candidate_b")]
    if all(committees_named) and not any(candidates_named):
        return donors.committee_gave_to_both(*committees_named, p["cycle"], p["limit"])
    if all(candidates_named) and not any(committees_named):
        return donors.gave_to_both(*candidates_named, p["cycle"], p["limit"])
    raise params.InvalidParameter(
        "committee_a: name two committees (committee_a and committee_b) or two candidates (candidate_a and "
        "candidate_b), one pair"
    )


# The receipts explorer's one-row-per-donor view (receipts.receipts_by_donor).
DONOR_SORT = Param(
    "sort",
    lambda v: params.choice(v, "sort", receipts.DONOR_SORTS, receipts.DEFAULT_DONOR_SORT),
    {"type": "string", "enum": list(receipts.DONOR_SORTS), "default": receipts.DEFAULT_DONOR_SORT},
    "order: total, gifts, name, first_date or last_date, - for descending",
)
OFFSET = Param(
    "offset",
    lambda v: params.whole_number(v, "offset", 0, 10_000_000, 0),
    {"type": "integer", "minimum": 0, "maximum": 10_000_000, "default": 0},
    "donors to skip (paging)",
)

DONORS = (
    Endpoint(
        "/candidate/donor-counts",
        "Unique itemized donors (name + ZIP5), repeat (two or more gifts) and one-time; refunds are no gifts",
        donors.candidate_donor_counts,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/candidate/new-donors",
        "Itemized donors new per week (the week of their first gift) and donors so far",
        donors.candidate_new_donors_weekly,
        CANDIDATE_CYCLE,
        tag="candidates",
    ),
    Endpoint(
        "/race/donor-counts",
        "A race's unique itemized donors over all its candidates, repeat, one-time, and those who gave to several",
        donors.race_donor_counts,
        RACE,
        call=_race(donors.race_donor_counts),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/donors/both",
        "Donors who gave to both candidates in a cycle, with the gifts to each. " + donors.DONOR_LIST_NOTICE,
        donors.gave_to_both,
        (*CANDIDATE_PAIR, CYCLE),
        tag="candidates",
    ),
    Endpoint(
        "/overlap",
        "Donors who gave to both of two committees (committee_a, committee_b) or two candidates (candidate_a, "
        "candidate_b), of any race, in a cycle, with the gifts to each, biggest givers first. "
        + donors.DONOR_LIST_NOTICE,
        donors.committee_gave_to_both,
        (*OVERLAP_PAIR, CYCLE, limit(100_000, 100_000)),
        call=_overlap,
        rules=(
            Rule(
                "name one pair: committee_a and committee_b, or candidate_a and candidate_b",
                lambda q: (
                    {"committee_a", "committee_b"} <= set(q)
                    and not {"candidate_a", "candidate_b"} & set(q)
                    or {"candidate_a", "candidate_b"} <= set(q)
                    and not {"committee_a", "committee_b"} & set(q)
                ),
            ),
        ),
        tag="donors",
    ),
    Endpoint(
        "/race/new-donors",
        "Itemized donors new per week to each candidate of a race (a donor new to two candidates counts for "
        "each), quiet weeks with 0, and donors so far",
        donors.race_new_donors_weekly,
        RACE,
        call=_race(donors.race_new_donors_weekly),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/race/new-donors/total",
        "Itemized donors new per week to a race, each donor once however many of its candidates they gave to, "
        "and the race's donors so far",
        donors.race_new_donors_total_weekly,
        RACE,
        call=_race(donors.race_new_donors_total_weekly),
        rules=RACE_RULES,
        tag="races",
    ),
    Endpoint(
        "/receipts/by-donor",
        "The itemized receipts a search selects, one row per donor (name + ZIP5): total net of refunds, gifts, "
        "first and last date, and donors (how many the whole search has). " + donors.DONOR_LIST_NOTICE,
        receipts.receipts_by_donor,
        (*RECEIPT_FILTERS, DONOR_SORT, limit(receipts.MAX_PAGE * 10, 100), OFFSET),
        call=lambda p: receipts.receipts_by_donor(
            receipts.ReceiptFilters.from_query(p), p["sort"], p["limit"], p["offset"]
        ),
        rules=RECEIPT_RULES,
        tag="receipts",
    ),
)

# One donor (pages/donor.py): a donor key is the normalized name, '|' and the ZIP5 ('SMITH, JOHN|20001').
DONOR_KEY = Param(
    "donor_key",
    params.donor_key,
    # The name starts with no space (the parser trims it) and has no '|' or control character.
    {
        "type": "string",
        "pattern": "^[^|\\s\\x00-\\x1f\\x7f][^|\\x00-\\x1f\\x7f]{0,149}[|]([0-9]{5}|[?])$",
        "example": "SMITH, JOHN|20001",
    },
    "donor key: normalized name, '|' and ZIP5 (as in the donor_key columns)",
    required=True,
)
DONOR = tuple(
    Endpoint(path, f"{summary} {donors.DONOR_LIST_NOTICE}", function, (DONOR_KEY,), tag="donors")
    for path, summary, function in (
        ("/donor", "One donor across all cycles (first row, no cycle) and per cycle: name, place, job, net amount, "
         "gifts, refunds, candidates, first and last date.", donor_profile.donor_summary),
        ("/donor/gifts", "Every itemized gift of one donor, newest first, with recipient and conduit names and the "
         "filing's image number; refunds negative.", donor_profile.donor_gifts),
        ("/donor/recipients", "One donor's net gifts per candidate and cycle.", donor_profile.donor_by_recipient),
        ("/donor/elections", "One donor's net gifts per candidate and election (election_type as filed, empty when "
         "not stated) against the per-election limit of its cycle.", donor_profile.donor_by_election),
        ("/donor/limit-flags", "One donor's totals to one candidate for one election that pass the per-election "
         "limit (primary and general are separate elections; refunds, redesignations and reattributions can "
         "bring a total under it).", donor_profile.limit_flags),
        ("/donor/variants", "The raw spellings of the name merged under one donor key.", donor_profile.donor_variants),
        ("/donor/near-misses", donor_profile.NEAR_MISS_RULE, donor_profile.donor_near_misses),
    )
)  # fmt: skip

ENDPOINTS: tuple[Endpoint, ...] = (
    *SITE,
    *RACES,
    *RACE_OUTSIDE,
    *CANDIDATES,
    *CANDIDATE_OUTSIDE,
    *COMMITTEES,
    *COMMITTEE_OUTSIDE,
    *RECEIPTS,
    *TRENDS,
    *MAP,
    *DONORS,
    *DONOR,
)
BY_PATH = {endpoint.path: endpoint for endpoint in ENDPOINTS}
