"""Creates the Dash app that gunicorn serves (`app.py` at the top level calls it once).

Importing this module does nothing; `create_app` does the work. Nothing here touches the
database: each worker opens DuckDB on its first query, after gunicorn has forked it
(dashboard/app/db.py).
"""

from __future__ import annotations

import json
import logging
from html import escape

import dash
from dash import Input, Output, dcc, html
from dash._pages import _path_to_page  # Dash's own router: the shell's head names the page it will render
from flask import g, request
from flask_compress import Compress

from dashboard.app import answer_cache, bundles, headers, limits, links
from dashboard.app.api.feeds import feeds
from dashboard.app.api.http import api
from dashboard.app.callback_guard import guard_callbacks, refuse_invalid_value
from dashboard.app.components import errors
from dashboard.app.components.district_map import geo_files
from dashboard.app.components.header import header
from dashboard.app.health import health, serve_from_one_snapshot
from dashboard.core import config

log = logging.getLogger(__name__)

SITE_NAME = "Campaign finance dashboard"
SITE_DESCRIPTION = (
    "Money raised and spent in U.S. federal elections, race by race and candidate by candidate, "
    "from reports filed with the Federal Election Commission."
)

# Dash's default page, but in English, without a second <footer> around the scripts (each page has
# its own data footer, and two footers confuse screen readers' landmarks), and with a plain message
# for a browser without JavaScript instead of Dash's endless "Loading...".
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <noscript><style>._dash-loading { display: none; }</style></noscript>
    </head>
    <body>
        <noscript>
            <div class="noscript">
                <h1>Campaign finance dashboard</h1>
                <p>This site shows the money raised and spent in U.S. federal elections, from reports filed
                with the Federal Election Commission. Its pages and charts are drawn with JavaScript, which
                is turned off in this browser.</p>
                <p>Every number is also available without it, as CSV or JSON, from
                <a href="/api/v1/openapi.json">the data API</a> (its list of tables), for example
                <a href="/api/v1/races/top.csv">the races that raised the most (CSV)</a> and
                <a href="/api/v1/receipts.csv">itemized receipts (CSV)</a>.</p>
            </div>
        </noscript>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""

# Dash's pages router writes the rendered page's title into this store once a page is on screen.
PAGES_STORE = "_pages_store"
PAGE_SHOWN_STORE = "page-shown"
# Once a page is on screen:
# - After a move to another page inside the app (a link, back or forward), the browser keeps the focus
#   on the link that was followed, now gone: move it to the new page's heading, so a screen reader
#   announces the page and the next Tab starts in its content. The page first opened keeps the focus at
#   the top, where the skip link is; a change of the query alone (a filter, a sort) leaves it alone.
# - Dash titles a page from its path alone; an address whose query names nothing (a candidate in a
#   cycle they did not run in) shows the not-found page, and its tab says so too, as the shell did.
PAGE_SHOWN = """
function (_title) {
    const path = window.location.pathname;
    const moved = window.pageShownPath !== undefined && window.pageShownPath !== path;
    window.pageShownPath = path;
    const settle = (tries) => {
        const main = document.getElementById("main");
        if (!main) {
            if (tries > 0) { window.setTimeout(() => settle(tries - 1), 50); }
            return;
        }
        const heading = main.querySelector("h1");
        if (heading && heading.textContent.trim() === NOT_FOUND_TITLE) { document.title = NOT_FOUND_TITLE; }
        if (moved) {
            const target = heading || main;
            if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
            target.focus();
        }
    };
    window.requestAnimationFrame(() => window.setTimeout(() => settle(20), 0));
    return window.dash_clientside.no_update;
}
""".replace("NOT_FOUND_TITLE", json.dumps(errors.NOT_FOUND_TITLE))

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
        title=SITE_NAME,
        index_string=INDEX,
        include_pages_meta=False,  # the shell's <head> is written by _with_page_head
        serve_locally=True,  # every script from this server: no CDN
        suppress_callback_exceptions=True,  # pages add components after the first layout
        update_title=None,  # no flashing "Updating..." tab title
        on_error=_log_callback_error,
    )
    server = app.server
    limits.register(server)  # body size, per-client places, the costly searches' pool: before other hooks
    serve_from_one_snapshot(server)  # each request pinned to one snapshot; 503 while there is none
    server.register_blueprint(geo_files)  # base map and cached boundaries for the maps
    bundles.install(app)  # the partial plotly.js for charts; AG Grid's bundle only where a grid is drawn
    Compress(server)
    server.register_blueprint(api)  # /api/v1/: JSON and CSV twins, exports, openapi.json
    server.register_blueprint(feeds)  # /feeds/...atom: a race's, candidate's or committee's news
    guard_callbacks(app)  # malformed callback bodies: a plain 400 and one log line, before Dash reads them
    server.register_blueprint(health)  # /healthz (alive), /readyz (the served snapshot is whole)
    app.interpolate_index = _with_page_head(app.interpolate_index)
    server.after_request(_with_page_status)
    answer_cache.install(server)  # after Compress: keeps uncompressed answers, per snapshot
    server.register_error_handler(500, _internal_error)
    app.layout = html.Div(
        [
            dcc.Location(id="url"),
            header(),
            dash.page_container,  # each page brings its own banner, <main> and data footer
            dcc.Store(id=PAGE_SHOWN_STORE),
        ]
    )
    app.clientside_callback(PAGE_SHOWN, Output(PAGE_SHOWN_STORE, "data"), Input(PAGES_STORE, "data"))
    headers.protect(app)  # security headers and CSP on every answer; after the last inline script
    _warm_up(app)
    return app


