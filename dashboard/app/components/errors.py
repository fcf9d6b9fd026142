"""Friendly pages for what goes wrong: a bad or unknown address, no data yet, a failure.

`friendly_layout` wraps a page's layout function so a visitor never sees a traceback: a bad
parameter or an unknown id gives the not-found content, a missing snapshot says how to build
one, a damaged one says what is damaged, and anything else is logged and answered with a short apology.

Dash serves the same HTML shell for every address and renders the page afterwards, in a callback,
so the shell's HTTP status cannot come from the layout. A page registers a `check` instead
(`dash.register_page(..., check=...)`): the cheap part of its validation (the URL's values, and
whether the entity it names exists), raising what the layout raises; `http_status` turns that into
404 or 400 for the shell (dashboard/app/factory.py).
"""

from __future__ import annotations

import functools
import logging

from dash import dcc, html

from dashboard.app import db
from dashboard.app.components.shell import page
from dashboard.core import params

log = logging.getLogger(__name__)

NOT_FOUND_TITLE = "Page not found"


class PageNotFound(LookupError):
    """The address is well formed but names nothing in the data (e.g. an unknown candidate).
    `suggestions` are (label, href) pairs of the closest things that do exist."""

    def __init__(self, reason: str, suggestions: list[tuple[str, str]] | None = None):
        super().__init__(reason)
        self.suggestions = list(suggestions or [])


def http_status(check, arguments: dict) -> tuple[int, object]:
    """The status of a page's HTML shell, and what the check returned (a page's subject: its title):
    404 when the address names nothing in the data, 400 when one of its values is invalid, 503 before
    any data is published; else 200 (a page that fails later still apologizes in its content)."""
    if check is None:
        return 200, None
    try:
        return 200, check(**arguments)
    except PageNotFound:
        return 404, None
    except params.InvalidParameter:
        return 400, None
    except db.NoSnapshotError:
        return 503, None
    except Exception:  # the layout will meet the same problem and answer with its apology
        log.exception("status check of %s failed with %r", getattr(check, "__module__", "?"), arguments)
    return 200, None


def titled(subject, fallback: str):
    """A page's title function from `subject(**path_values) -> title`, which raises as the page's
    check does: an unknown or invalid address is titled "Page not found", any other problem
    gets the page's generic title (Dash calls titles outside the layout's error handling)."""

    @functools.wraps(subject)
    def title(**path_values) -> str:
        try:
            return subject(**path_values)
        except (PageNotFound, params.InvalidParameter):
            return NOT_FOUND_TITLE
        except Exception:
            log.warning("no title for %s %r", getattr(subject, "__module__", "?"), path_values, exc_info=True)
            return fallback

    title.subject = subject  # a page whose check is its subject has its title once the check has run
    return title


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
        html.H1(NOT_FOUND_TITLE),
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


def damaged_snapshot(reason: str):
    """The published snapshot is not whole: say so, rather than show numbers computed without a part
    of it (a missing partition once read as "0 contributions")."""
    return page(
        html.H1("Data unavailable"),
        html.P(
            "The data on this server is damaged, so its numbers are not shown rather than shown wrong. "
            "It will be back once the data is rebuilt; please try again later.",
            className="damage-warning",
            role="alert",
        ),
        html.P(reason, className="muted"),
        manifest=_damaged_manifest(),
    )


def _damaged_manifest() -> dict:
    """The damaged snapshot's manifest when it is readable: the demo banner and the footer still say
    what the data is."""
    try:
        return db.snapshot_health().manifest or {}
    except db.NoSnapshotError:
        return {}


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
        except db.SnapshotDamagedError as problem:
            return damaged_snapshot(str(problem))
        except db.NoSnapshotError as problem:
            return no_snapshot(str(problem))
        except db.QueryTimeoutError:
            log.warning("page %s timed out with %r", layout_function.__module__, parameters)
            return too_slow()
        except Exception:  # the visitor gets an apology; the log gets the traceback
            log.exception("page %s failed with %r", layout_function.__module__, parameters)
            return failure()

    return layout
