"""Outside-spending queries on a hand-made snapshot whose right answers are known to the cent:
support and oppose apart, 24/48-hour notices apart (never in the processed figures), running
totals, the race's share, and a spender's races and candidates."""

from __future__ import annotations

import json
import os
from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import outside
from dashboard.core import contract

A, B, OUT_OF_RACE, D = "H4WA01001", "H4WA01002", "H4WA01003", "H4WA02001"
SUPER_PAC, PARTY, GROUP = "C00000010", "C00000020", "C00000030"
D0901, D0902, D0903, D0905, D0910, D0920 = (date(2024, 9, d) for d in (1, 2, 3, 5, 10, 20))
D1001, D1030 = date(2024, 10, 1), date(2024, 10, 30)

CANDIDATES = [  # candidate_id, name, party, district, in_race, receipts
    (A, "ADAMS, ANN", "DEM", "01", True, 1000.00),
    (B, "BAKER, BOB", "REP", "01", True, 500.00),
    (OUT_OF_RACE, "CLARK, CY", "IND", "01", False, 77.00),  # filed for another election: in no race
    (D, "DAVIS, DOT", "DEM", "02", True, 10.00),
]
SPENDER_NAMES = {SUPER_PAC: "CLEAN AIR PAC", PARTY: "WA DEMS", GROUP: "FRIENDS OF BAKER"}
SPENDER_TYPES = {SUPER_PAC: "super_pac", PARTY: "party", GROUP: "nonprofit"}
# Every counted expenditure: candidate, date, side, amount, spender, from a notice only
EXPENDITURES = [
    (A, D0901, "S", 100.00, SUPER_PAC, False),
    (A, D0901, "S", 1.00, PARTY, False),
    (A, D0902, "S", 30.00, PARTY, False),
    (A, D0905, "S", 50.25, SUPER_PAC, False),
    (A, D1030, "S", 70.00, SUPER_PAC, True),
    (B, D0903, "O", 200.00, SUPER_PAC, False),
    (B, D0903, "O", 5.55, PARTY, True),
    (B, D1001, "O", 10.10, PARTY, False),
    (B, D0910, "S", 40.00, GROUP, False),
    (OUT_OF_RACE, D0901, "S", 999.00, SUPER_PAC, False),
    (D, D0901, "S", 5.00, SUPER_PAC, False),
    (None, D0920, "S", 12.34, SUPER_PAC, False),  # names a candidate nobody matches
]
UNMATCHED = [  # cycle, committee, name, office, state, district as filed, side, amount, n
    (2024, SUPER_PAC, "JONES, BOB", "H", "WA", "1", "S", 12.34, 1),
    (2024, PARTY, "SMYTHE, AL", "H", "WA", "02", "O", 3.00, 1),
    (2022, SUPER_PAC, "JONES, BOB", "H", "WA", "1", "S", 8.00, 1),
]


