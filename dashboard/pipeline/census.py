"""House district boundaries: obtained from the Census Bureau, normalized, cached under geo/.

    python -m dashboard geo [--cycle 2024 ...] [--from FILE] [--resolution 5m] [--if-missing]

The Census cartographic boundary files (`cb_<year>_us_cd<congress>_<res>.zip`) are read with
geopandas, reduced to the properties {geoid, state_fips, state, district, congress} (Census
district codes: '00' at-large, '98' for the DC and PR delegates that FEC files as '00'), outer
rings turned clockwise (Plotly `geo` traces fill the whole globe otherwise), and simplified twice
with topology kept (shapely.coverage_simplify, so neighbouring districts still meet):

    $DATA_CACHE_DIR/geo/cd<congress>/
        manifest.json               source, counts, sha256 of every file below
        districts-national.geojson  all districts, for the national map (~300 KB)
        states-national.geojson     state outlines dissolved from the same districts
        districts-<ST>.geojson      one state's districts at the detailed resolution
        centroids.json              geoid -> [lon, lat], for arranging the tile grid

A Congress's folder is written completely under another name and then renamed into place, so
a reader never sees half a cache. Readers check every file against the manifest's checksums
before serving it. Only `obtain()` touches the network (https://www2.census.gov).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from dashboard.core import config, geography

log = logging.getLogger(__name__)

CENSUS_URL = "https://www2.census.gov/geo/tiger/GENZ{year}/shp/cb_{year}_us_cd{congress}_{resolution}.zip"
# Congress -> GENZ vintages publishing its districts, newest first. The vintage cannot be computed
# from the Congress number (cd118 is in GENZ2022 and 2023, cd119 in 2024 and 2025); the 120th's
# is expected as cb_2026_us_cd120_* but was not published when this was written.
VINTAGES: dict[int, tuple[int, ...]] = {116: (2019, 2018), 117: (2021, 2020), 118: (2023, 2022),
                                        119: (2025, 2024), 120: (2026,)}
RESOLUTIONS = ("500k", "5m", "20m")
DEFAULT_RESOLUTION = "5m"  # about 2 MB to download; detailed enough to zoom into a state

# Simplification tolerances (degrees, GEOS coverage simplification) and coordinate precision.
NATIONAL = {"tolerance": 0.05, "precision": 0.001}
DETAILED = {"tolerance": 0.004, "precision": 0.0001}

DELEGATE_DISTRICT = "98"  # Census code of a non-voting delegate's "district"
_FIPS_TO_STATE = {fips: state for state, (fips, *_rest) in geography.STATES.items()}


class BoundariesUnavailable(RuntimeError):
    """No boundary file could be obtained or read; the message says what to do."""


def census_district(state: str, fec_district: str) -> str:
    """The Census code of a district FEC writes as `fec_district` ('00' -> '98' for DC and PR)."""
    return DELEGATE_DISTRICT if state in geography.DELEGATE_STATES else fec_district


def geoid(state: str, fec_district: str) -> str:
    """Census GEOID (state FIPS + district) of a House seat given FEC-style: ('CA', '12') -> '0612'."""
    return geography.STATES[state][0] + census_district(state, fec_district)


def geo_dir() -> Path:
    return config.data_dir() / "geo"


def congress_dir(congress: int) -> Path:
    return geo_dir() / f"cd{congress}"


# ---------------------------------------------------------------------------------------------
# Reading a boundary file into normalized districts
# ---------------------------------------------------------------------------------------------

def read_districts(path: Path):
    """A GeoDataFrame of the districts in a Census zip, shapefile or GeoJSON, normalized to
    geoid, state_fips, state, district, congress (+ geometry, lon/lat degrees). Island areas the
    dashboard does not cover and Census's 'ZZ' (no district) areas are dropped."""
    import geopandas as gpd

    source = f"zip://{path}" if str(path).lower().endswith(".zip") else str(path)
    try:
        frame = gpd.read_file(source)
    except Exception as exc:
        raise BoundariesUnavailable(f"could not read {path}: {exc}") from exc
    columns = {c.upper(): c for c in frame.columns}
    district_column = next((columns[c] for c in columns if re.fullmatch(r"CD\d{3}FP", c)), None)
    if district_column is None or "STATEFP" not in columns:
        raise BoundariesUnavailable(
            f"{path} is not a Census congressional-district file (no STATEFP and CD<congress>FP columns)")
    congress = int(district_column[2:5])
    # Census files are NAD83 (EPSG:4269): used as WGS84 degrees, as the Census and Plotly do
    # (the datums differ by 1-2 m, far below the files' generalization). Others are converted.
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, 4269):
        frame = frame.to_crs("EPSG:4326")
    normalized = gpd.GeoDataFrame({
        "state_fips": frame[columns["STATEFP"]].astype(str).str.zfill(2),
        "district": frame[district_column].astype(str).str.zfill(2),
        "congress": congress,
    }, geometry=list(frame.geometry), crs="EPSG:4326")
    normalized["state"] = normalized["state_fips"].map(_FIPS_TO_STATE)
    normalized = normalized[normalized["state"].notna() & (normalized["district"] != "ZZ")]
    normalized = normalized[~normalized.geometry.is_empty & normalized.geometry.notna()]
    normalized["geoid"] = normalized["state_fips"] + normalized["district"]
    normalized = normalized.dissolve(by="geoid", as_index=False, aggfunc="first")  # one row per district
    return normalized[["geoid", "state_fips", "state", "district", "congress", "geometry"]] \
        .sort_values("geoid").reset_index(drop=True)


