"""A local fake of the OpenFEC API, serving the demo generator's synthetic data over real HTTP.

For tests and for a refresh demo without internet. It follows `openfec-api.md` (shared reference):
routes under /v1/ with or without the trailing slash, the gateway's 403 without a valid key and
429 past the hourly limit (`X-RateLimit-*` headers, no Retry-After), the JSON envelopes, offset
pagination (`page`/`per_page` <= 100, empty page past the end) and keyset pagination on Schedule A
(`last_index` + `last_<sort>` or `sort_null_only`, `last_indexes: null` on an empty page), the 422
and 400 validation errors, and the data's traps: earmarked gifts filed twice (recipient 15E, conduit
24T), memo rows, amended reports whose superseded rows stay in Schedule A.

Every row has a `load_date` (the day its filing was processed: coverage end + 15 days, amendments
later), and the fake's clock (`as_of`) hides filings loaded after it, so tests can let new filings
"arrive" between two refreshes. Faults are switched on at start-up or at run time through
`POST /_fake/config` (no key, not counted): random 5xx, slow answers, and scripted faults for the
next matching requests (`500`, `502`, `503`, `504`, `quirk404`, `429`, `malformed`, `short`,
`slow`, `reset`). `GET /_fake/stats` counts requests by path and status.

    python -m devtools.fake_openfec --rows 100000 --port 8765
    python -m devtools.fake_openfec --rows 100000 -- python -m dashboard refresh --cycle 2026

With a command after `--`, the fake serves while the command runs (FEC_API_URL and FEC_API_KEY
point at it) and stops when it exits, returning the command's exit status.

The data is synthetic: every response carries `X-Synthetic-Data: demo-generator`, which the
refresh records so pages built from it keep the demo banner.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds

from dashboard.pipeline import demo

FAKE_KEY = "fake-openfec-key"
DEMO_KEY_LIMIT = 40  # api.data.gov's DEMO_KEY: tens of requests per hour per IP
CURRENT_CYCLE = 2026
FILED_AFTER_DAYS = 15
AMENDED_AFTER_DAYS = 75
SYNTHETIC_HEADER = "X-Synthetic-Data"

OFFICE_FULL = {"H": "House", "S": "Senate", "P": "President"}
OFFICE_WORDS = {"house": "H", "senate": "S", "president": "P"}
ELECTION_YEARS = {"H": 2, "S": 6, "P": 4}
PARTY_FULL = {"DEM": "DEMOCRATIC PARTY", "REP": "REPUBLICAN PARTY", "LIB": "LIBERTARIAN PARTY",
              "GRE": "GREEN PARTY", "IND": "INDEPENDENT"}
ICI_FULL = {"I": "Incumbent", "C": "Challenger", "O": "Open seat"}
DESIGNATION_FULL = {"P": "Principal campaign committee", "A": "Authorized by a candidate",
                    "J": "Joint fundraising committee", "U": "Unauthorized", "B": "Lobbyist/Registrant PAC",
                    "D": "Leadership PAC"}
# receipt types that make a row is_individual (reference section 5.3 (a))
INDIVIDUAL_TYPES = {"10", "10J", "11", "11J", "15", "15E", "15J", "30", "30E", "30J", "30T", "31", "31E",
                    "31J", "31T", "32", "32E", "32J", "32T"}
REPORT_ENTITY = {"house-senate": ("H", "S"), "presidential": ("P",),
                 "pac-party": ("N", "Q", "O", "V", "W", "X", "Y"), "pac": ("N", "Q", "O", "V", "W"),
                 "party": ("X", "Y"), "ie-only": ("I",)}
SCHEDULE_A_SORTS = ("contribution_receipt_date", "contribution_receipt_amount")
MAX_LIST = 10


class ApiError(Exception):
    def __init__(self, status: int, body, content_type: str = "application/json"):
        super().__init__(status)
        self.status, self.body, self.content_type = status, body, content_type


def _message(status: int, text) -> ApiError:
    return ApiError(status, {"message": text, "status": status})


# ------------------------------------------------------------------------------------------ data
class FakeData:
    """The demo generator's raw tables, indexed for the endpoints."""

    def __init__(self, data_dir: Path):
        raw = Path(data_dir) / "raw"
        self.candidates = _read(raw / "candidates")
        self.committees = _read(raw / "committees")
        self.linkages = _read(raw / "linkages")
        reports = _read(raw / "reports")
        amended = reports["amendment_indicator"].eq("A")
        filed = pd.to_datetime(reports["coverage_end"]) + pd.to_timedelta(
            np.where(amended, AMENDED_AFTER_DAYS, FILED_AFTER_DAYS), unit="D")
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

    def latest_load(self):
        return max(self.reports["load_date"])


def _read(folder: Path, hive: bool = False) -> pd.DataFrame:
    table = ds.dataset(str(folder), format="parquet", partitioning="hive" if hive else None).to_table()
    # Money as float, the way the API serializes it (cents survive: every value has two decimals).
    columns = [col.cast(pa.float64()) if pa.types.is_decimal(col.type) else col for col in table.columns]
    frame = pa.Table.from_arrays(columns, names=table.column_names).to_pandas()
    if "cycle" in frame.columns:
        frame["cycle"] = frame["cycle"].astype(int)
    return frame


