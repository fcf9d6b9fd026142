"""Every setting of the dashboard, read from the environment, each declared once.

`SETTINGS` is the single list: name, default, kind and a one-line help text. Code reads a
value with `get("NAME")`; `python -m dashboard config` prints them all, secrets masked, and
the README's settings table is checked against this list by a test.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    kind: type = str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DATA_CACHE_DIR", "./data_cache", "Folder holding raw/, snapshots/, current and geo/ (created when missing)."
    ),
    Setting("DEFAULT_CYCLE", "2026", "Two-year cycle (its even year) that pages open on when the URL names none.", int),
    Setting(
        "DEMO_ROWS",
        "1000000",
        "Itemized receipts the demo generator writes over all cycles (40000000 for benchmarks).",
        int,
    ),
    Setting("DEMO_SEED", "2026", "Random seed of the demo generator; the same seed gives the same data.", int),
    Setting(
        "FEC_API_KEY",
        "",
        "api.data.gov key for the OpenFEC API; empty falls back to the rate-limited DEMO_KEY.",
        secret=True,
    ),
    Setting("FEC_API_URL", "https://api.open.fec.gov/v1/", "Base URL of the OpenFEC API."),
    Setting(
        "FEC_BULK_URL",
        "https://www.fec.gov/files/bulk-downloads/",
        "Where `load-bulk --download` fetches the FEC's bulk zips (<url><cycle>/cn24.zip ...).",
    ),
    Setting(
        "BULK_CHUNK_MB", "256", "Text a bulk load parses at a time (MB); the unit a killed load resumes from.", int
    ),
    Setting("REFRESH_INTERVAL", "6h", "How often `python -m dashboard refresh --every` runs (e.g. 30m, 6h, 1d)."),
    Setting(
        "FEC_HOURLY_BUDGET",
        "900",
        "Most OpenFEC requests the refresh sends in any hour (a personal key allows 1,000).",
        int,
    ),
    Setting(
        "FEC_MAX_RETRIES", "6", "Retries of one OpenFEC request after a 429, a 5xx, a timeout or a bad answer.", int
    ),
    Setting(
        "FEC_BACKOFF_SECONDS",
        "60",
        "First wait after a 429 (a tenth of it after a 5xx), doubled each retry with jitter, at most 15 minutes.",
    ),
    Setting("FEC_TIMEOUT_SECONDS", "60", "Read timeout of one OpenFEC request, in seconds (connecting: at most 10 s)."),
    Setting("EXPORT_ROW_CAP", "1000000", "Most rows one CSV or Parquet export may hold.", int),
    Setting("QUERY_TIMEOUT_MS", "5000", "Longest a page's query may run before it is cancelled.", int),
    Setting("MAX_BODY_BYTES", "1048576", "Largest request body accepted (callbacks included); beyond, 413.", int),
    Setting(
        "CLIENT_REQUESTS",
        "6",
        "Requests one client address may have in progress at once in a web worker; beyond, 429.",
        int,
    ),
    Setting("CLIENT_EXPORTS", "2", "Downloads of whole views one client may have in progress at once per worker.", int),
    Setting(
        "WORKER_EXPORTS",
        "1",
        "Downloads of whole views a web worker streams at once, all clients together (each holds its sorted rows); 0: no limit.",
        int,
    ),
    Setting(
        "COSTLY_SEARCHES",
        "1",
        "Searches of itemized receipts a web worker runs at once (as many more wait, within QUERY_TIMEOUT_MS); 0: no pool.",
        int,
    ),
    Setting(
        "TRUSTED_PROXY_HOPS",
        "0",
        "Reverse proxies in front that add X-Forwarded-For; 1 takes the client's address from it. 0: the connection's.",
        int,
    ),
    Setting(
        "ANSWER_CACHE_MB",
        "64",
        "Memory each web worker keeps answers of the current snapshot in (pages, callbacks, API); 0 turns it off.",
        int,
    ),
    Setting(
        "ANSWER_CACHE_DISK_MB",
        "1024",
        "Disk the web workers of one server share their answers on (<data dir>/answers/, a folder per snapshot), so each is computed once per server; 0: each worker keeps its own only.",
        int,
    ),
    Setting(
        "ANSWER_CACHE_WARM_UP",
        "256",
        "Answers most asked before a publish that each web worker computes again for the new snapshot, in the background; 0: none.",
        int,
    ),
    Setting(
        "ANSWER_CACHE_WARM_UP_SECONDS",
        "30",
        "Longest a web worker keeps serving the previous snapshot after a publish while it warms its cache for the new one; 0: at once.",
        int,
    ),
    Setting("SNAPSHOTS_KEPT", "3", "Published snapshots kept on disk (the current one included).", int),
    Setting(
        "SNAPSHOT_STORE_URL",
        "",
        "Object store every publish also uploads to, and `follow` copies from: s3://bucket/prefix. Empty: local only.",
    ),
    Setting("FOLLOW_INTERVAL", "30s", "How often `python -m dashboard follow` asks the store for a new snapshot."),
    Setting(
        "STORE_SNAPSHOT_GRACE",
        "1d",
        "How long a replaced snapshot stays in the store (for followers still copying it) before a publish prunes it.",
    ),
    Setting(
        "AWS_ENDPOINT_URL", "", "S3-compatible endpoint (e.g. http://127.0.0.1:9000); empty: AWS S3. Read by boto3."
    ),
    Setting(
        "AWS_ACCESS_KEY_ID", "", "Key id for the object store (or any other way boto3 finds credentials).", secret=True
    ),
    Setting("AWS_SECRET_ACCESS_KEY", "", "Secret key for the object store; never commit it.", secret=True),
    Setting("AWS_DEFAULT_REGION", "", "Region of the object store's bucket, e.g. us-east-1."),
    Setting("DUCKDB_MEMORY_LIMIT", "4GB", "Memory DuckDB may use while building extracts; it spills to disk beyond."),
    Setting("DUCKDB_THREADS", "2", "Threads DuckDB uses while building extracts.", int),
    Setting(
        "DUCKDB_TEMP_DIR",
        "",
        "Folder DuckDB spills to while building beyond DUCKDB_MEMORY_LIMIT (a fast local disk); empty: the data folder's tmp/.",
    ),
    Setting(
        "QUERY_MEMORY_LIMIT",
        "2GB",
        "Memory each web worker's DuckDB may use for queries, the search index's cached blocks included.",
    ),
    Setting("LOG_LEVEL", "INFO", "Python logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting("PORT", "8050", "Port `make serve` binds gunicorn to on 127.0.0.1.", int),
    Setting("WEB_WORKERS", "2", "Gunicorn worker processes for `make serve`.", int),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str):
    """The current value of a setting, converted to its kind. Unknown names are a bug."""
    setting = _BY_NAME[name]
    raw = os.environ.get(name, "").strip() or setting.default
    if setting.kind is int:
        try:
            return int(raw)
        except ValueError:
            raise SystemExit(f"{name}={raw!r} is not a whole number; unset it or give e.g. {setting.default}")
    return raw


def size(name: str) -> str:
    """A memory size setting (like 4GB or 512MB), checked because it goes into a DuckDB SET statement."""
    text = get(name).strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", text, re.IGNORECASE):
        raise SizeSettingError(f"{name}={text!r} is not a size like 4GB or 512MB")
    return text


class SizeSettingError(ValueError):
    """A memory size setting that is not a size; the message names it."""


def data_dir() -> Path:
    return Path(get("DATA_CACHE_DIR")).resolve()


def describe() -> list[tuple[str, str, str]]:
    """(name, current value with secrets masked, help) for every setting."""
    rows = []
    for s in SETTINGS:
        value = str(get(s.name))
        if s.secret and value:
            value = value[:2] + "*" * max(0, len(value) - 4) + value[-2:] if len(value) > 6 else "****"
        rows.append((s.name, value, s.help))
    return rows
