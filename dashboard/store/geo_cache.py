"""Reading the Census boundary cache (written by dashboard.pipeline.census):

    $DATA_CACHE_DIR/geo/cd<congress>/
        manifest.json               source, counts, sha256 of every file below
        districts-national.geojson  all districts, for the national map
        states-national.geojson     state outlines dissolved from the same districts
        districts-<ST>.geojson      one state's districts at the detailed resolution
        centroids.json              geoid -> [lon, lat], for arranging the tile grid

Every file is checked against the manifest's checksums before it is used, once per process and
manifest version (a rewritten cache has a new manifest, so readers verify again).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from dashboard.core import geography
from dashboard.store import files, layout

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Boundaries:
    """One Congress's cached boundaries, verified against their checksums."""

    congress: int
    folder: Path
    manifest: dict
    centroids: dict[str, tuple[float, float]]

    def has_state(self, state: str) -> bool:
        return f"districts-{state}.geojson" in self.manifest["files"]


_verified: dict[tuple[str, int], tuple[float, Boundaries | None]] = {}
_verify_lock = threading.Lock()


def cached(congress: int) -> Boundaries | None:
    """The cached boundaries of a Congress, or None when missing or failing their checksums."""
    folder = layout.congress_dir(congress)
    manifest_path = layout.manifest_path(folder)
    try:
        stamp = manifest_path.stat().st_mtime
    except OSError:
        return None
    key = (str(folder), congress)
    with _verify_lock:
        hit = _verified.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        boundaries = _load_verified(folder, manifest_path, congress)
        _verified[key] = (stamp, boundaries)
        return boundaries


def _load_verified(folder: Path, manifest_path: Path, congress: int) -> Boundaries | None:
    try:
        manifest = json.loads(manifest_path.read_text())
        for name, digest in manifest["files"].items():
            if files.sha256(folder / name) != digest:
                log.warning("geo cache %s: %s does not match its checksum; run `python -m dashboard geo`", folder, name)
                return None
        centroids = {k: tuple(v) for k, v in json.loads((folder / "centroids.json").read_text()).items()}
    except (OSError, ValueError, KeyError) as exc:
        log.warning("geo cache %s is unreadable (%s); run `python -m dashboard geo`", folder, exc)
        return None
    return Boundaries(congress, folder, manifest, centroids)


def cached_congresses() -> list[int]:
    try:
        names = [p.name for p in layout.geo_dir().iterdir()]
    except OSError:
        return []
    return sorted(int(n[2:]) for n in names if re.fullmatch(r"cd\d{2,3}", n))


def for_cycle(cycle: int, states_only: bool = False) -> Boundaries | None:
    """Boundaries to draw a cycle's House map on: its own Congress's, else the nearest cached
    Congress's of the same apportionment (a later one first: maps change less often than they
    stay), else None. Never another apportionment's: its states have other numbers of seats
    (2016's OH-16 is on no 2022 map, 2022's MT-02 on no 2016 map), so races would be drawn on
    districts they were not run in. With `states_only` (a map of state outlines, the Senate's)
    any Congress's do. The caller compares `.congress` with `geography.congress_for_cycle(cycle)`
    to say which it is."""
    wanted = geography.congress_for_cycle(cycle)
    seats = geography.apportionment(cycle)
    candidates = sorted(
        (
            c
            for c in cached_congresses()
            if states_only
            or c == wanted
            or (seats is not None and geography.apportionment(geography.cycle_for_congress(c)) == seats)
        ),
        key=lambda c: (abs(c - wanted), c < wanted),
    )
    for congress in candidates:
        boundaries = cached(congress)
        if boundaries is not None:
            return boundaries
    return None


def file_path(congress: int, name: str) -> Path | None:
    """A cached file that may be served (listed in a verified manifest), else None."""
    boundaries = cached(congress)
    if boundaries is None or name not in boundaries.manifest["files"]:
        return None
    return boundaries.folder / name