def write_outside_snapshot(folder) -> None:
    """The extracts the outside queries (and the pages around them) read, row by row."""
    folder.mkdir(parents=True)

    def write(name, rows):
        frame = pd.DataFrame(rows, columns=list(contract.EXTRACTS[name]))
        con = duckdb.connect()
        con.register("frame", frame)
        money = [c for c in frame.columns if c in MONEY_COLUMNS]
        casts = ", ".join(f"CAST({c} AS DECIMAL(14,2)) AS {c}" for c in money)
        select = f"SELECT * REPLACE ({casts}) FROM frame" if money else "SELECT * FROM frame"
        con.execute(f"COPY ({select}) TO '{folder / name}.parquet' (FORMAT parquet)")

    write(
        "candidates",
        [
            (cid, 2024, name, party, "H", "WA", dist, "C", "C", None, 2024, in_race)
            for cid, name, party, dist, in_race, _ in CANDIDATES
        ],
    )
    write(
        "committees",
        [
            (
                cmid,
                2024,
                name,
                {"super_pac": "O", "party": "Y", "nonprofit": "I"}[SPENDER_TYPES[cmid]],
                "U",
                None,
                None,
                "WA",
                False,
            )
            for cmid, name in SPENDER_NAMES.items()
            if cmid != GROUP  # a group filing Form 5 alone: no committee page
        ],
    )
    write(
        "candidate_totals",
        [
            (cid, 2024, receipts) + (0.0,) * 11 + (receipts, 0.0, "reports", date(2023, 1, 1), date(2024, 9, 30), [])
            for cid, _, _, _, _, receipts in CANDIDATES
        ],
    )
    write(
        "outside_expenditures",
        [
            (
                2024,
                day,
                cid,
                side,
                amount,
                cmid,
                SPENDER_NAMES[cmid],
                SPENDER_TYPES[cmid],
                notice,
                "id" if cid else None,
                "TV ADS",
                "MEDIA CO",
                "F24" if notice else "F3X",
                1000 + i,
                f"SE.{i}",
                None,
                4_000_000_000_000_000_000 + i,
                day,
            )
            for i, (cid, day, side, amount, cmid, notice) in enumerate(EXPENDITURES)
        ]
        + [
            (
                2022,
                date(2022, 9, 1),
                None,
                "S",
                8.00,
                SUPER_PAC,
                "CLEAN AIR PAC",
                "super_pac",
                False,
                None,
                None,
                None,
                "F3X",
                999,
                "SE.X",
                None,
                1,
                date(2022, 9, 2),
            )
        ],
    )
    daily = (
        pd.DataFrame(
            EXPENDITURES, columns=["candidate_id", "date", "support_oppose", "amount", "committee_id", "from_notice"]
        )
        .dropna(subset=["candidate_id"])
        .assign(spender_type=lambda f: f["committee_id"].map(SPENDER_TYPES), n=1, cycle=2024)
    )
    grouped = daily.groupby(
        ["candidate_id", "cycle", "date", "support_oppose", "spender_type", "from_notice"], as_index=False
    )
    write("agg_outside_daily", grouped.agg(amount=("amount", "sum"), n=("n", "sum")).values.tolist())
    spenders = []
    for (cid, cmid, side), rows in daily.groupby(["candidate_id", "committee_id", "support_oppose"]):
        regular, notices = rows[~rows.from_notice], rows[rows.from_notice]
        spenders.append(
            (
                2024,
                cid,
                cmid,
                SPENDER_NAMES[cmid],
                SPENDER_TYPES[cmid],
                side,
                round(regular.amount.sum(), 2),
                len(regular),
                round(notices.amount.sum(), 2),
                rows.date.min(),
                rows.date.max(),
            )
        )
    write("agg_outside_spenders", spenders)
    write(
        "outside_unmatched",
        [
            (
                *row[:2],
                SPENDER_NAMES[row[1]],
                *row[2:],
                "no candidate of the cycle has this ID, or this name, office and state",
            )
            for row in UNMATCHED
        ],
    )
    # the race rows as the builder sums them (extracts.py): candidates of the race only
    write(
        "agg_district",
        [
            (
                2024,
                "H",
                "WA",
                "01",
                2,
                1500.00,
                0,
                0,
                A,
                "ADAMS, ANN",
                "DEM",
                1000.00,
                2 / 3,
                1 / 3,
                0,
                0,
                None,
                0,
                None,
                date(2024, 9, 30),
                431.35,
                221.25,
                210.10,
                75.55,
                431.35 / 1931.35,
                None,  # in_district_amount, in_district_share: no ZCTA relationship
                None,
            ),
            (
                2024,
                "H",
                "WA",
                "02",
                1,
                10.00,
                0,
                0,
                D,
                "DAVIS, DOT",
                "DEM",
                10.00,
                1.0,
                1.0,
                0,
                0,
                None,
                0,
                None,
                date(2024, 9, 30),
                5.00,
                5.00,
                0,
                0,
                5.00 / 15.00,
                None,
                None,
            ),
        ],
    )
    write("candidate_periods", [(A, 2024, 2024, "Q3", date(2024, 7, 1), date(2024, 9, 30), 1000.00, 0, 0, 0, 0)])
    (folder / "manifest.json").write_text(json.dumps({"snapshot_id": "outside-tiny", "source": "demo"}))


