"""OpenFEC API records -> rows of the raw tables (the raw contract's schemas), and the keys by
which the refresh stores each table once.

The builder reads only the raw contract's tables; the `openfec_*` tables are kept beside them for
checking.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pyarrow as pa

from dashboard.core import contract

# Tables the refresh keeps beside the raw contract for checking; the builder never reads them.
REFERENCE_SCHEMAS = {
    "openfec_races": pa.schema(
        [("cycle", pa.int32()), ("office", pa.string()), ("state", pa.string()), ("district", pa.string())]
    ),
}
# The key of each small table: a row pulled again replaces the stored row with the same key.
# Receipts (schedule_a) are not among them: they are appended by sub_id instead.
KEYS = {
    "candidates": ("candidate_id", "cycle"),
    "committees": ("committee_id", "cycle"),
    "linkages": ("candidate_id", "cycle", "committee_id"),
    "reports": ("committee_id", "file_number"),
    "candidate_summaries": ("candidate_id", "cycle", "period"),
    "openfec_races": ("cycle", "office", "state", "district"),
}
SMALL_TABLES = tuple(KEYS)


def _date(text) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def _money(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _first(row: dict, *names):
    for name in names:
        if row.get(name) is not None:
            return row[name]
    return None


def candidate_row(api: dict, cycle: int) -> dict:
    years = sorted(int(y) for y in api.get("election_years") or [])
    upcoming = [y for y in years if y >= cycle]
    return {
        "candidate_id": api["candidate_id"],
        "cycle": cycle,
        "name": api.get("name"),
        "party": api.get("party"),
        "office": api.get("office"),
        "state": api.get("state"),
        "district": api.get("district") or "00",
        "incumbent_challenge": api.get("incumbent_challenge"),
        "status": api.get("candidate_status"),
        "principal_committee_id": None,
        "election_year": upcoming[0] if upcoming else (years[-1] if years else cycle),
    }


def committee_row(api: dict, cycle: int) -> dict:
    candidates = api.get("candidate_ids") or []
    return {
        "committee_id": api["committee_id"],
        "cycle": cycle,
        "name": api.get("name"),
        "committee_type": api.get("committee_type"),
        "designation": api.get("designation"),
        "party": api.get("party"),
        "state": api.get("state"),
        "candidate_id": candidates[0] if candidates else None,
        "filing_frequency": api.get("filing_frequency"),
    }


def report_row(api: dict) -> dict:
    return {
        "committee_id": api["committee_id"],
        "cycle": int(api["cycle"]),
        "report_year": api.get("report_year"),
        "report_type": api.get("report_type"),
        "coverage_start": _date(api.get("coverage_start_date")),
        "coverage_end": _date(api.get("coverage_end_date")),
        "file_number": api.get("file_number"),
        "previous_file_number": api.get("previous_file_number"),
        "amendment_indicator": api.get("amendment_indicator"),
        "receipts": _money(api.get("total_receipts_period")),
        "disbursements": _money(api.get("total_disbursements_period")),
        "cash_on_hand_begin": _money(api.get("cash_on_hand_beginning_period")),
        "cash_on_hand_end": _money(api.get("cash_on_hand_end_period")),
        "debts_owed": _money(api.get("debts_owed_by_committee")),
        "individual_itemized": _money(api.get("individual_itemized_contributions_period")),
        "individual_unitemized": _money(api.get("individual_unitemized_contributions_period")),
        "individual_refunds": _money(api.get("refunded_individual_contributions_period")),
        "other_committee_contributions": _money(api.get("other_political_committee_contributions_period")),
        "party_contributions": _money(api.get("political_party_committee_contributions_period")),
        "candidate_contributions": _money(api.get("candidate_contribution_period")),
        "other_receipts": _money(api.get("other_receipts_period")),
        # Form 3P (presidential) names the same lines differently.
        "transfers_from_authorized": _money(
            _first(
                api, "transfers_from_other_authorized_committee_period", "transfers_from_affiliated_committee_period"
            )
        ),
        "transfers_to_authorized": _money(api.get("transfers_to_other_authorized_committee_period")),
    }


def schedule_a_row(api: dict) -> dict:
    return {
        "sub_id": int(api["sub_id"]),
        "committee_id": api["committee_id"],
        "report_year": api.get("report_year"),
        "report_type": api.get("report_type"),
        "file_number": api.get("file_number"),
        "amendment_indicator": api.get("amendment_indicator"),
        "receipt_type": api.get("receipt_type"),
        "line_number": api.get("line_number"),
        "entity_type": api.get("entity_type"),
        "contributor_name": api.get("contributor_name"),
        "city": api.get("contributor_city"),
        "state": api.get("contributor_state"),
        "zip": api.get("contributor_zip"),
        "employer": api.get("contributor_employer"),
        "occupation": api.get("contributor_occupation"),
        "date": _date(api.get("contribution_receipt_date")),
        "amount": _money(api.get("contribution_receipt_amount")),
        "aggregate_ytd": _money(api.get("contributor_aggregate_ytd")),
        "memo_code": api.get("memo_code"),
        "memo_text": api.get("memo_text"),
        "other_id": api.get("contributor_id"),
        "conduit_committee_id": api.get("conduit_committee_id"),
        "transaction_id": api.get("transaction_id"),
        "image_number": api.get("image_number"),
    }


def summary_row(api: dict, cycle: int) -> dict:
    """A /candidates/totals/ row as a `candidate_summaries` row: a two-year row (`cycle`), or a
    full-election row (`is_election`), kept under its election year. The API's batch totals carry no
    transfers to other authorized committees nor the unitemized split: the builder takes those from
    the candidate's reports."""
    election = bool(api.get("is_election"))
    election_year = api.get("election_year") or api.get("candidate_election_year")
    return {
        "candidate_id": api["candidate_id"],
        "cycle": int(election_year) if election and election_year else cycle,
        "period": "election" if election else "cycle",
        "election_year": election_year,
        "name": api.get("name"),
        "party": api.get("party"),
        "office": api.get("office"),
        "state": api.get("state"),
        "district": api.get("district") or "00",
        "incumbent_challenge": api.get("incumbent_challenge"),
        "receipts": _money(api.get("receipts")),
        "disbursements": _money(api.get("disbursements")),
        "cash_on_hand_begin": None,
        "cash_on_hand_end": _money(api.get("cash_on_hand_end_period")),
        "debts_owed": _money(api.get("debts_owed_by_committee")),
        "individual_contributions": _money(api.get("individual_contributions")),
        "individual_itemized": _money(api.get("individual_itemized_contributions")),
        "individual_unitemized": _money(api.get("individual_unitemized_contributions")),
        "individual_refunds": _money(api.get("refunded_individual_contributions")),
        "other_committee_contributions": _money(api.get("other_political_committee_contributions")),
        "party_contributions": _money(api.get("political_party_committee_contributions")),
        "candidate_contributions": _money(api.get("candidate_contribution")),
        "transfers_from_authorized": _money(api.get("transfers_from_other_authorized_committee")),
        "transfers_to_authorized": _money(api.get("transfers_to_other_authorized_committee")),
        "coverage_start": _date(api.get("coverage_start_date")),
        "coverage_end": _date(api.get("coverage_end_date")),
        "source": "api",
    }


def schema_of(table: str) -> pa.Schema:
    if table in REFERENCE_SCHEMAS:
        return REFERENCE_SCHEMAS[table]
    # Receipts are partitioned by cycle=<year> folders, so the files do not repeat the column.
    return contract.raw_arrow_schema(table, drop=("cycle",) if table == "schedule_a" else ())


def to_table(rows: list[dict], table: str) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema_of(table))
