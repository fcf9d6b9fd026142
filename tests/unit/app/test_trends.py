"""Trends queries against small generated snapshots, checked against the extract files read directly,
and the filters the page takes from its URL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import duckdb
import pandas as pd
import pytest

from dashboard.app.figures import trends as charts
from dashboard.app.queries import trends
from dashboard.app.queries.trends import TrendFilters
from dashboard.core import params
from tests.known_changes import AMENDMENT_EXTRA_GIFT, NEW_PERIOD_GIFTS

CYCLE = 2024


@pytest.fixture(scope="module")
def sql(small_snapshot):
    folder = (small_snapshot / "current").resolve()
    con = duckdb.connect()
    for name in ("agg_daily", "large_receipts", "candidates", "candidate_periods", "agg_district"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{folder / name}.parquet')")
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet('{folder}/receipts/**/*.parquet', "
        "hive_partitioning = true)"
    )
    return lambda query, params=None: con.execute(query, params or []).fetchall()


@pytest.fixture(scope="module")
def end(small_snapshot) -> date:
    return trends.data_end(CYCLE)


def money(value) -> Decimal:
    return Decimal(str(round(float(value or 0), 2)))


# --- filters from the URL -----------------------------------------------------------------


def test_filters_default_and_round_trip_through_the_url():
    filters = TrendFilters.from_query(cycle="2024")
    assert (
        filters.state,
        filters.office,
        filters.party,
        filters.window,
        filters.by,
        filters.minimum,
        filters.movers,
    ) == (None, None, None, "30", "day", 2000, "dollars")
    assert filters.path() == "/trends?cycle=2024"
    chosen = TrendFilters.from_query(
        cycle="2026", state="tx", office="house", party="dem", window="cycle", by="week", min="$5,000", movers="percent"
    )
    assert (chosen.state, chosen.office, chosen.party, chosen.minimum) == ("TX", "H", "DEM", 5000)
    query = dict(parse_qsl(urlsplit(chosen.path()).query))
    assert TrendFilters.from_query(**query) == chosen
    assert TrendFilters.from_query(cycle="2026", state="all", party="", office="all").state is None


@pytest.mark.parametrize(
    "bad",
    [
        {"party": "D3M"},
        {"window": "5"},
        {"by": "month"},
        {"min": "500"},
        {"min": "lots"},
        {"movers": "votes"},
        {"state": "ZZ"},
        {"cycle": "2025"},
        {"office": "mayor"},
        {"min": "99999999999"},
    ],
)
def test_bad_filters_are_rejected_with_the_parameter_named(bad):
    with pytest.raises(params.InvalidParameter) as problem:
        TrendFilters.from_query(**({"cycle": "2024"} | bad))
    assert str(problem.value).startswith(f"{next(iter(bad))}:")


def test_windows_end_on_the_last_day_and_never_start_before_the_cycle():
    last = date(2026, 10, 14)
    assert TrendFilters(2026, window="30").window_dates(last) == (last - timedelta(days=29), last)
    assert TrendFilters(2026, window="30", by="week").window_dates(last) == (last - timedelta(days=34), last)
    assert TrendFilters(2026, window="cycle").window_dates(last) == (date(2025, 1, 1), last)
    assert TrendFilters(2026, window="365").window_dates(date(2025, 3, 1)) == (date(2025, 1, 1), date(2025, 3, 1))


def test_the_same_point_of_the_previous_cycle_is_the_same_day_number():
    # 2026-10-14 is day 651 of the 2026 cycle; day 651 of 2024 is 2024-10-13 (2024 is a leap year).
    assert trends.same_day_previous_cycle(date(2026, 10, 14), 2026) == date(2024, 10, 13)
    assert trends.same_day_previous_cycle(date(2025, 1, 1), 2026) == date(2023, 1, 1)


# --- itemized money over time -------------------------------------------------------------


def test_data_end_is_the_last_day_with_receipts(sql, end):
    assert end == sql("SELECT max(date) FROM agg_daily WHERE cycle = ?", [CYCLE])[0][0]
    assert trends.data_end(2030) is None


@pytest.mark.parametrize("where", [{}, {"state": "TX"}, {"office": "H", "party": "REP"}])
def test_money_over_time_adds_up_to_agg_daily_in_both_cycles(sql, end, where):
    start = end - timedelta(days=89)
    shift = (date(CYCLE - 1, 1, 1) - date(CYCLE - 3, 1, 1)).days
    frame = trends.receipts_over_time(CYCLE, start, end, "day", **where)
    condition = " AND ".join(f"{k} = ?" for k in where) or "true"

    def expected(cycle, first, last):
        return money(
            sql(
                f"SELECT sum(amount) FROM agg_daily WHERE cycle = ? AND date BETWEEN ? AND ? AND {condition}",
                [cycle, first, last, *where.values()],
            )[0][0]
        )

    this, before = frame[~frame.previous_cycle], frame[frame.previous_cycle]
    assert money(this.amount.sum()) == expected(CYCLE, start, end) > 0
    assert money(before.amount.sum()) == expected(CYCLE - 2, start - timedelta(days=shift), end - timedelta(days=shift))
    assert before.period_end.min().date() >= start and this.period_end.max().date() <= end
    for column, value in where.items():
        if column in frame:  # the state is filtered on, not returned
            assert set(frame[column]) == {value}
    weekly = trends.receipts_over_time(CYCLE, start, end, "week", **where)
    assert money(weekly[~weekly.previous_cycle].amount.sum()) == money(this.amount.sum())
    assert {(end - d.date()).days % 7 for d in weekly.period_end} == {0}  # weeks end on the last day


@pytest.mark.parametrize("where", [{}, {"party": "DEM"}, {"office": "S", "state": "CA"}])
def test_the_chart_compares_each_party_with_itself_in_the_previous_cycle(sql, end, where):
    """Like with like: every party's line of this cycle has a twin of the same party (and filters) on
    the same days of the previous cycle, never the previous cycle's all-party total."""
    start = end - timedelta(days=29)
    shift = (date(CYCLE - 1, 1, 1) - date(CYCLE - 3, 1, 1)).days
    frame = trends.receipts_over_time(CYCLE, start, end, "day", **where)
    wide = charts.series_by_party(frame, CYCLE)
    this = frame[~frame.previous_cycle]
    parties = list(wide.columns[1::2])
    assert list(wide.columns[2::2]) == [charts.previous_cycle_column(p, CYCLE) for p in parties]
    assert parties[:2] == list(this.groupby("party").amount.sum().sort_values(ascending=False).index[:2])
    condition = "".join(f" AND {k} = ?" for k in where)
    for party in parties:
        for column, cycle, first, last in (
            (party, CYCLE, start, end),
            (
                charts.previous_cycle_column(party, CYCLE),
                CYCLE - 2,
                start - timedelta(days=shift),
                end - timedelta(days=shift),
            ),
        ):
            expected = sql(
                f"SELECT sum(amount) FROM agg_daily WHERE cycle = ? AND date BETWEEN ? AND ? AND party = ?{condition}",
                [cycle, first, last, party, *where.values()],
            )[0][0]
            assert money(wide[column].sum()) == money(expected), (party, cycle)
    if "party" in where:
        assert parties == [where["party"]]
    figure = charts.receipts_over_time(wide, "day", CYCLE)
    assert len(figure.data) == 2 * len(parties)
    for now, before in zip(figure.data[::2], figure.data[1::2]):
        assert now.legendgroup == before.legendgroup and now.line.color == before.line.color
        assert str(CYCLE - 2) in before.name and str(CYCLE) in now.name


