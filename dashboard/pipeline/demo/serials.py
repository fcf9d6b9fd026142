"""The numbers the FEC hands out: committee and candidate IDs, report file numbers, itemized-row
sub_ids and linkage IDs. One set per run, carried from cycle to cycle so that no number is ever
issued twice (as in the real files, where they identify a thing across cycles)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Serials:
    committee_seq: int = 10_000_000
    candidate_seq: dict[tuple[str, str, str], int] = field(default_factory=dict)
    sub_id: int = 4_000_000_000_000_000_000
    file_number: int = 1_400_000
    linkage_id: int = 120_000_000_000
    # Outside spending (outside.py) draws from ranges of its own, so adding it left every other number
    # as it was: super PACs' IDs (C8...), groups that are no committee C9... (as the FEC numbers them,
    # Form 5 filers), Schedule E filings above the reports' file numbers (amendments included), sub_ids
    # above Schedule A's.
    outside_committee_seq: int = 80_000_000
    outside_group_seq: int = 90_000_000
    outside_file_number: int = 2_600_000
    outside_sub_id: int = 4_600_000_000_000_000_000
    outside_transaction: int = 0

    def committee_id(self) -> str:
        self.committee_seq += 1
        return f"C{self.committee_seq:08d}"

    def candidate_id(self, office: str, cycle: int, state: str, district: str) -> str:
        """FEC style: office, last digit of the first cycle, state and district, then a number."""
        key = (office, state, district)
        seq = self.candidate_seq.get(key, 100) + 1
        self.candidate_seq[key] = seq
        if office == "P":
            return f"P{cycle % 10}{seq:07d}"
        return f"{office}{cycle % 10}{state}{district}{seq:03d}"

    def next_file_number(self) -> int:
        self.file_number += 1
        return self.file_number

    def next_sub_ids(self, count: int) -> np.ndarray:
        ids = np.arange(self.sub_id, self.sub_id + count, dtype=np.int64)
        self.sub_id += count
        return ids

    def next_linkage_id(self) -> int:
        self.linkage_id += 1
        return self.linkage_id

    def outside_committee_id(self) -> str:
        self.outside_committee_seq += 1
        return f"C{self.outside_committee_seq:08d}"

    def outside_group_id(self) -> str:
        self.outside_group_seq += 1
        return f"C{self.outside_group_seq:08d}"

    def next_outside_file_numbers(self, count: int) -> np.ndarray:
        numbers = np.arange(self.outside_file_number + 1, self.outside_file_number + 1 + count, dtype=np.int64)
        self.outside_file_number += count
        return numbers

    def next_outside_sub_ids(self, count: int) -> np.ndarray:
        ids = np.arange(self.outside_sub_id, self.outside_sub_id + count, dtype=np.int64)
        self.outside_sub_id += count
        return ids

    def next_outside_transactions(self, count: int) -> range:
        first = self.outside_transaction + 1
        self.outside_transaction += count
        return range(first, first + count)
