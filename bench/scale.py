"""Issue 17's figures in one run: `make bench-scale` (or `python -m bench.scale [--seconds 20] [--clients 8]
[--workers 1] [--rows 200000] [--data-dir D]`). Bounded: a few minutes with the defaults.

A demo snapshot (`--rows`, or the one in `--data-dir`, copied with hard links) is built in a temporary
folder, the builder's. A real S3-compatible server (moto, devtools/s3_server.py) on 127.0.0.1 is the store.
The snapshot is uploaded, and two empty data folders follow it (`python -m dashboard follow --once`):
that is the sync time (upload; download and verify). Three gunicorn servers (`--workers` workers x 4
threads each, as `make serve`) then serve the same snapshot: one from the builder's folder (built here,
no store anywhere) and two from the followed copies. Each first loads every page of the mix once (its
answer cache then holds them: most visitors ask what others asked). Then, with `--clients` threads loading
pages without pause:

1. latency with and without the store: the same mix against the server on the local build and the one on
   the followed copy, in turns (local, followed, followed, local: `--seconds` in all per server), p50/p95
   side by side;
2. one server while a new snapshot is published locally (`python -m dashboard build` in its own folder,
   the store not set);
3. two servers behind nginx (devtools/cluster.py) while a new snapshot is built and uploaded to the store,
   then followed by one server and, four seconds later, the other (a rolling update).
In 2 and 3 the load runs for at least `--seconds`, from 3 s before the publish to 8 s after its last step;
the build runs at nice 10 in both (in production it runs on its own machine, or niced beside the app).

A page load is what a browser asks: the page's shell, then the pages router's callback sending back the
shell's snapshot id (X-Snapshot-Id), then one API answer. Failed requests, page loads whose answers name
two snapshots, and (behind nginx) requests a server answered 503 and nginx retried on the other are
counted. Reported, never asserted (the machine is shared); figures go to bench/scale_results.txt.

`PageLoads` is also the bounded load run of tests/integration/test_two_servers.py.
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
from devtools.cluster import (
    RETRIED_AFTER_503,
    environment,
    last_upload,
    rolling_follow,
    run_dashboard,
    served_id,
    servers_behind_balancer,
)
from devtools.pages_router import router_body
from devtools.s3_server import S3Server
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
            "seconds": round(self.seconds, 1),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "failed_requests": len(self.failures),
            "failed_by_kind": dict(Counter(f"{what} {status}" for what, _path, status, _body in self.failures)),
            "mixed_page_loads": len(self.mixed),
            "p50_ms": round(latencies[len(latencies) // 2], 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)], 1),
            "snapshots": dict(self.snapshots),
        }

    def add(self, other: Figures) -> Figures:
        """Fold another run of the same set-up into this one (rounds taken in turns with another set-up)."""
        self.page_loads += other.page_loads
        self.requests += other.requests
        self.failures += other.failures
        self.mixed += other.mixed
        self.snapshots += other.snapshots
        self.latencies_ms += other.latencies_ms
        self.seconds += other.seconds
        return self


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


LEAD_SECONDS, TAIL_SECONDS = 3.0, 8.0  # load before the publish begins and after its last step
ROLLING_PAUSE = 4.0  # between the two servers' follows: for that long they serve two snapshots
BUILD_NICE = 10


def load_during(url: str, pages: list[str], cycle: str, clients: int, seconds: float, publish) -> tuple[dict, dict]:
    """Page loads against `url` from LEAD_SECONDS before `publish()` to TAIL_SECONDS after it returns, and
    `seconds` at least; (the load's summary, what `publish()` returned plus its "publish_seconds")."""
    load = PageLoads(url, pages, cycle, clients).start()
    started = time.monotonic()
    try:
        time.sleep(LEAD_SECONDS)
        begun = time.monotonic()
        facts = publish()
        facts["publish_seconds"] = round(time.monotonic() - begun, 1)
        time.sleep(max(TAIL_SECONDS, seconds - (time.monotonic() - started)))
    finally:
        figures = load.stop()
    return figures.summary(), facts


def latency_in_turns(urls: dict[str, str], pages: list[str], cycle: str, clients: int, seconds: float) -> dict:
    """The same mix against each server in turns, in the order A B B A (`seconds` per server in all), so the
    machine's other work, rising or falling during the run, weighs on every server alike; each server's
    summary."""
    figures = {name: Figures() for name in urls}
    for name in [*urls, *reversed(urls)]:
        figures[name].add(PageLoads(urls[name], pages, cycle, clients).run(seconds / 2))
    return {name: each.summary() for name, each in figures.items()}


def publish_locally(builder: Path) -> dict:
    """A new snapshot built and published in the served folder itself, no store (a one-machine site)."""
    with environment(SNAPSHOT_STORE_URL=None):
        run_dashboard(["build"], builder, timeout=900, nice=BUILD_NICE)
    return {"snapshot_id": served_id(builder)}


def publish_to_store(builder: Path, followers: list[Path], urls: list[str]) -> dict:
    """A new snapshot built and uploaded by the builder, then followed by each server in turn (the next
    one ROLLING_PAUSE after the last answers from it)."""
    begun = time.monotonic()
    run_dashboard(["build"], builder, timeout=900, nice=BUILD_NICE)  # SNAPSHOT_STORE_URL is set: it uploads
    built = round(time.monotonic() - begun, 1)
    return {
        "snapshot_id": served_id(builder),
        "build_and_upload_seconds": built,
        "upload": last_upload(builder),
        "follow": rolling_follow(followers, pause=ROLLING_PAUSE, urls=urls),
        "served": [served_id(folder) for folder in followers],
    }


def bench(builder: Path, seconds: float, clients: int, workers: int, folder: Path) -> dict:
    pages, cycle = sample_pages(builder)
    followers = [folder / "server-1", folder / "server-2"]
    first = served_id(builder)
    results: dict = {"first": first}
    settings = {
        "TRUSTED_PROXY_HOPS": "1",  # behind nginx, the per-client limits count the clients, not nginx
        "CLIENT_REQUESTS": str(max(6, clients * 2)),  # every client is 127.0.0.1
        "QUERY_TIMEOUT_MS": "30000",  # as the two-server test: the build shares the cores, slow is not failed
    }
    with ExitStack() as stack:
        s3 = stack.enter_context(S3Server(log_path=folder / "moto.log"))
        stack.enter_context(environment(**settings, **s3.env(), SNAPSHOT_STORE_URL=s3.new_bucket() + "/site"))
        run_dashboard(["upload"], builder)  # the demo snapshot, built before the store was set
        results["demo_sync"] = {"upload": last_upload(builder), "follow": rolling_follow(followers)}
        urls, balancer = stack.enter_context(servers_behind_balancer(followers, folder / "nginx", workers))
        for url in urls:
            PageLoads(url, pages, cycle, clients).prime()
        with ExitStack() as alone:
            with environment(SNAPSHOT_STORE_URL=None):  # this server knows of no store
                local = alone.enter_context(serve_app(builder, workers=workers))
            PageLoads(local, pages, cycle, clients).prime()
            print("latency with and without the store", flush=True)
            results["latency"] = latency_in_turns(
                {"built locally (no store)": local, "copied from the store by follow": urls[0]},
                pages,
                cycle,
                clients,
                seconds,
            )
            print("one server while a snapshot is published locally", flush=True)
            results["one"] = load_during(local, pages, cycle, clients, seconds, lambda: publish_locally(builder))
        print("two servers behind nginx while a snapshot is published to the store and followed", flush=True)
        results["two"] = load_during(
            balancer.url, pages, cycle, clients, seconds, lambda: publish_to_store(builder, followers, urls)
        )
        results["retried"] = balancer.access_log.read_text().count(RETRIED_AFTER_503)
    return results


def _ms(value: float) -> str:
    return f"{value:,.1f} ms"


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "-"


def _per_snapshot(summary: dict, old: str, new: str) -> str:
    counted = summary["snapshots"]
    others = sum(n for snapshot_id, n in counted.items() if snapshot_id not in (old, new))
    return f"{counted.get(old, 0)} / {counted.get(new, 0)}" + (f" (+{others} other)" if others else "")


def report(results: dict, args, rows: str, load_before: float) -> str:
    one, local_publish = results["one"]
    two, store_publish = results["two"]
    first = results["first"]
    demo_upload, demo_follow = results["demo_sync"]["upload"], results["demo_sync"]["follow"]
    new_upload, new_follow = store_publish["upload"], store_publish["follow"]
    lines = [
        f"Scale bench ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): {rows} demo rows "
        f"(snapshot {demo_upload.get('bytes', 0) / 1e6:.0f} MB), {args.clients} clients, "
        f"{args.workers} gunicorn worker(s) x 4 threads per server, {os.cpu_count()} CPUs shared by servers, "
        f"clients, nginx, moto and the build (and other users); load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after. QUERY_TIMEOUT_MS=30000; builds at nice {BUILD_NICE}.",
        "A page load: the shell, its router callback (naming the shell's snapshot), one API answer.",
        "",
        f"Throughput while a new snapshot is published (load from {LEAD_SECONDS:.0f} s before the publish to "
        f"{TAIL_SECONDS:.0f} s after its last step, {args.seconds:.0f} s at least):",
        "",
        "| set-up | seconds | req/s | page loads | p50 | p95 | failed | retried by nginx | mixed | "
        "page loads old / new snapshot | publish |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| one server, snapshot built locally; a new one built and published in its folder | {one['seconds']} | "
        f"{one['requests_per_second']:,} | {one['page_loads']:,} | {_ms(one['p50_ms'])} | {_ms(one['p95_ms'])} | "
        f"{one['failed_requests']} | - | {one['mixed_page_loads']} | "
        f"{_per_snapshot(one, first, local_publish['snapshot_id'])} | build {local_publish['publish_seconds']} s |",
        f"| two servers behind nginx, each following the store; a new one built, uploaded, followed by one "
        f"server then {ROLLING_PAUSE:.0f} s later the other | {two['seconds']} | {two['requests_per_second']:,} | "
        f"{two['page_loads']:,} | {_ms(two['p50_ms'])} | {_ms(two['p95_ms'])} | {two['failed_requests']} | "
        f"{results['retried']} | {two['mixed_page_loads']} | {_per_snapshot(two, first, store_publish['snapshot_id'])} "
        f"| build + upload {store_publish['build_and_upload_seconds']} s, all {store_publish['publish_seconds']} s |",
        "",
        f"Two servers / one server: {_ratio(two['requests_per_second'], one['requests_per_second'])} x the req/s. "
        f"Both followers serve the new snapshot after the run: "
        f"{store_publish['served'] == [store_publish['snapshot_id']] * 2}.",
        "",
        f"Latency with and without the store (snapshot {first} on both, the same mix, {args.seconds:.0f} s per "
        "server, in turns: local, followed, followed, local):",
        "",
        "| snapshot served from | requests | req/s | p50 | p95 | failed |",
        "|---|---|---|---|---|---|",
    ]
    latency = results["latency"]
    for name, figures in latency.items():
        lines.append(
            f"| {name} | {figures['requests']:,} | {figures['requests_per_second']:,} | {_ms(figures['p50_ms'])} | "
            f"{_ms(figures['p95_ms'])} | {figures['failed_requests']} |"
        )
    local, followed = latency.values()
    lines += [
        "",
        f"Followed / local: p50 {_ratio(followed['p50_ms'], local['p50_ms'])}, "
        f"p95 {_ratio(followed['p95_ms'], local['p95_ms'])}, req/s "
        f"{_ratio(followed['requests_per_second'], local['requests_per_second'])}.",
        "",
        "Sync time (moto S3 server on 127.0.0.1; follow = download and verify every sha256, then swap):",
        "",
        "| snapshot | files | bytes | upload | follow, server 1 | follow, server 2 |",
        "|---|---|---|---|---|---|",
    ]
    for what, upload, follow in (
        (f"demo {first}, before the load runs", demo_upload, demo_follow),
        (f"new {store_publish['snapshot_id']}, during the two-server load run", new_upload, new_follow),
    ):
        lines.append(
            f"| {what} | {upload.get('files')} | {upload.get('bytes', 0):,} | {upload.get('seconds')} s | "
            + " | ".join(f"{each.get('seconds')} s ({each.get('bytes', 0):,} bytes)" for each in follow)
            + " |"
        )
    for name, figures in (("one server", one), ("two servers", two), *latency.items()):
        if figures["failed_by_kind"]:
            lines.append(f"Failed requests, {name}: {figures['failed_by_kind']}")
    return "\n".join(lines) + "\n"


def copy_folder(source: Path, target: Path) -> Path:
    """A writable copy of a demo data folder (hard links where the file system allows: builds write new
    files, never into existing ones); `current` stays a relative link, to the copy's own snapshot."""

    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per app server")
    parser.add_argument("--rows", type=int, default=200_000, help="demo rows when a snapshot is built")
    parser.add_argument(
        "--data-dir", type=Path, help="a demo data folder to start from (built there when empty; copied, not changed)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = Path(tmp)
        source = args.data_dir or folder / "builder"
        if not (source / "current").exists():
            from bench.browser import build_snapshot

            print(f"building a demo snapshot of {args.rows:,} rows in {source}", flush=True)
            build_snapshot(source, args.rows)
        builder = copy_folder(source, folder / "builder") if args.data_dir else source
        rows = json.loads((builder / "current" / "manifest.json").read_text()).get("demo", {}).get("rows", "?")
        load_before = os.getloadavg()[0]
        results = bench(builder, args.seconds, args.clients, args.workers, folder)
    text = report(results, args, f"{rows:,}" if isinstance(rows, int) else str(rows), load_before)
    RESULTS_TXT.write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
