"""The receipts explorer: every itemized contribution from individuals, filtered, sorted, paged
from the server a block at a time, and downloadable exactly as shown (CSV or Parquet).

Every filter lives in the URL (/receipts?candidate_id=&state=&...): the form writes the URL, the
page reads it. The grid asks the server for one block of rows at a time, so the browser never
holds more than a few blocks.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from urllib.parse import urlencode

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from dashboard.app import db, labels, limits, links
from dashboard.app.api.endpoints import PREFIX
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.cycle_picker import cycle_picker
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.notes import methodology_note
from dashboard.app.components.shell import page
from dashboard.app.components.twin import csv_text
from dashboard.app.components.view_links import view_links
from dashboard.app.exports import FEC_NOTICE, json_records
from dashboard.app.queries import donors, home, receipts, search
from dashboard.core import config, fec, geography, params


def parse_query(**query):
    """The URL's values, parsed: (filters, group, sort); raises InvalidParameter on a bad one. The layout
    reads them so, and the shell's status is 400 for it (errors.http_status)."""
    filters = receipts.ReceiptFilters.from_query(query)
    group = params.choice(query.get("group"), "group", GROUP_WORDS, "")
    sort = (
        params.choice(query.get("sort"), "sort", receipts.DONOR_SORTS, receipts.DEFAULT_DONOR_SORT)
        if group == "donor"
        else receipts.ReceiptFilters.parse_sort(query.get("sort"))
    )
    return filters, group, sort


TITLE = "Itemized receipts"
dash.register_page(
    __name__,
    path="/receipts",
    name="Receipts",
    title=TITLE,
    check=parse_query,
    description="Every itemized contribution from an individual to a federal candidate's committees, "
    "filtered, sorted and downloadable as CSV or Parquet, from FEC filings.",
)

BLOCK_ROWS = 100
SORT_WORDS = {"-date": "Newest first", "date": "Oldest first", "-amount": "Largest first", "amount": "Smallest first"}
FILTER_WORDS = {
    "candidate_id": "Candidate",
    "committee_id": "Committee",
    "q": "Contributor",
    "employer": "Employer",
    "occupation": "Occupation",
    "city": "City",
    "state": "State",
    "not_state": "Not in",
    "outside_state": "Donor's state",
    "zip": "ZIP",
    "min": "At least",
    "max": "At most",
    "from": "From",
    "to": "To",
    "earmarked": "Earmarked",
    "conduit": "Through",
    "entity": "Contributor type",
}
TEXT_FIELDS = ("q", "employer", "occupation", "city", "zip", "min", "max", "from", "to")
INPUT_TYPES = {"min": "number", "max": "number", "from": "date", "to": "date"}
HINTS = {
    "q": "every word starts a word of the name, e.g. smi jo",
    "employer": "as grouped on candidate pages; end with * for 'starts with'",
    "occupation": "as grouped on candidate pages; end with * for 'starts with'",
}

