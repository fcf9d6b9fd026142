"""`--download`: the cycle's zips (and the bare files the FEC publishes unzipped, such as
independent_expenditure_<cycle>.csv) from FEC_BULK_URL, resumable (`.part` files and HTTP ranges), with the
SHA-256, size, ETag and Last-Modified of each recorded in `downloads.json`; a zip whose ETag and size
are unchanged is not fetched again."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from dashboard.core import config
from dashboard.pipeline.bulk.formats import KINDS, BulkLoadError, download_name
from dashboard.pipeline.bulk.progress import LoadProgress
from dashboard.store.files import read_json, write_json


def download(cycle: int, folder: Path, progress: LoadProgress, kinds=None, client=None) -> dict:
    """Fetch the cycle's files into folder (resumable, checksummed); returns {file name: outcome}."""
    import httpx

    base = config.get("FEC_BULK_URL").rstrip("/") + "/"
    folder.mkdir(parents=True, exist_ok=True)
    record_path = folder / "downloads.json"
    record = read_json(record_path, {})
    outcomes = {}
    own_client = client is None
    client = client or httpx.Client(
        timeout=httpx.Timeout(float(config.get("FEC_TIMEOUT_SECONDS")), connect=10.0), follow_redirects=True
    )
    try:
        for kind in kinds or KINDS.values():
            name = download_name(kind, cycle)
            url = f"{base}{cycle}/{name}"
            outcomes[name] = _download_one(client, url, folder / name, record, progress)
            write_json(record_path, record)
    finally:
        write_json(record_path, record)  # also after a failure: the partial file's ETag
        if own_client:
            client.close()
    return outcomes


def _download_one(client, url: str, path: Path, record: dict, progress: LoadProgress) -> str:
    import httpx

    name = path.name
    try:
        head = client.head(url)
    except httpx.HTTPError as exc:
        raise BulkLoadError(f"cannot reach {url} ({exc}); check FEC_BULK_URL and the network, or use --files")
    if head.status_code in (403, 404):
        return "not published"
    if head.status_code >= 400:
        raise BulkLoadError(f"{url} answered {head.status_code}; try again later")
    etag, size = head.headers.get("etag"), int(head.headers.get("content-length") or -1)
    known = record.get(name)
    if (
        path.exists()
        and known
        and known.get("etag") == etag
        and known.get("bytes") == path.stat().st_size
        and (size < 0 or size == known["bytes"])
    ):
        return "unchanged"
    part = path.with_name(path.name + ".part")
    if part.exists() and (known or {}).get("partial_etag") not in (None, etag):
        part.unlink()  # the file changed on the server since the partial download began
    record[name] = {**(known or {}), "partial_etag": etag}
    digest = hashlib.sha256()
    have = part.stat().st_size if part.exists() else 0
    if have:
        with open(part, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        digest = _fetch(client, url, headers, part, have, size, digest, name, progress)
    except httpx.HTTPError as exc:
        raise BulkLoadError(
            f"{name}: the download broke off at {part.stat().st_size if part.exists() else 0:,} "
            f"bytes ({exc}); run again to resume it"
        )
    total = part.stat().st_size
    if size >= 0 and total != size:
        raise BulkLoadError(f"{name}: got {total:,} of {size:,} bytes; run again to resume the download")
    os.replace(part, path)
    record[name] = {
        "url": url,
        "bytes": total,
        "sha256": digest.hexdigest(),
        "etag": etag,
        "last_modified": head.headers.get("last-modified"),
        "downloaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    progress.line(f"downloaded {name}: {total:,} bytes, sha256 {digest.hexdigest()[:16]}...")
    return "downloaded"


def _fetch(client, url, headers, part: Path, have: int, size: int, digest, name: str, progress):
    """Append the rest of the file to `part`; returns the SHA-256 of the whole file (a server that
    ignores the range sends it all again, and the digest starts over)."""
    started, got = time.monotonic(), 0
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 200 and have:  # the server ignored the range: start over
            have, digest = 0, hashlib.sha256()
            mode = "wb"
        elif response.status_code in (200, 206):
            mode = "ab"
        elif response.status_code == 416 and have == size:
            mode = None
        else:
            raise BulkLoadError(f"{url} answered {response.status_code} while downloading; run again to resume")
        if mode:
            with open(part, mode) as handle:
                for block in response.iter_bytes():  # as it arrives: a broken-off download keeps what came
                    handle.write(block)
                    digest.update(block)
                    got += len(block)
                    progress.file(
                        f"download {name}",
                        have + got,
                        max(size, have + got),
                        None,
                        got / max(time.monotonic() - started, 1e-6),
                    )
    return digest
