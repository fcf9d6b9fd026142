"""`load-bulk` of the FEC's independent_expenditure_<cycle>.csv (the 24/48-hour notices) and itpas2.txt
(the regular reports' independent expenditures, 24E/24A) written from a demo with outside spending: it
publishes, and its outside-spending extracts equal those the demo build makes of the same lines, but for
what the two files cannot carry (each difference named and checked in
test_the_outside_extracts_equal_the_demo_builds_but_for_what_the_files_cannot_carry)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.core import contract
from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.pipeline.bulk.load import load
from dashboard.pipeline.bulk.progress import LoadProgress
from devtools import bulk_layout

CYCLE = 2024
# the candidates and spenders the lines name, the notices, and pas2 with the regular reports' lines
KINDS_WRITTEN = ("cn", "cm", "ccl", "ie", "itpas2")
OUTSIDE = ("outside_expenditures", "agg_outside_daily", "agg_outside_spenders", "outside_unmatched")


class Quiet(LoadProgress):
    def __init__(self):
        super().__init__(out=open("/dev/null", "w"))


def add_notices(data_dir: Path) -> int:
    """Notice lines of our own (whatever outside spending the demo makes, these traps are there):
    candidate names with a comma, candidates named by name, office and state only, amended notices
    (every version kept), a filer restarting its transaction IDs in every notice, a notice without a
    dissemination date. Spenders are the demo's super PACs and PACs of 2024."""
    raw = data_dir / "raw"
    candidates = duckdb.sql(
        f"SELECT candidate_id, name, office, state, district FROM read_parquet('{raw}/candidates/*.parquet') "
        f"WHERE cycle = {CYCLE} AND office IN ('H', 'S') AND name LIKE '%,%' ORDER BY candidate_id LIMIT 12"
    ).fetchall()
    spenders = duckdb.sql(
        f"SELECT committee_id, name FROM read_parquet('{raw}/committees/*.parquet') "
        f"WHERE cycle = {CYCLE} AND committee_type IN ('O', 'Q') ORDER BY committee_id LIMIT 3"
    ).fetchall()
    assert len(candidates) == 12 and len(spenders) == 3
    lines = []
    for i in range(36):
        cid, name, office, state, district = candidates[i % 12]
        spender = spenders[i % 3]
        restarts = i % 3 == 2
        spent = date(CYCLE, 9, 1) + timedelta(days=i)
        line = {
            "sub_id": 4_990_000_000_000_000_000 + i,
            "cycle": CYCLE,
            "committee_id": spender[0],
            "spender_name": spender[1],
            "filing_form": "F24",
            "is_notice": True,
            "report_type": "24",
            "file_number": 8_000_000 + i,
            "amendment_indicator": "N",
            "transaction_id": f"SE.{i % 4 + 1}" if restarts else f"IE{i:04d}",
            "candidate_id": None if i % 5 == 0 else cid,
            "candidate_name": name,
            "candidate_office": office,
            "candidate_state": state,
            "candidate_district": district if office == "H" else None,
            "candidate_party": "DEM",
            "support_oppose": "S" if i % 4 else "O",
            "amount": Decimal(1000 + 37 * i) + Decimal("0.25"),
            "expenditure_date": spent,
            "dissemination_date": None if i % 7 == 0 else spent + timedelta(days=1),
            "purpose": 'TV AD, "CLOSING ARGUMENT"' if i % 6 == 0 else "DIGITAL ADS",
            "payee_name": "MEDIA BUYERS, LLC",
            "filed_date": spent + timedelta(days=2),
        }
        lines.append(line)
        if i % 4 == 1:  # amended: a new filing naming the old one, the amount changed; both stay
            lines.append(
                dict(
                    line,
                    sub_id=line["sub_id"] + 500,
                    file_number=8_100_000 + i,
                    previous_file_number=line["file_number"],
                    amendment_indicator="A",
                    amount=line["amount"] + Decimal("10.00"),
                    filed_date=line["filed_date"] + timedelta(days=3),
                )
            )
    schema = contract.raw_arrow_schema("schedule_e")
    table = pa.Table.from_pylist([{c: line.get(c) for c in schema.names} for line in lines], schema=schema)
    (raw / "schedule_e").mkdir(exist_ok=True)
    pq.write_table(table, raw / "schedule_e" / f"demo-ietest-{CYCLE}.parquet")
    return len(lines)


@pytest.fixture(scope="module")
def demo_notices(small_snapshot, tmp_path_factory) -> Path:
    """The small demo's raw data with our notices added (its regular reports' lines, amended versions
    and memo lines kept), built and published as a demo snapshot."""
    data_dir = tmp_path_factory.mktemp("ie-demo")
    shutil.copytree(small_snapshot / "raw", data_dir / "raw")
    add_notices(data_dir)
    build_and_publish(data_dir, source="demo")
    return data_dir