MONEY_FORMAT = {"function": "params.value == null ? '' : d3.format('$,.2f')(params.value)"}
# Date and amount sort with a click (or Enter) on their header: descending first, then ascending,
# as the URL's sort; AG Grid marks the header with aria-sort and an arrow.
SORTABLE = {"sortable": True, "sortingOrder": ["desc", "asc"]}
# The contributor's entity type in words (IND: Individual, ORG: Organization, ...).
ENTITY_FORMAT = {
    "function": f"params.value == null ? '' : ({json.dumps(fec.ENTITY_TYPES)}[params.value] || params.value)"
}
# The election a gift is for in words, as fec.election_label says it: 'P2024' -> 'Primary 2024' (an unknown
# letter as filed; blank stays blank).
ELECTION_FORMAT = {
    "function": f"params.value == null ? '' : (({json.dumps(fec.ELECTION_LETTERS)}[params.value[0]] || "
    "params.value[0]) + ' ' + params.value.slice(1)).trim()"
}
COLUMN_DEFS = [
    {"field": "date", "headerName": "Date", "width": 115, **SORTABLE},
    {
        "field": "amount",
        "headerName": "Amount",
        "type": "rightAligned",
        "width": 120,
        "valueFormatter": MONEY_FORMAT,
        **SORTABLE,
    },
    {"field": "contributor_name", "headerName": "Contributor", "width": 210},
    {"field": "city", "headerName": "City", "width": 130},
    {"field": "state", "headerName": "State", "width": 80},
    {"field": "zip5", "headerName": "ZIP", "width": 90},
    {"field": "employer", "headerName": "Employer", "width": 180},
    {"field": "occupation", "headerName": "Occupation", "width": 160},
    {"field": "candidate_id", "headerName": "Candidate", "width": 120},
    {"field": "committee_id", "headerName": "Committee", "width": 120},
    {"field": "is_earmarked", "headerName": "Earmarked", "width": 110},
    {"field": "conduit_name", "headerName": "Through conduit", "width": 170},
    {"field": "entity_type", "headerName": "Contributor type", "width": 150, "valueFormatter": ENTITY_FORMAT},
    {"field": "election_type", "headerName": "Election", "width": 130, "valueFormatter": ELECTION_FORMAT},
    # A markdown link (filing_image, made by rows_block), opening the FEC's viewer in a new tab.
    {
        "field": "filing_image",
        "headerName": "Filing page",
        "width": 130,
        "cellRenderer": "markdown",
        "linkTarget": "_blank",
    },
    {"field": "sub_id", "headerName": "FEC sub_id", "width": 150},
]


def _field(label: str, control, hint: str | None = None, *extra):
    return html.Div(
        [html.Label(label, htmlFor=control.id), control, html.Small(hint, className="muted") if hint else None, *extra],
        className="rx-field",
    )


def _text_input(name: str, value, **props):
    return dcc.Input(
        id=f"rx-{name}", type=INPUT_TYPES.get(name, "text"), value=value, n_submit=0, className="rx-input", **props
    )


def _datalist(list_id: str, options: list[tuple[str, str]]):
    return html.Datalist([html.Option(label, value=value) for value, label in options], id=list_id)


def filter_form(filters, sort, names, cycles, conduits, group=""):
    query = filters.to_query()
    who = filters.candidate_id or filters.committee_id
    text_fields = [
        _field(
            FILTER_WORDS[name],
            _text_input(name, query.get(name), **({"step": "0.01"} if name in ("min", "max") else {})),
            HINTS.get(name),
        )
        for name in TEXT_FIELDS
    ]
    return html.Section(
        [
            html.H2("Filters"),
            html.Div(
                [
                    _field(
                        "Candidate or committee",
                        _text_input(
                            "who", who, list="rx-who-options", debounce=0.3, placeholder="Type a name or FEC id"
                        ),
                        names.get(who) if who else "a name or id; pick one of the suggestions",
                        _datalist("rx-who-options", [(who, names.get(who, who))] if who else []),
                    ),
                    *text_fields,
                    _field(
                        "State",
                        _text_input(
                            "state", filters.state, list="rx-state-options", maxLength=2, placeholder="e.g. CA"
                        ),
                        None,
                        _datalist("rx-state-options", [(code, v[1]) for code, v in sorted(geography.STATES.items())]),
                    ),
                    _field(
                        "Not in state",
                        _text_input(
                            "not_state", filters.not_state, list="rx-state-options", maxLength=2, placeholder="e.g. TX"
                        ),
                        "leave out the donors of one state",
                    ),
                    _field(
                        "Through conduit",
                        _text_input("conduit", filters.conduit, list="rx-conduit-options", placeholder="committee id"),
                        "earmarked gifts passed on by it",
                        _datalist("rx-conduit-options", conduits),
                    ),
                ],
                className="rx-form",
            ),
            html.Div(
                [
                    html.Button("Show receipts", id="rx-apply", n_clicks=0, className="button"),
                    dcc.Link("Clear all filters", href=links.receipts_path(cycle=query["cycle"]), className="rx-clear"),
                ],
                className="rx-actions",
            ),
            dcc.Location(id="rx-navigate", refresh="callback-nav"),
            dcc.Store(id="rx-form-view", data={"query": query, "sort": sort, "group": group}),
        ],
        className="rx-filters",
        **{"aria-label": "Filters"},
    )


