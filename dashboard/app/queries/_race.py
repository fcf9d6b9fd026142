"""Which rows are one race's: the SQL fragments the race, outside-spending, donor and feed queries
share (this module is private to dashboard/app/queries: its functions are no queries of their own)."""

from __future__ import annotations


def race_condition(
    cycle: int | None, office: str, state: str | None, district: str | None, table: str = ""
) -> tuple[str, list]:
    """SQL condition (only `?` placeholders) and its parameters selecting one race. A Senate
    race is a whole state and the presidential race the whole country, so neither filters on
    district, nor the presidency on state; cycle None means every cycle. Column names come
    from this fixed list only."""
    keys: dict[str, object] = {"office": office}
    if cycle is not None:
        keys["cycle"] = cycle
    if office in ("H", "S"):
        keys["state"] = state
    if office == "H":
        keys["district"] = district
    condition = " AND ".join(f"{table}{column} = ?" for column in keys)
    return condition, list(keys.values())


def race_members(cycle: int, office: str, state: str | None, district: str | None) -> tuple[str, list]:
    """A CTE `members` (candidate_id, name, party, incumbent_challenge) of the race's candidates, and
    its parameters."""
    condition, params = race_condition(cycle, office, state, district)
    columns = "candidate_id, name, party, incumbent_challenge"
    return f"members AS (SELECT {columns} FROM candidates WHERE {condition} AND in_race)", params


# A CTE `grid` of every week (starting Monday) from the first to the last week of a CTE `weekly`
# (candidate_id, week, ...), for each candidate in it: quiet weeks become rows, so lines do not skip them.
WEEK_GRID = """grid AS (
            SELECT c.candidate_id,
                   CAST(unnest(range(CAST(b.first AS TIMESTAMP), CAST(b.last AS TIMESTAMP) + INTERVAL 1 DAY,
                                     INTERVAL 7 DAY)) AS DATE) AS week
            FROM (SELECT DISTINCT candidate_id FROM weekly) AS c,
                 (SELECT min(week) AS first, max(week) AS last FROM weekly) AS b
        )"""
