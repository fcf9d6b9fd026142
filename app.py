"""The Dash app. Serve it with `gunicorn app:server` (see `make serve`).

The app is made by dashboard/app/factory.py; this module only names it for gunicorn, beside
the `pages/` and `assets/` folders Dash reads.
"""

from __future__ import annotations

from dashboard.app.factory import create_app

app = create_app(__name__)
server = app.server
