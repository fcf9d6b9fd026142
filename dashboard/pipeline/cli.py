"""Command line: python -m dashboard <command> (dashboard/__main__.py calls `main`). Each command exits
non-zero with a one-line reason: 2 for a bad argument, 1 for a failure."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from dashboard.core import config, contract, fec, geography, params
from dashboard.store import checksums, layout, sync_status
from dashboard.store.refresh_status import read_status
from dashboard.store.snapshots import current_snapshot, read_manifest


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def cmd_config(_args) -> int:
    width = max(len(name) for name, _v, _h in config.describe())
    for name, value, help_text in config.describe():
        print(f"{name:<{width}}  {value or '(empty)'}\n{'':<{width}}  {help_text}")
    return 0


def cmd_demo(args) -> int:
    from dashboard.pipeline import demo
    from dashboard.pipeline.builder.publish import build_and_publish

    data_dir = config.data_dir()
    current = current_snapshot(data_dir)
    if args.if_missing and current is not None:
        health = checksums.check(current)
        if not health.ok:  # `make serve` on a damaged snapshot: rebuilt, never served as it is
            if not layout.raw_dir(data_dir).is_dir():
                raise RuntimeError(
                    f"snapshot {health.snapshot_id} is damaged ({health.reason}) and no raw data is left"
                )
            _progress(f"snapshot {health.snapshot_id} is damaged ({health.reason}); rebuilding it from raw data")
            return _rebuild(data_dir, health.manifest or {})
    held = _real_data(data_dir, read_manifest(current) if current is not None else {})
    if held and not args.if_missing:
        print(
            f"error: {data_dir} holds {held}, which the demo would mix with or replace; generate the demo "
            "in another data directory, e.g. DATA_CACHE_DIR=data_cache_demo python -m dashboard demo",
            file=sys.stderr,
        )
        return 1
    if held:
        return _serve_real_data(data_dir, current, held)
    if args.if_missing and current is not None:
        manifest = read_manifest(current)
        if manifest.get("schema_version") == contract.SCHEMA_VERSION:
            _progress(
                f"a snapshot is already published in {data_dir}; serving it "
                "(use `python -m dashboard demo` to regenerate)"
            )
            return 0
        if layout.raw_dir(data_dir).is_dir():
            _progress(
                f"the published snapshot was built by an older version (schema "
                f"{manifest.get('schema_version')}, now {contract.SCHEMA_VERSION}); rebuilding it from raw data"
            )
            return _rebuild(data_dir, manifest)
    rows = args.rows if args.rows is not None else config.get("DEMO_ROWS")
    seed = args.seed if args.seed is not None else config.get("DEMO_SEED")
    _progress(f"generating synthetic demo data: about {rows:,} itemized rows, seed {seed}, into {data_dir}")
    summary = demo.generate(data_dir, rows=rows, seed=seed, progress=_progress)
    _progress(
        f"generated {summary['rows']:,} itemized rows for {summary['candidates']:,} candidate-cycles "
        f"in {summary['seconds']} s; building extracts"
    )
    manifest = build_and_publish(data_dir, progress=_progress, extra_manifest={"demo": {"rows": rows, "seed": seed}})
    _progress(f"done: snapshot {manifest['snapshot_id']} built in {manifest['build_seconds']} s")
    return 0


def _real_data(data_dir, manifest: dict) -> str:
    """What non-demo data the directory holds ('' when none): raw files another source wrote, or
    a published snapshot whose rows did not come from the demo alone."""
    origins = sorted(layout.raw_origins(data_dir) - {layout.DEMO})
    if origins:
        return f"raw data from {' and '.join(origins)} files"
    source = manifest.get("source")
    if manifest and layout.source_parts(source) != [layout.DEMO]:
        return f"a published snapshot from {source or 'an unknown source'}"
    return ""


def _serve_real_data(data_dir, current, held: str) -> int:
    """`demo --if-missing` (make serve) where real data is: serve it, rebuilt if its schema is old."""
    manifest = read_manifest(current) if current is not None else {}
    if manifest.get("schema_version") == contract.SCHEMA_VERSION:
        _progress(
            f"{data_dir} holds {held}: serving snapshot {manifest.get('snapshot_id')} "
            f"({manifest.get('source')}), no demo generated"
        )
        return 0
    if current is None:  # the load that wrote it decides when it can be published, not the demo
        raise RuntimeError(
            f"{data_dir} holds {held} but no snapshot of it is published yet (nothing to serve); finish "
            "its load or refresh, or use another DATA_CACHE_DIR for the demo: the data is kept, no demo generated"
        )
    if not layout.raw_origins(data_dir) - {layout.DEMO}:
        raise RuntimeError(
            f"{data_dir} holds {held} of an older schema and no raw data to rebuild it from; load it "
            "again, or use another DATA_CACHE_DIR for the demo: the data is kept, no demo generated"
        )
    _progress(f"{data_dir} holds {held} of an older schema: rebuilding it from raw/ (no demo generated)")
    from dashboard.pipeline.builder.publish import BuildError

    try:
        return _rebuild(data_dir, manifest)
    except BuildError as exc:
        reason = " ".join(str(exc).split())  # one line, as every command's error is
        raise RuntimeError(f"{reason} (the data in {data_dir} is kept: no demo generated)") from exc


def cmd_build(args) -> int:
    data_dir = config.data_dir()
    previous = current_snapshot(data_dir)
    # The manifest as checked: a damaged snapshot's garbled manifest is no reason not to rebuild it.
    kept = (checksums.check(previous).manifest or {}) if previous else {}
    return _rebuild(data_dir, kept, allow_shrink=args.allow_shrink)


def _rebuild(data_dir, previous_manifest: dict, allow_shrink: bool = False) -> int:
    """Build and publish from the raw data on disk (its file names say where it came from),
    keeping the demo's parameters."""
    from dashboard.pipeline.builder.publish import build_and_publish

    kept = {key: previous_manifest[key] for key in ("demo",) if key in previous_manifest}
    manifest = build_and_publish(data_dir, progress=_progress, extra_manifest=kept, allow_shrink=allow_shrink)
    _progress(f"published {manifest['snapshot_id']} ({manifest['build_seconds']} s)")
    return 0


