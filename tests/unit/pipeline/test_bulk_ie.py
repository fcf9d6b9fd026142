"""Parsing the FEC's independent_expenditure_<cycle>.csv: a header, quoting, commas and quotes in
names, line ends inside quoted fields, bad lines listed with their line numbers, blank candidate IDs,
made-up ids, dates, finding the file and its download name."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.pipeline.bulk.formats import KINDS, BulkLoadError, download_name, zip_name
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.parse import header_columns, made_up_sub_id, parse_chunk
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.pipeline.bulk.sources import find_sources, iter_chunks, looked_for
from dashboard.pipeline.duck import connect

IE = KINDS["ie"]
HEADER = (
    "cand_id,cand_name,spe_id,spe_nam,ele_type,can_office_state,can_office_dis,can_office,cand_pty_aff,exp_amo,"
    "exp_date,agg_amo,sup_opp,pur,pay,file_num,amndt_ind,tran_id,image_num,receipt_dat,fec_election_yr,"
    "prev_file_num,dissem_dt"
)
# A line as fec.gov writes it (a blank exp_date, the dissemination date filled).
EVANS = (
    'H4CO08034,"Evans, Gabe",C00866517,Go America PAC,G,CO,08,H,REPUBLICAN PARTY,9000,,9000,S,'
    "texts supporting Gabe Evans CO-8,TTHM.com,1845617,N,E2D2833410CAA40CB9A5,202410319719900778,31-OCT-24,2024,,"
    "30-OCT-24"
)
# No candidate ID (named by name, office, state and district); a spender name with a comma and quotes;
# spaces around the spender's ID; a purpose over two lines; an amendment of file 1690000.
BY_NAME = (
    ',"SMITH, JANE", C00111111 ,"Friends of ""Good"" Government, Inc.",P,OR,03,H,DEMOCRATIC PARTY,1234.56,'
    '15-MAR-24,5000,O,"TV ad\nproduction",ACME MEDIA,1700001,A1,SE.1,202403159000000001,16-MAR-24,2024,1690000,'
    "14-MAR-24"
)
# A person's Form 5 notice (C9 ID) with dates in other spellings.
PERSON = 'S2OH00001,"DOE, JOHN",C90099999,A PERSON,G,OH,,S,REP,100,10/01/2024,100,o,RADIO,y,2,N,T2,1,2024-10-02,2024,,'
BAD_AMOUNT = "S2OH00001,DOE,C00222222,PAC,G,OH,,S,REP,$1 000,01-OCT-24,1,S,x,y,1,N,T1,1,02-OCT-24,2024,,"
NO_SPENDER = "S2OH00001,DOE,,NO ID PAC,G,OH,,S,REP,100,01-OCT-24,1,S,x,y,1,N,T1,1,02-OCT-24,2024,,"
SHORT = "C90012345,NOT ENOUGH,FIELDS"


def parse(con, tmp_path: Path, body: str, first_line: int = 2, header: str = HEADER):
    columns = header_columns(IE, (header + "\n").encode(), "test.csv")
    out = tmp_path / "part.parquet"
    result = parse_chunk(con, IE, 2024, body.encode(), first_line, tmp_path, out, columns)
    stored = duckdb.sql(f"SELECT * FROM read_parquet('{out}') ORDER BY sub_id")
    return result, [dict(zip(stored.columns, row)) for row in stored.fetchall()]


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path)
    yield c
    c.close()


def test_quoted_fields_commas_quotes_and_line_ends_are_read_as_the_fec_wrote_them(con, tmp_path):
    result, rows = parse(con, tmp_path, "\n".join([EVANS, BY_NAME, PERSON]) + "\n")
    assert result["lines"] == 4 and result["rows"] == 3 and result["malformed"] == []
    by_spender = {r["committee_id"]: r for r in rows}
    evans = by_spender["C00866517"]
    assert evans["candidate_id"] == "H4CO08034" and evans["candidate_name"] == "Evans, Gabe"
    assert evans["amount"] == Decimal("9000.00") and evans["support_oppose"] == "S"
    assert evans["expenditure_date"] is None
    assert evans["dissemination_date"] == date(2024, 10, 30) and evans["filed_date"] == date(2024, 10, 31)
    assert (evans["file_number"], evans["transaction_id"], evans["image_number"]) == (
        1845617,
        "E2D2833410CAA40CB9A5",
        "202410319719900778",
    )
    assert evans["is_notice"] and evans["filing_form"] == "F24" and evans["cycle"] == 2024
    assert evans["candidate_office"] == "H" and evans["candidate_state"] == "CO" and evans["candidate_district"] == "08"
    smith = by_spender["C00111111"]  # spaces around the ID are dropped
    assert smith["candidate_id"] is None and smith["candidate_name"] == "SMITH, JANE"
    assert (smith["candidate_office"], smith["candidate_state"], smith["candidate_district"]) == ("H", "OR", "03")
    assert smith["spender_name"] == 'Friends of "Good" Government, Inc.'
    assert smith["purpose"] == "TV ad\nproduction" and smith["amount"] == Decimal("1234.56")
    assert (smith["amendment_indicator"], smith["previous_file_number"]) == ("A1", 1690000)
    assert smith["expenditure_date"] == date(2024, 3, 15)
    person = by_spender["C90099999"]
    assert person["filing_form"] == "F5" and person["support_oppose"] == "O"  # C9 IDs: persons' Form 5 notices
    assert person["expenditure_date"] == date(2024, 10, 1) and person["filed_date"] == date(2024, 10, 2)


def test_bad_lines_are_listed_with_their_numbers_and_the_rest_loads(con, tmp_path):
    body = "\n".join([EVANS, "", SHORT, BAD_AMOUNT, BY_NAME, NO_SPENDER, PERSON + ",EXTRA"]) + "\n"
    result, rows = parse(con, tmp_path, body, first_line=10)
    assert result["lines"] == 8 and result["rows"] == 2
    assert sorted(r["committee_id"] for r in rows) == ["C00111111", "C00866517"]
    listed = {n: why for n, why, _text in result["malformed"]}
    assert listed == {
        11: "blank line",
        12: "too few fields (expected 23)",
        13: "EXP_AMO is not a number",
        16: "missing SPE_ID",  # BY_NAME took lines 14 and 15
        17: "too many fields (expected 23)",
    }
    texts = {n: text for n, _why, text in result["malformed"]}
    assert texts[13].startswith("S2OH00001,DOE,C00222222,PAC") and "$1 000" in texts[13]


def test_made_up_ids_are_negative_deterministic_and_differ_by_position(con, tmp_path):
    _r, first = parse(con, tmp_path, EVANS + "\n" + EVANS + "\n")
    ids = sorted(r["sub_id"] for r in first)
    assert len(set(ids)) == 2 and all(i < 0 for i in ids)
    _r, again = parse(con, tmp_path, EVANS + "\n" + EVANS + "\n")
    assert sorted(r["sub_id"] for r in again) == ids
    _r, moved = parse(con, tmp_path, EVANS + "\n", first_line=7)
    assert moved[0]["sub_id"] not in ids
    assert made_up_sub_id(IE, 2024, 7, b"x") == made_up_sub_id(IE, 2024, 7, b"x") < 0


def test_the_header_is_read_by_name_in_any_order_and_the_abbreviated_office_names_too(con, tmp_path):
    names = HEADER.split(",")
    abbreviated = [
        {"can_office_state": "can_off_sta", "can_office_dis": "can_off_dis", "can_office": "can_off"}.get(n, n)
        for n in names
    ]
    order = list(reversed(range(len(names))))
    header = ",".join(abbreviated[i] for i in order)
    fields = next(csv.reader([EVANS]))
    line = ",".join(f'"{fields[i]}"' for i in order)
    _r, rows = parse(con, tmp_path, line + "\n", header=header)
    assert rows[0]["committee_id"] == "C00866517" and rows[0]["candidate_state"] == "CO"
    assert rows[0]["amount"] == Decimal("9000.00")
    with pytest.raises(BulkLoadError, match="no spe_id"):
        header_columns(IE, b"cand_id,cand_name,exp_amo\n", "x.csv")


def test_a_cut_between_chunks_never_falls_inside_a_quoted_field():
    text = ("\n".join([HEADER, EVANS, BY_NAME, PERSON, BY_NAME]) + "\n").encode()
    for size in (40, 100, 300):
        pieces = [p for _o, p in iter_chunks(io.BytesIO(text), size, quoted=True)]
        assert b"".join(pieces) == text
        assert all(p.count(b'"') % 2 == 0 for p in pieces)


def test_the_file_is_found_by_its_published_name_or_in_a_zip_and_downloaded_bare(tmp_path):
    assert download_name(IE, 2024) == "independent_expenditure_2024.csv"
    assert download_name(KINDS["cn"], 2024) == "cn24.zip"
    assert looked_for(IE, 2024) == (
        "independent_expenditure_2024.csv",
        "independent_expenditure.csv",
        "independent_expenditure_2024.zip",
    )
    (tmp_path / "INDEPENDENT_EXPENDITURE_2024.CSV").write_text(HEADER + "\n")
    found, _missing = find_sources(tmp_path, 2024, ["ie"])
    assert found["ie"].path.name == "INDEPENDENT_EXPENDITURE_2024.CSV"
    zipped = tmp_path / "z"
    zipped.mkdir()
    with zipfile.ZipFile(zipped / zip_name(IE, 2024), "w") as zf:
        zf.writestr("independent_expenditure_2024.csv", HEADER + "\n" + EVANS + "\n")
    found, _missing = find_sources(zipped, 2024, ["ie"])
    assert found["ie"].member == "independent_expenditure_2024.csv"


def test_a_load_of_the_file_lists_bad_lines_and_stores_the_good_ones(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "independent_expenditure_2024.csv").write_text(
        "\ufeff" + HEADER + "\r\n" + "\r\n".join([EVANS, SHORT, BY_NAME, PERSON]) + "\r\n", encoding="utf-8"
    )
    data_dir = tmp_path / "data"
    summary = load(data_dir, 2024, folder, LoadProgress(out=io.StringIO()), publish=False)
    facts = summary["files"]["ie"]
    assert (facts["lines"], facts["rows"], facts["malformed"]) == (6, 3, 1)
    report = (data_dir / "bulk" / "2024" / "malformed.txt").read_text()
    assert "line 3\ttoo few fields (expected 23)" in report
    stored = duckdb.sql(
        f"SELECT count(*), bool_and(is_notice) FROM read_parquet('{data_dir}/raw/schedule_e/bulk-2024-ie-*.parquet')"
    ).fetchall()[0]
    assert stored == (3, True)
