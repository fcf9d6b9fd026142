"""The refresh: pull from the OpenFEC API into the raw store, then build and publish a snapshot.

    python -m dashboard refresh [--cycle 2026] [--office H,S,P] [--state ST ...] [--every 6h]

Per cycle it pulls candidates, their principal and authorized committees (which give the
candidate-committee links), FEC's own candidate totals (`election_full=true`) and the races (kept
beside the raw tables for checking, the builder does not read them), every report version of each
committee (original and amended: the builder keeps the newest), and the committees' itemized
receipts (Schedule A, keyset pagination).

No data is ever lost, and nothing half-written is ever served:
- Pages are first written to `refresh/pending/` (each file written under a temporary name and
  renamed), and `refresh/state.json` records after each file how far every query got. A run
  that is killed, runs out of its hourly request budget, or meets an API that keeps failing
  stops; the next run with the same scope resumes from there.
- Only when the whole scope is pulled are the rows committed to `raw/` (under the build lock):
  small tables are upserted by key into `raw/<table>/api-<cycle>.parquet`; receipts are
  appended as `raw/schedule_a/cycle=<cycle>/api-<run>.parquet` holding only sub_ids not already
  there, so a row pulled twice is stored once. Committing again after a crash is harmless.
- Then the same builder as the demo's builds and publishes the snapshot; if it fails, the
  previous snapshot keeps serving and `refresh/status.json` records the error.
- Incremental: each committee remembers the latest `load_date` it has been pulled through, and
  its next pull asks only for rows loaded since (`min_load_date`; that day again, deduplicated).
  Reports are re-pulled in full every run (a few rows per committee), so amendments always
  arrive; the amended filing's receipts arrive with their new load date.
- Demo raw files found in `raw/` are removed at the first commit: demo and API data never mix.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.core import config, contract
from dashboard.store import locks
from dashboard.pipeline.progress import Progress
from dashboard.pipeline.builder.publish import BuildError, build_and_publish, build_lock
from dashboard.pipeline.openfec.client import OpenFECClient, OpenFECError

log = logging.getLogger(__name__)

OFFICES = ("H", "S", "P")
OFFICE_WORDS = {"H": "house", "S": "senate", "P": "president"}
REPORT_ENTITY = {"H": "house-senate", "S": "house-senate", "P": "presidential"}
COMMITTEE_BATCH = 10      # Schedule A and reports take at most 10 committee_id values
PER_PAGE = 100
FLUSH_ROWS = 5_000        # receipts kept in memory before they are written to pending/
STATE_VERSION = 1

# Tables the refresh keeps beside the raw contract for checking; the builder never reads them.
REFERENCE_SCHEMAS = {
    "openfec_candidate_totals": pa.schema([
        ("candidate_id", pa.string()), ("cycle", pa.int32()), ("election_year", pa.int32()),
        ("election_full", pa.bool_()), ("receipts", pa.decimal128(14, 2)),
        ("disbursements", pa.decimal128(14, 2)), ("cash_on_hand_end", pa.decimal128(14, 2)),
        ("debts_owed", pa.decimal128(14, 2)), ("individual_itemized", pa.decimal128(14, 2)),
        ("transfers_from_authorized", pa.decimal128(14, 2)), ("coverage_end", pa.date32())]),
    "openfec_races": pa.schema([("cycle", pa.int32()), ("office", pa.string()), ("state", pa.string()),
                                ("district", pa.string())]),
}
KEYS = {
    "candidates": ("candidate_id", "cycle"),
    "committees": ("committee_id", "cycle"),
    "linkages": ("candidate_id", "cycle", "committee_id"),
    "reports": ("committee_id", "file_number"),
    "openfec_candidate_totals": ("candidate_id", "cycle"),
    "openfec_races": ("cycle", "office", "state", "district"),
}
SMALL_TABLES = tuple(KEYS)


class RefreshError(RuntimeError):
    """The refresh stopped; the message says why and what happens next."""


@dataclass(frozen=True)
class Scope:
    cycles: tuple[int, ...]
    offices: tuple[str, ...] = OFFICES
    states: tuple[str, ...] = ()

    def describe(self) -> str:
        states = ",".join(self.states) if self.states else "all states"
        return f"cycles {','.join(map(str, self.cycles))}, offices {','.join(self.offices)}, {states}"


# ------------------------------------------------------------------------------------ files
def refresh_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "refresh"


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(value, indent=1, default=str))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_json(path: Path, default):
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        return default
    except ValueError:
        log.warning("%s is damaged; starting from scratch", path)
        return default


def write_parquet_atomically(table: pa.Table, path: Path) -> None:
    """Readers (the builder globs *.parquet) see the whole file or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def refresh_lock(data_dir: Path):
    """One refresh per data directory at a time (a scheduled one and a manual one never overlap)."""
    return locks.exclusive(Path(data_dir) / ".refresh.lock", RefreshError(
        "another refresh is running on this data directory; this one does nothing"))