EARMARK_WORDS = {"": "Either", "yes": "Through a conduit", "no": "Given directly"}
# Donor's state against the state of the House or Senate seat the recipient candidate seeks.
OUTSIDE_STATE_WORDS = {"": "Any", "yes": "Outside the candidate's state", "no": "In the candidate's state"}
ENTITY_WORDS = {"": "Any", "individual": "Individuals", "organization": "Organizations"}
# One row per contribution, or the same rows grouped by donor (?group=donor); each view has its orders.
GROUP_WORDS = {"": "One per contribution", "donor": "One per donor"}
DONOR_SORT_WORDS = {
    "-total": "Largest total first",
    "-gifts": "Most gifts first",
    "name": "By name",
    "-last_date": "Latest gift first",
    "first_date": "Earliest first gift first",
}
DEFAULT_SORTS = {"": receipts.DEFAULT_SORT, "donor": receipts.DEFAULT_DONOR_SORT}


def choice_links(filters, sort, cycles, group=""):
    """Cycle, earmarking, donor state, rows (per contribution or per donor) and order as links: each one a
    shareable view, reachable with Tab."""
    query = filters.to_query()
    return html.Div(
        [
            cycle_picker(
                filters.cycle, cycles, lambda c: view_path(replace(filters, cycle=c), sort, group), all_cycles=True
            ),
            view_links(
                "Earmarked",
                query.get("earmarked", ""),
                EARMARK_WORDS,
                lambda v: view_path(replace(filters, earmarked={"yes": True, "no": False}.get(v)), sort, group),
            ),
            view_links(
                "Donor's state",
                query.get("outside_state", ""),
                OUTSIDE_STATE_WORDS,
                lambda v: view_path(replace(filters, outside_state={"yes": True, "no": False}.get(v)), sort, group),
            ),
            view_links(
                "Contributor type",
                query.get("entity", ""),
                ENTITY_WORDS,
                lambda v: view_path(replace(filters, entity=v or None), sort, group),
            ),
            view_links("Rows", group, GROUP_WORDS, lambda v: view_path(filters, DEFAULT_SORTS[v], v)),
            view_links(
                "Order",
                sort,
                DONOR_SORT_WORDS if group == "donor" else SORT_WORDS,
                lambda v: view_path(filters, v, group),
            ),
        ],
        className="rx-choices",
    )


def chip_text(name: str, value: str, names: dict) -> str:
    if name in ("candidate_id", "committee_id", "conduit") and value in names:
        value = f"{names[value]} ({value})"
    elif name in ("min", "max"):
        value = f"${float(value):,.2f}"
    elif name in ("state", "not_state"):
        value = geography.STATES.get(value, (None, value))[1]
    elif name == "outside_state":
        value = OUTSIDE_STATE_WORDS[value].lower()
    elif name == "entity":
        value = ENTITY_WORDS[value].lower()
    return f"{FILTER_WORDS[name]}: {value}"


def chips(filters, sort, names, group=""):
    """The active filters, each a link to the same view without it."""
    query = filters.to_query()
    items = []
    for name in receipts.FILTER_NAMES:
        if name == "cycle" or name not in query:
            continue
        text = chip_text(name, query[name], names)
        href = view_path(filters.without(name), sort, group)
        items.append(
            html.Li(
                dcc.Link(
                    [
                        html.Span("Remove filter ", className="visually-hidden"),
                        text,
                        html.Span(" ×", **{"aria-hidden": "true"}),
                    ],
                    href=href,
                    className="rx-chip",
                    title=f"Remove this filter ({text})",
                )
            )
        )
    if not items:
        return html.P(f"No filters: every itemized contribution of the {filters.cycle} cycle.", className="muted")
    return html.Ul(items, className="rx-chips", **{"aria-label": "Active filters"})


