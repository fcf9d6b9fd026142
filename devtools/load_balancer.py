"""Debian's nginx as the load balancer in front of several app servers on 127.0.0.1, for the two-server
test and `make bench-scale` (docs/scaling.md describes the same set-up in production).

    with LoadBalancer([port_a, port_b], folder) as balancer:
        urllib.request.urlopen(balancer.url + "/")

nginx runs as a child process in the foreground (`daemon off`), with its configuration, pid file, logs
and temporary files in `folder`: nothing of the system's nginx is read or written, and no root is needed
(as root, its workers stay root: the folder may be private to the user).

What the configuration does and why:
- Requests go round-robin to the servers over kept-alive connections.
- A server that cannot be reached, or answers 503, is skipped and the request is sent to the next one
  (`proxy_next_upstream`), POST callbacks included (`non_idempotent`: every request of this app can be
  repeated, none changes anything). An app server answers 503 when it has no snapshot yet (before its
  first sync) or has not yet received the newer snapshot a page names (a rolling update,
  dashboard/app/db.py): another server then answers, from the page's snapshot.
- `max_fails=0`: a 503 never takes a server out of rotation for a while (the busy searches' 503 is the
  server saying "not now", not "broken"); a server that is down costs a refused connection on loopback.
- The client's address goes to the app in X-Forwarded-For (set TRUSTED_PROXY_HOPS=1 on the app servers).
- The access log records each request's upstream(s) and status, so a test can see which server answered.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

NGINX = "/usr/sbin/nginx"
ACCESS_LOG_FORMAT = '$remote_addr "$request" $status upstream=$upstream_addr upstream_status=$upstream_status'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_path() -> str:
    found = NGINX if os.access(NGINX, os.X_OK) else shutil.which("nginx")
    if not found:
        raise RuntimeError("nginx not found: `make nginx` installs Debian's")
    return found


def config_text(upstream_ports: list[int], port: int, folder: Path, workers: int = 1) -> str:
    """nginx.conf balancing 127.0.0.1:`port` over the app servers on `upstream_ports`."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
    temp = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""# Written by devtools/load_balancer.py.
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes {workers};
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;

events {{
    worker_connections 1024;
}}

http {{
    log_format balanced '{ACCESS_LOG_FORMAT}';
    access_log {folder / "access.log"} balanced;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    client_max_body_size 2m;
    server_tokens off;

    upstream app_servers {{
{servers}
        keepalive 32;
    }}

    server {{
        listen 127.0.0.1:{port};

        location / {{
            proxy_pass http://app_servers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream error timeout http_503 non_idempotent;
            proxy_next_upstream_tries {len(upstream_ports)};
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_buffering off;
        }}
    }}
}}
"""


class LoadBalancer:
    """nginx on 127.0.0.1:`port` (a free one when not given) in front of `upstream_ports`."""

    def __init__(self, upstream_ports: list[int], folder: Path, port: int | None = None, workers: int = 1) -> None:
        self.upstream_ports = list(upstream_ports)
        self.folder = Path(folder)
        self.port = port or free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    def start(self, timeout: float = 15.0) -> LoadBalancer:
        self.folder.mkdir(parents=True, exist_ok=True)
        conf = self.folder / "nginx.conf"
        conf.write_text(config_text(self.upstream_ports, self.port, self.folder, self.workers))
        command = [nginx_path(), "-p", str(self.folder), "-c", str(conf), "-e", str(self.folder / "error.log")]
        with open(self.folder / "nginx.out", "w") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"nginx did not start: {self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """Fast shutdown (SIGTERM): nginx closes its connections and exits."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log_tail(self) -> str:
        texts = []
        for name in ("nginx.out", "error.log"):
            path = self.folder / name
            if path.exists():
                texts.append(path.read_text()[-2000:])
        return "\n".join(texts)

    def __enter__(self) -> LoadBalancer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
