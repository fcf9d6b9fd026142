"""Where everything lives in the data directory: the one place that knows its layout.

    $DATA_CACHE_DIR/
      raw/<table>/...             what the pipeline's sources wrote (Parquet)
      snapshots/<id>.partial/     a build in progress (never served)
      snapshots/<id>/             a published, immutable snapshot: manifest.json and the extracts
      current -> snapshots/<id>   the snapshot being served (a symlink swapped with os.replace)
      refresh/                    the OpenFEC refresh's pending pages, state and status.json
      sync/status.json            the last upload to the object store and the last `follow` of it
      bulk/<cycle>/               a bulk load's staging and state
      geo/cd<congress>/           Census boundaries, simplified, with a manifest of checksums
      geo/zcta-cd<congress>/      Census ZCTA-to-district relationship, normalized, with a manifest of checksums
      .build.lock, .refresh.lock  one writer at a time

The write side (dashboard.pipeline) writes these; the read side (dashboard.app) only reads them.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.core import config, contract
from dashboard.core.sql import quote_literal


def data_dir(override: Path | str | None = None) -> Path:
    """The data directory: `override` when given, else DATA_CACHE_DIR."""
    return Path(override) if override is not None else config.data_dir()


def raw_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "raw"


def snapshots_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "snapshots"


def current_link(data_dir: Path) -> Path:
    return Path(data_dir) / "current"


def refresh_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "refresh"


def refresh_status_path(data_dir: Path) -> Path:
    return refresh_dir(data_dir) / "status.json"


def sync_status_path(data_dir: Path) -> Path:
    """What the last upload to the object store and the last `follow` of it did (store/sync_status.py)."""
    return Path(data_dir) / "sync" / "status.json"


def answers_dir(data_dir: Path) -> Path:
    """The answers the web workers of one server share, a folder per snapshot (dashboard/app/answer_cache.py):
    derived from a snapshot, never loaded data; removed with the snapshot they were computed from."""
    return Path(data_dir) / "answers"


def bulk_dir(data_dir: Path, cycle: int) -> Path:
    return Path(data_dir) / "bulk" / str(cycle)


def geo_dir(data_dir: Path | None = None) -> Path:
    return (Path(data_dir) if data_dir is not None else config.data_dir()) / "geo"


def congress_dir(congress: int, data_dir: Path | None = None) -> Path:
    return geo_dir(data_dir) / f"cd{int(congress)}"


def zcta_dir(congress: int, data_dir: Path | None = None) -> Path:
    """The ZCTA-to-district relationship of a Congress (dashboard.pipeline.census writes it)."""
    return geo_dir(data_dir) / f"zcta-cd{int(congress)}"


def build_lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / ".build.lock"


def refresh_lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / ".refresh.lock"


MANIFEST = "manifest.json"
SEARCH_INDEX = "search.duckdb"


def manifest_path(snapshot: Path) -> Path:
    return Path(snapshot) / MANIFEST


def extract_path(snapshot: Path, name: str) -> Path:
    """Where an extract lives in a snapshot: `<name>.parquet`, or the folder `<name>/` of
    hive-partitioned files for the extracts the contract marks as folders."""
    return Path(snapshot) / (name if is_partitioned(name) else f"{name}.parquet")


def is_partitioned(name: str) -> bool:
    return f"{name}/" in contract.EXTRACTS


def extract_reader(snapshot: Path, name: str) -> str:
    """The DuckDB table function reading one extract of a snapshot (`cycle` of a partitioned
    extract comes from its folder names, typed as the contract says)."""
    path = extract_path(snapshot, name)
    if is_partitioned(name):
        pattern = quote_literal(os.path.join(path, "**", "*.parquet"))
        return f"read_parquet({pattern}, hive_partitioning = true, hive_types = {{'cycle': INTEGER}})"
    return f"read_parquet({quote_literal(path)})"


def search_index_path(snapshot: Path) -> Path:
    """The explorer's search index of a snapshot: a DuckDB database file, opened read-only."""
    return Path(snapshot) / SEARCH_INDEX


def extract_exists(snapshot: Path, name: str) -> bool:
    path = extract_path(snapshot, name)
    return path.is_dir() if is_partitioned(name) else path.is_file()


# Who wrote a raw file is in its name: the demo generator `demo*`, the bulk loader `bulk-*`, the
# OpenFEC refresh `api-*`. A snapshot's `source` is read from these names, never taken on trust
# from the command that happened to build it (a build once labelled demo rows as FEC bulk data).
ORIGINS = ("bulk", "api", "demo")  # the order of the parts of a mixed source, e.g. "bulk+api"
DEMO = "demo"


def origin_of(path: Path) -> str:
    """'demo', 'bulk' or 'api' from a raw file's name; 'other' for a file none of them wrote."""
    prefix = Path(path).name.split(".")[0].split("-")[0]
    return prefix if prefix in ORIGINS else "other"


def raw_origins(data_dir: Path) -> set[str]:
    """The origins of the raw files on disk, as their names say."""
    return {origin_of(p) for p in raw_dir(data_dir).glob("**/*.parquet")}


def synthetic_api_marker(data_dir: Path) -> Path:
    """Present while the `api-*` raw files hold rows from a server that said they are synthetic
    (the local fake of the API serves the demo generator's data): they count as demo. Never stale:
    the fake's rows are never committed onto real ones, and a refresh from a real server removes
    them and this marker before it pulls (dashboard.pipeline.openfec.commit)."""
    return raw_dir(data_dir) / ".synthetic-api"


def raw_source(data_dir: Path) -> str:
    """The `source` of a snapshot built from the raw files now on disk: 'demo', 'bulk', 'api',
    or a mix such as 'bulk+api' ('none' when there are none)."""
    found = raw_origins(data_dir)
    if "api" in found and synthetic_api_marker(data_dir).exists():
        found = (found - {"api"}) | {DEMO}
    return "+".join(sorted(found, key=lambda o: ORIGINS.index(o) if o in ORIGINS else len(ORIGINS))) or "none"


def source_parts(source: str | None) -> list[str]:
    """'bulk+api' -> ['bulk', 'api']; a snapshot of demo data has 'demo' among its parts."""
    return [part for part in str(source or "").split("+") if part]
