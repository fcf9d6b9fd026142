"""How the district map colours seats: the metrics it can show, classes of about equal size
(quantiles rounded to two significant figures) on a colour-blind-safe sequential scale (viridis,
light = low, dark = high), grey for seats without data, and the legend that explains them."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from dashboard.app import labels

# Viridis sampled at six points, reversed: light for low values, dark for high ones.
CLASS_COLOURS = ("#fde725", "#7ad151", "#22a884", "#2a788e", "#414487", "#440154")
NO_DATA_COLOUR = "#c8c8c8"
OUTLINE_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class Metric:
    key: str  # URL value and the agg_district column
    label: str  # what the selector says
    legend_title: str  # what the legend says, with units
    short: Callable[[object], str]  # legend and tile text
    exact: Callable[[object], str]  # hover and table
    integer: bool = False
    note: str = ""


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "receipts",
            "Total raised",
            "Raised by all candidates (US dollars, summary totals)",
            labels.money_short,
            labels.money,
        ),
        Metric(
            "cash_on_hand",
            "Cash on hand",
            "Cash on hand of all candidates (US dollars, latest reports)",
            labels.money_short,
            labels.money,
        ),
        Metric(
            "n_candidates", "Number of candidates", "Candidates filed (count)", labels.count, labels.count, integer=True
        ),
        Metric(
            "leader_share",
            "Competitiveness",
            "Leader's share of the money raised (percent; lower = closer race)",
            labels.share,
            labels.share,
            note="The share of all money in the race raised by the candidate who raised most.",
        ),
        Metric(
            "out_of_state_share",
            "Money from out of state",
            "Itemized individual money from outside the state (percent)",
            labels.share,
            labels.share,
        ),
        Metric(
            "small_share",
            "Small donors",
            "Individual money in gifts of $200 or less (percent)",
            labels.share,
            labels.share,
            note="Includes unitemized money, which is all in gifts of $200 or less.",
        ),
        Metric(
            "outside_amount",
            "Outside spending",
            "Independent expenditures for and against the candidates (US dollars, regular reports)",
            labels.money_short,
            labels.money,
            note="Spent by super PACs, parties and other groups for or against the race's candidates, each "
            "expenditure once; 24/48-hour notices not yet in a regular report are not included.",
        ),
        Metric(
            "outside_share",
            "Outside share of all money",
            "Outside spending as a share of all money in the race (percent)",
            labels.share,
            labels.share,
            note="Outside spending divided by the candidates' own receipts plus outside spending.",
        ),
        Metric(
            "in_district_share",
            "Money from inside the district",
            "Itemized individual money from donors living in the district (percent)",
            labels.share,
            labels.share,
            note="House races only. Donors' ZIP codes are matched to Census ZIP Code Tabulation Areas (ZCTAs) "
            "and ZCTAs to districts; ZCTAs split between districts are allocated by land area. ZIP codes with no "
            "ZCTA are unknown, not outside, and left out of the share. 'No data' where this was not computed: "
            "without the Census relationship file (`python -m dashboard geo`), or where only ZCTA-district pairs "
            "without land areas are known (the race pages then give a range).",
        ),
    )
}
DEFAULT_METRIC = "receipts"


@dataclass(frozen=True)
class Classes:
    """Class i (0-based) holds values v with breaks[i-1] <= v < breaks[i]."""

    breaks: tuple[float, ...]

    @property
    def colours(self) -> tuple[str, ...]:
        return _spread_colours(len(self.breaks) + 1)

    def index(self, value) -> int | None:
        if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
            return None
        return bisect.bisect_right(self.breaks, float(value))

    def colour(self, value) -> str:
        index = self.index(value)
        return NO_DATA_COLOUR if index is None else self.colours[index]


def _spread_colours(n: int) -> tuple[str, ...]:
    """n colours of the scale, keeping both ends (fewer classes still span light to dark)."""
    if n >= len(CLASS_COLOURS):
        return CLASS_COLOURS
    if n == 1:
        return (CLASS_COLOURS[2],)
    picks = [round(i * (len(CLASS_COLOURS) - 1) / (n - 1)) for i in range(n)]
    return tuple(CLASS_COLOURS[i] for i in picks)


def _nice(value: float, integer: bool) -> float:
    if integer:
        return float(math.ceil(value))
    if value == 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(abs(value))))
    return round(value, digits)


def classify(values, integer: bool = False, n_classes: int = len(CLASS_COLOURS)) -> Classes:
    """Quantile classes of the non-missing values, breaks rounded to two significant figures
    (whole numbers for counts), duplicates and breaks outside the data dropped."""
    data = np.asarray([v for v in values if v is not None and not pd.isna(v)], dtype=float)
    if data.size == 0:
        return Classes(())
    low, high = data.min(), data.max()
    quantiles = np.quantile(data, [i / n_classes for i in range(1, n_classes)])
    breaks = sorted({_nice(q, integer) for q in quantiles})
    return Classes(tuple(float(b) for b in breaks if low < b <= high))


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str
    low: float | None  # inclusive; None = no lower bound
    high: float | None  # exclusive; None = no upper bound


def legend(classes: Classes, metric: Metric, with_no_data: bool = True) -> list[LegendItem]:
    bounds = [None, *classes.breaks, None]
    items = []
    for i, colour in enumerate(classes.colours):
        low, high = bounds[i], bounds[i + 1]
        items.append(LegendItem(colour, _range_label(low, high, metric), low, high))
    if with_no_data:
        items.append(LegendItem(NO_DATA_COLOUR, "No data", None, None))
    return items


def _range_label(low, high, metric: Metric) -> str:
    if metric.integer:
        if low is None and high is None:
            return "all"
        if low is None:
            return f"{metric.short(high - 1)} or fewer"
        if high is None:
            return f"{metric.short(low)} or more"
        return metric.short(low) if high - low == 1 else f"{metric.short(low)} to {metric.short(high - 1)}"
    if low is None and high is None:
        return "all values"
    if low is None:
        return f"under {metric.short(high)}"
    if high is None:
        return f"{metric.short(low)} and more"
    return f"{metric.short(low)} to under {metric.short(high)}"
