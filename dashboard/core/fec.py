"""The FEC's vocabulary, in one place: offices, parties, committee types and designations,
report and transaction types. Codes are the FEC's own (bulk files and OpenFEC alike)."""
from __future__ import annotations

# Offices: code -> the word used in our URLs and the OpenFEC API, and the name people read.
OFFICES = ("H", "S", "P")
OFFICE_WORDS = {"H": "house", "S": "senate", "P": "president"}
OFFICE_BY_WORD = {word: code for code, word in OFFICE_WORDS.items()}
OFFICE_NAMES = {"H": "House", "S": "Senate", "P": "President"}
