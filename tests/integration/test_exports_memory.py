"""An export of 1,000,000 rows streams: the worker's peak memory is measured while the whole file
is read, and must stay far below what holding the rows would take.

Run against any snapshot to report the numbers:
    python -m tests.integration.test_exports_memory /tmp/big "cycle=2024&state=CA" [csv|parquet] [row cap]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.core import normalize
from dashboard.pipeline.builder.donors import DONORS_SQL
from dashboard.pipeline.builder.search_index import build_search_index

ROOT = Path(__file__).resolve().parents[2]
ROWS = 1_000_000

# Runs in a fresh process: the app, one warm-up query, then the export read chunk by chunk as a
# client would, with the process's peak resident memory before and after.
MEASURE = r"""
import json, sys, time
import app
client = app.server.test_client()
query, fmt = sys.argv[1], sys.argv[2]
assert client.get("/api/v1/row-counts").status_code == 200
def peak_mb():
    # VmHWM, not ru_maxrss: the latter starts from the parent's peak after fork + exec.
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
before = peak_mb()
started = time.perf_counter()
response = client.get(f"/api/v1/receipts/export?{query}&format={fmt}", buffered=False)
size = lines = chunks = 0
biggest = 0
for chunk in response.response:
    size += len(chunk); lines += chunk.count(b"\n"); chunks += 1; biggest = max(biggest, len(chunk))
response.close()
print(json.dumps({"status": response.status_code, "rows": int(response.headers.get("X-Row-Count", 0)),
                  "bytes": size, "lines": lines, "chunks": chunks, "biggest_chunk": biggest,
                  "seconds": round(time.perf_counter() - started, 2), "peak_before_mb": round(before),
                  "peak_after_mb": round(peak_mb()), "filename": response.headers.get("Content-Disposition")}))
"""


def measure(data_dir: Path, query: str, fmt: str = "csv", cap: int = ROWS) -> dict:
    env = {
        **os.environ,
        "DATA_CACHE_DIR": str(data_dir),
        "EXPORT_ROW_CAP": str(cap),
        "QUERY_TIMEOUT_MS": "60000",
        "LOG_LEVEL": "WARNING",
    }
    out = subprocess.run([sys.executable, "-c", MEASURE, query, fmt], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def million_row_snapshot(tmp_path_factory) -> Path:
    """A snapshot whose receipts extract holds 1,000,000 synthetic rows of the contract's shape
    (only the extracts an export reads: receipts, and committees for the conduits' names): written
    by DuckDB in seconds, not by the generator."""
    root = tmp_path_factory.mktemp("million")
    snapshot = root / "snapshots" / "million"
    folder = snapshot / "receipts"
    folder.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT 10000000 + i AS sub_id, 'C' || lpad(CAST(10000000 + i % 400 AS VARCHAR), 8, '0') AS committee_id,
                     'H4WA' || lpad(CAST(i % 400 AS VARCHAR), 5, '0') AS candidate_id,
                     DATE '2023-01-01' + CAST(i % 730 AS INTEGER) AS date,
                     CAST((i % 330000) / 100.0 + 1 AS DECIMAL(14,2)) AS amount,
                     'DONOR, NUMBER ' || CAST(i % 50000 AS VARCHAR) || '|98101' AS donor_key,
                     'DONOR, NUMBER ' || CAST(i % 50000 AS VARCHAR) AS contributor_name, 'SEATTLE' AS city,
                     'WA' AS state, '98101' AS zip5, 'EMPLOYER ' || CAST(i % 977 AS VARCHAR) AS employer,
                     'OCCUPATION ' || CAST(i % 97 AS VARCHAR) AS occupation, i % 3 = 0 AS is_earmarked,
                     CASE WHEN i % 3 = 0 THEN 'C10000001' END AS conduit_committee_id, '15' AS receipt_type,
                     CAST(100 AS DECIMAL(14,2)) AS aggregate_ytd, 'IND' AS entity_type,
                     CAST(202400000000000000 + i AS VARCHAR) AS image_number,
                     CASE WHEN i % 730 < 520 THEN 'P2024' ELSE 'G2024' END AS election_type, 2024 AS cycle
              FROM range({ROWS}) t(i) ORDER BY candidate_id, date)
        TO '{folder}' (FORMAT parquet, PARTITION_BY (cycle))""")
    # The export names each row's conduit from the committees extract.
    con.execute(f"""
        COPY (SELECT 'C10000001' AS committee_id, 2024 AS cycle, 'ACTBLUE' AS name, 'N' AS committee_type,
                     'U' AS designation, NULL::VARCHAR AS party, NULL::VARCHAR AS candidate_id,
                     'MA' AS state, true AS is_conduit)
        TO '{snapshot / "committees.parquet"}' (FORMAT parquet)""")
    # The export reads the snapshot's search index, built as the builder does from its staged tables.
    normalize.install(con)
    con.execute(
        f"CREATE TABLE receipts AS SELECT * FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true)"
    )
    con.execute("CREATE TABLE candidates (candidate_id VARCHAR, cycle INTEGER, office VARCHAR, state VARCHAR)")
    con.execute(f"CREATE TABLE donors_out AS {DONORS_SQL}")
    build_search_index(con, snapshot)
    (snapshot / "manifest.json").write_text(
        json.dumps(
            {
                "snapshot_id": "million",
                "source": "demo",
                "cycles": [2024],
                "coverage_end": {"2024": "2024-12-31"},
                "row_counts": {"receipts": ROWS, "committees": 1},
            }
        )
    )
    os.symlink(snapshot, root / "current")
    return root


def test_a_million_row_export_streams_in_bounded_memory(million_row_snapshot):
    result = measure(million_row_snapshot, "cycle=2024", "csv")
    print("\n1,000,000-row CSV export:", result)
    assert result["status"] == 200 and result["rows"] == ROWS
    assert result["lines"] == ROWS + 1  # the header and every row
    assert "through-2024-12-31.csv" in result["filename"]
    growth = result["peak_after_mb"] - result["peak_before_mb"]
    # The file leaves in batches of about 50,000 rows, never as one piece. What the worker's
    # memory grows by is DuckDB sorting the rows (it spills to disk beyond its memory limit);
    # fetching the same rows into pandas and writing one CSV string grew it by about 1.2 GB here.
    assert result["chunks"] >= ROWS // 50_000
    assert result["biggest_chunk"] < result["bytes"] / 10
    assert growth < 500, result


def test_over_the_cap_nothing_is_sent_but_a_message(million_row_snapshot):
    result = measure(million_row_snapshot, "cycle=2024", "csv", cap=ROWS - 1)
    assert result["status"] == 413 and result["bytes"] < 1000  # a one-line JSON message, no rows


if __name__ == "__main__":
    print(
        json.dumps(
            measure(
                Path(sys.argv[1]),
                sys.argv[2],
                sys.argv[3] if len(sys.argv) > 3 else "csv",
                int(sys.argv[4]) if len(sys.argv) > 4 else ROWS,
            ),
            indent=2,
        )
    )