@pytest.fixture(scope="module")
def bulk(demo_notices, tmp_path_factory) -> tuple[Path, Path, dict]:
    folder = tmp_path_factory.mktemp("ie-files")
    bulk_layout.write_cycle(demo_notices, CYCLE, folder, kinds=KINDS_WRITTEN)
    data_dir = tmp_path_factory.mktemp("ie-load")
    summary = load(data_dir, CYCLE, folder, Quiet())
    return folder, data_dir, summary


def notice_count(data_dir: Path) -> int:
    """The notice lines of the cycle the file holds (memo lines are not in it)."""
    return duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{data_dir}/raw/schedule_e/*.parquet', union_by_name = true) "
        f"WHERE cycle = {CYCLE} AND is_notice AND memo_code IS DISTINCT FROM 'X'"
    ).fetchall()[0][0]


def rows(data_dir: Path, extract: str, drop: tuple[str, ...] = ()) -> list[tuple]:
    columns = ", ".join(c for c in contract.EXTRACTS[extract] if c not in drop)
    return duckdb.sql(
        f"SELECT {columns} FROM read_parquet('{data_dir}/current/{extract}.parquet') WHERE cycle = {CYCLE} ORDER BY ALL"
    ).fetchall()


def test_the_generated_file_is_the_fec_csv_with_quoting_and_padded_ids(demo_notices, bulk):
    folder, _data_dir, _summary = bulk
    text = (folder / f"independent_expenditure_{CYCLE}.csv").read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert header.startswith("cand_id,cand_name,spe_id,spe_nam,ele_type,can_office_state,can_office_dis,can_office,")
    assert header.endswith(",receipt_dat,fec_election_yr,prev_file_num,dissem_dt")
    assert ',"MEDIA BUYERS, LLC",' in text and '"TV AD, ""CLOSING ARGUMENT""",' in text
    assert text.count(", C") > 0  # some spender IDs padded with spaces, as in the real file
    notices = notice_count(demo_notices)
    assert notices >= 45 and len(text.splitlines()) == notices + 1


def test_load_bulk_publishes_every_notice_as_a_raw_schedule_e_line(demo_notices, bulk):
    _folder, data_dir, summary = bulk
    assert summary["snapshot_id"]
    facts = summary["files"]["ie"]
    notices = (notice_count(demo_notices),)
    assert facts["rows"] == notices[0] and facts["malformed"] == 0 and facts["lines"] == notices[0] + 1
    parts = sorted((data_dir / "raw" / "schedule_e").glob(f"bulk-{CYCLE}-ie-*.parquet"))
    assert parts
    stored = duckdb.sql(
        "SELECT count(*), count(DISTINCT sub_id), bool_and(sub_id < 0), bool_and(is_notice), "
        "count(*) FILTER (WHERE candidate_id IS NULL AND candidate_name IS NOT NULL) "
        f"FROM read_parquet([{', '.join(repr(str(p)) for p in parts)}])"
    ).fetchall()[0]
    assert stored[:4] == (notices[0], notices[0], True, True)
    assert stored[4] > 0  # lines naming their candidate by name, office and state only


def extract(data_dir: Path, name: str) -> str:
    return f"read_parquet('{data_dir}/current/{name}.parquet')"


# Columns the files cannot give as the demo has them; `regular`/`notice`: masked on those lines only.
CANNOT_BE_EQUAL = {
    # notices: the notices file has no SUB_ID (the load makes one up); regular lines keep pas2's SUB_ID
    "sub_id": "notice",
    # notices: the file names no form, the load infers it from the spender's ID (C9...: Form 5), and
    # the demo gives C9 IDs to super PACs too
    "filing_form": "notice",
    # pas2 has no receipt date, no purpose
    "filed_date": "regular",
    "purpose": "regular",
    # pas2 names the candidate by ID only (the demo's bulk files give the ID a name-only line names, as
    # the FEC's processed data does): matched by 'id' where the demo build matched the filed name
    "matched_by": "regular",
    # pas2 has no dissemination date: a regular line no notice reported is placed on its expenditure
    # date (checked line by line below)
    "date": "regular",
}


def masked(data_dir: Path, name: str, extra_where: str = "") -> list[tuple]:
    columns = []
    for c in contract.EXTRACTS[name]:
        on = CANNOT_BE_EQUAL.get(c)
        columns.append(c if on is None else f"CASE WHEN {'NOT ' if on == 'notice' else ''}from_notice THEN {c} END")
    return duckdb.sql(
        f"SELECT {', '.join(columns)} FROM {extract(data_dir, name)} WHERE cycle = {CYCLE} {extra_where} ORDER BY ALL"
    ).fetchall()


def test_the_outside_extracts_equal_the_demo_builds_but_for_what_the_files_cannot_carry(demo_notices, bulk):
    _folder, data_dir, _summary = bulk
    demo, loaded = extract(demo_notices, "outside_expenditures"), extract(data_dir, "outside_expenditures")
    notices, regular = duckdb.sql(
        f"SELECT count(*) FILTER (WHERE from_notice), count(*) FILTER (WHERE NOT from_notice) FROM {demo}"
    ).fetchall()[0]
    assert notices >= 36 and regular > 1000  # not two empty tables

    # The one remaining difference: a regular line naming someone who is no candidate of the cycle is
    # not in pas2 (every pas2 row has a CAND_ID; see devtools/bulk_layout.ITPAS2_IE_SQL), so the notice
    # that reported the same expenditure is what the load counts: the same money, from a notice.
    unmatched_regular = (
        f"SELECT (committee_id, transaction_id) FROM {demo} WHERE cycle = {CYCLE} AND candidate_id IS NULL "
        "AND NOT from_notice"
    )
    apart = f"cycle = {CYCLE} AND candidate_id IS NULL AND (committee_id, transaction_id) IN ({unmatched_regular})"
    facts = "SELECT committee_id, transaction_id, support_oppose, amount, date, from_notice FROM {t} WHERE {apart}"
    only_demo = duckdb.sql(facts.format(t=demo, apart=apart) + " ORDER BY ALL").fetchall()
    only_loaded = duckdb.sql(facts.format(t=loaded, apart=apart) + " ORDER BY ALL").fetchall()
    assert len(only_demo) == 2 and not any(r[-1] for r in only_demo)
    assert only_loaded == [r[:-1] + (True,) for r in only_demo]
    apart = f"AND NOT coalesce({apart}, false)"
    assert masked(data_dir, "outside_expenditures", apart) == masked(demo_notices, "outside_expenditures", apart)

    # Dates: a regular line keeps the demo's date (its notice's dissemination date, or a Form 5 line's
    # expenditure date) unless no notice reported it: then it is on its expenditure date, which pas2 gives.
    raw_demo = f"read_parquet('{demo_notices}/raw/schedule_e/*.parquet', union_by_name = true)"
    pas2 = f"read_parquet('{data_dir}/raw/schedule_e/bulk-{CYCLE}-pas2.parquet')"
    same, moved, wrong = duckdb.sql(
        f"""SELECT count(*) FILTER (WHERE l.date = d.date),
                   count(*) FILTER (WHERE l.date = p.expenditure_date AND d.date > l.date AND NOT noticed),
                   count(*) FILTER (WHERE l.date <> d.date AND NOT (l.date = p.expenditure_date AND NOT noticed))
            FROM {loaded} l JOIN {demo} d USING (sub_id) JOIN {pas2} p USING (sub_id),
            LATERAL (SELECT EXISTS (SELECT 1 FROM {raw_demo} n WHERE n.is_notice AND n.committee_id = p.committee_id
                                   AND n.transaction_id = p.transaction_id
                                   AND n.expenditure_date = p.expenditure_date) AS noticed)
            WHERE NOT l.from_notice"""
    ).fetchall()[0]
    assert wrong == 0 and moved > 100 and same > 1000, (same, moved, wrong)

    # The aggregates: outside_unmatched has no date, equal; agg_outside_daily equals the demo's lines
    # summed on the loaded dates; agg_outside_spenders equal but for first and last dates.
    assert rows(data_dir, "outside_unmatched") == rows(demo_notices, "outside_unmatched")
    regrouped = duckdb.sql(
        f"""SELECT d.candidate_id, d.cycle, coalesce(l.date, d.date) AS date, d.support_oppose, d.spender_type,
                   d.from_notice, sum(d.amount), count(*)
            FROM {demo} d LEFT JOIN {loaded} l ON l.sub_id = d.sub_id AND NOT l.from_notice AND NOT d.from_notice
            WHERE d.cycle = {CYCLE} AND d.candidate_id IS NOT NULL GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    assert rows(data_dir, "agg_outside_daily") == regrouped
    dates = ("first_date", "last_date")
    assert rows(data_dir, "agg_outside_spenders", dates) == rows(demo_notices, "agg_outside_spenders", dates)
    from_notice = duckdb.sql(
        f"SELECT count(*), sum(amount) FROM {loaded} WHERE cycle = {CYCLE} AND from_notice"
    ).fetchall()[0]
    assert from_notice[0] >= 36 and from_notice[1] > 0  # our notices no regular report repeats


def test_a_demo_without_outside_spending_gets_the_header_alone(small_snapshot, tmp_path):
    written = bulk_layout.write_cycle(small_snapshot, CYCLE, tmp_path, kinds=["ie"])
    has_lines = any((small_snapshot / "raw" / "schedule_e").glob("*.parquet"))
    name = f"independent_expenditure_{CYCLE}.csv"
    lines = (tmp_path / name).read_text().splitlines()
    assert lines[0].startswith("cand_id,cand_name,spe_id,spe_nam,")
    assert written[name] == len(lines)
    assert len(lines) > 1 if has_lines else len(lines) == 1
