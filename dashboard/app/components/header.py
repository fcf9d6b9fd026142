"""The site header: skip link, site name, navigation and the search box."""

from __future__ import annotations

from dash import dcc, html

from dashboard.app.components import search_box


def header():
    return html.Header(
        [
            html.A("Skip to content", href="#main", className="skip-link"),
            html.Div(
                [
                    dcc.Link("Campaign finance", href="/", className="site-name"),
                    html.Nav(
                        html.Ul(
                            [
                                html.Li(dcc.Link("Home", href="/")),
                                html.Li(dcc.Link("District map", href="/map")),
                                html.Li(dcc.Link("Trends", href="/trends")),
                                html.Li(dcc.Link("Receipts", href="/receipts")),
                                html.Li(dcc.Link("About the data", href="/data")),
                            ]
                        ),
                        **{"aria-label": "Main"},
                    ),
                ],
                className="header-bar",
            ),
            search_box.search_box(),
        ],
        className="site-header",
    )
