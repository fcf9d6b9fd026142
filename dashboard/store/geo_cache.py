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


def _mismatched(folder: Path, manifest: dict) -> str | None:
    """The first file of a cache folder that does not match its manifest's checksum, else None."""
    return next((n for n, digest in manifest["files"].items() if files.sha256(folder / n) != digest), None)


def _load_verified(folder: Path, manifest_path: Path, congress: int) -> Boundaries | None:
    try:
        manifest = json.loads(manifest_path.read_text())
        if (name := _mismatched(folder, manifest)) is not None:
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
    for congress in nearest_congresses(cycle, cached_congresses(), any_apportionment=states_only):
        boundaries = cached(congress)
        if boundaries is not None:
            return boundaries
    return None


def nearest_congresses(cycle: int, available, any_apportionment: bool = False) -> list[int]:
    """Of the `available` Congresses, those whose districts can stand for a cycle's, best first:
    its own, then the nearest of the same apportionment (a later one first: maps change less often
    than they stay); others only with `any_apportionment`."""
    wanted = geography.congress_for_cycle(cycle)
    seats = geography.apportionment(cycle)
    return sorted(
        (
            c
            for c in available
            if any_apportionment
            or c == wanted
            or (seats is not None and geography.apportionment(geography.cycle_for_congress(c)) == seats)
        ),
        key=lambda c: (abs(c - wanted), c < wanted),
    )


def file_path(congress: int, name: str) -> Path | None:
    """A cached file that may be served (listed in a verified manifest), else None."""
    boundaries = cached(congress)
    if boundaries is None or name not in boundaries.manifest["files"]:
        return None
    return boundaries.folder / name


# ---------------------------------------------------------------------------------------------
# The ZCTA-to-district relationship (written by dashboard.pipeline.census), for in-district money:
#
#     $DATA_CACHE_DIR/geo/zcta-cd<congress>/
#         manifest.json               source (URL or file, its sha256), counts, weighted, sha256 of every file
#         zcta_districts.parquet      zcta5, state, district (FEC style), land_weight (NULL: pairs without weights)
#         zip_zcta.parquet            zip5, zcta5: a USPS ZIP -> ZCTA crosswalk, when one was given
# ---------------------------------------------------------------------------------------------

ZCTA_TABLE = "zcta_districts.parquet"
ZIP_CROSSWALK = "zip_zcta.parquet"


@dataclass(frozen=True)
class ZctaRelationship:
    """One Congress's cached ZCTA-to-district pairs, verified against their checksums."""

    congress: int
    folder: Path
    manifest: dict

    @property
    def weighted(self) -> bool:
        """True when ZCTAs split between districts carry the Census file's land-area weights;
        False for a list of pairs without weights (only bounds can be computed then)."""
        return bool(self.manifest.get("weighted"))

    @property
    def table(self) -> Path:
        return self.folder / ZCTA_TABLE

    @property
    def crosswalk(self) -> Path | None:
        """The ZIP -> ZCTA crosswalk, or None: then a ZIP5 is taken as its own ZCTA5."""
        return self.folder / ZIP_CROSSWALK if ZIP_CROSSWALK in self.manifest["files"] else None


_zcta_verified: dict[str, tuple[float, ZctaRelationship | None]] = {}


def cached_zcta(congress: int, data_dir: Path | None = None) -> ZctaRelationship | None:
    """The cached ZCTA-to-district relationship of a Congress, or None when missing or failing
    its checksums."""
    folder = layout.zcta_dir(congress, data_dir)
    manifest_path = layout.manifest_path(folder)
    try:
        stamp = manifest_path.stat().st_mtime
    except OSError:
        return None
    with _verify_lock:
        hit = _zcta_verified.get(str(folder))
        if hit is not None and hit[0] == stamp:
            return hit[1]
        relationship = None
        try:
            manifest = json.loads(manifest_path.read_text())
            if (name := _mismatched(folder, manifest)) is None:
                relationship = ZctaRelationship(congress, folder, manifest)
            else:
                log.warning(
                    "ZCTA cache %s: %s does not match its checksum; run `python -m dashboard geo`", folder, name
                )
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ZCTA cache %s is unreadable (%s); run `python -m dashboard geo`", folder, exc)
        _zcta_verified[str(folder)] = (stamp, relationship)
        return relationship


def cached_zcta_congresses(data_dir: Path | None = None) -> list[int]:
    try:
        names = [p.name for p in layout.geo_dir(data_dir).iterdir()]
    except OSError:
        return []
    return sorted(int(n[7:]) for n in names if re.fullmatch(r"zcta-cd\d{2,3}", n))


def zcta_for_cycle(cycle: int, data_dir: Path | None = None) -> ZctaRelationship | None:
    """The relationship to place a cycle's donors in its House districts with: its own Congress's,
    else the nearest cached Congress's of the same apportionment (nearest_congresses), as the maps
    choose their boundaries (for_cycle); never another apportionment's. The caller compares
    `.congress` with `geography.congress_for_cycle(cycle)` to say which lines were used."""
    for congress in nearest_congresses(cycle, cached_zcta_congresses(data_dir)):
        relationship = cached_zcta(congress, data_dir)
        if relationship is not None:
            return relationship
    return None
