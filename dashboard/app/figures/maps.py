"""The district map: a choropleth on Census boundaries, and a tile grid needing no boundaries.

Both colour seats from `queries.maps.map_rows` by one metric in the classes of `map_classes`.
Every drawn seat carries its race page's path in `customdata`, so a click can open it.

Figures are plain dicts (a go.Figure of this size costs ~0.5 s to build and serialize). The
choropleth does not embed geometry: its `geojson` is the URL of the cached boundaries, served by
this app, which the browser fetches once and caches; the figure carries only values and text.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import labels, links
from dashboard.app.figures import theme, tilegrid
from dashboard.app.figures.map_classes import METRICS, NO_DATA_COLOUR, OUTLINE_COLOUR, Classes, Metric
from dashboard.core import geography

# --------------------------------------------------------------------------------------------
# Hover text and shared pieces
# --------------------------------------------------------------------------------------------


def seat_name(office: str, state: str, district: str) -> str:
    return links.race_label(office, state, district).removeprefix("House ").removeprefix("Senate ")


def hover_text(row: dict, metric: Metric, cycle: int) -> str:
    office = row["office"]
    title = f"<b>{seat_name(office, row['state'], row['district'])}</b>"
    if not row["has_race"]:
        why = (
            "no Senate seat up"
            if office == "S" and row["state"] not in geography.senate_states(cycle)
            else "no candidates filed"
        )
        return f"{title}<br>{why} in {cycle}"
    lines = [title, f"{metric.label}: {metric.exact(row[metric.key])}"]
    for name, party, receipts in row["top_candidates"]:
        lines.append(f"{theme.plain(name)} ({theme.plain(party or '?')}) {labels.money_short(receipts)}")
    more = int(row["n_candidates"]) - len(row["top_candidates"])
    if more > 0:
        lines.append(f"and {more} more")
    lines.append("Click to open the race")
    return "<br>".join(lines)


def _class_z(classes: Classes, values) -> list[float]:
    """The z of each seat: the middle of its colour band (band 0 is 'no data')."""
    return [0.5 if (i := classes.index(v)) is None else i + 1.5 for v in values]


def _colourscale(classes: Classes) -> list:
    colours = (NO_DATA_COLOUR, *classes.colours)
    size = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / size, colour], [(i + 1) / size, colour]]
    return scale


def _layout(height: int, **extra) -> dict:
    layout = theme.base_layout(
        height=height, margin={"l": 0, "r": 0, "t": 0, "b": 0}, dragmode=False, showlegend=False, hovermode="closest"
    )
    layout.pop("xaxis"), layout.pop("yaxis")
    layout.update(extra)
    return layout


def _rows(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records")


# --------------------------------------------------------------------------------------------
# Choropleth on boundaries
# --------------------------------------------------------------------------------------------

_GEO_OFF = {
    "showland": False,
    "showlakes": False,
    "showocean": False,
    "showcoastlines": False,
    "showcountries": False,
    "showsubunits": False,
    "showrivers": False,
    "showframe": False,
    "bgcolor": "rgba(0,0,0,0)",
}
INSET_STATES = ("PR",)  # outside Plotly's Albers USA projection: drawn in their own inset


def choropleth(
    frame: pd.DataFrame,
    metric_key: str,
    classes: Classes,
    cycle: int,
    shapes_url: str,
    outlines_url: str | None = None,
    state: str | None = None,
) -> dict:
    """The map as a figure dict. `frame` is `map_rows` (House: one row per district, drawn
    from `shapes_url` with feature ids = geoid; Senate: one row per state, shapes = states).
    `outlines_url` (state outlines) is drawn over a national House map. With `state` the map
    zooms to that state's shapes."""
    metric = METRICS[metric_key]
    rows = _rows(frame)
    z = _class_z(classes, [r[metric.key] for r in rows])

    def trace(selected: list[int], geo: str) -> dict:
        return {
            "type": "choropleth",
            "geo": geo,
            "geojson": shapes_url,
            "featureidkey": "id",
            "locations": [rows[i]["geoid"] for i in selected],
            "z": [z[i] for i in selected],
            "zmin": 0,
            "zmax": len(classes.colours) + 1,
            "colorscale": _colourscale(classes),
            "showscale": False,
            "marker": {"line": {"color": "#ffffff", "width": 0.6 if state else 0.3}},
            "hovertext": [hover_text(rows[i], metric, cycle) for i in selected],
            "hoverinfo": "text",
            "customdata": [rows[i]["race_path"] for i in selected],
            "name": metric.label,
        }

    if state:
        projection = "albers usa" if state in ("AK", "HI") else "mercator"
        geo = {**_GEO_OFF, "projection": {"type": projection}, "fitbounds": "locations", "visible": False}
        # A state's map pans and zooms (drag, pinch, the page's zoom buttons): on a phone the
        # districts of a city are too small to tap until zoomed in.
        return {"data": [trace(list(range(len(rows))), "geo")], "layout": _layout(480, geo=geo, dragmode="pan")}
    main = [i for i, r in enumerate(rows) if r["state"] not in INSET_STATES]
    inset = [i for i, r in enumerate(rows) if r["state"] in INSET_STATES]
    data = [trace(main, "geo")]
    layout = _layout(
        520,
        geo={**_GEO_OFF, "scope": "usa", "projection": {"type": "albers usa"}, "domain": {"x": [0, 1], "y": [0.04, 1]}},
    )
    if outlines_url:
        states = sorted({r["state"] for r in rows if r["state"] not in INSET_STATES})
        data.append(
            {
                "type": "choropleth",
                "geo": "geo",
                "geojson": outlines_url,
                "featureidkey": "id",
                "locations": [geography.STATES[s][0] for s in states],
                "z": [0] * len(states),
                "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                "showscale": False,
                "marker": {"line": {"color": OUTLINE_COLOUR, "width": 0.9}},
                "hoverinfo": "skip",
            }
        )
    if inset:
        data.append(trace(inset, "geo2"))
        layout["geo2"] = {
            **_GEO_OFF,
            "projection": {"type": "mercator"},
            "fitbounds": "locations",
            "domain": {"x": [0.80, 0.92], "y": [0.0, 0.12]},
        }
    return {"data": data, "layout": layout}


