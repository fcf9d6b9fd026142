"""Rows of the demo generator's tables written as the API's JSON records, field for field."""

from __future__ import annotations

import pandas as pd

from dashboard.core import fec

OFFICE_FULL = fec.OFFICE_NAMES
PARTY_FULL = {code: text.upper() for code, text in fec.PARTY_DESCRIPTIONS.items()}  # as the API spells them
ICI_FULL = fec.INCUMBENCY
# The API's own wording of designations (its `designation_full`), which differs from our labels.
DESIGNATION_FULL = {
    "P": "Principal campaign committee",
    "A": "Authorized by a candidate",
    "J": "Joint fundraising committee",
    "U": "Unauthorized",
    "B": "Lobbyist/Registrant PAC",
    "D": "Leadership PAC",
}
# The API's fec_election_type_desc of an election_type's letter: PRIMARY, GENERAL, else OTHER.
ELECTION_TYPE_DESC = {"P": "PRIMARY", "G": "GENERAL"}
# receipt types that make a row is_individual (reference section 5.3 (a))
INDIVIDUAL_TYPES = frozenset(fec.IS_INDIVIDUAL_RECEIPT_TYPES)


def candidate(r) -> dict:
    """/candidates/: `r` is a row of FakeData.candidates_latest."""
    return {
        "candidate_id": r.candidate_id,
        "name": r.name,
        "office": r.office,
        "office_full": OFFICE_FULL.get(r.office),
        "party": r.party,
        "party_full": PARTY_FULL.get(r.party),
        "state": r.state,
        "district": r.district,
        "district_number": int(r.district),
        "election_districts": [r.district] * len(r.cycles),
        "election_years": r.election_years,
        "cycles": r.cycles,
        "inactive_election_years": None,
        "candidate_status": r.status,
        "incumbent_challenge": r.incumbent_challenge,
        "incumbent_challenge_full": ICI_FULL.get(r.incumbent_challenge),
        "active_through": max(r.election_years),
        "candidate_inactive": False,
        "federal_funds_flag": False,
        "has_raised_funds": True,
        "first_file_date": f"{r.cycles[0] - 1}-02-01",
        "last_file_date": f"{r.cycles[-1] - 1}-02-01",
        "last_f2_date": f"{r.cycles[-1] - 1}-02-01",
        "load_date": f"{r.cycles[-1] - 1}-02-02T04:00:00",
    }


def committee(r) -> dict:
    """/committees/: `r` is a row of FakeData.committees_latest."""
    return {
        "committee_id": r.committee_id,
        "name": r.name,
        "committee_type": r.committee_type,
        "committee_type_full": None,
        "designation": r.designation,
        "designation_full": DESIGNATION_FULL.get(r.designation),
        "organization_type": None,
        "organization_type_full": None,
        "filing_frequency": r.filing_frequency,
        "party": none(r.party),
        "party_full": PARTY_FULL.get(r.party),
        "state": r.state,
        "treasurer_name": "DEMO, TREASURER",
        "affiliated_committee_name": None,
        "cycles": r.cycles,
        "candidate_ids": r.candidate_ids,
        "sponsor_candidate_ids": None,
        "sponsor_candidate_list": [],
        "first_file_date": f"{r.cycles[0] - 1}-01-15",
        "last_file_date": f"{r.cycles[-1]}-10-15",
        "first_f1_date": f"{r.cycles[0] - 1}-01-15",
        "last_f1_date": f"{r.cycles[0] - 1}-01-15",
    }


