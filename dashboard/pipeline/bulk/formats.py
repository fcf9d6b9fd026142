"""The FEC's bulk files as this loader knows them: the column layouts of each file (in the order the
FEC writes them), the columns the CSV reader types itself, each kind's zip and member names, the SQL
turning its columns into the raw contract's shape, and where its Parquet parts go in raw/."""

from __future__ import annotations

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

# Columns the CSV reader types itself (a value that is not one is a reject with its line number).
READ_TYPES = {
    "SUB_ID": "BIGINT",
    "FILE_NUM": "BIGINT",
    "TRANSACTION_AMT": contract.MONEY,
    "LINKAGE_ID": "BIGINT",
    "CAND_ELECTION_YR": "INTEGER",
    "FEC_ELECTION_YR": "INTEGER",
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
    zip_prefix: str  # <prefix><yy>.zip
    member: str  # text file inside the zip; {yy} is the cycle's last two digits
    columns: tuple[str, ...]
    table: str  # raw table (contract.RAW) or a bulk_* reference table
    select: str  # SQL over the read columns giving the table's columns; {cycle} is an integer
    required: tuple[str, ...]  # a line without these values is malformed
    description: str


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
            TRAN_ID AS transaction_id, IMAGE_NUM AS image_number""",
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
    )
}


# Where each kind's Parquet goes in raw/; schedule_a is partitioned by cycle like the other sources'.
def raw_folder(raw: Path, kind: Kind, cycle: int) -> Path:
    if kind.table == "schedule_a":
        return raw / "schedule_a" / f"cycle={cycle}"
    return raw / kind.table


def part_name(kind: Kind, cycle: int, index: int) -> str:
    return f"bulk-{cycle}-{kind.name}-{index:05d}.parquet"


def zip_name(kind: Kind, cycle: int) -> str:
    return f"{kind.zip_prefix}{cycle % 100:02d}.zip"


def member_name(kind: Kind, cycle: int) -> str:
    return kind.member.format(yy=f"{cycle % 100:02d}")
