"""The JavaScript a first load downloads, kept to what the page draws (issue 15: under 1 MB).

- **plotly.js, only our trace types.** dcc.Graph loads plotly.js itself, on a page with a chart only,
  from the address Dash's renderer names (with `serve_locally`, `plotly/package_data/plotly.min.js`:
  4.8 MB, every trace type). That address answers here with a partial bundle of plotly.js, the same
  version, with only the trace types our figures draw (1.4 MB; 394 KB as brotli). It is built
  from `devtools/plotly_bundle/` (`make plotly-bundle`, which needs node; serving does not) into
  `static/plotly/`, beside plotly.js's licence; tests/unit/app/test_plotly_bundle.py checks that every
  trace type a figure makes is in it and that its version is the one the plotly package ships.
- **AG Grid only where a grid is drawn.** dash_ag_grid's bundle (1.3 MB) would be in every page's
  scripts; it is left out of them (a "dynamic" resource, still served) and a small stand-in
  (`static/ag_grid_on_demand.js`) loads it when the receipts explorer first draws a grid.

Both answers carry an ETag, so a browser revalidates them instead of downloading them again. The
plotly.js bundle goes to browsers that take brotli as the build compressed it, at brotli's best (394 KB
instead of about 480 KB compressed on the fly); to other clients, and the stand-in to all, Flask-Compress
compresses them like any other script.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dash
import dash_ag_grid
from flask import Response, request

STATIC = Path(__file__).parent / "static"
PLOTLY_BUNDLE = STATIC / "plotly" / "plotly-partial.min.js"
PLOTLY_BUNDLE_BROTLI = PLOTLY_BUNDLE.with_name(PLOTLY_BUNDLE.name + ".br")  # the same, compressed by the build
# Where Dash's renderer tells dcc.Graph to fetch plotly.js from when scripts are served locally.
DASH_PLOTLY_PATH = "_dash-component-suites/plotly/package_data/plotly.min.js"
AG_GRID_STAND_IN = STATIC / "ag_grid_on_demand.js"
# Beside the package's own files: a static script like them (no snapshot, no 503 before the first one).
AG_GRID_STAND_IN_PATH = "_dash-component-suites/dash_ag_grid/on_demand.js"
AG_GRID_BUNDLE = "dash_ag_grid.min.js"  # in dash_ag_grid's package; its async chunks load as they did


def install(app: dash.Dash) -> None:
    """Serve the partial plotly.js and the AG Grid stand-in, and take AG Grid out of every page's scripts."""
    prefix = app.config.routes_pathname_prefix
    _serve(app, prefix + DASH_PLOTLY_PATH, "partial_plotly_js", PLOTLY_BUNDLE.read_bytes(), PLOTLY_BUNDLE_BROTLI)
    _serve(app, prefix + AG_GRID_STAND_IN_PATH, "ag_grid_stand_in", AG_GRID_STAND_IN.read_bytes())
    for resource in dash_ag_grid._js_dist:
        if resource.get("relative_package_path") == AG_GRID_BUNDLE:
            resource["dynamic"] = True  # served when asked for, not written into the page
    app.scripts.append_script(
        {
            "external_url": app.config.requests_pathname_prefix + AG_GRID_STAND_IN_PATH,
            "external_only": True,
            "attributes": {
                "data-bundle": f"{app.config.requests_pathname_prefix}_dash-component-suites/dash_ag_grid/"
                + AG_GRID_BUNDLE
            },
        }
    )


def _serve(app: dash.Dash, path: str, endpoint: str, body: bytes, brotli: Path | None = None) -> None:
    """`path` answers `body` as JavaScript with a strong ETag, or its `brotli` copy to a client that takes
    br. A route without variable parts, so it wins over Dash's `_dash-component-suites/<package>/<path>`
    for the same address."""
    etag = hashlib.sha256(body).hexdigest()[:32]
    compressed = brotli.read_bytes() if brotli else None

    def script() -> Response:
        if compressed and request.accept_encodings["br"]:
            response = Response(compressed, mimetype="application/javascript")
            response.headers["Content-Encoding"] = "br"  # Flask-Compress leaves an encoded answer alone
            response.set_etag(f"{etag}:br")  # as Flask-Compress names a compressed answer's ETag
        else:  # Flask-Compress compresses it, adds the encoding to the ETag and answers its own 304s
            response = Response(body, mimetype="application/javascript")
            response.set_etag(etag)
        response.vary.add("Accept-Encoding")
        response.cache_control.no_cache = True  # the address has no version in it: revalidate (a 304)
        return response.make_conditional(request)

    app.server.add_url_rule(path, endpoint=endpoint, view_func=script)
