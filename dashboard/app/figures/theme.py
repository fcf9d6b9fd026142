"""Colours and layout shared by every chart.

The palette is Okabe-Ito, readable with every common form of colour blindness. Party colours
follow US convention where they can (Democrats blue, Republicans vermillion) but every chart
also names the party in text, so colour never carries meaning alone.
"""

from __future__ import annotations

import plotly.graph_objects as go

OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#767676"  # 4.5:1 on white: also usable for text

SEQUENCE = [
    OKABE_ITO[name]
    for name in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "yellow", "black")
]

PARTY_COLOURS = {
    "DEM": OKABE_ITO["blue"],
    "REP": OKABE_ITO["vermillion"],
    "LIB": OKABE_ITO["orange"],
    "GRE": OKABE_ITO["bluish_green"],
    "IND": OKABE_ITO["reddish_purple"],
}

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def party_colour(code) -> str:
    return PARTY_COLOURS.get(code, GREY) if isinstance(code, str) else GREY


def base_layout(**overrides) -> dict:
    """Layout every chart starts from: system fonts, no plotly logo clutter, room for labels."""
    layout = {
        "font": {"family": FONT_FAMILY, "size": 14, "color": "#1a1a1a"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "colorway": SEQUENCE,
        "margin": {"l": 8, "r": 16, "t": 48, "b": 40},
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "xaxis": {"gridcolor": "#e5e5e5", "zerolinecolor": "#bdbdbd", "automargin": True},
        "yaxis": {"gridcolor": "#e5e5e5", "automargin": True},
        "separators": ".,",
    }
    layout.update(overrides)
    return layout


# Passed to dcc.Graph(config=...): a PNG export for reporters and nothing that sends a chart's data off
# the site: no Chart Studio edit or share buttons, no "Edit chart" link, no server to send to.
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud", "editInChartStudio"],
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "linkText": "",
    "plotlyServerURL": "",
}


def empty_figure(message: str) -> go.Figure:
    """A small chart that says why there is nothing to draw."""
    figure = go.Figure(layout=base_layout(height=200))
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure
