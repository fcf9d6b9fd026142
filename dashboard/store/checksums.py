"""Every file of a snapshot with its size and SHA-256, recorded in the manifest at publish, and the
checks that find a snapshot damaged after it (a partition deleted, a file truncated or rewritten, a
manifest garbled) so it is reported instead of answering wrong (e.g. "0 contributions").

Two depths of check:
- `check(..., full=False)`: presence and size of every recorded file, and nothing on disk that the
  manifest does not know of. A few stat calls: cheap enough for every worker start, every swap of
  `current`, every /readyz probe.
- `check(..., full=True)`: the sizes and every file's SHA-256 (`python -m dashboard status --verify`).
  Hashing is bound by the disk, not the CPU: SHA-256 runs at 1.7 GB/s from memory with the CPU's SHA
  instructions (blake2b 0.9 GB/s, so no faster choice in hashlib), but the 6.5 GB of the 40M-row
  benchmark snapshot take 21 s as read from disk (~310 MB/s). That is 5% of its 6.5-minute build, once
  at publish; at every worker start and swap it would be 21 s of disk per worker, so workers check
  sizes (1 ms for its 30 files) and the full check is run on demand.

A snapshot published before checksums existed has no `files` in its manifest: it keeps serving and
is reported as unverified.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.store import files, layout

ALGORITHM = "sha256"
FILES_KEY = "files"  # manifest key: relative path -> {"bytes": int, "sha256": hex}
_READ_SUFFIXES = {".parquet", ".duckdb"}


def _data_files(snapshot: Path) -> list[Path]:
    """Every file of a snapshot except its manifest (which records the others), sorted."""
    manifest = layout.manifest_path(snapshot)
    return sorted(p for p in Path(snapshot).rglob("*") if p.is_file() and p != manifest)


def inventory(snapshot: Path) -> dict[str, dict]:
    """Relative path -> size and SHA-256 of every file of a snapshot (for its manifest)."""
    snapshot = Path(snapshot)
    return {
        path.relative_to(snapshot).as_posix(): {"bytes": path.stat().st_size, ALGORITHM: files.sha256(path)}
        for path in _data_files(snapshot)
    }


@dataclass
class Health:
    """What a check found. `ok` False means the snapshot must not answer: `problems` says why, in
    words safe to show the public (relative paths only). `verified` is False for a snapshot whose
    manifest records no files (published before checksums): served, but nothing could be checked."""

    snapshot_id: str | None
    ok: bool
    verified: bool
    problems: list[str] = field(default_factory=list)
    manifest: dict | None = None
    hashed: bool = False  # the full check ran (hashes compared, not only sizes)

    @property
    def reason(self) -> str:
        if self.ok:
            return "ready" if self.verified else "unverified: the manifest records no checksums"
        shown = "; ".join(self.problems[:5])
        more = len(self.problems) - 5
        return shown + (f"; and {more} more" if more > 0 else "")

    def as_dict(self) -> dict:
        return {
            "status": "ready" if self.ok else "damaged",
            "snapshot_id": self.snapshot_id,
            "verified": self.verified,
            "checked": "sha256" if self.hashed else "sizes",
            "reason": self.reason,
            "problems": self.problems,
        }


def check(snapshot: Path, full: bool = False) -> Health:
    """Whether a published snapshot is whole: its manifest readable and every file it records
    present, of its size (and, when `full`, of its hash)."""
    snapshot = Path(snapshot)
    snapshot_id = snapshot.name
    try:
        manifest = json.loads(layout.manifest_path(snapshot).read_text())
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        return Health(snapshot_id, False, False, [f"{layout.MANIFEST} is missing"])
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return Health(snapshot_id, False, False, [f"{layout.MANIFEST} is unreadable ({type(exc).__name__})"])
    snapshot_id = str(manifest.get("snapshot_id") or snapshot_id)
    recorded = manifest.get(FILES_KEY)
    if not isinstance(recorded, dict):
        return Health(snapshot_id, True, False, manifest=manifest)
    problems = []
    for relative, expected in sorted(recorded.items()):
        path = snapshot / relative
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(f"{relative} is missing")
            continue
        if size != expected.get("bytes"):
            problems.append(f"{relative} has {size:,} bytes, {int(expected.get('bytes') or 0):,} recorded")
        elif full and files.sha256(path) != expected.get(ALGORITHM):
            problems.append(f"{relative} does not match its {ALGORITHM}")
    # A stray extract file would be read with the others (a partition folder is read by a glob).
    read = {p.relative_to(snapshot).as_posix() for p in _data_files(snapshot) if p.suffix in _READ_SUFFIXES}
    problems += [f"{relative} is not in the manifest" for relative in sorted(read - set(recorded))]
    return Health(snapshot_id, not problems, True, problems, manifest, hashed=full)
