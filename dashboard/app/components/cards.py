"""Headline numbers: a label, a big value and a line of detail, as a description list."""

from __future__ import annotations

from dataclasses import dataclass

from dash import html


@dataclass(frozen=True)
class Stat:
    label: str
    value: str
    detail: str | None = None


def stat_cards(stats: list[Stat], label: str):
    return html.Dl(
        [
            html.Div(
                [
                    html.Dt(s.label),
                    html.Dd(s.value, className="stat-value"),
                    html.Dd(s.detail, className="stat-detail") if s.detail else None,
                ],
                className="stat",
            )
            for s in stats
        ],
        className="stats",
        **{"aria-label": label},
    )