def report(r, committee_by_cycle: dict, superseded: set) -> dict:
    """/reports/{entity_type}/ and /committee/{id}/reports/: `superseded` holds the file numbers
    that a later amendment replaces (they are `is_amended`, not `most_recent`)."""
    previous = None if pd.isna(r.previous_file_number) else int(r.previous_file_number)
    cmte = committee_by_cycle.get((r.committee_id, int(r.cycle)))
    return {
        "committee_id": r.committee_id,
        "committee_name": getattr(cmte, "name", None),
        "committee_type": getattr(cmte, "committee_type", None),
        "cycle": int(r.cycle),
        "report_year": int(r.report_year),
        "report_type": r.report_type,
        "report_type_full": r.report_type,
        "coverage_start_date": f"{r.coverage_start}T00:00:00",
        "coverage_end_date": f"{r.coverage_end}T00:00:00",
        "receipt_date": f"{r.load_date}",
        "total_receipts_period": r.receipts,
        "total_disbursements_period": r.disbursements,
        "cash_on_hand_beginning_period": r.cash_on_hand_begin,
        "cash_on_hand_end_period": r.cash_on_hand_end,
        "debts_owed_by_committee": r.debts_owed,
        "debts_owed_to_committee": 0.0,
        "individual_itemized_contributions_period": r.individual_itemized,
        "individual_unitemized_contributions_period": r.individual_unitemized,
        "total_individual_contributions_period": round(r.individual_itemized + r.individual_unitemized, 2),
        "refunded_individual_contributions_period": r.individual_refunds,
        "other_political_committee_contributions_period": r.other_committee_contributions,
        "political_party_committee_contributions_period": r.party_contributions,
        "candidate_contribution_period": r.candidate_contributions,
        "other_receipts_period": r.other_receipts,
        "transfers_from_other_authorized_committee_period": r.transfers_from_authorized,
        "transfers_to_other_authorized_committee_period": r.transfers_to_authorized,
        "is_amended": int(r.file_number) in superseded,
        "most_recent": int(r.file_number) not in superseded,
        "amendment_indicator": r.amendment_indicator,
        "file_number": int(r.file_number),
        "previous_file_number": previous,
        "amendment_chain": None,
        "fec_file_id": f"FEC-{int(r.file_number)}",
        "means_filed": "e-file",
    }


def candidate_total(r, election_full: bool) -> dict:
    """/candidates/totals/: `r` is a row of FakeApi.totals."""
    return {
        "candidate_id": r.candidate_id,
        "name": r.name,
        "office": r.office,
        "party": r.party,
        "state": r.state,
        "district": r.district,
        "election_year": int(r.election_year),
        "cycle": int(r.anchor),
        "is_election": election_full,
        "receipts": round(r.receipts, 2),
        "disbursements": round(r.disbursements, 2),
        "cash_on_hand_end_period": round(r.cash_on_hand_end, 2),
        "debts_owed_by_committee": round(r.debts_owed, 2),
        "individual_itemized_contributions": round(r.individual_itemized, 2),
        "transfers_from_other_authorized_committee": round(r.transfers_from_authorized, 2),
        "other_political_committee_contributions": round(r.other_committee_contributions, 2),
        "coverage_start_date": f"{r.coverage_start}T00:00:00",
        "coverage_end_date": f"{r.coverage_end}T00:00:00",
    }


