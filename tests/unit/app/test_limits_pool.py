"""The costly searches' pool (a turn at once, as many waiting, the rest refused at once; a wait ends in time)
and which requests take a turn in it."""

from __future__ import annotations

import threading
import time

from flask import Flask

from dashboard.app.limits import _CostlyPool, _what_it_costs


def test_one_runs_one_waits_the_next_is_refused_at_once():
    pool = _CostlyPool(slots=1, waiting=1)
    assert pool.enter(1.0)
    waited = []
    waiter = threading.Thread(target=lambda: waited.append(pool.enter(5.0)))
    waiter.start()
    deadline = time.monotonic() + 5
    while pool._waiting == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    assert not pool.enter(5.0)  # the queue is full: refused without waiting
    assert time.monotonic() - started < 1.0
    pool.leave()  # the waiter gets the turn
    waiter.join(5)
    assert waited == [True]
    pool.leave()


def test_a_wait_longer_than_the_time_left_is_refused():
    pool = _CostlyPool(slots=1, waiting=1)
    assert pool.enter(None)
    started = time.monotonic()
    assert not pool.enter(0.2)
    assert 0.15 < time.monotonic() - started < 3
    pool.leave()
    assert pool.enter(0.2)
    pool.leave()


def costs(path: str, body: dict | None = None) -> tuple[bool, bool]:
    with Flask("costs").test_request_context(path, method="POST" if body else "GET", json=body):
        return _what_it_costs()


def pages_router(pathname: str) -> dict:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": "?cycle=2024"},
        ],
    }


def test_what_is_costly_is_what_searches_the_itemized_receipts():
    callback = "/_dash-update-component"
    assert costs("/api/v1/receipts") == (True, False)
    assert costs("/api/v1/receipts/export") == (True, True)
    assert costs("/api/v1/receipts/conduits") == (False, False)
    assert costs("/api/v1/races/top") == (False, False)
    assert costs(callback, pages_router("/receipts")) == (True, False)
    assert costs(callback, pages_router("/map")) == (False, False)
    assert costs(callback, {"output": "..rx-grid.getRowsResponse...rx-grid-status.children.."}) == (True, False)
    assert costs(callback, {"output": "rx-donor-download.data"}) == (True, True)
    assert costs(callback, {"output": "rx-who-options.children"}) == (False, False)
    assert costs(callback, {"output": "map-figure.figure"}) == (False, False)
