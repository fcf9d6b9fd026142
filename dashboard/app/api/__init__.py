"""The public API: /api/v1/..., JSON and CSV twins of every chart and table the site shows.

- params.py: each parameter declared once and parsed from the query string (by dashboard.core.params).
- endpoints.py: PREFIX and the `Endpoint` list, grouped by subject; each entry calls the query
  function the pages call, so the API's numbers equal the pages' by construction.
- http.py: the Flask blueprint `api` (app.py registers it): JSON and CSV answers, ETag and
  Cache-Control, errors as JSON problems, the receipts pages and export.
- openapi.py: /api/v1/openapi.json, generated from the same declarations.

Callers import from those modules (`from dashboard.app.api.http import api`); nothing is
re-exported here.
"""