def check_seats(districts) -> list[str]:
    """Differences between the file's districts per state and the House apportionment."""
    problems = []
    counts = districts.groupby("state").size().to_dict()
    for state, (_fips, _name, seats, _pop) in geography.STATES.items():
        expected = max(seats, 1)
        if counts.get(state, 0) != expected:
            problems.append(f"{state}: {counts.get(state, 0)} districts, {expected} seats")
    return problems


# ---------------------------------------------------------------------------------------------
# Simplifying and writing the cache
# ---------------------------------------------------------------------------------------------

def _clockwise(geometries, tolerance: float, precision: float):
    import shapely

    simplified = shapely.coverage_simplify(geometries, tolerance) if tolerance else geometries
    snapped = shapely.make_valid(shapely.set_precision(simplified, precision))
    return shapely.orient_polygons(_polygonal(snapped), exterior_cw=True)


def _polygonal(geometries):
    """make_valid may return collections with stray lines or points; keep the polygons only."""
    import shapely

    kept = []
    for geometry in geometries:
        if geometry.geom_type == "GeometryCollection":
            parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
            geometry = shapely.union_all(parts) if parts else shapely.Polygon()
        kept.append(geometry)
    return kept


def _feature_collection(ids, properties, geometries) -> dict:
    import shapely

    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": id_, "properties": props, "geometry": json.loads(shapely.to_geojson(g))}
        for id_, props, g in zip(ids, properties, geometries)]}