@pytest.fixture(scope="module")
def outside_snapshot(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("outside-tiny")
    write_outside_snapshot(data_dir / "snapshots" / "outside-tiny")
    os.symlink("snapshots/outside-tiny", data_dir / "current")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_CACHE_DIR", str(data_dir))
        yield data_dir


RACE = (2024, "H", "WA", "01")
MONEY_COLUMNS = (
    "amount",
    "notice_amount",
    "receipts",
    "net_receipts",
    "outside_amount",
    "outside_support",
    "outside_oppose",
    "outside_notice_amount",
)


def cents(value) -> int:
    return int(round(float(value) * 100))


def test_race_candidates_keep_support_oppose_and_notices_apart(outside_snapshot):
    frame = outside.race_outside_candidates(*RACE).set_index("candidate_id")
    assert list(frame.index) == [A, B]  # in the race only, biggest fundraiser first; CLARK is in none
    assert cents(frame.loc[A, "support"]) == 18125 and cents(frame.loc[A, "oppose"]) == 0
    assert cents(frame.loc[A, "notice_support"]) == 7000 and cents(frame.loc[A, "notice_oppose"]) == 0
    assert cents(frame.loc[B, "support"]) == 4000 and cents(frame.loc[B, "oppose"]) == 21010
    assert cents(frame.loc[B, "notice_oppose"]) == 555
    assert cents(frame.loc[B, "outside"]) == 25010  # the notice's 5.55 is not in it
    assert frame.loc[A, "outside_share"] == pytest.approx(181.25 / 1181.25)
    assert frame.loc[B, "outside_share"] == pytest.approx(250.10 / 750.10)
    assert (frame.loc[A, "first_date"], frame.loc[A, "last_date"]) == (pd.Timestamp(D0901), pd.Timestamp(D1030))
    assert frame.loc[A, "candidate_path"] == f"/candidate/{A}?cycle=2024"


def test_race_share_is_outside_over_all_money_in_the_race(outside_snapshot):
    share = outside.race_outside_share(*RACE).iloc[0]
    assert cents(share.receipts) == 150000
    assert (cents(share.support), cents(share.oppose), cents(share.outside)) == (22125, 21010, 43135)
    assert share.outside_share == pytest.approx(431.35 / 1931.35)
    assert cents(share.notice_amount) == 7555  # apart: not in `outside`
    assert (share.first_date, share.last_date) == (pd.Timestamp(D0901), pd.Timestamp(D1030))
    # the race's row (the map's figures) is the sum of its candidates' (the page's table)
    by_candidate = outside.race_outside_candidates(*RACE)
    for column in ("receipts", "support", "oppose", "outside"):
        assert cents(by_candidate[column].sum()) == cents(share[column]), column
    assert cents(by_candidate.notice_support.sum() + by_candidate.notice_oppose.sum()) == cents(share.notice_amount)
    assert outside.race_outside_share(2024, "H", "WA", "09").empty  # no such race, no row


def test_race_daily_running_totals_per_candidate_and_side(outside_snapshot):
    daily = outside.race_outside_daily(*RACE)
    a_for = daily[(daily.candidate_id == A) & (daily.support_oppose == "S")]
    assert list(a_for.date) == [pd.Timestamp(d) for d in (D0901, D0902, D0905, D1030)]
    assert [cents(v) for v in a_for.amount] == [10100, 3000, 5025, 0]
    assert list(a_for.n) == [2, 1, 1, 0]
    assert [cents(v) for v in a_for.amount_to_date] == [10100, 13100, 18125, 18125]
    assert [cents(v) for v in a_for.notice_amount_to_date] == [0, 0, 0, 7000]
    b_against = daily[(daily.candidate_id == B) & (daily.support_oppose == "O")]
    assert [cents(v) for v in b_against.amount_to_date] == [20000, 21010]
    assert [cents(v) for v in b_against.notice_amount] == [555, 0]
    assert set(daily.candidate_id) == {A, B}
    assert set(outside.race_outside_daily(2024, "H", "WA", "02").candidate_id) == {D}


def test_race_top_spenders_ranked_on_each_side(outside_snapshot):
    top = outside.race_outside_spenders(*RACE)
    a_for = top[(top.candidate_id == A) & (top.support_oppose == "S")]
    assert list(a_for.committee_id) == [SUPER_PAC, PARTY] and list(a_for["rank"]) == [1, 2]
    assert [cents(v) for v in a_for.amount] == [15025, 3100] and list(a_for.n) == [2, 2]
    assert [cents(v) for v in a_for.notice_amount] == [7000, 0]
    assert a_for.committee_path.iloc[0] == f"/committee/{SUPER_PAC}?cycle=2024"
    b_against = top[(top.candidate_id == B) & (top.support_oppose == "O")]
    assert list(b_against.committee_id) == [SUPER_PAC, PARTY]
    assert list(b_against.spender_type) == ["super_pac", "party"]
    firsts = outside.race_outside_spenders(*RACE, limit=1)
    assert sorted(zip(firsts.candidate_id, firsts.support_oppose, firsts.committee_id)) == [
        (A, "S", SUPER_PAC),
        (B, "O", SUPER_PAC),
        (B, "S", GROUP),
    ]


def test_race_unmatched_compares_districts_as_two_digits(outside_snapshot):
    assert list(outside.race_outside_unmatched(*RACE).candidate_name) == ["JONES, BOB"]
    assert list(outside.race_outside_unmatched(2024, "H", "WA", "02").candidate_name) == ["SMYTHE, AL"]
    assert outside.race_outside_unmatched(2024, "S", "WA", None).empty


def test_candidate_spenders_and_running_totals(outside_snapshot):
    spenders = outside.candidate_outside_spenders(B, 2024)
    assert list(zip(spenders.support_oppose, spenders.committee_id)) == [("S", GROUP), ("O", SUPER_PAC), ("O", PARTY)]
    assert cents(spenders.amount.sum()) == 25010 and cents(spenders.notice_amount.sum()) == 555
    assert pd.isna(spenders.committee_path.iloc[0])  # FRIENDS OF BAKER has no committee page to link to
    assert spenders.committee_path.iloc[1] == f"/committee/{SUPER_PAC}?cycle=2024"
    summary = outside.candidate_outside_summary(B, 2024).iloc[0]
    assert [cents(summary[c]) for c in ("support", "oppose", "notice_support", "notice_oppose")] == [
        4000,
        21010,
        0,
        555,
    ]
    assert (summary.first_date, summary.last_date) == (pd.Timestamp(D0903), pd.Timestamp(D1001))
    assert outside.candidate_outside_summary(OUT_OF_RACE, 2022).empty
    daily = outside.candidate_outside_daily(A, 2024)
    assert list(daily.support_oppose.unique()) == ["S"]
    assert cents(daily.amount_to_date.iloc[-1]) == 18125 and cents(daily.notice_amount_to_date.iloc[-1]) == 7000
    assert outside.candidate_outside_daily(D, 2022).empty


def test_spender_where_it_spent_by_candidate_and_race(outside_snapshot):
    by_candidate = outside.spender_outside_candidates(SUPER_PAC, 2024)
    assert list(zip(by_candidate.candidate_id, by_candidate.support_oppose)) == [
        (OUT_OF_RACE, "S"),
        (B, "O"),
        (A, "S"),
        (D, "S"),
    ]
    assert pd.isna(by_candidate.set_index("candidate_id").race_path[OUT_OF_RACE])  # in no race: no race link
    assert by_candidate.set_index("candidate_id").race_path[A] == "/race/house/WA/01/2024"
    by_race = outside.spender_outside_races(SUPER_PAC, 2024)
    # the race figures hold candidates of the race only, as the race page does
    assert [
        (r.race_label, r.support_oppose, cents(r.amount), cents(r.notice_amount)) for r in by_race.itertuples()
    ] == [
        ("House WA-01", "O", 20000, 0),
        ("House WA-01", "S", 15025, 7000),
        ("House WA-02", "S", 500, 0),
    ]


def test_spender_over_time_cycles_and_unmatched(outside_snapshot):
    daily = outside.spender_outside_daily(SUPER_PAC, 2024)
    supported = daily[daily.support_oppose == "S"]
    # every expenditure of the cycle, matched to a candidate or not
    assert [cents(v) for v in supported.amount] == [110400, 5025, 1234, 0]
    assert list(supported.n) == [3, 1, 1, 0]
    assert (
        cents(supported.amount_to_date.iloc[-1]) == 116659 and cents(supported.notice_amount_to_date.iloc[-1]) == 7000
    )
    cycles = outside.spender_outside_cycles(SUPER_PAC)
    assert list(cycles.cycle) == [2024, 2022]
    assert [cents(v) for v in cycles.support] == [116659, 800] and [cents(v) for v in cycles.oppose] == [20000, 0]
    assert [cents(v) for v in cycles.notice_support] == [7000, 0] and cents(cycles.notice_oppose.sum()) == 0
    assert list(outside.spender_outside_unmatched(SUPER_PAC, 2024).candidate_name) == ["JONES, BOB"]
    assert outside.spender_outside_cycles("C99999999").empty
