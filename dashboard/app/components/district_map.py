"""The district map as a page section: notices, legend, and a graph whose click opens the race;
and the files its geo traces read from this server.

Plotly's `geo` traces download a base-map TopoJSON from cdn.plot.ly at run time. Our maps draw
every shape from the cached Census boundaries and switch all base-map layers off, so the base
map they fetch (through `topojsonURL`) is a blank topology this app serves itself: nothing comes
from the internet, and there is no Natural Earth file to obtain. The cached boundaries are
served under /geo-files/cd<congress>/ with long-lived caching (their URLs carry a checksum).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from dash import MATCH, Input, Output, callback, dcc, html, no_update
from flask import Blueprint, abort, send_file

from dashboard.app.figures import map_classes
from dashboard.app.figures import maps as map_figures
from dashboard.app.figures.theme import GRAPH_CONFIG
from dashboard.core import geography
from dashboard.store import geo_cache

URL_PREFIX = "/geo-files/"
BASEMAP_URL = f"{URL_PREFIX}basemap/"
MAP_CONFIG = {
    **GRAPH_CONFIG,
    "topojsonURL": BASEMAP_URL,
    "scrollZoom": False,
    "modeBarButtonsToRemove": GRAPH_CONFIG["modeBarButtonsToRemove"] + ["zoomInGeo", "zoomOutGeo"],
}
_BASE_LAYERS = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
BLANK_TOPOLOGY = json.dumps(
    {
        "type": "Topology",
        "arcs": [],
        "bbox": [-180, -90, 180, 90],
        "objects": {name: {"type": "GeometryCollection", "geometries": []} for name in _BASE_LAYERS},
    }
)
YEAR = 365 * 24 * 3600

geo_files = Blueprint("geo_files", __name__, url_prefix=URL_PREFIX.rstrip("/"))


@geo_files.get("/basemap/<name>_<int:resolution>m.json")
def basemap(name: str, resolution: int):
    return BLANK_TOPOLOGY, 200, {"Content-Type": "application/json", "Cache-Control": f"public, max-age={YEAR}"}


@geo_files.get("/cd<int:congress>/<name>")
def boundaries(congress: int, name: str):
    path = geo_cache.file_path(congress, name)  # only files a verified manifest lists
    if path is None:
        abort(404)
    # Sent as application/json, a type the app's compression knows (geo+json is not on its list): the
    # national districts shrink from 330 KB to about a third over the wire.
    return send_file(path, mimetype="application/json", max_age=YEAR)


def file_url(boundaries: geo_cache.Boundaries, name: str) -> str:
    """Where `boundaries()` serves a cached file; the checksum in the query makes it safe to
    cache for good in the browser (a new cache gives a new URL)."""
    return f"{URL_PREFIX}cd{boundaries.congress}/{name}?v={boundaries.manifest['files'][name][:12]}"


def districts_url(boundaries: geo_cache.Boundaries, state: str | None = None) -> str:
    return file_url(boundaries, f"districts-{state}.geojson" if state else "districts-national.geojson")


def states_url(boundaries: geo_cache.Boundaries) -> str:
    return file_url(boundaries, "states-national.geojson")


def map_graph(name: str, figure: dict):
    """The graph plus the (invisible) location its click navigates. Screen readers and
    keyboards get the same seats, numbers and links from the table twin next to it."""
    return html.Div(
        [
            dcc.Graph(
                id={"type": "map-graph", "name": name},
                figure=figure,
                config=MAP_CONFIG,
                className="map-graph",
                clear_on_unhover=True,
            ),
            dcc.Location(id={"type": "map-navigate", "name": name}, refresh="callback-nav"),
        ],
        className="map-frame",
    )


@callback(
    Output({"type": "map-navigate", "name": MATCH}, "href"),
    Input({"type": "map-graph", "name": MATCH}, "clickData"),
    prevent_initial_call=True,
)
def open_clicked_race(click):
    """A click on a seat opens its race page (its path is the point's customdata)."""
    points = (click or {}).get("points") or []
    target = points[0].get("customdata") if points else None
    if isinstance(target, list):
        target = target[0] if target else None
    if isinstance(target, str) and target.startswith("/race/"):
        return target
    return no_update


def no_boundaries_notice(cycle: int, other_seats: bool = False) -> list:
    """Why the map is a tile grid and the command that fixes it. `other_seats`: boundaries are
    installed, but none of the cycle's apportionment (theirs have other numbers of seats per state)."""
    first, last = geography.apportionment_cycles(cycle)
    years = f"{first}-{last}" if last is not None and last != first else f"{first} on" if last is None else f"{first}"
    if other_seats:
        installed = geo_cache.cached_congresses()
        why = (
            f"District boundaries of {years} are not downloaded on this server, so the map is drawn as a tile "
            f"grid: the boundaries installed ({', '.join(_ordinal(c) + ' Congress' for c in installed)}) have "
            f"other numbers of seats per state than {cycle}. To draw it on real boundaries run "
        )
    else:
        why = (
            "District boundaries are not installed on this server, so the map is drawn as a tile grid. "
            "To draw it on real boundaries run "
        )
    return [
        why,
        html.Code(f"python -m dashboard geo --cycle {cycle}"),
        " (downloads the Census Bureau's cartographic boundary file), or ",
        html.Code(f"python -m dashboard geo --from cb_<year>_us_cd{geography.congress_for_cycle(cycle)}_5m.zip"),
        " with a file you have.",
    ]


def legend_block(items: list[map_classes.LegendItem], metric: map_classes.Metric):
    return html.Figure(
        [
            html.Figcaption(metric.legend_title, className="legend-title"),
            html.Ul(
                [
                    html.Li(
                        [html.Span(className="swatch", style={"background": item.colour}), item.label],
                        className="legend-item",
                        **{
                            "data-colour": item.colour,
                            "data-low": "" if item.low is None else repr(item.low),
                            "data-high": "" if item.high is None else repr(item.high),
                        },
                    )
                    for item in items
                ],
                className="legend-items",
            ),
        ],
        className="map-legend",
    )


@dataclass(frozen=True)
class DrawnMap:
    """One map as drawn: its figure, the view drawn (the tile grid when boundaries are missing), the
    notices that explain it, its legend, and `shape`: what must be equal for a new map to be the
    old one with other values (same view, seats and geometry), so a Patch of values can replace it."""

    figure: dict
    view: str
    notices: list
    legend: list[map_classes.LegendItem]
    shape: str


def draw_map(cycle: int, office: str, metric_key: str, view: str, state: str | None, rows, class_values=None):
    """The map of `rows` (queries.maps.map_rows) as a DrawnMap. Colour classes come from
    `class_values` (e.g. the whole country's values, so a state's map uses the national colours),
    else from `rows`."""
    metric = map_classes.METRICS[metric_key]
    values = rows.loc[rows["has_race"], metric_key] if class_values is None else class_values
    classes = map_classes.classify(values, integer=metric.integer)
    notices = []
    boundaries = geo_cache.for_cycle(cycle, states_only=office == "S")
    other_seats = boundaries is None and bool(geo_cache.cached_congresses())
    if boundaries is not None and state and not boundaries.has_state(state):
        boundaries = None
    if view == "geo" and boundaries is None:
        notices.append(html.P(no_boundaries_notice(cycle, other_seats), className="notice"))
        view = "hex"
    wanted = geography.congress_for_cycle(cycle)
    # A Senate map draws state outlines only, which every Congress's boundaries have the same.
    if boundaries is not None and boundaries.congress != wanted and office == "H":
        notices.append(
            html.P(
                f"Drawn on the districts of the {_ordinal(boundaries.congress)} Congress: the boundaries of the "
                f"{_ordinal(wanted)} Congress (elected in {cycle}) are not installed on this server.",
                className="notice",
            )
        )
    if view == "geo":
        if office == "H":
            shapes = [districts_url(boundaries, state), None if state else states_url(boundaries)]
        else:
            shapes = [states_url(boundaries), None]
        figure = map_figures.choropleth(rows, metric_key, classes, cycle, shapes[0], shapes[1], state=state)
    else:
        shapes = []
        centroids = boundaries.centroids if boundaries is not None else None
        figure = map_figures.tile_grid(rows, metric_key, classes, cycle, centroids, geography.geoid)
    seats = hashlib.sha256("|".join(rows["geoid"]).encode()).hexdigest()[:16]
    shape = json.dumps([view, office, state, shapes, seats])
    return DrawnMap(figure, view, notices, map_classes.legend(classes, metric), shape)


# What a Patch of a drawn map's seat traces changes: the values, colours and words, never the geometry.
SEAT_TRACE_FIELDS = ("z", "zmax", "colorscale", "hovertext", "text", "customdata", "name")


def seat_trace_values(figure: dict) -> dict[int, dict]:
    """Per trace index, the fields of SEAT_TRACE_FIELDS of every trace that draws seats (those
    carrying race paths in customdata); outlines and labels stay as drawn."""
    return {
        i: {field: trace[field] for field in SEAT_TRACE_FIELDS if field in trace}
        for i, trace in enumerate(figure["data"])
        if trace.get("customdata") is not None
    }


def map_section(
    name: str, cycle: int, office: str, metric_key: str, view: str, state: str | None, rows, class_values=None
):
    """Notices, legend and the map of `rows` (see draw_map), and the view drawn."""
    drawn = draw_map(cycle, office, metric_key, view, state, rows, class_values)
    metric = map_classes.METRICS[metric_key]
    return [*drawn.notices, legend_block(drawn.legend, metric), map_graph(name, drawn.figure)], drawn.view


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