def _write_json(path: Path, payload) -> str:
    data = json.dumps(payload, separators=(",", ":")).encode()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_cache(districts, source: dict, progress=None) -> dict:
    """Simplify `read_districts` output and publish it as geo/cd<congress>/; returns the manifest."""
    import shapely

    progress = progress or (lambda message: None)
    congress = int(districts["congress"].iloc[0])
    final = congress_dir(congress)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"cd{congress}.partial-", dir=final.parent))
    try:
        props = [{"geoid": r.geoid, "state_fips": r.state_fips, "state": r.state, "district": r.district,
                  "congress": congress} for r in districts.itertuples()]
        geometries = districts.geometry.values
        files: dict[str, str] = {}
        national = _clockwise(geometries, **NATIONAL)
        files["districts-national.geojson"] = _write_json(
            work / "districts-national.geojson", _feature_collection(districts["geoid"], props, national))
        progress(f"cd{congress}: national districts simplified "
                 f"({int(shapely.get_num_coordinates(national).sum()):,} points)")
        by_state = districts.assign(geometry=national).dissolve(by="state_fips", as_index=False, aggfunc="first")
        state_geometries = shapely.orient_polygons(_polygonal(shapely.make_valid(by_state.geometry.values)),
                                                   exterior_cw=True)
        state_props = [{"geoid": r.state_fips, "state_fips": r.state_fips, "state": r.state, "congress": congress}
                       for r in by_state.itertuples()]
        files["states-national.geojson"] = _write_json(
            work / "states-national.geojson", _feature_collection(by_state["state_fips"], state_props, state_geometries))
        detailed = _clockwise(geometries, **DETAILED)
        for state in sorted(districts["state"].unique()):
            mask = (districts["state"] == state).to_numpy()
            name = f"districts-{state}.geojson"
            files[name] = _write_json(work / name, _feature_collection(
                districts["geoid"][mask], [p for p, m in zip(props, mask) if m], detailed[mask]))
        progress(f"cd{congress}: detailed districts of {districts['state'].nunique()} states written "
                 f"({int(shapely.get_num_coordinates(detailed).sum()):,} points)")
        # Centroids in an equal-area projection, so a long thin district's centre is where it looks.
        centres = districts.to_crs("EPSG:5070").centroid.to_crs("EPSG:4326")
        centroids = {g: [round(p.x, 4), round(p.y, 4)] for g, p in zip(districts["geoid"], centres)}
        files["centroids.json"] = _write_json(work / "centroids.json", centroids)
        manifest = {
            "congress": congress, "n_districts": len(districts), "states": sorted(districts["state"].unique()),
            "seat_differences": check_seats(districts), "source": source,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "national": NATIONAL, "detailed": DETAILED, "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        _swap_into_place(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _swap_into_place(work: Path, final: Path) -> None:
    old = None
    if final.exists():
        old = final.with_name(f"{final.name}.old-{os.getpid()}")
        os.replace(final, old)
    os.replace(work, final)
    os.chmod(final, 0o755)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Obtaining: a local file, or a download from the Census Bureau
# ---------------------------------------------------------------------------------------------

def import_file(path: Path, progress=None) -> dict:
    """Normalize and cache a local Census file (zip, shapefile or GeoJSON); returns its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BoundariesUnavailable(f"{path} does not exist")
    districts = read_districts(path)
    if districts.empty:
        raise BoundariesUnavailable(f"{path} holds no House districts")
    source = {"kind": "file", "path": str(path.resolve()), "sha256": _sha256(path)}
    return write_cache(districts, source, progress)


def download(congress: int, resolution: str = DEFAULT_RESOLUTION, progress=None) -> dict:
    """Download the Census file of a Congress's districts (newest vintage first) and cache it."""
    import httpx

    progress = progress or (lambda message: None)
    vintages = VINTAGES.get(congress)
    if not vintages:
        raise BoundariesUnavailable(f"no Census vintage is known for the {congress}th Congress; "
                                    "pass a file with --from")
    failures = []
    for year in vintages:
        url = CENSUS_URL.format(year=year, congress=congress, resolution=resolution)
        progress(f"cd{congress}: downloading {url}")
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / url.rsplit("/", 1)[1]
            try:
                _fetch(httpx, url, target, progress)
            except (httpx.HTTPError, OSError) as exc:
                failures.append(f"{url}: {exc}")
                continue
            districts = read_districts(target)
            source = {"kind": "census", "url": url, "vintage": year, "resolution": resolution,
                      "sha256": _sha256(target)}
            return write_cache(districts, source, progress)
    raise BoundariesUnavailable("; ".join(failures))


def _fetch(httpx, url: str, target: Path, progress) -> None:
    with httpx.stream("GET", url, timeout=httpx.Timeout(30, connect=10), follow_redirects=True) as response:
        response.raise_for_status()
        total = int(response.headers.get("content-length") or 0)
        done, reported = 0, 0.0
        with open(target, "wb") as handle:
            for chunk in response.iter_bytes(1 << 16):
                handle.write(chunk)
                done += len(chunk)
                if time.monotonic() - reported > 2:
                    reported = time.monotonic()
                    progress(f"  {done / 1e6:.1f} MB" + (f" of {total / 1e6:.1f} MB" if total else ""))


def obtain(congresses: list[int], from_file: Path | None = None, resolution: str = DEFAULT_RESOLUTION,
           if_missing: bool = False, progress=None) -> dict[int, str]:
    """Make boundaries of each Congress available in the cache; Congress -> what happened.
    A `from_file` is imported first (its Congress is read from the file); the rest are
    downloaded. Raises BoundariesUnavailable only when none of them is available afterwards."""
    progress = progress or (lambda message: None)
    outcome: dict[int, str] = {}
    if from_file is not None:
        same = [c for c in cached_congresses()
                if (b := cached(c)) is not None and b.manifest["source"].get("sha256") == _sha256(Path(from_file))]
        if if_missing and same:
            outcome[same[0]] = "already cached"
        else:
            manifest = import_file(from_file, progress)
            outcome[manifest["congress"]] = f"imported from {from_file}"
    for congress in congresses:
        if congress in outcome:
            continue
        if if_missing and cached(congress) is not None:
            outcome[congress] = "already cached"
            continue
        try:
            download(congress, resolution, progress)
            outcome[congress] = "downloaded"
        except BoundariesUnavailable as exc:
            outcome[congress] = f"not available ({exc})"
    if not any(cached(c) is not None for c in set(congresses) | set(outcome)):
        raise BoundariesUnavailable(
            "no district boundaries could be obtained: " + "; ".join(f"{c}th: {o}" for c, o in outcome.items())
            + ". Download cb_<year>_us_cd<congress>_5m.zip from the Census Bureau and run "
              "`python -m dashboard geo --from FILE`")
    return outcome


# ---------------------------------------------------------------------------------------------
# Reading the cache (the app): verified once per process and manifest version
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Boundaries:
    """One Congress's cached boundaries, verified against their checksums."""
    congress: int
    folder: Path
    manifest: dict
    centroids: dict[str, tuple[float, float]]

    def url(self, name: str) -> str:
        """Where the app serves a cached file; the checksum in the query makes it safe to cache
        for good in the browser (a new cache gives a new URL)."""
        return f"{URL_PREFIX}cd{self.congress}/{name}?v={self.manifest['files'][name][:12]}"

    def districts_url(self, state: str | None = None) -> str:
        return self.url(f"districts-{state}.geojson" if state else "districts-national.geojson")

    def states_url(self) -> str:
        return self.url("states-national.geojson")

    def has_state(self, state: str) -> bool:
        return f"districts-{state}.geojson" in self.manifest["files"]


URL_PREFIX = "/geo-files/"
_verified: dict[tuple[str, int], tuple[float, Boundaries | None]] = {}
_verify_lock = threading.Lock()


def cached(congress: int) -> Boundaries | None:
    """The cached boundaries of a Congress, or None when missing or failing their checksums."""
    folder = congress_dir(congress)
    manifest_path = folder / "manifest.json"
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
            if _sha256(folder / name) != digest:
                log.warning("geo cache %s: %s does not match its checksum; run `python -m dashboard geo`",
                            folder, name)
                return None
        centroids = {k: tuple(v) for k, v in json.loads((folder / "centroids.json").read_text()).items()}
    except (OSError, ValueError, KeyError) as exc:
        log.warning("geo cache %s is unreadable (%s); run `python -m dashboard geo`", folder, exc)
        return None
    return Boundaries(congress, folder, manifest, centroids)


def cached_congresses() -> list[int]:
    try:
        names = [p.name for p in geo_dir().iterdir()]
    except OSError:
        return []
    return sorted(int(n[2:]) for n in names if re.fullmatch(r"cd\d{2,3}", n))


def for_cycle(cycle: int) -> Boundaries | None:
    """Boundaries to draw a cycle's House map on: its own Congress's, else the nearest cached
    Congress's (a later one first: maps change less often than they stay), else None. The
    caller compares `.congress` with `geography.congress_for_cycle(cycle)` to say which it is."""
    wanted = geography.congress_for_cycle(cycle)
    candidates = sorted(cached_congresses(), key=lambda c: (abs(c - wanted), c < wanted))
    for congress in candidates:
        boundaries = cached(congress)
        if boundaries is not None:
            return boundaries
    return None


def file_path(congress: int, name: str) -> Path | None:
    """A cached file the app may serve (listed in a verified manifest), else None."""
    boundaries = cached(congress)
    if boundaries is None or name not in boundaries.manifest["files"]:
        return None
    return boundaries.folder / name
