"""The pull: page through the OpenFEC API for a scope and keep every page in `refresh/pending/`.

Each page is written under a temporary name and renamed, and `refresh/state.json` records after
each file how far every query got, so a run that is killed, runs out of its hourly request
budget or meets an API that keeps failing stops, and the next run with the same scope resumes
from there. Nothing here touches `raw/`: `commit.py` moves the pending rows there once the whole
scope is pulled.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import asdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.core.fec import OFFICE_WORDS, OFFICES
from dashboard.pipeline.openfec.client import OpenFECClient
from dashboard.pipeline.openfec.rows import (
    candidate_row,
    committee_row,
    report_row,
    schedule_a_row,
    schedule_e_row,
    schema_of,
    summary_row,
    to_table,
)
from dashboard.pipeline.progress import Progress
from dashboard.store import files, layout

if TYPE_CHECKING:
    from dashboard.pipeline.openfec.refresh import Scope

# The reports/<entity>/ endpoint that answers for each committee type.
REPORT_ENTITY = {"H": "house-senate", "S": "house-senate", "P": "presidential"}
COMMITTEE_BATCH = 10  # Schedule A and reports take at most 10 committee_id values
PER_PAGE = 100
FLUSH_ROWS = 5_000  # receipts kept in memory before they are written to pending/
STATE_VERSION = 1
# Watermarks of outside spending, kept per cycle beside the committees' receipt watermarks: the
# newest filing date of processed Schedule E pulled, and the newest filed date of e-filed notices.
OUTSIDE_MARK = "schedule_e:filing_date"
NOTICES_MARK = "schedule_e:efile_filed_date"
# A filing's date is when the FEC received it, not when it was processed: the processed view may take
# a filing received before the watermark day after it, so each pull looks back this far (re-pulled
# lines are stored once, by sub_id).
OUTSIDE_LOOKBACK_DAYS = 7


class Refresh:
    """One refresh of a scope: its resumable state (`refresh/state.json`), the pages pulled so far
    (`refresh/pending/`) and what this process pulled and stored."""

    def __init__(self, data_dir: Path, scope: Scope, client: OpenFECClient, progress: Progress):
        self.data_dir = Path(data_dir).resolve()
        self.scope = scope
        self.client = client
        self.progress = progress
        self.dir = layout.refresh_dir(self.data_dir)
        self.pending = self.dir / "pending"
        self.state_path = self.dir / "state.json"
        self.state = files.read_json(self.state_path, {})
        if self.state.get("version") != STATE_VERSION:
            self.state = {"version": STATE_VERSION, "watermarks": {}, "run": None}
        self.pulled = {}  # table -> rows pulled in this process
        self.stored = {}  # table -> rows newly stored in raw/ by the commit

    def save_state(self):
        files.write_json(self.state_path, self.state)

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
            run = {
                "id": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6],
                "scope": scope,
                "started_at": now(),
                "done": [],
                "plan": {},
                "cursors": {},
                "watermarks": {},
            }
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
        files.write_parquet(to_table(rows, table), path)

    def pending_table(self, table: str, cycle: int, tag: str = "") -> pa.Table | None:
        """The pending rows of a table and cycle (of one kind only, when `tag` says which)."""
        paths = sorted((self.pending / table).glob(f"{cycle}-{tag}*.parquet"))
        if not paths:
            return None
        return pa.concat_tables([pq.read_table(f, schema=schema_of(table)) for f in paths])

    # -- pull
    def pull(self):
        for cycle in self.scope.cycles:
            self.pull_entities(cycle)
            self.pull_reports(cycle)
            self.pull_receipts(cycle)
            self.pull_outside(cycle)
            self.pull_notices(cycle)

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
        api_candidates = self._offset_rows(
            "candidates/", {"cycle": cycle, "office": list(scope.offices), "state": states, "sort": "candidate_id"}
        )
        candidates = {c["candidate_id"]: candidate_row(c, cycle) for c in api_candidates}
        committee_params = {
            "cycle": cycle,
            "designation": ["P", "A"],
            "committee_type": list(scope.offices),
            "sort": "committee_id",
        }
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
                linkages.append(
                    {
                        "candidate_id": cand_id,
                        "election_year": candidates[cand_id]["election_year"],
                        "cycle": cycle,
                        "committee_id": c["committee_id"],
                        "committee_type": c.get("committee_type"),
                        "designation": c.get("designation"),
                        "linkage_id": None,
                    }
                )
                if c.get("designation") == "P" and candidates[cand_id]["principal_committee_id"] is None:
                    candidates[cand_id]["principal_committee_id"] = c["committee_id"]
        # The FEC's own totals per candidate ID: the two-year period, and the whole election (Senate six
        # years, President four) for candidacies whose election is this cycle.
        totals = [
            summary_row(t, cycle)
            for full in ("false", "true")
            for t in self._offset_rows(
                "candidates/totals/",
                {
                    "cycle": cycle,
                    "election_full": full,
                    "office": list(scope.offices),
                    "state": states,
                    "sort": "candidate_id",
                },
            )
        ]
        races = []
        for office in scope.offices:
            races += [
                {
                    "cycle": int(r["cycle"]),
                    "office": r["office"],
                    "state": r["state"],
                    "district": r.get("district") or "00",
                }
                for r in self._offset_rows(
                    "elections/search/", {"cycle": cycle, "office": OFFICE_WORDS[office], "state": states}
                )
            ]
        # The plan of the itemized pulls is fixed now, so a resumed run asks the same questions.
        marks = self.state["watermarks"].get(str(cycle), {})
        ids = sorted(c["committee_id"] for c in committees)
        type_of = {c["committee_id"]: c["committee_type"] for c in committees}
        by_entity: dict[str, list[str]] = {}
        for cid in ids:
            by_entity.setdefault(REPORT_ENTITY.get(type_of[cid], "house-senate"), []).append(cid)
        reports_plan = [
            {"entity": entity, "ids": chunk}
            for entity, cids in sorted(by_entity.items())
            for chunk in _chunks(cids, COMMITTEE_BATCH)
        ]
        by_mark = sorted(ids, key=lambda cid: (marks.get(cid) or "", cid))
        receipts_plan = []
        for chunk in _chunks(by_mark, COMMITTEE_BATCH):
            seen = [marks.get(cid) for cid in chunk]
            receipts_plan.append({"ids": chunk, "min_load_date": None if None in seen else min(seen)})
        for table, rows in (
            ("candidates", list(candidates.values())),
            ("committees", committees),
            ("linkages", linkages),
            ("candidate_summaries", totals),
            ("openfec_races", races),
        ):
            self.store_pending(table, cycle, rows, "entities")
        self.run["plan"][str(cycle)] = {
            "reports": reports_plan,
            "receipts": receipts_plan,
            "outside": {mark: marks.get(mark) for mark in (OUTSIDE_MARK, NOTICES_MARK)},
        }
        self.step_done(key)
        self.progress.line(
            f"{cycle}: {len(candidates):,} candidates, {len(committees):,} committees, "
            f"{len(races):,} races, {len(totals):,} FEC candidate totals "
            f"({self.client.requests} requests so far)"
        )

    def pull_reports(self, cycle: int):
        plan = self.run["plan"][str(cycle)]["reports"]
        self.progress.start_bar()
        for i, batch in enumerate(plan):
            key = f"{cycle}:reports:{i}"
            if key not in self.run["done"]:
                rows = self._offset_rows(
                    f"reports/{batch['entity']}/",
                    {"committee_id": batch["ids"], "cycle": cycle, "sort": "-coverage_end_date"},
                )
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
                params = {
                    "committee_id": batch["ids"],
                    "two_year_transaction_period": cycle,
                    "sort": "contribution_receipt_date",
                    "min_load_date": batch["min_load_date"],
                }
                cursor = self.run["cursors"].get(key)
                buffered: list[dict] = []
                for page, next_cursor in self.client.keyset_pages(
                    "schedules/schedule_a/", params, cursor=cursor, per_page=PER_PAGE
                ):
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

    # -- outside spending
    def outside_filters(self, many_offices: bool = True) -> dict:
        """Server-side filters of the scope (the raw e-filed view takes one office only)."""
        scope, params = self.scope, {}
        if set(scope.offices) != set(OFFICES) and (many_offices or len(scope.offices) == 1):
            params["candidate_office"] = list(scope.offices) if many_offices else scope.offices[0]
        if scope.states and "P" not in scope.offices:
            params["candidate_office_state"] = list(scope.states)
        return params

    def in_scope(self, row: dict) -> bool:
        """A line about a candidate of the scope's offices and states (or about none named)."""
        office, state = row["candidate_office"], row["candidate_state"]
        if office and office not in self.scope.offices:
            return False
        return not (self.scope.states and office != "P" and state and state not in self.scope.states)

    def store_spenders(self, cycle: int, spenders: dict[str, dict]):
        """The spenders' committees, as the Schedule E lines nest them, beside the candidates' own
        (which the entity pull already has): the builder names and classifies spenders by them.
        A spender that is no registered committee (no committee type) is named by its lines."""
        pulled = self.pending_table("committees", cycle, "entities")
        known = set(pulled["committee_id"].to_pylist()) if pulled is not None else set()
        rows = [row for cid, row in sorted(spenders.items()) if cid not in known and row["committee_type"]]
        self.store_pending("committees", cycle, rows, "spenders")
        spenders.clear()

    def pull_outside(self, cycle: int):
        """Processed Schedule E of the cycle (keyset): the newest version of regular lines and every
        notice version, since the last filing date pulled (that day again; stored once by sub_id)."""
        key = f"{cycle}:outside"
        if key in self.run["done"]:
            return
        plan = self.run["plan"][str(cycle)].get("outside", {})
        marks = self.run["watermarks"].setdefault(str(cycle), {})
        since = plan.get(OUTSIDE_MARK)
        if since:
            since = (date.fromisoformat(since) - timedelta(days=OUTSIDE_LOOKBACK_DAYS)).isoformat()
        params = {
            "cycle": cycle,
            "sort": "expenditure_date",  # ascending: lines without a date come last, none skipped
            "min_filing_date": since,
            **self.outside_filters(),
        }
        buffered: list[dict] = []
        spenders: dict[str, dict] = {}
        for page, next_cursor in self.client.keyset_pages(
            "schedules/schedule_e/", params, cursor=self.run["cursors"].get(key), per_page=PER_PAGE
        ):
            for api in page:
                filed = (api.get("filing_date") or "")[:10]
                if filed > (marks.get(OUTSIDE_MARK) or ""):
                    marks[OUTSIDE_MARK] = filed
                if api.get("committee"):
                    spenders[api["committee_id"]] = committee_row(api["committee"], cycle)
            buffered += [row for row in (schedule_e_row(api, cycle) for api in page) if self.in_scope(row)]
            if next_cursor is not None and len(buffered) >= FLUSH_ROWS:
                self.store_pending("schedule_e", cycle, buffered, "outside")
                self.store_spenders(cycle, spenders)
                buffered = []
                self.run["cursors"][key] = next_cursor
                self.save_state()
        self.store_pending("schedule_e", cycle, buffered, "outside")
        self.store_spenders(cycle, spenders)
        self.run["cursors"].pop(key, None)
        self.step_done(key)
        self.progress.line(f"{cycle}: {self.pulled.get('schedule_e', 0):,} outside spending lines so far")

    def pull_notices(self, cycle: int):
        """The 24/48-hour notices e-filed in the cycle's two years (the raw view keeps about four
        months) since the last filed date pulled: they arrive before the processed view has them.
        The commit keeps only those the processed view does not hold yet (commit.keep_new_notices)."""
        key = f"{cycle}:notices"
        if key in self.run["done"]:
            return
        plan = self.run["plan"][str(cycle)].get("outside", {})
        marks = self.run["watermarks"].setdefault(str(cycle), {})
        since = max(plan.get(NOTICES_MARK) or "", f"{cycle - 1}-01-01")
        params = {
            "is_notice": "true",
            "min_filed_date": since,
            "max_filed_date": f"{cycle}-12-31",
            **self.outside_filters(many_offices=False),
        }
        rows = []
        spenders: dict[str, dict] = {}
        for api in self._offset_rows("schedules/schedule_e/efile/", params):
            filed = ((api.get("filing") or {}).get("filed_date") or "")[:10]
            if filed > (marks.get(NOTICES_MARK) or ""):
                marks[NOTICES_MARK] = filed
            if api.get("committee"):
                spenders[api["committee_id"]] = committee_row(api["committee"], cycle)
            row = schedule_e_row(api, cycle)
            if self.in_scope(row):
                rows.append(row)
        self.store_pending("schedule_e", cycle, rows, "notices")
        self.store_spenders(cycle, spenders)
        self.step_done(key)

    def _detail(self) -> str:
        return (
            f"{self.pulled.get('schedule_a', 0):,} receipts, {self.client.requests} requests, "
            f"budget left {self.client.budget_left()}"
        )


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def now() -> str:
    """The time in UTC to the second, as the state and the status record it."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