def _usage_error(exc: params.InvalidParameter) -> int:
    print(f"error: {exc}", file=sys.stderr)
    return 2


def cmd_refresh(args) -> int:
    from dashboard.pipeline.openfec import refresh

    try:
        offices = params.offices(args.office, "--office") or fec.OFFICES
        states = params.states(args.state, "--state")
        cycles = params.cycles(args.cycle or [config.get("DEFAULT_CYCLE")], "--cycle")
    except params.InvalidParameter as exc:
        return _usage_error(exc)
    scope = refresh.Scope(cycles=cycles, offices=offices, states=states)
    if args.every is not None:
        params.interval(args.every)  # a bad interval fails before the first run
        refresh.run_every(config.data_dir(), scope, args.every)
        return 0
    refresh.run_refresh(config.data_dir(), scope)
    return 0


def cmd_load_bulk(args) -> int:
    from dashboard.pipeline.bulk.download import download
    from dashboard.pipeline.bulk.formats import KINDS
    from dashboard.pipeline.bulk.load import LoadProgress, load
    from dashboard.pipeline.bulk.sources import SUMMARY_KINDS

    try:
        params.cycles([args.cycle], "--cycle", first=1980)  # the first cycle with bulk files
    except params.InvalidParameter as exc:
        return _usage_error(exc)
    data_dir = config.data_dir()
    progress = LoadProgress()
    kinds = SUMMARY_KINDS if args.summaries else None
    if args.download:
        folder = layout.bulk_dir(data_dir, args.cycle) / "downloads"
        outcomes = download(args.cycle, folder, progress, kinds=[KINDS[k] for k in kinds or KINDS])
        progress.line("downloads: " + ", ".join(f"{name} {what}" for name, what in outcomes.items()))
    else:
        folder = Path(args.files)
    summary = load(data_dir, args.cycle, folder, progress, force=args.force, kinds=kinds)
    for name, facts in summary["files"].items():
        if "skipped" in facts:
            continue
        progress.line(
            f"{facts['source']}: {facts['rows']:,} rows from {facts['lines']:,} lines, "
            f"{facts['malformed']:,} malformed"
            + (
                f", {facts['superseded_rows']:,} rows of superseded filings dropped"
                if facts.get("superseded_rows")
                else ""
            )
        )
    if not summary["snapshot_id"]:  # load() raises first; never exit 0 having published nothing
        print(f"error: nothing was published from the bulk files of {args.cycle}", file=sys.stderr)
        return 1
    progress.line(f"done: snapshot {summary['snapshot_id']} published from the bulk files of {args.cycle}")
    return 0