def schedule_a(r: pd.Series, committee_by_cycle: dict) -> dict:
    """/schedules/schedule_a/: `r` is a row of FakeData.sa, with the recipient committee nested
    the way the API nests it."""
    cycle = int(r["cycle"])
    cmte = committee_by_cycle.get((r["committee_id"], cycle))
    nested = nested_committee(cmte, cycle)
    name = none(r["contributor_name"])
    last, _, first = (name or "").partition(", ")
    conduit = none(r["conduit_committee_id"])
    conduit_cmte = committee_by_cycle.get((conduit, cycle)) if conduit else None
    day = none(r["date"])
    memo = none(r["memo_code"])
    election = none(r.get("election_type"))  # absent from demos written before it was kept
    return {
        "committee_id": r["committee_id"],
        "committee": nested,
        "committee_name": None,
        "recipient_committee_type": getattr(cmte, "committee_type", None),
        "recipient_committee_designation": getattr(cmte, "designation", None),
        "recipient_committee_org_type": None,
        "contributor_name": name,
        "contributor_prefix": None,
        "contributor_first_name": first or None,
        "contributor_middle_name": None,
        "contributor_last_name": last or None,
        "contributor_suffix": None,
        "contributor_street_1": None,
        "contributor_street_2": None,
        "contributor_city": none(r["city"]),
        "contributor_state": none(r["state"]),
        "contributor_zip": none(r["zip"]),
        "contributor_employer": none(r["employer"]),
        "contributor_occupation": none(r["occupation"]),
        "contributor_id": none(r["other_id"]),
        "unused_contbr_id": None,
        "contributor": None,
        "entity_type": none(r["entity_type"]),
        "entity_type_desc": {"IND": "INDIVIDUAL", "ORG": "ORGANIZATION"}.get(r["entity_type"]),
        "is_individual": is_individual(r),
        "contribution_receipt_date": day.isoformat() if day is not None else None,
        "contribution_receipt_amount": float(r["amount"]),
        "contributor_aggregate_ytd": None if pd.isna(r["aggregate_ytd"]) else float(r["aggregate_ytd"]),
        "receipt_type": none(r["receipt_type"]),
        "receipt_type_desc": None,
        "receipt_type_full": None,
        "memo_code": memo,
        "memo_code_full": None,
        "memo_text": none(r["memo_text"]),
        "memoed_subtotal": memo == "X",
        "line_number": none(r["line_number"]),
        "line_number_label": None,
        "filing_form": "F3" if getattr(cmte, "committee_type", "H") in ("H", "S") else "F3X",
        "election_type": election,
        "election_type_full": None,
        "fec_election_type_desc": ELECTION_TYPE_DESC.get(election[:1], "OTHER") if election else None,
        "fec_election_year": (election or "")[1:] or None,
        "two_year_transaction_period": cycle,
        "report_year": int(r["report_year"]),
        "report_type": none(r["report_type"]),
        "amendment_indicator": none(r["amendment_indicator"]),
        "amendment_indicator_desc": None,
        "candidate_id": None,
        "candidate_name": None,
        "candidate_first_name": None,
        "candidate_last_name": None,
        "candidate_middle_name": None,
        "candidate_prefix": None,
        "candidate_suffix": None,
        "candidate_office": None,
        "candidate_office_full": None,
        "candidate_office_state": None,
        "candidate_office_state_full": None,
        "candidate_office_district": None,
        "conduit_committee_id": conduit,
        "conduit_committee_name": getattr(conduit_cmte, "name", None),
        "conduit_committee_street1": None,
        "conduit_committee_street2": None,
        "conduit_committee_city": None,
        "conduit_committee_state": getattr(conduit_cmte, "state", None),
        "conduit_committee_zip": None,
        "donor_committee_name": None,
        "increased_limit": None,
        "national_committee_nonfederal_account": None,
        "schedule_type": "SA",
        "schedule_type_full": "ITEMIZED RECEIPTS",
        "sub_id": str(int(r["sub_id"])),
        "original_sub_id": None,
        "transaction_id": none(r["transaction_id"]),
        "back_reference_transaction_id": None,
        "back_reference_schedule_name": None,
        "file_number": int(r["file_number"]),
        "link_id": int(r["sub_id"]) // 7,
        "image_number": none(r["image_number"]),
        "pdf_url": None,
        "load_date": f"{r['load_date']}T04:00:00",
    }


def nested_committee(cmte, cycle: int) -> dict | None:
    """The filer's committee of that cycle, nested the way the API nests it (None if unknown)."""
    if cmte is None:
        return None
    return {
        "committee_id": cmte.committee_id,
        "name": cmte.name,
        "committee_type": cmte.committee_type,
        "designation": cmte.designation,
        "party": none(cmte.party),
        "state": none(cmte.state),
        "cycle": cycle,
        "candidate_ids": [cmte.candidate_id] if none(cmte.candidate_id) else [],
        "filing_frequency": none(cmte.filing_frequency),
        "is_active": True,
    }


def _spender(r: pd.Series, committee_by_cycle: dict) -> dict:
    """The spender nested as a committee: the committee of that cycle, else what the line names (a
    group that is no registered committee of the demo, e.g. a nonprofit filing Form 5)."""
    cycle = int(r["cycle"])
    nested = nested_committee(committee_by_cycle.get((r["committee_id"], cycle)), cycle)
    if nested is None:
        nested = {
            "committee_id": r["committee_id"],
            "name": none(r["spender_name"]),
            "committee_type": None,
            "designation": None,
            "party": None,
            "state": None,
            "cycle": cycle,
            "candidate_ids": [],
            "filing_frequency": None,
            "is_active": True,
        }
    return nested


def _day(value) -> str | None:
    value = none(value)
    return value.isoformat() if value is not None else None


