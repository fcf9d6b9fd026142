"""One app server against two behind nginx, in the same run: `make bench-scale` (or `python -m bench.scale
[--seconds 20] [--clients 8] [--workers 1] [--rows 200000]`).

A demo snapshot is built in a temporary folder (or `--data-dir`, reused when it already holds one); each
app server (gunicorn, `--workers` workers x 4 threads, as `make serve`) gets its own copy of the data
folder, as each follows the store into its own. Three set-ups, each for `--seconds` with `--clients`
threads loading pages without pause: one server alone, the same behind nginx (what the balancer costs),
two servers behind nginx (devtools/load_balancer.py). Each server first loads every page once (its answer
cache then holds them, so each set-up serves the same mix: most visitors ask what others asked). A page load is what a browser asks: the page's
shell, then the pages router's callback sending back the shell's snapshot id (X-Snapshot-Id), then one
API answer. Reported, never asserted (the machine is shared); figures go to bench/scale_results.txt.

`PageLoads` is also the bounded load run of tests/integration/test_two_servers.py: it counts failed
requests and page loads whose answers name more than one snapshot.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import duckdb

from dashboard.app.headers import SNAPSHOT_HEADER
from devtools.load_balancer import LoadBalancer
from devtools.pages_router import router_body
from tests.e2e.conftest import serve_app

ROOT = Path(__file__).resolve().parents[1]
RESULTS_TXT = ROOT / "bench" / "scale_results.txt"
META = re.compile(r'<meta name="snapshot-id" content="([^"]+)">')
API_PATHS = ("/api/v1/races/top?cycle={cycle}", "/api/v1/trends/parties?cycle={cycle}")


def sample_pages(data_dir: Path, count: int = 40) -> tuple[list[str], str]:
    """Addresses of House races with money (most first) and the latest cycle with receipts."""
    table = f"{data_dir / 'current' / 'agg_district.parquet'}"
    con = duckdb.connect()
    (cycle,) = con.execute(f"SELECT max(cycle) FROM read_parquet('{table}') WHERE receipts > 0").fetchone()
    rows = con.execute(
        f"SELECT cycle, state, district FROM read_parquet('{table}') WHERE office = 'H' AND receipts > 0 "
        "ORDER BY receipts DESC LIMIT ?",
        [count],
    ).fetchall()
    return ["/", "/data"] + [f"/race/house/{state}/{district}/{c}" for c, state, district in rows], str(cycle)


@dataclass
class Figures:
    page_loads: int = 0
    requests: int = 0
    failures: list = field(default_factory=list)  # (what, path, status, start of the body)
    mixed: list = field(default_factory=list)  # (path, the snapshot ids its answers named)
    snapshots: Counter = field(default_factory=Counter)  # page loads per snapshot id
    latencies_ms: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict:
        latencies = sorted(self.latencies_ms) or [0.0]
        return {
            "page_loads": self.page_loads,
            "requests": self.requests,
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "failed_requests": len(self.failures),
            "mixed_page_loads": len(self.mixed),
            "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)], 1),
            "snapshots": dict(self.snapshots),
        }


class PageLoads:
    """`clients` threads loading pages from `base_url` (each a keep-alive connection) until `stop()`."""

    def __init__(self, base_url: str, pages: list[str], cycle: str, clients: int) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.pages, self.cycle, self.clients = pages, cycle, clients
        self.figures = Figures()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._started = 0.0

    def start(self) -> PageLoads:
        self._started = time.monotonic()
        for number in range(self.clients):
            thread = threading.Thread(target=self._client, args=(random.Random(number),), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> Figures:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=120)
        self.figures.seconds = time.monotonic() - self._started
        return self.figures

    def run(self, seconds: float) -> Figures:
        self.start()
        time.sleep(seconds)
        return self.stop()

    def prime(self) -> Figures:
        """Every page and API answer once, from one client: the server's answer cache holds them all, so the
        set-ups compared serve the same mix (election night: most visitors ask what others asked)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        rng = random.Random(0)
        for path in self.pages:  # (the API answers are drawn at random among a few: all asked by the end)
            connection = self._page_load(connection, path, rng)
        connection.close()
        return self.figures

    def _client(self, rng: random.Random) -> None:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        while not self._stopping.is_set():
            connection = self._page_load(connection, rng.choice(self.pages), rng)

    def _request(self, connection, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """(connection, status, headers, body); a broken connection is opened again once, as a browser does."""
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers or {})
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as problem:
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    return connection, 0, {}, str(problem).encode()
                continue
            with self._lock:
                self.figures.requests += 1
                self.figures.latencies_ms.append((time.perf_counter() - started) * 1000)
            return connection, response.status, response.headers, data
        raise AssertionError("unreachable")

    def _page_load(self, connection, path: str, rng: random.Random):
        """The shell, its router callback naming the shell's snapshot, one API answer: each must succeed, and
        the shell and the callback must name the same snapshot (the callback's page footer names it too)."""
        failures, named = [], []
        connection, status, headers, body = self._request(connection, "GET", path)
        shell_id = headers.get(SNAPSHOT_HEADER) if status == 200 else None
        meta = META.search(body.decode(errors="replace")) if status == 200 else None
        if status != 200 or not shell_id or not meta or meta.group(1) != shell_id:
            failures.append(("shell", path, status, body[:200]))
        else:
            named.append(shell_id)
            callback = json.dumps(router_body(path)).encode()
            connection, status, headers, body = self._request(
                connection,
                "POST",
                "/_dash-update-component",
                callback,
                {"Content-Type": "application/json", SNAPSHOT_HEADER: shell_id},
            )
            if status != 200:
                failures.append(("callback", path, status, body[:200]))
            else:
                named.append(headers.get(SNAPSHOT_HEADER))
                if shell_id.encode() not in body:  # the page's data footer names the snapshot it read
                    named.append("footer-without-" + shell_id)
        api = rng.choice(API_PATHS).format(cycle=self.cycle)
        connection, status, headers, body = self._request(connection, "GET", api)
        if status != 200 or not headers.get(SNAPSHOT_HEADER):
            failures.append(("api", api, status, body[:200]))
        with self._lock:
            self.figures.page_loads += 1
            self.figures.failures.extend(failures)
            if len(set(named)) > 1:
                self.figures.mixed.append((path, named))
            if named:
                self.figures.snapshots[named[0]] += 1
        return connection


