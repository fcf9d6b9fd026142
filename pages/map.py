"""The district map: every House district (or Senate race) coloured by money, as a map on Census
boundaries or as a tile grid, with the same numbers in a sortable table and a CSV.

/map?cycle=&office=house|senate&metric=&view=geo|hex&state=&sort=&page=

The page is built once; a switch of cycle, office, metric or view, a sort or a page of the table then
updates only what changed (one callback): the map gets a Patch of its values, colours and hover text
when its seats and geometry stay the same, the table its page of rows (sorted and paged on the
server), and the address follows (pushed to the history without rebuilding the page, so a shared
link reopens the same view and Back returns to the previous one). A state is its own page.
"""

from __future__ import annotations

import urllib.parse
from typing import NamedTuple

import dash
from dash import (
    ALL,
    ClientsideFunction,
    Input,
    Output,
    Patch,
    State,
    callback,
    clientside_callback,
    ctx,
    dcc,
    html,
    no_update,
)
from dash.exceptions import PreventUpdate

from dashboard.app import labels, links
from dashboard.app.components.committees_only import no_candidates_note
from dashboard.app.components.district_map import draw_map, legend_block, map_graph, seat_trace_values
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.shell import page as page_shell
from dashboard.app.components.tables import (
    Column,
    Rows,
    page_parts,
    paged_table,
    pager_id,
    pager_outputs,
    sort_buttons,
    turn,
)
from dashboard.app.components.twin import csv_text
from dashboard.app.figures import map_classes
from dashboard.app.queries import committees, home, maps
from dashboard.core import fec, geography, params

dash.register_page(
    __name__,
    path="/map",
    name="District map",
    title="District money map",
    # The URL's values parsed as the layout parses them: the shell's 400 (errors.http_status).
    check=lambda **query: parse_query(**{k: v for k, v in query.items() if k in MapQuery._fields}),
    description="Every House district and Senate race coloured by its money: raised, cash on hand, the "
    "leader's share, out-of-state and small-donor money, with the numbers as a table and CSV.",
)

# The map draws House districts and Senate states; the presidency has no seats to map.
OFFICES = {fec.OFFICE_WORDS[code]: fec.OFFICE_NAMES[code] for code in ("H", "S")}
VIEWS = {"geo": "Map", "hex": "Tile grid"}
# Alaska and Hawaii are drawn in Albers USA, which has no longitude and latitude ranges to narrow;
# their few districts are big enough to tap without zooming.
UNZOOMED_STATES = ("AK", "HI")
PAGE_SIZE = 25  # table rows sent at a time: the page stays light, on a phone too
TABLE = ("map", "districts")  # the paged table's owner and name (components/tables.py)
METRIC_NAMES = {key: metric.label for key, metric in map_classes.METRICS.items()}
SORTABLE = (
    "race_label",
    "n_candidates",
    "receipts",
    "cash_on_hand",
    "leader_share",
    "out_of_state_share",
    "small_share",
    "outside_amount",
    "outside_share",
    "in_district_share",
)
CSV_COLUMNS = [
    "cycle",
    "office",
    "state",
    "district",
    "geoid",
    "race_label",
    "n_candidates",
    "receipts",
    "disbursements",
    "cash_on_hand",
    "leader_candidate_id",
    "leader_name",
    "leader_party",
    "leader_receipts",
    "leader_share",
    "margin",
    "itemized_amount",
    "out_of_state_amount",
    "out_of_state_share",
    "small_amount",
    "small_share",
    "outside_amount",
    "outside_support",
    "outside_oppose",
    "outside_notice_amount",
    "outside_share",
    "in_district_amount",
    "in_district_share",
    "coverage_end",
]


class MapQuery(NamedTuple):
    """The view the address names (after checking every value). (A NamedTuple: Dash loads pages
    without registering their module, which a dataclass needs.)"""

    cycle: int
    office: str  # 'house' or 'senate'
    metric: str
    view: str  # asked for; the tile grid is drawn instead when boundaries are missing
    state: str | None
    sort: str  # a SORTABLE column, '-' first for descending
    page: int

    @property
    def office_code(self) -> str:
        return params.office(self.office)

    @property
    def sort_key(self) -> tuple[str, bool]:
        return self.sort.lstrip("-"), self.sort.startswith("-")

    def path(self) -> str:
        """The address of this view; the sort only when it is not the metric's own, the page after the first."""
        return links.map_path(
            self.cycle,
            office=self.office,
            metric=self.metric,
            view=self.view,
            state=self.state,
            sort=None if self.sort == f"-{self.metric}" else self.sort,
            page=self.page if self.page > 1 else None,
        )


