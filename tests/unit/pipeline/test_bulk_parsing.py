"""Parsing the FEC's bulk files: layouts, quirks, malformed lines with their line numbers, amendments."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from dashboard.pipeline.bulk.amendments import drop_superseded
from dashboard.pipeline.bulk.formats import KINDS, BulkLoadError
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.parse import made_up_sub_id, parse_chunk
from dashboard.pipeline.bulk.sources import find_sources, iter_chunks
from dashboard.pipeline.duck import connect


def itcont_line(
    sub_id="4000000000000000001",
    cmte="C00000001",
    name="SMITH, JOHN",
    amount="250",
    dt="03152024",
    tp="15",
    memo="",
    tran="SA11AI.1",
    file_num="1400001",
    amend="N",
    rpt="Q1",
    other="",
) -> str:
    fields = [
        cmte,
        amend,
        rpt,
        "P2024",
        "202403159000000001",
        tp,
        "IND",
        name,
        "PORTLAND",
        "OR",
        "972011234",
        "ACME",
        "ENGINEER",
        dt,
        amount,
        other,
        tran,
        file_num,
        memo,
        "",
        sub_id,
    ]
    return "|".join(fields)


def as_date(value) -> date:
    return pd.Timestamp(value).date()


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path)
    yield c
    c.close()


def parse(con, tmp_path, kind: str, text: bytes, first_line: int = 1):
    out = tmp_path / "part.parquet"
    result = parse_chunk(con, KINDS[kind], 2024, text, first_line, tmp_path, out)
    rows = duckdb.sql(f"SELECT * FROM read_parquet('{out}') ORDER BY 1").fetchdf()
    return result, rows


def test_column_lists_match_the_fec_header_files(shared_data):
    headers = shared_data / "fec" / "headers"
    for kind, header in (("cn", "cn"), ("cm", "cm"), ("ccl", "ccl"), ("itcont", "indiv"), ("weball", "weball")):
        names = (headers / f"{header}_header_file.csv").read_text().strip().split(",")
        assert list(KINDS[kind].columns) == names, kind
    assert len(KINDS["itpas2"].columns) == 22 and KINDS["itpas2"].columns[16] == "CAND_ID"
    # webk: same positions as the FEC header file (two columns are spelled differently there).
    webk = (headers / "webk_header_file.csv").read_text().strip().split(",")
    assert len(KINDS["webk"].columns) == len(webk) == 27
    assert KINDS["webk"].columns[5] == webk[5] == "TTL_RECEIPTS"


def test_itcont_fields_latin1_quotes_dates_and_negative_amounts(con, tmp_path):
    lines = [
        itcont_line(sub_id="4000000000000000001", name='MU\xd1OZ, JOS\xc9 "PEPE"', amount="1000.5"),
        itcont_line(sub_id="4000000000000000002", amount="-250", tp="22Y", dt=""),
        itcont_line(sub_id="4000000000000000003", amount="25", dt="02302024", tp="15E", other="C00401224"),
    ]
    text = ("\n".join(lines) + "\n").encode("latin-1")
    result, rows = parse(con, tmp_path, "itcont", text)
    assert result["rows"] == 3 and result["malformed"] == [] and result["rows_without_date"] == 2
    first, refund, earmarked = rows.to_dict("records")
    assert first["contributor_name"] == 'MUÑOZ, JOSÉ "PEPE"'
    assert first["amount"] == Decimal("1000.50") and as_date(first["date"]) == date(2024, 3, 15)
    assert first["sub_id"] == 4000000000000000001 and first["employer"] == "ACME"
    assert first["election_type"] == "P2024"  # TRANSACTION_PGI
    assert "cycle" not in first  # schedule_a parts sit in cycle=<year>/ folders, like the other sources'
    assert refund["amount"] == Decimal("-250.00") and refund["receipt_type"] == "22Y"
    assert earmarked["conduit_committee_id"] == "C00401224" and earmarked["other_id"] == "C00401224"
    assert pd.isna(first["conduit_committee_id"])


def test_malformed_lines_are_reported_with_their_line_numbers_never_dropped_silently(con, tmp_path):
    good = itcont_line()
    lines = [
        good,  # 101
        "C00000001|N|Q1",  # 102 too few fields
        good.replace("|4000000000000000001", "|4000000000000000002") + "|EXTRA",  # 103 too many
        itcont_line(sub_id="4000000000000000004", amount="12,50"),  # 104 amount not a number
        "",  # 105 blank
        itcont_line(sub_id="4000000000000000006", cmte="", amount=""),  # 106 no committee, no amount
        itcont_line(sub_id="4000000000000000007", cmte=""),  # 107 no committee
        itcont_line(sub_id="4000000000000000008"),  # 108
    ]
    result, rows = parse(con, tmp_path, "itcont", ("\n".join(lines) + "\n").encode(), first_line=101)
    assert result["lines"] == 8 and result["rows"] == 2
    assert sorted(rows["sub_id"]) == [4000000000000000001, 4000000000000000008]
    by_line = {n: why for n, why, _text in result["malformed"]}
    assert sorted(by_line) == [102, 103, 104, 105, 106, 107]
    assert "too few fields" in by_line[102] and "too many fields" in by_line[103]
    assert "number" in by_line[104] and by_line[105] == "blank line"
    assert "CMTE_ID, TRANSACTION_AMT" in by_line[106] and "CMTE_ID" in by_line[107]
    assert result["lines"] == result["rows"] + len(result["malformed"])  # every line accounted for


def test_the_real_fec_sample_parses_completely(con, tmp_path, shared_data):
    data = (shared_data / "fec" / "2024" / "indiv24_itcont_sample.txt").read_bytes()
    result, rows = parse(con, tmp_path, "itcont", data)
    n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    assert result["lines"] == n_lines and result["rows"] == n_lines and not result["malformed"]
    expected = {int(line.split(b"|")[20]) for line in data.splitlines() if line}
    assert set(rows["sub_id"]) == expected
    first = data.splitlines()[0].decode("latin-1").split("|")
    row = rows[rows.sub_id == int(first[20])].iloc[0]
    assert row["committee_id"] == first[0] and row["receipt_type"] == first[5]
    assert row["amount"] == Decimal(first[14]) and row["file_number"] == int(first[17])
    assert row["zip"] == first[10] and row["report_type"] == first[2]


def test_the_election_of_each_real_row_is_kept_as_filed(con, tmp_path, shared_data):
    # TRANSACTION_PGI of the real sample: election years ('P2022', 'G2022') and bare letters ('P').
    data = (shared_data / "fec" / "2024" / "indiv24_itcont_sample.txt").read_bytes()
    _result, rows = parse(con, tmp_path, "itcont", data)
    filed = {int(f[20]): f[3] or None for f in (line.decode("latin-1").split("|") for line in data.splitlines())}
    kept = dict(zip(rows["sub_id"], rows["election_type"].where(rows["election_type"].notna(), None)))
    assert kept == filed
    assert {"P2022", "G2022", "P"} <= set(kept.values())


def test_masters_and_summary_map_to_the_raw_contract(con, tmp_path):
    cn = (
        b"H4OR03123|DOE, JAN\xc9|DEM|2024|OR|H|3|C|C|C00900001|1 MAIN ST||PORTLAND|OR|97201\n"
        b"S6OR00123|ROE, MAX|REP|2026|OR|S||O|N|||||OR|\n"
    )
    _result, rows = parse(con, tmp_path, "cn", cn)
    house, senate = rows.to_dict("records")
    assert house["name"] == "DOE, JANÉ" and house["district"] == "03" and house["principal_committee_id"] == "C00900001"
    assert house["election_year"] == 2024 and senate["district"] == "00" and pd.isna(senate["principal_committee_id"])
    summary = (
        "H4OR03123|DOE, JANE|C|1|DEM|1000.50|100|900|0|5|105.5|0|0|0|0|0|20|800|OR|03||||||50|25|06/30/2024|10|0\n"
    ).encode()
    result, rows = parse(con, tmp_path, "weball", summary)
    row = rows.iloc[0]
    assert (
        result["rows"] == 1 and row["ttl_receipts"] == Decimal("1000.50") and row["trans_from_auth"] == Decimal("100")
    )
    assert as_date(row["cvg_end_dt"]) == date(2024, 6, 30) and row["cycle"] == 2024


def test_chunks_end_at_line_ends_and_resume_at_an_offset():
    text = b"".join(f"line {i}|{'x' * (i % 7)}\n".encode() for i in range(1000))
    pieces = list(iter_chunks(io.BytesIO(text), 100))
    assert b"".join(p for _o, p in pieces) == text
    assert all(p.endswith(b"\n") for _o, p in pieces)
    offset = pieces[3][0]
    assert b"".join(p for _o, p in iter_chunks(io.BytesIO(text), 100, skip_bytes=offset)) == text[offset:]
    # A last line without its line end is still a piece.
    assert list(iter_chunks(io.BytesIO(b"a\nb"), 1))[-1][1] == b"b"


def test_zips_are_read_by_their_top_level_file_never_by_date(tmp_path):
    with zipfile.ZipFile(tmp_path / "indiv24.zip", "w") as zf:
        zf.writestr("itcont.txt", "x\n")
        zf.writestr("by_date/itcont_2024_20230101_20230630.txt", "x\n")
    with zipfile.ZipFile(tmp_path / "weball24.zip", "w") as zf:
        zf.writestr("weball2024.txt", "x\n")  # member names of the summaries have varied
    (tmp_path / "cn.txt").write_text("x\n")
    with zipfile.ZipFile(tmp_path / "cn24.zip", "w") as zf:
        zf.writestr("cn.txt", "zip\n")
    found, missing = find_sources(tmp_path, 2024)
    assert found["itcont"].member == "itcont.txt"
    assert found["weball"].member == "weball2024.txt"
    assert found["cn"].member is None  # a text file wins over its zip
    assert sorted(missing) == ["ccl", "cm", "ie", "itpas2", "webk", "webl"]


def test_a_filing_replaced_by_an_amendment_is_dropped_but_independent_filings_stay(con, tmp_path):
    lines = [
        # Q1 filed (file 10), then amended (file 11, 'A') with the same transaction IDs plus one.
        itcont_line(sub_id="1", tran="T1", file_num="10", amend="N"),
        itcont_line(sub_id="2", tran="T2", file_num="10", amend="N"),
        itcont_line(sub_id="3", tran="T1", file_num="11", amend="A"),
        itcont_line(sub_id="4", tran="T2", file_num="11", amend="A"),
        itcont_line(sub_id="5", tran="T3", file_num="11", amend="A"),
        # Two original Q1 filings of different years (no amendment): both stay.
        itcont_line(sub_id="6", cmte="C00000002", tran="T1", file_num="20"),
        itcont_line(sub_id="7", cmte="C00000002", tran="T9", file_num="21"),
        # A later amendment that shares no transaction with the original does not replace it.
        itcont_line(sub_id="8", cmte="C00000003", tran="U1", file_num="30"),
        itcont_line(sub_id="9", cmte="C00000003", tran="U2", file_num="31", amend="A"),
        # Filers restart transaction IDs in every report: last year's Q1 (file 40) is not an earlier
        # version of this year's Q1 (file 41, amended by file 42), though all three use "T1".
        itcont_line(sub_id="10", cmte="C00000004", tran="T1", file_num="40", dt="02012023"),
        itcont_line(sub_id="11", cmte="C00000004", tran="T1", file_num="41", dt="02012024"),
        itcont_line(sub_id="12", cmte="C00000004", tran="T1", file_num="42", dt="02012024", amend="A"),
    ]
    out = tmp_path / "part.parquet"
    parse_chunk(con, KINDS["itcont"], 2024, ("\n".join(lines) + "\n").encode(), 1, tmp_path, out)
    filings, dropped = drop_superseded(con, [out])
    assert (filings, dropped) == (2, 3)
    kept = sorted(duckdb.sql(f"SELECT sub_id FROM read_parquet('{out}')").fetchall())
    assert [k[0] for k in kept] == [3, 4, 5, 6, 7, 8, 9, 10, 12]


# --- Real files as they are (issue 12): one test per failure class. ---


def test_utf8_files_load_and_a_line_in_another_encoding_is_read_and_listed(con, tmp_path):
    # Real files are UTF-8; É is C3 89, and 0x89 is a byte DuckDB's Latin-1 reader refuses.
    # One line in Windows-1252 (0x93/0x94 quotes, 0xC9 É) and one in Latin-1 (0x81 has no
    # Windows-1252 meaning) must not fail the chunk: they are read and listed.
    utf8 = itcont_line(sub_id="1", name="SOLAGES, CARRIÉ").encode("utf-8")
    cp1252 = itcont_line(sub_id="2", name="JOS\xc9 \u201cPEPE\u201d").encode("cp1252")
    latin1 = itcont_line(sub_id="3", name="X").encode("latin-1").replace(b"|X|", b"|X\x81|")
    text = b"\n".join([utf8, cp1252, latin1]) + b"\n"
    result, rows = parse(con, tmp_path, "itcont", text, first_line=7)
    assert result["rows"] == 3 and result["malformed"] == []
    names = dict(zip(rows["sub_id"], rows["contributor_name"]))
    assert names == {1: "SOLAGES, CARRIÉ", 2: "JOSÉ \u201cPEPE\u201d", 3: "X\x81"}
    recoded = {n: why for n, why, _t in result["recoded"]}
    assert sorted(recoded) == [8, 9]
    assert "Windows-1252" in recoded[8] and "Latin-1" in recoded[9]


def test_cycle_suffixed_names_are_found_and_a_missing_file_names_what_was_looked_for(tmp_path):
    from dashboard.pipeline.bulk.sources import looked_for

    for name in ("cn24.txt", "CM24.TXT", "ccl24.txt", "weball.txt", "webl24.txt", "itcont.txt", "pas224.txt"):
        (tmp_path / name).write_text("x\n")
    found, missing = find_sources(tmp_path, 2024)
    assert {k: s.path.name for k, s in found.items()} == {
        "cn": "cn24.txt",
        "cm": "CM24.TXT",
        "ccl": "ccl24.txt",
        "weball": "weball.txt",
        "webl": "webl24.txt",
        "itcont": "itcont.txt",
        "itpas2": "pas224.txt",
    }
    assert missing == ["webk", "ie"]
    names = looked_for(KINDS["webk"], 2024)
    assert {"webk24.zip", "webk24.txt", "webk.txt"} <= set(names)
    assert {"indiv24.zip", "itcont.txt", "itcont24.txt", "indiv24.txt"} <= set(looked_for(KINDS["itcont"], 2024))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BulkLoadError) as refused:
        load(tmp_path / "data", 2024, empty)
    for name in ("cn24.txt", "weball24.txt", "weball.txt", "itcont.txt", "indiv24.zip", "pas224.txt"):
        assert name in str(refused.value)


def test_rows_without_a_sub_id_get_a_deterministic_negative_id(con, tmp_path):
    same = itcont_line(sub_id="")
    lines = [same, same, itcont_line(sub_id="", name="ROE, MAX"), itcont_line(sub_id="4000000000000000009")]
    text = ("\n".join(lines) + "\n").encode()
    result, rows = parse(con, tmp_path, "itcont", text, first_line=1)
    assert result["rows"] == 4 and result["malformed"] == [] and result["rows_with_made_up_id"] == 3
    made_up = [s for s in rows["sub_id"] if s < 0]  # the sign flags an id the file did not carry
    assert len(set(made_up)) == 3  # identical lines differ by position
    roe = rows[rows.contributor_name == "ROE, MAX"].iloc[0]
    assert roe["sub_id"] == made_up_sub_id(KINDS["itcont"], 2024, 3, lines[2].encode())
    again = tmp_path / "again"
    again.mkdir()
    _again, rows_again = parse(con, again, "itcont", text, first_line=1)
    assert sorted(rows_again["sub_id"]) == sorted(rows["sub_id"])  # the same file gives the same ids
    _moved, rows_moved = parse(con, again, "itcont", text, first_line=101)
    assert set(rows_moved["sub_id"]) & set(made_up) == set()  # the position is part of the id


@pytest.mark.parametrize(
    "refund, counted", [("250", "750.00"), ("-250", "1250.00")], ids=["a refund as filed", "a voided refund"]
)
def test_refunds_subtract_as_filed_and_a_voided_refund_adds_back(con, tmp_path, refund, counted):
    # The FEC files a refund (22Y) as a positive amount; a negative 22Y undoes an earlier refund
    # (the 2020 itcont holds ten of them).
    from dashboard.pipeline.builder.extracts import raw_views, stage

    lines = [
        itcont_line(sub_id="1", amount="1000"),
        itcont_line(sub_id="2", amount=refund, tp="22Y"),
    ]
    out = tmp_path / "raw" / "schedule_a" / "cycle=2024" / "part.parquet"
    out.parent.mkdir(parents=True)
    parse_chunk(con, KINDS["itcont"], 2024, ("\n".join(lines) + "\n").encode(), 1, tmp_path, out)
    raw_views(con, tmp_path / "raw")
    stage(con)
    assert con.execute("SELECT sum(amount) FROM counted_receipts").fetchall()[0][0] == Decimal(counted)