def refresh_running(data_dir: Path) -> bool:
    return locks.is_held(Path(data_dir) / ".refresh.lock")


# ------------------------------------------------------------------------------------ API -> raw
def _date(text) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def _money(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _first(row: dict, *names):
    for name in names:
        if row.get(name) is not None:
            return row[name]
    return None


def candidate_row(api: dict, cycle: int) -> dict:
    years = sorted(int(y) for y in api.get("election_years") or [])
    upcoming = [y for y in years if y >= cycle]
    return {"candidate_id": api["candidate_id"], "cycle": cycle, "name": api.get("name"),
            "party": api.get("party"), "office": api.get("office"), "state": api.get("state"),
            "district": api.get("district") or "00", "incumbent_challenge": api.get("incumbent_challenge"),
            "status": api.get("candidate_status"), "principal_committee_id": None,
            "election_year": upcoming[0] if upcoming else (years[-1] if years else cycle)}


def committee_row(api: dict, cycle: int) -> dict:
    candidates = api.get("candidate_ids") or []
    return {"committee_id": api["committee_id"], "cycle": cycle, "name": api.get("name"),
            "committee_type": api.get("committee_type"), "designation": api.get("designation"),
            "party": api.get("party"), "state": api.get("state"),
            "candidate_id": candidates[0] if candidates else None,
            "filing_frequency": api.get("filing_frequency")}


def report_row(api: dict) -> dict:
    return {
        "committee_id": api["committee_id"], "cycle": int(api["cycle"]), "report_year": api.get("report_year"),
        "report_type": api.get("report_type"), "coverage_start": _date(api.get("coverage_start_date")),
        "coverage_end": _date(api.get("coverage_end_date")), "file_number": api.get("file_number"),
        "previous_file_number": api.get("previous_file_number"),
        "amendment_indicator": api.get("amendment_indicator"),
        "receipts": _money(api.get("total_receipts_period")),
        "disbursements": _money(api.get("total_disbursements_period")),
        "cash_on_hand_begin": _money(api.get("cash_on_hand_beginning_period")),
        "cash_on_hand_end": _money(api.get("cash_on_hand_end_period")),
        "debts_owed": _money(api.get("debts_owed_by_committee")),
        "individual_itemized": _money(api.get("individual_itemized_contributions_period")),
        "individual_unitemized": _money(api.get("individual_unitemized_contributions_period")),
        "individual_refunds": _money(api.get("refunded_individual_contributions_period")),
        "other_committee_contributions": _money(api.get("other_political_committee_contributions_period")),
        "party_contributions": _money(api.get("political_party_committee_contributions_period")),
        "candidate_contributions": _money(api.get("candidate_contribution_period")),
        "other_receipts": _money(api.get("other_receipts_period")),
        # Form 3P (presidential) names the same lines differently.
        "transfers_from_authorized": _money(_first(api, "transfers_from_other_authorized_committee_period",
                                                   "transfers_from_affiliated_committee_period")),
        "transfers_to_authorized": _money(api.get("transfers_to_other_authorized_committee_period")),
    }


def schedule_a_row(api: dict) -> dict:
    return {
        "sub_id": int(api["sub_id"]), "committee_id": api["committee_id"],
        "report_year": api.get("report_year"), "report_type": api.get("report_type"),
        "file_number": api.get("file_number"), "amendment_indicator": api.get("amendment_indicator"),
        "receipt_type": api.get("receipt_type"), "line_number": api.get("line_number"),
        "entity_type": api.get("entity_type"), "contributor_name": api.get("contributor_name"),
        "city": api.get("contributor_city"), "state": api.get("contributor_state"),
        "zip": api.get("contributor_zip"), "employer": api.get("contributor_employer"),
        "occupation": api.get("contributor_occupation"), "date": _date(api.get("contribution_receipt_date")),
        "amount": _money(api.get("contribution_receipt_amount")),
        "aggregate_ytd": _money(api.get("contributor_aggregate_ytd")), "memo_code": api.get("memo_code"),
        "memo_text": api.get("memo_text"), "other_id": api.get("contributor_id"),
        "conduit_committee_id": api.get("conduit_committee_id"),
        "transaction_id": api.get("transaction_id"), "image_number": api.get("image_number"),
    }


def totals_row(api: dict, cycle: int) -> dict:
    return {"candidate_id": api["candidate_id"], "cycle": cycle,
            "election_year": api.get("election_year") or api.get("candidate_election_year"),
            "election_full": bool(api.get("is_election", True)), "receipts": _money(api.get("receipts")),
            "disbursements": _money(api.get("disbursements")),
            "cash_on_hand_end": _money(api.get("cash_on_hand_end_period")),
            "debts_owed": _money(api.get("debts_owed_by_committee")),
            "individual_itemized": _money(api.get("individual_itemized_contributions")),
            "transfers_from_authorized": _money(api.get("transfers_from_other_authorized_committee")),
            "coverage_end": _date(api.get("coverage_end_date"))}


def schema_of(table: str) -> pa.Schema:
    if table in REFERENCE_SCHEMAS:
        return REFERENCE_SCHEMAS[table]
    # Receipts are partitioned by cycle=<year> folders, so the files do not repeat the column.
    return contract.raw_arrow_schema(table, drop=("cycle",) if table == "schedule_a" else ())


def to_table(rows: list[dict], table: str) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema_of(table))


