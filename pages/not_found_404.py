"""Any address the app does not know."""

from __future__ import annotations

import dash

from dashboard.app.components.errors import not_found

dash.register_page(__name__, path="/404", name="Not found", title="Page not found")


def layout(**_query):
    return not_found()
