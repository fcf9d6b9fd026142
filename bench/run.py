"""`make bench`: time every query on the 40-million-row demo dataset against a raw-data baseline.

    python -m bench.run [--rows N] [--warm K] [--only NAME ...]

Builds (once) the demo dataset in bench/data/ (BENCH_DATA_DIR), then runs each case in a fresh
process so that its cold first call, warm median and p95, and peak memory are its own. Results go
to bench/results.json and bench/results.txt. Ratios compare numbers measured in the same run:
these machines are shared, so absolute times vary from run to run.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import pkgutil
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dashboard.store import snapshots

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ROWS = 40_000_000


def bench_dir() -> Path:
    return Path(os.environ.get("BENCH_DATA_DIR", ROOT / "bench" / "data")).resolve()


def ensure_dataset(rows: int) -> None:
    """Generate the benchmark snapshot unless one of this size is already there."""
    snapshot = snapshots.current_snapshot(bench_dir())
    if snapshot is not None:
        manifest = snapshots.read_manifest(snapshot)
        if manifest.get("demo", {}).get("rows") == rows:
            print(f"reusing the {rows:,}-row benchmark dataset in {bench_dir()}", flush=True)
            return
    print(f"building the {rows:,}-row benchmark dataset in {bench_dir()} (once; several minutes)", flush=True)
    env = {**os.environ, "DATA_CACHE_DIR": str(bench_dir())}
    subprocess.run([sys.executable, "-m", "dashboard", "demo", "--rows", str(rows)], cwd=ROOT, env=env, check=True)


def query_functions() -> list[str]:
    """module.function for every public function defined in dashboard/app/queries/."""
    import dashboard.app.queries as package

    names = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"dashboard.app.queries.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not name.startswith("_") and fn.__module__ == module.__name__ and name != "normalize":
                names.append(f"{info.name}.{name}")
    return sorted(names)


def _timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def run_case(name: str, warm: int) -> dict:
    """Runs inside the child process: one case, cold then warm, then its baseline."""
    import duckdb

    from bench.cases import CASES, pick_samples
    from dashboard.pipeline.builder.extracts import raw_views

    case = CASES[name]
    samples = pick_samples() if name != "snapshot.row_counts" else None
    # pick_samples opened the views; the first call of the case itself is still cold for its data.
    cold_ms, result = _timed(lambda: case.call(samples))
    times = [_timed(lambda: case.call(samples))[0] for _ in range(warm)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = len(result) if isinstance(result, (list, tuple)) or hasattr(result, "columns") else 1
    baseline_ms = None
    if case.baseline_sql:
        con = duckdb.connect()
        raw_views(con, bench_dir() / "raw")
        params = case.baseline_params(samples)
        con.execute(case.baseline_sql, params).fetchall()  # first run reads the files into cache
        baseline_ms = statistics.median(
            _timed(lambda: con.execute(case.baseline_sql, params).fetchall())[0] for _ in range(3)
        )
    median = statistics.median(times)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    return {
        "query": name,
        "slow": bool(case.limit_ms and (median > case.limit_ms[0] or p95 > case.limit_ms[1])),
        "limit_ms": list(case.limit_ms) if case.limit_ms else None,
        "median_ms": round(median, 2),
        "p95_ms": round(p95, 2),
        "cold_ms": round(cold_ms, 2),
        "baseline_ms": round(baseline_ms, 2) if baseline_ms else None,
        "ratio": round(baseline_ms / median, 1) if baseline_ms and median else None,
        "rows": rows,
        "peak_memory_mb": round(peak_mb, 1),
    }


def format_table(results: list[dict]) -> str:
    """One line per case; `limit` says ok or SLOW for cases with a speed goal, FAILED with the error for
    a case that raised (the run goes on)."""
    header = (
        f"{'query':<40}{'median ms':>10}{'p95 ms':>9}{'cold ms':>9}{'raw ms':>10}{'raw/ext':>9}{'rows':>7}"
        f"{'peak MB':>9}  limit"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        if "error" in r:
            lines.append(f"{r['query']:<40}  FAILED: {r['error']}")
            continue
        raw = f"{r['baseline_ms']:>10.1f}{r['ratio']:>9.1f}" if r["baseline_ms"] else f"{'-':>10}{'-':>9}"
        limit = ("SLOW" if r["slow"] else "ok") + " ({:.0f}/{:.0f})".format(*r["limit_ms"]) if r["limit_ms"] else ""
        lines.append(
            f"{r['query']:<40}{r['median_ms']:>10.1f}{r['p95_ms']:>9.1f}{r['cold_ms']:>9.1f}"
            f"{raw}{r['rows']:>7}{r['peak_memory_mb']:>9.0f}  {limit}"
        )
    slow = [r["query"] for r in results if r.get("slow")]
    failed = [r["query"] for r in results if "error" in r]
    lines.append(f"{len(results)} cases: {len(slow)} over their limit, {len(failed)} failed")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("--rows", type=int, default=int(os.environ.get("BENCH_ROWS", DEFAULT_ROWS)))
    parser.add_argument("--warm", type=int, default=20, help="warm runs per query")
    parser.add_argument("--only", nargs="*", help="run only these cases")
    parser.add_argument("--with-goal", action="store_true", help="run only the cases with a speed goal")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args(argv)
    os.environ["DATA_CACHE_DIR"] = str(bench_dir())
    # A slow query is measured to its end and reported as slow, never cancelled by the app's timeout.
    os.environ["QUERY_TIMEOUT_MS"] = "0"
    if args.case:
        print(json.dumps(run_case(args.case, args.warm)))
        return 0
    from bench.cases import CASES

    missing = sorted(set(query_functions()) - set(CASES))
    if missing:
        print(f"error: no benchmark case for {', '.join(missing)}; add one to bench/cases.py", file=sys.stderr)
        return 1
    ensure_dataset(args.rows)
    results = []
    names = args.only or sorted(name for name, case in CASES.items() if case.limit_ms or not args.with_goal)
    for i, name in enumerate(names, 1):
        print(f"[{i}/{len(names)}] {name}", flush=True)
        out = subprocess.run(
            [sys.executable, "-m", "bench.run", "--case", name, "--warm", str(args.warm)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:  # recorded, and the run goes on with the next case
            print(out.stderr, file=sys.stderr)
            error = (out.stderr.strip().splitlines() or ["exit status %d" % out.returncode])[-1]
            results.append({"query": name, "error": error[:200]})
            continue
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    manifest = snapshots.read_manifest(snapshots.current_snapshot(bench_dir()))
    report = {
        "dataset": {
            "rows": args.rows,
            "raw_row_counts": manifest["raw_row_counts"],
            "row_counts": manifest["row_counts"],
            "build_seconds": manifest["build_seconds"],
        },
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    table = format_table(results)
    (ROOT / "bench" / "results.txt").write_text(table + "\n")
    print(table)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
