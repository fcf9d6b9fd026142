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
a reader never sees half a cache; dashboard.store.geo_cache reads it and checks every file
against the manifest's checksums. Only `obtain()` touches the network (https://www2.census.gov).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from dashboard.core import geography
from dashboard.store import files, layout
from dashboard.store.geo_cache import cached, cached_congresses

CENSUS_URL = "https://www2.census.gov/geo/tiger/GENZ{year}/shp/cb_{year}_us_cd{congress}_{resolution}.zip"
# Congress -> GENZ vintages publishing its districts, newest first. The vintage cannot be computed
# from the Congress number (cd118 is in GENZ2022 and 2023, cd119 in 2024 and 2025); the 120th's
# is expected as cb_2026_us_cd120_* but was not published when this was written. The 113th-117th
# are the cycles 2012-2020 (the 2010 apportionment), whose maps cannot be drawn on later districts.
VINTAGES: dict[int, tuple[int, ...]] = {
    113: (2013,),
    114: (2015, 2014),
    115: (2017, 2016),
    116: (2019, 2018),
    117: (2021, 2020),
    118: (2023, 2022),
    119: (2025, 2024),
    120: (2026,),
}
RESOLUTIONS = ("500k", "5m", "20m")
DEFAULT_RESOLUTION = "5m"  # about 2 MB to download; detailed enough to zoom into a state

# Simplification tolerances (degrees, GEOS coverage simplification) and coordinate precision.
NATIONAL = {"tolerance": 0.05, "precision": 0.001}
DETAILED = {"tolerance": 0.004, "precision": 0.0001}

_FIPS_TO_STATE = {fips: state for state, (fips, *_rest) in geography.STATES.items()}


class BoundariesUnavailable(RuntimeError):
    """No boundary file could be obtained or read; the message says what to do."""


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
            f"{path} is not a Census congressional-district file (no STATEFP and CD<congress>FP columns)"
        )
    congress = int(district_column[2:5])
    # Census files are NAD83 (EPSG:4269): used as WGS84 degrees, as the Census and Plotly do
    # (the datums differ by 1-2 m, far below the files' generalization). Others are converted.
    if frame.crs is not None and frame.crs.to_epsg() not in (4326, 4269):
        frame = frame.to_crs("EPSG:4326")
    normalized = gpd.GeoDataFrame(
        {
            "state_fips": frame[columns["STATEFP"]].astype(str).str.zfill(2),
            "district": frame[district_column].astype(str).str.zfill(2),
            "congress": congress,
        },
        geometry=list(frame.geometry),
        crs="EPSG:4326",
    )
    normalized["state"] = normalized["state_fips"].map(_FIPS_TO_STATE)
    normalized = normalized[normalized["state"].notna() & (normalized["district"] != "ZZ")]
    normalized = normalized[~normalized.geometry.is_empty & normalized.geometry.notna()]
    normalized["geoid"] = normalized["state_fips"] + normalized["district"]
    normalized = normalized.dissolve(by="geoid", as_index=False, aggfunc="first")  # one row per district
    return (
        normalized[["geoid", "state_fips", "state", "district", "congress", "geometry"]]
        .sort_values("geoid")
        .reset_index(drop=True)
    )


def check_seats(districts) -> list[str]:
    """Differences between the file's districts per state and the seats of its Congress (the
    current apportionment when that Congress's is not recorded)."""
    problems = []
    counts = districts.groupby("state").size().to_dict()
    congress = int(districts["congress"].iloc[0])
    seats_of = geography.house_seats(geography.cycle_for_congress(congress)) or geography.house_seats()
    for state, seats in seats_of.items():
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

    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": id_, "properties": props, "geometry": json.loads(shapely.to_geojson(g))}
            for id_, props, g in zip(ids, properties, geometries)
        ],
    }


def _write_compact(path: Path, payload) -> str:
    """Compact JSON (the browser downloads these files); returns its sha256 for the manifest."""
    return files.write_json(path, payload, compact=True)


