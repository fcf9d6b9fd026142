"""What the fake does besides answering: the gateway's keys and hourly limits, injected faults
(random 5xx, scripted 5xx/429/404/malformed/short/slow/reset answers, extra delay) and the clock
(`as_of`) that hides filings loaded later. Tests change these at run time via `POST /_fake/config`."""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter, deque
from datetime import date

from devtools.fake_openfec.errors import ApiError, message

FAKE_KEY = "fake-openfec-key"
DEMO_KEY_LIMIT = 40  # api.data.gov's DEMO_KEY: tens of requests per hour per IP
SIGNUP = "Get one at https://api.data.gov/signup/"


class FakeSettings:
    """What the fake does besides answering: limits, faults, clock. Changed at run time by tests."""

    def __init__(
        self, hourly_limit=1000, error_rate=0.0, delay_ms=0, seed=1, as_of=None, inexact_counts=False, synthetic=True
    ):
        self.lock = threading.Lock()
        self.hourly_limit = hourly_limit
        self.error_rate = error_rate
        self.delay_ms = delay_ms
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.inexact_counts = inexact_counts
        # False only in tests that play the real API: it never says its data is synthetic.
        self.synthetic = synthetic
        self.faults: list[dict] = []
        self.keys = {FAKE_KEY: None, "DEMO_KEY": DEMO_KEY_LIMIT}
        self.calls: dict[str, deque] = {}
        self.stats: Counter = Counter()

    def update(self, changes: dict):
        with self.lock:
            for key in ("hourly_limit", "error_rate", "delay_ms", "inexact_counts", "synthetic"):
                if key in changes:
                    setattr(self, key, changes[key])
            if "as_of" in changes:
                self.as_of = date.fromisoformat(changes["as_of"]) if changes["as_of"] else None
            if "faults" in changes:
                self.faults = [
                    dict(f, skip=int(f.get("skip", 0)), times=int(f.get("times", 1))) for f in changes["faults"]
                ]
            if changes.get("reset_limits"):
                self.calls.clear()
            if changes.get("reset_stats"):
                self.stats.clear()

    def admit(self, key: str) -> tuple[int, int]:
        """Count a call against the key's rolling hour; returns (limit, remaining) or raises 429."""
        with self.lock:
            limit = self.keys.get(key) or self.hourly_limit
            calls = self.calls.setdefault(key, deque())
            now = time.monotonic()
            while calls and calls[0] < now - 3600:
                calls.popleft()
            if len(calls) >= limit:
                raise ApiError(
                    429,
                    {
                        "error": {
                            "code": "OVER_RATE_LIMIT",
                            "message": "You have exceeded your rate limit. Try again later.",
                        }
                    },
                )
            calls.append(now)
            return limit, limit - len(calls)

    def scripted_fault(self, path: str) -> dict | None:
        with self.lock:
            for fault in self.faults:
                if fault.get("path", "") not in path or fault["times"] <= 0:
                    continue
                if fault["skip"] > 0:
                    fault["skip"] -= 1
                    return None
                fault["times"] -= 1
                return fault
            return None

    def random_error(self) -> int | None:
        with self.lock:
            if self.error_rate and self.rng.random() < self.error_rate:
                return self.rng.choice([500, 502, 503, 504])
            return None


# ------------------------------------------------------------------------- the gateway and the faults
def gateway(settings: FakeSettings, key: str | None) -> dict:
    """api.data.gov in front of the API: 403 without a known key, 429 past the key's hourly
    limit; returns the `X-RateLimit-*` headers (no Retry-After, like the real gateway)."""
    if not key:
        raise ApiError(403, {"error": {"code": "API_KEY_MISSING", "message": f"No api_key was supplied. {SIGNUP}"}})
    if key not in settings.keys:
        raise ApiError(
            403, {"error": {"code": "API_KEY_INVALID", "message": f"An invalid api_key was supplied. {SIGNUP}"}}
        )
    limit, remaining = settings.admit(key)
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining)}


def is_fault(fault: dict | None, kind: str) -> bool:
    return bool(fault) and fault["kind"] == kind


def wait(settings: FakeSettings, fault: dict | None):
    """The extra time every answer takes, plus a scripted `slow` fault's (2 s unless told)."""
    if settings.delay_ms:
        time.sleep(settings.delay_ms / 1000)
    if is_fault(fault, "slow"):
        time.sleep(float(fault.get("seconds", 2)))


def raise_injected_error(settings: FakeSettings, fault: dict | None):
    """A scripted status (`500`, `502`, `503`, `504`, `429`, `quirk404`) or a random 5xx, shaped
    like the real answers: 502/503 are the proxy's HTML pages, the others JSON."""
    error = int(fault["kind"]) if fault and fault["kind"].isdigit() else settings.random_error()
    if error == 429:
        raise ApiError(429, {"error": {"code": "OVER_RATE_LIMIT", "message": "You have exceeded your rate limit."}})
    if error:
        raise ApiError(
            error,
            "<html><body>Bad gateway</body></html>"
            if error in (502, 503)
            else {"message": "Query timed out" if error == 504 else "Internal error", "status": error},
            "text/html" if error in (502, 503) else "application/json",
        )
    if is_fault(fault, "quirk404"):
        raise message(404, "Could not process the request")


def cut_short(body: dict):
    """The `short` fault: half a page of results, with `last_indexes` pointing at the last row kept."""
    if not body.get("results"):
        return
    body["results"] = body["results"][: max(1, len(body["results"]) // 2)]
    last = body["results"][-1]
    if body["pagination"].get("last_indexes"):
        sort_keys = [k for k in body["pagination"]["last_indexes"] if k.startswith("last_") and k != "last_index"]
        body["pagination"]["last_indexes"] = {"last_index": last["sub_id"], **{k: last[k[5:]] for k in sort_keys}}


def malformed(body) -> bytes:
    """The `malformed` fault: the first half of the JSON text, sent with status 200."""
    text = json.dumps(body)
    return text[: len(text) // 2].encode()
