"""The data contract: raw tables every source writes, and extracts the builder publishes.

Sources (demo generator, OpenFEC refresh, bulk loader) write the RAW tables as Parquet under
`$DATA_CACHE_DIR/raw/<table>/...parquet` (any number of files, optionally hive-partitioned by
`cycle=`). The builder reads only these and writes the EXTRACTS into a snapshot. Pages read
only the extracts. Types are DuckDB type names.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = 9  # bump whenever an extract's columns change: older snapshots get rebuilt

MONEY = "DECIMAL(14,2)"

RAW: dict[str, dict[str, str]] = {
    # One row per candidate and two-year period (FEC cn file / API /candidates/).
    "candidates": {
        "candidate_id": "VARCHAR",
        "cycle": "INTEGER",
        "name": "VARCHAR",
        "party": "VARCHAR",
        "office": "VARCHAR",
        "state": "VARCHAR",
        "district": "VARCHAR",
        "incumbent_challenge": "VARCHAR",
        "status": "VARCHAR",
        "principal_committee_id": "VARCHAR",
        "election_year": "INTEGER",
    },
    # One row per committee and two-year period (cm file / API /committees/).
    "committees": {
        "committee_id": "VARCHAR",
        "cycle": "INTEGER",
        "name": "VARCHAR",
        "committee_type": "VARCHAR",
        "designation": "VARCHAR",
        "party": "VARCHAR",
        "state": "VARCHAR",
        "candidate_id": "VARCHAR",
        "filing_frequency": "VARCHAR",
    },
    # Candidate-committee links per two-year period (ccl file). designation P/A/J/D/U/B.
    "linkages": {
        "candidate_id": "VARCHAR",
        "election_year": "INTEGER",
        "cycle": "INTEGER",
        "committee_id": "VARCHAR",
        "committee_type": "VARCHAR",
        "designation": "VARCHAR",
        "linkage_id": "BIGINT",
    },
    # One row per filed version of a committee's periodic report (Form 3/3P/3X summary page).
    # An amendment has a larger file_number and names the filing it replaces; the newest wins.
    "reports": {
        "committee_id": "VARCHAR",
        "cycle": "INTEGER",
        "report_year": "INTEGER",
        "report_type": "VARCHAR",
        "coverage_start": "DATE",
        "coverage_end": "DATE",
        "file_number": "BIGINT",
        "previous_file_number": "BIGINT",
        "amendment_indicator": "VARCHAR",
        "receipts": MONEY,
        "disbursements": MONEY,
        "cash_on_hand_begin": MONEY,
        "cash_on_hand_end": MONEY,
        "debts_owed": MONEY,
        "individual_itemized": MONEY,
        "individual_unitemized": MONEY,
        "individual_refunds": MONEY,
        "other_committee_contributions": MONEY,
        "party_contributions": MONEY,
        "candidate_contributions": MONEY,
        "other_receipts": MONEY,
        "transfers_from_authorized": MONEY,
        "transfers_to_authorized": MONEY,
    },
    # The FEC's own totals of one candidate ID (all its authorized committees combined), as published:
    # weball/webl rows (bulk) and /candidates/totals/ (API). period 'cycle': the two-year period `cycle`;
    # period 'election': the whole election period ending in `cycle` (Senate six years, President four),
    # as the API publishes it. Money is gross, as the FEC publishes it. The candidate's facts ride along
    # so a summary file loaded alone still names its candidates. `source`: weball, webl or api.
    "candidate_summaries": {
        "candidate_id": "VARCHAR",
        "cycle": "INTEGER",
        "period": "VARCHAR",
        "election_year": "INTEGER",
        "name": "VARCHAR",
        "party": "VARCHAR",
        "office": "VARCHAR",
        "state": "VARCHAR",
        "district": "VARCHAR",
        "incumbent_challenge": "VARCHAR",
        "receipts": MONEY,
        "disbursements": MONEY,
        "cash_on_hand_begin": MONEY,
        "cash_on_hand_end": MONEY,
        "debts_owed": MONEY,
        "individual_contributions": MONEY,
        "individual_itemized": MONEY,
        "individual_unitemized": MONEY,
        "individual_refunds": MONEY,
        "other_committee_contributions": MONEY,
        "party_contributions": MONEY,
        "candidate_contributions": MONEY,
        "transfers_from_authorized": MONEY,
        "transfers_to_authorized": MONEY,
        "coverage_start": "DATE",
        "coverage_end": "DATE",
        "source": "VARCHAR",
    },
    # Itemized receipts from individuals as filed (indiv/itcont file, API schedule_a), every
    # committee, memo rows, conduit rows and rows of superseded filings included.
    "schedule_a": {
        "sub_id": "BIGINT",
        "cycle": "INTEGER",
        "committee_id": "VARCHAR",
        "report_year": "INTEGER",
        "report_type": "VARCHAR",
        "file_number": "BIGINT",
        "amendment_indicator": "VARCHAR",
        "receipt_type": "VARCHAR",
        "line_number": "VARCHAR",
        "entity_type": "VARCHAR",
        "contributor_name": "VARCHAR",
        "city": "VARCHAR",
        "state": "VARCHAR",
        "zip": "VARCHAR",
        "employer": "VARCHAR",
        "occupation": "VARCHAR",
        "date": "DATE",
        "amount": MONEY,
        "aggregate_ytd": MONEY,
        "memo_code": "VARCHAR",
        "memo_text": "VARCHAR",
        "other_id": "VARCHAR",
        "conduit_committee_id": "VARCHAR",
        "transaction_id": "VARCHAR",
        "image_number": "VARCHAR",
        # The election the gift is for, as filed: TRANSACTION_PGI (bulk) or election_type (API), a letter
        # (P primary, G general, R runoff, S special, C convention, E recount, O other) and the election's
        # year ('P2024'); a bare letter or blank also occurs. Absent from raw files written before it was
        # kept: the builder reads it as NULL there.
        "election_type": "VARCHAR",
    },
}

# Independent expenditures for or against candidates (Schedule E) as filed, every version: lines of
# regular reports (Form 3X, Form 5) and of 24/48-hour notices (Form 24, `is_notice`), from the API
# (/schedules/schedule_e/ and its raw e-filed twin /schedules/schedule_e/efile/), the bulk file
# independent_expenditure_YYYY.csv, or the demo. The builder applies the counting rules
# (dashboard/pipeline/builder/outside.py). `candidate_id` can be blank: the candidate is then named by
# candidate_name, office, state and district. `filed_date`: when the FEC received the filing.
RAW["schedule_e"] = {
    "sub_id": "BIGINT",
    "cycle": "INTEGER",
    "committee_id": "VARCHAR",
    "spender_name": "VARCHAR",
    "filing_form": "VARCHAR",
    "is_notice": "BOOLEAN",
    "report_type": "VARCHAR",
    "report_year": "INTEGER",
    "file_number": "BIGINT",
    "previous_file_number": "BIGINT",
    "amendment_indicator": "VARCHAR",
    "transaction_id": "VARCHAR",
    "back_reference_transaction_id": "VARCHAR",
    "image_number": "VARCHAR",
    "memo_code": "VARCHAR",
    "memo_text": "VARCHAR",
    "candidate_id": "VARCHAR",
    "candidate_name": "VARCHAR",
    "candidate_office": "VARCHAR",
    "candidate_state": "VARCHAR",
    "candidate_district": "VARCHAR",
    "candidate_party": "VARCHAR",
    "support_oppose": "VARCHAR",
    "amount": MONEY,
    "expenditure_date": "DATE",
    "dissemination_date": "DATE",
    "purpose": "VARCHAR",
    "payee_name": "VARCHAR",
    "category_code": "VARCHAR",
    "filed_date": "DATE",
}

# The FEC's own totals of one PAC or party committee for a two-year period, as published: webk rows
# (bulk). Money is gross, as the FEC publishes it; coverage_end is the end of the last report it covers.
# `source`: webk.
RAW["committee_summaries"] = {
    "committee_id": "VARCHAR",
    "cycle": "INTEGER",
    "receipts": MONEY,
    "disbursements": MONEY,
    "cash_on_hand_begin": MONEY,
    "cash_on_hand_end": MONEY,
    "debts_owed": MONEY,
    "individual_contributions": MONEY,
    "other_committee_contributions": MONEY,
    "independent_expenditures": MONEY,
    "party_coordinated_expenditures": MONEY,
    "contributions_to_committees": MONEY,
    "coverage_end": "DATE",
    "source": "VARCHAR",
}

# Money rules over receipt types (what each code means: core.fec.TRANSACTION_TYPES).
# Receipt types that are the conduit's side of an earmarked gift (the recipient reports the
# same dollars as 15E): never counted as money received.
CONDUIT_SIDE_RECEIPT_TYPES = ("24T", "24I", "15I", "15T")
# Receipt types of contributions from individuals (refunds 22Y included: see REFUND_RECEIPT_TYPES).
INDIVIDUAL_RECEIPT_TYPES = ("10", "11", "15", "15E", "22Y", "30", "31", "32")
# Receipt types that are money paid back, among the individual ones. Sources differ in their sign
# (the FEC's files and filings: positive; the demo: negative); the builder subtracts them either way.
REFUND_RECEIPT_TYPES = ("22Y",)
# report_type of the `reports` rows that bulk loads before schema 4 made from weball/webl; the builder
# ignores them (candidate_summaries holds those figures now: `load-bulk` rewrites them).
LEGACY_BULK_REPORT_TYPE = "BULK"
# Where a candidate's totals come from (candidate_totals.totals_source): the FEC's own candidate totals
# (candidate_summaries), or the sum of the candidate's committees' reports (the demo; an API refresh
# before FEC's totals arrive).
TOTALS_SOURCES = ("summary", "reports")

SIZE_BUCKETS = (
    (0, "$200 and under"),
    (1, "$200.01-$499.99"),
    (2, "$500-$999.99"),
    (3, "$1,000-$1,999.99"),
    (4, "$2,000 and over"),
)

TOP_N = 100  # rows kept per candidate in the donor / employer / occupation extracts
# Smallest contribution kept in `large_receipts` (the trends page's large-contribution list):
# its threshold cannot go below this.
LARGE_RECEIPT_FLOOR = 1000

# Extract name -> columns in order. A name ending in "/" is a folder of Parquet files
# partitioned by cycle; all others are one Parquet file.
EXTRACTS: dict[str, tuple[str, ...]] = {
    "candidates": (
        "candidate_id",
        "cycle",
        "name",
        "party",
        "office",
        "state",
        "district",
        "incumbent_challenge",
        "status",
        "principal_committee_id",
        "election_year",
        # in a race of the cycle (its own election, a real seat: dashboard/pipeline/builder/candidacies.py);
        # candidates outside one keep their pages but are in no race list nor on the map
        "in_race",
    ),
    "committees": (
        "committee_id",
        "cycle",
        "name",
        "committee_type",
        "designation",
        "party",
        "candidate_id",
        "state",
        "is_conduit",
    ),
    "candidate_totals": (
        "candidate_id",
        "cycle",
        "receipts",
        "disbursements",
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
        # receipts and disbursements are gross, as the FEC publishes them; these are net of the money that
        # can have moved between the candidate's own committees (the smaller of transfers in and out)
        "net_receipts",
        "net_disbursements",
        "totals_source",
        "coverage_start",
        "coverage_end",
        "committee_ids",
    ),
    # Senate and presidential candidates' money over their whole election period (Senate six years,
    # President four), as fec.gov shows beside the two-year figures: the FEC's own election totals where
    # a source carries them, else the two-year totals of the period's cycles that are loaded
    # (`cycles_included`; `cycles_missing` lists the others, so a partial sum says so).
    "candidate_election_totals": (
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
        "coverage_start",
        "coverage_end",
        "totals_source",
    ),
    "candidate_periods": (
        "candidate_id",
        "cycle",
        "report_year",
        "report_type",
        "coverage_start",
        "coverage_end",
        "receipts",
        "disbursements",
        "cash_on_hand_end",
        "individual_itemized",
        "individual_unitemized",
    ),
    "receipts/": (
        "sub_id",
        "committee_id",
        "candidate_id",
        "date",
        "amount",
        "donor_key",
        "contributor_name",
        "city",
        "state",
        "zip5",
        "employer",
        "occupation",
        "is_earmarked",
        "conduit_committee_id",
        "receipt_type",
        "aggregate_ytd",
        "entity_type",
        "image_number",
        # the election the gift is for ('P2024', 'G2024', ...; upper-cased, NULL when blank), so a donor's
        # gifts can be totalled per candidate and election against the per-election limit
        "election_type",
        "cycle",
    ),
    "agg_candidate_daily": ("candidate_id", "cycle", "date", "amount", "n"),
    "agg_candidate_size": ("candidate_id", "cycle", "size_bucket", "size_label", "amount", "n"),
    "agg_candidate_state": ("candidate_id", "cycle", "state", "amount", "n", "in_state"),
    "agg_candidate_donor": (
        "candidate_id",
        "cycle",
        "rank",
        "donor_key",
        "contributor_name",
        "city",
        "state",
        "zip5",
        "employer",
        "occupation",
        "amount",
        "n",
    ),
    "agg_candidate_employer": ("candidate_id", "cycle", "rank", "employer", "amount", "n", "variants"),
    "agg_candidate_occupation": ("candidate_id", "cycle", "rank", "occupation", "amount", "n", "variants"),
    "agg_district": (
        "cycle",
        "office",
        "state",
        "district",
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
        "coverage_end",
        # independent expenditures for and against the race's candidates (builder/outside.py), regular
        # reports only; outside_notice_amount: in 24/48-hour notices not yet in a regular report, apart
        "outside_amount",
        "outside_support",
        "outside_oppose",
        "outside_notice_amount",
        "outside_share",
        # itemized money of the House candidates from donors living in the district (candidate_in_district:
        # ZCTAs split between districts allocated by land area), and its share of their money whose place
        # is known; NULL where no weighted ZCTA relationship is cached (Senate, President: NULL)
        "in_district_amount",
        "in_district_share",
    ),
    "agg_daily": ("date", "cycle", "party", "office", "state", "committee_type", "amount", "n"),
    # Itemized individual contributions of LARGE_RECEIPT_FLOOR or more, sorted by cycle and date so a
    # window of days reads few row groups; party/office/state are the recipient candidate's.
    "large_receipts": (
        "cycle",
        "date",
        "amount",
        "candidate_id",
        "party",
        "office",
        "state",
        "committee_id",
        "sub_id",
        "contributor_name",
        "city",
        "contributor_state",
        "employer",
        "occupation",
        "is_earmarked",
        "conduit_committee_id",
    ),
    # What changed since the previous published snapshot (dashboard/pipeline/builder/changes.py); empty in
    # the first snapshot. One row per candidate and cycle whose money changed.
    "changes_candidates": (
        "candidate_id",
        "cycle",
        "previous_receipts",
        "receipts",
        "receipts_change",
        "previous_itemized",
        "itemized",
        "itemized_change",
        "arrived_n",
        "arrived_amount",
        "dropped_n",
        "dropped_amount",
        "previous_coverage_end",
        "coverage_end",
        "previous_snapshot_id",
    ),
    # Report periods that are new, or whose figures were revised, since the previous snapshot.
    "changes_reports": (
        "candidate_id",
        "cycle",
        "report_year",
        "report_type",
        "coverage_start",
        "coverage_end",
        "change",
        "previous_receipts",
        "receipts",
        "disbursements",
        "cash_on_hand_end",
        "previous_snapshot_id",
    ),
    # 24/48-hour notices of independent expenditures that are new since the previous snapshot.
    "changes_notices": (
        "cycle",
        "date",
        "filed_date",
        "candidate_id",
        "support_oppose",
        "amount",
        "committee_id",
        "spender_name",
        "spender_type",
        "sub_id",
        "previous_snapshot_id",
    ),
}


# Outside spending (Schedule E), counted once (dashboard/pipeline/builder/outside.py): a 24/48-hour
# notice gives way to the regular report's line for the same expenditure, an amendment replaces what it
# amends, memo lines are not added. `date` is the dissemination date, else the expenditure date.
# `from_notice`: only a 24/48-hour notice reports it so far (shown apart, never added to the processed
# totals). `spender_type`: core.fec.SPENDER_TYPES. `matched_by`: 'id' (the filing's candidate ID) or
# 'name' (name, office, state and district matched one candidate of the cycle).
EXTRACTS.update(
    {
        "outside_expenditures": (
            "cycle",
            "date",
            "candidate_id",
            "support_oppose",
            "amount",
            "committee_id",
            "spender_name",
            "spender_type",
            "from_notice",
            "matched_by",
            "purpose",
            "payee_name",
            "filing_form",
            "file_number",
            "transaction_id",
            "image_number",
            "sub_id",
            "filed_date",
        ),
        "agg_outside_daily": (
            "candidate_id",
            "cycle",
            "date",
            "support_oppose",
            "spender_type",
            "from_notice",
            "amount",
            "n",
        ),
        "agg_outside_spenders": (
            "cycle",
            "candidate_id",
            "committee_id",
            "spender_name",
            "spender_type",
            "support_oppose",
            "amount",
            "n",
            "notice_amount",
            "first_date",
            "last_date",
        ),
        # Expenditures naming a candidate that no candidate of the cycle matches, or several do.
        "outside_unmatched": (
            "cycle",
            "committee_id",
            "spender_name",
            "candidate_name",
            "candidate_office",
            "candidate_state",
            "candidate_district",
            "support_oppose",
            "amount",
            "n",
            "reason",
        ),
    }
)

# What a committee that is no candidate's own (a PAC, a party) raised, spent and kept per cycle: the FEC's
# own committee totals (committee_summaries: webk) where a source carries them, else the sum of the
# committee's reports (newest version of each; cash and debts of the latest). Money is gross.
# `individual_contributions`: from individuals, refunds not taken out; `independent_expenditures`: as
# the committee reported them in its totals (the FEC's figure; unknown from reports), which need not
# equal the Schedule E lines counted in outside_expenditures. totals_source: TOTALS_SOURCES.
EXTRACTS["committee_totals"] = (
    "committee_id",
    "cycle",
    "receipts",
    "disbursements",
    "cash_on_hand",
    "debts",
    "individual_contributions",
    "independent_expenditures",
    "coverage_end",
    "totals_source",
)

# Unique itemized donors per candidate and cycle (donor_key: normalized name + ZIP5, core/normalize.py),
# counted over gifts only (amount > 0 in `receipts`): a refund (22Y) is no gift. repeat_donors gave two
# or more times, one_time_donors once. agg_candidate_donor_weeks: per week (starting Monday) of a donor's
# first dated gift, the donors new that week and the donors so far (undated gifts are in the counts only).
EXTRACTS["candidate_donor_counts"] = ("candidate_id", "cycle", "unique_donors", "repeat_donors", "one_time_donors")
EXTRACTS["agg_candidate_donor_weeks"] = ("candidate_id", "cycle", "week", "new_donors", "donors_to_date")

# One row per donor (donor_key, the roll-up rule of core/normalize.py) and cycle, sorted by donor_key, for the
# donor pages (dashboard/pipeline/builder/donors.py): `name` is the raw spelling filed most often (ties: the
# latest), `variants` every raw spelling merged under the key (sorted), `name_key` the key's normalized name;
# place, employer and occupation are the latest gift's; `amount` is net of refunds as in `receipts`, `gifts`
# counts rows with amount > 0, `refunds` rows with amount < 0, `recipients` distinct candidates.
EXTRACTS["donors"] = (
    "donor_key",
    "cycle",
    "name",
    "name_key",
    "zip5",
    "city",
    "state",
    "employer",
    "occupation",
    "amount",
    "gifts",
    "refunds",
    "recipients",
    "first_date",
    "last_date",
    "variants",
)

# In-district money of House candidates (dashboard/pipeline/builder/in_district.py): donor ZIP5 -> ZCTA
# -> district through the Census ZCTA-to-district relationship of `congress` (the cycle's own, else the
# nearest of the same apportionment) that `python -m dashboard geo` cached; empty without one (the
# manifest's `in_district` says why). Amounts split the itemized money (as in `receipts`): whole = from
# ZCTAs wholly inside the district, split = from ZCTAs it shares with others, split_in = the part of split
# allocated to it by land area (NULL when only pairs without weights are known: `weighted` false),
# outside = ZCTAs not touching it, unknown = ZIP missing or with no ZCTA (never counted as outside).
# in_district_amount = whole + split_in; shares are of the known money (itemized - unknown): low_share
# from whole, high_share from whole + split, in_district_share from in_district_amount.
EXTRACTS["candidate_in_district"] = (
    "candidate_id",
    "cycle",
    "state",
    "district",
    "congress",
    "weighted",
    "itemized_amount",
    "whole_amount",
    "split_amount",
    "split_in_amount",
    "outside_amount",
    "unknown_amount",
    "in_district_amount",
    "in_district_share",
    "low_share",
    "high_share",
)

# The receipts explorer's search index, one DuckDB file per snapshot (search.duckdb; built by
# dashboard/pipeline/builder/search_index.py, which says why). Five copies of the receipts, each
# sorted for one kind of search, with precomputed columns to filter on, and every word of every
# donor name. Pages read them as views of the same names.
SEARCH_COLUMNS = EXTRACTS["receipts/"] + (
    "sort_date",
    "sort_amount",
    "name_words",
    "employer_norm",
    "occupation_norm",
    "city_upper",
    "seat_state",
)
# What the receipts explorer shows of a donor it groups rows by: these columns of the donor's latest row.
DONOR_LATEST_COLUMNS = ("contributor_name", "city", "state", "zip5", "employer")
# The orders the explorer lists donors in: URL sort value -> (column, descending); donor_key breaks ties
# (in the same direction), NULLs last.
DONOR_ORDERS = {
    "-total": ("total", True),
    "total": ("total", False),
    "-gifts": ("gifts", True),
    "gifts": ("gifts", False),
    "name": ("donor_key", False),  # the normalized name first: case and spacing do not change the order
    "-name": ("donor_key", True),
    "-last_date": ("last_date", True),
    "last_date": ("last_date", False),
    "-first_date": ("first_date", True),
    "first_date": ("first_date", False),
}


def donor_position(sort: str) -> str:
    """The donor_rankings column holding each donor's place (1, 2, ...) in a DONOR_ORDERS order."""
    column, descending = DONOR_ORDERS[sort]
    return f"position_{column}" + ("_desc" if descending else "")


