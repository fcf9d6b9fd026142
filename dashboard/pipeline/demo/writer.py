"""Writing one cycle as the real sources would: the raw tables of `core.contract.RAW`, typed by its
Arrow schema, money as exact DECIMAL(14,2) cents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.core import contract
from dashboard.pipeline.demo.committees import Committee
from dashboard.pipeline.demo.donors import Donors
from dashboard.pipeline.demo.periods import CycleCalendar
from dashboard.pipeline.demo.races import CycleWorld
from dashboard.pipeline.demo.serials import Serials
from dashboard.store import layout
from dashboard.store.files import write_parquet

# Itemized rows written per batch: a large run's cycle never sits in memory as one Arrow table.
CHUNK_ROWS = 2_000_000


def write_schedule_a(
    data_dir: Path,
    world: CycleWorld,
    calendar: CycleCalendar,
    table: dict,
    ytd: np.ndarray,
    stale: list[tuple[np.ndarray, int]],
    reports: list[dict],
    donors: Donors,
    serials: Serials,
) -> int:
    """Every itemized row under its report's current filing, then again under each amended
    report's first filing (`stale`). Returns the number of rows written."""
    rep_file, rep_amend = _current_filings(reports, (len(world.committees), calendar.n_periods))
    parts = [(np.arange(len(table["cmte"])), None)] + [(rows, f) for rows, f in stale]
    folder = layout.raw_dir(data_dir) / "schedule_a" / f"cycle={world.cycle}"
    folder.mkdir(parents=True, exist_ok=True)
    schema = contract.raw_arrow_schema("schedule_a", drop=("cycle",))
    cmte_ids = pa.array([c.committee_id for c in world.committees])
    # Streamed batch by batch; `generate` has removed the demo's raw files first, so nobody reads
    # an earlier demo's rows beside this one's.
    writer = pq.ParquetWriter(folder / "demo.parquet", schema, compression="zstd")
    written = 0
    try:
        for rows, file_number in parts:
            for lo in range(0, len(rows), CHUNK_ROWS):
                idx = rows[lo : lo + CHUNK_ROWS]
                if file_number is None:
                    cm, per = table["cmte"][idx], table["period"][idx]
                    files, amend = rep_file[cm, per], rep_amend[cm, per]
                else:
                    files, amend = np.full(len(idx), file_number), np.full(len(idx), "N", object)
                batch = _schedule_a_batch(idx, table, ytd, calendar, files, amend, cmte_ids, donors, serials)
                writer.write_table(batch.select(schema.names).cast(schema))
                written += len(idx)
    finally:
        writer.close()
    return written