# ------------------------------------------------------------------------------------ the run
class Refresh:
    def __init__(self, data_dir: Path, scope: Scope, client: OpenFECClient, progress: Progress):
        self.data_dir = Path(data_dir).resolve()
        self.scope = scope
        self.client = client
        self.progress = progress
        self.dir = refresh_dir(self.data_dir)
        self.pending = self.dir / "pending"
        self.state_path = self.dir / "state.json"
        self.state = _read_json(self.state_path, {})
        if self.state.get("version") != STATE_VERSION:
            self.state = {"version": STATE_VERSION, "watermarks": {}, "run": None}
        self.pulled = {}     # table -> rows pulled in this process
        self.stored = {}     # table -> rows newly stored in raw/ by the commit

    def save_state(self):
        _write_json(self.state_path, self.state)

    # -- the pending run
    def start_or_resume(self) -> dict:
        run = self.state.get("run")
        scope = asdict(self.scope)
        scope = {k: list(v) for k, v in scope.items()}
        if run and run.get("scope") != scope:
            self.progress.line(f"an unfinished refresh of another scope ({run['scope']}) is discarded")
            run = None
        if run:
            done = len(run["done"])
            self.progress.line(f"resuming the unfinished refresh {run['id']} ({done} steps already done)")
        else:
            shutil.rmtree(self.pending, ignore_errors=True)
            run = {"id": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6],
                   "scope": scope, "started_at": _now(), "done": [], "plan": {}, "cursors": {},
                   "watermarks": {}}
            self.state["run"] = run
            self.save_state()
        self.run = run
        return run

    def step_done(self, key: str):
        self.run["done"].append(key)
        self.save_state()

    def store_pending(self, table: str, cycle: int, rows: list[dict], tag: str) -> None:
        if not rows:
            return
        self.pulled[table] = self.pulled.get(table, 0) + len(rows)
        path = self.pending / table / f"{cycle}-{tag}-{uuid.uuid4().hex[:8]}.parquet"
        write_parquet_atomically(to_table(rows, table), path)

    def pending_table(self, table: str, cycle: int) -> pa.Table | None:
        files = sorted((self.pending / table).glob(f"{cycle}-*.parquet"))
        if not files:
            return None
        return pa.concat_tables([pq.read_table(f, schema=schema_of(table)) for f in files])

    # -- pull
    def pull(self):
        for cycle in self.scope.cycles:
            self.pull_entities(cycle)
            self.pull_reports(cycle)
            self.pull_receipts(cycle)

    def _offset_rows(self, path: str, params: dict) -> list[dict]:
        rows = []
        for page in self.client.offset_pages(path, params, per_page=PER_PAGE):
            rows.extend(page)
        return rows

    def pull_entities(self, cycle: int):
        scope = self.scope
        states = list(scope.states)
        key = f"{cycle}:entities"
        if key in self.run["done"]:
            return
        self.progress.line(f"{cycle}: candidates, committees, totals and races")
        api_candidates = self._offset_rows("candidates/", {
            "cycle": cycle, "office": list(scope.offices), "state": states, "sort": "candidate_id"})
        candidates = {c["candidate_id"]: candidate_row(c, cycle) for c in api_candidates}
        committee_params = {"cycle": cycle, "designation": ["P", "A"], "committee_type": list(scope.offices),
                            "sort": "committee_id"}
        if states and "P" not in scope.offices:
            committee_params["state"] = states
        api_committees = self._offset_rows("committees/", committee_params)
        committees, linkages = [], []
        for c in api_committees:
            mine = [cid for cid in (c.get("candidate_ids") or []) if cid in candidates]
            if not mine:
                continue
            committees.append(committee_row(c, cycle))
            for cand_id in mine:
                linkages.append({"candidate_id": cand_id, "election_year": candidates[cand_id]["election_year"],
                                 "cycle": cycle, "committee_id": c["committee_id"],
                                 "committee_type": c.get("committee_type"), "designation": c.get("designation"),
                                 "linkage_id": None})
                if c.get("designation") == "P" and candidates[cand_id]["principal_committee_id"] is None:
                    candidates[cand_id]["principal_committee_id"] = c["committee_id"]
        totals = [totals_row(t, cycle) for t in self._offset_rows("candidates/totals/", {
            "cycle": cycle, "election_full": "true", "office": list(scope.offices), "state": states,
            "sort": "candidate_id"})]
        races = []
        for office in scope.offices:
            races += [{"cycle": int(r["cycle"]), "office": r["office"], "state": r["state"],
                       "district": r.get("district") or "00"}
                      for r in self._offset_rows("elections/search/", {
                          "cycle": cycle, "office": OFFICE_WORDS[office], "state": states})]
        # The plan of the itemized pulls is fixed now, so a resumed run asks the same questions.
        marks = self.state["watermarks"].get(str(cycle), {})
        ids = sorted(c["committee_id"] for c in committees)
        type_of = {c["committee_id"]: c["committee_type"] for c in committees}
        by_entity: dict[str, list[str]] = {}
        for cid in ids:
            by_entity.setdefault(REPORT_ENTITY.get(type_of[cid], "house-senate"), []).append(cid)
        reports_plan = [{"entity": entity, "ids": chunk}
                        for entity, cids in sorted(by_entity.items()) for chunk in _chunks(cids, COMMITTEE_BATCH)]
        by_mark = sorted(ids, key=lambda cid: (marks.get(cid) or "", cid))
        receipts_plan = []
        for chunk in _chunks(by_mark, COMMITTEE_BATCH):
            seen = [marks.get(cid) for cid in chunk]
            receipts_plan.append({"ids": chunk, "min_load_date": None if None in seen else min(seen)})
        for table, rows in (("candidates", list(candidates.values())), ("committees", committees),
                            ("linkages", linkages), ("openfec_candidate_totals", totals), ("openfec_races", races)):
            self.store_pending(table, cycle, rows, "entities")
        self.run["plan"][str(cycle)] = {"reports": reports_plan, "receipts": receipts_plan}
        self.step_done(key)
        self.progress.line(f"{cycle}: {len(candidates):,} candidates, {len(committees):,} committees, "
                           f"{len(races):,} races, {len(totals):,} FEC candidate totals "
                           f"({self.client.requests} requests so far)")

    def pull_reports(self, cycle: int):
        plan = self.run["plan"][str(cycle)]["reports"]
        self.progress.start_bar()
        for i, batch in enumerate(plan):
            key = f"{cycle}:reports:{i}"
            if key not in self.run["done"]:
                rows = self._offset_rows(f"reports/{batch['entity']}/", {
                    "committee_id": batch["ids"], "cycle": cycle, "sort": "-coverage_end_date"})
                self.store_pending("reports", cycle, [report_row(r) for r in rows], f"reports{i}")
                self.step_done(key)
            self.progress.bar(f"{cycle} reports", i + 1, len(plan), self._detail())

    def pull_receipts(self, cycle: int):
        plan = self.run["plan"][str(cycle)]["receipts"]
        marks = self.run["watermarks"].setdefault(str(cycle), {})
        self.progress.start_bar()
        for i, batch in enumerate(plan):
            key = f"{cycle}:receipts:{i}"
            if key not in self.run["done"]:
                params = {"committee_id": batch["ids"], "two_year_transaction_period": cycle,
                          "sort": "contribution_receipt_date", "min_load_date": batch["min_load_date"]}
                cursor = self.run["cursors"].get(key)
                buffered: list[dict] = []
                for page, next_cursor in self.client.keyset_pages("schedules/schedule_a/", params, cursor=cursor,
                                                                  per_page=PER_PAGE):
                    for row in page:
                        loaded = (row.get("load_date") or "")[:10]
                        if loaded and loaded > (marks.get(row["committee_id"]) or ""):
                            marks[row["committee_id"]] = loaded
                    buffered += [schedule_a_row(r) for r in page]
                    if next_cursor is not None and len(buffered) >= FLUSH_ROWS:
                        self.store_pending("schedule_a", cycle, buffered, f"receipts{i}")
                        buffered = []
                        self.run["cursors"][key] = next_cursor
                        self.save_state()
                    self.progress.bar(f"{cycle} receipts", i, len(plan), self._detail())
                self.store_pending("schedule_a", cycle, buffered, f"receipts{i}")
                self.run["cursors"].pop(key, None)
                self.step_done(key)
            self.progress.bar(f"{cycle} receipts", i + 1, len(plan), self._detail())

    def _detail(self) -> str:
        return (f"{self.pulled.get('schedule_a', 0):,} receipts, {self.client.requests} requests, "
                f"budget left {self.client.budget_left()}")

    # -- commit
    def commit(self) -> None:
        """Move the pulled rows into raw/. Idempotent: after a crash it is simply done again."""
        raw = self.data_dir / "raw"
        with build_lock(self.data_dir):
            removed = remove_demo_raw(raw)
            if removed:
                self.progress.line(f"removed {removed} demo raw files: demo and API data must not mix")
            for cycle in self.scope.cycles:
                for table in SMALL_TABLES:
                    new = self.pending_table(table, cycle)
                    if new is not None:
                        self.stored[table] = self.stored.get(table, 0) + upsert(raw / table / f"api-{cycle}.parquet",
                                                                                new, KEYS[table])
                new = self.pending_table("schedule_a", cycle)
                if new is not None:
                    self.stored["schedule_a"] = self.stored.get("schedule_a", 0) + append_new_receipts(
                        raw / "schedule_a" / f"cycle={cycle}", new, self.run["id"])
            for cycle, marks in self.run["watermarks"].items():
                self.state["watermarks"].setdefault(cycle, {}).update(marks)
            self.state["run"] = None
            self.save_state()
        shutil.rmtree(self.pending, ignore_errors=True)