def test_comparison_matches_agg_daily_for_each_window(sql, end):
    start = end - timedelta(days=6)
    frame = trends.comparison(CYCLE, start, end, state="CA")
    total = frame.drop(columns=["party", "office"]).sum()

    def expected(first, last, cycle):
        return money(
            sql(
                "SELECT sum(amount) FROM agg_daily WHERE cycle = ? AND date BETWEEN ? AND ? AND state = 'CA'",
                [cycle, first, last],
            )[0][0]
        )

    previous_day = trends.same_day_previous_cycle
    assert money(total.in_window) == expected(start, end, CYCLE)
    assert money(total.previous_window) == expected(start - timedelta(days=7), start - timedelta(days=1), CYCLE)
    assert money(total.previous_cycle_window) == expected(
        previous_day(start, CYCLE), previous_day(end, CYCLE), CYCLE - 2
    )
    assert money(total.cycle_to_date) == expected(date(CYCLE - 1, 1, 1), end, CYCLE)
    assert money(total.previous_cycle_to_date) == expected(date(CYCLE - 3, 1, 1), previous_day(end, CYCLE), CYCLE - 2)
    for row in frame.itertuples():
        if row.previous_window > 0:
            assert row.window_change == pytest.approx(float(row.in_window) / float(row.previous_window) - 1)
        else:
            assert pd.isna(row.window_change)  # no money before: no percentage