def _schedule_e_common(r: pd.Series, committee_by_cycle: dict) -> dict:
    """The fields both Schedule E views share."""
    name = none(r["candidate_name"])
    last, _, first = (name or "").partition(", ")
    memo = none(r["memo_code"])
    return {
        "committee_id": r["committee_id"],
        "committee": _spender(r, committee_by_cycle),
        "candidate_id": none(r["candidate_id"]),
        "candidate_name": name,
        "candidate_first_name": first or None,
        "candidate_middle_name": None,
        "candidate_last_name": last or None,
        "candidate_prefix": None,
        "candidate_suffix": None,
        "candidate_office": none(r["candidate_office"]),
        "candidate_office_state": none(r["candidate_state"]),
        "candidate_office_district": none(r["candidate_district"]),
        "candidate_party": none(r["candidate_party"]),
        "support_oppose_indicator": none(r["support_oppose"]),
        "dissemination_date": _day(r["dissemination_date"]),
        "expenditure_description": none(r["purpose"]),
        "category_code": none(r["category_code"]),
        "payee_name": none(r["payee_name"]),
        "payee_last_name": none(r["payee_name"]),
        "payee_first_name": None,
        "memo_code": memo,
        "memo_text": none(r["memo_text"]),
        "memoed_subtotal": memo == "X",
        "is_notice": bool(r["is_notice"]),
        "filing_form": none(r["filing_form"]),
        "report_type": none(r["report_type"]),
        "report_year": None if none(r["report_year"]) is None else int(r["report_year"]),
        "transaction_id": none(r["transaction_id"]),
        "back_reference_transaction_id": none(r["back_reference_transaction_id"]),
        "back_reference_schedule_name": None,
        "file_number": None if none(r["file_number"]) is None else int(r["file_number"]),
        "previous_file_number": None if none(r["previous_file_number"]) is None else int(r["previous_file_number"]),
        "amendment_indicator": none(r["amendment_indicator"]),
        "image_number": none(r["image_number"]),
        "office_total_ytd": None if none(r["office_total_ytd"]) is None else float(r["office_total_ytd"]),
        "election_type": None,
        "pdf_url": None,
    }


def schedule_e(r: pd.Series, committee_by_cycle: dict) -> dict:
    """/schedules/schedule_e/: `r` is a row of schedule_e.processed_lines; `sub_id` a string, the
    expenditure date falling back to the dissemination date, the received date as `filing_date`."""
    return {
        **_schedule_e_common(r, committee_by_cycle),
        "sub_id": str(int(r["sub_id"])),
        "original_sub_id": None,
        "expenditure_date": _day(r["shown_date"]),
        "expenditure_amount": float(r["amount"]),
        "most_recent": bool(r["most_recent"]),
        "filing_date": _day(r["filed_date"]),
        "schedule_type": "SE",
        "schedule_type_full": "INDEPENDENT EXPENDITURE",
        "line_number": None if r["filing_form"] == "F5" else "24",
    }


def schedule_e_efile(r: pd.Series, committee_by_cycle: dict) -> dict:
    """/schedules/schedule_e/efile/: a line as e-filed: no sub_id (its key is the filing's
    `file_number` and the `related_line_number`), the amount in whole dollars (an integer column),
    the filing nested with the day it was received."""
    common = _schedule_e_common(r, committee_by_cycle)
    filed = _day(r["filed_date"])
    return {
        **common,
        "related_line_number": int(r["related_line_number"]),
        "line_number": "24",
        "expenditure_date": _day(r["expenditure_date"]),
        "expenditure_amount": int(round(float(r["amount"]))),
        "most_recent": None,
        "entity_type": "ORG",
        "notary_sign_date": None,
        "load_timestamp": f"{filed}T10:00:00" if filed else None,
        "filing": {
            "file_number": common["file_number"],
            "form_type": common["filing_form"],
            "committee_id": r["committee_id"],
            "committee_name": common["committee"]["name"],
            "filed_date": filed,
            "receipt_date": f"{filed}T09:30:00" if filed else None,
            "amendment_indicator": common["amendment_indicator"],
            "previous_file_number": common["previous_file_number"],
        },
    }


def none(value):
    """None for missing values of any kind (None, NaN, NaT, pd.NA); the value otherwise."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def is_individual(r) -> bool:
    """FEC's is_individual flag: a coded individual receipt type, or under $200 on an individual
    line and not a memo (reference section 5.3)."""
    if none(r["receipt_type"]) in INDIVIDUAL_TYPES:
        return True
    return bool(
        abs(float(r["amount"])) < 200
        and none(r["line_number"]) in ("11AI", "12", "17", "17A", "18")
        and none(r["memo_code"]) is None
    )
