"""Deterministic generator of synthetic, FEC-shaped raw data (the built-in demo).

It writes the raw tables of `dashboard.core.contract.RAW` exactly as the real sources would, with the
real data's traps in place: earmarked gifts filed twice (conduit `24T` and recipient `15E`),
joint-fundraising memo allocations (`15J`, memo 'X'), partnership memo attributions, refunds
(`22Y`, positive as filed), amended reports whose superseded itemized rows are still in the file, and
transfers between a candidate's own committees; and outside spending (Schedule E) with 24/48-hour
notices later repeated in regular reports, amended notices and reports, memo lines and candidates
named without their ID. The builder must undo all of that; the truth written to `demo_truth/` says
what the right answers are.

Everything comes from the seed (one numpy Generator, and a second one seeded from the same seed for
the outside spending), so a seed and a row count give the same files.
Amounts are handled as integer cents throughout, so totals reconcile to the cent.

    generator   generate(): one seeded run, cycle after cycle
    periods     the cycles, the demo's "today", report periods, the days people give
    serials     committee and candidate IDs, file numbers, sub_ids, linkage IDs
    committees  the standing committees: conduits, parties, PACs, the joint fundraiser
    races       who runs: races, candidates, their committees, incumbents
    donors      the individual donors
    money       the itemized receipts: gifts, earmarks, refunds, partnership and JFC memos
    reports     summary reports and amendments
    outside     outside spending: super PACs, parties, PACs and nonprofits for and against candidates
    truth       what each candidate really raised, and the outside money for and against each
    writer      the raw Parquet tables
    names       word lists
"""

from dashboard.pipeline.demo.generator import generate
from dashboard.pipeline.demo.periods import AS_OF, CYCLES

__all__ = ["AS_OF", "CYCLES", "generate"]
