"""OpenFEC API records -> rows of the raw tables (the raw contract's schemas), and the keys by
which the refresh stores each table once.

The builder reads only the raw contract's tables; the `openfec_*` tables are kept beside them for
checking.
"""

from __future__ import annotations

import hashlib
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
        "election_type": api.get("election_type"),
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


def _text(value) -> str | None:
    """A value as text, None when blank (fec.gov's CSV export writes blanks as empty strings)."""
    text = str(value).strip() if value is not None else ""
    return text or None


def _int(value) -> int | None:
    text = _text(value)
    return int(Decimal(text)) if text else None  # never through float: sub_ids have 19 digits


def _flag(value) -> bool | None:
    """true/false, as JSON booleans or as the CSV export's t/f."""
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    return True if text in ("t", "true", "y", "1") else False if text in ("f", "false", "n", "0") else None


def _person(last, first=None, middle=None) -> str | None:
    """LAST, FIRST MIDDLE as the FEC writes names (a name that already holds a comma is kept)."""
    last = _text(last)
    given = " ".join(p for p in (_text(first), _text(middle)) if p)
    if last and given and "," not in last:
        return f"{last}, {given}"
    return last or given or None


def efile_sub_id(file_number, related_line_number) -> int:
    """A made-up id for a raw e-filed line, which has none (its key is the filing and the line's place in
    it): negative like the bulk loader's made-up ids (real SUB_IDs are positive), the same on every pull."""
    digest = hashlib.blake2b(f"efile-se:{file_number}:{related_line_number}".encode(), digest_size=8).digest()
    return -(int.from_bytes(digest, "big") % (2**63 - 1)) - 1


def schedule_e_row(api: dict, cycle: int) -> dict:
    """One Schedule E record as a raw `schedule_e` row: processed /schedules/schedule_e/ and raw e-filed
    /schedules/schedule_e/efile/ records share their field names (reference 6.10). The e-filed ones have
    no sub_id (one is made up from file number and line, efile_sub_id), name the spender in a nested
    `committee` (fec.gov's CSV export: committee_name), split payee and candidate names into parts, and
    carry their receipt date in the nested `filing` (the CSV export: only load_timestamp). A blank
    candidate_id stays blank: the candidate is then its name, office, state and district."""
    committee = api.get("committee") if isinstance(api.get("committee"), dict) else {}
    filing = api.get("filing") if isinstance(api.get("filing"), dict) else {}
    sub_id = _int(api.get("sub_id"))
    if sub_id is None:
        sub_id = efile_sub_id(api.get("file_number"), api.get("related_line_number"))
    payee = _text(api.get("payee_name")) or _person(
        api.get("payee_last_name"), api.get("payee_first_name"), api.get("payee_middle_name")
    )
    candidate = _person(api.get("candidate_name"), api.get("candidate_first_name"), api.get("candidate_middle_name"))
    filed = _first(api, "filing_date", "receipt_date", "filed_date") or _first(filing, "receipt_date", "filed_date")
    office = _text(api.get("candidate_office"))
    support_oppose = _text(api.get("support_oppose_indicator"))
    return {
        "sub_id": sub_id,
        "cycle": cycle,
        "committee_id": _text(api.get("committee_id")),
        "spender_name": _text(committee.get("name"))
        or _text(api.get("committee_name") or filing.get("committee_name")),
        "filing_form": _text(api.get("filing_form")),
        "is_notice": bool(_flag(api.get("is_notice"))),
        "report_type": _text(api.get("report_type")),
        "report_year": _int(api.get("report_year")),
        "file_number": _int(api.get("file_number")),
        "previous_file_number": _int(api.get("previous_file_number") or filing.get("previous_file_number")),
        "amendment_indicator": _text(api.get("amendment_indicator")),
        "transaction_id": _text(api.get("transaction_id")),
        "back_reference_transaction_id": _text(api.get("back_reference_transaction_id")),
        "image_number": _text(api.get("image_number")),
        "memo_code": _text(api.get("memo_code")),
        "memo_text": _text(api.get("memo_text")),
        "candidate_id": _text(api.get("candidate_id")),
        "candidate_name": candidate,
        "candidate_office": office.upper() if office else None,
        "candidate_state": _text(api.get("candidate_office_state")),
        "candidate_district": _text(api.get("candidate_office_district")),
        "candidate_party": _text(api.get("candidate_party")),
        "support_oppose": support_oppose.upper() if support_oppose else None,
        "amount": _money(_text(api.get("expenditure_amount"))),
        "expenditure_date": _date(_text(api.get("expenditure_date"))),
        "dissemination_date": _date(_text(api.get("dissemination_date"))),
        "purpose": _text(api.get("expenditure_description")),
        "payee_name": payee,
        "category_code": _text(api.get("category_code")),
        # no receipt date in the CSV export: when the FEC loaded the filing is the nearest
        "filed_date": _date(_text(filed) or _text(api.get("load_timestamp"))),
    }


def schema_of(table: str) -> pa.Schema:
    if table in REFERENCE_SCHEMAS:
        return REFERENCE_SCHEMAS[table]
    # Receipts are partitioned by cycle=<year> folders, so the files do not repeat the column.
    return contract.raw_arrow_schema(table, drop=("cycle",) if table == "schedule_a" else ())


def to_table(rows: list[dict], table: str) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema_of(table))
