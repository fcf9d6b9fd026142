"""The request a browser sends to Dash's pages router after loading a page's shell: tests and the load
suite render a page through it, as the browser does, without a browser."""

from __future__ import annotations

ROUTER = ".._pages_content.children..._pages_store.data.."


def router_body(path: str, search: str = "") -> dict:
    """The callback body asking the pages router for the page at `path` with query string `search`."""
    return {
        "output": ROUTER,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
