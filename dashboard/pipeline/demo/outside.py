"""Outside spending (Schedule E) of one cycle: super PACs, party committees, PACs and nonprofits
spending for and against the candidates of competitive races, mostly in the last months before the
election, filed with the real data's traps in place:
- 24/48-hour notices (is_notice) later repeated by the spender's regular report (Form 3X; Form 5 for a
  group that is no committee) with the same transaction ID, candidate and expenditure date; recent
  notices not repeated yet (a monthly filer's report covering September comes after the demo's today);
- notices amended by a later notice (new file number, indicator 'A', sometimes a corrected amount);
- regular reports amended (previous_file_number names the replaced filing, whose lines stay in the data);
- memo lines (memo 'X') detailing a line's subvendors;
- lines naming the candidate only by name, office, state and district (blank candidate ID), and a few
  naming someone who is no candidate of the cycle (the builder lists them, never guesses);
- filers restarting transaction IDs (SE.1, SE.2, ...) in every notice;
- Form 5 lines without a dissemination date (the money is then placed on the expenditure date).

The spending has its own random stream (generator.OUTSIDE_STREAM) so the rest of the demo stays as it
was. `OutsideCycle.expenditures` is the bookkeeping the truth is made from: each expenditure once, at
its final amount, as regular money when its regular report is filed, else as notice money.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from dashboard.core.geography import ELECTION_DAY
from dashboard.core.normalize import fold_name
from dashboard.pipeline.demo import names
from dashboard.pipeline.demo.committees import Committee, StandingCommittees
from dashboard.pipeline.demo.periods import AS_OF, CycleCalendar
from dashboard.pipeline.demo.races import CycleWorld
from dashboard.pipeline.demo.serials import Serials

# Expenditures a cycle gets: a floor, so the small test demo has a few thousand, plus a share of the
# cycle's itemized rows, so the 40M-row bench demo has hundreds of thousands a cycle.
BASE_EXPENDITURES = 1_500
EXPENDITURES_PER_ITEMIZED_ROW = 0.02
# Outside money of a cycle as a share of the candidates' own receipts, as in recent real cycles
# (about 0.4); amounts are scaled down towards it, but never below a quarter of their drawn size, so
# a small demo keeps its notices (whose thresholds are in dollars).
OUTSIDE_SHARE_OF_RECEIPTS = 0.4
SMALLEST_AMOUNT_SCALE = 0.25

# Money on a race by office, before its closeness (the two major candidates' fundraising ratio).
OFFICE_SPEND = {"H": 1.0, "S": 6.0, "P": 25.0}
OFFICE_AMOUNT = {"H": 1.0, "S": 2.0, "P": 3.0}
TARGETED_HOUSE_RACES = 60  # the rest of the House gets a trickle
# Median dollars and spread of one expenditure, by spender type.
AMOUNT = {"super_pac": (20_000, 1.5), "party": (15_000, 1.4), "pac": (3_000, 1.0), "nonprofit": (8_000, 1.3)}
MAX_AMOUNT_CENTS = 5_000_000_00
MIN_AMOUNT_CENTS = 150_00
# 52 U.S.C. 30104(c)(2), (g): 48-hour notices from $10,000, 24-hour notices from $1,000 within 20 days.
NOTICE_48_CENTS = 10_000_00
NOTICE_24_CENTS = 1_000_00
LAST_MINUTE_DAYS = 20
AMENDED_NOTICE_SHARE = 0.08  # of notices
AMENDED_REPORT_SHARE = 0.06  # of regular reports (a quarter of those amended twice)
MEMO_SHARE = 0.04  # of expenditures, detailed by two memo lines
NAMED_ONLY_SHARE = 0.03  # of the expenditures of filers that usually give the candidate ID
NO_SUCH_CANDIDATE_PER = 2_000  # one expenditure naming someone who is no candidate, per this many

PURPOSES = (
    ("TV AD BUY", "004", "DEMO SIGNAL MEDIA BUYING LLC"),
    ("DIGITAL ADVERTISING", "004", "DEMO CLICKWORKS DIGITAL"),
    ("DIRECT MAIL", "006", "DEMO MAILHOUSE PRINTING INC"),
    ("CANVASSING", "007", "DEMO FIELD PARTNERS LLC"),
    ("RADIO AD", "004", "DEMO AIRWAVES PLACEMENT"),
    ("TEXT MESSAGES", "004", "DEMO TEXTLINE STRATEGIES"),
    ("PHONE CALLS", "004", "DEMO DIALER SERVICES"),
    ("AD PRODUCTION", "004", "DEMO CUTROOM PRODUCTIONS"),
)
SUBVENDORS = ("DEMO STATION GROUP", "DEMO POSTAGE ACCOUNT", "DEMO PRINT SHOP")


@dataclass(eq=False)
class Spender:
    committee: Committee
    kind: str  # core.fec.SPENDER_TYPES
    lean: str | None  # the party it spends for; None: backs incumbents and front-runners
    weight: float
    monthly: bool  # files monthly: its report covering a month comes on the 20th of the next
    restarts_ids: bool = False  # numbers each notice's lines SE.1, SE.2, ...
    names_only: bool = False  # names the candidate without the candidate ID
    state: str | None = None  # a state party spends in its own state only
    new: bool = False  # made here, not one of the standing committees: written with each cycle's

    @property
    def form(self) -> str:
        return "F5" if self.committee.committee_type == "I" else "F3X"


def make_spenders(rng: np.random.Generator, serials: Serials, standing: StandingCommittees) -> list[Spender]:
    """The standing super PACs, parties and PACs, plus super PACs and groups that only spend."""
    spenders = []
    for c in standing.pacs:
        if c.committee_type == "O":
            spenders.append(Spender(c, "super_pac", c.party, 3.0, monthly=True))
        else:
            spenders.append(Spender(c, "pac", None, 0.25, monthly=False))
    for c in standing.parties:
        if c.committee_type == "Y":
            spenders.append(Spender(c, "party", c.party, 3.0, monthly=True))
        else:
            spenders.append(Spender(c, "party", c.party, 0.5, monthly=False, state=c.state))
    words = ("MAJORITY", "FORWARD", "COMMON GROUND", "NEW DIRECTION", "HOMETOWN", "FREEDOM", "TOMORROW", "SECURE")
    for i, word in enumerate(words):
        party = ("DEM", "REP")[i % 2]
        cmte = Committee(serials.outside_committee_id(), f"DEMO {word} PAC", "O", "U", party, "DC", kind="pac")
        weight = float(rng.lognormal(0.7, 0.6))
        spenders.append(Spender(cmte, "super_pac", party, weight, monthly=True, restarts_ids=i == 3, new=True))
    causes = ("SOUND BUDGETS", "CLEAN WATER", "WORKING FAMILIES", "SAFE STREETS", "RURAL AMERICA", "FAIR TAXES")
    for i, cause in enumerate(causes):
        party = ("DEM", "REP")[i % 2]
        name = f"DEMO CITIZENS FOR {cause} INC"
        cmte = Committee(serials.outside_group_id(), name, "I", "U", None, "VA", kind="group")
        spenders.append(
            Spender(
                cmte,
                "nonprofit",
                party,
                float(rng.lognormal(0, 0.5)),
                monthly=False,
                restarts_ids=i in (1, 4),
                names_only=i % 3 == 0,
                new=True,
            )
        )
    return spenders


@dataclass(eq=False)
class OutsideCycle:
    lines: dict[str, np.ndarray]  # raw schedule_e columns: every line of every filed version
    expenditures: pd.DataFrame  # one row per expenditure reported so far: what counts, once
    committees: list[Committee] = field(default_factory=list)  # spenders to add to the cycle's committees


def make_outside(
    rng: np.random.Generator,
    serials: Serials,
    spenders: list[Spender],
    world: CycleWorld,
    calendar: CycleCalendar,
    count: int,
    receipts_cents: int = 0,
) -> OutsideCycle:
    """About `count` expenditures of the cycle (those after the demo's today dropped), filed as notices
    and regular reports; only what is reported by the demo's today is in the lines and the bookkeeping.
    `receipts_cents`: the candidates' receipts of the cycle, which the amounts are scaled towards."""
    exp = _draw_expenditures(rng, spenders, world, calendar, count, receipts_cents)
    _name_candidates(rng, exp, world)
    reported = _schedule(rng, exp, spenders, calendar)
    exp = {k: v[reported] for k, v in exp.items()}
    blocks = _filings(rng, serials, exp, spenders)
    lines = _lines(rng, serials, exp, blocks, spenders, world.cycle)
    return OutsideCycle(lines, _bookkeeping(exp, spenders, world), [s.committee for s in spenders if s.new])


# --- What was spent -------------------------------------------------------------------------------


def _races(world: CycleWorld) -> dict[str, np.ndarray]:
    """Contested races: their two major-party candidates (DEM, REP), front-runner and weight."""
    by_race: dict[tuple, list[int]] = {}
    for i, c in enumerate(world.candidates):
        by_race.setdefault((c.office, c.state, c.district), []).append(i)
    rows = []
    for (office, state, _), idx in by_race.items():
        if len(idx) < 2:
            continue
        a, b = world.candidates[idx[0]], world.candidates[idx[1]]  # the first two are DEM and REP
        dem, rep = (idx[0], idx[1]) if a.party == "DEM" else (idx[1], idx[0])
        front = idx[0] if a.incumbent_challenge == "I" or a.weight >= b.weight else idx[1]
        closeness = min(a.weight, b.weight) / max(a.weight, b.weight)
        rows.append((dem, rep, front, office, state, OFFICE_SPEND[office] * closeness**3))
    races = {
        "dem": np.array([r[0] for r in rows]),
        "rep": np.array([r[1] for r in rows]),
        "front": np.array([r[2] for r in rows]),
        "office": np.array([r[3] for r in rows], dtype=object),
        "state": np.array([r[4] for r in rows], dtype=object),
        "weight": np.array([r[5] for r in rows]),
    }
    house = np.flatnonzero(races["office"] == "H")
    trickle = house[np.argsort(-races["weight"][house], kind="stable")][TARGETED_HOUSE_RACES:]
    races["weight"][trickle] *= 0.02
    races["other"] = np.where(races["front"] == races["dem"], races["rep"], races["dem"])
    return races


def _draw_expenditures(
    rng, spenders: list[Spender], world: CycleWorld, calendar: CycleCalendar, count: int, receipts_cents: int = 0
) -> dict:
    races = _races(world)
    election = np.datetime64(ELECTION_DAY[world.cycle], "D")
    start = np.datetime64(calendar.start, "D")
    span = int((election - start).astype(int))
    weights = np.array([s.weight for s in spenders])
    per_spender = rng.multinomial(count, weights / weights.sum())
    parts = []
    for si, (s, n) in enumerate(zip(spenders, per_spender)):
        allowed = np.flatnonzero(races["state"] == s.state) if s.state else np.arange(len(races["weight"]))
        if n == 0 or len(allowed) == 0:
            continue
        p = races["weight"][allowed]
        race = rng.choice(allowed, size=n, p=p / p.sum())
        if s.lean:
            ours, theirs = (races["dem"], races["rep"]) if s.lean == "DEM" else (races["rep"], races["dem"])
            support = rng.random(n) < 0.55
            cand = np.where(support, ours[race], theirs[race])
        else:  # a PAC backs the incumbent or front-runner, now and then opposes the challenger
            support = rng.random(n) < 0.93
            cand = np.where(support, races["front"][race], races["other"][race])
        median, sigma = AMOUNT[s.kind]
        office = races["office"][race]
        scale = np.array([OFFICE_AMOUNT[o] for o in office])
        cents = rng.lognormal(np.log(median * 100), sigma, n) * scale
        cents = np.clip(cents, MIN_AMOUNT_CENTS, MAX_AMOUNT_CENTS).astype(np.int64)
        # Mostly the last months before the election, some all through the cycle.
        before = np.where(rng.random(n) < 0.85, 1 + rng.exponential(40, n).astype(int), rng.integers(1, span, n))
        before = np.minimum(before, span)
        lag = np.where(rng.random(n) < 0.5, 0, rng.integers(1, 15, n))
        if s.restarts_ids or s.form == "F5":
            lag[:] = 0  # paid the day it went out
        parts.append(
            {
                "spender": np.full(n, si),
                "cand": cand,
                "support": np.where(support, "S", "O").astype(object),
                "amount": cents,
                "days_before": before,
                "dissemination": election - before,
                "expenditure": np.maximum(election - before - lag, start),
                "purpose": rng.integers(len(PURPOSES), size=n),
                "memo": (rng.random(n) < MEMO_SHARE) & (s.form != "F5"),
                "named_only": np.full(n, s.names_only) | (rng.random(n) < NAMED_ONLY_SHARE),
            }
        )
    exp = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    if receipts_cents:
        scale = min(1.0, max(SMALLEST_AMOUNT_SCALE, OUTSIDE_SHARE_OF_RECEIPTS * receipts_cents / exp["amount"].sum()))
        exp["amount"] = np.maximum(MIN_AMOUNT_CENTS, (exp["amount"] * scale).astype(np.int64))
    happened = exp["dissemination"] <= np.datetime64(AS_OF, "D")
    return {k: v[happened] for k, v in exp.items()}


def _name_candidates(rng, exp: dict, world: CycleWorld):
    """How each expenditure names its candidate: ID and name, or name, office, state and district only
    (where that names one candidate of the cycle); a few name someone who is no candidate."""
    cands = world.candidates

    def key(last: str, office: str, state: str, district: str) -> tuple:
        return fold_name(last), office, state, district if office == "H" else ""

    taken: dict[tuple, int] = {}
    for c in cands:
        k = key(c.name.split(",")[0], c.office, c.state, c.district)
        taken[k] = taken.get(k, 0) + 1
    n = len(exp["cand"])
    cand_id, name, office, state, district, party = (np.empty(n, dtype=object) for _ in range(6))
    matched = np.empty(n, dtype=object)
    by_name = exp["named_only"].copy()
    style = rng.integers(3, size=n)
    bare_district = rng.random(n) < 0.5
    for i, ci in enumerate(exp["cand"]):
        c = cands[ci]
        last, first = c.name.split(", ")
        office[i], state[i], party[i], matched[i] = c.office, c.state, c.party, c.candidate_id
        district[i] = c.district if c.office == "H" else None
        if by_name[i] and taken[key(last, c.office, c.state, c.district)] == 1:
            cand_id[i] = None
            name[i] = (c.name, f"{last.title()}, {first.title()}", last)[style[i]]
            if c.office == "H" and bare_district[i]:
                district[i] = c.district.lstrip("0") or "0"
        else:
            by_name[i] = False
            cand_id[i], name[i] = c.candidate_id, c.name
    # Someone who is no candidate of the cycle: a name the filer typed for a race nobody of that name runs in.
    for i in rng.choice(n, size=max(2, n // NO_SUCH_CANDIDATE_PER), replace=False):
        race = cands[exp["cand"][i]]
        while True:
            last, first = _person(rng)
            if key(last, race.office, race.state, race.district) not in taken:
                break
        cand_id[i], name[i], matched[i], party[i], by_name[i] = None, f"{last}, {first}", None, None, True
    exp.update(
        cand_id=cand_id,
        cand_name=name,
        office=office,
        state=state,
        district=district,
        party=party,
        matched=matched,
        named_only=by_name,
    )


def _person(rng) -> tuple[str, str]:
    last = (
        names.SURNAME_HEADS[rng.integers(len(names.SURNAME_HEADS))]
        + names.SURNAME_TAILS[rng.integers(len(names.SURNAME_TAILS))]
    )
    return last, names.GIVEN_NAMES[rng.integers(len(names.GIVEN_NAMES))]


# --- When and how it was reported ------------------------------------------------------------------


def _schedule(rng, exp: dict, spenders: list[Spender], calendar: CycleCalendar) -> np.ndarray:
    """Which notice and which regular report each expenditure is in; returns which were reported by
    the demo's today (the others are not in the data yet)."""
    as_of = np.datetime64(AS_OF, "D")
    day = exp["dissemination"]
    last_minute = exp["days_before"] <= LAST_MINUTE_DAYS
    exp["notice"] = (last_minute & (exp["amount"] >= NOTICE_24_CENTS)) | (exp["amount"] >= NOTICE_48_CENTS)
    exp["notice_type"] = np.where(last_minute, "24", "48").astype(object)
    # The regular report covering the dissemination day: a month for monthly filers, else the
    # demo's quarterly periods (filed by the demo's today, as the candidates' are).
    monthly = np.array([spenders[s].monthly for s in exp["spender"]])
    months = day.astype("datetime64[M]")
    month_filed = (months + 1).astype("datetime64[D]") + 19
    ends = np.array([p[3] for p in calendar.periods], dtype="datetime64[D]")
    quarter = np.minimum(np.searchsorted(ends, day), len(ends) - 1)
    quarter_filed = np.minimum(ends[quarter] + 15, as_of)
    exp["report_filed"] = np.where(monthly, month_filed, quarter_filed)
    month_no = months.astype(int) % 12 + 1
    years = months.astype("datetime64[Y]").astype(int) + 1970
    quarter_types = np.array([p[1] for p in calendar.periods], dtype=object)
    quarter_years = np.array([p[0] for p in calendar.periods])
    month_types = np.array([f"M{m + 1}" for m in range(1, 12)] + ["YE"], dtype=object)
    exp["report_type"] = np.where(monthly, month_types[month_no - 1], quarter_types[quarter])
    exp["report_year"] = np.where(monthly, years, quarter_years[quarter])
    # One report per spender and period: the key groups its lines.
    exp["report_key"] = np.where(monthly, months.astype(int), 10_000 + quarter) + exp["spender"] * 100_000
    exp["regular"] = exp["report_filed"] <= as_of
    return exp["regular"] | exp["notice"]


@dataclass
class _Block:
    """Lines of one kind of filing: the expenditure each line reports and the filing's facts."""

    exp: np.ndarray
    file_number: np.ndarray
    previous: np.ndarray  # 0: none
    amended: np.ndarray  # bool
    filed: np.ndarray
    amount: np.ndarray
    notice: bool
    transaction_id: np.ndarray
    report_type: np.ndarray
    report_year: np.ndarray

    def only(self, rows: np.ndarray) -> _Block:
        """The lines where `rows` (a mask over them) is true."""
        return replace(self, **{f.name: getattr(self, f.name)[rows] for f in fields(self) if f.name != "notice"})


def _group(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group of each row (in order of first key), and each row's place in its group (0, 1, ...)."""
    uniq, group = np.unique(keys, return_inverse=True)
    order = np.argsort(group, kind="stable")
    starts = np.searchsorted(group[order], np.arange(len(uniq)))
    place = np.empty(len(keys), dtype=np.int64)
    place[order] = np.arange(len(keys)) - starts[group[order]]
    return group, place, uniq


def _filings(rng, serials: Serials, exp: dict, spenders: list[Spender]) -> list[_Block]:
    as_of = np.datetime64(AS_OF, "D")
    n = len(exp["amount"])
    restarts = np.array([spenders[s].restarts_ids for s in exp["spender"]])
    own_ids = np.array([f"IE{i}" for i in serials.next_outside_transactions(n)], dtype=object)
    blocks = []

    # Notices: one per spender and dissemination day; its lines numbered SE.1, SE.2, ... by filers
    # that restart them, else the expenditure's own ID, which the regular report repeats.
    rows = np.flatnonzero(exp["notice"])
    group, place, uniq = _group(exp["spender"][rows] * 1_000_000 + exp["dissemination"][rows].astype(int))
    restarted = np.array([f"SE.{p + 1}" for p in place], dtype=object)
    tid = own_ids.copy()
    tid[rows] = np.where(restarts[rows], restarted, own_ids[rows])
    exp["transaction_id"] = tid
    files = serials.next_outside_file_numbers(len(uniq))
    lag = np.where(exp["notice_type"][rows] == "24", 0, 1) + rng.integers(0, 2, len(uniq))[group]
    filed = np.minimum(exp["dissemination"][rows] + lag, as_of)
    # Some notices amended by a later one: every line again, a wrong amount corrected here and there.
    amended = rng.random(len(uniq)) < AMENDED_NOTICE_SHARE
    wrong = amended[group] & (rng.random(len(rows)) < 0.5)
    refiled = np.zeros(len(uniq), np.int64)
    refiled[amended] = serials.next_outside_file_numbers(int(amended.sum()))
    later = np.minimum(filed + rng.integers(1, 7, len(uniq))[group], as_of)
    again = amended[group]
    for version in (0, 1):
        lines = np.ones(len(rows), bool) if version == 0 else again
        on = filed if version == 0 else later
        blocks.append(
            _Block(
                exp=rows[lines],
                file_number=(files[group] if version == 0 else refiled[group])[lines],
                previous=(np.zeros(len(rows), np.int64) if version == 0 else files[group])[lines],
                amended=np.full(int(lines.sum()), version == 1),
                filed=on[lines],
                amount=np.where(wrong & (version == 0), _misreported(rng, exp["amount"][rows]), exp["amount"][rows])[
                    lines
                ],
                notice=True,
                transaction_id=tid[rows][lines],
                report_type=exp["notice_type"][rows][lines],
                report_year=_years(on[lines]),
            )
        )

    # Regular reports: one per spender and period; some amended once or twice, the earlier
    # versions (with a misreported amount here, a line missing from the first there) staying in the data.
    rows = np.flatnonzero(exp["regular"])
    group, place, uniq = _group(exp["report_key"][rows])
    versions = np.where(rng.random(len(uniq)) < AMENDED_REPORT_SHARE, np.where(rng.random(len(uniq)) < 0.25, 3, 2), 1)
    files = [serials.next_outside_file_numbers(len(uniq))]
    filed = [exp["report_filed"][rows]]
    for v in range(1, 3):
        numbers = np.zeros(len(uniq), np.int64)
        numbers[versions > v] = serials.next_outside_file_numbers(int((versions > v).sum()))
        files.append(numbers)
        filed.append(np.minimum(filed[-1] + rng.integers(3, 41, len(uniq))[group], as_of))
    for v in range(3):
        last = versions[group] == v + 1
        present = versions[group] > v
        # Only a first filing misses lines, never all: a later one names the filing it replaces on its lines.
        keep = present & (last | (v > 0) | (place == 0) | (rng.random(len(rows)) >= 0.1))
        amount = exp["amount"][rows]
        amount = np.where(last | (rng.random(len(rows)) >= 0.3), amount, _misreported(rng, amount))
        blocks.append(
            _Block(
                exp=rows[keep],
                file_number=files[v][group][keep],
                previous=files[v - 1][group][keep] if v else np.zeros(int(keep.sum()), np.int64),
                amended=np.full(int(keep.sum()), v > 0),
                filed=filed[v][keep],
                amount=amount[keep],
                notice=False,
                transaction_id=tid[rows][keep],
                report_type=exp["report_type"][rows][keep],
                report_year=exp["report_year"][rows][keep],
            )
        )
    return blocks


def _misreported(rng, cents: np.ndarray) -> np.ndarray:
    """An amount as first (wrongly) filed: never the right one."""
    wrong = (cents * rng.uniform(0.6, 1.3, len(cents))).astype(np.int64)
    return np.where(wrong == cents, cents + 100, wrong)


def _years(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[Y]").astype(int) + 1970


def _lines(rng, serials: Serials, exp: dict, blocks: list[_Block], spenders: list[Spender], cycle: int) -> dict:
    """Every line of every filing, memo lines after the line they detail: raw schedule_e columns."""
    cols: dict[str, list] = {}

    def add(block: _Block, memo: str | None, amount: np.ndarray, tid: np.ndarray, back: np.ndarray | None):
        e = block.exp
        k = len(e)
        spender = [spenders[s] for s in exp["spender"][e]]
        form = np.array([s.form for s in spender], dtype=object)
        purpose = exp["purpose"][e]
        part = {
            "committee_id": np.array([s.committee.committee_id for s in spender], dtype=object),
            "spender_name": np.array([s.committee.name for s in spender], dtype=object),
            "filing_form": form if not block.notice else np.where(form == "F5", "F5", "F24").astype(object),
            "is_notice": np.full(k, block.notice),
            "report_type": block.report_type,
            "report_year": block.report_year,
            "file_number": block.file_number,
            "previous_file_number": block.previous,
            "amendment_indicator": np.where(block.amended, "A", "N").astype(object),
            "transaction_id": tid,
            "back_reference_transaction_id": back if back is not None else np.full(k, None, dtype=object),
            "memo_code": np.full(k, memo and "X", dtype=object),
            "memo_text": np.full(k, memo, dtype=object),
            "candidate_id": exp["cand_id"][e],
            "candidate_name": exp["cand_name"][e],
            "candidate_office": exp["office"][e],
            "candidate_state": exp["state"][e],
            "candidate_district": exp["district"][e],
            "candidate_party": exp["party"][e],
            "support_oppose": exp["support"][e],
            "amount": amount,
            "expenditure_date": exp["expenditure"][e],
            # Form 5 has no dissemination date: the money goes on the expenditure date.
            "dissemination_date": np.where(form == "F5", np.datetime64("NaT"), exp["dissemination"][e]),
            "purpose": np.array([PURPOSES[p][0] for p in purpose], dtype=object),
            "payee_name": np.array([PURPOSES[p][2] for p in purpose], dtype=object),
            "category_code": np.array([PURPOSES[p][1] for p in purpose], dtype=object),
            "filed_date": block.filed,
        }
        for name, values in part.items():
            cols.setdefault(name, []).append(values)

    for block in blocks:
        add(block, None, block.amount, block.transaction_id, None)
        detailed = exp["memo"][block.exp]
        if detailed.any():
            sub = block.only(detailed)
            first = (sub.amount * rng.uniform(0.3, 0.7, len(sub.exp))).astype(np.int64)
            for j, part_amount in enumerate((first, sub.amount - first)):
                tids = np.array([f"{t}.M{j + 1}" for t in sub.transaction_id], dtype=object)
                add(sub, f"SUBVENDOR: {SUBVENDORS[j]}", part_amount, tids, sub.transaction_id)
    merged = {name: np.concatenate(parts) for name, parts in cols.items()}
    k = len(merged["amount"])
    merged["sub_id"] = serials.next_outside_sub_ids(k)
    merged["cycle"] = np.full(k, cycle)
    merged["image_number"] = np.full(k, None, dtype=object)
    merged["previous_file_number"] = np.where(merged["previous_file_number"] == 0, None, merged["previous_file_number"])
    return merged


# --- What counts --------------------------------------------------------------------------------


def _bookkeeping(exp: dict, spenders: list[Spender], world: CycleWorld) -> pd.DataFrame:
    """Each reported expenditure once: at its final amount, regular when its report is filed, else
    from the notice; its candidate (None: no candidate of the cycle has that name)."""
    spender = [spenders[s] for s in exp["spender"]]
    return pd.DataFrame(
        {
            "cycle": world.cycle,
            "candidate_id": exp["matched"],
            "committee_id": [s.committee.committee_id for s in spender],
            "spender_type": [s.kind for s in spender],
            "support_oppose": exp["support"],
            "date": pd.to_datetime(exp["dissemination"]).date,
            "from_notice": ~exp["regular"],
            "amount_cents": exp["amount"],
            "named_only": exp["named_only"],
            "candidate_name": exp["cand_name"],
            "candidate_office": exp["office"],
            "candidate_state": exp["state"],
            "candidate_district": exp["district"],
        }
    )