def remove_demo_raw(raw: Path) -> int:
    removed = 0
    for path in raw.glob("**/demo*.parquet"):
        path.unlink()
        removed += 1
    return removed


def upsert(path: Path, new: pa.Table, keys: tuple[str, ...]) -> int:
    """Rows of `new` replace rows with the same key; returns the rows written from `new`."""
    new = _last_per_key(new, keys)
    if path.exists():
        old = pq.read_table(path, schema=new.schema)
        kept = old.filter(pc.invert(pc.is_in(_key(old, keys), value_set=_key(new, keys))))
        merged = pa.concat_tables([kept, new])
    else:
        merged = new
    write_parquet_atomically(merged, path)
    return new.num_rows


def append_new_receipts(folder: Path, new: pa.Table, run_id: str) -> int:
    """Write the receipts whose sub_id is not stored yet; returns how many."""
    new = _last_per_key(new, ("sub_id",))
    existing = [pq.read_table(f, columns=["sub_id"])["sub_id"] for f in sorted(folder.glob("*.parquet"))]
    if existing:
        seen = pa.chunked_array([c for col in existing for c in col.chunks], type=pa.int64())
        new = new.filter(pc.invert(pc.is_in(new["sub_id"], value_set=seen.combine_chunks())))
    if new.num_rows == 0:
        return 0
    write_parquet_atomically(new.sort_by([("sub_id", "ascending")]), folder / f"api-{run_id}.parquet")
    return new.num_rows


