"""Build a snapshot from the raw store, validate it, and publish it atomically (and, when
SNAPSHOT_STORE_URL is set, upload it to the object store: dashboard.pipeline.object_store).

The layout of the data directory and the swap of `current` belong to dashboard.store; this is
the build around them. A build that fails or is killed at any point leaves `current` pointing
at the last good snapshot.
"""

from __future__ import annotations

import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from dashboard.core import config, contract
from dashboard.pipeline import duck, object_store
from dashboard.pipeline.builder.changes import comparable_previous, record_changes
from dashboard.pipeline.builder.extracts import build_extracts
from dashboard.pipeline.builder.in_district import in_district_note
from dashboard.pipeline.builder.search_index import build_search_index
from dashboard.pipeline.builder.validation import validate_snapshot
from dashboard.store import layout, locks, snapshots
from dashboard.store.snapshots import current_snapshot


class BuildError(RuntimeError):
    """A build could not finish; the message says why and what to do."""


def build_lock(data_dir: Path):
    """Only one build or refresh writes snapshots at a time."""
    return locks.exclusive(
        layout.build_lock_path(data_dir),
        BuildError("another build or refresh is running on this data directory; wait for it to finish"),
    )


def build_and_publish(
    data_dir: Path,
    source: str | None = None,
    progress=None,
    extra_manifest: dict | None = None,
    allow_shrink: bool = False,
) -> dict:
    """Build every extract from data_dir/raw, validate, publish; returns the new manifest. The
    manifest's `source` is what the raw files' names say (layout.raw_source); `source` overrides
    it only for tests that stage a source change."""
    shown = progress  # the upload's byte counts are shown only where progress is
    progress = progress or (lambda msg: None)
    data_dir = Path(data_dir).resolve()
    raw_dir = layout.raw_dir(data_dir)
    if not raw_dir.is_dir():
        raise BuildError(f"no raw data in {raw_dir}; run `python -m dashboard demo` (or a refresh) first")
    with build_lock(data_dir):
        source = source or layout.raw_source(data_dir)  # read under the lock: no loader is moving files
        snapshot_id = snapshots.new_snapshot_id()
        partial = snapshots.start_partial(data_dir, snapshot_id)
        started = time.monotonic()
        try:
            con = duck.connect(data_dir, progress_bar=True)
            raw_counts = build_extracts(con, raw_dir, partial, progress)
            in_district = in_district_note(con)
            search_index_counts = build_search_index(con, partial, progress)
            facts = validate_snapshot(
                con,
                partial,
                skip=contract.CHANGE_EXTRACTS,
                previous=_shrink_reference(current_snapshot(data_dir), source),
                allow_shrink=allow_shrink,
            )
            # `current` still points at the snapshot this one replaces.
            changes, change_counts = record_changes(con, current_snapshot(data_dir), partial, source, progress)
            facts["row_counts"].update(change_counts)
            con.close()
        except BuildError:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        except duck.SettingError as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(str(exc)) from exc
        except Exception as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(f"build failed, the previous snapshot keeps serving: {exc}") from exc
        manifest = {
            "snapshot_id": snapshot_id,
            "schema_version": contract.SCHEMA_VERSION,
            "source": source,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "build_seconds": round(time.monotonic() - started, 2),
            "cycles": facts["cycles"],
            "coverage_end": facts["coverage_end"],
            "row_counts": facts["row_counts"],
            "raw_row_counts": raw_counts,
            "changes": changes,
            "data_quality": facts["data_quality"],
            "search_index": search_index_counts,
            "in_district": in_district,  # the ZCTA relationship used per cycle, or why none
            **(extra_manifest or {}),
        }
        final = snapshots.publish(data_dir, partial, manifest, keep=config.get("SNAPSHOTS_KEPT"))
        progress(f"published snapshot {snapshot_id}")
        # Under the build lock, so two publishes never race for the store's `current`. A failed
        # upload is reported and recorded, never raised: the local publish stands.
        object_store.publish_to_store(data_dir, final, shown)
        return manifest


def _shrink_reference(previous: Path | None, source: str) -> Path | None:
    """The snapshot a collapse is judged against: the one being replaced, if it came from the same
    source and is not demo data (the demo generator rewrites its raw data whole, any size asked for)."""
    manifest, _why_not = comparable_previous(previous, source)
    if manifest is None or layout.DEMO in layout.source_parts(source):
        return None
    return previous