# ------------------------------------------------------------------------------------ settings
class FakeSettings:
    """What the fake does besides answering: limits, faults, clock. Changed at run time by tests."""

    def __init__(self, hourly_limit=1000, error_rate=0.0, delay_ms=0, seed=1, as_of=None, inexact_counts=False):
        self.lock = threading.Lock()
        self.hourly_limit = hourly_limit
        self.error_rate = error_rate
        self.delay_ms = delay_ms
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.inexact_counts = inexact_counts
        self.faults: list[dict] = []
        self.keys = {FAKE_KEY: None, "DEMO_KEY": DEMO_KEY_LIMIT}
        self.calls: dict[str, deque] = {}
        self.stats: Counter = Counter()

    def update(self, changes: dict):
        with self.lock:
            for key in ("hourly_limit", "error_rate", "delay_ms", "inexact_counts"):
                if key in changes:
                    setattr(self, key, changes[key])
            if "as_of" in changes:
                self.as_of = date.fromisoformat(changes["as_of"]) if changes["as_of"] else None
            if "faults" in changes:
                self.faults = [dict(f, skip=int(f.get("skip", 0)), times=int(f.get("times", 1)))
                               for f in changes["faults"]]
            if changes.get("reset_limits"):
                self.calls.clear()
            if changes.get("reset_stats"):
                self.stats.clear()

    def admit(self, key: str) -> tuple[int, int]:
        """Count a call against the key's rolling hour; returns (limit, remaining) or raises 429."""
        with self.lock:
            limit = self.keys.get(key) or self.hourly_limit
            calls = self.calls.setdefault(key, deque())
            now = time.monotonic()
            while calls and calls[0] < now - 3600:
                calls.popleft()
            if len(calls) >= limit:
                raise ApiError(429, {"error": {"code": "OVER_RATE_LIMIT",
                                               "message": "You have exceeded your rate limit. Try again later."}})
            calls.append(now)
            return limit, limit - len(calls)

    def scripted_fault(self, path: str) -> dict | None:
        with self.lock:
            for fault in self.faults:
                if fault.get("path", "") not in path or fault["times"] <= 0:
                    continue
                if fault["skip"] > 0:
                    fault["skip"] -= 1
                    return None
                fault["times"] -= 1
                return fault
            return None

    def random_error(self) -> int | None:
        with self.lock:
            if self.error_rate and self.rng.random() < self.error_rate:
                return self.rng.choice([500, 502, 503, 504])
            return None


# ------------------------------------------------------------------------------------ arguments
class Args:
    """Query parameters with the API's validation rules."""

    def __init__(self, query: dict[str, list[str]]):
        self.q = query

    def list(self, name: str, cap: int | None = None, upper: bool = False) -> list[str]:
        values = [v for v in self.q.get(name, []) if v != ""]
        if cap and len(values) > cap:
            raise _message(422, f"Cannot specify more than {cap} values for {name}")
        return [v.upper() for v in values] if upper else values

    def one(self, name: str) -> str | None:
        values = self.list(name)
        return values[-1] if values else None

    def int(self, name: str, default: int | None = None) -> int | None:
        value = self.one(name)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise ApiError(422, {"message": {"query": {name: ["Not a valid integer."]}}, "status": 422})

    def ints(self, name: str) -> list[int]:
        out = []
        for value in self.list(name):
            try:
                out.append(int(value))
            except ValueError:
                raise ApiError(422, {"message": {"query": {name: ["Not a valid integer."]}}, "status": 422})
        return out

    def bool(self, name: str, default: bool | None = None) -> bool | None:
        value = self.one(name)
        if value is None:
            return default
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
        raise ApiError(422, {"message": {"query": {name: ["Not a valid boolean."]}}, "status": 422})

    def date(self, name: str) -> date | None:
        value = self.one(name)
        if value is None:
            return None
        for parse in (date.fromisoformat, lambda v: date(int(v[6:10]), int(v[0:2]), int(v[3:5]))):
            try:
                if parse is date.fromisoformat and len(value) != 10:
                    continue
                return parse(value)
            except (ValueError, IndexError):
                continue
        raise ApiError(422, {"message": {"query": {name: ["Invalid date."]}}, "status": 422})

    def per_page(self, capped: bool = True) -> int:
        per_page = self.int("per_page", 20)
        if per_page <= 0:
            raise ApiError(422, {"message": {"query": {"per_page": ["Must be greater than zero."]}}, "status": 422})
        if capped and per_page > 100:
            raise _message(422, "Parameter 'per_page' must be between 1 and 100")
        return per_page

    def committee_ids(self, cap: int | None = None) -> list[str]:
        ids = self.list("committee_id", cap, upper=True)
        for cid in ids:
            _check_committee_id(cid)
        return ids

    def candidate_ids(self) -> list[str]:
        ids = self.list("candidate_id", upper=True)
        for cid in ids:
            _check_candidate_id(cid)
        return ids

    def districts(self) -> list[str]:
        out = []
        for value in self.list("district"):
            if not value.isdigit():
                raise _message(422, "District must be a number")
            out.append(f"{int(value):02d}")
        return out