def _key(table: pa.Table, keys: tuple[str, ...]) -> pa.Array:
    parts = [pc.fill_null(pc.cast(table[k], pa.string()), "") for k in keys]
    if len(parts) == 1:
        return parts[0].combine_chunks()
    return pc.binary_join_element_wise(*parts, "\x1f").combine_chunks()


def _last_per_key(table: pa.Table, keys: tuple[str, ...]) -> pa.Table:
    """One row per key, the last one pulled (a row pulled twice is stored once)."""
    if table.num_rows == 0:
        return table
    key = _key(table, keys)
    positions = pa.table({"k": key, "i": pa.array(range(table.num_rows), pa.int64())})
    last = positions.group_by("k").aggregate([("i", "max")])["i_max"]
    return table.take(pc.take(last, pc.sort_indices(last)))  # in pull order


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------------------------------ status
def status_path(data_dir: Path) -> Path:
    return refresh_dir(data_dir) / "status.json"


def read_status(data_dir: Path) -> dict:
    """What the last refresh attempts did (empty when none has run). An attempt that never
    finished and whose process is gone was killed."""
    status = _read_json(status_path(data_dir), {})
    attempt = status.get("last_attempt")
    if attempt and attempt.get("finished_at") is None and not refresh_running(data_dir):
        attempt["ok"] = False
        attempt["error"] = attempt.get("error") or "the refresh process stopped before finishing (killed?)"
    return status