# --- large contributions, movers by report, top races ---------------------------------------


def test_large_contributions_are_every_gift_over_the_threshold_in_the_window(sql, end):
    start = end - timedelta(days=89)
    frame = trends.large_contributions(CYCLE, start, end, 2000, office="H", limit=100_000)
    expected = sql(
        """SELECT count(*), sum(r.amount) FROM receipts r JOIN candidates c USING (candidate_id, cycle)
                      WHERE r.cycle = ? AND r.date BETWEEN ? AND ? AND r.amount >= 2000 AND c.office = 'H'""",
        [CYCLE, start, end],
    )[0]
    assert (len(frame), money(frame.amount.sum())) == (expected[0], money(expected[1]))
    assert expected[0] > 0
    assert list(frame.amount) == sorted(frame.amount, reverse=True)
    assert frame.candidate_path.str.startswith("/candidate/").all()
    assert len(trends.large_contributions(CYCLE, start, end, 2000, limit=5)) == 5


def expected_period_movers(sql, cycle, since) -> dict[str, tuple]:
    """Each candidate's last two reports, per day of the days each covers, computed here in Python:
    candidate_id -> (per day before, per day now) for those above the minimum in both."""
    rows = sql(
        """SELECT candidate_id, coverage_start, coverage_end, receipts FROM candidate_periods
           WHERE cycle = ? AND coverage_start IS NOT NULL
           ORDER BY candidate_id, coverage_end DESC, report_year DESC, report_type DESC""",
        [cycle],
    )
    reports: dict[str, list] = {}
    for candidate, first, last, receipts in rows:
        reports.setdefault(candidate, []).append((first, last, receipts))
    out = {}
    for candidate, (now, before, *_older) in ((c, r) for c, r in reports.items() if len(r) >= 2):
        if now[1] < since or min(now[2], before[2]) < trends.MOVER_MINIMUM:
            continue
        per_day = [float(r[2]) / ((r[1] - r[0]).days + 1) for r in (before, now)]
        if per_day[1] > per_day[0]:
            out[candidate] = tuple(per_day)
    return out


def test_movers_since_the_previous_report_compare_money_a_day_above_the_minimum(sql):
    """Reports cover 14 to 92 days: the two are compared per day of each, both at least MOVER_MINIMUM."""
    # The demo's 2026 reports are bigger than its 2024 ones: enough of them pass the minimum.
    cycle = CYCLE + 2
    since = trends.data_end(cycle) - timedelta(days=179)
    expected = expected_period_movers(sql, cycle, since)
    assert len(expected) > 3
    frame = trends.movers_since_period(cycle, since, limit=10_000)
    assert set(frame.candidate_id) == set(expected)
    for row in frame.itertuples():
        assert (row.previous_per_day, row.per_day) == pytest.approx(expected[row.candidate_id])
    assert (frame.receipts >= trends.MOVER_MINIMUM).all() and (frame.previous_receipts >= trends.MOVER_MINIMUM).all()
    for row in frame.itertuples():
        assert row.days == (row.coverage_end - row.coverage_start).days + 1
        assert row.per_day == pytest.approx(float(row.receipts) / row.days)
        assert row.per_day_change == pytest.approx(row.per_day - row.previous_per_day)
    assert list(frame.per_day_change) == sorted(frame.per_day_change, reverse=True)
    # Unequal windows are what made raw totals mislead: some ranked pairs differ in length.
    assert (frame.days != frame.previous_days).any()
    by_percent = trends.movers_since_period(cycle, since, order="percent", limit=10_000)
    assert set(by_percent.candidate_id) == set(expected)
    assert list(by_percent.per_day_change_pct) == sorted(by_percent.per_day_change_pct, reverse=True)
    assert by_percent.per_day_change_pct.iloc[0] == pytest.approx(
        max(now / before - 1 for before, now in expected.values())
    )


