"""FakeOpenFEC: the HTTP server on 127.0.0.1, run in a background thread. Each GET goes through
the gateway (key, hourly limit), then the faults, then the endpoints; `/_fake/config` and
`/_fake/stats` let tests steer and watch it without a key and without being counted."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from devtools.fake_openfec import faults
from devtools.fake_openfec.data import FakeData
from devtools.fake_openfec.endpoints import FakeApi
from devtools.fake_openfec.errors import ApiError
from devtools.fake_openfec.faults import FakeSettings, is_fault
from devtools.fake_openfec.params import Args

SYNTHETIC_HEADER = "X-Synthetic-Data"


def make_handler(api: FakeApi):
    settings = api.settings

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args):  # quiet: tests read stdout
            pass

        def send(self, status: int, body, headers: dict | None = None, content_type="application/json"):
            payload = (
                body
                if isinstance(body, bytes)
                else ((json.dumps(body) + "\n").encode() if content_type == "application/json" else str(body).encode())
            )
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            # The refresh records this header, so pages built from the fake keep the demo banner.
            if settings.synthetic:
                self.send_header(SYNTHETIC_HEADER, "demo-generator")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test); nothing to answer

        def do_POST(self):
            if self.path.rstrip("/") != "/_fake/config":
                return self.send(404, "<html>404</html>", content_type="text/html")
            length = int(self.headers.get("Content-Length") or 0)
            settings.update(json.loads(self.rfile.read(length) or b"{}"))
            self.send(200, {"ok": True})

        def do_GET(self):
            url = urlsplit(self.path)
            path = url.path.rstrip("/") or "/"
            if path == "/_fake/stats":
                with settings.lock:
                    stats = {f"{p} {s}": n for (p, s), n in settings.stats.items()}
                return self.send(200, {"requests": stats, "total": sum(settings.stats.values())})
            query = parse_qs(url.query, keep_blank_values=True)
            key = self.headers.get("X-Api-Key") or (query.get("api_key") or [None])[-1]
            route = path.split("/")[2] if path.count("/") >= 2 else path
            status, body, headers, ctype = 200, None, {}, "application/json"
            try:
                headers = faults.gateway(settings, key)
                fault = settings.scripted_fault(path)
                faults.wait(settings, fault)
                if is_fault(fault, "reset"):
                    self.close_connection = True
                    settings.stats[(route, "reset")] += 1
                    return
                faults.raise_injected_error(settings, fault)
                body = api.route(path, Args(query))
                if is_fault(fault, "short"):
                    faults.cut_short(body)
                if is_fault(fault, "malformed"):
                    return self._counted(route, 200, faults.malformed(body), headers)
            except ApiError as exc:
                status, body, ctype = exc.status, exc.body, exc.content_type
            except Exception as exc:  # the real API answers unexpected errors with this quirky 404
                status, body = 404, {"message": "Could not process the request", "status": 404}
                print(f"fake OpenFEC: {type(exc).__name__}: {exc}", file=sys.stderr)
            self._counted(route, status, body, headers, ctype)

        def _counted(self, route, status, body, headers, ctype="application/json"):
            with settings.lock:
                settings.stats[(route, status)] += 1
            self.send(status, body, headers, ctype)

    return Handler


class FakeOpenFEC:
    """The fake server, started in a background thread: `with FakeOpenFEC(data_dir) as fake:`."""

    def __init__(self, data_dir: Path, port: int = 0, **settings):
        self.data = FakeData(Path(data_dir))
        self.settings = FakeSettings(**settings)
        self.api = FakeApi(self.data, self.settings)
        self.server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self.api))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-openfec", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1/"

    def start(self) -> "FakeOpenFEC":
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()