def view_path(filters, sort, group: str = "") -> str:
    """The explorer's URL of a view: its filters, its order unless the default, and group=donor for one
    row per donor."""
    query = filters.to_query()
    if sort != DEFAULT_SORTS[group]:
        query["sort"] = sort
    if group:
        query["group"] = group
    return links.receipts_path(**query)


def export_href(filters, sort, fmt: str) -> str:
    return f"{PREFIX}/receipts/export?{urlencode({**filters.to_query(), 'sort': sort, 'format': fmt})}"


def downloads(filters, sort, rows: int):
    cap = config.get("EXPORT_ROW_CAP")
    api_href = f"{PREFIX}/receipts?{urlencode({**filters.to_query(), 'sort': sort})}"
    if rows > cap:
        files = html.P(
            f"This view has {rows:,} contributions; one download holds at most {cap:,}. Narrow the "
            "filters (a candidate, a shorter date range, a state...) to download it.",
            className="rx-refusal",
        )
    else:
        files = html.P(
            [
                html.A(
                    "Download CSV", href=export_href(filters, sort, "csv"), className="button", download="", id="rx-csv"
                ),
                " ",
                html.A(
                    "Download Parquet",
                    href=export_href(filters, sort, "parquet"),
                    className="button",
                    download="",
                    id="rx-parquet",
                ),
                f" ({rows:,} rows, exactly this view and order)",
            ]
        )
    return html.Section(
        [
            files,
            html.P(FEC_NOTICE, className="rx-notice"),
            html.P(["The same rows as JSON, a page at a time: ", html.A(api_href, href=api_href)], className="muted"),
        ],
        **{"aria-label": "Download this view"},
    )


def summary_cards(summary, filters):
    row = summary.iloc[0]
    return stat_cards(
        [
            Stat("Contributions", labels.count(row["n"]), "Itemized, matching every filter"),
            Stat("Total", labels.money(row["amount"]), "Net of refunds"),
            Stat(
                "Dates",
                f"{labels.date(row['first_date'])} to {labels.date(row['last_date'])}",
                f"{filters.cycle} cycle" if filters.cycle else "All cycles",
            ),
        ],
        label="Totals of this view",
    )


def grid(filters, sort, rows: int):
    column, descending = receipts.SORTS[sort]
    direction = "desc" if descending else "asc"
    return dag.AgGrid(
        id="rx-grid",
        columnDefs=[{**c, "sort": direction} if c["field"] == column else c for c in COLUMN_DEFS],
        rowModelType="infinite",
        defaultColDef={"sortable": False, "resizable": True, "filter": False},
        dashGridOptions={
            "cacheBlockSize": BLOCK_ROWS,
            "maxBlocksInCache": 5,
            "infiniteInitialRowCount": min(rows, BLOCK_ROWS),
            "rowBuffer": 0,
            "ensureDomOrder": True,
            "suppressColumnVirtualisation": True,
        },  # every column in the DOM: screen readers, tests
        style={"height": "520px", "width": "100%"},
        className="ag-theme-quartz rx-grid",
    )


@friendly_layout
def layout(**query):
    filters, group, sort = parse_query(**query)
    names = {row.id: row.name for row in receipts.filter_names(filters).itertuples()}
    cycles = home.cycles_available()
    conduits = list(receipts.conduits(filters.cycle)[["committee_id", "name"]].itertuples(index=False, name=None))
    summary = receipts.receipts_summary(filters)
    rows = int(summary["n"].iloc[0])
    results = (
        by_donor_results(filters, sort, summary)
        if group == "donor"
        else [
            summary_cards(summary, filters),
            downloads(filters, sort, rows),
            html.P(
                f"Sorted: {SORT_WORDS[sort].lower()}. Scroll the table: rows arrive {BLOCK_ROWS} at a time.",
                className="muted",
                id="rx-sorted",
            ),
            grid(filters, sort, rows),
            dcc.Store(id="rx-view", data={"query": filters.to_query(), "sort": sort, "rows": rows}),
            html.P(id="rx-grid-status", role="status", className="muted"),
        ]
    )
    return page(
        html.H1(TITLE),
        html.P(
            "Every itemized contribution from an individual to a candidate's committees, counted once: "
            "memo entries and the conduit's copy of an earmarked gift are left out.",
            className="lede",
        ),
        methodology_note("itemized"),
        filter_form(filters, sort, names, cycles, conduits, group),
        choice_links(filters, sort, cycles, group),
        html.Section([html.H2("Results"), chips(filters, sort, names, group), *results], **{"aria-label": "Results"}),
    )