def test_top_races_end_at_each_races_total(sql):
    frame = trends.top_races_cumulative(CYCLE, races=5)
    expected = sql(
        """SELECT office, state, district, receipts FROM agg_district WHERE cycle = ?
                      ORDER BY receipts DESC, office, state, district LIMIT 5""",
        [CYCLE],
    )
    last = frame.groupby("race_path", sort=False).tail(1)
    assert [(r.office, r.state, r.district) for r in last.itertuples()] == [e[:3] for e in expected]
    assert [money(c) for c in last.cumulative] == [money(e[3]) for e in expected]
    figure = charts.cumulative_races(frame)
    assert len(figure.data) == 5


def test_party_options_are_the_cycles_parties_commonest_first(sql):
    expected = [
        r[0]
        for r in sql(
            "SELECT party FROM candidates WHERE cycle = ? GROUP BY party ORDER BY count(*) DESC, party", [CYCLE]
        )
    ]
    assert trends.party_options(CYCLE) == expected


# --- what changed since the previous snapshot ---------------------------------------------


def test_a_first_snapshot_has_no_changes_to_show(small_snapshot):
    assert trends.changes_summary() == {"previous_snapshot_id": None, "reason": "no earlier snapshot"}
    assert trends.movers_since_snapshot(CYCLE).empty and trends.new_reports(CYCLE).empty


def test_movers_and_arrivals_show_exactly_the_known_differences(changed, monkeypatch):
    data_dir, known = changed
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    assert trends.changes_summary()["previous_snapshot_id"] == known.first_snapshot
    expected = known.expected_candidates()
    movers = trends.movers_since_snapshot(known.cycle)
    assert list(movers.candidate_id) == sorted(expected, key=lambda c: expected[c]["receipts_change"], reverse=True)
    by_percent = trends.movers_since_snapshot(known.cycle, order="percent")
    assert set(by_percent.candidate_id) == {
        r.candidate_id for r in movers.itertuples() if r.previous_receipts >= trends.MOVER_MINIMUM
    }
    for row in movers.itertuples():
        assert money(row.receipts_change) == expected[row.candidate_id]["receipts_change"]
        assert money(row.arrived_amount) == expected[row.candidate_id]["arrived_amount"]
    arrivals = trends.arrivals_since_snapshot(known.cycle)
    assert {r.candidate_id: (r.arrived_n, r.dropped_n) for r in arrivals.itertuples()} == {
        c: (v["arrived_n"], v["dropped_n"]) for c, v in expected.items()
    }
    # The cycle's totals are exactly the receipts added: the amendment's re-filed rows and its extra gift,
    # the new period's three gifts; the replaced filing's rows dropped out.
    total = trends.arrivals_total(known.cycle)
    assert total["arrived_n"] == known.refiled_n + 1 + len(NEW_PERIOD_GIFTS)
    assert money(total["arrived_amount"]) == known.refiled_amount + AMENDMENT_EXTRA_GIFT + sum(NEW_PERIOD_GIFTS)
    assert (total["dropped_n"], money(total["dropped_amount"])) == (known.refiled_n, known.refiled_amount)
    assert total["candidates"] == 2
    assert trends.arrivals_total(known.cycle, state=movers.iloc[0].state)["arrived_n"] == int(
        expected[movers.iloc[0].candidate_id]["arrived_n"]
    )
    assert trends.arrivals_total(known.cycle - 2)["arrived_n"] == 0
    reports = trends.new_reports(known.cycle)
    assert {(r.candidate_id, r.report_year, r.report_type): r.change for r in reports.itertuples()} == {
        key: value["change"] for key, value in known.expected_reports().items()
    }
    # Filters apply: the two candidates are in different states.
    state = movers.iloc[0].state
    assert set(trends.movers_since_snapshot(known.cycle, state=state).candidate_id) == {movers.iloc[0].candidate_id}
    assert trends.movers_since_snapshot(known.cycle - 2).empty
    # The new gifts show up among the large contributions of their day.
    day = known.new_gift_date
    large = trends.large_contributions(known.cycle, day, day, 1000)
    assert {"TESTDONOR, ALPHA"} <= set(large.contributor_name)
