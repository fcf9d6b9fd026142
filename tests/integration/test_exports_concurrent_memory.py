"""Ten cap-size exports at once from ten clients keep one gunicorn worker under 600 MB (issue 16).

One worker with ten threads over a snapshot of EXPORT_ROW_CAP (1,000,000) receipts; ten clients (their own
addresses in X-Forwarded-For, one trusted proxy hop) each ask the whole view as CSV and read it to the end,
at once, while the worker's resident memory is sampled every 0.05 s. The costly searches' pool is opened
to ten, so what bounds the worker's memory is WORKER_EXPORTS (dashboard/app/limits.py): each download
holds its sorted rows in DuckDB until its last is read (ten at once, WORKER_EXPORTS=0, took the worker
from 190 MB to 3.2 GB), so the worker streams one at a time and answers the others 503 with Retry-After.

Run to report the numbers: python -m tests.integration.test_exports_concurrent_memory <data dir> [exports]
(WORKER_EXPORTS from the environment: 0 to measure ten at once).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.e2e.conftest import free_port
from tests.integration.test_exports_memory import ROWS, million_row_snapshot  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 600
EXPORTS = 10


def serve(data_dir: Path, threads: int, **env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    settings = {
        **os.environ,
        "DATA_CACHE_DIR": str(data_dir),
        "EXPORT_ROW_CAP": str(ROWS),
        "QUERY_TIMEOUT_MS": "120000",
        "TRUSTED_PROXY_HOPS": "1",
        "LOG_LEVEL": "WARNING",
        **{k: str(v) for k, v in env.items()},
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--no-control-socket", "--workers", "1", "--threads", str(threads)]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "300", "app:server"]
    log = open(data_dir / "gunicorn-exports.log", "w")
    proc = subprocess.Popen(command, cwd=ROOT, env=settings, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/api/v1/row-counts", timeout=5) as answer:
                if answer.status == 200:
                    return proc, url
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("gunicorn did not start:\n" + (data_dir / "gunicorn-exports.log").read_text()[-3000:])
        time.sleep(0.3)


def concurrent_exports(data_dir: Path, count: int = EXPORTS, **env) -> dict:
    """`count` exports of the whole 2024 view at once, each from its own address, read to the end."""
    proc, url = serve(data_dir, threads=max(4, count), COSTLY_SEARCHES=count, **env)
    try:
        (worker,) = psutil.Process(proc.pid).children()
        start_mb = worker.memory_info().rss / 2**20
        peak = {"mb": start_mb}
        done = threading.Event()

        def sample():
            while not done.is_set():
                try:
                    peak["mb"] = max(peak["mb"], worker.memory_info().rss / 2**20)
                except psutil.NoSuchProcess:
                    return
                time.sleep(0.05)

        results = []

        def export(number: int):
            request = urllib.request.Request(
                f"{url}/api/v1/receipts/export?cycle=2024&format=csv",
                headers={"X-Forwarded-For": f"10.0.0.{number + 1}"},
            )
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=600) as answer:
                    lines = 0
                    while chunk := answer.read(256 * 1024):
                        lines += chunk.count(b"\n")
                    results.append({"status": answer.status, "lines": lines, "s": round(time.monotonic() - started)})
            except urllib.error.HTTPError as refused:
                results.append(
                    {
                        "status": refused.code,
                        "retry_after": refused.headers.get("Retry-After"),
                        "s": round(time.monotonic() - started),
                    }
                )

        sampler = threading.Thread(target=sample)
        sampler.start()
        clients = [threading.Thread(target=export, args=(n,)) for n in range(count)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(900)
        done.set()
        sampler.join()
        return {"start_mb": round(start_mb), "peak_mb": round(peak["mb"]), "exports": results}
    finally:
        proc.terminate()
        proc.wait(30)


@pytest.mark.slow
def test_ten_concurrent_cap_size_exports_keep_a_worker_under_600_mb(million_row_snapshot):  # noqa: F811
    result = concurrent_exports(million_row_snapshot, WORKER_EXPORTS=1)
    print(f"\n{EXPORTS} concurrent {ROWS:,}-row CSV exports, one worker:", result)
    sent = [e for e in result["exports"] if e["status"] == 200]
    refused = [e for e in result["exports"] if e["status"] != 200]
    assert sent and all(e["lines"] == ROWS + 1 for e in sent)  # every row of the file, and its header
    assert all(e["status"] == 503 and int(e["retry_after"]) > 0 for e in refused), refused
    assert result["peak_mb"] < LIMIT_MB, result


if __name__ == "__main__":
    print(json.dumps(concurrent_exports(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else EXPORTS)))
