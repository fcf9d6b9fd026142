"""The OpenAPI 3.1 document served at /api/v1/openapi.json, generated from the same declarations
the API serves (dashboard.app.api.endpoints and .params), so it cannot drift from them."""

from __future__ import annotations

from dashboard.app import exports
from dashboard.app.api.endpoints import ENDPOINTS, PREFIX
from dashboard.app.api.params import (
    EXPORT_PARAMS,
    FORMATS,
    RECEIPT_RULES,
    RECEIPTS_PAGE,
    RECEIPTS_PAGE_RULES,
    Param,
    Rule,
)


def _parameter_doc(param: Param) -> dict:
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": param.description,
        "schema": param.schema,
    }


def _operation(
    summary: str, declared: tuple[Param, ...], tag: str, formats: bool = True, rules: tuple[Rule, ...] = ()
) -> dict:
    parameters = [_parameter_doc(p) for p in declared]
    if formats:
        parameters.append(
            {
                "name": "format",
                "in": "query",
                "required": False,
                "description": "json (default) or csv",
                "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
            }
        )
    return {
        "get": {
            "summary": summary,
            # What JSON Schema cannot say of query parameters: constraints between them.
            **({"description": "Also: " + "; ".join(rule.text for rule in rules) + "."} if rules else {}),
            "tags": [tag],
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "The rows, as JSON ({data, meta}) or CSV",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Table"}},
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                "304": {"description": "Not modified since the ETag sent (same snapshot)"},
                "400": {
                    "description": "A parameter is invalid; the message names it",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
                "503": {
                    "description": "No data published yet, or the question took too long",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                },
            },
        }
    }


def document() -> dict:
    paths = {f"{PREFIX}{e.path}": _operation(e.summary, e.params, e.tag, rules=e.rules) for e in ENDPOINTS}
    paths[f"{PREFIX}/receipts"] = _operation(
        "Itemized receipts a search selects, one page at a time (keyset paging: pass meta.next_after as `after`)",
        RECEIPTS_PAGE,
        "receipts",
        rules=RECEIPTS_PAGE_RULES,
    )
    export = _operation(
        "The whole search as a CSV or Parquet file, streamed (at most EXPORT_ROW_CAP rows). " + exports.FEC_NOTICE,
        EXPORT_PARAMS,
        "receipts",
        formats=False,
        rules=RECEIPT_RULES,
    )
    export["get"]["responses"]["200"] = {
        "description": "The file",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}},
        },
    }
    export["get"]["responses"]["413"] = {
        "description": "The view has more rows than one export may hold",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    paths[f"{PREFIX}/receipts/export"] = export
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Campaign-finance dashboard API",
            "version": "1",
            "description": "JSON and CSV twins of every chart and table of the dashboard, computed by the "
            "same queries as the pages. Every parameter is taken as sent: a value its schema refuses (an empty "
            "one included: leave a parameter out for its default) is a 400 that names it. " + exports.FEC_NOTICE,
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Table": {
                    "type": "object",
                    "required": ["data", "meta"],
                    "properties": {
                        "data": {"type": "array", "items": {"type": "object"}},
                        "meta": {
                            "type": "object",
                            "properties": {
                                "snapshot_id": {"type": ["string", "null"]},
                                "source": {"type": ["string", "null"]},
                                "data_through": {"type": ["string", "null"]},
                                "parameters": {"type": "object"},
                                "rows": {"type": "integer"},
                            },
                        },
                    },
                },
                "Problem": {
                    "type": "object",
                    "required": ["error", "status"],
                    "properties": {
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                        "parameter": {"type": "string"},
                    },
                },
            }
        },
    }
