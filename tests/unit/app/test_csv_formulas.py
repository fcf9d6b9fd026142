"""CSV formula injection: free text filed with the FEC (names, employers) that a spreadsheet would run as
a formula comes out of every CSV we write as plain text, after an apostrophe; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa

from dashboard.app import exports
from dashboard.app.api import http
from dashboard.app.components import twin

RISKY = ['=HYPERLINK("https://example.com","x")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]
PLAIN = ["SMITH, JOHN", "O'ROURKE, BETO", "ACME = GOOD", ""]


def _cells(text: str, column: str) -> list[str]:
    return [row[column] for row in csv.DictReader(io.StringIO(text, newline=""))]


def test_the_streamed_exports_write_formulas_as_text_and_numbers_as_numbers():
    batch = pa.RecordBatch.from_pydict(
        {"contributor_name": RISKY + PLAIN, "amount": [-5.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]}
    )
    text = b"".join(exports.csv_chunks(iter([batch]))).decode()
    names = _cells(text, "contributor_name")
    assert names == ["'" + value for value in RISKY] + PLAIN
    assert _cells(text, "amount")[0] == "-5"


def test_chart_and_api_csvs_write_formulas_as_text():
    risky = RISKY[:-1]  # (pandas leaves a lone carriage return unquoted: a CSV problem of its own)
    frame = pd.DataFrame({"employer": risky + PLAIN, "amount": range(-1, len(risky) + len(PLAIN) - 1)})
    for text in (twin.csv_text(frame, ["employer", "amount"]), http._csv(frame)):
        assert _cells(text, "employer") == ["'" + value for value in risky] + PLAIN
        assert _cells(text, "amount")[0] == "-1"
    assert frame["employer"].tolist() == risky + PLAIN  # the caller's frame is left as it was
