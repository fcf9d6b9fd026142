"""Limits over real HTTP, against gunicorn (one worker, so its counts are the ones asked about): request bodies
(413), one client's requests and downloads in progress (429 with Retry-After), the costly searches' pool (503
with Retry-After while a cheap request still answers), and a download whose client goes away ends its query."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import serve_app

LIMITS = {
    "MAX_BODY_BYTES": "20000",
    "CLIENT_REQUESTS": "2",
    "CLIENT_EXPORTS": "1",
    "COSTLY_SEARCHES": "1",
    "TRUSTED_PROXY_HOPS": "1",  # each test names its client in X-Forwarded-For
    "QUERY_TIMEOUT_MS": "5000",
}


@pytest.fixture(scope="module")
def served(demo_builds, tmp_path_factory):
    data_dir = demo_builds.copy(tmp_path_factory.mktemp("limits"))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in LIMITS.items():
            patch.setenv(name, value)
        with serve_app(data_dir, workers=1) as url:
            yield url, data_dir


def fetch(url: str, client: str, body: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of one request from `client`."""
    request = urllib.request.Request(url, data=body, headers={"X-Forwarded-For": client, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def held_open(url: str, path: str, client: str, body_sent: bytes = b"", body_length: int = 0) -> socket.socket:
    """A connection that sent a request (and part of its body, when `body_length` is more) and reads nothing."""
    parts = urlparse(url)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # the server's writes block soon
    sock.connect((parts.hostname, parts.port))
    method = "POST" if body_length else "GET"
    head = f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nX-Forwarded-For: {client}\r\n"
    if body_length:
        head += f"Content-Type: application/json\r\nContent-Length: {body_length}\r\n"
    sock.sendall((head + "\r\n").encode() + body_sent)
    return sock


def eventually(check, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def test_a_body_over_the_limit_is_refused_with_413(served):
    url, _ = served
    big = json.dumps({"output": "x", "inputs": ["a" * 30_000]}).encode()
    status, headers, body = fetch(
        url + "/_dash-update-component", "10.1.0.1", big, {"Content-Type": "application/json"}
    )
    assert status == 413
    assert headers["Content-Type"].startswith("text/plain")
    assert b"larger than the 20,000 bytes" in body
    status, headers, body = fetch(url + "/api/v1/row-counts", "10.1.0.1", b"x" * 30_000)
    assert status == 413 and json.loads(body)["status"] == 413
    # A chunked body names no length: it is stopped once it grows past the limit.
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(
        "POST",
        "/_dash-update-component",
        body=iter([b"{" + b" " * 15_000] * 3),
        headers={"Content-Type": "application/json", "X-Forwarded-For": "10.1.0.1"},
        encode_chunked=True,
    )
    assert connection.getresponse().status == 413
    connection.close()
    # A body within the limit still reaches Dash (which refuses it for what it is, not for its size).
    status, _, _ = fetch(url + "/api/v1/row-counts", "10.1.0.1")
    assert status == 200


def test_one_client_with_too_many_requests_in_progress_gets_429_and_others_are_served(served):
    url, _ = served
    # Two requests of 10.2.0.1 in progress: their bodies are still coming.
    slow = [held_open(url, "/_dash-update-component", "10.2.0.1", b'{"output"', 100) for _ in range(2)]
    try:
        status, headers, body = eventually(lambda: (r := fetch(url + "/healthz", "10.2.0.1"))[0] == 429 and r)
        assert status == 429 and headers["Retry-After"] == "1"
        assert b"Too many requests from your address at once" in body
        assert fetch(url + "/api/v1/row-counts", "10.2.0.2")[0] == 200  # another client is served
    finally:
        for sock in slow:
            sock.close()
    assert eventually(lambda: fetch(url + "/healthz", "10.2.0.1")[0] == 200)  # its places given back


def test_a_second_download_of_one_client_gets_429_and_a_download_left_unread_ends_its_query(served):
    url, data_dir = served
    log = data_dir / "gunicorn.log"
    stopped_before = log.read_text().count("stream stopped after")
    export = "/api/v1/receipts/export?cycle=all&format=csv"
    reader = held_open(url, export, "10.3.0.1")
    try:
        assert reader.recv(1024).startswith(b"HTTP/1.1 200")
        status, headers, body = fetch(url + export, "10.3.0.1")
        assert status == 429 and headers["Retry-After"] == "10"
        assert "already downloading 1 exports" in json.loads(body)["error"]
        assert fetch(url + "/api/v1/receipts?cycle=2024&limit=5", "10.3.0.2")[0] == 200  # others are served
    finally:
        reader.close()  # the client goes away halfway
    # gunicorn closes the response: the query's cursor is closed and the client's places are given back.
    assert eventually(lambda: log.read_text().count("stream stopped after") > stopped_before)
    assert eventually(lambda: fetch(url + export.replace("csv", "parquet"), "10.3.0.1")[0] == 200)


def test_costly_searches_beyond_the_pool_get_503_while_a_cheap_request_answers(served):
    url, _ = served
    costly = "/api/v1/receipts?cycle=all&q=a&sort=-amount&limit=1000"
    answers: list[tuple[int, str | None]] = []

    def search(n: int) -> None:
        status, headers, _ = fetch(url + costly + f"&min={n % 7}", f"10.4.1.{n}")
        answers.append((status, headers.get("Retry-After")))

    cheap_status = []
    for _attempt in range(5):  # a burst of 12 at once: one runs, one waits, those beyond are refused
        threads = [threading.Thread(target=search, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        cheap_status.append(fetch(url + "/healthz", "10.4.0.1")[0])
        for thread in threads:
            thread.join(60)
        if any(status == 503 for status, _ in answers):
            break
    assert {status for status, _ in answers} <= {200, 503}, answers
    assert (503, "2") in answers
    assert (200, None) in answers
    assert set(cheap_status) == {200}