def _print_refresh_status(data_dir) -> None:

    status = read_status(data_dir)
    if not status:
        print("refresh    never run on this data directory (`python -m dashboard refresh`)")
        return
    success, attempt = status.get("last_success"), status.get("last_attempt") or {}
    if success:
        print(
            f"refresh    last success {success['finished_at']}: {success.get('scope')}, "
            f"{success.get('requests', 0)} requests in {success.get('seconds')} s"
        )
    else:
        print("refresh    no successful refresh yet")
    if attempt and attempt is not success and attempt.get("started_at") != (success or {}).get("started_at"):
        outcome = "ok" if attempt.get("ok") else f"failed: {attempt.get('error') or 'still running'}"
        print(f"           last attempt {attempt.get('started_at')}: {outcome}")
    for cycle, facts in sorted(status.get("coverage", {}).items()):
        print(
            f"           cycle {cycle}: {facts.get('candidates', 0):,} candidates, "
            f"{facts.get('committees', 0):,} committees, {facts.get('reports', 0):,} reports, "
            f"{facts.get('receipts', 0):,} itemized receipts, data through {facts.get('data_through')}"
        )
    requests = status.get("requests")
    if requests:
        print(
            f"           requests: {requests['last_hour']} of {requests['budget']} used in the hour "
            f"before {requests['as_of']}"
        )


def cmd_geo(args) -> int:
    from dashboard.pipeline import census

    cycles = args.cycle
    if not cycles:
        snapshot = current_snapshot(config.data_dir())
        cycles = read_manifest(snapshot).get("cycles", []) if snapshot else []
        cycles = [int(c) for c in cycles] or [config.get("DEFAULT_CYCLE")]
    congresses = sorted({geography.congress_for_cycle(int(c)) for c in cycles})
    failures = []
    if args.only != "zcta":
        try:
            outcome = census.obtain(
                congresses,
                Path(args.from_file) if args.from_file else None,
                args.resolution,
                args.if_missing,
                progress=_progress,
            )
            for congress, what in sorted(outcome.items()):
                _progress(f"{congress}th Congress: {what}")
            _progress(
                f"boundaries cached in {layout.geo_dir()}; maps of cycles without their own Congress's "
                "boundaries are drawn on the nearest one of the same apportionment, and say so (else as a tile grid)"
            )
        except census.BoundariesUnavailable as exc:
            failures.append(str(exc))
    if args.only != "boundaries":
        try:
            outcome = census.obtain_zcta(
                congresses,
                Path(args.zcta_from) if args.zcta_from else None,
                Path(args.zip_crosswalk) if args.zip_crosswalk else None,
                args.if_missing,
                progress=_progress,
            )
            for congress, what in sorted(outcome.items()):
                _progress(f"{congress}th Congress ZCTA-to-district relationship: {what}")
            _progress("in-district money is computed by the next build: `python -m dashboard build`")
        except census.RelationshipUnavailable as exc:
            failures.append(str(exc))
    if failures:
        raise RuntimeError("; ".join(failures))
    return 0


def cmd_follow(args) -> int:
    from dashboard.pipeline import follow
    from dashboard.pipeline.progress import Progress

    progress = Progress()
    if not args.once:
        try:  # a bad interval fails before the loop
            params.interval(args.every or config.get("FOLLOW_INTERVAL"), "--every" if args.every else "FOLLOW_INTERVAL")
        except params.InvalidParameter as exc:
            return _usage_error(exc)
        follow.follow_every(config.data_dir(), args.every, progress)
        return 0
    try:
        outcome = follow.follow_once(config.data_dir(), progress)
    except follow.FollowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    progress.line(outcome.message)
    return 0


def cmd_upload(_args) -> int:
    """Upload the snapshot served here to SNAPSHOT_STORE_URL: after a failed upload, or for a
    snapshot published before the setting was."""
    from dashboard.pipeline import object_store

    data_dir = config.data_dir()
    if object_store.configured_store() is None:
        print("error: SNAPSHOT_STORE_URL is empty: set it to s3://bucket/prefix", file=sys.stderr)
        return 1
    snapshot = current_snapshot(data_dir)
    if snapshot is None:
        print(f"error: no snapshot published in {data_dir}", file=sys.stderr)
        return 1
    health = checksums.check(snapshot, full=True)  # followers would refuse it: never upload damage
    if not health.ok:
        print(f"error: {_health_line(health)}", file=sys.stderr)
        return 2
    outcome = object_store.publish_to_store(data_dir, snapshot, _progress)
    return 0 if outcome and outcome["ok"] else 1


