"""Cycle switcher as links: the cycle lives in the URL, works without JavaScript callbacks,
and every option is reachable with Tab."""

from __future__ import annotations

from typing import Callable, Iterable

from dash import dcc, html


def cycle_picker(current: int | None, cycles: Iterable[int], href_for: Callable, all_cycles: bool = False):
    """Links to the same view in each cycle; with `all_cycles`, also to every cycle at once
    (href_for(None); `current` None means that one is shown)."""
    items = []
    choices = sorted(set(cycles) | ({current} if current is not None else set()))
    for cycle in choices + ([None] if all_cycles else []):
        label = "All" if cycle is None else str(cycle)
        if cycle == current:  # where you are is not a link (and screen readers say "current")
            items.append(html.Li(html.Span(label, className="current", **{"aria-current": "page"})))
        else:
            items.append(html.Li(dcc.Link(label, href=href_for(cycle))))
    return html.Nav(
        [html.Span("Cycle:", className="picker-label"), html.Ul(items)],
        className="cycle-picker",
        **{"aria-label": "Election cycle"},
    )
