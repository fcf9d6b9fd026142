"""In-district money of House candidates: how much of their itemized money came from donors living in
the district (extract candidate_in_district, built by dashboard/pipeline/builder/in_district.py).

A donor's ZIP code is taken as a ZIP Code Tabulation Area (ZCTA) and placed in districts with the
Census Bureau's ZCTA-to-district relationship. Where that file's land areas are known, a ZCTA split
between districts counts for each in proportion to its land area there and the answer is one share;
where only the list of ZCTA-district pairs is known, it is a range, from the money of ZCTAs wholly
inside the district to that of every ZCTA touching it. Money from ZIPs with no ZCTA is unknown, and
shares are of the money whose place is known.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._race import race_members

METHOD_WEIGHTED = (
    "Donors' ZIP codes are matched to the Census Bureau's ZIP Code Tabulation Areas (ZCTAs), and ZCTAs to "
    "districts with the Census ZCTA-to-congressional-district relationship file. ZCTAs split between "
    "districts are allocated by land area. ZIP codes with no ZCTA (PO boxes, missing ZIPs) are counted as "
    "unknown, not as outside; the share is of the money whose place is known."
)
METHOD_BOUNDS = (
    "Donors' ZIP codes are matched to ZIP Code Tabulation Areas (ZCTAs), and ZCTAs to districts with a list "
    "of ZCTA-district pairs that has no land areas, so money from a ZCTA split between districts cannot be "
    "allocated: the share is given as a range, from the money of ZCTAs wholly inside the district (low) to "
    "the money of every ZCTA touching it (high). ZIP codes with no ZCTA are counted as unknown, not as "
    "outside; shares are of the money whose place is known."
)

SUMMARY_COLUMNS = (
    "candidate_id, cycle, state, district, congress, weighted, itemized_amount, whole_amount, split_amount, "
    "split_in_amount, outside_amount, unknown_amount, in_district_amount, in_district_share, low_share, high_share"
)


def candidate_in_district(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row (empty for a non-House candidate, or when no ZCTA relationship was cached for the
    build): the candidate's itemized money split by where its donors live (whole_amount from ZCTAs
    wholly inside the district, split_amount from ZCTAs it shares, split_in_amount the part of those
    allocated to it by land area (NULL without weights), outside_amount, unknown_amount), the
    in-district amount and share, and the bounds low_share .. high_share."""
    return db.query(
        f"SELECT {SUMMARY_COLUMNS} FROM candidate_in_district WHERE candidate_id = ? AND cycle = ?",
        [candidate_id, cycle],
    )


def candidate_in_district_breakdown(candidate_id: str, cycle: int) -> pd.DataFrame:
    """The candidate's itemized money by where its donors live, one row per place (for the table
    and its CSV): place, amount, share (of the money whose place is known; NULL for unknown).
    Places: ZCTAs wholly inside the district; ZCTAs split with other districts, the part allocated
    to this one by land area and the rest (one row 'ZCTAs split with other districts' when weights
    are unknown); outside the district; unknown (no ZCTA)."""
    return db.query(
        """
        WITH one AS (SELECT * FROM candidate_in_district WHERE candidate_id = ? AND cycle = ?),
        places AS (
            SELECT 1 AS ord, 'ZCTAs wholly inside the district' AS place, whole_amount AS amount FROM one
            UNION ALL SELECT 2, 'ZCTAs split with other districts: allocated to this one by land area',
                   split_in_amount FROM one WHERE weighted
            UNION ALL SELECT 3, 'ZCTAs split with other districts: allocated to the others',
                   split_amount - split_in_amount FROM one WHERE weighted
            UNION ALL SELECT 2, 'ZCTAs split with other districts (not allocated: no land areas)',
                   split_amount FROM one WHERE NOT weighted
            UNION ALL SELECT 4, 'Outside the district', outside_amount FROM one
            UNION ALL SELECT 5, 'Unknown (ZIP missing or with no ZCTA)', unknown_amount FROM one
        )
        SELECT place, amount,
               CASE WHEN ord < 5 THEN CAST(amount AS DOUBLE)
                    / nullif((SELECT itemized_amount - unknown_amount FROM one), 0) END AS share
        FROM places ORDER BY ord
        """,
        [candidate_id, cycle],
    )


def race_in_district(cycle: int, state: str, district: str) -> pd.DataFrame:
    """One row per candidate of a House race with in-district figures: candidate_id, name, party and
    the columns of candidate_in_district; biggest itemized money first. Empty when none was computed."""
    members, params = race_members(cycle, "H", state, district)
    return db.query(
        f"""
        WITH {members}
        SELECT m.candidate_id, m.name, m.party, d.weighted, d.itemized_amount, d.in_district_amount,
               d.in_district_share, d.low_share, d.high_share, d.whole_amount, d.split_amount, d.outside_amount,
               d.unknown_amount, d.congress
        FROM members m JOIN candidate_in_district d ON d.candidate_id = m.candidate_id AND d.cycle = ?
        ORDER BY d.itemized_amount DESC, m.name
        """,
        [*params, cycle],
    )


def in_district_status(cycle: int) -> dict:
    """What the snapshot's manifest says about in-district money in a cycle: {'available': bool,
    'weighted', 'congress', 'own_congress', 'kind', 'zip_to_zcta'} when computed, else
    {'available': False, 'why': what to run}."""
    note = db.manifest().get("in_district") or {}
    facts = (note.get("cycles") or {}).get(str(cycle))
    if facts:
        return {"available": True, **facts}
    return {
        "available": False,
        "why": note.get("why")
        or "in-district money needs the Census ZCTA-to-district relationship: run `python -m dashboard geo`, "
        "then `python -m dashboard build`",
    }
