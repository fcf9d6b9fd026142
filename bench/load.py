"""Bulk-load benchmark: `make bench-load` (or `python -m bench.load --rows 10000000 40000000`).

For each size: the demo generator's data (generated, or an existing demo data directory given with
--source, e.g. the 40M benchmark data in BENCH_DATA_DIR) is written as the FEC's bulk files (every
cycle of the demo, real layouts and quirks), then `python -m dashboard load-bulk` loads each cycle in a
child process; the last load publishes. Reported per size: itcont rows and rows/s of the parse, the
build, peak memory of the loading process (its maximum resident set, DuckDB included) against
DUCKDB_MEMORY_LIMIT, and disk use (text files, raw store, snapshot). Results go to bench/load_results.json.

The load must reconcile: candidate totals are checked against the generator's truth.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dashboard.core import config
from dashboard.pipeline import demo
from dashboard.store import layout, snapshots
from devtools import bulk_layout

HERE = Path(__file__).resolve().parent


def du(path: Path) -> int:
    if not path.exists():
        return 0
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB"


def source_data(rows: int, work: Path, given: Path | None) -> Path:
    if given:
        if not (given / "raw").is_dir() or not (given / "demo_truth").is_dir():
            raise SystemExit(f"{given} holds no demo raw data and truth; leave out --source to generate it")
        return given
    target = work / f"demo-{rows}"
    if not (target / "demo_truth" / "candidates.parquet").exists():
        print(f"generating {rows:,} demo rows into {target}", flush=True)
        demo.generate(target, rows=rows, seed=config.get("DEMO_SEED"), progress=print)
    return target


def reconcile(data_dir: Path, truth_dir: Path) -> dict:
    con = duckdb.connect()
    return dict(
        zip(
            ("candidates", "receipts_off", "cash_off", "itemized_off"),
            con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE t.receipts * 100 <> truth.receipts_net),
               count(*) FILTER (WHERE t.cash_on_hand * 100 <> truth.cash_on_hand),
               count(*) FILTER (WHERE t.individual_itemized * 100 <> truth.individual_itemized)
        FROM read_parquet('{truth_dir}/demo_truth/candidates.parquet') truth
        LEFT JOIN {layout.extract_reader(layout.current_link(data_dir), "candidate_totals")} t USING (candidate_id, cycle)
        """).fetchall()[0],
        )
    )


def run_size(rows: int, work: Path, given: Path | None) -> dict:
    src = source_data(rows, work, given)
    files = work / f"files-{rows}"
    cycles = list(demo.CYCLES)
    started = time.monotonic()
    itcont_lines = 0
    for cycle in cycles:
        folder = files / str(cycle)
        if not (folder / "itcont.txt").exists():
            print(f"writing the {cycle} bulk files into {folder}", flush=True)
            written = bulk_layout.write_cycle(src, cycle, folder, progress=print)
            (folder / "lines.json").write_text(json.dumps(written))
        itcont_lines += json.loads((folder / "lines.json").read_text())["itcont.txt"]
    write_seconds = time.monotonic() - started
    data_dir = work / f"load-{rows}"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "DATA_CACHE_DIR": str(data_dir)}
    per_cycle, peak_kb = [], 0
    load_started = time.monotonic()
    for i, cycle in enumerate(cycles):
        last = i == len(cycles) - 1
        code = (
            "import sys, json, resource; from pathlib import Path; from dashboard.pipeline.bulk.load import load; "
            f"s = load(Path({str(data_dir)!r}), {cycle}, Path({str(files / str(cycle))!r}), "
            f"publish={last}); "
            "print('RESULT ' + json.dumps({'summary': s, 'maxrss_kb': "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}, default=str))"
        )
        t0 = time.monotonic()
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if out.returncode:
            raise SystemExit(f"load of {cycle} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
        print(out.stdout[-1500:], flush=True)
        result = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("RESULT "))[7:])
        itcont = result["summary"]["files"]["itcont"]
        peak_kb = max(peak_kb, result["maxrss_kb"])
        per_cycle.append(
            {
                "cycle": cycle,
                "itcont_rows": itcont["rows"],
                "parse_seconds": itcont["seconds"],
                "rows_per_second": round(itcont["rows"] / max(itcont["seconds"], 1e-6)),
                "load_seconds": round(time.monotonic() - t0, 1),
                "peak_rss_gb": round(result["maxrss_kb"] / 1e6, 2),
                "published": last,
            }
        )
    load_seconds = time.monotonic() - load_started
    manifest = snapshots.read_manifest(snapshots.current_snapshot(data_dir))
    parsed = sum(c["itcont_rows"] for c in per_cycle)
    parse_seconds = sum(c["parse_seconds"] for c in per_cycle)
    return {
        "rows_requested": rows,
        "itcont_lines": itcont_lines,
        "itcont_rows_loaded": parsed,
        "write_files_seconds": round(write_seconds, 1),
        "parse_rows_per_second": round(parsed / max(parse_seconds, 1e-6)),
        "load_and_publish_seconds": round(load_seconds, 1),
        "build_seconds": manifest["build_seconds"],
        "peak_rss_gb": round(peak_kb / 1e6, 2),
        "memory_limit": config.get("DUCKDB_MEMORY_LIMIT"),
        "threads": config.get("DUCKDB_THREADS"),
        "disk": {
            "bulk_text_files": gb(du(files)),
            "raw_store": gb(du(data_dir / "raw")),
            "snapshot": gb(du(data_dir / "current" / ".")),
            "data_dir_total": gb(du(data_dir)),
        },
        "per_cycle": per_cycle,
        "reconciliation": reconcile(data_dir, src),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[10_000_000, 40_000_000],
        help="demo sizes (itemized rows over all cycles) to write and load",
    )
    parser.add_argument(
        "--work",
        default=os.environ.get("BENCH_LOAD_DIR", "/tmp/bench-load"),
        help="folder for generated data, bulk files and loads (BENCH_LOAD_DIR)",
    )
    parser.add_argument(
        "--source",
        help="an existing demo data directory to use for the largest size "
        "(e.g. $BENCH_DATA_DIR) instead of generating it",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files and loads")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        given = Path(args.source) if args.source and rows == max(args.rows) else None
        result = run_size(rows, work, given)
        results.append(result)
        print(json.dumps(result, indent=1), flush=True)
        if not args.keep:
            for sub in (f"files-{rows}", f"load-{rows}"):
                shutil.rmtree(work / sub, ignore_errors=True)
    (HERE / "load_results.json").write_text(json.dumps(results, indent=1) + "\n")
    for r in results:
        print(
            f"{r['itcont_rows_loaded']:>12,} itcont rows: {r['parse_rows_per_second']:,} rows/s parsed, "
            f"load+build+publish {r['load_and_publish_seconds']} s (build {r['build_seconds']} s), "
            f"peak memory {r['peak_rss_gb']} GB (limit {r['memory_limit']}), raw {r['disk']['raw_store']}, "
            f"text {r['disk']['bulk_text_files']}, reconciliation {r['reconciliation']}"
        )
    off = [r for r in results if any(v for k, v in r["reconciliation"].items() if k != "candidates")]
    return 1 if off else 0


if __name__ == "__main__":
    sys.exit(main())
