"""Facts about the published snapshot for the data page: coverage per cycle, row counts, and how
the OpenFEC refreshes behind it went."""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.core import config, contract
from dashboard.store import refresh_status, sync_status


def coverage_by_cycle() -> pd.DataFrame:
    """Per cycle in the manifest: the date the data runs through (manifest coverage_end), the
    earliest report start, how many candidates reported and what they raised in total (the same
    candidates as the home page's headline)."""
    manifest = db.manifest()
    reported = db.query(
        """
        SELECT t.cycle,
               count(*)              AS candidates_reporting,
               min(t.coverage_start) AS first_coverage_start,
               sum(t.receipts)       AS receipts
        -- the candidates every other page adds up (the home page's headline, race lists): totals of an
        -- ID with no candidate record are in the data-quality report, not in a grand total
        FROM candidate_totals AS t
        JOIN candidates AS c ON c.candidate_id = t.candidate_id AND c.cycle = t.cycle
        GROUP BY t.cycle
        """
    )
    cycles = sorted({int(c) for c in manifest.get("cycles", [])} | set(reported["cycle"].astype(int)))
    ends = manifest.get("coverage_end", {})
    frame = pd.DataFrame({"cycle": cycles})
    frame["coverage_end"] = [ends.get(str(c)) for c in cycles]
    return frame.merge(reported.astype({"cycle": int}), on="cycle", how="left")


def row_counts() -> pd.DataFrame:
    """Rows per extract as the manifest records them, in contract order (extracts the
    manifest does not list are left out)."""
    counts = db.manifest().get("row_counts", {})
    names = [name for name in contract.extract_names() if name in counts]
    return pd.DataFrame({"extract": names, "rows": [int(counts[name]) for name in names]})


DATA_QUALITY_COLUMNS = ["code", "reason", "count", "amount", "examples"]


def data_quality() -> pd.DataFrame:
    """The snapshot's data-quality report (what the builder found odd but published, manifest
    `data_quality`): one row per reason with its code, plain-language reason, how many cases, the
    money involved where there is some, and example ids joined by ", ". No rows for a snapshot
    with nothing to report, or built before the report existed."""
    findings = (db.manifest().get("data_quality") or {}).get("findings") or []
    frame = pd.DataFrame(findings, columns=DATA_QUALITY_COLUMNS)
    frame["count"] = frame["count"].astype("int64")
    frame["amount"] = pd.to_numeric(frame["amount"]).astype("float64")
    frame["examples"] = frame["examples"].map(lambda ids: ", ".join(ids or [])).astype(object)
    return frame


def latest_coverage_end(manifest: dict | None = None) -> str | None:
    """The latest 'data through' date over all cycles (ISO), for the footer; of the given
    manifest, or of the current snapshot's."""
    manifest = db.manifest() if manifest is None else manifest
    ends = [end for end in (manifest.get("coverage_end") or {}).values() if end]
    return max(ends) if ends else None


# The refresh's facts come from its status file in the store, not from the snapshot: a failed
# attempt publishes nothing, yet the data page must say that it failed.
def refresh_health() -> dict:
    """Facts about the last refreshes of the served data directory; empty when none has run."""
    return refresh_status.refresh_health(config.data_dir())


def follow_health() -> dict:
    """How this node's `follow` of the object store goes (sync/status.json); empty when it never ran."""
    return sync_status.follow_health(config.data_dir())


def last_refreshed_at() -> str | None:
    """When an OpenFEC refresh last succeeded on the served data directory (ISO), for the footer; None when
    none ever has: data built by `demo`, `build` or a bulk load alone was never refreshed. (A refresh
    publishes its snapshot and then records its success, so this is the refresh of the data on disk.)"""
    return refresh_status.refresh_health(config.data_dir()).get("last_success_at")


def refresh_coverage() -> pd.DataFrame:
    """Per refreshed cycle: what the API raw data holds and when it was pulled."""
    return refresh_status.refresh_coverage(config.data_dir())
