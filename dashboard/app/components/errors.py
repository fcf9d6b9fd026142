"""Friendly pages for what goes wrong: a bad or unknown address, no data yet, a failure.

`friendly_layout` wraps a page's layout function so a visitor never sees a traceback: a bad
parameter or an unknown id gives the not-found content, a missing snapshot says how to build
one, and anything else is logged and answered with a short apology.
"""

from __future__ import annotations

import functools
import logging

from dash import dcc, html

from dashboard.app import db
from dashboard.app.components.shell import page
from dashboard.core import params

log = logging.getLogger(__name__)


class PageNotFound(LookupError):
    """The address is well formed but names nothing in the data (e.g. an unknown candidate).
    `suggestions` are (label, href) pairs of the closest things that do exist."""

    def __init__(self, reason: str, suggestions: list[tuple[str, str]] | None = None):
        super().__init__(reason)
        self.suggestions = list(suggestions or [])


def not_found(reason: str | None = None, suggestions: list[tuple[str, str]] | None = None):
    closest = None
    if suggestions:
        closest = html.Section(
            [
                html.H2("Closest matches"),
                html.Ul(
                    [html.Li(dcc.Link(label, href=href)) for label, href in suggestions], className="closest-matches"
                ),
            ]
        )
    return page(
        html.H1("Page not found"),
        html.P(reason or "There is no page at this address."),
        closest,
        html.P(["Try the search box above, or ", dcc.Link("go to the home page", href="/"), "."]),
    )


def no_snapshot(reason: str | None = None):
    return page(
        html.H1("No data yet"),
        html.P("No data snapshot has been published on this server yet."),
        html.P(
            [
                "Build the demo data with ",
                html.Code("make serve"),
                " (it builds it before starting) or ",
                html.Code("python -m dashboard demo"),
                ", then reload this page.",
            ]
        ),
        html.P(reason, className="muted") if reason else None,
        manifest={},
    )


def failure():
    return page(
        html.H1("Something went wrong"),
        html.P("This page could not be built. The problem has been logged; please try again in a moment."),
        html.P(dcc.Link("Go to the home page", href="/")),
    )


def too_slow():
    return page(
        html.H1("This page took too long"),
        html.P("The data behind this page took too long to read, so we stopped. Please try again in a moment."),
        html.P(dcc.Link("Go to the home page", href="/")),
    )


def friendly_layout(layout_function):
    @functools.wraps(layout_function)
    def layout(**parameters):
        try:
            return layout_function(**parameters)
        except PageNotFound as problem:
            return not_found(str(problem), problem.suggestions)
        except params.InvalidParameter as problem:
            return not_found(str(problem))
        except db.NoSnapshotError as problem:
            return no_snapshot(str(problem))
        except db.QueryTimeoutError:
            log.warning("page %s timed out with %r", layout_function.__module__, parameters)
            return too_slow()
        except Exception:  # the visitor gets an apology; the log gets the traceback
            log.exception("page %s failed with %r", layout_function.__module__, parameters)
            return failure()

    return layout