def write_cache(districts, source: dict, progress=None) -> dict:
    """Simplify `read_districts` output and publish it as geo/cd<congress>/; returns the manifest."""
    import shapely

    progress = progress or (lambda message: None)
    congress = int(districts["congress"].iloc[0])
    final = layout.congress_dir(congress)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"cd{congress}.partial-", dir=final.parent))
    try:
        props = [
            {
                "geoid": r.geoid,
                "state_fips": r.state_fips,
                "state": r.state,
                "district": r.district,
                "congress": congress,
            }
            for r in districts.itertuples()
        ]
        geometries = districts.geometry.values
        checksums: dict[str, str] = {}
        national = _clockwise(geometries, **NATIONAL)
        checksums["districts-national.geojson"] = _write_compact(
            work / "districts-national.geojson", _feature_collection(districts["geoid"], props, national)
        )
        progress(
            f"cd{congress}: national districts simplified ({int(shapely.get_num_coordinates(national).sum()):,} points)"
        )
        by_state = districts.assign(geometry=national).dissolve(by="state_fips", as_index=False, aggfunc="first")
        state_geometries = shapely.orient_polygons(
            _polygonal(shapely.make_valid(by_state.geometry.values)), exterior_cw=True
        )
        state_props = [
            {"geoid": r.state_fips, "state_fips": r.state_fips, "state": r.state, "congress": congress}
            for r in by_state.itertuples()
        ]
        checksums["states-national.geojson"] = _write_compact(
            work / "states-national.geojson", _feature_collection(by_state["state_fips"], state_props, state_geometries)
        )
        detailed = _clockwise(geometries, **DETAILED)
        for state in sorted(districts["state"].unique()):
            mask = (districts["state"] == state).to_numpy()
            name = f"districts-{state}.geojson"
            checksums[name] = _write_compact(
                work / name,
                _feature_collection(districts["geoid"][mask], [p for p, m in zip(props, mask) if m], detailed[mask]),
            )
        progress(
            f"cd{congress}: detailed districts of {districts['state'].nunique()} states written "
            f"({int(shapely.get_num_coordinates(detailed).sum()):,} points)"
        )
        # Centroids in an equal-area projection, so a long thin district's centre is where it looks.
        centres = districts.to_crs("EPSG:5070").centroid.to_crs("EPSG:4326")
        centroids = {g: [round(p.x, 4), round(p.y, 4)] for g, p in zip(districts["geoid"], centres)}
        checksums["centroids.json"] = _write_compact(work / "centroids.json", centroids)
        manifest = {
            "congress": congress,
            "n_districts": len(districts),
            "states": sorted(districts["state"].unique()),
            "seat_differences": check_seats(districts),
            "source": source,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "national": NATIONAL,
            "detailed": DETAILED,
            "files": checksums,
        }
        files.write_json(layout.manifest_path(work), manifest, indent=2)
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
    source = {"kind": "file", "path": str(path.resolve()), "sha256": files.sha256(path)}
    return write_cache(districts, source, progress)


def download(congress: int, resolution: str = DEFAULT_RESOLUTION, progress=None) -> dict:
    """Download the Census file of a Congress's districts (newest vintage first) and cache it."""
    import httpx

    progress = progress or (lambda message: None)
    vintages = VINTAGES.get(congress)
    if not vintages:
        raise BoundariesUnavailable(
            f"no Census vintage is known for the {congress}th Congress; pass a file with --from"
        )
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
            source = {
                "kind": "census",
                "url": url,
                "vintage": year,
                "resolution": resolution,
                "sha256": files.sha256(target),
            }
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


def obtain(
    congresses: list[int],
    from_file: Path | None = None,
    resolution: str = DEFAULT_RESOLUTION,
    if_missing: bool = False,
    progress=None,
) -> dict[int, str]:
    """Make boundaries of each Congress available in the cache; Congress -> what happened.
    A `from_file` is imported first (its Congress is read from the file); the rest are
    downloaded. Raises BoundariesUnavailable only when none of them is available afterwards."""
    progress = progress or (lambda message: None)
    outcome: dict[int, str] = {}
    if from_file is not None:
        same = [
            c
            for c in cached_congresses()
            if (b := cached(c)) is not None and b.manifest["source"].get("sha256") == files.sha256(Path(from_file))
        ]
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
            "no district boundaries could be obtained: "
            + "; ".join(f"{c}th: {o}" for c, o in outcome.items())
            + ". Download cb_<year>_us_cd<congress>_5m.zip from the Census Bureau and run "
            "`python -m dashboard geo --from FILE`"
        )
    return outcome
