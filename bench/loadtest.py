"""The load and abuse suite: `make loadtest` (or `python -m bench.loadtest [--seconds 60] [--clients 50]`).

Locust (used as a library, its clients are gevent greenlets) against gunicorn on 127.0.0.1 (2 workers x
4 threads, as `make serve`) over a demo snapshot this script builds in a temporary folder (or
`--data-dir`, reused when it already holds one). Every phase is bounded in time. Reported, never
asserted (the machine is shared); the issue's targets are printed beside the figures:

1. mixed: `--clients` clients, no think time, for `--seconds`: map switches (the map's `update_map`
   callback, each client walking from the view it was shown to another, as a browser does), race pages
   (the pages router callback, as a browser asks after the shell) and API answers. Run twice, with the
   answer cache off (ANSWER_CACHE_MB=0) and on, each against a fresh server, then (`--warm N`, 3) N more
   windows on the cache's server, its answers of the earlier windows kept, then (`--restart 1`) a window on
   a new server over the same folder (a deploy: the answers the workers share on disk kept): req/s, p95,
   errors, share of answers served from the cache. A fresh server starts with no answer on disk.
2. costly searches: 16 clients asking `/api/v1/receipts?employer=*&occupation=*&limit=<random>` (the
   answer cache cannot help) without pause, all from one address, while another
   client asks a cheap address (`/_dash-layout`) every 0.2 s: its p50 and p95.
3. slow export readers: 8 clients reading an export at 16 KB per 0.5 s, plus the cheap client.
4. large bodies: callback posts of `--body-mb` MB (3 at once): statuses and workers' peak RSS.
5. concurrent exports: ten exports of the largest cycle at once, read in full: statuses, rows and the
   workers' peak RSS (sampled every 0.1 s).
6. cold after a publish (`cold_publish`): the mixed load for `--seconds` on one
   snapshot, then a new snapshot published (the same files under a new id, as a publish swaps `current`)
   and the mixed load again for `--cold-seconds`: once with the answer cache's warm-up off
   (ANSWER_CACHE_WARM_UP=0: every answer starts cold) and once on (each worker keeps serving the previous
   snapshot while it warms the new one, ANSWER_CACHE_WARM_UP_SECONDS at most; the answers each snapshot
   gave are counted), each against a fresh server (`--cold-runs on`: only that one; `--pause`: seconds
   without requests after the publish; `--think`: each client's pause between requests).
   Only this phase: `--phases cold_publish`.

Figures go to bench/loadtest_results.json and bench/loadtest_results.txt (not committed: this machine's;
docs/scaling.md quotes a run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import gevent
import locust  # noqa: F401  (before requests: importing it has gevent patch the standard library)
import psutil
import requests
from locust import FastHttpUser, constant, task
from locust.env import Environment

from bench.browser import build_snapshot
from dashboard.store import layout
from devtools.cluster import environment
from devtools.pages_router import component_key, layout_components, router_body
from tests.e2e.conftest import serve_app

ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = ROOT / "bench" / "loadtest_results.json"
RESULTS_TXT = ROOT / "bench" / "loadtest_results.txt"
DEFAULT_ROWS = 1_000_000
CHEAP_PATH = "/_dash-layout"
COSTLY_SEARCH = "/api/v1/receipts?employer=*&occupation=*"
COSTLY_LIMITS = 1000  # `limit` values the costly searches draw from (the API's most, receipts.MAX_PAGE)
# Each client sends its own address in X-Forwarded-For, the server trusting one proxy hop (TRUSTED_PROXY_HOPS=1):
# the per-client limits then see 50 visitors, and one abusive client beside the others, as on the real site.
ABUSER = "10.9.9.9"
BYSTANDER = "10.1.1.1"
TARGETS = {"mixed_p95_ms": 300, "cheap_p95_ms_under_costly_searches": 100, "worker_rss_mb_during_exports": 600}


# ----------------------------------------------------------------------------- what the clients ask


def _split_output(output: str) -> list[dict]:
    """Dash's output string (`..a.b...c.d..` for several) as the request's `outputs` list."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        outputs.append({"id": json.loads(component) if component.startswith("{") else component, "property": prop})
    return outputs


class MapWalker:
    """A browser on /map: the map's `update_map` callback as Dash sends it (from /_dash-dependencies and
    the rendered page), each switch choosing another value of one control and starting from what the
    previous answer showed."""

    def __init__(self, base_url: str, cycle: str):
        session = requests.Session()
        self.search = f"?cycle={cycle}"
        layout = session.post(f"{base_url}/_dash-update-component", json=router_body("/map", self.search)).json()
        self.values = layout_components(layout["response"]["_pages_content"]["children"], {})
        dependencies = session.get(f"{base_url}/_dash-dependencies").json()
        self.callback = next(
            c
            for c in dependencies
            if not c.get("clientside_function") and "map-shown.data" in c["output"] and "map-url.search" in c["output"]
        )
        # The page's address as the browser's Location component holds it.
        self.values['"map-url"'] = {**self.values.get('"map-url"', {}), "pathname": "/map", "search": self.search}
        # The map's choices: buttons ({"type": ..., "name": control, "value": choice}, clicked) or, in an
        # older page, radio items (a component per control whose value changes).
        self.buttons: dict[str, list[str]] = {}
        self.radios: dict[str, list] = {}
        for dependency in self.callback["inputs"]:
            component_id, prop = dependency["id"], dependency["property"]
            if prop == "n_clicks" and component_id.startswith("{") and '"value"' in component_id:
                kind = json.loads(component_id)["type"]
                for key in self.values:
                    if key.startswith("{") and json.loads(key).get("type") == kind:
                        self.buttons.setdefault(json.loads(key)["name"], []).append(key)
            elif prop == "value" and isinstance(self.values.get(component_key(component_id), {}).get("options"), list):
                options = self.values[component_key(component_id)]["options"]
                self.radios[component_key(component_id)] = [o["value"] if isinstance(o, dict) else o for o in options]
        if not self.buttons and not self.radios:
            raise RuntimeError("the map page has no controls to switch")

    @staticmethod
    def _entry(values: dict, dependency: dict):
        """One input or state of the request: its value in the client's copy of the page."""
        component_id, prop = dependency["id"], dependency["property"]
        if component_id.startswith("{") and "ALL" in component_id:  # a wildcard: every matching component
            kind = json.loads(component_id).get("type")
            return [
                {"id": json.loads(key), "property": prop, "value": props.get(prop)}
                for key, props in values.items()
                if key.startswith("{") and json.loads(key).get("type") == kind
            ]
        parsed = json.loads(component_id) if component_id.startswith("{") else component_id
        return {"id": parsed, "property": prop, "value": values.get(component_key(parsed), {}).get(prop)}

    def switch(self, values: dict) -> tuple[dict, str]:
        """The body of one switch from `values` (a client's copy of the page) and its trigger."""
        if self.buttons:
            control = random.choice(list(self.buttons))
            unpressed = [k for k in self.buttons[control] if values[k].get("aria-pressed") != "true"]
            button = random.choice(unpressed or self.buttons[control])
            values[button] = {**values[button], "n_clicks": (values[button].get("n_clicks") or 0) + 1}
            for sibling in self.buttons[control]:  # what the page shows pressed once the answer is drawn
                values[sibling] = {**values[sibling], "aria-pressed": "true" if sibling == button else "false"}
            changed = f"{button}.n_clicks"
        else:
            control = random.choice(list(self.radios))
            props = values[control]
            choices = [v for v in self.radios[control] if v != props.get("value")] or self.radios[control]
            values[control] = {**props, "value": random.choice(choices)}
            changed = f"{json.loads(control)}.value"
        body = {
            "output": self.callback["output"],
            "outputs": _split_output(self.callback["output"]),
            "inputs": [self._entry(values, d) for d in self.callback["inputs"]],
            "state": [self._entry(values, d) for d in self.callback["state"]],
            "changedPropIds": [changed],
        }
        return body, changed

    @staticmethod
    def apply(values: dict, answer: dict) -> None:
        """What the answer changed, as the browser would (controls and the stored view)."""
        for component_id, props in answer.get("response", {}).items():
            key = component_key(json.loads(component_id) if component_id.startswith("{") else component_id)
            if key in values and isinstance(props, dict):
                values[key] = {
                    **values[key],
                    **{k: v for k, v in props.items() if k in ("value", "data", "search", "aria-pressed")},
                }


def largest_cycle(data_dir: Path) -> str:
    """The cycle with the most itemized receipts: its export is the largest the demo allows."""
    receipts = data_dir / "current" / "receipts" / "**" / "*.parquet"
    (cycle,) = duckdb.execute(
        f"SELECT cycle FROM read_parquet('{receipts}', hive_partitioning = true) GROUP BY cycle ORDER BY count(*) DESC"
    ).fetchone()
    return str(cycle)


def sample_races(data_dir: Path, count: int = 300) -> tuple[list[str], str]:
    """Addresses of the House races with money (most first) and the latest cycle with receipts."""
    current = data_dir / "current"
    con = duckdb.connect()
    (cycle,) = con.execute(
        f"SELECT max(cycle) FROM read_parquet('{current}/agg_district.parquet') WHERE receipts > 0"
    ).fetchone()
    rows = con.execute(
        f"SELECT cycle, state, district FROM read_parquet('{current}/agg_district.parquet') "
        "WHERE office = 'H' AND receipts > 0 ORDER BY receipts DESC LIMIT ?",
        [count],
    ).fetchall()
    return [f"/race/house/{state}/{district}/{c}" for c, state, district in rows], str(cycle)


API_PATHS = (
    "/api/v1/races/top?cycle={cycle}",
    "/api/v1/race?cycle={cycle}&office=H&state={state}&district={district}",
    "/api/v1/race/candidates?cycle={cycle}&office=H&state={state}&district={district}",
    "/api/v1/race/weekly?cycle={cycle}&office=H&state={state}&district={district}",
    "/api/v1/trends/parties?cycle={cycle}",
    "/api/v1/receipts/conduits?cycle={cycle}",
)


# ----------------------------------------------------------------------------- locust plumbing


def run_users(base_url: str, user_classes: list, counts: dict, seconds: float) -> dict:
    """Run locust users (class -> count) against `base_url` for `seconds`; per-name figures."""
    for user_class in user_classes:
        user_class.host = base_url
    environment = Environment(user_classes=user_classes)
    runner = environment.create_local_runner()
    runner.start(user_count=sum(counts.values()), spawn_rate=min(sum(counts.values()), 100))
    started = time.monotonic()
    gevent.sleep(seconds)
    runner.quit()
    elapsed = time.monotonic() - started
    figures = {}
    for (name, _method), entry in environment.stats.entries.items():
        figures[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "req_per_s": round(entry.num_requests / elapsed, 1),
            "p50_ms": round(entry.get_response_time_percentile(0.5) or 0),
            "p95_ms": round(entry.get_response_time_percentile(0.95) or 0),
            "max_ms": round(entry.max_response_time or 0),
        }
    figures["_errors"] = {f"{e.name}: {e.error}"[:200]: e.occurrences for e in environment.stats.errors.values()}
    figures["_seconds"] = round(elapsed, 1)
    return figures


_visitors = iter(range(1, 60_000))


def _visitor_address() -> str:
    number = next(_visitors)
    return f"10.0.{number // 250}.{number % 250 + 1}"


def _fixed_counts(user_classes: list, counts: dict) -> None:
    for user_class in user_classes:
        user_class.fixed_count = counts[user_class.__name__]


# ----------------------------------------------------------------------------- the server


def worker_pids(base_url: str) -> list[int]:
    port = base_url.rsplit(":", 1)[1]
    masters = [p for p in psutil.process_iter(["cmdline"]) if f"127.0.0.1:{port}" in " ".join(p.info["cmdline"] or [])]
    return sorted({child.pid for master in masters for child in master.children()})


class RssSampler:
    """Peak resident memory of each gunicorn worker, sampled every 0.1 s in a greenlet."""

    def __init__(self, base_url: str):
        self.pids = worker_pids(base_url)
        self.peak_mb = {pid: 0.0 for pid in self.pids}
        self.start_mb = {pid: self._rss(pid) for pid in self.pids}
        self._greenlet = None

    @staticmethod
    def _rss(pid: int) -> float:
        try:
            return psutil.Process(pid).memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            return 0.0

    def __enter__(self):
        def sample():
            while True:
                for pid in self.pids:
                    self.peak_mb[pid] = max(self.peak_mb[pid], self._rss(pid))
                gevent.sleep(0.1)

        self._greenlet = gevent.spawn(sample)
        return self

    def __exit__(self, *_):
        self._greenlet.kill()

    def figures(self) -> dict:
        return {
            "workers": len(self.pids),
            "start_mb": [round(v) for v in self.start_mb.values()],
            "peak_mb": [round(v) for v in self.peak_mb.values()],
        }


@contextmanager
def server(data_dir: Path, keep_answers: bool = False, **env):
    """gunicorn over `data_dir` with settings `env`; its answers on disk (the answer cache's disk tier) are
    removed first unless `keep_answers` (a restart)."""
    if not keep_answers:
        shutil.rmtree(layout.answers_dir(data_dir), ignore_errors=True)
    with environment(**{name: str(value) for name, value in env.items()}), serve_app(data_dir) as url:
        yield url


# ----------------------------------------------------------------------------- phases


def mixed(
    base_url: str,
    races: list[str],
    cycle: str,
    clients: int,
    seconds: float,
    walker: MapWalker | None = None,
    think: float = 0,
) -> dict:
    walker = walker or MapWalker(base_url, cycle)
    api_paths = []
    for race in races[:60]:
        _, _, office, state, district, race_cycle = race.split("/")
        api_paths += [p.format(cycle=race_cycle, state=state, district=district) for p in API_PATHS]

    served = {}  # (name, X-Answer-Cache) -> answers
    snapshots = {}  # X-Snapshot-Id -> answers (after a publish: how long the workers served the previous one)

    class Visitor(FastHttpUser):
        wait_time = constant(think)

        def on_start(self):
            self.values = json.loads(json.dumps(walker.values))
            # A browser: its own address (see ABUSER) and compressed answers welcome.
            self.headers = {"X-Forwarded-For": _visitor_address(), "Accept-Encoding": "gzip, deflate, br"}

        def _ask(self, name: str, path: str, body: dict | None = None):
            method = self.client.post if body is not None else self.client.get
            kwargs = {"json": body} if body is not None else {}
            with method(path, name=name, headers=self.headers, catch_response=True, **kwargs) as answer:
                cache = answer.headers.get("X-Answer-Cache", "off") if answer.headers else "off"
                served[(name, cache)] = served.get((name, cache), 0) + 1
                snapshot = answer.headers.get("X-Snapshot-Id", "none") if answer.headers else "none"
                snapshots[snapshot] = snapshots.get(snapshot, 0) + 1
                if answer.status_code in (200, 204):
                    answer.success()
                else:
                    answer.failure(f"status {answer.status_code}")
                return answer

        @task(2)
        def map_switch(self):
            body, _ = walker.switch(self.values)
            answer = self._ask("map switch", "/_dash-update-component", body)
            if answer.status_code == 200:
                walker.apply(self.values, answer.json())

        @task(2)
        def race_page(self):
            self._ask("race page", "/_dash-update-component", router_body(random.choice(races)))

        @task(1)
        def api(self):
            self._ask("api", random.choice(api_paths))

    workers = [psutil.Process(pid) for pid in worker_pids(base_url)]
    generator = psutil.Process()
    before = _cpu_seconds([generator]), _cpu_seconds(workers)
    figures = run_users(base_url, [Visitor], {"Visitor": clients}, seconds)
    # Who used the 2 shared cores: the web workers, or this load generator (locust parses every answer).
    figures["_cpu_seconds"] = {
        "workers": round(_cpu_seconds(workers) - before[1], 1),
        "load_generator": round(_cpu_seconds([generator]) - before[0], 1),
    }
    figures["_cache_hits"] = _cache_hits(base_url)
    figures["_served_from_cache"] = {
        name: f"{served.get((name, 'hit'), 0) / max(1, sum(v for (n, _), v in served.items() if n == name)):.0%}"
        for name in ("map switch", "race page", "api")
    }
    figures["_answers_by_snapshot"] = dict(sorted(snapshots.items()))
    return figures


def _cpu_seconds(processes: list) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _cache_hits(base_url: str) -> str:
    """One more request of each kind, to say whether the cache is on."""
    answer = requests.get(f"{base_url}/api/v1/races/top", timeout=30)
    return "on" if "X-Answer-Cache" in answer.headers else "off"


def starvation(base_url: str, seconds: float, slow_kind: str, cycle: str) -> dict:
    """A cheap request's latency while clients keep the workers busy (costly searches or slow export readers)."""

    class Cheap(FastHttpUser):
        wait_time = constant(0.2)

        @task
        def cheap(self):
            self.client.get(CHEAP_PATH, name="cheap request", headers={"X-Forwarded-For": BYSTANDER})

    class CostlySearcher(FastHttpUser):
        wait_time = constant(0)

        @task
        def search(self):
            # A page size of its own each time: the answer cache cannot help, every search is run.
            with self.client.get(
                f"{COSTLY_SEARCH}&limit={random.randint(1, COSTLY_LIMITS)}",
                name="costly search",
                headers={"X-Forwarded-For": ABUSER},
                catch_response=True,
            ) as answer:
                if answer.status_code != 200:
                    answer.failure(f"status {answer.status_code}: {(answer.text or '')[:120]}")

    class SlowReader(FastHttpUser):
        wait_time = constant(0)

        @task
        def read_slowly(self):
            path = f"/api/v1/receipts/export?cycle={cycle}&format=csv"
            started = time.monotonic()
            # Recorded at the first byte (its status and wait): a reader still reading when the phase
            # ends is stopped before it could be recorded at the last one.
            try:
                with requests.get(
                    self.host + path, stream=True, timeout=120, headers={"X-Forwarded-For": ABUSER}
                ) as answer:
                    self._record(answer.status_code, started)
                    for _chunk in answer.iter_content(16 * 1024):
                        gevent.sleep(0.5)
            except requests.RequestException as problem:
                self._record(type(problem).__name__, started)

        def _record(self, status, started: float) -> None:
            self.environment.events.request.fire(
                request_type="GET",
                name=f"slow export reader (status {status})",
                response_time=(time.monotonic() - started) * 1000,
                response_length=0,
                exception=None if status in (200, 429, 503) else RuntimeError(str(status)),
                context={},
            )

    busy = CostlySearcher if slow_kind == "costly" else SlowReader
    count = 16 if slow_kind == "costly" else 8
    _fixed_counts([Cheap, busy], {"Cheap": 1, busy.__name__: count})
    return run_users(base_url, [Cheap, busy], {"Cheap": 1, busy.__name__: count}, seconds)


def large_bodies(base_url: str, body_mb: int, count: int = 3) -> dict:
    payload = (
        b'{"output":"x.children","outputs":{"id":"x","property":"children"},"inputs":[{"value":"'
        + (b"a" * (body_mb * 2**20))
        + b'"}],"changedPropIds":[],"state":[]}'
    )
    results = []

    def post():
        started = time.monotonic()
        try:
            answer = requests.post(
                f"{base_url}/_dash-update-component",
                data=payload,
                headers={"Content-Type": "application/json", "X-Forwarded-For": ABUSER},
                timeout=120,
            )
            results.append({"status": answer.status_code, "ms": round((time.monotonic() - started) * 1000)})
        except requests.RequestException as problem:
            results.append({"status": type(problem).__name__, "ms": round((time.monotonic() - started) * 1000)})

    with RssSampler(base_url) as rss:
        gevent.joinall([gevent.spawn(post) for _ in range(count)])
    return {"body_mb": body_mb, "posts": results, "rss": rss.figures()}


def concurrent_exports(base_url: str, cycle: str, count: int = 10) -> dict:
    results = []

    def export():
        started = time.monotonic()
        try:
            with requests.get(
                f"{base_url}/api/v1/receipts/export?cycle={cycle}&format=csv",
                stream=True,
                timeout=300,
                headers={"X-Forwarded-For": _visitor_address()},
            ) as answer:
                size = sum(len(chunk) for chunk in answer.iter_content(256 * 1024))
                results.append(
                    {
                        "status": answer.status_code,
                        "rows": answer.headers.get("X-Row-Count"),
                        "mb": round(size / 2**20, 1),
                        "s": round(time.monotonic() - started, 1),
                    }
                )
        except requests.RequestException as problem:
            results.append({"status": type(problem).__name__, "s": round(time.monotonic() - started, 1)})

    with RssSampler(base_url) as rss:
        gevent.joinall([gevent.spawn(export) for _ in range(count)])
    return {"exports": results, "rss": rss.figures()}


def publish_copy(data_dir: Path) -> str:
    """A new snapshot as a publish makes one (new id, `current` swapped in one step), with the current one's
    files (hard links): every answer is cold for the app, while the figures stay comparable. Its id."""
    from dashboard.store import files, layout, snapshots

    current = snapshots.current_snapshot(data_dir)
    snapshot_id = snapshots.new_snapshot_id()
    partial = layout.snapshots_dir(data_dir) / f"{snapshot_id}.partial"
    shutil.copytree(current, partial, copy_function=os.link)
    manifest = {**snapshots.read_manifest(current), "snapshot_id": snapshot_id}
    files.write_json(layout.manifest_path(partial), manifest, indent=2)  # a new file: the linked one is left alone
    snapshots.promote(data_dir, partial, keep=3)
    return snapshot_id


def cold_publish(
    base_url: str,
    data_dir: Path,
    races: list[str],
    cycle: str,
    clients: int,
    seconds: float,
    cold_seconds: float,
    think: float,
    pause: float = 0,
) -> dict:
    """The mixed load on one snapshot (what the workers count as most asked), a publish, then the same load
    for `cold_seconds` (before a request reads the new snapshot, the clients are ready: none warms it).
    `think`: each client's pause between requests (0: as fast as the server answers); `pause`: seconds
    without requests between the publish and the load."""
    walker = MapWalker(base_url, cycle)
    before = mixed(base_url, races, cycle, clients, seconds, walker, think)
    snapshot_id = publish_copy(data_dir)
    time.sleep(pause)  # visitors come back `pause` seconds after the publish
    figures = mixed(base_url, races, cycle, clients, cold_seconds, walker, think)
    figures["_published"] = snapshot_id
    # The same load's p95 before the publish, on this machine as it is now (a fresh server: its own start
    # is cold too).
    figures["_p95_ms_before_publish"] = {
        name: before[name]["p95_ms"] for name in ("map switch", "race page", "api") if name in before
    }
    figures["_think_seconds"] = think
    figures["_pause_seconds"] = pause
    return figures


# ----------------------------------------------------------------------------- report


def _ratio(after: float, before: float) -> float | None:
    return round(after / before, 2) if before else None


def _warm_window(number: int) -> str:
    return "mixed_cache_warm" if number == 1 else f"mixed_cache_warm_{number}"


def report(results: dict) -> str:
    lines = [f"Load and abuse suite ({results['when']}, {results['rows']:,} demo rows, {results['clients']} clients)"]
    warm = [_warm_window(n) for n in range(1, 100) if _warm_window(n) in results]
    for phase in (
        "mixed_cache_off",
        "mixed_cache_on",
        *warm,
        "mixed_after_restart",
        "cold_publish_off",
        "cold_publish_on",
    ):
        if phase not in results:
            continue
        figures = results[phase]
        lines.append(
            f"\n{phase} ({figures['_seconds']} s; answer cache {figures['_cache_hits']}, "
            f"share of answers served from it: {figures.get('_served_from_cache')}):"
        )
        for name in ("map switch", "race page", "api"):
            if name in figures:
                f = figures[name]
                lines.append(
                    f"  {name:11s} {f['req_per_s']:7.1f} req/s  p50 {f['p50_ms']:6d} ms  p95 {f['p95_ms']:6d} ms  "
                    f"max {f['max_ms']:6d} ms  {f['failures']} failed of {f['requests']}"
                )
        for error, times in figures["_errors"].items():
            lines.append(f"    error x{times}: {error}")
        lines.append(f"  CPU seconds used: {figures.get('_cpu_seconds')}")
        if "_published" in figures:
            lines.append(f"  published {figures['_published']}; answers by snapshot: {figures['_answers_by_snapshot']}")
            lines.append(
                f"  p95 ms of the same load before the publish (from the server's start): {figures.get('_p95_ms_before_publish')}"
            )
    for phase, base in (
        ("mixed_cache_on", "mixed_cache_off"),
        *((window, "mixed_cache_off") for window in warm),
        ("mixed_after_restart", "mixed_cache_off"),
        ("cold_publish_on", "cold_publish_off"),
    ):
        if base not in results or phase not in results:
            continue
        lines.append(f"\n{phase} / {base}:")
        for name in ("map switch", "race page", "api"):
            off, on = results[base].get(name), results[phase].get(name)
            if off and on:
                lines.append(
                    f"  {name:11s} throughput x{_ratio(on['req_per_s'], off['req_per_s'])}, "
                    f"p95 x{_ratio(on['p95_ms'], off['p95_ms'])}"
                )
    for phase in ("costly_searches", "slow_export_readers"):
        if phase in results:
            figures = results[phase]
            lines.append(f"\n{phase} ({figures['_seconds']} s):")
            for name, f in figures.items():
                if not name.startswith("_"):
                    lines.append(
                        f"  {name:32s} {f['requests']:5d} requests  p50 {f['p50_ms']:6d} ms  p95 {f['p95_ms']:6d} ms  "
                        f"max {f['max_ms']:6d} ms  {f['failures']} failed"
                    )
            for error, times in figures["_errors"].items():
                lines.append(f"    error x{times}: {error}")
    if "large_bodies" in results:
        figures = results["large_bodies"]
        lines.append(f"\nlarge bodies ({figures['body_mb']} MB callback posts): {figures['posts']}")
        lines.append(f"  workers' RSS MB: start {figures['rss']['start_mb']}, peak {figures['rss']['peak_mb']}")
    if "concurrent_exports" in results:
        figures = results["concurrent_exports"]
        statuses = [e["status"] for e in figures["exports"]]
        lines.append(f"\nconcurrent exports ({len(statuses)}): statuses {statuses}")
        lines.append(f"  {figures['exports'][:2]} ...")
        lines.append(f"  workers' RSS MB: start {figures['rss']['start_mb']}, peak {figures['rss']['peak_mb']}")
    lines.append(f"\ntargets (issue 16): {TARGETS}")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="demo rows when a snapshot is built")
    parser.add_argument("--data-dir", type=Path, help="a demo data folder to use (built there when empty)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each mixed phase")
    parser.add_argument("--abuse-seconds", type=float, default=20, help="length of each starvation phase")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--cold-seconds", type=float, default=15, help="length of the window after a publish")
    parser.add_argument("--think", type=float, default=0, help="cold_publish: each client's pause between requests")
    parser.add_argument("--warm-up-first", action="store_true", help="cold_publish: the run with the warm-up first")
    parser.add_argument("--cold-runs", default="off,on", help="cold_publish: its runs, the warm-up off and/or on")
    parser.add_argument("--pause", type=float, default=0, help="cold_publish: seconds between publish and load")
    parser.add_argument(
        "--warm", type=int, default=3, help="windows after mixed_cache_on on the same server, its cache kept (0: none)"
    )
    parser.add_argument(
        "--restart", type=int, default=1, help="1: then a window on a restarted server, its answers on disk kept"
    )
    parser.add_argument("--body-mb", type=int, default=64, help="size of each large callback post")
    parser.add_argument(
        "--phases",
        default="mixed_cache_off,mixed_cache_on,costly_searches,slow_export_readers,large_bodies,concurrent_exports,"
        "cold_publish",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_JSON, help="JSON results (the .txt beside it)")
    args = parser.parse_args(argv)
    phases = args.phases.split(",")

    with tempfile.TemporaryDirectory(prefix="loadtest-") as scratch:
        data_dir = args.data_dir or Path(scratch) / "data"
        if not (data_dir / "current").exists():
            print(f"building a demo snapshot of {args.rows:,} rows in {data_dir}", flush=True)
            build_snapshot(data_dir, args.rows)
        races, cycle = sample_races(data_dir)
        export_cycle = largest_cycle(data_dir)
        results = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "rows": args.rows}
        results["clients"] = args.clients
        for phase in phases:
            print(f"phase {phase}", flush=True)
            cache_mb = 0 if phase == "mixed_cache_off" else os.environ.get("ANSWER_CACHE_MB", "64")
            if phase == "cold_publish":
                runs = args.cold_runs.split(",")
                for warm_up in sorted(runs, reverse=args.warm_up_first):
                    count = 0 if warm_up == "off" else os.environ.get("ANSWER_CACHE_WARM_UP", "256")
                    with server(
                        data_dir, ANSWER_CACHE_MB=cache_mb, ANSWER_CACHE_WARM_UP=count, TRUSTED_PROXY_HOPS=1
                    ) as url:
                        results[f"cold_publish_{warm_up}"] = cold_publish(
                            url,
                            data_dir,
                            races,
                            cycle,
                            args.clients,
                            args.seconds,
                            args.cold_seconds,
                            args.think,
                            args.pause,
                        )
                continue
            with server(data_dir, ANSWER_CACHE_MB=cache_mb, TRUSTED_PROXY_HOPS=1) as url:
                if phase.startswith("mixed"):
                    results[phase] = mixed(url, races, cycle, args.clients, args.seconds)
                    for window in range(1, args.warm + 1 if phase == "mixed_cache_on" else 1):
                        # The same again on the same server: the answers of the earlier windows are kept.
                        results[_warm_window(window)] = mixed(url, races, cycle, args.clients, args.seconds)
                elif phase == "costly_searches":
                    results[phase] = starvation(url, args.abuse_seconds, "costly", cycle)
                elif phase == "slow_export_readers":
                    results[phase] = starvation(url, args.abuse_seconds, "slow", export_cycle)
                elif phase == "large_bodies":
                    results[phase] = large_bodies(url, args.body_mb)
                elif phase == "concurrent_exports":
                    results[phase] = concurrent_exports(url, export_cycle)
                else:
                    raise SystemExit(f"unknown phase {phase}")
            if phase == "mixed_cache_on" and args.restart:
                # A new server over the same folder: the first minute after a restart (a deploy).
                with server(data_dir, keep_answers=True, ANSWER_CACHE_MB=cache_mb, TRUSTED_PROXY_HOPS=1) as url:
                    results["mixed_after_restart"] = mixed(url, races, cycle, args.clients, args.seconds)
    text = report(results)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    args.output.with_suffix(".txt").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
