"""Command line: python -m dashboard <command>. Each command exits non-zero with a one-line reason."""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from dashboard import config


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def cmd_config(_args) -> int:
    width = max(len(name) for name, _v, _h in config.describe())
    for name, value, help_text in config.describe():
        print(f"{name:<{width}}  {value or '(empty)'}\n{'':<{width}}  {help_text}")
    return 0


def cmd_demo(args) -> int:
    from dashboard.build.publish import build_and_publish, current_snapshot
    from dashboard.sources import demo

    data_dir = config.data_dir()
    if args.if_missing and current_snapshot(data_dir) is not None:
        _progress(f"a snapshot is already published in {data_dir}; serving it (use `python -m dashboard demo` to rebuild)")
        return 0
    rows = args.rows if args.rows is not None else config.get("DEMO_ROWS")
    seed = args.seed if args.seed is not None else config.get("DEMO_SEED")
    _progress(f"generating synthetic demo data: about {rows:,} itemized rows, seed {seed}, into {data_dir}")
    summary = demo.generate(data_dir, rows=rows, seed=seed, progress=_progress)
    _progress(f"generated {summary['rows']:,} itemized rows for {summary['candidates']:,} candidate-cycles "
              f"in {summary['seconds']} s; building extracts")
    manifest = build_and_publish(data_dir, source="demo", progress=_progress,
                                 extra_manifest={"demo": {"rows": rows, "seed": seed}})
    _progress(f"done: snapshot {manifest['snapshot_id']} built in {manifest['build_seconds']} s")
    return 0


def cmd_build(_args) -> int:
    from dashboard.build.publish import build_and_publish, current_snapshot, read_manifest

    data_dir = config.data_dir()
    previous = current_snapshot(data_dir)
    source = read_manifest(previous).get("source", "unknown") if previous else "unknown"
    manifest = build_and_publish(data_dir, source=source, progress=_progress)
    _progress(f"published {manifest['snapshot_id']} ({manifest['build_seconds']} s)")
    return 0


def cmd_geo(args) -> int:
    from pathlib import Path

    from dashboard import geography
    from dashboard.build.publish import current_snapshot, read_manifest
    from dashboard.sources import geo

    cycles = args.cycle
    if not cycles:
        snapshot = current_snapshot(config.data_dir())
        cycles = read_manifest(snapshot).get("cycles", []) if snapshot else []
        cycles = [int(c) for c in cycles] or [config.get("DEFAULT_CYCLE")]
    congresses = sorted({geography.congress_for_cycle(int(c)) for c in cycles})
    outcome = geo.obtain(congresses, Path(args.from_file) if args.from_file else None, args.resolution,
                         args.if_missing, progress=_progress)
    for congress, what in sorted(outcome.items()):
        _progress(f"{congress}th Congress: {what}")
    _progress(f"boundaries cached in {geo.geo_dir()}; maps of cycles without their own Congress's "
              "boundaries are drawn on the nearest one available, and say so")
    return 0


def cmd_status(args) -> int:
    from dashboard.build.publish import current_snapshot, read_manifest

    data_dir = config.data_dir()
    snapshot = current_snapshot(data_dir)
    if snapshot is None:
        print(f"no snapshot published in {data_dir}; run `python -m dashboard demo` or `make serve`")
        return 1
    manifest = read_manifest(snapshot)
    if args.json:
        print(json.dumps(manifest, indent=2))
        return 0
    print(f"snapshot   {manifest['snapshot_id']} ({manifest['source']}), built {manifest['built_at']} "
          f"in {manifest['build_seconds']} s")
    for cycle, end in manifest["coverage_end"].items():
        print(f"cycle {cycle}: data through {end}")
    for name, count in manifest["row_counts"].items():
        print(f"  {name:<26}{count:>12,}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Campaign-finance dashboard tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("config", help="print every setting with its current value (secrets masked)")
    demo = sub.add_parser("demo", help="generate the synthetic demo data and publish a snapshot of it")
    demo.add_argument("--rows", type=int, help="itemized receipts to generate (default: DEMO_ROWS)")
    demo.add_argument("--seed", type=int, help="random seed (default: DEMO_SEED)")
    demo.add_argument("--if-missing", action="store_true", help="do nothing when a snapshot is already published")
    sub.add_parser("build", help="rebuild and publish the extracts from the raw data already on disk")
    geo = sub.add_parser("geo", help="obtain House district boundaries (Census) for the maps")
    geo.add_argument("--cycle", type=int, action="append",
                     help="cycle whose Congress's districts to obtain (repeatable; default: the snapshot's cycles)")
    geo.add_argument("--from", dest="from_file", metavar="FILE",
                     help="import a Census district file (zip, shapefile or GeoJSON) instead of downloading it")
    geo.add_argument("--resolution", choices=("500k", "5m", "20m"), default="5m",
                     help="Census file to download (default 5m, about 2 MB)")
    geo.add_argument("--if-missing", action="store_true", help="skip Congresses whose boundaries are cached")
    load_bulk = sub.add_parser("load-bulk", help="load a cycle from the FEC's bulk files and publish a snapshot")
    load_bulk.add_argument("--cycle", type=int, required=True, help="two-year cycle of the files, e.g. 2024")
    where = load_bulk.add_mutually_exclusive_group(required=True)
    where.add_argument("--files", metavar="DIR", help="folder holding the FEC's zips (cn24.zip ...) or their text files")
    where.add_argument("--download", action="store_true", help="download the cycle's zips from FEC_BULK_URL first")
    load_bulk.add_argument("--force", action="store_true", help="parse files again even if unchanged since the last load")
    status = sub.add_parser("status", help="what snapshot is being served and what it holds")
    status.add_argument("--json", action="store_true", help="print the manifest as JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=config.get("LOG_LEVEL").upper(), format="%(levelname)s %(name)s: %(message)s")
    handlers = {"config": cmd_config, "demo": cmd_demo, "build": cmd_build, "status": cmd_status,
                "geo": cmd_geo}
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; the previously published snapshot is still being served", file=sys.stderr)
        return 130
    except Exception as exc:  # one line, not a traceback: say what went wrong
        print(f"error: {exc}", file=sys.stderr)
        if config.get("LOG_LEVEL").upper() == "DEBUG":
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main())