@callback(
    Output("rx-grid", "getRowsResponse"),
    Output("rx-grid-status", "children"),
    Input("rx-grid", "getRowsRequest"),
    State("rx-view", "data"),
    prevent_initial_call=True,
)
def rows_block(request, view):
    """One block of rows for the grid, read from the server when the grid scrolls to it."""

    def with_filing_links(frame):
        frame["filing_image"] = [filing_image_link(n) for n in frame["image_number"]]
        return frame

    return grid_block(request, view, grid_sort, receipts.receipts_page, with_filing_links, "Rows")


def grid_block(request, view, sort_of, read, decorate, what: str):
    """The block of rows a grid asks for (getRowsRequest) in the view's filters and the sort its header
    asks for (`sort_of`), read by `read(filters, sort, limit, offset)` and given their links by
    `decorate`; and the status line saying which rows (`what`) arrived."""
    if not request or not view:
        return no_update, no_update
    filters = receipts.ReceiptFilters.from_query(view["query"])
    sort = sort_of(request, view["sort"])
    try:  # the grid sends whole numbers; anything else is a crafted request, not a bug to log
        start = max(0, int(request.get("startRow", 0)))
        end = min(start + receipts.MAX_PAGE, max(start, int(request.get("endRow", start + BLOCK_ROWS))))
    except (AttributeError, TypeError, ValueError):
        return no_update, no_update
    try:
        frame = decorate(read(filters, sort, end - start, start))
    except db.QueryTimeoutError:
        return {"rowData": [], "rowCount": start}, f"These {what.lower()} took too long to read; scroll again to retry."
    return {
        "rowData": json_records(frame),
        "rowCount": view["rows"],
    }, f"{what} {start + 1:,} to {start + len(frame):,} of {view['rows']:,} loaded."


# When every search of the worker's pool is taken (dashboard/app/limits.py), the page and its grids say so
# and offer to try again, instead of a blank page or an empty grid.
@limits.answer_when_busy("_pages_content", "children")
def page_when_busy(body: dict) -> dict | None:
    """The explorer's page when it cannot be searched now: the message and a link to load it again."""
    values = {i.get("property"): i.get("value") for i in body.get("inputs", []) if isinstance(i, dict)}
    path, search = str(values.get("pathname") or "/receipts"), str(values.get("search") or "")
    if path.rstrip("/") != "/receipts":
        return None
    content = page(
        html.H1(TITLE),
        html.P([limits.BUSY_MESSAGE + " ", html.A("Try again", href=path + search, id="rx-busy-retry")], role="status"),
    )
    return {"_pages_content": {"children": content}, "_pages_store": {"data": {"title": TITLE}}}


def busy_status(grid_id: str) -> list:
    return [limits.BUSY_MESSAGE + " ", html.Button("Try again", id=f"{grid_id}-retry", className="button", n_clicks=0)]


@limits.answer_when_busy("rx-grid", "getRowsResponse")
def rows_when_busy(_body: dict) -> dict:
    return {"rx-grid-status": {"children": busy_status("rx-grid")}}  # its rows are asked again by the button


@limits.answer_when_busy("rx-donor-grid", "getRowsResponse")
def donor_rows_when_busy(_body: dict) -> dict:
    return {"rx-donor-grid-status": {"children": busy_status("rx-donor-grid")}}


