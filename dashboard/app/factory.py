"""Creates the Dash app that gunicorn serves (`app.py` at the top level calls it once).

Importing this module does nothing; `create_app` does the work. Nothing here touches the
database: each worker opens DuckDB on its first query, after gunicorn has forked it
(dashboard/app/db.py).
"""

from __future__ import annotations

import logging

import dash
from dash import dcc, html
from flask import request
from flask_compress import Compress

from dashboard.app import links
from dashboard.app.api.feeds import feeds
from dashboard.app.api.http import api
from dashboard.app.components.district_map import geo_files
from dashboard.app.components.header import header
from dashboard.core import config

log = logging.getLogger(__name__)

# Dash's default page, but in English and without a second <footer> around the scripts (each
# page has its own data footer, and two footers confuse screen readers' landmarks).
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""

PROBLEM_PAGE = (
    "<!DOCTYPE html><html lang='en'><title>Something went wrong</title>"
    "<h1>Something went wrong</h1><p>The problem has been logged. "
    "<a href='/'>Go to the home page</a>.</p></html>"
)


def create_app(import_name: str) -> dash.Dash:
    """The app, its routes and its pages. `import_name` is the module beside `pages/` and
    `assets/` (Dash finds both relative to it)."""
    logging.basicConfig(level=config.get("LOG_LEVEL").upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = dash.Dash(
        import_name,
        use_pages=True,
        pages_folder="pages",
        title="Campaign finance dashboard",
        index_string=INDEX,
        serve_locally=True,  # every script from this server: no CDN
        suppress_callback_exceptions=True,  # pages add components after the first layout
        update_title=None,  # no flashing "Updating..." tab title
        on_error=_log_callback_error,
    )
    server = app.server
    server.register_blueprint(geo_files)  # base map and cached boundaries for the maps
    Compress(server)
    server.register_blueprint(api)  # /api/v1/: JSON and CSV twins, exports, openapi.json
    server.register_blueprint(feeds)  # /feeds/...atom: a race's, candidate's or committee's news
    app.interpolate_index = _with_feed_link(app.interpolate_index)
    server.register_error_handler(500, _internal_error)
    app.layout = html.Div(
        [
            dcc.Location(id="url"),
            header(),
            dash.page_container,  # each page brings its own banner, <main> and data footer
        ]
    )
    _warm_up(app)
    return app


def _with_feed_link(interpolate):
    """Race, candidate and committee pages name their Atom feed in <head>, where feed readers look
    for it (a page's own layout renders inside <body>, in the browser)."""

    def interpolate_index(**parts):
        parts["metas"] = parts.get("metas", "") + links.feed_link_tag(request.path)
        return interpolate(**parts)

    return interpolate_index


def _log_callback_error(error: Exception) -> None:
    """Callbacks that fail leave the page as it was; the traceback goes to the log only."""
    log.error("callback failed", exc_info=error)


def _internal_error(_error):
    # Flask has already logged the traceback; the visitor gets a plain apology, no details.
    return PROBLEM_PAGE, 500


def _warm_up(app: dash.Dash) -> None:
    """Serve one page inside the process before real traffic (Dash issue 3971: a threaded
    worker could otherwise answer 500 for its JavaScript bundles on the first load)."""
    response = app.server.test_client().get("/")
    if response.status_code != 200:
        log.warning("warm-up request answered %s", response.status_code)
