"""Every registered server callback, asked with values a crafted POST to /_dash-update-component can set for
each of its inputs and states (wrong types, out of range, Unicode digits, huge numbers, nested lists and
objects, values no option has), answers without a failure: a 400, no update, or a normal answer (with a
message where the page has one). A callback that raises is caught by Dash and logged as "callback failed"
(dashboard.app.factory), so the log is checked as well as the status.

Each callback starts from the values a rendered page really holds (every page type is rendered first),
and one input or state at a time is replaced."""

from __future__ import annotations

import json
import logging

import pytest

from dashboard.app import db
from dashboard.app.queries import races
from devtools.pages_router import component_key, layout_components, router_body

CRAFTED = [
    None,
    "",
    "²",
    "①",
    "٢٠٢٤",  # Arabic-Indic digits: str.isdigit() is True, int() accepts them
    "2024²",
    "9" * 40,
    -1,
    0,
    10**30,
    -(10**30),
    1.5,
    True,
    "nonsense",
    "<b>x</b>",
    "?cycle=²&office=①&metric=%00&view=x&state=ZZ&district=99999999999999999999&page=-5&sort=[]",
    "/map/²/①",
    [],
    ["x", ["y", ["z"]]],
    [{"id": 1}],
    {"a": {"b": [1]}},
    {"startRow": "²", "endRow": 10**30, "sortModel": [{"colId": ["x"], "sort": 5}]},
    {"startRow": -(10**30), "endRow": "1e999", "sortModel": "desc"},
    {"query": "²", "sort": ["x"], "rows": "x"},
    {"query": {"cycle": "²"}, "sort": "-amount", "rows": 10**30},
    {"query": "cycle=①&state=ZZ", "sort": "nonsense", "rows": -1, "page": "²", "key": ["x"]},
    {"points": [{"customdata": ["²", {"x": 1}], "location": ["x"]}]},
    {"points": "x"},
]


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


@pytest.fixture(scope="module")
def page_addresses(small_snapshot):
    top = races.top_races(2024, office="H", limit=1).iloc[0]
    senate = races.top_races(2024, office="S", limit=1).iloc[0]
    candidate = races.race_candidates(2024, "H", top.state, top.district).iloc[0]
    donor_key = db.query("SELECT donor_key FROM donors ORDER BY amount DESC, donor_key LIMIT 1")["donor_key"].iloc[0]
    return [
        ("/", ""),
        ("/map", "?cycle=2024"),
        ("/map", f"?cycle=2024&office=H&state={top.state}"),
        ("/trends", "?cycle=2024"),
        ("/receipts", "?cycle=2024"),
        ("/receipts", "?cycle=2024&group=donor"),
        ("/data", ""),
        (top.race_path, ""),
        (senate.race_path, ""),
        (f"/candidate/{candidate.candidate_id}", ""),
        ("/committee/C10000001", ""),
        (f"/donor/{donor_key}", ""),
    ]


@pytest.fixture(scope="module")
def shown(client, page_addresses) -> dict:
    """Components (and their props) of every page type, as a browser holds them."""
    found: dict = {}
    for path, search in page_addresses:
        answer = client.post("/_dash-update-component", json=router_body(path, search))
        assert answer.status_code == 200, (path, search)
        layout_components(answer.get_json()["response"]["_pages_content"]["children"], found)
        found.setdefault(component_key("_pages_location"), {"pathname": path, "search": search})
        found.setdefault(component_key("url"), {"pathname": path, "search": search})
        for location in ("url", "map-url"):  # dcc.Location's address is the browser's, not in the layout
            if component_key(location) in found and not found[component_key(location)].get("pathname"):
                found[component_key(location)] = {**found[component_key(location)], "pathname": path, "search": search}
    return found


WILDCARDS = ('["MATCH"]', '["ALL"]', '["ALLSMALLER"]')


def _pattern(spec: str) -> dict | None:
    return json.loads(spec) if spec.startswith("{") else None


def _matches(pattern: dict, concrete: dict) -> bool:
    if set(pattern) != set(concrete):
        return False
    return all(isinstance(v, list) or concrete[k] == v for k, v in pattern.items())


def _concrete(pattern: dict, shown: dict) -> list[dict]:
    return [json.loads(k) for k in shown if k.startswith("{") and _matches(pattern, json.loads(k))]


def _dependency(spec: dict, shown: dict, match: dict) -> dict | list:
    """One input, state or output of a request: {id, property, value}, or a list of them for ALL."""
    pattern, prop = _pattern(spec["id"]), spec["property"]
    if pattern is None:
        return {"id": spec["id"], "property": prop, "value": shown.get(component_key(spec["id"]), {}).get(prop)}
    if any(v == ["ALL"] for v in pattern.values()):
        return [
            {"id": c, "property": prop, "value": shown[component_key(c)].get(prop)} for c in _concrete(pattern, shown)
        ]
    concrete = {k: (match.get(k, "x") if v == ["MATCH"] else v) for k, v in pattern.items()}
    return {"id": concrete, "property": prop, "value": shown.get(component_key(concrete), {}).get(prop)}


