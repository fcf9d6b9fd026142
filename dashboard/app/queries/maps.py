"""What the district map shows: every race of one office in a cycle, and its leading candidates.

Both answer from extracts only (agg_district for the races, candidates + candidate_totals for the
names in the hover), never from receipts.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._columns import add_race_links
from dashboard.core import geography

METRIC_COLUMNS = (
    "receipts",
    "cash_on_hand",
    "n_candidates",
    "leader_share",
    "out_of_state_share",
    "small_share",
    "outside_amount",
    "outside_share",
    "in_district_share",
)


def map_races(cycle: int, office: str, state: str | None = None) -> pd.DataFrame:
    """One row per House district (office 'H') or Senate race (office 'S') of the cycle that
    has candidates, optionally one state's only: every metric the map can colour by, the
    leader, coverage_end, race_label and race_path. Districts are FEC style ('00' at-large
    and for the DC and PR delegates); a Senate race's district is '00'."""
    frame = db.query(
        f"""
        SELECT cycle, office, state, district, {", ".join(METRIC_COLUMNS)},
               disbursements, leader_candidate_id, leader_name, leader_party, leader_receipts,
               margin, itemized_amount, out_of_state_amount, small_amount, outside_support, outside_oppose,
               outside_notice_amount, in_district_amount, coverage_end
        FROM agg_district
        WHERE cycle = ? AND office = ? AND (? IS NULL OR state = ?)
        ORDER BY state, district
        """,
        [cycle, office, state, state],
    )
    return add_race_links(frame)


def map_candidates(cycle: int, office: str, state: str | None = None, per_race: int = 3) -> pd.DataFrame:
    """The `per_race` biggest fundraisers of every race of the office in the cycle (for the
    map's hover): state, district, rank, name, party, receipts (summary totals; empty when not
    reported). Senate rows have district '00', like agg_district."""
    return db.query(
        """
        SELECT c.state, CASE WHEN c.office = 'H' THEN c.district ELSE '00' END AS district,
               row_number() OVER (PARTITION BY c.state, CASE WHEN c.office = 'H' THEN c.district END
                                  ORDER BY t.receipts DESC NULLS LAST, c.name) AS rank,
               c.name, c.party, t.receipts
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE c.cycle = ? AND c.office = ? AND (? IS NULL OR c.state = ?) AND c.in_race
        QUALIFY rank <= ?
        ORDER BY c.state, district, rank
        """,
        [cycle, office, state, state, per_race],
    )


@db.kept_per_snapshot
def map_rows(
    cycle: int,
    office: str,
    state: str | None = None,
    per_race: int = 3,
    sort_by: str | None = None,
    descending: bool = True,
) -> pd.DataFrame:
    """Everything one map draws, one row per seat whether or not it has candidates: every
    House seat and delegate (FEC districts) of the Congress the cycle elects for office 'H',
    every state for 'S' (`has_race` False where no Senate seat is up or nobody filed),
    optionally one state's only. Adds
    `geoid` (Census: state FIPS + district, '98' for the DC and PR delegates), race_label,
    race_path, and `top_candidates`: the race's biggest fundraisers as (name, party, receipts).
    Rows are in state and district order, or sorted by `sort_by` (a metric column, or
    'race_label' for that order) with seats lacking the value last."""
    races = map_races(cycle, office, state)
    leaders = map_candidates(cycle, office, state, per_race)
    if office == "H":
        # The seats of the Congress the cycle elects (2016 has OH-16 and no MT-02); before the 2000
        # census's apportionment, which is not recorded, the districts that have races.
        if geography.house_seats(cycle) is not None:
            seats = [(s, d) for s, d in geography.house_districts(cycle) if state in (None, s)]
        else:
            seats = [(s, d) for s, d in zip(races["state"], races["district"]) if s in geography.STATES]
    else:
        seats = [(s, "00") for s in geography.STATES if state in (None, s)]
    frame = pd.DataFrame(seats, columns=["state", "district"])
    frame["cycle"], frame["office"] = cycle, office
    frame = frame.merge(
        races.drop(columns=["cycle", "office", "race_label", "race_path"]), on=["state", "district"], how="left"
    )
    frame["has_race"] = frame["n_candidates"].notna()
    frame["n_candidates"] = frame["n_candidates"].fillna(0).astype(int)
    frame["geoid"] = [
        geography.geoid(s, d) if office == "H" else geography.STATES[s][0]
        for s, d in zip(frame["state"], frame["district"])
    ]
    tops: dict[tuple[str, str], list] = {}
    for row in leaders.itertuples():
        tops.setdefault((row.state, row.district), []).append(
            (
                row.name,
                row.party if isinstance(row.party, str) else None,
                None if pd.isna(row.receipts) else float(row.receipts),
            )
        )
    frame["top_candidates"] = [tops.get((s, d), []) for s, d in zip(frame["state"], frame["district"])]
    return sort_rows(add_race_links(frame), sort_by, descending)


def sort_rows(frame: pd.DataFrame, sort_by: str | None = None, descending: bool = True) -> pd.DataFrame:
    """`map_rows` (in state and district order) sorted by `sort_by` (a metric column, or 'race_label'
    for state and district order) with seats lacking the value last; None keeps the order."""
    if sort_by and sort_by != "race_label":
        frame = frame.sort_values(
            [sort_by, "state", "district"], ascending=[not descending, True, True], na_position="last", kind="stable"
        )
    elif sort_by == "race_label" and descending:
        frame = frame.iloc[::-1]
    return frame.reset_index(drop=True)