# The grid asks again for the blocks it is missing.
RETRY_BLOCKS = """
function (n_clicks) {
    if (!n_clicks) { return window.dash_clientside.no_update; }
    const api = dash_ag_grid.getApi(GRID);
    if (api) { api.refreshInfiniteCache(); }
    return "Asking again...";
}
"""
for _grid in ("rx-grid", "rx-donor-grid"):
    clientside_callback(
        RETRY_BLOCKS.replace("GRID", json.dumps(_grid)),
        Output(f"{_grid}-status", "children", allow_duplicate=True),
        Input(f"{_grid}-retry", "n_clicks"),
        prevent_initial_call=True,
    )


def grid_sort(request, current: str) -> str:
    """The URL sort of the grid's request (its header sorted by a click), else `current`."""
    model = (request or {}).get("sortModel") or []
    if not model or model[0].get("colId") not in ("date", "amount"):
        return current
    return ("-" if model[0].get("sort") == "desc" else "") + model[0]["colId"]


def filing_image_link(image_number) -> str:
    """A markdown link to the FEC's image of the filing page; blank without an image number."""
    url = links.filing_image_url(image_number)
    if url is None:
        return ""
    return f'[Filing page]({url} "FEC image {str(image_number).strip()} of the filing page; opens in a new tab")'


@callback(
    Output("rx-navigate", "href", allow_duplicate=True),
    Input("rx-grid", "getRowsRequest"),
    State("rx-view", "data"),
    prevent_initial_call=True,
)
def sort_from_header(request, view):
    """A click on a sortable header puts its order in the URL (the view shared, exported, summed)."""
    return path_for_header_sort(request, view, grid_sort)


def path_for_header_sort(request, view, sort_of, group: str = ""):
    """The view's address in the order a grid's header asks for (`sort_of`), or no_update when the
    order is the view's already."""
    if not request or not view:
        return no_update
    sort = sort_of(request, view["sort"])
    if sort == view["sort"]:
        return no_update
    return view_path(receipts.ReceiptFilters.from_query(view["query"]), sort, group)


@callback(Output("rx-who-options", "children"), Input("rx-who", "value"), prevent_initial_call=True)
def who_matches(text):
    """Type-ahead: candidates and committees whose name or id matches what is typed."""
    if not text or len(search.normalize(text)) < search.MIN_LENGTH:
        return no_update
    found = search.search(params.search_text(text), limit=10)
    return [html.Option(f"{row.name} ({row.kind})", value=row.id) for row in found.itertuples()]


FORM_STATES = ("who", *TEXT_FIELDS, "state", "not_state", "conduit", "view")


@callback(
    Output("rx-navigate", "href"),
    Input("rx-apply", "n_clicks"),
    *[Input(f"rx-{name}", "n_submit") for name in ("who", *TEXT_FIELDS, "state", "not_state", "conduit")],
    *[State(f"rx-{name}", "value") for name in FORM_STATES[:-1]],
    State("rx-form-view", "data"),
    prevent_initial_call=True,
)
def apply_filters(*values):
    """The form's values as the page's URL (the page then reads and checks them). A name typed
    into the candidate box without picking a suggestion means its best match."""
    if not ctx.triggered or not any(t["value"] for t in ctx.triggered):
        return no_update
    query = dict(zip(FORM_STATES, values[-len(FORM_STATES) :]))
    # Choices made with links (cycle, sort, earmarked, donor's state, contributor type) stay as they are.
    view = query.pop("view") or {}
    query.update({name: view["query"].get(name) for name in ("cycle", "earmarked", "outside_state", "entity")})
    query["sort"] = view.get("sort")
    query["group"] = view.get("group")
    who = str(query.pop("who") or "").strip()
    if who:
        if re.fullmatch(r"[CcHhSsPp][0-9A-Za-z]{8}", who):
            key = "committee_id" if who.upper().startswith("C") else "candidate_id"
            query[key] = who.upper()
        else:
            best = search.search(params.search_text(who), limit=1)
            if not best.empty:
                row = best.iloc[0]
                query["candidate_id" if row["kind"] == "candidate" else "committee_id"] = row["id"]
    if query.get("sort") == DEFAULT_SORTS[query.get("group") or ""]:
        query.pop("sort")
    for name in ("state", "not_state"):
        if isinstance(query.get(name), str):
            query[name] = query[name].upper()
    return links.receipts_path(**{k: v for k, v in query.items() if v is not None and str(v).strip() != ""})


