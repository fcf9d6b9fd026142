"""The FEC's bulk files as this loader knows them: the column layouts of each file (in the order the
FEC writes them), the columns the CSV reader types itself, each kind's zip and member names, the SQL
turning its columns into the raw contract's shape, and where its Parquet parts go in raw/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.core import contract


class BulkLoadError(RuntimeError):
    """The load cannot go on; the message says what to do."""


def _cols(names: str) -> tuple[str, ...]:
    return tuple(names.split())


SUMMARY_COLUMNS = _cols("""CAND_ID CAND_NAME CAND_ICI PTY_CD CAND_PTY_AFFILIATION TTL_RECEIPTS TRANS_FROM_AUTH
    TTL_DISB TRANS_TO_AUTH COH_BOP COH_COP CAND_CONTRIB CAND_LOANS OTHER_LOANS CAND_LOAN_REPAY OTHER_LOAN_REPAY
    DEBTS_OWED_BY TTL_INDIV_CONTRIB CAND_OFFICE_ST CAND_OFFICE_DISTRICT SPEC_ELECTION PRIM_ELECTION RUN_ELECTION
    GEN_ELECTION GEN_ELECTION_PRECENT OTHER_POL_CMTE_CONTRIB POL_PTY_CONTRIB CVG_END_DT INDIV_REFUNDS CMTE_REFUNDS""")
ITCONT_COLUMNS = _cols("""CMTE_ID AMNDT_IND RPT_TP TRANSACTION_PGI IMAGE_NUM TRANSACTION_TP ENTITY_TP NAME CITY
    STATE ZIP_CODE EMPLOYER OCCUPATION TRANSACTION_DT TRANSACTION_AMT OTHER_ID TRAN_ID FILE_NUM MEMO_CD MEMO_TEXT
    SUB_ID""")
ITPAS2_COLUMNS = ITCONT_COLUMNS[:16] + ("CAND_ID",) + ITCONT_COLUMNS[16:]
WEBK_COLUMNS = _cols("""CMTE_ID CMTE_NM CMTE_TP CMTE_DSGN CMTE_FILING_FREQ TTL_RECEIPTS TRANS_FROM_AFF INDV_CONTRIB
    OTHER_POL_CMTE_CONTRIB CAND_CONTRIB CAND_LOANS TTL_LOANS_RECEIVED TTL_DISB TRANF_TO_AFF INDV_REFUNDS
    OTHER_POL_CMTE_REFUNDS CAND_LOAN_REPAY LOAN_REPAY COH_BOP COH_COP DEBTS_OWED_BY NONFED_TRANS_RECEIVED
    CONTRIB_TO_OTHER_CMTE IND_EXP PTY_COORD_EXP NONFED_SHARE_EXP CVG_END_DT""")
# independent_expenditure_<cycle>.csv, by its header's names (upper-cased). Real files name the office
# columns CAN_OFFICE_STATE, CAN_OFFICE_DIS, CAN_OFFICE (several loaders of the real file agree; the
# issue that asked for the file abbreviated them): both spellings are read (IE_HEADER_ALIASES).
IE_COLUMNS = _cols("""CAND_ID CAND_NAME SPE_ID SPE_NAM ELE_TYPE CAN_OFFICE_STATE CAN_OFFICE_DIS CAN_OFFICE
    CAND_PTY_AFF EXP_AMO EXP_DATE AGG_AMO SUP_OPP PUR PAY FILE_NUM AMNDT_IND TRAN_ID IMAGE_NUM RECEIPT_DAT
    FEC_ELECTION_YR PREV_FILE_NUM DISSEM_DT""")
IE_HEADER_ALIASES = {"CAN_OFF_STA": "CAN_OFFICE_STATE", "CAN_OFF_DIS": "CAN_OFFICE_DIS", "CAN_OFF": "CAN_OFFICE"}
# Columns the loader adds to every record of a file with a header: its first line's number and its
# made-up id (the file has no SUB_ID; parse.made_up_sub_id).
LINE_COLUMN = "LINE_NUMBER"

# Columns the CSV reader types itself (a value that is not one is a reject with its line number).
READ_TYPES = {
    "SUB_ID": "BIGINT",
    "FILE_NUM": "BIGINT",
    "TRANSACTION_AMT": contract.MONEY,
    "LINKAGE_ID": "BIGINT",
    "CAND_ELECTION_YR": "INTEGER",
    "FEC_ELECTION_YR": "INTEGER",
    "EXP_AMO": contract.MONEY,
    "PREV_FILE_NUM": "BIGINT",
    LINE_COLUMN: "BIGINT",
}
SUMMARY_MONEY = {
    c
    for c in SUMMARY_COLUMNS + WEBK_COLUMNS
    if c.startswith(
        (
            "TTL_",
            "TRANS_",
            "TRANF_",
            "COH_",
            "CAND_CONTRIB",
            "CAND_LOAN",
            "OTHER_LOAN",
            "DEBTS_",
            "INDIV_",
            "INDV_",
            "OTHER_POL",
            "POL_PTY",
            "CMTE_REFUNDS",
            "LOAN_REPAY",
            "NONFED_",
            "CONTRIB_TO",
            "IND_EXP",
            "PTY_COORD",
        )
    )
}


@dataclass(frozen=True)
class Kind:
    """One of the FEC's bulk files: its zip, the text file inside, its columns and where it goes."""

    name: str
    zip_prefix: str  # <prefix><yy>.zip, or <prefix>.zip when it holds {cycle}
    member: str  # text file inside the zip; {yy} is the cycle's last two digits, {cycle} its four
    columns: tuple[str, ...]
    table: str  # raw table (contract.RAW) or a bulk_* reference table
    select: str  # SQL over the read columns giving the table's columns; {cycle} is an integer
    required: tuple[str, ...]  # a line without these values is malformed
    description: str
    # A comma-separated file with a header row and double-quoted fields (the columns are found by the
    # header's names), rather than the pipe-delimited files without header or quoting.
    csv_header: bool = False
    # Whether the FEC publishes it zipped (what --download fetches); a file it publishes bare is still
    # found inside a zip of the same name, should someone zip it.
    published_zipped: bool = True


