"""Malformed Dash callback requests answer a plain 400 with one short log line and no traceback,
through Flask's test client on the real app; the log lines are rate-limited per kind."""

from __future__ import annotations

import json
import logging

import pytest

from dashboard.app import callback_guard

CALLBACK = "/_dash-update-component"


@pytest.fixture(scope="module")
def app_and_client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.app, app.server.test_client()


@pytest.fixture()
def every_refusal_logged(app_and_client, monkeypatch):
    """The app's own log limit with no interval, so each refused request shows its line."""
    monkeypatch.setattr(app_and_client[0].server.extensions["callback_guard"], "every", 0.0)


def a_real_callback(dash_app) -> tuple[str, dict]:
    """The output id and a well-formed body of one of the app's callbacks with one input and no state."""
    for output, callback in dash_app.callback_map.items():
        one_input = len(callback["inputs"]) == 1 and not callback["state"]
        plain = not any(mark in output for mark in ("{", "@", ".."))  # one output, no pattern, no duplicate
        if one_input and plain and "callback" in callback and "{" not in callback["inputs"][0]["id"]:
            dependency = callback["inputs"][0]
            component, prop = output.rsplit(".", 1)
            return output, {
                "output": output,
                "outputs": {"id": component, "property": prop},
                "inputs": [{"id": dependency["id"], "property": dependency["property"], "value": None}],
                "changedPropIds": [],
            }
    raise AssertionError("the app has no one-input callback")


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def malformed_bodies(dash_app, good: dict) -> dict[str, bytes]:
    def body(**changes):
        return json.dumps({**good, **changes}).encode()

    without_inputs = {k: v for k, v in good.items() if k != "inputs"}
    return {
        "not JSON": b"{not json",
        "empty": b"",
        "a list": b"[1, 2, 3]",
        "a string": b'"output"',
        "unknown output": body(output="nothing-here.children"),
        "a clientside callback's output": body(
            output=next(o for o, c in dash_app.callback_map.items() if "callback" not in c)
        ),
        "output not a string": body(output=["x"]),
        "missing inputs": json.dumps(without_inputs).encode(),
        "too many inputs": body(inputs=good["inputs"] * 3),
        "inputs not a list": body(inputs={"id": "x"}),
        "input without a property": body(inputs=[{"id": "x"}]),
        "outputs not ids": body(outputs=[1, 2]),
        "changedPropIds not strings": body(changedPropIds=[{"a": 1}]),
        "100,000 deep": ('{"output": ' + deep(100_000) + "}").encode(),
        "deep inside a value": body(inputs=[{**good["inputs"][0], "value": json.loads(deep(200))}]),
    }


def test_malformed_callback_bodies_are_plain_400s_with_one_line_and_no_traceback(
    app_and_client, caplog, every_refusal_logged
):
    dash_app, client = app_and_client
    output, good = a_real_callback(dash_app)
    for name, body in malformed_bodies(dash_app, good).items():
        caplog.clear()
        with caplog.at_level(logging.INFO):
            response = client.post(CALLBACK, data=body, content_type="application/json")
        assert response.status_code == 400, (name, response.status_code, response.data[:200])
        assert response.mimetype == "text/plain", name
        assert response.get_data(as_text=True).startswith("Bad callback request: "), name
        assert len(response.data) < 200, name
        records = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(records) == 1, (name, [r.getMessage() for r in records])
        assert records[0].exc_info is None and "Traceback" not in caplog.text, name
        assert len(records[0].getMessage()) < 300, name


def test_a_well_formed_callback_still_runs(app_and_client):
    dash_app, client = app_and_client
    output, good = a_real_callback(dash_app)
    response = client.post(CALLBACK, data=json.dumps(good), content_type="application/json")
    assert response.status_code in (200, 204), response.data[:300]


def test_log_lines_are_at_most_one_per_kind_per_interval(caplog):
    now = [100.0]
    limited = callback_guard.RateLimitedLog(every=10.0, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger=callback_guard.__name__):
        logged = [limited.warning("json", "the body is not JSON") for _ in range(50)]
        assert logged.count(True) == 1
        assert limited.warning("depth", "too deep")  # another kind has its own interval
        now[0] += 10.0
        assert limited.warning("json", "the body is not JSON")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3
    assert "49 more of this kind not logged" in lines[-1]


def test_a_flood_of_bad_bodies_through_the_app_logs_one_line(app_and_client, caplog, monkeypatch):
    dash_app, client = app_and_client
    monkeypatch.setattr(dash_app.server.extensions["callback_guard"], "every", 3600.0)
    with caplog.at_level(logging.INFO):
        statuses = {client.post(CALLBACK, data=b"[", content_type="application/json").status_code for _ in range(30)}
    assert statuses == {400}
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) <= 1


@pytest.mark.parametrize("rows", [{"startRow": "x", "endRow": 100}, {"startRow": [1], "endRow": None}])
def test_a_grid_asking_for_rows_that_are_no_numbers_gets_no_update_and_no_traceback(app_and_client, caplog, rows):
    dash_app, client = app_and_client
    output = next(o for o in dash_app.callback_map if "rx-grid.getRowsResponse" in o)
    body = {
        "output": output,
        "outputs": [
            {"id": "rx-grid", "property": "getRowsResponse"},
            {"id": "rx-grid-status", "property": "children"},
        ],
        "inputs": [{"id": "rx-grid", "property": "getRowsRequest", "value": rows}],
        "state": [{"id": "rx-view", "property": "data", "value": {"query": {"cycle": "2024"}, "sort": "-date"}}],
        "changedPropIds": ["rx-grid.getRowsRequest"],
    }
    with caplog.at_level(logging.INFO):
        response = client.post(CALLBACK, data=json.dumps(body), content_type="application/json")
    # Refused by the guard's check of a rows request (400), or no update: never a traceback.
    assert response.status_code in (200, 204, 400), response.data[:300]
    assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]