# ----------------------------------------------------------------------------- one row per donor

# Grid column -> the by-donor sort it orders by (receipts.DONOR_SORTS, '-' added when descending).
DONOR_SORT_COLUMNS = {
    "donor_key": "name",
    "total": "total",
    "gifts": "gifts",
    "first_date": "first_date",
    "last_date": "last_date",
}
DONOR_COLUMN_DEFS = [
    # A markdown link to the donor's page (made by donor_rows_block).
    {"field": "donor_link", "colId": "donor_key", "headerName": "Donor", "width": 230, "cellRenderer": "markdown",
     "sortable": True, "sortingOrder": ["asc", "desc"]},
    {"field": "city", "headerName": "City", "width": 130},
    {"field": "state", "headerName": "State", "width": 80},
    {"field": "zip5", "headerName": "ZIP", "width": 90},
    {"field": "employer", "headerName": "Employer", "width": 180},
    {"field": "total", "headerName": "Total", "type": "rightAligned", "width": 130, "valueFormatter": MONEY_FORMAT,
     **SORTABLE},
    {"field": "gifts", "headerName": "Gifts", "type": "rightAligned", "width": 90, **SORTABLE},
    {"field": "first_date", "headerName": "First gift", "width": 120, **SORTABLE},
    {"field": "last_date", "headerName": "Last gift", "width": 120, **SORTABLE},
]  # fmt: skip
DONOR_CSV = [
    "donor_key", "contributor_name", "city", "state", "zip5", "employer", "total", "gifts", "first_date", "last_date",
]  # fmt: skip


def donor_link(donor_key, name) -> str:
    """A markdown link to the donor's page (/donor/<url-encoded donor key>); the name as text, its
    markdown characters escaped. Rows without a donor key (no name given) link nowhere."""
    text = re.sub(r"([\\\[\]()*_`])", r"\\\1", name) if isinstance(name, str) and name else "(no name)"
    if not isinstance(donor_key, str) or not donor_key:
        return text
    return f"[{text}]({links.donor_url(donor_key)})"


