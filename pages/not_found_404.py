"""Any address the app does not know."""

from __future__ import annotations

import dash

from dashboard.app.components.errors import NOT_FOUND_TITLE, PageNotFound, not_found


def _nothing_here(**_query):
    """/404 itself names nothing: its shell answers 404 like any unknown address (errors.http_status)."""
    raise PageNotFound("There is no page at this address.")


dash.register_page(__name__, path="/404", name="Not found", title=NOT_FOUND_TITLE, check=_nothing_here)


def layout(**_query):
    return not_found()