def _outputs(output: str) -> list[dict]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    found = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        found.append({"id": component, "property": prop.split("@")[0]})
    return found


def _strip(entry: dict) -> dict:
    return {"id": entry["id"], "property": entry["property"]}


NESTED = [None, "", "²", "٢٠٢٤", "9" * 40, -1, 10**30, 1.5, True, "nonsense", [], ["x", ["y"]], {"a": 1}]


def _variants(entry):
    """(crafted value, function setting it in a copy of the request's entries at an index): the value
    itself, a key of an object value (two levels deep), and a pattern-matching id's own values."""

    def whole(value):
        def change(entries, index):
            items = entries[index] if isinstance(entries[index], list) else [entries[index]]
            for item in items:
                item["value"] = value
            return bool(items)

        return change

    def nested(path, value):
        def change(entries, index):
            target = entries[index]["value"]
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            return True

        return change

    def in_id(key, value):
        def change(entries, index):
            items = entries[index]
            if not items:
                return False
            items[0]["id"][key] = value
            return True

        return change

    for value in CRAFTED:
        yield value, whole(value)
    if isinstance(entry, dict) and isinstance(entry.get("value"), dict):
        for key, inner in entry["value"].items():
            paths = [(key,)] + ([(key, k) for k in inner] if isinstance(inner, dict) else [])
            for path in paths:
                for value in NESTED:
                    yield {".".join(map(str, path)): value}, nested(path, value)
    if isinstance(entry, list) and entry and isinstance(entry[0]["id"], dict):
        for key in entry[0]["id"]:
            if key != "type":
                for value in NESTED:
                    if isinstance(value, (str, int, float)):
                        yield {f"id.{key}": value}, in_id(key, value)


def _bodies(callback: dict, output: str, shown: dict):
    """(label, body) for each crafted value of each input and state of `callback`."""
    # MATCH: the wildcard's values of a component the pages really show, else a made-up one.
    match: dict = {}
    for spec in callback["inputs"] + callback["state"]:
        pattern = _pattern(spec["id"])
        if pattern and any(v == ["MATCH"] for v in pattern.values()):
            concrete = _concrete(pattern, shown)
            if concrete:
                match = {k: concrete[0][k] for k, v in pattern.items() if v == ["MATCH"]}
                break
    outputs = []
    for spec in _outputs(output):
        entry = _dependency(spec, shown, match)
        outputs.append([_strip(e) for e in entry] if isinstance(entry, list) else _strip(entry))
    inputs = [_dependency(spec, shown, match) for spec in callback["inputs"]]
    state = [_dependency(spec, shown, match) for spec in callback["state"]]
    multi = output.startswith("..")
    for where, entries in (("inputs", inputs), ("state", state)):
        for index, entry in enumerate(entries):
            for value, change in _variants(entry):
                crafted = json.loads(json.dumps(entries))
                if not change(crafted, index):
                    continue
                changed_entry = (crafted[index] if where == "inputs" else inputs[0]) if inputs else None
                changed_items = changed_entry if isinstance(changed_entry, list) else [changed_entry]
                changed = [
                    f"{component_key(i['id']) if isinstance(i['id'], dict) else i['id']}.{i['property']}"
                    for i in changed_items[:1]
                    if i
                ]
                body = {
                    "output": output,
                    "outputs": outputs if multi else outputs[0],
                    "inputs": crafted if where == "inputs" else inputs,
                    "state": crafted if where == "state" else state,
                    "changedPropIds": changed,
                }
                spec = (callback["inputs"] if where == "inputs" else callback["state"])[index]
                yield f"{output[:60]} {where}[{index}] {spec['id']}.{spec['property']}", value, body


@pytest.mark.slow
def test_every_callback_answers_crafted_values_without_failing(client, shown, caplog):
    import app

    callbacks = [(output, cb) for output, cb in app.app.callback_map.items() if "callback" in cb]
    assert len(callbacks) >= 15
    failures, asked = {}, 0  # (dependency, problem) -> the values that caused it
    for output, callback in callbacks:
        for label, value, body in _bodies(callback, output, shown):
            caplog.clear()
            with caplog.at_level(logging.ERROR):
                answer = client.post("/_dash-update-component", json=body)
            asked += 1
            logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
            if answer.status_code not in (200, 204, 400) or logged:
                error = logged[0].exc_info[1] if logged and logged[0].exc_info else None
                problem = f"{answer.status_code} {type(error).__name__}: {str(error)[:120]}" if error else answer.status
                failures.setdefault((label, problem), []).append(repr(value)[:60])
            answer.close()
    assert asked > 500
    assert not failures, f"{sum(map(len, failures.values()))} of {asked} crafted requests failed:\n" + "\n".join(
        f"{label}: {problem} (for {len(values)} values, e.g. {values[0]})"
        for (label, problem), values in failures.items()
    )
