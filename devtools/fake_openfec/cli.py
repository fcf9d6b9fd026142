"""`python -m devtools.fake_openfec`: serve the fake alone, or while one command runs.

    python -m devtools.fake_openfec --rows 100000 --port 8765
    python -m devtools.fake_openfec --rows 100000 -- python -m dashboard refresh --cycle 2026

With a command after `--`, the fake serves while the command runs (FEC_API_URL and FEC_API_KEY
point at it) and stops when it exits, returning the command's exit status.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from dashboard.pipeline import demo
from devtools.fake_openfec.faults import FAKE_KEY
from devtools.fake_openfec.server import FakeOpenFEC


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = []
    if "--" in argv:
        cut = argv.index("--")
        argv, command = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(
        prog="python -m devtools.fake_openfec",
        description="Serve the demo generator's synthetic data as a fake OpenFEC API on 127.0.0.1.",
    )
    parser.add_argument("--data-dir", type=Path, help="a data dir whose raw/ holds demo data (default: generate one)")
    parser.add_argument("--rows", type=int, default=100_000, help="itemized rows to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    parser.add_argument("--hourly-limit", type=int, default=1000, help="requests per key per hour before 429")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share of requests answered with a random 5xx")
    parser.add_argument("--delay-ms", type=int, default=0, help="extra time taken by every answer")
    parser.add_argument("--as-of", type=date.fromisoformat, help="hide filings loaded after this day")
    args = parser.parse_args(argv)
    workdir = None
    data_dir = args.data_dir
    if data_dir is None:
        workdir = tempfile.TemporaryDirectory(prefix="fake-openfec-")
        data_dir = Path(workdir.name)
        print(f"fake OpenFEC: generating {args.rows:,} synthetic rows (seed {args.seed})", flush=True)
        demo.generate(data_dir, rows=args.rows, seed=args.seed)
    fake = FakeOpenFEC(
        data_dir,
        port=args.port,
        hourly_limit=args.hourly_limit,
        error_rate=args.error_rate,
        delay_ms=args.delay_ms,
        as_of=args.as_of,
    ).start()
    print(f"fake OpenFEC: serving synthetic data at {fake.url} (key {FAKE_KEY})", flush=True)
    try:
        if command:
            env = dict(os.environ, FEC_API_URL=fake.url, FEC_API_KEY=FAKE_KEY)
            return subprocess.call(command, env=env)
        fake.thread.join()
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        fake.stop()
        if workdir is not None:
            workdir.cleanup()