def _summary_select(columns) -> str:
    parts = []
    for c in columns:
        if c in SUMMARY_MONEY:
            parts.append(f"CAST({c} AS {contract.MONEY}) AS {c.lower()}")
        elif c == "CVG_END_DT":
            parts.append("CAST(TRY_STRPTIME(CVG_END_DT, '%m/%d/%Y') AS DATE) AS cvg_end_dt")
        else:
            parts.append(f"{c} AS {c.lower()}")
    return ", ".join(parts) + ", {cycle} AS cycle"


def _transaction_select(columns) -> str:
    parts = [f"{c} AS {c.lower()}" for c in columns if c not in ("TRANSACTION_DT",)]
    return (
        ", ".join(parts)
        + ", TRY_CAST(TRY_STRPTIME(TRANSACTION_DT, '%m%d%Y') AS DATE) AS transaction_dt, {cycle} AS cycle"
    )


# Dates of the files with a header: DD-MON-YY as the FEC writes them, and two spellings seen elsewhere.
HEADER_FILE_DATE_FORMATS = ("%d-%b-%y", "%m/%d/%Y", "%Y-%m-%d")


def header_file_date(column: str) -> str:
    """SQL reading one date column of a file with a header (NULL when blank or not a date)."""
    formats = ", ".join(f"'{f}'" for f in HEADER_FILE_DATE_FORMATS)
    return f"CAST(TRY_STRPTIME(nullif(trim({column}), ''), [{formats}]) AS DATE)"


