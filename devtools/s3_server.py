"""A real S3-compatible HTTP server on 127.0.0.1 for tests and local trials: moto's `moto_server`
(PyPI `moto[server]`) in a subprocess. No internet, no account: any key is accepted.

    with S3Server() as server:
        os.environ.update(server.env())                  # AWS_ENDPOINT_URL, keys, region
        os.environ["SNAPSHOT_STORE_URL"] = server.new_bucket("snapshots") + "/site"

moto keeps its objects in the server process's memory: `stop()` loses them, and `start()` again
(same port) begins with an empty store, as a store that was replaced would.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ACCESS_KEY = "testing-key-id"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _moto_server_command() -> list[str]:
    beside = Path(sys.executable).with_name("moto_server")
    found = str(beside) if beside.exists() else shutil.which("moto_server")
    if not found:
        raise RuntimeError("moto_server not found: `pip install -r requirements-test.txt` (moto[server])")
    return [found]


class S3Server:
    """moto_server on 127.0.0.1:`port` (a free one when not given); its output goes to `log_path`."""

    def __init__(self, port: int | None = None, log_path: Path | None = None, start_timeout: float = 30.0):
        self.port = port or free_port()
        self.log_path = Path(log_path) if log_path else None
        self.start_timeout = start_timeout
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        """The standard AWS variables boto3 reads, pointing at this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION,
        }

    def start(self) -> S3Server:
        if self.process is not None and self.process.poll() is None:
            return self
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [*_moto_server_command(), "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a Ctrl-C of the test run reaches it through stop(), not twice
            )
        finally:
            if log is not subprocess.DEVNULL:
                log.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {self.process.returncode} (port {self.port} taken?)")
            try:
                with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not answer on {self.endpoint} within {self.start_timeout} s")

    def stop(self) -> None:
        """End the server (its objects are lost); the port is free again."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self, prefix: str = "snapshots") -> str:
        """Create a bucket with a unique name; returns its `s3://<bucket>` URL."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return f"s3://{name}"

    def __enter__(self) -> S3Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # python -m devtools.s3_server [port]: a store to try `follow` by hand
    server = S3Server(port=int(sys.argv[1]) if len(sys.argv) > 1 else None).start()
    print(f"S3 server on {server.endpoint}; bucket {server.new_bucket()}; environment:", flush=True)
    for name, value in server.env().items():
        print(f"  export {name}={value}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill` stops moto too (its own session)
    try:
        server.process.wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stop()
