"""House district boundaries and the ZCTA-to-district relationship: obtained from the Census
Bureau, normalized, cached under geo/.

    python -m dashboard geo [--cycle 2024 ...] [--from FILE] [--resolution 5m] [--if-missing]
                            [--zcta-from FILE] [--zip-crosswalk CSV] [--only boundaries|zcta]

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
against the manifest's checksums. Only `obtain()` and `obtain_zcta()` touch the network
(https://www2.census.gov).

The ZCTA-to-district relationship (second half of this module) places donors' ZIPs in House
districts: the Census file `tab20_cd<congress>20_zcta520_natl.txt` (pipe-delimited, UTF-8 with a
byte-order mark, one row per piece of a ZCTA in a district, with land areas) is reduced to
zcta5, state, district (FEC style) and land_weight = AREALAND_PART / AREALAND_ZCTA5_20, and cached
as geo/zcta-cd<congress>/ with its source's sha256. A list of ZCTA-district pairs without areas may
be imported instead (offline): land_weight is then NULL, and in-district money can only be given as
bounds (ZCTAs wholly inside .. ZCTAs touching the district).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.core import geography
from dashboard.store import files, layout
from dashboard.store.geo_cache import cached, cached_congresses, cached_zcta, nearest_congresses

if TYPE_CHECKING:
    import pandas as pd

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


# ---------------------------------------------------------------------------------------------
# The ZCTA-to-district relationship file
# ---------------------------------------------------------------------------------------------

ZCTA_URL = "https://www2.census.gov/geo/docs/maps-data/data/rel2020/cd-sld/tab20_cd{congress}20_zcta520_natl.txt"
# Congresses whose relationship file the Census published (2020 ZCTAs), and the checksum of the file
# as recorded when this was written (None: not recorded). A download whose checksum differs is still
# used when it parses as the file it should be (the Bureau re-issues files), but the manifest and the
# command say so. The 120th's (2026 lines) was not published: cycles 2026 use the 119th's, labelled.
ZCTA_FILES: dict[int, str | None] = {
    118: None,
    119: "57fad59f65af5179ddd18dcfb8f72482dc0cf04fe26e2b9b2b34c51c04405f77",
}
WEIGHTED = "census relationship file (land-area weights)"
PAIRS_WITHOUT_WEIGHTS = "pairs without weights"


class RelationshipUnavailable(RuntimeError):
    """No ZCTA-to-district relationship could be obtained or read; the message says what to do."""


def relationship_congress(congress: int) -> int | None:
    """The Congress whose relationship file serves `congress`: its own when published, else the
    nearest published one of the same apportionment (later first), else None."""
    usable = nearest_congresses(geography.cycle_for_congress(congress), ZCTA_FILES)
    return usable[0] if usable else None


def _header(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig") as handle:  # utf-8-sig: the Census file starts with a BOM
        first = handle.readline().strip()
    return first.split("|") if "|" in first else first.split(",")


def read_relationship(path: Path) -> tuple[int | None, pd.DataFrame, bool]:
    """(congress or None, table, weighted) from the Census relationship file or a pair list.
    The table has one row per ZCTA and district: zcta5, state (postal), district (FEC style: '00'
    at-large and for the delegates, which the Census codes '98'), land_weight. Of the Census file,
    the pieces outside every ZCTA, the 'ZZ' (no district, water) pieces and pieces with no land of a
    ZCTA that has land are dropped, and each ZCTA's weights are made to add up to 1. A pair list
    (state_fips/state_abbr, zcta, cd) has no areas: land_weight is NULL."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise RelationshipUnavailable(f"{path} does not exist")
    columns = _header(path)
    fips_to_state = _FIPS_TO_STATE
    official = next((re.fullmatch(r"GEOID_CD(\d{3})_20", c) for c in columns if c.startswith("GEOID_CD")), None)
    if official and {"GEOID_ZCTA5_20", "AREALAND_PART", "AREALAND_ZCTA5_20"} <= set(columns):
        congress = int(official.group(1))
        raw = pd.read_csv(path, sep="|", dtype=str, encoding="utf-8-sig", keep_default_na=False)
        raw = raw[raw["GEOID_ZCTA5_20"] != ""]
        geoid = raw[f"GEOID_CD{congress}_20"]
        frame = pd.DataFrame(
            {
                "zcta5": raw["GEOID_ZCTA5_20"].str.zfill(5),
                "state": geoid.str[:2].map(fips_to_state),
                "census_district": geoid.str[2:],
                "land_part": pd.to_numeric(raw["AREALAND_PART"]).astype(float),
                "land_zcta": pd.to_numeric(raw["AREALAND_ZCTA5_20"]).astype(float),
            }
        )
        frame = frame[frame["state"].notna() & (frame["census_district"] != "ZZ")]
        frame = frame[(frame["land_part"] > 0) | (frame["land_zcta"] == 0)]
        frame["district"] = frame["census_district"].replace({geography.DELEGATE_DISTRICT: "00"})
        frame = frame.groupby(["zcta5", "state", "district"], as_index=False)[["land_part"]].sum()
        total = frame.groupby("zcta5")["land_part"].transform("sum")
        pieces = frame.groupby("zcta5")["land_part"].transform("size")
        # a ZCTA of water only (no land anywhere) is shared equally among its districts
        frame["land_weight"] = (frame["land_part"] / total).where(total > 0, 1.0 / pieces)
        weighted = True
    elif {"zcta", "cd"} <= set(columns) and ({"state_abbr", "state_fips"} & set(columns)):
        congress = None
        raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        state = (
            raw["state_abbr"].str.upper() if "state_abbr" in raw else raw["state_fips"].str.zfill(2).map(fips_to_state)
        )
        frame = pd.DataFrame(
            {
                "zcta5": raw["zcta"].str.zfill(5),
                "state": state.where(state.isin(list(geography.STATES))),
                # cd 0 is at-large or a delegate, which FEC files as '00'
                "district": pd.to_numeric(raw["cd"], errors="coerce").astype("Int64").astype(str).str.zfill(2),
                "land_weight": float("nan"),
            }
        )
        frame = frame[frame["state"].notna() & frame["zcta5"].str.fullmatch(r"\d{5}") & (frame["district"] != "<NA>")]
        frame = frame.drop_duplicates(["zcta5", "state", "district"])
        weighted = False
    else:
        raise RelationshipUnavailable(
            f"{path} is neither the Census ZCTA-to-district relationship file (GEOID_CD<congress>_20, "
            "GEOID_ZCTA5_20, AREALAND_PART ...) nor a pair list (state_abbr or state_fips, zcta, cd)"
        )
    frame = frame[["zcta5", "state", "district", "land_weight"]].sort_values(["zcta5", "state", "district"])
    if frame.empty:
        raise RelationshipUnavailable(f"{path} holds no ZCTA of a House district")
    return congress, frame.reset_index(drop=True), weighted