def by_donor_results(filters, sort: str, summary):
    """The one-row-per-donor view of the filters: cards, the CSV with the FEC's notice, and a grid paged
    from the server (receipts.receipts_by_donor), sorted by a header click or the Order links."""
    try:
        first = receipts.receipts_by_donor(filters, sort, 1, 0)
    except db.QueryTimeoutError:  # grouping a whole cycle's rows can take longer than a page may wait
        return [
            summary_cards(summary, filters),
            html.P(
                "Grouping this many contributions by donor takes too long. Add a candidate or committee, a name, "
                "a ZIP code or a shorter date range, or show one row per contribution.",
                className="rx-refusal",
                role="status",
            ),
        ]
    donors_in_view = int(first["donors"].iloc[0]) if len(first) else 0
    cap = config.get("EXPORT_ROW_CAP")
    column, descending = receipts.DONOR_SORTS[sort]
    columns = [  # the grid's column ids are the sort's columns
        {**c, "sort": "desc" if descending else "asc"} if c.get("colId", c["field"]) == column else c
        for c in DONOR_COLUMN_DEFS
    ]
    download = (
        html.P(
            f"This view has {donors_in_view:,} donors; one download holds at most {cap:,}. Narrow the filters to "
            "download it.",
            className="rx-refusal",
        )
        if donors_in_view > cap
        else html.P(
            [
                html.Button("Download CSV", id="rx-donor-csv", className="button", n_clicks=0),
                dcc.Download(id="rx-donor-download"),
                f" ({donors_in_view:,} donors, exactly this view and order)",
            ]
        )
    )
    return [
        summary_cards(summary, filters),
        stat_cards(
            [Stat("Donors", labels.count(donors_in_view), "Name + ZIP5, as grouped on candidate pages")],
            label="Donors in this view",
        ),
        html.Section(
            [download, html.P(donors.DONOR_LIST_NOTICE, className="rx-notice")],
            **{"aria-label": "Download this view"},
        ),
        html.P(
            f"One row per donor, sorted: {DONOR_SORT_WORDS.get(sort, sort).lower()}. Totals are net of refunds; "
            f"gifts do not count refunds. Rows arrive {BLOCK_ROWS} at a time.",
            className="muted",
            id="rx-sorted",
        ),
        dag.AgGrid(
            id="rx-donor-grid",
            columnDefs=columns,
            rowModelType="infinite",
            defaultColDef={"sortable": False, "resizable": True, "filter": False},
            dashGridOptions={
                "cacheBlockSize": BLOCK_ROWS,
                "maxBlocksInCache": 5,
                "infiniteInitialRowCount": min(donors_in_view, BLOCK_ROWS),
                "rowBuffer": 0,
                "ensureDomOrder": True,
                "suppressColumnVirtualisation": True,
            },
            style={"height": "520px", "width": "100%"},
            className="ag-theme-quartz rx-grid",
        ),
        dcc.Store(
            id="rx-donor-view",
            data={"query": filters.to_query(), "sort": sort, "rows": donors_in_view},
        ),
        html.P(id="rx-donor-grid-status", role="status", className="muted"),
    ]


def donor_grid_sort(request, current: str) -> str:
    """The by-donor sort of the grid's request (a header clicked), else `current`."""
    model = (request or {}).get("sortModel") or []
    if not model or model[0].get("colId") not in DONOR_SORT_COLUMNS:
        return current
    return ("-" if model[0].get("sort") == "desc" else "") + DONOR_SORT_COLUMNS[model[0]["colId"]]


@callback(
    Output("rx-donor-grid", "getRowsResponse"),
    Output("rx-donor-grid-status", "children"),
    Input("rx-donor-grid", "getRowsRequest"),
    State("rx-donor-view", "data"),
    prevent_initial_call=True,
)
def donor_rows_block(request, view):
    """One block of donors for the grid, read from the server when the grid scrolls to it."""

    def with_donor_links(frame):
        frame["donor_link"] = [donor_link(k, n) for k, n in zip(frame["donor_key"], frame["contributor_name"])]
        return frame

    return grid_block(request, view, donor_grid_sort, receipts.receipts_by_donor, with_donor_links, "Donors")


@callback(
    Output("rx-navigate", "href", allow_duplicate=True),
    Input("rx-donor-grid", "getRowsRequest"),
    State("rx-donor-view", "data"),
    prevent_initial_call=True,
)
def donor_sort_from_header(request, view):
    """A click on a sortable header of the by-donor grid puts its order in the URL."""
    return path_for_header_sort(request, view, donor_grid_sort, "donor")


@callback(
    Output("rx-donor-download", "data"),
    Input("rx-donor-csv", "n_clicks"),
    State("rx-donor-view", "data"),
    prevent_initial_call=True,
)
def donor_csv(n_clicks, view):
    """The whole by-donor view as CSV, in its order, the FEC's notice on named donors as its first line."""
    if not n_clicks or not view:
        return no_update
    filters = receipts.ReceiptFilters.from_query(view["query"])
    frame = receipts.receipts_by_donor(filters, view["sort"], config.get("EXPORT_ROW_CAP"), 0)
    content = f"# {donors.DONOR_LIST_NOTICE}\n" + csv_text(frame, DONOR_CSV)
    return {"content": content, "filename": f"receipts-by-donor-{filters.cycle}.csv", "type": "text/csv"}