def _print_sync_status(data_dir) -> None:
    """The object store's lines of `status`: the last upload (a building node) and follow (a serving one)."""
    status = sync_status.read_status(data_dir)
    upload, follow = status.get("upload"), status.get("follow") or {}
    if upload:
        if upload.get("ok"):
            print(
                f"store      uploaded {upload['snapshot_id']} to {upload['store']} at {upload['at']} "
                f"({upload.get('bytes', 0):,} bytes in {upload.get('seconds')} s)"
            )
        else:
            print(f"store      UPLOAD FAILED at {upload['at']}: {upload.get('error')}")
    success, attempt = follow.get("last_success") or {}, follow.get("last_attempt") or {}
    if attempt.get("ok"):
        print(
            f"follow     in step with {attempt['store']} since {attempt['since']}: serving {attempt.get('snapshot_id')}"
            + (
                f" (copied {success['at']}, {success['bytes']:,} bytes in {success['seconds']} s)"
                if "bytes" in success
                else ""
            )
        )
    elif attempt:
        print(f"follow     FAILING since {attempt['since']}: {attempt.get('error')}")
        if success:
            print(f"           last success {success['at']}: {success.get('snapshot_id')}")


def cmd_status(args) -> int:
    data_dir = config.data_dir()
    snapshot = current_snapshot(data_dir)
    if snapshot is None:
        print(f"no snapshot published in {data_dir}; run `python -m dashboard demo` or `make serve`")
        if not args.json:
            _print_sync_status(data_dir)
            _print_refresh_status(data_dir)
        return 1
    # Damage is said first and plainly, and the exit status says it too (2), for scripts and monitors.
    health = checksums.check(snapshot, full=args.verify)
    manifest = health.manifest or {}
    damaged = 0 if health.ok else 2
    if args.json:
        body = {
            **manifest,
            "health": health.as_dict(),
            "refresh_status": read_status(data_dir),
            "store_sync": sync_status.read_status(data_dir),
        }
        print(json.dumps(body, indent=2, default=str))
        return damaged
    print(_health_line(health))
    _print_sync_status(data_dir)
    if not manifest:
        _print_refresh_status(data_dir)
        return damaged
    print(
        f"snapshot   {manifest['snapshot_id']} ({manifest['source']}), built {manifest['built_at']} "
        f"in {manifest['build_seconds']} s"
    )
    for cycle, end in manifest["coverage_end"].items():
        print(f"cycle {cycle}: data through {end}")
    for name, count in manifest["row_counts"].items():
        print(f"  {name:<26}{count:>12,}")
    _print_data_quality(manifest)
    _print_refresh_status(data_dir)
    return damaged


def _health_line(health: checksums.Health) -> str:
    if not health.ok:
        return (
            f"DAMAGED    snapshot {health.snapshot_id} is not served (every page and API answer says so): "
            f"{health.reason}. Rebuild it: `python -m dashboard build`"
        )
    if not health.verified:
        return "unverified: the manifest records no checksums (published before they were recorded)"
    count = len(health.manifest[checksums.FILES_KEY])
    how = f"size and {checksums.ALGORITHM}" if health.hashed else "size (`status --verify` also compares hashes)"
    return f"files      {count} files as published: {how}"


