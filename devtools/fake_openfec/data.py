"""The demo generator's raw tables, read once and indexed for the endpoints."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from dashboard.core import contract
from dashboard.store import layout

# A filing's load date: the day the FEC processed it, some time after its coverage ended.
FILED_AFTER_DAYS = 15
AMENDED_AFTER_DAYS = 75


class FakeData:
    """The demo generator's raw tables, indexed for the endpoints."""

    def __init__(self, data_dir: Path):
        raw = layout.raw_dir(data_dir)
        self.candidates = _read(raw / "candidates")
        self.committees = _read(raw / "committees")
        self.linkages = _read(raw / "linkages")
        reports = _read(raw / "reports")
        amended = reports["amendment_indicator"].eq("A")
        filed = pd.to_datetime(reports["coverage_end"]) + pd.to_timedelta(
            np.where(amended, AMENDED_AFTER_DAYS, FILED_AFTER_DAYS), unit="D"
        )
        reports["load_date"] = filed.dt.date
        self.reports = reports
        sa = _read(raw / "schedule_a", hive=True)
        load_by_file = dict(zip(reports["file_number"], reports["load_date"]))
        sa["load_date"] = sa["file_number"].map(load_by_file)
        missing = sa["load_date"].isna()
        if missing.any():
            sa.loc[missing, "load_date"] = (pd.to_datetime(sa.loc[missing, "date"]) + timedelta(days=30)).dt.date
        # Global order of the keyset: (date, sub_id) ascending, null dates last.
        sa = sa.sort_values(["date", "sub_id"], na_position="last", kind="stable").reset_index(drop=True)
        self.sa = sa
        self.sa_sub = sa["sub_id"].to_numpy(np.int64)
        self.sa_date = pd.to_datetime(sa["date"]).to_numpy("datetime64[D]")
        self.sa_amount = sa["amount"].to_numpy(float)
        self.sa_cycle = sa["cycle"].to_numpy(int)
        self.sa_load = pd.to_datetime(sa["load_date"]).to_numpy("datetime64[D]")
        self.sa_rows_of = {c: np.asarray(idx) for c, idx in sa.groupby("committee_id").indices.items()}
        self.committee_by_cycle = {(r.committee_id, int(r.cycle)): r for r in self.committees.itertuples()}
        # /candidates/ and /committees/ describe each entity by its latest record, with lists of cycles.
        per_candidate = self.candidates.sort_values("cycle").groupby("candidate_id")
        latest = per_candidate.tail(1).set_index("candidate_id")
        latest["cycles"] = per_candidate["cycle"].apply(lambda s: sorted(int(v) for v in s))
        latest["election_years"] = per_candidate["election_year"].apply(lambda s: sorted(set(int(v) for v in s)))
        self.candidates_latest = latest.reset_index()
        per_committee = self.committees.sort_values("cycle").groupby("committee_id")
        latest = per_committee.tail(1).set_index("committee_id")
        latest["cycles"] = per_committee["cycle"].apply(lambda s: sorted(int(v) for v in s))
        linked = self.linkages.groupby("committee_id")["candidate_id"].apply(lambda s: sorted(set(s)))
        latest["candidate_ids"] = [linked.get(cid, []) for cid in latest.index]
        self.committees_latest = latest.reset_index()
        self.se = _schedule_e(raw / "schedule_e")

    def latest_load(self):
        return max(self.reports["load_date"])


def _schedule_e(folder: Path) -> pd.DataFrame:
    """Every Schedule E line as filed (raw `schedule_e`: every version, notices and regular lines),
    in the keyset's global order (sub_id); an empty table when the demo has no outside spending."""
    if not any(folder.glob("*.parquet")):
        schema = contract.raw_arrow_schema("schedule_e")
        frame = schema.empty_table().to_pandas()
        frame["amount"] = frame["amount"].astype(float)
    else:
        frame = _read(folder)
    frame["is_notice"] = frame["is_notice"].fillna(False).astype(bool)
    frame = frame.sort_values("sub_id", kind="stable").reset_index(drop=True)
    # What the raw table does not keep, as a filing states it: each line's number within its filing
    # (the raw e-filed view's key), and the spender's running total for the candidate that year.
    frame["related_line_number"] = frame.groupby(frame["file_number"].fillna(-1)).cumcount() + 1
    candidate = frame["candidate_id"].fillna(frame["candidate_name"]).fillna("")
    year = frame["report_year"].fillna(0)
    frame["office_total_ytd"] = frame.groupby([frame["committee_id"], candidate, year])["amount"].cumsum().round(2)
    return frame


def _read(folder: Path, hive: bool = False) -> pd.DataFrame:
    table = ds.dataset(str(folder), format="parquet", partitioning="hive" if hive else None).to_table()
    # Money as float, the way the API serializes it (cents survive: every value has two decimals).
    columns = [col.cast(pa.float64()) if pa.types.is_decimal(col.type) else col for col in table.columns]
    frame = pa.Table.from_arrays(columns, names=table.column_names).to_pandas()
    if "cycle" in frame.columns:
        frame["cycle"] = frame["cycle"].astype(int)
    return frame