# --------------------------------------------------------------------------------------------
# Tile grid
# --------------------------------------------------------------------------------------------


def tile_grid(
    frame: pd.DataFrame, metric_key: str, classes: Classes, cycle: int, centroids: dict | None = None, geoid_of=None
) -> dict:
    """Every seat of `frame` one equal square (House: districts in state blocks; Senate: one
    square per state), as a heatmap; states outlined and labelled."""
    metric = METRICS[metric_key]
    rows = _rows(frame)
    office = rows[0]["office"] if rows else "H"
    if office == "H":
        # The blocks hold the seats of the cycle's own apportionment (2016: OH-16, no MT-02); before
        # the 2000 census's, which is not recorded, the seats the rows have.
        seat_list = (
            geography.house_districts(cycle)
            if geography.house_seats(cycle) is not None
            else [(r["state"], r["district"]) for r in rows]
        )
        tiles = tilegrid.district_tiles(centroids, geoid_of, seat_list)
        cell_of = {i: tiles[(r["state"], r["district"])] for i, r in enumerate(rows)}
        outline_tiles = {(r["state"], r["district"]): cell_of[i] for i, r in enumerate(rows)}
    else:
        tiles_s = tilegrid.state_tiles()
        cell_of = {i: tiles_s[r["state"]] for i, r in enumerate(rows)}
        outline_tiles = {(r["state"], "00"): cell_of[i] for i, r in enumerate(rows)}
    xs = sorted({c[0] for c in cell_of.values()})
    ys = sorted({c[1] for c in cell_of.values()})
    x_index = {x: i for i, x in enumerate(range(xs[0], xs[-1] + 1))}
    y_index = {y: i for i, y in enumerate(range(ys[0], ys[-1] + 1))}
    width, height = len(x_index), len(y_index)
    z = [[None] * width for _ in range(height)]
    text = [[None] * width for _ in range(height)]
    custom = [[None] * width for _ in range(height)]
    z_values = _class_z(classes, [r[metric.key] for r in rows])
    for i, (cx, cy) in cell_of.items():
        yi, xi = y_index[cy], x_index[cx]
        z[yi][xi] = z_values[i]
        text[yi][xi] = hover_text(rows[i], metric, cycle)
        custom[yi][xi] = rows[i]["race_path"]
    single_state = len({r["state"] for r in rows}) == 1
    gap = 3 if single_state else 1
    data = [
        {
            "type": "heatmap",
            "x": list(x_index),
            "y": list(y_index),
            "z": z,
            "text": text,
            "customdata": custom,
            "hoverinfo": "text",
            "hoverongaps": False,
            "zmin": 0,
            "zmax": len(classes.colours) + 1,
            "colorscale": _colourscale(classes),
            "showscale": False,
            "xgap": gap,
            "ygap": gap,
            "name": metric.label,
        }
    ]
    outline_x, outline_y = tilegrid.block_outlines(outline_tiles)
    data.append(
        {
            "type": "scatter",
            "mode": "lines",
            "x": outline_x,
            "y": outline_y,
            "hoverinfo": "skip",
            "line": {"color": OUTLINE_COLOUR, "width": 1.5 if not single_state else 2},
        }
    )
    labels_at = _tile_labels(rows, cell_of, single_state)
    data.append(
        {
            "type": "scatter",
            "mode": "text",
            "x": [p[0] for p in labels_at],
            "y": [p[1] for p in labels_at],
            "text": [p[2] for p in labels_at],
            "hoverinfo": "skip",
            "textfont": {
                "size": 16 if single_state else 10,
                "color": "#000000",
                "shadow": "0 0 3px #ffffff, 0 0 3px #ffffff",
            },
        }
    )
    axis = {"visible": False, "fixedrange": True}
    layout = _layout(
        min(640, max(320, 34 * height)) if not single_state else 120 + 60 * height,
        xaxis={**axis, "range": [xs[0] - 0.6, xs[-1] + 0.6]},
        yaxis={**axis, "scaleanchor": "x", "range": [ys[0] - 0.6, ys[-1] + 0.6]},
        plot_bgcolor="#ffffff",
    )
    return {"data": data, "layout": layout}


def _tile_labels(rows, cell_of, single_state: bool) -> list[tuple[float, float, str]]:
    """State codes at the middle of each block; on a one-state grid, district numbers."""
    if single_state:
        return [
            (cell_of[i][0], cell_of[i][1], r["district"] if r["office"] == "H" else r["state"])
            for i, r in enumerate(rows)
        ]
    cells: dict[str, list] = {}
    for i, r in enumerate(rows):
        cells.setdefault(r["state"], []).append(cell_of[i])
    placed = []
    for state, members in cells.items():
        mx = sum(c[0] for c in members) / len(members)
        my = sum(c[1] for c in members) / len(members)
        cx, cy = min(members, key=lambda c: ((c[0] - mx) ** 2 + (c[1] - my) ** 2, c))
        placed.append((cx, cy, state))
    return placed