def _current_filings(reports: list[dict], shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """File number and amendment indicator of the current filing of each (committee, period)."""
    rep_file = np.zeros(shape, dtype=np.int64)
    rep_amend = np.full(shape, "N", dtype=object)
    for rep in reports:
        if rep["amendment_indicator"] == "A" or rep["previous_file_number"] is None:
            if rep["amendment_indicator"] == "A" or rep_file[rep["ci"], rep["pi"]] == 0:
                rep_file[rep["ci"], rep["pi"]] = rep["file_number"]
                rep_amend[rep["ci"], rep["pi"]] = rep["amendment_indicator"]
    return rep_file, rep_amend


def _schedule_a_batch(
    idx: np.ndarray,
    table: dict,
    ytd: np.ndarray,
    calendar: CycleCalendar,
    files: np.ndarray,
    amend: np.ndarray,
    cmte_ids: pa.Array,
    donors: Donors,
    serials: Serials,
) -> pa.Table:
    k = len(idx)
    cm, per = table["cmte"][idx], table["period"][idx]
    donor = pa.array(table["donor"][idx])
    rtypes = np.array([p[1] for p in calendar.periods], dtype=object)
    ryears = np.array([p[0] for p in calendar.periods])
    sub = serials.next_sub_ids(k)
    org = table["donor_is_org"][idx]
    no_text = pa.scalar(None, pa.string())
    return pa.table(
        {
            "sub_id": pa.array(sub),
            "committee_id": pc.take(cmte_ids, pa.array(cm)),
            "report_year": pa.array(ryears[per].astype(np.int32)),
            "report_type": pa.array(rtypes[per], pa.string()),
            "file_number": pa.array(files.astype(np.int64)),
            "amendment_indicator": pa.array(amend, pa.string()),
            "receipt_type": pa.array(table["receipt_type"][idx], pa.string()),
            "line_number": pa.array(table["line"][idx], pa.string()),
            "entity_type": pa.array(table["entity"][idx], pa.string()),
            "contributor_name": _org_names(pc.take(donors.name, donor), org),
            "city": pc.take(donors.city, donor),
            "state": pa.array(donors.state[table["donor"][idx]], pa.string()),
            "zip": pc.take(donors.zip, donor),
            "employer": pc.if_else(pa.array(org), no_text, pc.take(donors.employer, donor)),
            "occupation": pc.if_else(pa.array(org), no_text, pc.take(donors.occupation, donor)),
            "date": pa.array(np.datetime64(calendar.start, "D") + table["day"][idx].astype("timedelta64[D]")),
            "amount": _cents_to_decimal(table["amount"][idx]),
            "aggregate_ytd": _cents_to_decimal(ytd[idx]),
            "memo_code": _nullable(table["memo_code"][idx]),
            "memo_text": _nullable(table["memo_text"][idx]),
            "other_id": _nullable(table["other_id"][idx]),
            "conduit_committee_id": _nullable(table["conduit"][idx]),
            "transaction_id": pc.binary_join_element_wise(
                "SA",
                pa.array(table["line"][idx], pa.string()),
                ".",
                pc.cast(pa.array(sub % 10_000_000), pa.string()),
                "",
            ),
            # The filing page's image number, 18 digits as the FEC's: report year, file number, row
            # (no random draw: the rest of the demo is what it was)
            "image_number": pc.binary_join_element_wise(
                pc.cast(pa.array(ryears[per].astype(np.int32)), pa.string()),
                pc.utf8_lpad(pc.cast(pa.array(files.astype(np.int64) % 10_000_000), pa.string()), 7, "0"),
                pc.utf8_lpad(pc.cast(pa.array(sub % 10_000_000), pa.string()), 7, "0"),
                "",
            ),
            # 'P2026', 'G2026' or blank (None): money.py's ItemizedRows.table
            "election_type": pa.array(table["election"][idx], pa.string()),
        }
    )


def write_entities(
    data_dir: Path, world: CycleWorld, reports: list[dict], serials: Serials, spenders: list[Committee] = ()
):
    """The cycle's candidates, committees (with the outside spenders that are none of the world's),
    linkages and reports."""
    cycle = world.cycle
    cands = pd.DataFrame(
        [
            dict(
                candidate_id=c.candidate_id,
                cycle=cycle,
                name=c.name,
                party=c.party,
                office=c.office,
                state=c.state,
                district=c.district,
                incumbent_challenge=c.incumbent_challenge,
                status="C",
                principal_committee_id=c.principal.committee_id,
                election_year=cycle,
            )
            for c in world.candidates
        ]
    )
    cmtes = pd.DataFrame(
        [
            dict(
                committee_id=c.committee_id,
                cycle=cycle,
                name=c.name,
                committee_type=c.committee_type,
                designation=c.designation,
                party=c.party,
                state=c.state,
                candidate_id=c.candidate_id,
                filing_frequency=c.filing_frequency,
            )
            for c in [*world.committees, *spenders]
        ]
    )
    links = pd.DataFrame(
        [
            dict(
                candidate_id=cand_id,
                election_year=eyear,
                cycle=fyear,
                committee_id=cmte_id,
                committee_type=ctype,
                designation=dsgn,
                linkage_id=serials.next_linkage_id(),
            )
            for cand_id, eyear, fyear, cmte_id, ctype, dsgn in world.linkages
        ]
    )
    reps = pd.DataFrame(reports).drop(columns=["ci", "pi"])
    for name, frame in (("candidates", cands), ("committees", cmtes), ("linkages", links), ("reports", reps)):
        write_parquet(_arrow_table(frame, name), layout.raw_dir(data_dir) / name / f"demo-{cycle}.parquet")


def write_schedule_e(data_dir: Path, cycle: int, lines: dict[str, np.ndarray]):
    """The cycle's Schedule E lines (outside.py), every version as filed, in one file: the cycle is a
    column, as in the other sources' files."""
    schema = contract.raw_arrow_schema("schedule_e")
    arrays = []
    for col in schema:
        values = lines[col.name]
        if pa.types.is_decimal(col.type):
            arrays.append(_cents_to_decimal(values))
        elif pa.types.is_date(col.type):
            arrays.append(pa.array(values.astype("datetime64[D]"), col.type, from_pandas=True))
        else:
            arrays.append(pa.array(values, col.type, from_pandas=True))
    table = pa.Table.from_arrays(arrays, schema=schema)
    write_parquet(table, layout.raw_dir(data_dir) / "schedule_e" / f"demo-{cycle}.parquet")
    return table.num_rows


def _arrow_table(frame: pd.DataFrame, table: str) -> pa.Table:
    """A frame as the raw table's Arrow schema: money columns hold integer cents."""
    schema = contract.raw_arrow_schema(table)
    arrays = []
    for col in schema:
        values = frame[col.name]
        if pa.types.is_decimal(col.type):
            arrays.append(_cents_to_decimal(values.to_numpy(np.int64)))
        elif pa.types.is_date(col.type):
            arrays.append(pa.array(pd.to_datetime(values).dt.date, col.type))
        else:
            arrays.append(pa.array([None if pd.isna(v) else v for v in values], col.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _org_names(names_: pa.Array, is_org: np.ndarray) -> pa.Array:
    """Partnerships file under a firm name made from the surname: 'ASHWICK HOLDINGS LLC'."""
    if not is_org.any():
        return names_
    surname = pc.utf8_split_whitespace(pc.replace_substring(names_, ",", " "))
    first = pc.list_element(surname, 0)
    firm = pc.binary_join_element_wise(first, " HOLDINGS LLC", "")
    return pc.if_else(pa.array(is_org), firm, names_)


def _nullable(values: np.ndarray) -> pa.Array:
    arr = pa.array(values, pa.string())
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def _cents_to_decimal(cents: np.ndarray, precision: int = 14) -> pa.Array:
    """Exact int64 cents -> DECIMAL(precision, 2) without a detour through floats."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension into the high 64 bits
    return pa.Array.from_buffers(pa.decimal128(precision, 2), len(cents), [None, pa.py_buffer(words.tobytes())])
