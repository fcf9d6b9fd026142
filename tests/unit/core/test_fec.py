"""The FEC vocabulary: every code the dashboard meets has a name, and the lists agree with each other."""

from __future__ import annotations

import re

from dashboard.core import contract, fec


def test_the_full_party_code_list_is_there():
    # OpenFEC documents 95 codes; the common ones are named as people say them.
    assert len(fec.PARTY_DESCRIPTIONS) == 95
    for code, description in fec.PARTY_DESCRIPTIONS.items():
        assert re.fullmatch(r"[A-Z/]{1,3}", code), code  # mostly three letters; also W, UN, D/C...
        assert description.strip() == description and description
    assert {code: fec.PARTY_NAMES[code] for code in ("DEM", "REP", "LIB", "GRE", "IND", "CON", "UNK")} == {
        "DEM": "Democratic",
        "REP": "Republican",
        "LIB": "Libertarian",
        "GRE": "Green",
        "IND": "Independent",
        "CON": "Constitution",
        "UNK": "Unknown",
    }


def test_short_party_names_stay_distinct():
    # Dropping " Party" must not make two codes read alike (IND 'Independent' and IP 'Independent Party').
    assert set(fec.PARTY_NAMES) == set(fec.PARTY_DESCRIPTIONS)
    assert len(set(fec.PARTY_NAMES.values())) == len(fec.PARTY_NAMES)
    assert fec.PARTY_NAMES["IP"] == "Independent Party"
    assert fec.PARTY_NAMES["SOC"] == "Socialist Party U.S.A."


def test_offices_words_and_names_cover_the_same_codes():
    assert set(fec.OFFICE_WORDS) == set(fec.OFFICE_NAMES) == set(fec.OFFICES) == {"H", "S", "P"}
    assert fec.OFFICE_BY_WORD == {"house": "H", "senate": "S", "president": "P"}


def test_every_committee_type_and_designation_is_named():
    assert set(fec.COMMITTEE_TYPES) == set("CDEHINOPQSUVWXYZ")
    groups = fec.CANDIDATE_COMMITTEE_TYPES + fec.PAC_COMMITTEE_TYPES + fec.PARTY_COMMITTEE_TYPES
    assert set(groups) <= set(fec.COMMITTEE_TYPES) and len(groups) == len(set(groups))
    assert set(fec.COMMITTEE_DESIGNATIONS) == set("ABDJPU")
    assert fec.COMMITTEE_DESIGNATIONS["P"] == "Principal campaign committee"
    for table in (
        fec.COMMITTEE_TYPES,
        fec.COMMITTEE_DESIGNATIONS,
        fec.INCUMBENCY,
        fec.CANDIDATE_STATUSES,
        fec.ENTITY_TYPES,
        fec.AMENDMENT_INDICATORS,
        fec.REPORT_TYPES,
        fec.TRANSACTION_TYPES,
    ):
        assert all(isinstance(name, str) and name for name in table.values())


def test_report_types_include_the_periodic_ones():
    for code in ("Q1", "Q2", "Q3", "YE", "MY", "12G", "30G", "TER", *(f"M{month}" for month in range(1, 13))):
        assert code in fec.REPORT_TYPES, code
    assert contract.LEGACY_BULK_REPORT_TYPE not in fec.REPORT_TYPES  # ours, not the FEC's


def test_every_receipt_type_the_contract_counts_is_named():
    for codes in (
        contract.CONDUIT_SIDE_RECEIPT_TYPES,
        contract.INDIVIDUAL_RECEIPT_TYPES,
        contract.REFUND_RECEIPT_TYPES,
        fec.IS_INDIVIDUAL_RECEIPT_TYPES,
    ):
        assert set(codes) <= set(fec.TRANSACTION_TYPES), set(codes) - set(fec.TRANSACTION_TYPES)
    assert "conduit" in fec.TRANSACTION_TYPES["24T"] and "Earmarked" in fec.TRANSACTION_TYPES["15E"]