def _record(data_dir: Path, **changes) -> None:
    """Best effort: with the disk full the status may not be writable, and that must not hide
    the original error."""
    try:
        status = _read_json(status_path(data_dir), {})
        status.update(changes)
        _write_json(status_path(data_dir), status)
    except OSError as exc:
        log.warning("could not record the refresh status: %s", exc)


def coverage_of_raw(raw: Path, cycles) -> dict:
    """Per cycle: what the API raw files hold (from Parquet footers and the small tables)."""
    out = {}
    for cycle in cycles:
        facts = {}
        for table in ("candidates", "committees", "reports"):
            path = raw / table / f"api-{cycle}.parquet"
            facts[table] = pq.ParquetFile(path).metadata.num_rows if path.exists() else 0
        receipts = sorted((raw / "schedule_a" / f"cycle={cycle}").glob("api-*.parquet"))
        facts["receipts"] = sum(pq.ParquetFile(f).metadata.num_rows for f in receipts)
        reports = raw / "reports" / f"api-{cycle}.parquet"
        through = None
        if reports.exists():
            ends = pq.read_table(reports, columns=["coverage_end"])["coverage_end"]
            through = pc.max(ends).as_py()
        facts["data_through"] = through.isoformat() if through else None
        out[str(cycle)] = facts
    return out