SEARCH_INDEX = {
    "receipts_date_order": SEARCH_COLUMNS,
    "receipts_amount_order": SEARCH_COLUMNS,
    "receipts_donor_order": SEARCH_COLUMNS,
    "receipts_zip_order": SEARCH_COLUMNS,
    "receipts_candidate_order": SEARCH_COLUMNS,
    "donor_name_tokens": ("token", "donor_key"),
    # Each donor's receipts of a cycle summed per spelling of the name words, sorted by donor_key, cycle.
    "donor_name_totals": (
        "donor_key",
        "cycle",
        "name_words",
        "receipts",
        "amount",
        "gifts",
        "first_date",
        "last_date",
        "latest",
        *DONOR_LATEST_COLUMNS,
    ),
    "donors": EXTRACTS["donors"],  # the extract again, sorted by donor_key: the view `donors` reads this copy
    # Every donor of each cycle, and (cycle NULL) of all cycles, with their place in each DONOR_ORDERS order;
    # sorted by cycle, donor_key.
    "donor_rankings": (
        "cycle",
        "donor_key",
        *DONOR_LATEST_COLUMNS,
        "total",
        "gifts",
        "first_date",
        "last_date",
        *(donor_position(sort) for sort in DONOR_ORDERS),
    ),
}

# Written by the changes step after the others are validated (dashboard/pipeline/builder/changes.py).
CHANGE_EXTRACTS = ("changes_candidates", "changes_reports", "changes_notices")


def raw_arrow_schema(table: str, drop: tuple[str, ...] = ()) -> pa.Schema:
    """The Arrow schema a source writes a raw table with (columns in contract order)."""

    types = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DATE": pa.date32(),
        "BOOLEAN": pa.bool_(),
        MONEY: pa.decimal128(14, 2),
    }
    return pa.schema([(column, types[kind]) for column, kind in RAW[table].items() if column not in drop])


def extract_names() -> list[str]:
    return [name.rstrip("/") for name in EXTRACTS]