def _with_page_head(interpolate):
    """The shell's <head> names the page the address will render, for link previews, tabs, search
    engines and feed readers, which read the HTML and run no script: its title (with the candidate's,
    committee's or donor's name, or the race), description and Open Graph tags, and the Atom feed of a
    race, candidate or committee. The page's `check` decides the shell's status (see errors.py)."""

    def interpolate_index(**parts):
        found, path_values = _path_to_page(request.path.strip("/"))
        if any("/" in value for value in (path_values or {}).values()):  # Dash's <value> spans segments
            found, path_values = {}, None  # /race/house/WA/01/2024/extra names no page: 404
        path_values = path_values or {}
        check, title = found.get("check"), found.get("title", SITE_NAME)
        g.page_status, subject = (
            errors.http_status(check, {**path_values, **request.args.to_dict()}) if found else (404, None)
        )
        if g.page_status in (400, 404):
            title, description = errors.NOT_FOUND_TITLE, SITE_DESCRIPTION
        else:
            # The check of a candidate, race, committee or donor page looked up its name: the title.
            title = subject if subject and getattr(title, "subject", None) is check else _resolve(title, path_values)
            description = _resolve(found.get("description"), path_values) or SITE_DESCRIPTION
        parts["title"] = escape(title)
        parts["metas"] = (
            parts.get("metas", "")
            + _meta_tags(title, description, request.url)
            + links.feed_link_tag(request.path)
            + headers.snapshot_meta_tag()
        )
        return interpolate(**parts)

    return interpolate_index


def _resolve(value, path_values: dict) -> str:
    """A page's title or description: a string, or a function of the address's path values."""
    return value(**path_values) if callable(value) else (value or "")


def _meta_tags(title: str, description: str, url: str) -> str:
    tags = [
        ("name", "description", description),
        ("property", "og:site_name", SITE_NAME),
        ("property", "og:type", "website"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary"),  # no preview image: the small card
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return "".join(f'<meta {kind}="{name}" content="{escape(content)}">' for kind, name, content in tags)


def _with_page_status(response):
    """The status `_with_page_head` decided for a page's shell: 404 for an address that names nothing,
    400 for an invalid value in it, with the friendly page as the content all the same."""
    status = g.pop("page_status", None)
    if status is not None and response.status_code == 200:
        response.status_code = status
    return response


def _log_callback_error(error: Exception) -> None:
    """Callbacks that fail leave the page as it was; the traceback goes to the log only. A value the
    parsers refuse (a crafted request) is a 400 with one log line instead."""
    refuse_invalid_value(error)
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
