"""Who runs in which race: the race rule, applied to the staged `candidates` table (extracts.STAGING).

The FEC's candidate master of a cycle lists everyone with a committee active in its two years:
senators elected four years earlier, House members who left long ago, people filing for the next
cycle, districts that were renumbered or mistyped. Each stays a candidate (their pages work), but
only a candidacy for the cycle's own election puts one in a race (`in_race`), that is in race
lists, race pages and the map:
- the candidacy's election year is the cycle: the candidate row's (cn CAND_ELECTION_YR, the API's
  next election year) or a linkage's of that cycle (ccl CAND_ELECTION_YR where FEC_ELECTION_YR is
  the cycle);
- House: a seat of the Congress the cycle elects (geography.house_seats; at-large '00'), or a
  territory's delegate. Cycles before the apportionments recorded there are not checked by seat;
- Senate: a state. Where the state has no regular election that cycle the candidacy is taken as a
  special election: nothing in the files tells one from a mistake, and dropping a real special
  would hide a whole race;
- President: a presidential election year.
"""

from __future__ import annotations

import duckdb

from dashboard.core import geography

MARK_SQL = """
UPDATE candidates c SET in_race = coalesce(
    (c.election_year = c.cycle OR EXISTS (
        SELECT 1 FROM raw_linkages l
        WHERE l.candidate_id = c.candidate_id AND l.cycle = c.cycle AND l.election_year = c.cycle))
    AND CASE c.office
        WHEN 'H' THEN EXISTS (SELECT 1 FROM race_house_seats s
                              WHERE s.cycle = c.cycle AND s.state = c.state AND s.district = c.district)
                   OR c.cycle NOT IN (SELECT cycle FROM race_house_seats)
        WHEN 'S' THEN c.state IN (SELECT unnest($senate_states))
        WHEN 'P' THEN c.cycle % 4 = 0
        ELSE false END,
    false);
"""


def mark_races(con: duckdb.DuckDBPyConnection) -> None:
    """Adds `in_race` to the staged candidates table."""
    cycles = [
        int(c) for (c,) in con.execute("SELECT DISTINCT cycle FROM candidates WHERE cycle IS NOT NULL").fetchall()
    ]
    seats = [
        (cycle, state, district)
        for cycle in cycles
        if geography.house_seats(cycle) is not None
        for state, district in geography.house_districts(cycle)
        + [(t, "00") for t, first in geography.DELEGATE_TERRITORIES.items() if cycle >= first]
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE race_house_seats (cycle INTEGER, state VARCHAR, district VARCHAR)")
    if seats:
        con.execute(
            "INSERT INTO race_house_seats SELECT unnest($cycles), unnest($states), unnest($districts)",
            {"cycles": [s[0] for s in seats], "states": [s[1] for s in seats], "districts": [s[2] for s in seats]},
        )
    senators = [s for s in geography.STATES if s not in geography.DELEGATE_STATES]
    con.execute("ALTER TABLE candidates ADD COLUMN IF NOT EXISTS in_race BOOLEAN")
    con.execute(MARK_SQL, {"senate_states": senators})