def parse_query(cycle=None, office=None, metric=None, view=None, state=None, sort=None, page=None) -> MapQuery:
    metric_key = params.choice(metric, "metric", METRIC_NAMES, map_classes.DEFAULT_METRIC)
    return MapQuery(
        cycle=params.cycle(cycle),
        office=params.choice(office, "office", OFFICES, "house"),
        metric=metric_key,
        view=params.choice(view, "view", VIEWS, "geo"),
        state=params.state(state) if state else None,
        sort=_parse_sort(sort) or f"-{metric_key}",
        page=params.whole_number(page, "page", 1, 1000, 1),
    )


def _parse_sort(value) -> str | None:
    """'receipts' (ascending) or '-receipts' (descending), one of the table's columns."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    key = params.choice(text.lstrip("-"), "sort", SORTABLE, SORTABLE[2])
    return ("-" if text.startswith("-") else "") + key


def table_columns(metric_key: str, sort: tuple[str, bool]) -> list[Column]:
    """The table's columns, the coloured metric second; headers are buttons that sort by them (`update_map`)."""
    figures = [
        Column("n_candidates", "Candidates", labels.count, numeric=True),
        Column("receipts", "Raised", labels.money_cents, numeric=True),
        Column("cash_on_hand", "Cash on hand", labels.money_cents, numeric=True),
        Column("leader_name", "Leader"),
        Column("leader_share", "Leader's share", labels.share, numeric=True),
        Column("out_of_state_share", "From out of state", labels.share, numeric=True),
        Column("small_share", "$200 or less", labels.share, numeric=True),
        Column("outside_amount", "Outside spending", labels.money_cents, numeric=True),
        Column("outside_share", "Outside share", labels.share, numeric=True),
        Column("in_district_share", "From inside the district", labels.share, numeric=True),
    ]
    # The coloured metric formatted as the table's own column of it (money to the cent), not as the hover.
    same = next(c for c in figures if c.key == metric_key)
    coloured = Column(metric_key, map_classes.METRICS[metric_key].label, same.format, numeric=True)
    columns = [Column("race_label", "Race", link="race_path"), coloured, *figures]
    unique = list({column.key: column for column in reversed(columns)}.values())[::-1]  # the first of each key
    return sort_buttons(unique, SORTABLE, sort, *TABLE)


def state_links(query: MapQuery):
    return html.Details(
        [
            html.Summary("Zoom to a state"),
            html.Ul(
                [
                    html.Li(
                        dcc.Link(
                            state, href=query._replace(state=state, page=1).path(), title=geography.STATES[state][1]
                        )
                    )
                    for state in sorted(geography.STATES)
                ],
                className="state-links",
            ),
        ]
    )


def choice_group(name: str, label: str, options: dict, value):
    """A choice as a group of toggle buttons (each reached with Tab, pressed with Enter or Space; the
    one shown is pressed): pressing one updates the map in place through `update_map`. (Dash's
    RadioItems nests its radio buttons inside list options, which screen readers cannot use.)"""
    return html.Div(
        [
            html.Span(f"{label}:", className="picker-label"),
            html.Ul(
                [
                    html.Li(
                        html.Button(
                            words,
                            id={"type": "map-choice", "name": name, "value": str(key)},
                            className="choice",
                            n_clicks=0,
                            **{"aria-pressed": "true" if key == value else "false"},
                        )
                    )
                    for key, words in options.items()
                ]
            ),
        ],
        className="cycle-picker map-choice",
        role="group",
        **{"aria-label": label},
    )


def _title(query: MapQuery) -> str:
    if query.state:
        return f"{OFFICES[query.office]} money in {geography.STATES[query.state][1]}, {query.cycle}"
    return f"{OFFICES[query.office]} money map, {query.cycle}"


def _seats(query: MapQuery) -> str:
    return "districts" if query.office_code == "H" else "states"


def _shown_rows(query: MapQuery, rows):
    return rows if query.office_code == "H" else rows[rows["has_race"]]


def _csv_filename(query: MapQuery) -> str:
    return f"map-{query.office}-{query.cycle}{'-' + query.state if query.state else ''}.csv"