def _with_dates(select: str) -> str:
    """{date:COLUMN} in a kind's SQL -> header_file_date(COLUMN)."""
    return re.sub(r"\{date:([A-Z_]+)\}", lambda m: header_file_date(m.group(1)), select)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "cn",
            "cn",
            "cn.txt",
            _cols("""CAND_ID CAND_NAME CAND_PTY_AFFILIATION CAND_ELECTION_YR CAND_OFFICE_ST
         CAND_OFFICE CAND_OFFICE_DISTRICT CAND_ICI CAND_STATUS CAND_PCC CAND_ST1 CAND_ST2 CAND_CITY CAND_ST CAND_ZIP"""),
            "candidates",
            """CAND_ID AS candidate_id, {cycle} AS cycle, CAND_NAME AS name, CAND_PTY_AFFILIATION AS party,
            CAND_OFFICE AS office, CAND_OFFICE_ST AS state,
            CASE WHEN CAND_OFFICE = 'H' THEN lpad(coalesce(CAND_OFFICE_DISTRICT, '00'), 2, '0') ELSE '00' END AS district,
            CAND_ICI AS incumbent_challenge, CAND_STATUS AS status, CAND_PCC AS principal_committee_id,
            CAND_ELECTION_YR AS election_year""",
            ("CAND_ID",),
            "candidate master",
        ),
        Kind(
            "cm",
            "cm",
            "cm.txt",
            _cols("""CMTE_ID CMTE_NM TRES_NM CMTE_ST1 CMTE_ST2 CMTE_CITY CMTE_ST CMTE_ZIP CMTE_DSGN
         CMTE_TP CMTE_PTY_AFFILIATION CMTE_FILING_FREQ ORG_TP CONNECTED_ORG_NM CAND_ID"""),
            "committees",
            """CMTE_ID AS committee_id, {cycle} AS cycle, CMTE_NM AS name, CMTE_TP AS committee_type,
            CMTE_DSGN AS designation, CMTE_PTY_AFFILIATION AS party, CMTE_ST AS state, CAND_ID AS candidate_id,
            CMTE_FILING_FREQ AS filing_frequency""",
            ("CMTE_ID",),
            "committee master",
        ),
        Kind(
            "ccl",
            "ccl",
            "ccl.txt",
            _cols("CAND_ID CAND_ELECTION_YR FEC_ELECTION_YR CMTE_ID CMTE_TP CMTE_DSGN LINKAGE_ID"),
            "linkages",
            """CAND_ID AS candidate_id, CAND_ELECTION_YR AS election_year, coalesce(FEC_ELECTION_YR, {cycle}) AS cycle,
            CMTE_ID AS committee_id, CMTE_TP AS committee_type, CMTE_DSGN AS designation, LINKAGE_ID AS linkage_id""",
            ("CAND_ID", "CMTE_ID"),
            "candidate-committee linkages",
        ),
        Kind(
            "weball",
            "weball",
            "weball{yy}.txt",
            SUMMARY_COLUMNS,
            "bulk_weball",
            _summary_select(SUMMARY_COLUMNS),
            ("CAND_ID",),
            "all-candidates summary",
        ),
        Kind(
            "webl",
            "webl",
            "webl{yy}.txt",
            SUMMARY_COLUMNS,
            "bulk_webl",
            _summary_select(SUMMARY_COLUMNS),
            ("CAND_ID",),
            "House/Senate campaigns summary",
        ),
        Kind(
            "webk",
            "webk",
            "webk{yy}.txt",
            WEBK_COLUMNS,
            "bulk_webk",
            _summary_select(WEBK_COLUMNS),
            ("CMTE_ID",),
            "PAC and party summary",
        ),
        Kind(
            "itcont",
            "indiv",
            "itcont.txt",
            ITCONT_COLUMNS,
            "schedule_a",
            # conduit_committee_id: on the recipient's copy of an earmarked gift (15E) OTHER_ID names the
            # conduit, as the API's conduit_committee_id does.
            """SUB_ID AS sub_id, CMTE_ID AS committee_id, CAST(NULL AS INTEGER) AS report_year, RPT_TP AS report_type,
            FILE_NUM AS file_number, AMNDT_IND AS amendment_indicator, TRANSACTION_TP AS receipt_type,
            CAST(NULL AS VARCHAR) AS line_number, ENTITY_TP AS entity_type, NAME AS contributor_name, CITY AS city,
            STATE AS state, ZIP_CODE AS zip, EMPLOYER AS employer, OCCUPATION AS occupation,
            CAST(TRY_STRPTIME(TRANSACTION_DT, '%m%d%Y') AS DATE) AS date, TRANSACTION_AMT AS amount,
            CAST(NULL AS DECIMAL(14,2)) AS aggregate_ytd, MEMO_CD AS memo_code, MEMO_TEXT AS memo_text,
            OTHER_ID AS other_id,
            CASE WHEN TRANSACTION_TP = '15E' AND regexp_full_match(OTHER_ID, 'C[0-9]{8}') THEN OTHER_ID END
                AS conduit_committee_id,
            TRAN_ID AS transaction_id, IMAGE_NUM AS image_number, TRANSACTION_PGI AS election_type""",
            ("CMTE_ID", "SUB_ID", "TRANSACTION_AMT"),
            "individual contributions",
        ),
        Kind(
            "itpas2",
            "pas2",
            "itpas2.txt",
            ITPAS2_COLUMNS,
            "bulk_itpas2",
            _transaction_select(ITPAS2_COLUMNS),
            ("CMTE_ID", "SUB_ID", "TRANSACTION_AMT"),
            "committee contributions to candidates",
        ),
        Kind(
            "ie",
            "independent_expenditure_{cycle}",
            "independent_expenditure_{cycle}.csv",
            IE_COLUMNS,
            "schedule_e",
            # What the file is (fec.gov's description of it): the 24- and 48-hour notices of independent
            # expenditures of the cycle, every version: an amended notice's lines are added, the original's
            # stay. So every line is a notice (is_notice; the builder keeps the latest version of each).
            # The file names no form: spenders with a C9 ID are persons and groups that are not
            # political committees, who file notices on Form 5; committees file them on Form 24
            # (inferred from the FEC's ID ranges, not stated in the file). It has no SUB_ID, memo code,
            # report type or category: SUB_ID is made up (parse.made_up_sub_id), the others are NULL.
            # Dates are DD-MON-YY (31-OCT-24); MM/DD/YYYY and YYYY-MM-DD are read too. IDs and names
            # come with stray spaces.
            _with_dates(
                """SUB_ID AS sub_id, {cycle} AS cycle, upper(nullif(trim(SPE_ID), '')) AS committee_id,
            nullif(trim(SPE_NAM), '') AS spender_name,
            CASE WHEN upper(trim(SPE_ID)) LIKE 'C9%' THEN 'F5' ELSE 'F24' END AS filing_form, true AS is_notice,
            CAST(NULL AS VARCHAR) AS report_type, CAST(NULL AS INTEGER) AS report_year, FILE_NUM AS file_number,
            PREV_FILE_NUM AS previous_file_number, nullif(trim(AMNDT_IND), '') AS amendment_indicator,
            nullif(trim(TRAN_ID), '') AS transaction_id, CAST(NULL AS VARCHAR) AS back_reference_transaction_id,
            nullif(trim(IMAGE_NUM), '') AS image_number, CAST(NULL AS VARCHAR) AS memo_code,
            CAST(NULL AS VARCHAR) AS memo_text, upper(nullif(trim(CAND_ID), '')) AS candidate_id,
            nullif(trim(CAND_NAME), '') AS candidate_name, upper(nullif(trim(CAN_OFFICE), '')) AS candidate_office,
            upper(nullif(trim(CAN_OFFICE_STATE), '')) AS candidate_state,
            nullif(trim(CAN_OFFICE_DIS), '') AS candidate_district, nullif(trim(CAND_PTY_AFF), '') AS candidate_party,
            upper(nullif(trim(SUP_OPP), '')) AS support_oppose, EXP_AMO AS amount,
            {date:EXP_DATE} AS expenditure_date, {date:DISSEM_DT} AS dissemination_date,
            nullif(trim(PUR), '') AS purpose, nullif(trim(PAY), '') AS payee_name,
            CAST(NULL AS VARCHAR) AS category_code, {date:RECEIPT_DAT} AS filed_date"""
            ),
            ("SPE_ID", "EXP_AMO"),
            "independent expenditures (24/48-hour notices)",
            csv_header=True,
            published_zipped=False,
        ),
    )
}


# Where each kind's Parquet goes in raw/; schedule_a is partitioned by cycle like the other sources'.
def raw_folder(raw: Path, kind: Kind, cycle: int) -> Path:
    if kind.table == "schedule_a":
        return raw / "schedule_a" / f"cycle={cycle}"
    return raw / kind.table


def part_name(kind: Kind, cycle: int, index: int) -> str:
    return f"bulk-{cycle}-{kind.name}-{index:05d}.parquet"


def _named(template: str, cycle: int) -> str:
    return template.format(yy=f"{cycle % 100:02d}", cycle=int(cycle))


def zip_name(kind: Kind, cycle: int) -> str:
    return _named(kind.zip_prefix if "{" in kind.zip_prefix else kind.zip_prefix + "{yy}", cycle) + ".zip"


def member_name(kind: Kind, cycle: int) -> str:
    return _named(kind.member, cycle)


def download_name(kind: Kind, cycle: int) -> str:
    """The file the FEC publishes for a kind: its zip, or the bare file (independent_expenditure_2024.csv)."""
    return zip_name(kind, cycle) if kind.published_zipped else member_name(kind, cycle)
