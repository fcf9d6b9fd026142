"""Cycle switcher as links: the cycle lives in the URL, works without JavaScript callbacks,
and every option is reachable with Tab."""

from __future__ import annotations

from typing import Callable, Iterable

from dash import dcc, html


def cycle_picker(current: int, cycles: Iterable[int], href_for: Callable[[int], str]):
    items = []
    for cycle in sorted(set(cycles) | {current}):
        if cycle == current:  # where you are is not a link (and screen readers say "current")
            items.append(html.Li(html.Span(str(cycle), className="current", **{"aria-current": "page"})))
        else:
            items.append(html.Li(dcc.Link(str(cycle), href=href_for(cycle))))
    return html.Nav(
        [html.Span("Cycle:", className="picker-label"), html.Ul(items)],
        className="cycle-picker",
        **{"aria-label": "Election cycle"},
    )
