"""A choice between views of the same numbers, as links: the view lives in the URL (a shared
link reopens it), works without callbacks, and every option is reachable with Tab."""

from __future__ import annotations

from typing import Callable

from dash import dcc, html


def view_links(label: str, current: str, options: dict[str, str], href_for: Callable[[str], str]):
    """`options` maps each value to its words; `href_for(value)` is the URL showing it."""
    items = []
    for value, words in options.items():
        if value == current:
            items.append(html.Li(html.Span(words, className="current", **{"aria-current": "true"})))
        else:
            items.append(html.Li(dcc.Link(words, href=href_for(value))))
    return html.Nav(
        [html.Span(f"{label}:", className="picker-label"), html.Ul(items)],
        className="cycle-picker view-links",
        **{"aria-label": label},
    )