def _print_data_quality(manifest: dict) -> None:
    """The snapshot's data-quality report: what was published although odd, one line per reason."""
    quality = manifest.get("data_quality")
    if quality is None:
        print("data quality: not recorded (snapshot built before the report existed; `python -m dashboard build`)")
        return
    findings = quality.get("findings") or []
    print(f"data quality: {len(findings)} reason{'s' if len(findings) != 1 else ''} to note")
    for finding in findings:
        examples = ", ".join(finding.get("examples") or [])
        print(f"  {finding['code']:<26}{finding['count']:>12,}  {finding['reason']} (e.g. {examples})")
    for shrink in quality.get("shrinks_allowed") or []:
        print(f"  shrink allowed: {shrink}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Campaign-finance dashboard tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("config", help="print every setting with its current value (secrets masked)")
    demo = sub.add_parser(
        "demo",
        help="generate the synthetic demo data and publish a snapshot of it (refused where real data is)",
    )
    demo.add_argument("--rows", type=int, help="itemized receipts to generate (default: DEMO_ROWS)")
    demo.add_argument("--seed", type=int, help="random seed (default: DEMO_SEED)")
    demo.add_argument(
        "--if-missing",
        action="store_true",
        help="serve what is there when a snapshot or real data is (rebuilt if its schema is old)",
    )
    build = sub.add_parser("build", help="rebuild and publish the extracts from the raw data already on disk")
    build.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even if a cycle lost more than half its rows since the previous snapshot",
    )
    refresh = sub.add_parser("refresh", help="pull from the OpenFEC API (incrementally) and publish a snapshot")
    refresh.add_argument(
        "--cycle", type=int, action="append", help="two-year cycle to pull, repeatable (default: DEFAULT_CYCLE)"
    )
    refresh.add_argument("--office", action="append", default=[], help="offices, e.g. H,S,P (default: all)")
    refresh.add_argument(
        "--state",
        nargs="+",
        action="extend",
        default=[],
        help="only these states' candidates, e.g. --state OR WA (default: all)",
    )
    refresh.add_argument(
        "--every",
        nargs="?",
        const=config.get("REFRESH_INTERVAL"),
        help="keep running and refresh every interval, e.g. 6h (default: REFRESH_INTERVAL)",
    )
    geo = sub.add_parser(
        "geo",
        help="obtain House district boundaries (Census) for the maps, and the ZCTA-to-district relationship "
        "for in-district money",
    )
    geo.add_argument(
        "--cycle",
        type=int,
        action="append",
        help="cycle whose Congress's districts to obtain (repeatable; default: the snapshot's cycles)",
    )
    geo.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="import a Census district file (zip, shapefile or GeoJSON) instead of downloading it",
    )
    geo.add_argument(
        "--resolution",
        choices=("500k", "5m", "20m"),
        default="5m",
        help="Census file to download (default 5m, about 2 MB)",
    )
    geo.add_argument("--if-missing", action="store_true", help="skip Congresses whose boundaries are cached")
    geo.add_argument(
        "--zcta-from",
        metavar="FILE",
        help="import the Census ZCTA-to-district relationship file (tab20_cd11920_zcta520_natl.txt), or a "
        "pair list without weights (state_abbr,zcta,cd), instead of downloading it",
    )
    geo.add_argument(
        "--zip-crosswalk",
        metavar="CSV",
        help="a USPS ZIP -> ZCTA crosswalk (UDS Mapper's columns ZIP_CODE, ZCTA); without one a ZIP5 is its ZCTA5",
    )
    geo.add_argument(
        "--only", choices=("boundaries", "zcta"), help="obtain only the boundaries or only the ZCTA relationship"
    )
    load_bulk = sub.add_parser("load-bulk", help="load a cycle from the FEC's bulk files and publish a snapshot")
    load_bulk.add_argument("--cycle", type=int, required=True, help="two-year cycle of the files, e.g. 2024")
    where = load_bulk.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--files", metavar="DIR", help="folder holding the FEC's zips (cn24.zip ...) or their text files"
    )
    where.add_argument("--download", action="store_true", help="download the cycle's zips from FEC_BULK_URL first")
    load_bulk.add_argument(
        "--force", action="store_true", help="parse files again even if unchanged since the last load"
    )
    load_bulk.add_argument(
        "--summaries",
        action="store_true",
        help="only the masters and summary files (cn cm ccl weball webl webk, a few MB): candidates, races, "
        "totals and the district map without the itemized gigabytes",
    )
    follow = sub.add_parser(
        "follow",
        help="copy each new snapshot the object store (SNAPSHOT_STORE_URL) names current, verified, and serve it",
    )
    follow.add_argument("--once", action="store_true", help="one pass, then exit (cron, tests); exit 1 if it failed")
    follow.add_argument("--every", help="interval between passes, e.g. 30s (default: FOLLOW_INTERVAL)")
    sub.add_parser("upload", help="upload the snapshot served here to SNAPSHOT_STORE_URL (after a failed upload)")
    status = sub.add_parser(
        "status", help="what snapshot is being served, what it holds, how refreshes, uploads and follows went"
    )
    status.add_argument("--json", action="store_true", help="print the manifest as JSON")
    status.add_argument(
        "--verify", action="store_true", help="also compare every file's sha256 with the manifest (reads it all)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=config.get("LOG_LEVEL").upper(), format="%(levelname)s %(name)s: %(message)s")
    handlers = {
        "config": cmd_config,
        "demo": cmd_demo,
        "build": cmd_build,
        "status": cmd_status,
        "refresh": cmd_refresh,
        "geo": cmd_geo,
        "load-bulk": cmd_load_bulk,
        "follow": cmd_follow,
        "upload": cmd_upload,
    }
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