def read_zip_crosswalk(path: Path) -> pd.DataFrame:
    """zip5, zcta5 from a USPS ZIP -> ZCTA crosswalk in UDS Mapper's layout (ZIP_CODE, ZCTA, ...);
    ZIPs without a ZCTA (territories' PO boxes) are left out, so they count as unknown."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise RelationshipUnavailable(f"{path} does not exist")
    raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    if not {"ZIP_CODE", "ZCTA"} <= set(raw.columns):
        raise RelationshipUnavailable(f"{path} is not a ZIP -> ZCTA crosswalk (columns ZIP_CODE and ZCTA)")
    frame = pd.DataFrame({"zip5": raw["ZIP_CODE"].str.zfill(5), "zcta5": raw["ZCTA"].str.strip()})
    frame = frame[frame["zip5"].str.fullmatch(r"\d{5}") & frame["zcta5"].str.fullmatch(r"\d{5}")]
    return frame.drop_duplicates("zip5").sort_values("zip5").reset_index(drop=True)


def write_zcta_cache(congress: int, table, weighted: bool, source: dict, crosswalk=None) -> dict:
    """Publish a relationship table (read_relationship) as geo/zcta-cd<congress>/; returns the manifest."""
    import pyarrow as pa

    final = layout.zcta_dir(congress)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"zcta-cd{congress}.partial-", dir=final.parent))
    try:
        checksums = {}
        schema = pa.schema(
            [("zcta5", pa.string()), ("state", pa.string()), ("district", pa.string()), ("land_weight", pa.float64())]
        )
        files.write_parquet(
            pa.Table.from_pandas(table, schema=schema, preserve_index=False), work / "zcta_districts.parquet"
        )
        checksums["zcta_districts.parquet"] = files.sha256(work / "zcta_districts.parquet")
        if crosswalk is not None:
            files.write_parquet(pa.Table.from_pandas(crosswalk, preserve_index=False), work / "zip_zcta.parquet")
            checksums["zip_zcta.parquet"] = files.sha256(work / "zip_zcta.parquet")
        split = table.groupby("zcta5").size()
        manifest = {
            "congress": congress,
            "weighted": weighted,
            "kind": WEIGHTED if weighted else PAIRS_WITHOUT_WEIGHTS,
            "n_pairs": len(table),
            "n_zctas": int(split.size),
            "n_split_zctas": int((split > 1).sum()),
            "states": sorted(table["state"].unique()),
            "zip_to_zcta": f"USPS ZIP -> ZCTA crosswalk {Path(source['crosswalk']['path']).name}"
            if source.get("crosswalk")
            else "ZIP5 taken as ZCTA5 (no crosswalk given)",
            "source": source,
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": checksums,
        }
        files.write_json(layout.manifest_path(work), manifest, indent=2)
        _swap_into_place(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def import_zcta_file(path: Path, congress: int | None = None, crosswalk: Path | None = None) -> dict:
    """Normalize and cache a local relationship file or pair list; returns its manifest. The
    Congress is read from the Census file's columns, else from the file name (`cd119`, `_119_`),
    else `congress`."""
    path = Path(path)
    found, table, weighted = read_relationship(path)
    named = re.search(r"(?:cd|_)(1\d\d)(?:\d\d)?_", path.name)
    congress = found or (int(named.group(1)) if named else None) or congress
    if congress is None:
        raise RelationshipUnavailable(f"which Congress's districts does {path} list? Pass --cycle")
    source = {"kind": "file", "path": str(path.resolve()), "sha256": files.sha256(path)}
    walk = None
    if crosswalk is not None:
        walk = read_zip_crosswalk(crosswalk)
        source["crosswalk"] = {"path": str(Path(crosswalk).resolve()), "sha256": files.sha256(Path(crosswalk))}
    return write_zcta_cache(congress, table, weighted, source, walk)


def download_zcta(congress: int, crosswalk: Path | None = None, progress=None) -> dict:
    """Download the Census relationship file of a Congress, check its checksum and cache it."""
    import httpx

    progress = progress or (lambda message: None)
    if congress not in ZCTA_FILES:
        raise RelationshipUnavailable(f"the Census published no ZCTA relationship file for the {congress}th Congress")
    url = ZCTA_URL.format(congress=congress)
    progress(f"zcta-cd{congress}: downloading {url}")
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / url.rsplit("/", 1)[1]
        try:
            _fetch(httpx, url, target, progress)
        except (httpx.HTTPError, OSError) as exc:
            raise RelationshipUnavailable(f"{url}: {exc}") from exc
        digest = files.sha256(target)
        expected = ZCTA_FILES[congress]
        found, table, weighted = read_relationship(target)
        if found != congress or not weighted:
            raise RelationshipUnavailable(f"{url} is not the {congress}th Congress's relationship file")
        source = {"kind": "census", "url": url, "sha256": digest, "expected_sha256": expected}
        source["checksum"] = "matches" if digest == expected else ("not recorded" if expected is None else "differs")
        if source["checksum"] == "differs":
            progress(f"zcta-cd{congress}: warning: sha256 {digest} differs from the recorded {expected} (re-issued?)")
        walk = None
        if crosswalk is not None:
            walk = read_zip_crosswalk(crosswalk)
            source["crosswalk"] = {"path": str(Path(crosswalk).resolve()), "sha256": files.sha256(Path(crosswalk))}
        return write_zcta_cache(congress, table, weighted, source, walk)


def obtain_zcta(
    congresses: list[int],
    from_file: Path | None = None,
    crosswalk: Path | None = None,
    if_missing: bool = False,
    progress=None,
) -> dict[int, str]:
    """Make the relationship serving each Congress available in the cache; Congress -> what
    happened. A `from_file` is imported (for the one Congress it lists) instead of downloading.
    Raises RelationshipUnavailable when none is available afterwards."""
    progress = progress or (lambda message: None)
    outcome: dict[int, str] = {}
    if from_file is not None:
        manifest = import_zcta_file(from_file, congresses[0] if len(congresses) == 1 else None, crosswalk)
        outcome[manifest["congress"]] = f"imported from {from_file} ({manifest['kind']})"
    else:
        for wanted in congresses:
            congress = relationship_congress(wanted)
            if congress is None:
                outcome[wanted] = "not available (no relationship file of its apportionment)"
                continue
            if congress in outcome:
                continue
            if if_missing and cached_zcta(congress) is not None:
                outcome[congress] = "already cached"
                continue
            try:
                manifest = download_zcta(congress, crosswalk, progress)
                outcome[congress] = f"downloaded (checksum {manifest['source']['checksum']})"
            except RelationshipUnavailable as exc:
                outcome[congress] = f"not available ({exc})"
    if not any(cached_zcta(c) is not None for c in outcome):
        raise RelationshipUnavailable(
            "no ZCTA-to-district relationship could be obtained: "
            + "; ".join(f"{c}th: {o}" for c, o in outcome.items())
            + ". Download tab20_cd11920_zcta520_natl.txt from the Census Bureau and run "
            "`python -m dashboard geo --only zcta --zcta-from FILE`"
        )
    return outcome
