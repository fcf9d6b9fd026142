"""The commit: move a finished pull's pending rows into `raw/`, where the builder reads them.

Only when the whole scope is pulled are the rows committed (under the build lock, so no build
reads a half-committed raw store): small tables are upserted by key into
`raw/<table>/api-<cycle>.parquet`; receipts are appended as
`raw/schedule_a/cycle=<cycle>/api-<run>.parquet` holding only sub_ids not already there, so a row
pulled twice is stored once; outside spending is upserted by sub_id into
`raw/schedule_e/api-<cycle>.parquet` (processed) and `raw/schedule_e/api-efile-<cycle>.parquet`
(e-filed notices the processed view does not hold yet). Committing again after a crash is harmless. Demo raw files are
removed at the first commit: demo and API data never mix.

The local fake of the API serves the demo generator's data; its rows are API rows by file name,
so `raw/.synthetic-api` (layout.synthetic_api_marker) says that every `api-*` file is synthetic.
The marker always describes the rows on disk: a commit from the fake onto real API rows is
refused, and a refresh from the real API first forgets the fake's rows (forget_synthetic_api_rows),
as it removes the demo generator's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.pipeline.builder.publish import build_lock
from dashboard.pipeline.openfec.pull import Refresh
from dashboard.pipeline.openfec.rows import KEYS, SMALL_TABLES
from dashboard.store import files, layout


def commit(job: Refresh) -> None:
    """Move the pulled rows into raw/. Idempotent: after a crash it is simply done again."""
    raw = layout.raw_dir(job.data_dir)
    with build_lock(job.data_dir):
        if job.client.synthetic:  # the local fake's rows are the demo generator's: label them demo
            if real_api_rows(job.data_dir):
                raise SyntheticMixError(
                    "the server said its data is synthetic (the local fake), and raw/ holds real OpenFEC "
                    "rows: they must not mix; refresh from the fake into another DATA_CACHE_DIR"
                )
            raw.mkdir(parents=True, exist_ok=True)
            layout.synthetic_api_marker(job.data_dir).touch()
        elif layout.synthetic_api_marker(job.data_dir).exists():
            # run_refresh forgets the fake's rows before a pull from a real server; committing real
            # rows among them would label real data demo (or, without the marker, the fake's real).
            raise SyntheticMixError("raw/ holds the local fake's synthetic API rows; a refresh removes them first")
        removed = files.remove_demo_raw(job.data_dir)
        if removed:
            job.progress.line(f"removed {removed} demo raw files: demo and API data must not mix")
        for cycle in job.scope.cycles:
            for table in SMALL_TABLES:
                new = job.pending_table(table, cycle)
                if new is not None:
                    stored = upsert(raw / table / f"api-{cycle}.parquet", new, KEYS[table])
                    job.stored[table] = job.stored.get(table, 0) + stored
            new = job.pending_table("schedule_a", cycle)
            if new is not None:
                stored = append_new_receipts(raw / "schedule_a" / f"cycle={cycle}", new, job.run["id"])
                job.stored["schedule_a"] = job.stored.get("schedule_a", 0) + stored
            stored = commit_outside(raw / "schedule_e", cycle, job)
            job.stored["schedule_e"] = job.stored.get("schedule_e", 0) + stored
        for cycle, marks in job.run["watermarks"].items():
            job.state["watermarks"].setdefault(cycle, {}).update(marks)
        job.state["run"] = None
        job.save_state()
    shutil.rmtree(job.pending, ignore_errors=True)


class SyntheticMixError(RuntimeError):
    """Synthetic rows of the local fake and real OpenFEC rows would share the `api-*` raw files."""


def api_raw_files(data_dir: Path) -> list[Path]:
    return [p for p in layout.raw_dir(data_dir).glob("**/*.parquet") if layout.origin_of(p) == "api"]


def real_api_rows(data_dir: Path) -> bool:
    """Whether raw/ holds API rows from a real server (API files without the fake's marker)."""
    return bool(api_raw_files(data_dir)) and not layout.synthetic_api_marker(data_dir).exists()


def forget_synthetic_api_rows(job: Refresh) -> int:
    """Before a pull from a real server into a data directory the local fake filled: remove the
    fake's `api-*` raw files (they hold the demo generator's rows, never real ones: see commit),
    its watermarks (else the real pull would start where the fake's data ended) and its unfinished
    run, then the marker, last, so a crash part way is finished by the next run. Real raw files
    (bulk) are not touched. Returns how many files were removed."""
    marker = layout.synthetic_api_marker(job.data_dir)
    if not marker.exists():
        return 0
    with build_lock(job.data_dir):
        job.state["watermarks"] = {}
        job.state["run"] = None
        job.save_state()
        synthetic = api_raw_files(job.data_dir)
        for path in synthetic:
            path.unlink()
        marker.unlink()
    return len(synthetic)


def upsert(path: Path, new: pa.Table, keys: tuple[str, ...]) -> int:
    """Rows of `new` replace rows with the same key; returns the rows written from `new`."""
    new = _last_per_key(new, keys)
    if path.exists():
        old = pq.read_table(path, schema=new.schema)
        kept = old.filter(pc.invert(pc.is_in(_key(old, keys), value_set=_key(new, keys))))
        merged = pa.concat_tables([kept, new])
    else:
        merged = new
    files.write_parquet(merged, path)
    return new.num_rows


def append_new_receipts(folder: Path, new: pa.Table, run_id: str) -> int:
    """Write the receipts whose sub_id is not stored yet; returns how many."""
    new = _last_per_key(new, ("sub_id",))
    existing = [pq.read_table(f, columns=["sub_id"])["sub_id"] for f in sorted(folder.glob("*.parquet"))]
    if existing:
        seen = pa.chunked_array([c for col in existing for c in col.chunks], type=pa.int64())
        new = new.filter(pc.invert(pc.is_in(new["sub_id"], value_set=seen.combine_chunks())))
    if new.num_rows == 0:
        return 0
    files.write_parquet(new.sort_by([("sub_id", "ascending")]), folder / f"api-{run_id}.parquet")
    return new.num_rows


def commit_outside(folder: Path, cycle: int, job: Refresh) -> int:
    """Processed Schedule E lines are upserted by sub_id into `api-<cycle>.parquet`; the e-filed
    notices into `api-efile-<cycle>.parquet`, which keeps only notices the processed view does not
    hold yet (commit.keep_new_notices): the processed copy of a notice has its cents and sub_id, the
    e-filed one whole dollars, and the builder must see each notice once. Returns the rows written."""
    processed_path, notices_path = folder / f"api-{cycle}.parquet", folder / f"api-efile-{cycle}.parquet"
    stored = 0
    processed = job.pending_table("schedule_e", cycle, "outside")
    if processed is not None:
        stored += upsert(processed_path, processed, ("sub_id",))
    notices = job.pending_table("schedule_e", cycle, "notices")
    if notices is not None:
        stored += upsert(notices_path, notices, ("sub_id",))
    if notices_path.exists() and processed_path.exists():
        keep_new_notices(notices_path, processed_path)
    return stored


def keep_new_notices(notices_path: Path, processed_path: Path) -> None:
    """Drop the e-filed notices that the processed view now holds (same spender, filing and
    transaction ID); the file goes when none is left."""
    key = ("committee_id", "file_number", "transaction_id")
    notices = pq.read_table(notices_path)
    processed = pq.read_table(processed_path, columns=list(key))
    kept = notices.filter(pc.invert(pc.is_in(_key(notices, key), value_set=_key(processed, key))))
    if kept.num_rows == notices.num_rows:
        return
    if kept.num_rows:
        files.write_parquet(kept, notices_path)
    else:
        notices_path.unlink()


def _key(table: pa.Table, keys: tuple[str, ...]) -> pa.Array:
    parts = [pc.fill_null(pc.cast(table[k], pa.string()), "") for k in keys]
    if len(parts) == 1:
        return parts[0].combine_chunks()
    return pc.binary_join_element_wise(*parts, "\x1f").combine_chunks()


def _last_per_key(table: pa.Table, keys: tuple[str, ...]) -> pa.Table:
    """One row per key, the last one pulled (a row pulled twice is stored once)."""
    if table.num_rows == 0:
        return table
    key = _key(table, keys)
    positions = pa.table({"k": key, "i": pa.array(range(table.num_rows), pa.int64())})
    last = positions.group_by("k").aggregate([("i", "max")])["i_max"]
    return table.take(pc.take(last, pc.sort_indices(last)))  # in pull order


def coverage_of_raw(raw: Path, cycles) -> dict:
    """Per cycle: what the API raw files the commits wrote hold (from Parquet footers and the
    small tables), for the refresh status."""
    out = {}
    for cycle in cycles:
        facts = {}
        for table in ("candidates", "committees", "reports"):
            path = raw / table / f"api-{cycle}.parquet"
            facts[table] = pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
        receipts = sorted((raw / "schedule_a" / f"cycle={cycle}").glob("api-*.parquet"))
        facts["receipts"] = sum(pq.ParquetFile(f).metadata.num_rows for f in receipts)
        for fact, name in (
            ("outside_lines", f"api-{cycle}.parquet"),
            ("unprocessed_notices", f"api-efile-{cycle}.parquet"),
        ):
            path = raw / "schedule_e" / name
            facts[fact] = pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
        reports = raw / "reports" / f"api-{cycle}.parquet"
        through = None
        if reports.exists():
            ends = pq.read_table(reports, columns=["coverage_end"])["coverage_end"]
            through = pc.max(ends).as_py()
        facts["data_through"] = through.isoformat() if through else None
        out[str(cycle)] = facts
    return out
