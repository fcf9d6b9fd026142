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

# Each party's colour and a darker shade of it, for a second candidate of the same party (a third
# and fourth reuse them with another line dash or bar pattern, see figures.money_over_time's
# candidate_styles). Lightness tells the shades apart under every common colour blindness; every
# shade but Libertarian orange (an Okabe-Ito colour) has at least 3:1 contrast on white.
PARTY_SHADES = {
    "DEM": (OKABE_ITO["blue"], "#003F6B"),
    "REP": (OKABE_ITO["vermillion"], "#8F3F00"),
    "LIB": (OKABE_ITO["orange"], "#9C6B00"),
    "GRE": (OKABE_ITO["bluish_green"], "#006B4E"),
    "IND": (OKABE_ITO["reddish_purple"], "#8F4F74"),
}
OTHER_SHADES = (GREY, "#3D3D3D")  # any other party, or none
PARTY_COLOURS = {party: shades[0] for party, shades in PARTY_SHADES.items()}

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


# Plotly reads a small HTML-like markup in every label it draws (hover text, tick labels, legend
# names, annotations, text on bars): `<a href>` becomes a clickable link, `<b>` bold, `&lt;` a "<".
# Names and other free text filed with the FEC go through `plain` on their way into a figure, so
# they are drawn as typed. `%` is escaped too: in a hovertemplate, `%{...}` would be filled in.
_PLAIN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "%": "&#37;"})


def plain(text) -> str:
    """`text` (a name, an employer, any value from the data) as literal text in a Plotly label."""
    return str(text).translate(_PLAIN)


def party_colour(code) -> str:
    return PARTY_COLOURS.get(code, GREY) if isinstance(code, str) else GREY


def party_shades(code) -> tuple[str, ...]:
    return PARTY_SHADES.get(code, OTHER_SHADES) if isinstance(code, str) else OTHER_SHADES


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


def figure(data: list, layout: dict) -> go.Figure:
    """The chart of these traces (dicts with a "type", or trace objects) and this layout (a dict), made
    in one go. Charts are built as dicts and made a figure last: Plotly checks and merges every property
    set on a figure already made (add_bar, update_layout, update_xaxes, ...) on its own, which took a
    third of a race page's time to render (its candidates' chart: 32 ms made step by step, 5 ms at once)."""
    return go.Figure(data=data, layout=layout)


def empty_figure(message: str) -> go.Figure:
    """A small chart that says why there is nothing to draw (a message may name a candidate or a spender:
    it is drawn as plain text)."""
    layout = base_layout(height=200)
    layout["xaxis"]["visible"] = False
    layout["yaxis"]["visible"] = False
    layout["annotations"] = [
        {"text": plain(message), "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}
    ]
    return figure([], layout)
