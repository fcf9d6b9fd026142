"""The request a browser sends to Dash's pages router after loading a page's shell: tests and the load
suite render a page through it, as the browser does, without a browser."""

from __future__ import annotations

import json

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


def component_key(component_id) -> str:
    """A component id (a string, or a pattern-matching dict) as one comparable string."""
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))


def layout_components(node, found: dict | None = None) -> dict:
    """Every component of a rendered layout (the router's answer) with an id: {component_key: props},
    the first seen kept (ids are unique in a page)."""
    found = {} if found is None else found
    if isinstance(node, list):
        for child in node:
            layout_components(child, found)
    elif isinstance(node, dict) and "props" in node:
        props = node["props"]
        if "id" in props:
            found.setdefault(component_key(props["id"]), props)
        for value in props.values():
            if isinstance(value, (list, dict)):
                layout_components(value, found)
    return found