# ------------------------------------------------------------------------------------ entry points
def run_refresh(data_dir: Path, scope: Scope, client: OpenFECClient | None = None,
                progress: Progress | None = None) -> dict:
    """One refresh: pull (or resume), commit, build and publish. Returns the summary; raises
    RefreshError (or the API's error) after recording it, leaving the previous snapshot serving."""
    data_dir = Path(data_dir).resolve()
    progress = progress or Progress()
    started, started_at = time.monotonic(), _now()
    own_client = client is None
    with refresh_lock(data_dir):
        client = client or OpenFECClient(request_log=refresh_dir(data_dir) / "requests.json", warn=progress.line)
        attempt = {"started_at": started_at, "finished_at": None, "ok": None, "error": None,
                   "scope": scope.describe(), "api_url": client.base_url}
        _record(data_dir, last_attempt=attempt)
        job = Refresh(data_dir, scope, client, progress)
        try:
            progress.line(f"refreshing {scope.describe()} from {client.base_url}")
            job.start_or_resume()
            job.pull()
            progress.line(f"pulled everything ({client.requests} requests); storing it in raw/")
            job.commit()
            summary = {
                "scope": scope.describe(), "api_url": client.base_url, "synthetic": client.synthetic,
                "requests": client.requests, "retries": client.retries, "rows_pulled": job.pulled,
                "rows_stored": job.stored, "pull_seconds": round(time.monotonic() - started, 1),
                "finished_at": None,
            }
            # The local fake serves the demo generator's synthetic data: label it so on every page.
            source = "demo" if client.synthetic else "api"
            manifest = build_and_publish(data_dir, source=source, progress=progress.line,
                                         extra_manifest={"refresh": summary})
        except BaseException as exc:
            reason = _one_line(exc)
            if own_client:
                client.close()
            attempt.update(finished_at=_now(), ok=False, error=reason, requests=client.requests,
                           seconds=round(time.monotonic() - started, 1))
            _record(data_dir, last_attempt=attempt,
                    requests={"last_hour": client.log.used_last_hour(), "budget": client.hourly_budget,
                              "as_of": _now()})
            if isinstance(exc, (OpenFECError, BuildError, OSError)):
                raise RefreshError(f"{reason}; the previous snapshot keeps serving") from exc
            raise
        if own_client:
            client.close()
        seconds = round(time.monotonic() - started, 1)
        summary.update(seconds=seconds, snapshot_id=manifest["snapshot_id"], finished_at=_now(),
                       budget_left=client.budget_left())
        attempt.update(finished_at=summary["finished_at"], ok=True, requests=client.requests, seconds=seconds)
        status = _read_json(status_path(data_dir), {})
        coverage = status.get("coverage", {})
        coverage.update(coverage_of_raw(data_dir / "raw", scope.cycles))
        for cycle in scope.cycles:
            coverage[str(cycle)]["pulled_at"] = summary["finished_at"]
        _record(data_dir, last_attempt=attempt, last_success={**attempt, "snapshot_id": manifest["snapshot_id"],
                                                              "rows_stored": job.stored},
                coverage=coverage,
                requests={"last_hour": client.log.used_last_hour(), "budget": client.hourly_budget,
                          "as_of": _now()})
        stored = ", ".join(f"{t} {n:,}" for t, n in job.stored.items() if not t.startswith("openfec_")) or "nothing new"
        progress.line(f"refresh done in {seconds} s: {client.requests} requests ({client.retries} retries), "
                      f"stored {stored}; {client.budget_left()} requests of the hourly budget left; "
                      f"snapshot {manifest['snapshot_id']} published")
        return summary


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text if isinstance(exc, (OpenFECError, RefreshError, BuildError)) else f"{type(exc).__name__}: {text}"