def copy_data_dir(source: Path, target: Path) -> Path:
    """A server's own data folder: the snapshots and `current` (a relative link), hard-linked files."""
    shutil.copytree(source / "snapshots", target / "snapshots", copy_function=os.link)
    os.symlink(os.readlink(source / "current"), target / "current")
    for extra in ("geo",):
        if (source / extra).is_dir():
            shutil.copytree(source / extra, target / extra, copy_function=os.link)
    return target


def bench(data_dir: Path, seconds: float, clients: int, workers: int, folder: Path) -> dict:
    pages, cycle = sample_pages(data_dir)
    results = {}
    env = {"TRUSTED_PROXY_HOPS": "1", "CLIENT_REQUESTS": str(max(6, clients * 2))}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        one, two = copy_data_dir(data_dir, folder / "server-1"), copy_data_dir(data_dir, folder / "server-2")
        with serve_app(one, workers=workers) as first:
            PageLoads(first, pages, cycle, clients).prime()
            results["one server"] = PageLoads(first, pages, cycle, clients).run(seconds).summary()
            port = urlsplit(first).port
            with LoadBalancer([port], folder / "nginx-1") as balancer:
                results["one server behind nginx"] = PageLoads(balancer.url, pages, cycle, clients).run(seconds)
                results["one server behind nginx"] = results["one server behind nginx"].summary()
            with ExitStack() as stack:
                second = stack.enter_context(serve_app(two, workers=workers))
                PageLoads(second, pages, cycle, clients).prime()
                ports = [port, urlsplit(second).port]
                balancer = stack.enter_context(LoadBalancer(ports, folder / "nginx-2"))
                results["two servers behind nginx"] = PageLoads(balancer.url, pages, cycle, clients).run(seconds)
                results["two servers behind nginx"] = results["two servers behind nginx"].summary()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return results


def report(results: dict, args, rows: str, load_before: float) -> str:
    lines = [
        f"Scale bench ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {rows} demo rows, {args.clients} clients "
        f"x {args.seconds:.0f} s per set-up, {args.workers} gunicorn worker(s) x 4 threads per server, "
        f"{os.cpu_count()} CPUs shared with the client; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after)",
        "A page load: the shell, its router callback (naming the shell's snapshot), one API answer.",
    ]
    for name, figures in results.items():
        if not isinstance(figures, dict) or "requests_per_second" not in figures:
            continue
        lines.append(
            f"- {name}: {figures['requests_per_second']} req/s, {figures['page_loads']} page loads, "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, failed {figures['failed_requests']}, "
            f"mixed {figures['mixed_page_loads']}"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per app server")
    parser.add_argument("--rows", type=int, default=200_000, help="demo rows when a snapshot is built")
    parser.add_argument("--data-dir", type=Path, help="a demo data folder to use (built there when empty)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        data_dir = args.data_dir or folder / "data"
        if not (data_dir / "current").exists():
            from bench.browser import build_snapshot

            print(f"building a demo snapshot of {args.rows:,} rows in {data_dir}", flush=True)
            build_snapshot(data_dir, args.rows)
        rows = json.loads((data_dir / "current" / "manifest.json").read_text()).get("demo", {}).get("rows", "?")
        load_before = os.getloadavg()[0]
        results = bench(data_dir, args.seconds, args.clients, args.workers, folder)
    text = report(results, args, f"{rows:,}" if isinstance(rows, int) else str(rows), load_before)
    RESULTS_TXT.write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
