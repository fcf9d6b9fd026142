"""The demo's calendar: the cycles it covers, its "today", the reports a quarterly filer has filed
by then, and the days on which people give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from dashboard.core.geography import ELECTION_DAY

CYCLES = (2022, 2024, 2026)
# The demo's "today": the latest reports filed are the 2026 pre-general reports.
AS_OF = date(2026, 10, 14)


def period_bounds(cycle: int) -> list[tuple[int, str, date, date]]:
    """(report_year, report_type, coverage_start, coverage_end) of a quarterly filer's reports."""
    odd = cycle - 1
    election = date.fromisoformat(ELECTION_DAY[cycle])
    pre_end, post_end = election - timedelta(days=20), election + timedelta(days=20)
    periods = [
        (odd, "Q1", date(odd, 1, 1), date(odd, 3, 31)),
        (odd, "Q2", date(odd, 4, 1), date(odd, 6, 30)),
        (odd, "Q3", date(odd, 7, 1), date(odd, 9, 30)),
        (odd, "YE", date(odd, 10, 1), date(odd, 12, 31)),
        (cycle, "Q1", date(cycle, 1, 1), date(cycle, 3, 31)),
        (cycle, "Q2", date(cycle, 4, 1), date(cycle, 6, 30)),
        (cycle, "Q3", date(cycle, 7, 1), date(cycle, 9, 30)),
        (cycle, "12G", date(cycle, 10, 1), pre_end),
        (cycle, "30G", pre_end + timedelta(days=1), post_end),
        (cycle, "YE", post_end + timedelta(days=1), date(cycle, 12, 31)),
    ]
    return [p for p in periods if p[3] <= AS_OF]


def cycle_days(cycle: int) -> tuple[date, int]:
    """First day of the cycle and the number of days with filed data."""
    start = date(cycle - 1, 1, 1)
    last = period_bounds(cycle)[-1][3]
    return start, (last - start).days + 1


def gift_day_weights(cycle: int) -> np.ndarray:
    """Giving ramps up toward election day, spikes at quarter ends, falls away after."""
    start, n_days = cycle_days(cycle)
    election = (date.fromisoformat(ELECTION_DAY[cycle]) - start).days
    t = np.arange(n_days)
    weights = 0.25 + np.exp(3.2 * t / election)
    weights[t > election] = 0.6
    days = [start + timedelta(days=int(i)) for i in t]
    quarter_end = np.array([(d.month in (3, 6, 9, 12)) and d.day >= (29 if d.month in (3, 12) else 28) for d in days])
    weights[quarter_end] *= 4.0
    return weights / weights.sum()


@dataclass(frozen=True, eq=False)
class CycleCalendar:
    """One cycle's days and reports. Gifts are dated by day number from `start`; a day's report
    is the period whose coverage holds it."""

    cycle: int
    periods: list[tuple[int, str, date, date]]
    start: date
    n_days: int
    period_of_day: np.ndarray
    day_weights: np.ndarray

    @classmethod
    def of(cls, cycle: int) -> CycleCalendar:
        periods = period_bounds(cycle)
        start, n_days = cycle_days(cycle)
        period_of_day = np.searchsorted(np.array([(p[3] - start).days for p in periods]), np.arange(n_days))
        return cls(cycle, periods, start, n_days, period_of_day, gift_day_weights(cycle))

    @property
    def n_periods(self) -> int:
        return len(self.periods)

    def draw_days(self, rng: np.random.Generator, count: int) -> np.ndarray:
        return rng.choice(len(self.day_weights), size=count, p=self.day_weights)