def map_parts(query: MapQuery, rows):
    """Everything on the page that depends on the view, by the id of the element holding it, and the
    drawn map; the layout places them, `update_map` sends those that changed."""
    metric = map_classes.METRICS[query.metric]
    national = maps.map_races(query.cycle, query.office_code)[query.metric] if query.state else None
    drawn = draw_map(query.cycle, query.office_code, query.metric, query.view, query.state, rows, national)
    caption = f"{metric.label} by {'House district' if query.office_code == 'H' else 'Senate race'}, {query.cycle}"
    if query.state:
        caption += f", {geography.STATES[query.state][1]}"
    seat = "district" if query.office_code == "H" else "state"
    parts = {
        "map-title": _title(query),
        "map-caption": caption,
        "map-note": metric.note or None,
        "map-notices": drawn.notices,
        "map-legend": legend_block(drawn.legend, metric),
        "map-hint": f"Click a {seat} to open its race; every {seat} is also in the table below.",
    }
    return parts, drawn, caption


def table_rows(query: MapQuery, rows, caption: str) -> Rows:
    """Every seat of the view in the table's order (sorted on the server), with the table's columns."""
    ordered = maps.sort_rows(_shown_rows(query, rows), *query.sort_key)
    return Rows(ordered, table_columns(query.metric, query.sort_key), caption)


def table_parts(query: MapQuery, rows, caption: str) -> dict:
    """The table's summary and its page of rows with the pager's state (by the part's name in
    `update_map`'s outputs: "table-rows", "table-status"...)."""
    whole = table_rows(query, rows, caption)
    parts = page_parts(whole, query.page, PAGE_SIZE)
    return {
        "map-table-summary": table_summary(query, whole),
        **{f"table-{part}": value for part, value in parts.items()},
    }


def table_summary(query: MapQuery, whole: Rows) -> str:
    return f"The numbers in this map ({len(whole.frame)} {_seats(query)})"


@friendly_layout
def layout(cycle=None, office=None, metric=None, view=None, state=None, sort=None, page=None, **_other_query):
    query = parse_query(cycle, office, metric, view, state, sort, page)
    rows = maps.map_rows(query.cycle, query.office_code, query.state)
    cycles = sorted(set(home.cycles_available()) | {query.cycle}, reverse=True)
    if not rows["has_race"].any():
        committees_only = committees.cycles_without_candidates()
        return page_shell(
            html.H1(_title(query)),
            html.Nav(
                html.Ul([html.Li(dcc.Link(str(c), href=query._replace(cycle=c, page=1).path())) for c in cycles]),
                className="cycle-picker",
                **{"aria-label": "Election cycle"},
            ),
            no_candidates_note(query.cycle, committees_only[query.cycle])
            if query.cycle in committees_only
            else html.P(f"This snapshot has no {OFFICES[query.office]} races for the {query.cycle} cycle."),
        )
    parts, drawn, caption = map_parts(query, rows)
    table_now = table_rows(query, rows, caption)
    coverage_end = labels.date(rows["coverage_end"].max())
    zoom = (
        html.Div(
            [
                html.Button("Zoom in", id="map-zoom-in", className="button", n_clicks=0),
                html.Button("Zoom out", id="map-zoom-out", className="button", n_clicks=0),
                html.Button("Whole state", id="map-zoom-reset", className="button", n_clicks=0),
                html.Span(id="map-zoom-status", className="muted", **{"aria-live": "polite"}),
            ],
            className="map-zoom",
            role="group",
            **{"aria-label": "Zoom the map"},
        )
        if query.state and drawn.view == "geo" and query.state not in UNZOOMED_STATES
        else None
    )
    return page_shell(
        html.H1(parts["map-title"], id="map-title"),
        dcc.Location(id="map-url", refresh=False),
        dcc.Location(id="map-reload", refresh="callback-nav"),
        dcc.Store(id="map-shown", data={"query": query._replace(view=drawn.view)._asdict(), "shape": drawn.shape}),
        html.Div(
            [
                choice_group("cycle", "Election cycle", {c: str(c) for c in cycles}, query.cycle),
                choice_group("office", "Show", OFFICES, query.office),
                choice_group("metric", "Colour by", METRIC_NAMES, query.metric),
                choice_group("view", "View", VIEWS, drawn.view),
            ],
            className="map-controls",
        ),
        html.P(dcc.Link("Back to the national map", href=query._replace(state=None, page=1).path()))
        if query.state
        else state_links(query),
        html.Section(
            [
                html.P(parts["map-caption"], className="chart-caption", id="map-caption"),
                html.P(parts["map-note"], className="muted", id="map-note"),
                html.A("Skip the map to its table", href="#map-table", className="skip-to-table"),
                html.Div(parts["map-notices"], id="map-notices"),
                html.Div(parts["map-legend"], id="map-legend"),
                zoom,
                map_graph("district-map", drawn.figure),
                html.P(parts["map-hint"], className="muted", id="map-hint"),
                html.Div(
                    html.Details(
                        [
                            html.Summary(table_summary(query, table_now), id="map-table-summary"),
                            # Always with its buttons: a switch to other seats may bring more pages.
                            paged_table(
                                *TABLE, table_now, query.page, PAGE_SIZE, pager=True, label="Pages of the table"
                            ),
                        ],
                        open=True,
                    ),
                    id="map-table",
                    tabIndex="-1",  # the skip link's target takes the focus
                ),
                html.Div(
                    [
                        html.Button(
                            "Download CSV",
                            id="map-csv-button",
                            className="button",
                            n_clicks=0,
                            **{"aria-label": f"Download CSV of every {_seats(query)[:-1]}"},
                        ),
                        dcc.Download(id="map-csv"),
                    ],
                    className="download",
                ),
            ],
            className="twin",
            **{"aria-label": "Map and its numbers"},
        ),
        methodology_note("totals", coverage_end),
    )


