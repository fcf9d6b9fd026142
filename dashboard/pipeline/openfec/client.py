"""HTTP client for the OpenFEC API (see the shared reference `openfec-api.md`).

- Key from FEC_API_KEY, sent as the `X-Api-Key` header (so it never shows in a logged URL);
  without one it falls back to api.data.gov's DEMO_KEY, with a warning about its tiny limits.
- Base URL from FEC_API_URL; connect and read timeouts (FEC_TIMEOUT_SECONDS).
- Retries idempotent GETs on 429, 500/502/503/504, the API's quirky
  `404 {"message": "Could not process the request"}`, timeouts, dropped connections, bodies that
  are not JSON and pages that stop short, with exponential backoff and jitter
  (FEC_BACKOFF_SECONDS, doubled each try, capped at 15 minutes; FEC_MAX_RETRIES tries).
  403 (key) and 400/422 (our request is wrong) are never retried: they say what to fix.
- An hourly request budget (FEC_HOURLY_BUDGET), kept in a small log file so that scheduled runs
  share it, and `X-RateLimit-Remaining` honoured: the client stops before the API would refuse.
- Every answer's shape is checked (envelope, pagination, results) with a clear error.
- Both pagination styles: offset (`page`) and keyset (`last_indexes`, every value sent back).
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

import httpx

from dashboard.core import config
from dashboard.store import files

log = logging.getLogger(__name__)
# httpx logs every request at INFO: thousands of lines per refresh drown the progress bars.
logging.getLogger("httpx").setLevel(logging.WARNING)

DEMO_KEY = "DEMO_KEY"
RETRY_STATUSES = {429, 500, 502, 503, 504}
BACKOFF_CAP_SECONDS = 15 * 60
CONNECT_TIMEOUT_SECONDS = 10.0
SYNTHETIC_HEADER = "x-synthetic-data"  # sent only by the local fake: its data is the demo generator's
# Keep a few requests in hand when the server says how many are left: other clients may share the key.
RATE_LIMIT_RESERVE = 2


class OpenFECError(RuntimeError):
    """The API could not give us what we asked for; the message says what to do."""


class ApiKeyError(OpenFECError):
    pass


class RequestRejected(OpenFECError):
    """400/422: the request itself is wrong (a bug on our side, or an API change)."""


class ResponseShapeError(OpenFECError):
    pass


class BudgetExhausted(OpenFECError):
    """No requests left this hour; the next run resumes where this one stopped."""


class GaveUp(OpenFECError):
    pass


class _Transient(Exception):
    """A failure worth another try (with backoff)."""

    def __init__(self, reason: str, rate_limited: bool = False):
        super().__init__(reason)
        self.rate_limited = rate_limited


@dataclass
class RequestLog:
    """Times of our requests in the last hour, in a file shared by every run on this data dir."""

    path: Path | None
    times: list[float] = field(default_factory=list)

    def __post_init__(self):
        if self.path and self.path.exists():
            try:
                self.times = [float(t) for t in json.loads(self.path.read_text())]
            except (ValueError, TypeError, OSError):
                self.times = []  # a damaged log only costs us its memory of the last hour
        self._trim()

    def _trim(self):
        cutoff = time.time() - 3600
        self.times = [t for t in self.times if t > cutoff]

    def used_last_hour(self) -> int:
        self._trim()
        return len(self.times)

    def add(self):
        self.times.append(time.time())

    def save(self):
        if not self.path:
            return
        self._trim()
        try:
            files.write_json(self.path, self.times, compact=True)
        except OSError as exc:  # a full disk must not turn into a second, confusing error
            log.warning("could not save the request log %s: %s", self.path, exc)


class OpenFECClient:
    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        hourly_budget: int | None = None,
        max_retries: int | None = None,
        backoff_seconds: float | None = None,
        timeout_seconds: float | None = None,
        request_log: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        warn: Callable[[str], None] | None = None,
    ):
        self.base_url = (base_url or config.get("FEC_API_URL")).rstrip("/") + "/"
        key = api_key if api_key is not None else config.get("FEC_API_KEY")
        if not key:
            key = DEMO_KEY
            (warn or log.warning)(
                "FEC_API_KEY is not set, so the shared DEMO_KEY is used: it allows only "
                "about 30-40 requests an hour per IP address, far too few for a refresh. "
                "Get a free key at https://api.data.gov/signup/ and set FEC_API_KEY."
            )
        self.hourly_budget = hourly_budget if hourly_budget is not None else config.get("FEC_HOURLY_BUDGET")
        if key == DEMO_KEY:
            self.hourly_budget = min(self.hourly_budget, 30)
        self.max_retries = max_retries if max_retries is not None else config.get("FEC_MAX_RETRIES")
        self.backoff = backoff_seconds if backoff_seconds is not None else _seconds("FEC_BACKOFF_SECONDS")
        timeout = timeout_seconds if timeout_seconds is not None else _seconds("FEC_TIMEOUT_SECONDS")
        self.sleep = sleep
        self.log = RequestLog(request_log)
        self.requests = 0  # requests sent by this client
        self.retries = 0
        self.server_remaining: int | None = None
        self.synthetic = False  # the server said its data is synthetic (the local fake)
        self.http = httpx.Client(
            base_url=self.base_url,
            headers={"X-Api-Key": key, "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_SECONDS, timeout)),
            follow_redirects=False,
        )

    def close(self):
        self.log.save()
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    # ------------------------------------------------------------------ budget
    def budget_left(self) -> int:
        left = self.hourly_budget - self.log.used_last_hour()
        if self.server_remaining is not None:
            left = min(left, self.server_remaining - RATE_LIMIT_RESERVE)
        return max(0, left)

    def _spend(self, path: str):
        if self.budget_left() <= 0:
            self.log.save()
            if self.server_remaining is not None and self.server_remaining <= RATE_LIMIT_RESERVE:
                why = f"the API says only {self.server_remaining} requests are left on this key this hour"
            else:
                why = f"{self.log.used_last_hour()} of the hourly budget of {self.hourly_budget} requests are used"
            raise BudgetExhausted(
                f"stopped before {path}: {why}; the next run resumes where this one stopped "
                "(raise FEC_HOURLY_BUDGET only if your key allows more)"
            )
        self.log.add()
        self.requests += 1
        if self.requests % 25 == 0:
            self.log.save()

    # ------------------------------------------------------------------ one request
    def get(self, path: str, params: dict | None = None, check: Callable[[dict], None] | None = None) -> dict:
        """One GET, retried on transient failures; returns the decoded, shape-checked JSON.
        `check` may raise _Transient to ask for another try (a page that stopped short)."""
        path = path.lstrip("/")
        params = {k: v for k, v in (params or {}).items() if v is not None and v != []}
        last_reason = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                self.retries += 1
            self._spend(path)
            try:
                body = self._once(path, params)
                if check:
                    check(body)
                return body
            except _Transient as exc:
                last_reason = str(exc)
                if attempt == self.max_retries:
                    break
                wait = self._backoff(attempt, exc.rate_limited)
                log.info("%s: %s; trying again in %.1f s (%d/%d)", path, exc, wait, attempt + 1, self.max_retries)
                self.sleep(wait)
        self.log.save()
        raise GaveUp(
            f"{path}: gave up after {self.max_retries + 1} tries ({last_reason}); the API may be down "
            "or over its limits: the next run resumes where this one stopped"
        )

    def _backoff(self, attempt: int, rate_limited: bool) -> float:
        base = self.backoff * (1 if rate_limited else 0.1)  # 429: wait long; a 5xx blip: retry sooner
        return min(BACKOFF_CAP_SECONDS, base * 2**attempt) * random.uniform(0.5, 1.5)

    def _once(self, path: str, params: dict) -> dict:
        try:
            response = self.http.get(path, params=params)
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out ({type(exc).__name__})")
        except httpx.TransportError as exc:
            raise _Transient(f"connection failed ({type(exc).__name__}: {exc})")
        remaining = response.headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.strip().lstrip("-").isdigit():
            self.server_remaining = int(remaining)
        if response.headers.get(SYNTHETIC_HEADER):
            self.synthetic = True
        status = response.status_code
        if status == 429:
            self.server_remaining = None  # the count restarts as the hour rolls; back off instead
            raise _Transient("429 over the rate limit", rate_limited=True)
        if status in RETRY_STATUSES:
            raise _Transient(f"HTTP {status}")
        if status == 403:
            code = _error_code(response)
            raise ApiKeyError(
                f"the API refused the key ({code or 'HTTP 403'}): set FEC_API_KEY to a valid "
                "api.data.gov key (free at https://api.data.gov/signup/)"
            )
        if status in (400, 422):
            raise RequestRejected(f"the API rejected {path} with HTTP {status}: {_message_of(response)}")
        if status == 404 and "could not process the request" in response.text.lower():
            raise _Transient("HTTP 404 'Could not process the request' (a server error)")
        if status != 200:
            raise OpenFECError(f"{path}: unexpected HTTP {status}: {response.text[:200]!r}")
        try:
            # Decimal keeps every cent exact; floats would not.
            body = json.loads(response.content, parse_float=Decimal)
        except ValueError as exc:
            raise _Transient(f"the answer is not valid JSON ({exc})")
        problem = _shape_problem(body)
        if problem:
            raise _Transient(f"unexpected answer shape: {problem}")
        return body

    # ------------------------------------------------------------------ pagination
    def offset_pages(self, path: str, params: dict, per_page: int = 100) -> Iterator[list[dict]]:
        """Every page of an offset-paginated endpoint, in order."""
        page = 1
        while True:

            def check(body, page=page):
                p = body["pagination"]
                if p.get("is_count_exact") and isinstance(p.get("count"), int):
                    expected = max(0, min(per_page, p["count"] - (page - 1) * per_page))
                    if len(body["results"]) < expected:
                        raise _Transient(f"page {page} stopped short: {len(body['results'])} of {expected} rows")

            body = self.get(path, {**params, "page": page, "per_page": per_page}, check=check)
            results = body["results"]
            if results:
                yield results
            pages = body["pagination"].get("pages")
            if not results or len(results) < per_page or (isinstance(pages, int) and page >= pages):
                return
            page += 1

    def keyset_pages(
        self, path: str, params: dict, cursor: dict | None = None, per_page: int = 100
    ) -> Iterator[tuple[list[dict], dict | None]]:
        """Pages of a keyset-paginated endpoint (Schedule A/B). Yields (rows, cursor): the cursor
        resumes right after those rows (None once the end is reached). Every key of
        `last_indexes` is sent back, as the API requires. Stops at a page with fewer than
        `per_page` rows, unless an exact count says rows remain: then the page stopped short,
        and it is asked for again (an identical short answer twice is believed)."""
        cursor = dict(cursor or {"last_indexes": None, "received": 0})
        while True:
            short_seen: dict = {}

            def check(body):
                p, n = body["pagination"], len(body["results"])
                count = p.get("count")
                if (
                    n < per_page
                    and p.get("is_count_exact")
                    and isinstance(count, int)
                    and cursor["received"] + n < count
                    and short_seen.get("n") != n
                ):
                    short_seen["n"] = n
                    raise _Transient(f"page stopped short: {n} rows, {count - cursor['received']} expected")
                if n and not isinstance(p.get("last_indexes"), dict):
                    raise _Transient("a page with rows but no last_indexes")

            query = {**params, "per_page": per_page, **(cursor["last_indexes"] or {})}
            body = self.get(path, query, check=check)
            results = body["results"]
            last_indexes = body["pagination"].get("last_indexes")
            cursor = {"last_indexes": last_indexes, "received": cursor["received"] + len(results)}
            done = len(results) < per_page or not last_indexes
            yield results, (None if done else cursor)
            if done:
                return


def _seconds(name: str) -> float:
    text = str(config.get(name)).strip()
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(f"{name}={text!r} is not a number of seconds; unset it or give e.g. 30")
    if value < 0:
        raise SystemExit(f"{name} must not be negative")
    return value


def _shape_problem(body) -> str | None:
    if not isinstance(body, dict):
        return f"expected a JSON object, got {type(body).__name__}"
    if not isinstance(body.get("results"), list):
        return "no `results` list"
    if not all(isinstance(row, dict) for row in body["results"]):
        return "`results` holds something other than objects"
    if not isinstance(body.get("pagination"), dict):
        return "no `pagination` object"
    return None


def _error_code(response: httpx.Response) -> str | None:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return None


def _message_of(response: httpx.Response) -> str:
    try:
        body = response.json()
        return json.dumps(body.get("message", body))[:300]
    except ValueError:
        return response.text[:300]
