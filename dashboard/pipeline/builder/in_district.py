"""In-district money: how much of a House candidate's itemized money comes from donors who live in
the district (extract `candidate_in_district`; agg_district's in_district_* columns for the map).

A donor's ZIP5 is taken to a ZCTA (through the cached USPS ZIP -> ZCTA crosswalk when one was given,
else ZIP5 = ZCTA5), and the ZCTA to the districts it lies in through the Census ZCTA-to-district
relationship cached by `python -m dashboard geo` (dashboard.store.geo_cache; the cycle's own
Congress's, else the nearest of the same apportionment). Per candidate and cycle:

- whole:   money from ZCTAs wholly inside the district (the lower bound)
- split:   money from ZCTAs split between the district and others (whole + split: the upper bound)
- split_in: of split, the part allocated to the district by the ZCTA's land share in it
            (NULL when only pairs without weights are cached)
- outside: money from ZCTAs not touching the district
- unknown: ZIP missing, with no ZCTA, or with a ZCTA the relationship does not list: never outside

Shares are of the money whose place is known (itemized minus unknown). Without a cached relationship
the extract is empty and the manifest says why and what to run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import geography
from dashboard.core.sql import quote_literal
from dashboard.store import geo_cache

# Reads `candidates`, `receipts` (staged by extracts.py) and the tables load_relationships makes.
CANDIDATE_IN_DISTRICT_SQL = """
    WITH house AS (
        SELECT c.candidate_id, c.cycle, c.state, c.district, z.congress, z.weighted, z.crosswalk
        FROM candidates c JOIN zcta_cycles z USING (cycle) WHERE c.office = 'H'
    ), by_zip AS (  -- first per ZIP: a few rows per candidate instead of every receipt
        SELECT r.candidate_id, r.cycle, r.zip5, sum(r.amount) AS amount
        FROM receipts r JOIN house h USING (candidate_id, cycle) GROUP BY ALL
    ), placed AS (
        SELECT b.candidate_id, b.cycle, b.amount, h.congress, h.state, h.district,
               CASE WHEN h.crosswalk THEN x.zcta5 ELSE b.zip5 END AS zcta5
        FROM by_zip b JOIN house h USING (candidate_id, cycle)
        LEFT JOIN zip_zcta x ON x.congress = h.congress AND x.zip5 = b.zip5
    ), zctas AS (
        SELECT congress, zcta5, count(*) AS n_districts FROM zcta_pieces GROUP BY ALL
    ), classed AS (
        SELECT p.candidate_id, p.cycle, p.amount, z.n_districts, d.land_weight, d.zcta5 IS NOT NULL AS touches
        FROM placed p
        LEFT JOIN zctas z ON z.congress = p.congress AND z.zcta5 = p.zcta5
        LEFT JOIN zcta_pieces d ON d.congress = p.congress AND d.zcta5 = p.zcta5
                               AND d.state = p.state AND d.district = p.district
    ), sums AS (
        SELECT h.candidate_id, h.cycle, h.state, h.district, h.congress, h.weighted,
               coalesce(sum(c.amount), 0) AS itemized_amount,
               coalesce(sum(c.amount) FILTER (WHERE c.touches AND c.n_districts = 1), 0) AS whole_amount,
               coalesce(sum(c.amount) FILTER (WHERE c.touches AND c.n_districts > 1), 0) AS split_amount,
               CASE WHEN h.weighted THEN CAST(coalesce(sum(c.amount * c.land_weight)
                   FILTER (WHERE c.touches AND c.n_districts > 1), 0) AS DECIMAL(14,2)) END AS split_in_amount,
               coalesce(sum(c.amount) FILTER (WHERE c.n_districts IS NOT NULL AND NOT c.touches), 0) AS outside_amount,
               coalesce(sum(c.amount) FILTER (WHERE c.n_districts IS NULL), 0) AS unknown_amount
        FROM house h LEFT JOIN classed c USING (candidate_id, cycle)
        GROUP BY h.candidate_id, h.cycle, h.state, h.district, h.congress, h.weighted
    )
    SELECT *, whole_amount + split_in_amount AS in_district_amount,
           CAST(whole_amount + split_in_amount AS DOUBLE) / nullif(itemized_amount - unknown_amount, 0)
               AS in_district_share,
           CAST(whole_amount AS DOUBLE) / nullif(itemized_amount - unknown_amount, 0) AS low_share,
           CAST(whole_amount + split_amount AS DOUBLE) / nullif(itemized_amount - unknown_amount, 0) AS high_share
    FROM sums ORDER BY cycle, candidate_id"""


def load_relationships(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Tables zcta_cycles (cycle, congress, weighted, crosswalk and the facts in_district_note
    reports), zcta_pieces (congress, zcta5, state, district, land_weight) and zip_zcta (congress,
    zip5, zcta5) from the relationships cached for the House cycles of `candidates`."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE zcta_cycles (cycle INTEGER, congress INTEGER, weighted BOOLEAN, "
        "crosswalk BOOLEAN, kind VARCHAR, zip_to_zcta VARCHAR, source_sha256 VARCHAR)"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE zcta_pieces "
        "(congress INTEGER, zcta5 VARCHAR, state VARCHAR, district VARCHAR, land_weight DOUBLE)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE zip_zcta (congress INTEGER, zip5 VARCHAR, zcta5 VARCHAR)")
    cycles = [
        r[0] for r in con.execute("SELECT DISTINCT cycle FROM candidates WHERE office = 'H' ORDER BY 1").fetchall()
    ]
    loaded: set[int] = set()
    for cycle in cycles:
        relationship = geo_cache.zcta_for_cycle(int(cycle), data_dir)
        if relationship is None:
            continue
        congress = relationship.congress
        if congress not in loaded:
            loaded.add(congress)
            con.execute(
                f"INSERT INTO zcta_pieces SELECT {int(congress)}, zcta5, state, district, land_weight "
                f"FROM read_parquet({quote_literal(relationship.table)})"
            )
            if relationship.crosswalk is not None:
                con.execute(
                    f"INSERT INTO zip_zcta SELECT {int(congress)}, zip5, zcta5 "
                    f"FROM read_parquet({quote_literal(relationship.crosswalk)})"
                )
        manifest = relationship.manifest
        con.execute(
            "INSERT INTO zcta_cycles VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                cycle,
                congress,
                relationship.weighted,
                relationship.crosswalk is not None,
                manifest.get("kind"),
                manifest.get("zip_to_zcta"),
                (manifest.get("source") or {}).get("sha256"),
            ],
        )


def in_district_note(con: duckdb.DuckDBPyConnection) -> dict:
    """For the manifest, after the build: per House cycle, the relationship that placed its donors,
    and the cycles without one with what to run."""
    used = con.execute(
        "SELECT cycle, congress, weighted, kind, zip_to_zcta, source_sha256 FROM zcta_cycles ORDER BY cycle"
    ).fetchall()
    per_cycle = {
        str(cycle): {
            "congress": congress,
            "own_congress": congress == geography.congress_for_cycle(int(cycle)),
            "kind": kind,
            "weighted": weighted,
            "zip_to_zcta": zip_to_zcta,
            "source_sha256": sha256,
        }
        for cycle, congress, weighted, kind, zip_to_zcta, sha256 in used
    }
    cycles = [
        r[0] for r in con.execute("SELECT DISTINCT cycle FROM candidates WHERE office = 'H' ORDER BY 1").fetchall()
    ]
    missing = [int(c) for c in cycles if str(c) not in per_cycle]
    note: dict = {"cycles": per_cycle, "cycles_without": missing}
    if missing:
        note["why"] = (
            "no ZCTA-to-district relationship is cached for these cycles' Congresses: run "
            "`python -m dashboard geo` (or `--only zcta --zcta-from FILE` offline), then `python -m dashboard build`"
        )
    return note