# What each part of the page shows depends on (the fields of MapQuery): a switch sends only those it changes.
CONTENT_DEPENDS = {
    "map-title": {"cycle", "office"},
    "map-caption": {"cycle", "office", "metric"},
    "map-note": {"metric"},
    "map-notices": {"cycle", "office", "view"},
    "map-legend": {"cycle", "office", "metric"},
    "map-hint": {"office"},
}
CONTENT_IDS = tuple(CONTENT_DEPENDS)
TABLE_DEPENDS = {"cycle", "office", "metric", "sort", "page"}
TABLE_OUTPUTS = {f"table-{part}": output for part, output in pager_outputs(*TABLE).items()}


@callback(
    output={
        "pressed": Output({"type": "map-choice", "name": ALL, "value": ALL}, "aria-pressed"),
        "search": Output("map-url", "search"),
        "reload": Output("map-reload", "href"),
        "shown": Output("map-shown", "data"),
        "figure": Output({"type": "map-graph", "name": "district-map"}, "figure"),
        **{name: Output(name, "children") for name in CONTENT_IDS + ("map-table-summary",)},
        **TABLE_OUTPUTS,
    },
    inputs={
        "choices": Input({"type": "map-choice", "name": ALL, "value": ALL}, "n_clicks"),
        "search": Input("map-url", "search"),
        "sorts": Input(pager_id("sort", *TABLE, key=ALL), "n_clicks"),
        "previous": Input(pager_id("previous", *TABLE), "n_clicks"),
        "following": Input(pager_id("next", *TABLE), "n_clicks"),
    },
    state={"shown": State("map-shown", "data"), "pathname": State("map-url", "pathname")},
    prevent_initial_call=True,
)
def update_map(choices, search, sorts, previous, following, shown, pathname):
    """One switch, one answer: the new view's address, and only the parts of the page it changes."""
    if pathname != "/map" or not shown:
        raise PreventUpdate  # the visitor is leaving the page
    old = _checked(shown["query"])
    new = _checked(_next_query(old, ctx.triggered_id, search)._asdict())
    if new == old:
        raise PreventUpdate
    answer = {name: no_update for name in update_map_outputs}
    if new.state != old.state:
        # A state's map is its own page (its links and zoom); the router builds it.
        return {**answer, "reload": new.path()}
    rows = maps.map_rows(new.cycle, new.office_code, new.state)
    if not rows["has_race"].any():
        return {**answer, "reload": new.path()}  # the page that says why there is no map
    pages = max(1, -(-len(_shown_rows(new, rows)) // PAGE_SIZE))
    new = new._replace(page=min(new.page, pages))  # Next on the last page (marked, not disabled) stays there
    if new == old:
        raise PreventUpdate
    if ctx.triggered_id != "map-url":  # (Back and Forward have moved the address already)
        answer["search"] = new.path().removeprefix("/map")
    parts, drawn, caption = map_parts(new, rows)
    new = new._replace(view=drawn.view)  # the tile grid, for want of boundaries
    # The choices' buttons show the view drawn as pressed (in the order Dash matched them).
    answer["pressed"] = [
        "true" if str(getattr(new, item["id"]["name"])) == item["id"]["value"] else "false"
        for item in ctx.args_grouping["choices"]
    ]
    changed = {name for name in MapQuery._fields if getattr(new, name) != getattr(old, name)}
    answer.update({name: parts[name] for name, fields in CONTENT_DEPENDS.items() if changed & fields})
    if changed & TABLE_DEPENDS:
        answer.update(table_parts(new, rows, caption))
    if changed & {"cycle", "office", "metric", "view"}:
        answer["figure"] = _figure_update(drawn, shown["shape"], same_cycle="cycle" not in changed)
    answer["shown"] = {"query": new._asdict(), "shape": drawn.shape}
    return answer


update_map_outputs = (
    "pressed",
    "search",
    "reload",
    "shown",
    "figure",
    *CONTENT_IDS,
    "map-table-summary",
    *TABLE_OUTPUTS,
)


def _next_query(old: MapQuery, trigger, search: str | None) -> MapQuery:
    if trigger == "map-url":  # Back or Forward to an address this page pushed
        values = dict(urllib.parse.parse_qsl((search or "").lstrip("?")))
        try:
            return parse_query(**{k: v for k, v in values.items() if k in MapQuery._fields})
        except params.InvalidParameter:
            raise PreventUpdate from None
    if isinstance(trigger, dict) and trigger.get("type") == "map-choice":
        name, value = trigger["name"], trigger["value"]
        if not ctx.triggered[0]["value"] or value == str(getattr(old, name)):
            raise PreventUpdate
        if name == "metric":
            return old._replace(metric=value, sort=f"-{value}", page=1)
        if name == "office":
            return old._replace(office=value, state=None, page=1)
        return old._replace(**{name: value}, page=1)  # checked by the caller, as an address's value
    if trigger == pager_id("sort", *TABLE, key=trigger.get("key") if isinstance(trigger, dict) else None):
        if not ctx.triggered[0]["value"]:
            raise PreventUpdate  # a header button drawn anew, not clicked
        return old._replace(sort=trigger["key"], page=1)
    if trigger in (pager_id("previous", *TABLE), pager_id("next", *TABLE)):
        return old._replace(page=max(1, turn(old.page)))
    raise PreventUpdate


def _checked(values: dict) -> MapQuery:
    """A view from values a request carried (the stored view, a button's id), parsed as an address's are:
    a value the page does not offer raises InvalidParameter (a 400, dashboard.app.callback_guard)."""
    fields = {k: v for k, v in values.items() if k in MapQuery._fields}
    if not all(isinstance(v, (str, int)) or v is None for v in fields.values()):
        raise params.InvalidParameter("the map's view holds a value of the wrong kind")
    return parse_query(**{k: None if v is None else str(v) for k, v in fields.items()})


def _figure_update(drawn, shape_drawn: str, same_cycle: bool):
    """A Patch of the seat traces' values, colours and words when the seats and geometry drawn stay
    the same (the race paths too when the cycle changed), else the new figure."""
    if drawn.shape != shape_drawn:
        return drawn.figure
    patch = Patch()
    for index, fields in seat_trace_values(drawn.figure).items():
        for field, value in fields.items():
            if field == "customdata" and same_cycle:
                continue
            patch["data"][index][field] = value
    return patch


@callback(
    Output("map-csv", "data"),
    Input("map-csv-button", "n_clicks"),
    State("map-shown", "data"),
    prevent_initial_call=True,
)
def send_csv(_n_clicks, shown):
    """The CSV of every seat of the view shown, in the table's order (made on the click, not sent with the page)."""
    query = _checked(shown["query"])
    rows = _shown_rows(query, maps.map_rows(query.cycle, query.office_code, query.state))
    ordered = maps.sort_rows(rows, *query.sort_key)
    return {"content": csv_text(ordered, CSV_COLUMNS), "filename": _csv_filename(query), "type": "text/csv"}


# Zoom buttons of a state's map (phones: pinch and drag work too): assets/map.js, a file rather than
# inline script, which the pages' Content-Security-Policy would refuse.
clientside_callback(
    ClientsideFunction(namespace="districtMap", function_name="zoom"),
    Output("map-zoom-status", "children"),
    Input("map-zoom-in", "n_clicks"),
    Input("map-zoom-out", "n_clicks"),
    Input("map-zoom-reset", "n_clicks"),
    prevent_initial_call=True,
)