def _check_committee_id(cid: str):
    if len(cid) != 9 or cid[0] != "C" or not cid[1:].isdigit():
        raise _message(422, f"Invalid committee_id {cid!r}: must be C followed by 8 digits")


def _check_candidate_id(cid: str):
    if len(cid) != 9 or cid[0] not in "HSP":
        raise _message(422, f"Invalid candidate_id {cid!r}: must be 9 characters starting with H, S or P")


# ------------------------------------------------------------------------------------ endpoints
class FakeApi:
    def __init__(self, data: FakeData, settings: FakeSettings):
        self.data, self.settings = data, settings

    # offset pagination over a list of dicts
    def offset_page(self, rows, args: Args, to_json=None, capped: bool = True) -> dict:
        """One page of `rows` (a list of dicts, or a DataFrame whose page rows `to_json` turns
        into dicts)."""
        per_page = args.per_page(capped)
        page = args.int("page", 1)
        if page < 1:
            raise ApiError(422, {"message": {"query": {"page": ["Must be greater than zero."]}}, "status": 422})
        count = len(rows)
        chunk = rows[(page - 1) * per_page: page * per_page]
        if to_json is not None:
            chunk = [to_json(r) for r in chunk.itertuples()]
        return {"api_version": "1.0",
                "pagination": {"count": count, "is_count_exact": True, "page": page,
                               "pages": math.ceil(count / per_page), "per_page": per_page},
                "results": chunk}

    def visible_reports(self) -> pd.DataFrame:
        reports = self.data.reports
        if self.settings.as_of is not None:
            reports = reports[reports["load_date"] <= self.settings.as_of]
        return reports

    def cached(self, name: str, args: Args, compute):
        """Answers that are costly to compute are kept per question (paging aside) and clock."""
        key = (name, self.settings.as_of,
               tuple(sorted((k, tuple(v)) for k, v in args.q.items() if k not in ("page", "per_page"))))
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[key] = compute()
        return cache[key]

    # -- /candidates/
    def candidates(self, args: Args) -> dict:
        offices = args.list("office")
        for office in offices:
            if office not in ("H", "S", "P"):
                raise ApiError(422, {"message": {"query": {"office": ["Must be one of: H, S, P."]}},
                                     "status": 422})
        rows = self.data.candidates_latest
        cycles = args.ints("cycle")
        if cycles:
            cands = self.data.candidates
            rows = rows[rows["candidate_id"].isin(set(cands[cands["cycle"].isin(cycles)]["candidate_id"]))]
        rows = _filter_in(rows, "candidate_id", args.candidate_ids())
        rows = _filter_in(rows, "office", offices)
        rows = _filter_in(rows, "state", args.list("state", upper=True))
        rows = _filter_in(rows, "district", args.districts())
        rows = _filter_in(rows, "party", args.list("party", upper=True))
        rows = _sorted(rows, args.one("sort") or "name", {"name", "candidate_id", "state", "office", "district",
                                                            "party", "-name", "-candidate_id"})

        def to_json(r):
            return {
                "candidate_id": r.candidate_id, "name": r.name, "office": r.office,
                "office_full": OFFICE_FULL.get(r.office), "party": r.party,
                "party_full": PARTY_FULL.get(r.party), "state": r.state, "district": r.district,
                "district_number": int(r.district), "election_districts": [r.district] * len(r.cycles),
                "election_years": r.election_years, "cycles": r.cycles,
                "inactive_election_years": None, "candidate_status": r.status,
                "incumbent_challenge": r.incumbent_challenge,
                "incumbent_challenge_full": ICI_FULL.get(r.incumbent_challenge),
                "active_through": max(r.election_years), "candidate_inactive": False,
                "federal_funds_flag": False, "has_raised_funds": True,
                "first_file_date": f"{r.cycles[0] - 1}-02-01", "last_file_date": f"{r.cycles[-1] - 1}-02-01",
                "last_f2_date": f"{r.cycles[-1] - 1}-02-01", "load_date": f"{r.cycles[-1] - 1}-02-02T04:00:00",
            }
        return self.offset_page(rows, args, to_json)

    # -- /committees/
    def committees(self, args: Args) -> dict:
        rows = self.data.committees_latest
        cycles = args.ints("cycle")
        if cycles:
            cmtes = self.data.committees
            rows = rows[rows["committee_id"].isin(set(cmtes[cmtes["cycle"].isin(cycles)]["committee_id"]))]
        rows = _filter_in(rows, "committee_id", args.committee_ids())
        rows = _filter_in(rows, "designation", args.list("designation", upper=True))
        rows = _filter_in(rows, "committee_type", args.list("committee_type", upper=True))
        rows = _filter_in(rows, "state", args.list("state", upper=True))
        wanted_candidates = args.candidate_ids()
        if wanted_candidates:
            links = self.data.linkages
            rows = rows[rows["committee_id"].isin(set(links[links["candidate_id"].isin(wanted_candidates)]["committee_id"]))]
        rows = _sorted(rows, args.one("sort") or "name", {"name", "committee_id", "-name", "-committee_id"})

        def to_json(r):
            return {
                "committee_id": r.committee_id, "name": r.name, "committee_type": r.committee_type,
                "committee_type_full": None, "designation": r.designation,
                "designation_full": DESIGNATION_FULL.get(r.designation), "organization_type": None,
                "organization_type_full": None, "filing_frequency": r.filing_frequency, "party": _none(r.party),
                "party_full": PARTY_FULL.get(r.party), "state": r.state, "treasurer_name": "DEMO, TREASURER",
                "affiliated_committee_name": None, "cycles": r.cycles, "candidate_ids": r.candidate_ids,
                "sponsor_candidate_ids": None, "sponsor_candidate_list": [],
                "first_file_date": f"{r.cycles[0] - 1}-01-15", "last_file_date": f"{r.cycles[-1]}-10-15",
                "first_f1_date": f"{r.cycles[0] - 1}-01-15", "last_f1_date": f"{r.cycles[0] - 1}-01-15",
            }
        return self.offset_page(rows, args, to_json)

    # -- /reports/{entity_type}/ and /committee/{id}/reports/
    def reports(self, args: Args, entity_type: str | None = None, committee_id: str | None = None) -> dict:
        reports = self.visible_reports()
        if entity_type is not None:
            if entity_type not in REPORT_ENTITY:
                raise ApiError(404, "<html><body>404 Not Found</body></html>", "text/html")
            cmtes = self.data.committees
            of_type = self.cached(f"entity:{entity_type}", Args({}), lambda: set(
                cmtes[cmtes["committee_type"].isin(REPORT_ENTITY[entity_type])]["committee_id"]))
        ids = args.committee_ids()
        if committee_id:
            _check_committee_id(committee_id)
            ids = [committee_id]
        reports = _filter_in(reports, "committee_id", ids)
        if entity_type is not None:
            reports = reports[reports["committee_id"].isin(of_type)]
        reports = _filter_in(reports, "cycle", args.ints("cycle"))
        reports = _filter_in(reports, "report_type", args.list("report_type", upper=True))
        is_amended = args.bool("is_amended")
        superseded = self.cached("superseded", Args({}), lambda: set(
            self.visible_reports()["previous_file_number"].dropna().astype(int)))
        if is_amended is not None:
            stale = reports["file_number"].isin(superseded)
            reports = reports[stale] if is_amended else reports[~stale]
        reports = _sorted(reports, args.one("sort") or "-coverage_end_date",
                          {"-coverage_end_date", "coverage_end_date", "file_number", "-file_number"},
                          rename={"coverage_end_date": "coverage_end"})

        def to_json(r):
            previous = None if pd.isna(r.previous_file_number) else int(r.previous_file_number)
            cmte = self.data.committee_by_cycle.get((r.committee_id, int(r.cycle)))
            return {
                "committee_id": r.committee_id, "committee_name": getattr(cmte, "name", None),
                "committee_type": getattr(cmte, "committee_type", None),
                "cycle": int(r.cycle), "report_year": int(r.report_year), "report_type": r.report_type,
                "report_type_full": r.report_type, "coverage_start_date": f"{r.coverage_start}T00:00:00",
                "coverage_end_date": f"{r.coverage_end}T00:00:00", "receipt_date": f"{r.load_date}",
                "total_receipts_period": r.receipts, "total_disbursements_period": r.disbursements,
                "cash_on_hand_beginning_period": r.cash_on_hand_begin,
                "cash_on_hand_end_period": r.cash_on_hand_end, "debts_owed_by_committee": r.debts_owed,
                "debts_owed_to_committee": 0.0,
                "individual_itemized_contributions_period": r.individual_itemized,
                "individual_unitemized_contributions_period": r.individual_unitemized,
                "total_individual_contributions_period": round(r.individual_itemized + r.individual_unitemized, 2),
                "refunded_individual_contributions_period": r.individual_refunds,
                "other_political_committee_contributions_period": r.other_committee_contributions,
                "political_party_committee_contributions_period": r.party_contributions,
                "candidate_contribution_period": r.candidate_contributions,
                "other_receipts_period": r.other_receipts,
                "transfers_from_other_authorized_committee_period": r.transfers_from_authorized,
                "transfers_to_other_authorized_committee_period": r.transfers_to_authorized,
                "is_amended": int(r.file_number) in superseded,
                "most_recent": int(r.file_number) not in superseded,
                "amendment_indicator": r.amendment_indicator, "file_number": int(r.file_number),
                "previous_file_number": previous, "amendment_chain": None,
                "fec_file_id": f"FEC-{int(r.file_number)}", "means_filed": "e-file",
            }
        return self.offset_page(reports, args, to_json)

    # -- /candidates/totals/
    def candidate_totals(self, args: Args) -> dict:
        """Like the API: over the candidate's P and A committees, newest report versions, all
        two-year periods of the election when election_full (House 2, Senate 6, President 4
        years); gross receipts (transfers between the candidate's committees included)."""
        election_full = args.bool("election_full", True)
        offices = args.list("office")
        for office in offices:
            if office not in ("H", "S", "P"):
                raise ApiError(422, {"message": {"query": {"office": ["Must be one of: H, S, P."]}}, "status": 422})
        cands = self.data.candidates
        cycles = args.ints("cycle") or args.ints("election_year")
        rows = cands[cands["cycle"].isin(cycles)] if cycles else cands
        rows = _filter_in(rows, "office", offices)
        rows = _filter_in(rows, "state", args.list("state", upper=True))
        rows = _filter_in(rows, "district", args.districts())
        rows = _filter_in(rows, "candidate_id", args.candidate_ids())
        rows = rows.drop_duplicates(["candidate_id", "election_year" if election_full else "cycle"])
        out = self.cached("totals", args, lambda: self._totals(rows, election_full))
        out = _sorted(out, args.one("sort") or "-election_year",
                      {"-election_year", "election_year", "candidate_id", "-receipts", "receipts", "name"})

        def to_json(r):
            return {"candidate_id": r.candidate_id, "name": r.name, "office": r.office, "party": r.party,
                    "state": r.state, "district": r.district, "election_year": int(r.election_year),
                    "cycle": int(r.anchor), "is_election": election_full,
                    "receipts": round(r.receipts, 2), "disbursements": round(r.disbursements, 2),
                    "cash_on_hand_end_period": round(r.cash_on_hand_end, 2),
                    "debts_owed_by_committee": round(r.debts_owed, 2),
                    "individual_itemized_contributions": round(r.individual_itemized, 2),
                    "transfers_from_other_authorized_committee": round(r.transfers_from_authorized, 2),
                    "other_political_committee_contributions": round(r.other_committee_contributions, 2),
                    "coverage_start_date": f"{r.coverage_start}T00:00:00",
                    "coverage_end_date": f"{r.coverage_end}T00:00:00"}
        return self.offset_page(out, args, to_json)

    def _totals(self, rows: pd.DataFrame, election_full: bool) -> pd.DataFrame:
        reports = self.visible_reports()
        current = reports[~reports["file_number"].isin(set(reports["previous_file_number"].dropna().astype(int)))]
        latest = current.sort_values("coverage_end").groupby(["committee_id", "cycle"]).tail(1)
        per_cmte = current.groupby(["committee_id", "cycle"]).agg(
            receipts=("receipts", "sum"), disbursements=("disbursements", "sum"),
            individual_itemized=("individual_itemized", "sum"),
            transfers_from_authorized=("transfers_from_authorized", "sum"),
            other_committee_contributions=("other_committee_contributions", "sum"),
            coverage_start=("coverage_start", "min"), coverage_end=("coverage_end", "max")).reset_index()
        per_cmte = per_cmte.merge(latest[["committee_id", "cycle", "cash_on_hand_end", "debts_owed"]],
                                  on=["committee_id", "cycle"])
        spans = rows["office"].map(ELECTION_YEARS) if election_full else pd.Series(2, index=rows.index)
        anchor = rows["election_year"] if election_full else rows["cycle"]
        window = pd.DataFrame({"candidate_id": rows["candidate_id"].repeat(spans // 2).to_numpy(),
                               "anchor": anchor.repeat(spans // 2).to_numpy()})
        window["cycle"] = window["anchor"] - 2 * window.groupby(["candidate_id", "anchor"]).cumcount()
        links = self.data.linkages[self.data.linkages["designation"].isin(["P", "A"])]
        money = (window.merge(links[["candidate_id", "cycle", "committee_id"]].drop_duplicates(),
                              on=["candidate_id", "cycle"])
                 .merge(per_cmte, on=["committee_id", "cycle"]))
        # Cash and debts: each committee's latest period with a report, summed over committees.
        newest = money.sort_values("cycle").groupby(["candidate_id", "anchor", "committee_id"]).tail(1)
        sums = money.groupby(["candidate_id", "anchor"]).agg(
            receipts=("receipts", "sum"), disbursements=("disbursements", "sum"),
            individual_itemized=("individual_itemized", "sum"),
            transfers_from_authorized=("transfers_from_authorized", "sum"),
            other_committee_contributions=("other_committee_contributions", "sum"),
            coverage_start=("coverage_start", "min"), coverage_end=("coverage_end", "max"))
        cash = newest.groupby(["candidate_id", "anchor"])[["cash_on_hand_end", "debts_owed"]].sum()
        return rows.assign(anchor=anchor).merge(sums.join(cash).reset_index(), on=["candidate_id", "anchor"])

    # -- /elections/search/
    def election_search(self, args: Args) -> dict:
        offices = []
        for word in args.list("office"):
            if word not in OFFICE_WORDS:
                raise ApiError(422, {"message": {"query": {"office": ["Must be one of: house, senate, president."]}},
                                     "status": 422})
            offices.append(OFFICE_WORDS[word])
        cands = self.data.candidates
        rows = _filter_in(cands, "cycle", args.ints("cycle"))
        rows = _filter_in(rows, "office", offices)
        states = args.list("state", upper=True)
        if states:
            rows = rows[rows["state"].isin(states) | rows["office"].eq("P")]
        races = rows[["cycle", "office", "state", "district"]].drop_duplicates()
        races = races.assign(order=races["office"].map({"P": 0, "S": 1, "H": 2}))
        races = races.sort_values(["cycle", "order", "state", "district"])
        out = [{"cycle": int(r.cycle), "office": r.office, "state": r.state, "district": r.district}
               for r in races.itertuples()]
        return self.offset_page(out, args)

    # -- /schedules/schedule_a/
    def schedule_a(self, args: Args) -> dict:
        d = self.data
        ids = args.committee_ids(cap=MAX_LIST)
        periods = args.ints("two_year_transaction_period")
        for period in periods:
            if period % 2:
                raise _message(422, "Invalid two_year_transaction period, it must be an even year")
            if period < 1976 or period > CURRENT_CYCLE:
                raise _message(404, "two_year_transaction_period not found, please choose a period between 1976 "
                                    f"and {CURRENT_CYCLE}")
        if len(periods) != 1 and not ids:
            raise _message(400, "Please choose a single `two_year_transaction_period` or add one of the following "
                                "filters to your query: `committee_id`, `contributor_id`, `contributor_name`, "
                                "`contributor_city`, `contributor_zip`, `contributor_employer`, "
                                "`contributor_occupation`, `image_number`")
        sort = args.one("sort") or "-contribution_receipt_date"
        if sort.lstrip("-") not in SCHEDULE_A_SORTS:
            raise _message(422, f"Cannot sort on value \"{sort}\"")
        descending, sort_col = sort.startswith("-"), sort.lstrip("-")
        per_page = args.per_page()
        last_index = args.one("last_index")
        last_value = args.one(f"last_{sort_col}")
        null_only = args.bool("sort_null_only", False)
        if last_index is not None and last_value is None and not null_only:
            raise _message(422, "When paginating through results, both values from the previous page's "
                                "`last_indexes` object are needed. For more information, see "
                                "https://api.open.fec.gov/developers/")
        min_load, max_load = args.date("min_load_date"), args.date("max_load_date")
        min_date, max_date = args.date("min_date"), args.date("max_date")
        is_individual = args.bool("is_individual")
        # Rows of the wanted committees (or all), in the global (date, sub_id) order.
        if ids:
            idx = np.sort(np.concatenate([d.sa_rows_of.get(c, np.empty(0, np.int64)) for c in ids]))
        else:
            idx = np.arange(len(d.sa))
        mask = np.ones(len(idx), bool)
        if periods:
            mask &= np.isin(d.sa_cycle[idx], periods)
        loads = d.sa_load[idx]
        if self.settings.as_of is not None:
            mask &= loads <= np.datetime64(self.settings.as_of)
        if min_load:
            mask &= loads >= np.datetime64(min_load)
        if max_load:
            mask &= loads <= np.datetime64(max_load)
        dates = d.sa_date[idx]
        if min_date:
            mask &= dates >= np.datetime64(min_date)
        if max_date:
            mask &= dates <= np.datetime64(max_date)
        idx = idx[mask]
        if is_individual is not None:
            flags = np.array([_is_individual(d.sa.iloc[i]) for i in idx], bool) if len(idx) else np.zeros(0, bool)
            idx = idx[flags == is_individual]
        # Order by (sort value with nulls as +infinity, sub_id), ascending or descending.
        if sort_col == "contribution_receipt_date":
            key = d.sa_date[idx].astype("int64").astype(float)
            key[np.isnat(d.sa_date[idx])] = np.inf
        else:
            key = d.sa_amount[idx].copy()
        sub = d.sa_sub[idx]
        order = np.lexsort((sub, key))
        if descending:
            order = order[::-1]
        idx, key, sub = idx[order], key[order], sub[order]
        count = len(idx)
        if last_index is not None:
            last_sub = int(last_index)
            if null_only:
                last_key = np.inf
            elif sort_col == "contribution_receipt_date":
                last_key = float(np.datetime64(date.fromisoformat(last_value[:10])).astype("int64"))
            else:
                last_key = float(last_value)
            if descending:
                after = (key < last_key) | ((key == last_key) & (sub < last_sub))
            else:
                after = (key > last_key) | ((key == last_key) & (sub > last_sub))
            idx, key = idx[after], key[after]
        page = idx[:per_page]
        results = [self.schedule_a_row(i) for i in page]
        if results:
            last = results[-1]
            value = last[sort_col]
            last_indexes = {"last_index": last["sub_id"]}
            if value is None:
                last_indexes["sort_null_only"] = True
            else:
                last_indexes[f"last_{sort_col}"] = value
        else:
            last_indexes = None
        exact = not self.settings.inexact_counts
        shown_count = count if exact else int(count * 1.37) + 500_001
        return {"api_version": "1.0",
                "pagination": {"count": shown_count, "is_count_exact": exact, "pages": math.ceil(shown_count / per_page),
                               "per_page": per_page, "last_indexes": last_indexes},
                "results": results}

    def schedule_a_row(self, i: int) -> dict:
        r = self.data.sa.iloc[i]
        cycle = int(r["cycle"])
        cmte = self.data.committee_by_cycle.get((r["committee_id"], cycle))
        nested = None
        if cmte is not None:
            nested = {"committee_id": cmte.committee_id, "name": cmte.name, "committee_type": cmte.committee_type,
                      "designation": cmte.designation, "party": cmte.party, "state": cmte.state, "cycle": cycle,
                      "candidate_ids": [cmte.candidate_id] if cmte.candidate_id else [],
                      "filing_frequency": cmte.filing_frequency, "is_active": True}
        name = _none(r["contributor_name"])
        last, _, first = (name or "").partition(", ")
        conduit = _none(r["conduit_committee_id"])
        conduit_cmte = self.data.committee_by_cycle.get((conduit, cycle)) if conduit else None
        day = _none(r["date"])
        memo = _none(r["memo_code"])
        return {
            "committee_id": r["committee_id"], "committee": nested, "committee_name": None,
            "recipient_committee_type": getattr(cmte, "committee_type", None),
            "recipient_committee_designation": getattr(cmte, "designation", None),
            "recipient_committee_org_type": None,
            "contributor_name": name, "contributor_prefix": None, "contributor_first_name": first or None,
            "contributor_middle_name": None, "contributor_last_name": last or None, "contributor_suffix": None,
            "contributor_street_1": None, "contributor_street_2": None,
            "contributor_city": _none(r["city"]), "contributor_state": _none(r["state"]),
            "contributor_zip": _none(r["zip"]), "contributor_employer": _none(r["employer"]),
            "contributor_occupation": _none(r["occupation"]), "contributor_id": _none(r["other_id"]),
            "unused_contbr_id": None, "contributor": None,
            "entity_type": _none(r["entity_type"]),
            "entity_type_desc": {"IND": "INDIVIDUAL", "ORG": "ORGANIZATION"}.get(r["entity_type"]),
            "is_individual": _is_individual(r),
            "contribution_receipt_date": day.isoformat() if day is not None else None,
            "contribution_receipt_amount": float(r["amount"]),
            "contributor_aggregate_ytd": None if pd.isna(r["aggregate_ytd"]) else float(r["aggregate_ytd"]),
            "receipt_type": _none(r["receipt_type"]), "receipt_type_desc": None, "receipt_type_full": None,
            "memo_code": memo, "memo_code_full": None, "memo_text": _none(r["memo_text"]),
            "memoed_subtotal": memo == "X", "line_number": _none(r["line_number"]), "line_number_label": None,
            "filing_form": "F3" if getattr(cmte, "committee_type", "H") in ("H", "S") else "F3X",
            "election_type": f"P{cycle}", "election_type_full": None, "fec_election_type_desc": "PRIMARY",
            "fec_election_year": str(cycle), "two_year_transaction_period": cycle,
            "report_year": int(r["report_year"]), "report_type": _none(r["report_type"]),
            "amendment_indicator": _none(r["amendment_indicator"]), "amendment_indicator_desc": None,
            "candidate_id": None, "candidate_name": None, "candidate_first_name": None,
            "candidate_last_name": None, "candidate_middle_name": None, "candidate_prefix": None,
            "candidate_suffix": None, "candidate_office": None, "candidate_office_full": None,
            "candidate_office_state": None, "candidate_office_state_full": None, "candidate_office_district": None,
            "conduit_committee_id": conduit, "conduit_committee_name": getattr(conduit_cmte, "name", None),
            "conduit_committee_street1": None, "conduit_committee_street2": None, "conduit_committee_city": None,
            "conduit_committee_state": getattr(conduit_cmte, "state", None), "conduit_committee_zip": None,
            "donor_committee_name": None, "increased_limit": None, "national_committee_nonfederal_account": None,
            "schedule_type": "SA", "schedule_type_full": "ITEMIZED RECEIPTS",
            "sub_id": str(int(r["sub_id"])), "original_sub_id": None,
            "transaction_id": _none(r["transaction_id"]), "back_reference_transaction_id": None,
            "back_reference_schedule_name": None, "file_number": int(r["file_number"]),
            "link_id": int(r["sub_id"]) // 7, "image_number": _none(r["image_number"]), "pdf_url": None,
            "load_date": f"{r['load_date']}T04:00:00",
        }


def _none(value):
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _is_individual(r) -> bool:
    """FEC's is_individual flag: a coded individual receipt type, or under $200 on an individual
    line and not a memo (reference section 5.3)."""
    if _none(r["receipt_type"]) in INDIVIDUAL_TYPES:
        return True
    return bool(abs(float(r["amount"])) < 200 and _none(r["line_number"]) in ("11AI", "12", "17", "17A", "18")
                and _none(r["memo_code"]) is None)


def _filter_in(frame: pd.DataFrame, column: str, values) -> pd.DataFrame:
    return frame[frame[column].isin(values)] if values else frame


def _sorted(frame: pd.DataFrame, sort: str, allowed: set[str], rename: dict | None = None) -> pd.DataFrame:
    if sort not in allowed:
        raise _message(422, f"Cannot sort on value \"{sort}\"")
    column = sort.lstrip("-")
    column = (rename or {}).get(column, column)
    keys = [column] + [k for k in ("candidate_id", "committee_id", "file_number") if k in frame.columns and k != column]
    return frame.sort_values(keys, ascending=not sort.startswith("-"), kind="stable")


# ------------------------------------------------------------------------------------ HTTP layer
def make_handler(api: FakeApi):
    settings = api.settings

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args):  # quiet: tests read stdout
            pass

        def send(self, status: int, body, headers: dict | None = None, content_type="application/json"):
            payload = body if isinstance(body, bytes) else (
                (json.dumps(body) + "\n").encode() if content_type == "application/json" else str(body).encode())
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
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
                if not key:
                    raise ApiError(403, {"error": {"code": "API_KEY_MISSING",
                                                   "message": "No api_key was supplied. Get one at https://api.data.gov/signup/"}})
                if key not in settings.keys:
                    raise ApiError(403, {"error": {"code": "API_KEY_INVALID",
                                                   "message": "An invalid api_key was supplied. Get one at https://api.data.gov/signup/"}})
                limit, remaining = settings.admit(key)
                headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining)}
                fault = settings.scripted_fault(path)
                if settings.delay_ms:
                    time.sleep(settings.delay_ms / 1000)
                if fault and fault["kind"] == "slow":
                    time.sleep(float(fault.get("seconds", 2)))
                if fault and fault["kind"] == "reset":
                    self.close_connection = True
                    settings.stats[(route, "reset")] += 1
                    return
                error = int(fault["kind"]) if fault and fault["kind"].isdigit() else settings.random_error()
                if error == 429:
                    raise ApiError(429, {"error": {"code": "OVER_RATE_LIMIT",
                                                   "message": "You have exceeded your rate limit."}})
                if error:
                    raise ApiError(error, "<html><body>Bad gateway</body></html>" if error in (502, 503) else
                                   {"message": "Query timed out" if error == 504 else "Internal error", "status": error},
                                   "text/html" if error in (502, 503) else "application/json")
                if fault and fault["kind"] == "quirk404":
                    raise _message(404, "Could not process the request")
                body = self.route(path, Args(query))
                if fault and fault["kind"] == "short" and body.get("results"):
                    body["results"] = body["results"][: max(1, len(body["results"]) // 2)]
                    last = body["results"][-1]
                    if body["pagination"].get("last_indexes"):
                        sort_keys = [k for k in body["pagination"]["last_indexes"] if k.startswith("last_") and k != "last_index"]
                        body["pagination"]["last_indexes"] = {"last_index": last["sub_id"], **{
                            k: last[k[5:]] for k in sort_keys}}
                if fault and fault["kind"] == "malformed":
                    text = json.dumps(body)
                    return self._counted(route, 200, text[: len(text) // 2].encode(), headers)
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

        def route(self, path: str, args: Args) -> dict:
            parts = path.strip("/").split("/")
            if not parts or parts[0] != "v1":
                raise ApiError(404, "<html><body>404 Not Found</body></html>", "text/html")
            rest = parts[1:]
            if rest in (["candidates"], ["candidates", "search"]):
                return api.candidates(args)
            if rest == ["candidates", "totals"]:
                return api.candidate_totals(args)
            if rest == ["committees"]:
                return api.committees(args)
            if rest == ["elections", "search"]:
                return api.election_search(args)
            if len(rest) == 2 and rest[0] == "reports":
                return api.reports(args, entity_type=rest[1])
            if len(rest) == 3 and rest[0] == "committee" and rest[2] == "reports":
                return api.reports(args, committee_id=rest[1].upper())
            if rest == ["schedules", "schedule_a"]:
                return api.schedule_a(args)
            raise ApiError(404, "<html><body>404 Not Found</body></html>", "text/html")

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


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = []
    if "--" in argv:
        cut = argv.index("--")
        argv, command = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(prog="python -m devtools.fake_openfec",
                                     description="Serve the demo generator's synthetic data as a fake OpenFEC API on 127.0.0.1.")
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
    fake = FakeOpenFEC(data_dir, port=args.port, hourly_limit=args.hourly_limit, error_rate=args.error_rate,
                       delay_ms=args.delay_ms, as_of=args.as_of).start()
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


if __name__ == "__main__":
    sys.exit(main())
