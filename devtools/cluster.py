"""Several app servers following one object store, behind nginx, on 127.0.0.1: the set-up shared by
tests/integration/test_two_servers.py and `make bench-scale` (docs/scaling.md describes it in production).

    with S3Server() as s3, environment(**s3.env(), SNAPSHOT_STORE_URL=s3.new_bucket() + "/site"):
        run_dashboard(["upload"], builder)
        for folder in server_dirs:
            run_dashboard(["follow", "--once"], folder)
        with servers_behind_balancer(server_dirs, folder / "nginx") as (urls, balancer):
            run_dashboard(["build"], builder)          # publishes and uploads a new snapshot
            rolling_follow(server_dirs, pause=4)      # one server, then the other

Every step is the real command (`python -m dashboard ...` in a subprocess, gunicorn, nginx, moto), as a
node runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from dashboard.app.headers import SNAPSHOT_HEADER
from dashboard.store import sync_status
from devtools.load_balancer import LoadBalancer
from tests.e2e.conftest import ROOT, serve_app

# nginx's access log (devtools/load_balancer.py) for a request a server answered 503 (it had not yet received
# the snapshot the page names) and nginx then sent to the other server, which answered it.
RETRIED_AFTER_503 = "upstream_status=503, 200"


def run_dashboard(command: list[str], data_dir: Path, timeout: float = 300, nice: int = 0) -> str:
    """`python -m dashboard <command>` on `data_dir` (the store's settings come from the environment);
    its output. Raises with the output when it fails. `nice` lowers its CPU priority (a build sharing the
    machine with the app servers it publishes for)."""
    niced = ["nice", "-n", str(nice)] if nice else []
    done = subprocess.run(
        [*niced, sys.executable, "-m", "dashboard", *command],
        cwd=ROOT,
        env={**os.environ, "DATA_CACHE_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`python -m dashboard {' '.join(command)}` failed:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def served_id(data_dir: Path) -> str:
    """The snapshot id the data folder's `current` names."""
    return (Path(data_dir) / "current").resolve().name


def last_upload(data_dir: Path) -> dict:
    """What the last upload from this data folder did: {"snapshot_id", "files", "bytes", "seconds", ...}."""
    return sync_status.read_status(data_dir).get("upload") or {}


def last_follow(data_dir: Path) -> dict:
    """What the last snapshot copied into this data folder by `follow` took: {"snapshot_id", "bytes",
    "seconds"} (download and checksum verification)."""
    return (sync_status.read_status(data_dir).get("follow") or {}).get("last_success") or {}


def rolling_follow(data_dirs: list[Path], pause: float = 0.0, urls: list[str] | None = None) -> list[dict]:
    """`follow --once` on each data folder in turn, `pause` seconds apart (a rolling update: for that
    long the servers serve two snapshots); each one's last_follow() afterwards. With the servers' `urls`,
    each pause starts once that server answers from the new snapshot: a worker adopts it only when its
    answer cache is warm for it (dashboard/app/answer_cache.py), within ANSWER_CACHE_WARM_UP_SECONDS."""
    copied = []
    for number, folder in enumerate(data_dirs):
        if number and pause:
            time.sleep(pause)
        run_dashboard(["follow", "--once"], folder)
        if urls:
            wait_until_served(urls[number], served_id(folder))
        copied.append(last_follow(folder))
    return copied


def wait_until_served(url: str, snapshot_id: str, seconds: float = 60) -> None:
    """Until the server answers a request naming no snapshot from `snapshot_id` (its X-Snapshot-Id)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url + "/data", timeout=10) as answer:
                if answer.headers.get(SNAPSHOT_HEADER) == snapshot_id:
                    return
        except urllib.error.HTTPError as refused:  # 503 before a first snapshot
            if refused.headers.get(SNAPSHOT_HEADER) == snapshot_id:
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} still does not serve {snapshot_id} after {seconds:.0f} s")
        time.sleep(0.2)


@contextmanager
def environment(**variables: str | None) -> Iterator[None]:
    """Set (or, for None, remove) environment variables for the block; the processes started in it
    inherit them. The previous values come back after it."""
    saved = {name: os.environ.get(name) for name in variables}
    try:
        _set_environment(variables)
        yield
    finally:
        _set_environment(saved)


def _set_environment(variables: dict[str, str | None]) -> None:
    for name, value in variables.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@contextmanager
def servers_behind_balancer(data_dirs: list[Path], folder: Path, workers: int = 1):
    """One gunicorn server per data folder (a free port each, `workers` workers x 4 threads) and nginx in
    front of them all; yields (the servers' URLs, the LoadBalancer). A server whose folder is still empty
    answers 503 until its first follow."""
    with ExitStack() as stack:
        urls = [stack.enter_context(serve_app(Path(data_dir), workers=workers)) for data_dir in data_dirs]
        balancer = stack.enter_context(LoadBalancer([urlsplit(url).port for url in urls], folder))
        yield urls, balancer
