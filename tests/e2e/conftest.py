"""End-to-end fixtures: gunicorn serving the app on 127.0.0.1, Debian's chromium driven by Playwright.

Every page opened through the `page` fixture fails the test on a console error, a failed request, or
any request to a host other than 127.0.0.1 (such requests are blocked and recorded).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--disable-sync",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(data_dir: Path, workers: int = 2):
    """gunicorn serving the app on a free 127.0.0.1 port over `data_dir`; yields the base URL."""
    port = free_port()
    env = {**os.environ, "DATA_CACHE_DIR": str(data_dir)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log_path = data_dir / "gunicorn.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                str(gunicorn),
                "--no-control-socket",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "app:server",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError as answer:
                if answer.code == 503:  # up, with no snapshot yet (dashboard/app/health.py)
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("gunicorn did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.3)
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser: mark it `e2e` (`-m "not e2e"` leaves them out)."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def base_url(small_snapshot: Path):
    with serve_app(small_snapshot) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class PageProblems:
    def __init__(self):
        self.console_errors: list[str] = []
        self.failed_requests: list[str] = []
        self.foreign_requests: list[str] = []

    def all(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"failed request: {m}" for m in self.failed_requests]
            + [f"request left 127.0.0.1: {m}" for m in self.foreign_requests]
        )


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


def open_context(browser, problems: PageProblems, **context_options):
    context = browser.new_context(**context_options)

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            problems.foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return context


def _record_failure(problems: PageProblems, request) -> None:
    # Requests the browser cancels itself (a navigation replacing a page) are not failures.
    if urlparse(request.url).hostname == "127.0.0.1" and "ERR_ABORTED" not in (request.failure or ""):
        problems.failed_requests.append(f"{request.url} {request.failure}")


def _record_console_error(problems: PageProblems, page, message) -> None:
    # An unknown or invalid address answers 404 or 400 with its friendly page, and Chromium reports the
    # document's own status as a console error: that is the answer, not a problem of the page.
    if message.type != "error":
        return
    own_status = message.text.startswith("Failed to load resource: the server responded with a status of 4")
    if own_status and message.location.get("url") == page.url:
        return
    problems.console_errors.append(message.text)


@pytest.fixture
def page(browser, problems: PageProblems, base_url):
    context = open_context(browser, problems, accept_downloads=True)
    page = context.new_page()
    page.on("console", lambda m: _record_console_error(problems, page, m))
    page.on("pageerror", lambda e: problems.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: _record_failure(problems, r))
    yield page
    context.close()
    assert problems.all() == []
