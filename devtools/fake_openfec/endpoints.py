"""The OpenFEC paths the fake answers, each with the API's envelope: offset pagination
(`page`/`per_page`, an empty page past the end) everywhere but Schedules A and E, whose keyset
pagination (`last_index` + `last_<sort>` or `sort_null_only`) lives in schedule_a.py and
schedule_e.py (with Schedule E's raw e-filed twin, offset paginated)."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd

from dashboard.core import fec
from devtools.fake_openfec import records
from devtools.fake_openfec.data import FakeData
from devtools.fake_openfec.errors import ApiError, message, not_found
from devtools.fake_openfec.faults import FakeSettings
from devtools.fake_openfec.params import Args, check_committee_id
from devtools.fake_openfec.schedule_a import schedule_a
from devtools.fake_openfec.schedule_e import schedule_e, schedule_e_efile

ELECTION_YEARS = {"H": 2, "S": 6, "P": 4}
REPORT_ENTITY = {
    "house-senate": ("H", "S"),
    "presidential": ("P",),
    "pac-party": ("N", "Q", "O", "V", "W", "X", "Y"),
    "pac": ("N", "Q", "O", "V", "W"),
    "party": ("X", "Y"),
    "ie-only": ("I",),
}


class FakeApi:
    def __init__(self, data: FakeData, settings: FakeSettings):
        self.data, self.settings = data, settings
        self._cache: dict = {}

    def route(self, path: str, args: Args) -> dict:
        """The answer to a GET of `path` (without its trailing slash)."""
        parts = path.strip("/").split("/")
        if not parts or parts[0] != "v1":
            raise not_found()
        rest = parts[1:]
        if rest in (["candidates"], ["candidates", "search"]):
            return self.candidates(args)
        if rest == ["candidates", "totals"]:
            return self.candidate_totals(args)
        if rest == ["committees"]:
            return self.committees(args)
        if rest == ["elections", "search"]:
            return self.election_search(args)
        if len(rest) == 2 and rest[0] == "reports":
            return self.reports(args, entity_type=rest[1])
        if len(rest) == 3 and rest[0] == "committee" and rest[2] == "reports":
            return self.reports(args, committee_id=rest[1].upper())
        if rest == ["schedules", "schedule_a"]:
            return schedule_a(self.data, self.settings, args)
        if rest == ["schedules", "schedule_e"]:
            return schedule_e(self.data, self.settings, args, self.cached)
        if rest == ["schedules", "schedule_e", "efile"]:
            return schedule_e_efile(self.data, self.settings, args)
        raise not_found()

    def offset_page(self, rows, args: Args, to_json=None, capped: bool = True) -> dict:
        """One page of `rows` (a list of dicts, or a DataFrame whose page rows `to_json` turns
        into dicts)."""
        per_page = args.per_page(capped)
        page = args.page()
        count = len(rows)
        chunk = rows[(page - 1) * per_page : page * per_page]
        if to_json is not None:
            chunk = [to_json(r) for r in chunk.itertuples()]
        return {
            "api_version": "1.0",
            "pagination": {
                "count": count,
                "is_count_exact": True,
                "page": page,
                "pages": math.ceil(count / per_page),
                "per_page": per_page,
            },
            "results": chunk,
        }

    def visible_reports(self) -> pd.DataFrame:
        """The reports loaded by the fake's clock (`as_of`), all of them without one."""
        reports = self.data.reports
        if self.settings.as_of is not None:
            reports = reports[reports["load_date"] <= self.settings.as_of]
        return reports

    def cached(self, name: str, args: Args, compute):
        """Answers that are costly to compute are kept per question (paging aside) and clock."""
        key = (
            name,
            self.settings.as_of,
            tuple(sorted((k, tuple(v)) for k, v in args.q.items() if k not in ("page", "per_page"))),
        )
        cache = self._cache
        if key not in cache:
            if len(cache) > 256:
                cache.clear()
            cache[key] = compute()
        return cache[key]

    # -- /candidates/ and /candidates/search/
    def candidates(self, args: Args) -> dict:
        offices = args.offices()
        rows = self.data.candidates_latest
        cycles = args.ints("cycle")
        if cycles:
            cands = self.data.candidates
            rows = rows[rows["candidate_id"].isin(set(cands[cands["cycle"].isin(cycles)]["candidate_id"]))]
        rows = filter_in(rows, "candidate_id", args.candidate_ids())
        rows = filter_in(rows, "office", offices)
        rows = filter_in(rows, "state", args.list("state", upper=True))
        rows = filter_in(rows, "district", args.districts())
        rows = filter_in(rows, "party", args.list("party", upper=True))
        rows = sort_rows(
            rows,
            args.one("sort") or "name",
            {"name", "candidate_id", "state", "office", "district", "party", "-name", "-candidate_id"},
        )
        return self.offset_page(rows, args, records.candidate)

    # -- /committees/
    def committees(self, args: Args) -> dict:
        rows = self.data.committees_latest
        cycles = args.ints("cycle")
        if cycles:
            cmtes = self.data.committees
            rows = rows[rows["committee_id"].isin(set(cmtes[cmtes["cycle"].isin(cycles)]["committee_id"]))]
        rows = filter_in(rows, "committee_id", args.committee_ids())
        rows = filter_in(rows, "designation", args.list("designation", upper=True))
        rows = filter_in(rows, "committee_type", args.list("committee_type", upper=True))
        rows = filter_in(rows, "state", args.list("state", upper=True))
        wanted_candidates = args.candidate_ids()
        if wanted_candidates:
            links = self.data.linkages
            rows = rows[
                rows["committee_id"].isin(set(links[links["candidate_id"].isin(wanted_candidates)]["committee_id"]))
            ]
        rows = sort_rows(rows, args.one("sort") or "name", {"name", "committee_id", "-name", "-committee_id"})
        return self.offset_page(rows, args, records.committee)

    # -- /reports/{entity_type}/ and /committee/{id}/reports/
    def reports(self, args: Args, entity_type: str | None = None, committee_id: str | None = None) -> dict:
        reports = self.visible_reports()
        if entity_type is not None:
            if entity_type not in REPORT_ENTITY:
                raise not_found()
            cmtes = self.data.committees
            of_type = self.cached(
                f"entity:{entity_type}",
                Args({}),
                lambda: set(cmtes[cmtes["committee_type"].isin(REPORT_ENTITY[entity_type])]["committee_id"]),
            )
        ids = args.committee_ids()
        if committee_id:
            check_committee_id(committee_id)
            ids = [committee_id]
        reports = filter_in(reports, "committee_id", ids)
        if entity_type is not None:
            reports = reports[reports["committee_id"].isin(of_type)]
        reports = filter_in(reports, "cycle", args.ints("cycle"))
        reports = filter_in(reports, "report_type", args.list("report_type", upper=True))
        is_amended = args.bool("is_amended")
        superseded = self.cached(
            "superseded", Args({}), lambda: set(self.visible_reports()["previous_file_number"].dropna().astype(int))
        )
        if is_amended is not None:
            stale = reports["file_number"].isin(superseded)
            reports = reports[stale] if is_amended else reports[~stale]
        reports = sort_rows(
            reports,
            args.one("sort") or "-coverage_end_date",
            {"-coverage_end_date", "coverage_end_date", "file_number", "-file_number"},
            rename={"coverage_end_date": "coverage_end"},
        )
        to_json = partial(records.report, committee_by_cycle=self.data.committee_by_cycle, superseded=superseded)
        return self.offset_page(reports, args, to_json)

    # -- /candidates/totals/
    def candidate_totals(self, args: Args) -> dict:
        """Like the API: over the candidate's P and A committees, newest report versions, all
        two-year periods of the election when election_full (House 2, Senate 6, President 4
        years); gross receipts (transfers between the candidate's committees included)."""
        election_full = args.bool("election_full", True)
        offices = args.offices()
        cands = self.data.candidates
        cycles = args.ints("cycle") or args.ints("election_year")
        rows = cands[cands["cycle"].isin(cycles)] if cycles else cands
        rows = filter_in(rows, "office", offices)
        rows = filter_in(rows, "state", args.list("state", upper=True))
        rows = filter_in(rows, "district", args.districts())
        rows = filter_in(rows, "candidate_id", args.candidate_ids())
        rows = rows.drop_duplicates(["candidate_id", "election_year" if election_full else "cycle"])
        out = self.cached("totals", args, lambda: self.totals(rows, election_full))
        out = sort_rows(
            out,
            args.one("sort") or "-election_year",
            {"-election_year", "election_year", "candidate_id", "-receipts", "receipts", "name"},
        )
        return self.offset_page(out, args, partial(records.candidate_total, election_full=election_full))

    def totals(self, rows: pd.DataFrame, election_full: bool) -> pd.DataFrame:
        """Money of each candidate row over its election (or its cycle), one row per
        (candidate_id, anchor) where anchor is the election year (or the cycle)."""
        reports = self.visible_reports()
        current = reports[~reports["file_number"].isin(set(reports["previous_file_number"].dropna().astype(int)))]
        latest = current.sort_values("coverage_end").groupby(["committee_id", "cycle"]).tail(1)
        per_cmte = (
            current.groupby(["committee_id", "cycle"])
            .agg(
                receipts=("receipts", "sum"),
                disbursements=("disbursements", "sum"),
                individual_itemized=("individual_itemized", "sum"),
                transfers_from_authorized=("transfers_from_authorized", "sum"),
                other_committee_contributions=("other_committee_contributions", "sum"),
                coverage_start=("coverage_start", "min"),
                coverage_end=("coverage_end", "max"),
            )
            .reset_index()
        )
        per_cmte = per_cmte.merge(
            latest[["committee_id", "cycle", "cash_on_hand_end", "debts_owed"]], on=["committee_id", "cycle"]
        )
        spans = rows["office"].map(ELECTION_YEARS) if election_full else pd.Series(2, index=rows.index)
        anchor = rows["election_year"] if election_full else rows["cycle"]
        window = pd.DataFrame(
            {
                "candidate_id": rows["candidate_id"].repeat(spans // 2).to_numpy(),
                "anchor": anchor.repeat(spans // 2).to_numpy(),
            }
        )
        window["cycle"] = window["anchor"] - 2 * window.groupby(["candidate_id", "anchor"]).cumcount()
        links = self.data.linkages[self.data.linkages["designation"].isin(["P", "A"])]
        money = window.merge(
            links[["candidate_id", "cycle", "committee_id"]].drop_duplicates(), on=["candidate_id", "cycle"]
        ).merge(per_cmte, on=["committee_id", "cycle"])
        # Cash and debts: each committee's latest period with a report, summed over committees.
        newest = money.sort_values("cycle").groupby(["candidate_id", "anchor", "committee_id"]).tail(1)
        sums = money.groupby(["candidate_id", "anchor"]).agg(
            receipts=("receipts", "sum"),
            disbursements=("disbursements", "sum"),
            individual_itemized=("individual_itemized", "sum"),
            transfers_from_authorized=("transfers_from_authorized", "sum"),
            other_committee_contributions=("other_committee_contributions", "sum"),
            coverage_start=("coverage_start", "min"),
            coverage_end=("coverage_end", "max"),
        )
        cash = newest.groupby(["candidate_id", "anchor"])[["cash_on_hand_end", "debts_owed"]].sum()
        return rows.assign(anchor=anchor).merge(sums.join(cash).reset_index(), on=["candidate_id", "anchor"])

    # -- /elections/search/
    def election_search(self, args: Args) -> dict:
        offices = []
        for word in args.list("office"):
            if word not in fec.OFFICE_BY_WORD:
                raise ApiError(
                    422,
                    {"message": {"query": {"office": ["Must be one of: house, senate, president."]}}, "status": 422},
                )
            offices.append(fec.OFFICE_BY_WORD[word])
        cands = self.data.candidates
        rows = filter_in(cands, "cycle", args.ints("cycle"))
        rows = filter_in(rows, "office", offices)
        states = args.list("state", upper=True)
        if states:
            rows = rows[rows["state"].isin(states) | rows["office"].eq("P")]
        races = rows[["cycle", "office", "state", "district"]].drop_duplicates()
        races = races.assign(order=races["office"].map({"P": 0, "S": 1, "H": 2}))
        races = races.sort_values(["cycle", "order", "state", "district"])
        out = [
            {"cycle": int(r.cycle), "office": r.office, "state": r.state, "district": r.district}
            for r in races.itertuples()
        ]
        return self.offset_page(out, args)


def filter_in(frame: pd.DataFrame, column: str, values) -> pd.DataFrame:
    return frame[frame[column].isin(values)] if values else frame


def sort_rows(frame: pd.DataFrame, sort: str, allowed: set[str], rename: dict | None = None) -> pd.DataFrame:
    """`sort` (a column, `-` for descending) if the endpoint allows it, ties broken by id."""
    if sort not in allowed:
        raise message(422, f'Cannot sort on value "{sort}"')
    column = sort.lstrip("-")
    column = (rename or {}).get(column, column)
    keys = [column] + [k for k in ("candidate_id", "committee_id", "file_number") if k in frame.columns and k != column]
    return frame.sort_values(keys, ascending=not sort.startswith("-"), kind="stable")
