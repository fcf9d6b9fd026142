"""The public API: /api/v1/..., JSON and CSV twins of every chart and table the site shows.

Each endpoint is one declarative `Endpoint` entry in ENDPOINTS: its path, the query function of
dashboard/queries/ the pages call (so the API's numbers equal the pages' by construction), and
its parameters, each parsed by dashboard.core.params. Adding an endpoint for a new query function
is one entry. `/api/v1/openapi.json` is generated from the same entries.

- `?format=csv` (or a `.csv` suffix on the path) answers CSV; JSON otherwise:
  {"data": [rows], "meta": {"snapshot_id", "source", "data_through", "parameters", "rows"}}.
- Every parameter is validated: an invalid or unknown one is a 400 whose message names it.
- `ETag` and `Cache-Control` derive from the snapshot id, so a client's cached answer stays
  valid until a new snapshot is published (If-None-Match answers 304 without a query).
- /api/v1/receipts pages with a keyset cursor (`after`); /api/v1/receipts/export streams the
  whole view as CSV or Parquet (dashboard.app.exports).
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

import numpy as np
import pandas as pd
from flask import Blueprint, Response, jsonify, request

from dashboard.core import contract, params
from dashboard.app import db, exports
from dashboard.app.queries import candidates, committees, home, maps, races, receipts, search, snapshot, trends

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
api = Blueprint("api", __name__, url_prefix=PREFIX)
CACHE_SECONDS = 300
FORMATS = ("json", "csv")


# ----------------------------------------------------------------------------- parameters

@dataclass(frozen=True)
class Param:
    name: str
    parse: Callable[[Any], Any]       # raw URL value (None when absent) -> clean value
    schema: dict                      # OpenAPI schema of the raw value
    description: str
    required: bool = False


def _optional(parse: Callable) -> Callable:
    return lambda value: None if value is None or not str(value).strip() else parse(value)


def _limit(maximum: int, default: int) -> Param:
    return Param("limit", lambda v: params.whole_number(v, "limit", 1, maximum, default),
                 {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
                 f"most rows to return (1-{maximum})")


CYCLE = Param("cycle", params.cycle, {"type": "integer", "example": 2024},
              "two-year cycle, named by its even year (default: the site's default cycle)")
OFFICE = Param("office", params.office, {"type": "string", "enum": ["house", "senate", "president", "H", "S", "P"]},
               "office: house, senate or president", required=True)
OFFICE_OPTIONAL = Param("office", _optional(params.office), OFFICE.schema, "office: house, senate or president")
STATE = Param("state", _optional(params.state), {"type": "string", "pattern": "^[A-Za-z]{2}$"},
              "two-letter state code (house and senate races)")
DISTRICT = Param("district", _optional(params.district), {"type": "string", "pattern": "^[0-9]{1,2}$"},
                 "House district, 00 for at-large seats (house races)")
CANDIDATE = Param("candidate_id", params.candidate_id, {"type": "string", "pattern": "^[HSPhsp][0-9A-Za-z]{8}$"},
                  "FEC candidate id", required=True)
COMMITTEE = Param("committee_id", params.committee_id, {"type": "string", "pattern": "^[Cc][0-9]{8}$"},
                  "FEC committee id", required=True)
SEARCH_TEXT = Param("q", lambda v: params.free_text(v, "q", 80) or "", {"type": "string", "maxLength": 80},
                    "words of a candidate's or committee's name, or an FEC id", required=True)

# The receipts explorer's filters, named as in its URL (dashboard.app.queries.receipts).
RECEIPT_FILTERS = (
    Param("cycle", lambda v: v, CYCLE.schema, CYCLE.description),
    Param("candidate_id", lambda v: v, CANDIDATE.schema, "recipient candidate"),
    Param("committee_id", lambda v: v, COMMITTEE.schema, "recipient committee"),
    Param("q", lambda v: v, {"type": "string", "maxLength": 80},
          "contributor name: every word begins a word of the name, any order"),
    Param("employer", lambda v: v, {"type": "string", "maxLength": 80},
          "employer as normalized on candidate pages; end with * for 'starts with'"),
    Param("occupation", lambda v: v, {"type": "string", "maxLength": 80},
          "occupation as normalized on candidate pages; end with * for 'starts with'"),
    Param("city", lambda v: v, {"type": "string", "maxLength": 40}, "contributor's city starts with"),
    Param("state", lambda v: v, STATE.schema, "contributor's state"),
    Param("zip", lambda v: v, {"type": "string", "pattern": "^[0-9]{5}(-?[0-9]{4})?$"}, "contributor's ZIP code"),
    Param("min", lambda v: v, {"type": "number"}, "smallest amount, dollars"),
    Param("max", lambda v: v, {"type": "number"}, "largest amount, dollars"),
    Param("from", lambda v: v, {"type": "string", "format": "date"}, "first date, YYYY-MM-DD"),
    Param("to", lambda v: v, {"type": "string", "format": "date"}, "last date, YYYY-MM-DD"),
    Param("earmarked", lambda v: v, {"type": "string", "enum": ["yes", "no"]}, "earmarked through a conduit or not"),
    Param("conduit", lambda v: v, COMMITTEE.schema, "the conduit committee an earmarked gift came through"),
)
SORT = Param("sort", receipts.ReceiptFilters.parse_sort, {"type": "string", "enum": list(receipts.SORTS),
                                           "default": receipts.DEFAULT_SORT}, "order: date or amount, - for descending")


# ----------------------------------------------------------------------------- endpoints

@dataclass(frozen=True)
class Endpoint:
    path: str                                   # under /api/v1
    summary: str
    function: Callable                          # the query function the pages call
    params: tuple[Param, ...] = ()
    call: Callable[[dict], Any] | None = None   # adapts parsed parameters (default: function(**params))
    tag: str = "data"
    extra: dict = field(default_factory=dict)   # more OpenAPI fields


def _race(function: Callable) -> Callable[[dict], Any]:
    """Calls a race query after checking the race is fully named (state for house and senate,
    district for house)."""
    def call(p: dict):
        if p["office"] in ("H", "S") and not p.get("state"):
            raise params.InvalidParameter("state: missing (house and senate races are in one state)")
        if p["office"] == "H" and not p.get("district"):
            raise params.InvalidParameter("district: missing (a house race is one district)")
        return function(p["cycle"], p["office"], p.get("state"), p.get("district"))
    return call


def _listing(column: str, function: Callable) -> Callable[[dict], Any]:
    return lambda p: pd.DataFrame({column: function(**p)})


RACE = (CYCLE, OFFICE, STATE, DISTRICT)
CANDIDATE_CYCLE = (CANDIDATE, CYCLE)

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/cycles", "Cycles with data, newest first", home.cycles_available,
             call=_listing("cycle", home.cycles_available), tag="site"),
    Endpoint("/headline", "Money raised, spent and kept per office in a cycle (home page)",
             home.headline_by_office, (CYCLE,), tag="site"),
    Endpoint("/races/top", "The races that raised the most in a cycle", races.top_races,
             (CYCLE, OFFICE_OPTIONAL, _limit(500, 10)), tag="races"),
    Endpoint("/race", "One race's totals, leader and shares (agg_district row)", races.race_summary, RACE,
             call=_race(races.race_summary), tag="races"),
    Endpoint("/race/candidates", "Every candidate of a race with summary totals", races.race_candidates, RACE,
             call=_race(races.race_candidates), tag="races"),
    Endpoint("/race/periods", "Every report of every candidate of a race", races.race_periods, RACE,
             call=_race(races.race_periods), tag="races"),
    Endpoint("/race/weekly", "Itemized money per candidate and week in a race", races.race_weekly, RACE,
             call=_race(races.race_weekly), tag="races"),
    Endpoint("/race/sizes", "Money by contribution size for every candidate of a race", races.race_sizes, RACE,
             call=_race(races.race_sizes), tag="races"),
    Endpoint("/race/home-state", "In-state and out-of-state itemized money per candidate of a race",
             races.race_home_state, RACE, call=_race(races.race_home_state), tag="races"),
    Endpoint("/race/cycles", "Cycles in which a race has candidates", races.race_cycles, (OFFICE, STATE, DISTRICT),
             call=lambda p: pd.DataFrame({"cycle": races.race_cycles(p["office"], p.get("state"), p.get("district"))}),
             tag="races"),
    Endpoint("/candidate", "A candidate's facts and summary totals in a cycle", candidates.candidate_summary,
             CANDIDATE_CYCLE, tag="candidates"),
    Endpoint("/candidate/cycles", "Every cycle a candidate ran in", candidates.candidate_cycles, (CANDIDATE,),
             tag="candidates"),
    Endpoint("/candidate/committees", "A candidate's committees and whether each is counted",
             candidates.candidate_committees, CANDIDATE_CYCLE, tag="candidates"),
    Endpoint("/candidate/periods", "Raised, spent and cash on hand by report", candidates.candidate_periods,
             CANDIDATE_CYCLE, tag="candidates"),
    Endpoint("/candidate/sizes", "Money from individuals by contribution size", candidates.candidate_sizes,
             CANDIDATE_CYCLE, tag="candidates"),
    Endpoint("/candidate/states", "Itemized money by donor state", candidates.candidate_states, CANDIDATE_CYCLE,
             tag="candidates"),
    Endpoint("/candidate/donors", "Top individual contributors", candidates.candidate_donors,
             (*CANDIDATE_CYCLE, _limit(100, 100)), tag="candidates"),
    Endpoint("/candidate/employers", "Top employers of donors (normalized)", candidates.candidate_employers,
             (*CANDIDATE_CYCLE, _limit(100, 100)), tag="candidates"),
    Endpoint("/candidate/occupations", "Top occupations of donors (normalized)", candidates.candidate_occupations,
             (*CANDIDATE_CYCLE, _limit(100, 100)), tag="candidates"),
    Endpoint("/committee", "A committee's facts per cycle", committees.committee_cycles, (COMMITTEE,),
             tag="committees"),
    Endpoint("/search", "Candidates and committees matching a name or id", search.search,
             (SEARCH_TEXT, _limit(50, 10)), call=lambda p: search.search(p["q"], p["limit"]), tag="site"),
    Endpoint("/coverage", "Per cycle: the date the data runs through, candidates reporting",
             snapshot.coverage_by_cycle, tag="site"),
    Endpoint("/row-counts", "Rows per extract of the snapshot", snapshot.row_counts, tag="site"),
    Endpoint("/receipts/summary", "Count, sum and dates of the itemized receipts a search selects",
             receipts.receipts_summary, RECEIPT_FILTERS,
             call=lambda p: receipts.receipts_summary(receipts.ReceiptFilters.from_query(p)), tag="receipts"),
)
def _party(value):
    text = str(value).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise params.InvalidParameter(f"party: {text[:20]!r} is not a three-letter FEC party code such as DEM")
    return text


def _required_date(name: str, description: str) -> Param:
    return Param(name, lambda v: params.date(v, name), {"type": "string", "format": "date"}, description,
                 required=True)


# The trends monitor's filters (dashboard.app.queries.trends): the recipient's state, office, party.
TREND_FILTERS = (
    CYCLE, STATE, OFFICE_OPTIONAL,
    Param("party", _optional(_party), {"type": "string", "pattern": "^[A-Za-z]{3}$"}, "FEC party code, e.g. DEM"),
)
WINDOW = (_required_date("start", "first day of the window, YYYY-MM-DD"),
          _required_date("end", "last day of the window, YYYY-MM-DD"))
ORDER = Param("order", lambda v: params.choice(v, "order", ("dollars", "percent"), "dollars"),
              {"type": "string", "enum": ["dollars", "percent"], "default": "dollars"}, "rank by dollars or percent")

ENDPOINTS += (
    Endpoint("/trends/data-end", "The last day with itemized receipts in a cycle", trends.data_end, (CYCLE,),
             call=lambda p: pd.DataFrame({"data_end": [trends.data_end(p["cycle"])]}), tag="trends"),
    Endpoint("/trends/parties", "Party codes of a cycle's candidates, most common first", trends.party_options,
             (CYCLE,), call=_listing("party", trends.party_options), tag="trends"),
    Endpoint("/trends/over-time", "Itemized money per day or week by party and office, with the previous cycle",
             trends.receipts_over_time,
             (*TREND_FILTERS, *WINDOW, Param("by", lambda v: params.choice(v, "by", ("day", "week"), "day"),
                                             {"type": "string", "enum": ["day", "week"]}, "day or week")),
             tag="trends"),
    Endpoint("/trends/comparison", "Itemized money in a window against the windows before", trends.comparison,
             (*TREND_FILTERS, *WINDOW), tag="trends"),
    Endpoint("/trends/changes", "The snapshot this one was compared with", trends.changes_summary,
             call=lambda p: pd.DataFrame([trends.changes_summary()]), tag="trends"),
    Endpoint("/trends/movers", "Candidates whose receipts grew since the previous snapshot",
             trends.movers_since_snapshot, (*TREND_FILTERS, ORDER, _limit(500, 25)), tag="trends"),
    Endpoint("/trends/arrivals", "Candidates with itemized receipts that arrived since the previous snapshot",
             trends.arrivals_since_snapshot, (*TREND_FILTERS, _limit(1000, 100)), tag="trends"),
    Endpoint("/trends/new-reports", "Report periods new or revised since the previous snapshot", trends.new_reports,
             (*TREND_FILTERS, _limit(1000, 200)), tag="trends"),
    Endpoint("/trends/movers-since", "Candidates whose latest report raised more than the one before",
             trends.movers_since_period,
             (*TREND_FILTERS, _required_date("since", "latest report ends on or after, YYYY-MM-DD"), ORDER,
              _limit(500, 25)), tag="trends"),
    Endpoint("/trends/large", "Large itemized contributions received in a window", trends.large_contributions,
             (*TREND_FILTERS, *WINDOW,
              Param("minimum", lambda v: params.whole_number(v, "minimum", contract.LARGE_RECEIPT_FLOOR,
                                                               100_000_000, contract.LARGE_RECEIPT_FLOOR),
                    {"type": "integer", "minimum": contract.LARGE_RECEIPT_FLOOR}, "smallest amount, dollars"),
              _limit(5000, 500)), tag="trends"),
    Endpoint("/trends/top-races", "Cumulative receipts of the races that raised the most", trends.top_races_cumulative,
             (*TREND_FILTERS, Param("races", lambda v: params.whole_number(v, "races", 1, 50, 8),
                                    {"type": "integer", "minimum": 1, "maximum": 50}, "how many races")),
             tag="trends"),
)
MAP_OFFICE = Param("office", lambda v: params.choice(v, "office", ("house", "senate"), "house")[0].upper(),
                   {"type": "string", "enum": ["house", "senate"], "default": "house"}, "house or senate")
PER_RACE = Param("per_race", lambda v: params.whole_number(v, "per_race", 1, 10, 3),
                 {"type": "integer", "minimum": 1, "maximum": 10, "default": 3}, "leading candidates per race")

ENDPOINTS += (
    Endpoint("/map", "Every seat the district map draws, with every metric it colours by and the leaders",
             maps.map_rows, (CYCLE, MAP_OFFICE, STATE, PER_RACE), tag="map"),
    Endpoint("/map/races", "Every race of one office in a cycle (agg_district rows)", maps.map_races,
             (CYCLE, MAP_OFFICE, STATE), tag="map"),
    Endpoint("/map/candidates", "The biggest fundraisers of every race (the map's hover)", maps.map_candidates,
             (CYCLE, MAP_OFFICE, STATE, PER_RACE), tag="map"),
    Endpoint("/race/nearby", "Races closest to a race (the same seat in other cycles, neighbours)", races.nearby_races,
             (CYCLE, OFFICE, STATE, DISTRICT), tag="races"),
    Endpoint("/receipts/conduits", "Conduit committees of a cycle (ActBlue, WinRed...)", receipts.conduits,
             (CYCLE,), tag="receipts"),
)
BY_PATH = {endpoint.path: endpoint for endpoint in ENDPOINTS}

RECEIPTS_PAGE = (*RECEIPT_FILTERS, SORT,
                 Param("after", lambda v: v, {"type": "string", "maxLength": 200},
                       "cursor from the previous page's meta.next_after"),
                 _limit(receipts.MAX_PAGE, 100))
EXPORT_PARAMS = (*RECEIPT_FILTERS, SORT,
                 Param("format", exports.export_format, {"type": "string", "enum": list(exports.MEDIA_TYPES),
                                                         "default": "csv"}, "csv or parquet"))


# ----------------------------------------------------------------------------- plumbing

class ApiError(Exception):
    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


def _problem(status: int, message: str, parameter: str | None = None) -> Response:
    body = {"error": message, "status": status}
    if parameter:
        body["parameter"] = parameter
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _parse(declared: tuple[Param, ...], allowed_extra: tuple[str, ...] = ("format",)) -> dict:
    """Parsed values of `declared` from the query string; unknown or repeated names are errors."""
    known = {p.name for p in declared} | set(allowed_extra)
    for name in request.args:
        if name not in known:
            raise params.InvalidParameter(f"{name[:30]}: unknown parameter; this endpoint takes "
                                            f"{', '.join(sorted(known)) or 'none'}")
        if len(request.args.getlist(name)) > 1:
            raise params.InvalidParameter(f"{name[:30]}: given more than once")
    parsed = {}
    for param in declared:
        raw = request.args.get(param.name)
        if param.required and (raw is None or not raw.strip()):
            raise params.InvalidParameter(f"{param.name}: missing (required)")
        parsed[param.name] = param.parse(raw)
    return parsed


def _format(path_format: str | None) -> str:
    requested = request.args.get("format")
    fmt = (requested or path_format or "json").strip().lower()
    if fmt not in FORMATS:
        raise params.InvalidParameter(f"format: {fmt[:20]!r} is not one of {', '.join(FORMATS)}")
    return fmt


def _snapshot_tag() -> tuple[str, dict]:
    manifest = db.manifest()
    return str(manifest.get("snapshot_id", "none")), manifest


def _etag(snapshot_id: str) -> str:
    """The same URL on the same snapshot always has the same answer."""
    digest = hashlib.sha256(request.full_path.encode()).hexdigest()[:16]
    return f"{snapshot_id}-{digest}"


def _not_modified(etag: str) -> bool:
    # Flask-Compress appends ':gzip' (or another encoding) to the tag it sends.
    sent = [tag.split(":")[0] for tag in request.if_none_match.as_set()] if request.if_none_match else []
    return etag in sent


def _cacheable(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response


def _csv(frame: pd.DataFrame) -> str:
    flat = frame.copy()
    for column in flat.columns:
        if flat[column].dtype == object:
            flat[column] = [("; ".join(str(exports.json_value(v)) for v in value)
                             if isinstance(value, (list, tuple, np.ndarray)) else value) for value in flat[column]]
    return flat.to_csv(index=False, date_format="%Y-%m-%d")


def _answer(frame: pd.DataFrame, fmt: str, manifest: dict, parameters: dict, etag: str,
            extra_meta: dict | None = None, name: str = "data") -> Response:
    if fmt == "csv":
        response = Response(_csv(frame), mimetype="text/csv")
        response.headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
    else:
        meta = {"snapshot_id": manifest.get("snapshot_id"), "source": manifest.get("source"),
                "data_through": snapshot.latest_coverage_end(manifest), "parameters": exports.json_value({k: v for k, v in parameters.items() if v is not None}),
                "rows": len(frame), **(extra_meta or {})}
        # Not jsonify: it sorts keys, and rows should keep the columns in the tables' order.
        response = Response(json.dumps({"data": exports.json_records(frame), "meta": meta}, separators=(",", ":")),
                            mimetype="application/json")
    return _cacheable(response, etag)


def _guarded(handler: Callable[[], Response]) -> Response:
    """Turns what can go wrong into the right status and a message that says what to do."""
    try:
        return handler()
    except params.InvalidParameter as problem:
        name = str(problem).split(":", 1)[0]
        return _problem(400, str(problem), name)
    except exports.ExportTooLarge as problem:
        return _problem(413, str(problem))
    except db.NoSnapshotError as problem:
        return _problem(503, str(problem))
    except db.QueryTimeoutError:
        return _problem(503, "This question took too long to answer. Narrow it (name a candidate, committee, "
                             "contributor, ZIP code or a shorter date range) and try again.")


def _split_suffix(path: str) -> tuple[str, str | None]:
    for fmt in FORMATS:
        if path.endswith("." + fmt):
            return path[: -len(fmt) - 1], fmt
    return path, None


# ----------------------------------------------------------------------------- routes

@api.get("/openapi.json")
def openapi_document():
    return jsonify(openapi())


@api.get("/receipts")
@api.get("/receipts.<path_format>")
def receipts_search(path_format: str | None = None):
    def handle():
        if path_format not in (None, *FORMATS):
            raise ApiError(404, f"No endpoint {request.path}")
        fmt = _format(path_format)
        parsed = _parse(RECEIPTS_PAGE)
        snapshot_id, manifest = _snapshot_tag()
        etag = _etag(snapshot_id)
        if _not_modified(etag):
            return _cacheable(Response(status=304), etag)
        filters = receipts.ReceiptFilters.from_query(parsed)
        sort = parsed["sort"]
        frame, next_after = receipts.receipts_after(filters, sort, parsed["after"], parsed["limit"])
        following = None
        if next_after:
            query = {k: v for k, v in request.args.items() if k != "after"}
            following = f"{PREFIX}/receipts?{urlencode({**query, 'after': next_after})}"
        response = _answer(frame, fmt, manifest, parsed, etag, {"next_after": next_after, "next": following},
                           name="receipts")
        if next_after:
            response.headers["Link"] = f'<{following}>; rel="next"'
        return response
    return _with_api_errors(handle)


@api.get("/receipts/export")
def receipts_export():
    def handle():
        parsed = _parse(EXPORT_PARAMS, allowed_extra=())
        filters = receipts.ReceiptFilters.from_query(parsed)
        export = exports.receipts_export(filters, parsed["sort"], parsed["format"])
        response = Response(export.chunks, mimetype=export.media_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response.headers["X-Row-Count"] = str(export.rows)
        response.headers["Cache-Control"] = "no-store"
        return response
    return _with_api_errors(handle)


@api.get("/<path:path>")
def table(path: str):
    def handle():
        base, path_format = _split_suffix("/" + path)
        endpoint = BY_PATH.get(base)
        if endpoint is None:
            raise ApiError(404, f"No endpoint {PREFIX}{base}. The list is at {PREFIX}/openapi.json.")
        fmt = _format(path_format)
        parsed = _parse(endpoint.params)
        snapshot_id, manifest = _snapshot_tag()
        etag = _etag(snapshot_id)
        if _not_modified(etag):
            return _cacheable(Response(status=304), etag)
        result = endpoint.call(parsed) if endpoint.call else endpoint.function(**parsed)
        return _answer(result, fmt, manifest, parsed, etag, name=base.strip("/").replace("/", "-"))
    return _with_api_errors(handle)


def _with_api_errors(handler):
    try:
        return _guarded(handler)
    except ApiError as problem:
        return _problem(problem.status, problem.message, problem.parameter)


@api.errorhandler(500)
def _internal(_error):
    return _problem(500, "Something went wrong on our side; it has been logged.")


@api.errorhandler(405)
def _method(_error):
    return _problem(405, "Only GET is supported.")


# ----------------------------------------------------------------------------- OpenAPI

def _parameter_doc(param: Param) -> dict:
    return {"name": param.name, "in": "query", "required": param.required, "description": param.description,
            "schema": param.schema}


def _operation(summary: str, declared: tuple[Param, ...], tag: str, formats: bool = True) -> dict:
    parameters = [_parameter_doc(p) for p in declared]
    if formats:
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "json (default) or csv",
                           "schema": {"type": "string", "enum": list(FORMATS), "default": "json"}})
    return {"get": {
        "summary": summary, "tags": [tag], "parameters": parameters,
        "responses": {
            "200": {"description": "The rows, as JSON ({data, meta}) or CSV",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Table"}},
                                "text/csv": {"schema": {"type": "string"}}}},
            "304": {"description": "Not modified since the ETag sent (same snapshot)"},
            "400": {"description": "A parameter is invalid; the message names it",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
            "503": {"description": "No data published yet, or the question took too long",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}},
        }}}


def openapi() -> dict:
    paths = {f"{PREFIX}{e.path}": _operation(e.summary, e.params, e.tag) for e in ENDPOINTS}
    paths[f"{PREFIX}/receipts"] = _operation(
        "Itemized receipts a search selects, one page at a time (keyset paging: pass meta.next_after as "
        "`after`)", RECEIPTS_PAGE, "receipts")
    export = _operation("The whole search as a CSV or Parquet file, streamed (at most EXPORT_ROW_CAP rows). "
                        + exports.FEC_NOTICE, EXPORT_PARAMS, "receipts", formats=False)
    export["get"]["responses"]["200"] = {"description": "The file", "content": {
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}
    export["get"]["responses"]["413"] = {"description": "The view has more rows than one export may hold",
                                         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    paths[f"{PREFIX}/receipts/export"] = export
    return {
        "openapi": "3.1.0",
        "info": {"title": "Campaign-finance dashboard API", "version": "1",
                 "description": "JSON and CSV twins of every chart and table of the dashboard, computed by the "
                                "same queries as the pages. " + exports.FEC_NOTICE},
        "paths": paths,
        "components": {"schemas": {
            "Table": {"type": "object", "required": ["data", "meta"], "properties": {
                "data": {"type": "array", "items": {"type": "object"}},
                "meta": {"type": "object", "properties": {
                    "snapshot_id": {"type": ["string", "null"]}, "source": {"type": ["string", "null"]},
                    "data_through": {"type": ["string", "null"]}, "parameters": {"type": "object"},
                    "rows": {"type": "integer"}}}}},
            "Problem": {"type": "object", "required": ["error", "status"], "properties": {
                "error": {"type": "string"}, "status": {"type": "integer"}, "parameter": {"type": "string"}}},
        }},
    }
