"""A bulk load from start to publish: parse every file present (resuming a killed load from
`bulk/<cycle>/state.json`), drop superseded filings, then under the build lock replace the cycle's
earlier bulk parts in raw/ (an idempotent step: after a crash it is simply done again) and build and
publish a snapshot with the same builder as the demo's and the API's. A killed load never publishes half.
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from dashboard.core.sql import quote_literal
from dashboard.pipeline import duck
from dashboard.pipeline.builder import publish as builder  # `publish` is a parameter of load()
from dashboard.pipeline.bulk.amendments import drop_superseded
from dashboard.pipeline.bulk.formats import KINDS, BulkLoadError, raw_folder
from dashboard.pipeline.bulk.independent import write_bulk_independent_expenditures
from dashboard.pipeline.bulk.parse import parse_source
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.pipeline.bulk.sources import find_sources, looked_for
from dashboard.pipeline.bulk.summaries import write_bulk_committees, write_bulk_summaries
from dashboard.store import files, layout
from dashboard.store.files import read_json, write_json

STATE_VERSION = 1


def read_state(data_dir: Path, cycle: int) -> dict:
    """What `bulk/<cycle>/state.json` records: the unfinished or last load and what each file
    last loaded was; a fresh state when there is none (or it is of another version)."""
    state = read_json(layout.bulk_dir(data_dir, cycle) / "state.json", {})
    if state.get("version") != STATE_VERSION:
        state = {"version": STATE_VERSION, "cycle": cycle, "load": None, "loaded": {}}
    return state


def load(
    data_dir: Path,
    cycle: int,
    folder: Path,
    progress: LoadProgress | None = None,
    force: bool = False,
    publish: bool = True,
    kinds=None,
) -> dict:
    """Parse the bulk files present in folder (of `kinds`, names; default all) resuming a killed
    load, commit them to raw/ and build and publish a snapshot. Returns the summary (also kept in
    state.json). Raises BulkLoadError when asked to publish and there is nothing to publish."""
    progress = progress or LoadProgress()
    data_dir = Path(data_dir).resolve()
    folder = Path(folder)
    if not folder.is_dir():
        raise BulkLoadError(f"{folder} is not a folder; give --files the folder holding the FEC's bulk files")
    sources, missing = find_sources(folder, cycle, kinds)
    if not sources:
        raise BulkLoadError(
            f"no bulk files for {cycle} in {folder}; looked for (any case): "
            + "; ".join(", ".join(looked_for(KINDS[name], cycle)) for name in kinds or KINDS)
        )
    here = layout.bulk_dir(data_dir, cycle)
    work, staging = here / "work", here / "staging"
    state = read_state(data_dir, cycle)
    identities = {k: s.identity() for k, s in sources.items()}
    run = state.get("load")
    same_files = run is not None and run.get("identities") == identities
    if same_files and run.get("published_at") and not force:
        progress.line(
            f"these files were loaded and published already (snapshot {run.get('snapshot_id')}); "
            "--force loads them again"
        )
        return {**summarize(run, missing), "snapshot_id": run.get("snapshot_id")}
    if not same_files or force and run.get("phase") == "committed":
        if run is not None and run.get("phase") != "committed" and not same_files:
            progress.line("the files differ from those of the unfinished earlier load: starting over")
        shutil.rmtree(staging, ignore_errors=True)
        (here / "malformed.txt").unlink(missing_ok=True)
        run = {"started_at": _now(), "identities": identities, "phase": "parsing", "files": {}}
    else:
        progress.line(f"resuming the unfinished load of {cycle} (it stopped while {run['phase']})")
    state["load"] = run
    write_json(here / "state.json", state)
    progress.line(f"cycle {cycle}: found {', '.join(s.label for s in sources.values())}")
    if missing:
        progress.line(
            "not present (the pages show what the rest supports): "
            + "; ".join(f"{name} (looked for {', '.join(looked_for(KINDS[name], cycle))})" for name in missing)
        )

    started = time.monotonic()
    con = duck.connect(data_dir)
    try:
        if run["phase"] == "parsing":
            for name, source in sources.items():
                unchanged = state["loaded"].get(name, {}).get("identity") == identities[name]
                if unchanged and not force:
                    run["files"][name] = {"skipped": "unchanged since the last load"}
                    progress.line(f"{source.label}: unchanged since the last load, kept (--force reloads it)")
                    continue
                parse_source(
                    con,
                    source,
                    cycle,
                    run,
                    here,
                    work,
                    staging,
                    progress,
                    lambda: write_json(here / "state.json", state),
                )
            if "itcont" in run["files"] and not run["files"]["itcont"].get("skipped"):
                parts = sorted((staging / "itcont").glob("*.parquet"))
                filings, dropped = drop_superseded(con, parts)
                run["files"]["itcont"].update(superseded_filings=filings, superseded_rows=dropped)
                if filings:
                    progress.line(
                        f"amendments: {dropped:,} rows of {filings:,} filings replaced by a later "
                        "amendment dropped (the newest version of a report wins)"
                    )
            run["phase"] = "committing"
            write_json(here / "state.json", state)
        if run["phase"] == "committing":
            with builder.build_lock(data_dir):
                run["summaries"] = _commit(con, layout.raw_dir(data_dir), cycle, run, staging, progress)
            for name in run["files"]:
                if not run["files"][name].get("skipped"):
                    state["loaded"][name] = {
                        "identity": identities[name],
                        "loaded_at": _now(),
                        **{k: v for k, v in run["files"][name].items() if k != "malformed_samples"},
                    }
            run["phase"] = "committed"
            run["parse_seconds"] = round(run.get("parse_seconds", 0) + time.monotonic() - started, 1)
            write_json(here / "state.json", state)
            shutil.rmtree(staging, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
        names_anyone = _store_names_candidates_or_committees(con, layout.raw_dir(data_dir), cycle)
    finally:
        con.close()
    summary = summarize(run, missing)
    if publish and run.get("published_at") is None and not names_anyone:
        raise BulkLoadError(
            f"{', '.join(s.label for s in sources.values())} loaded into raw/, but nothing was published: these "
            f"files name no candidate nor committee of {cycle} (the itemized files and the linkages need "
            "candidates or committees to attach to). Add the cycle's candidate master cn (or the candidate "
            f"summaries weball or webl) to {folder}, or run: python -m dashboard load-bulk --cycle {cycle} "
            "--download --summaries"
        )
    if publish and run.get("published_at") is None:
        manifest = builder.build_and_publish(
            data_dir, progress=progress.line, extra_manifest={"bulk": {"cycle": cycle, **summary}}
        )
        run["published_at"] = _now()
        run["snapshot_id"] = manifest["snapshot_id"]
        write_json(here / "state.json", state)
    return {**summary, "snapshot_id": run.get("snapshot_id")}


def _commit(con, raw: Path, cycle: int, run: dict, staging: Path, progress: LoadProgress) -> dict:
    """Move the staged parts into raw/ replacing the cycle's earlier bulk files of the same kinds,
    and rewrite the cycle's candidate summaries, webk's committees and pas2's independent expenditures
    (as regular Schedule E lines). Idempotent, so a crash here is
    repaired by running again."""
    removed = files.remove_demo_raw(raw.parent)  # demo and real data must not mix
    if removed:
        progress.line(f"removed {removed} demo raw files: demo and FEC data must not mix")
    for name, facts in run["files"].items():
        if facts.get("skipped"):
            continue
        kind = KINDS[name]
        target = raw_folder(raw, kind, cycle)
        target.mkdir(parents=True, exist_ok=True)
        new = {p.name for p in (staging / name).glob("*.parquet")} | set(facts.get("committed_parts", []))
        for old in target.glob(f"bulk-{cycle}-{name}-*.parquet"):
            if old.name not in new:
                old.unlink()
        for part in sorted((staging / name).glob("*.parquet")):
            os.replace(part, target / part.name)
        facts["committed_parts"] = sorted(new)
    counts = write_bulk_summaries(con, raw, cycle)
    if counts["without_candidate_master"]:
        progress.line(
            f"{counts['without_candidate_master']:,} of {counts['summaries']:,} candidate summaries name a "
            "candidate ID the candidate master cn does not list: they are published from the summary's own "
            "name, party, office and state"
        )
    if counts["without_election_year"]:
        progress.line(
            f"{counts['without_election_year']:,} of them have no election year (weball does not say which "
            "election a candidate runs in): they get candidate pages but are in no race until the cycle's cn "
            "or webl is loaded"
        )
    committees = write_bulk_committees(con, raw, cycle)
    if committees["committees_from_webk"]:
        progress.line(
            f"{committees['committees_from_webk']:,} of {committees['webk_committees']:,} committees of webk are "
            "in no committee master (cm): they are published from webk's own name, type and designation"
        )
    # After the committees: a spender's committee type says which form its Schedule E is part of.
    independent = write_bulk_independent_expenditures(con, raw, cycle)
    if independent["independent_expenditures_unknown_candidate"]:
        progress.line(
            f"{independent['independent_expenditures_unknown_candidate']:,} of "
            f"{independent['independent_expenditures']:,} independent expenditures of pas2 name a candidate ID "
            "no candidate file of the cycle lists: they are listed as matching no candidate"
        )
    return {**counts, **committees, **independent}


def _store_names_candidates_or_committees(con, raw: Path, cycle: int) -> bool:
    """Whether raw/ names candidates or committees of the cycle (a candidate or committee master,
    candidate summaries, webk's committees; any source): a snapshot has something to show. Another
    cycle's do not count."""
    for table in ("candidates", "candidate_summaries", "committees"):
        parts = sorted((raw / table).glob("*.parquet"))
        if parts:
            paths = ", ".join(quote_literal(f) for f in parts)
            query = f"SELECT count(*) FROM read_parquet([{paths}], union_by_name = true) WHERE cycle = ?"
            if con.execute(query, [int(cycle)]).fetchone()[0]:
                return True
    return False


def summarize(run: dict, missing: list[str]) -> dict:
    files = {}
    for name, facts in run.get("files", {}).items():
        if facts.get("skipped"):
            files[name] = {"skipped": facts["skipped"]}
            continue
        files[name] = {
            k: facts.get(k)
            for k in (
                "source",
                "lines",
                "rows",
                "malformed",
                "rows_without_date",
                "recoded",
                "rows_with_made_up_id",
                "superseded_filings",
                "superseded_rows",
                "seconds",
            )
            if facts.get(k) is not None
        }
    return {
        "files": files,
        "missing": missing,
        "summaries": run.get("summaries"),
        "parse_seconds": run.get("parse_seconds"),
    }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