def parse_interval(text: str) -> int:
    """'45s', '30m', '6h', '1d' -> seconds."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", text or "")
    if not match or int(match.group(1)) == 0:
        raise RefreshError(f"interval {text!r} is not like 30m, 6h or 1d")
    return int(match.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def run_every(data_dir: Path, scope: Scope, interval: str, progress: Progress | None = None) -> None:
    """Refresh now and then every `interval`, in this process, until interrupted. A run that
    fails is recorded and the schedule goes on; runs never overlap (one job instance, and the
    refresh lock against other processes)."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    seconds = parse_interval(interval)
    progress = progress or Progress()

    def job():
        try:
            run_refresh(data_dir, scope, progress=progress)
        except Exception as exc:  # recorded in the status; the next run tries again
            progress.line(f"refresh failed: {_one_line(exc)}")

    scheduler = BlockingScheduler(timezone=timezone.utc)
    scheduler.add_job(job, IntervalTrigger(seconds=seconds), next_run_time=datetime.now(timezone.utc),
                      max_instances=1, coalesce=True, misfire_grace_time=seconds)
    progress.line(f"refreshing every {interval}; stop with Ctrl-C")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


# ------------------------------------------------------------------------------------ for the data page
# (Here rather than in dashboard/queries/: they read the status file, not the snapshot. A failed
# attempt publishes nothing, yet the page must say that it failed.)
def refresh_health(data_dir: Path | None = None) -> dict:
    """Facts about the last refreshes; an empty dict when none has ever run here."""
    status = read_status(Path(data_dir) if data_dir else config.data_dir())
    if not status:
        return {}
    success = status.get("last_success") or {}
    attempt = status.get("last_attempt") or {}
    requests = status.get("requests") or {}
    return {
        "last_success_at": success.get("finished_at"), "last_success_scope": success.get("scope"),
        "last_success_requests": success.get("requests"), "last_success_seconds": success.get("seconds"),
        "last_attempt_at": attempt.get("started_at"), "last_attempt_ok": attempt.get("ok"),
        "last_attempt_error": attempt.get("error"), "api_url": attempt.get("api_url") or success.get("api_url"),
        "requests_last_hour": requests.get("last_hour"), "hourly_budget": requests.get("budget"),
        "requests_as_of": requests.get("as_of"),
    }


def refresh_coverage(data_dir: Path | None = None):
    """Per refreshed cycle: what the API raw data holds and when it was pulled (a DataFrame)."""
    import pandas as pd

    status = read_status(Path(data_dir) if data_dir else config.data_dir())
    rows = [{"cycle": int(cycle), **facts} for cycle, facts in (status.get("coverage") or {}).items()]
    columns = ["cycle", "candidates", "committees", "reports", "receipts", "data_through", "pulled_at"]
    return pd.DataFrame(rows, columns=columns).sort_values("cycle", ignore_index=True)
