"""One seeded run of the demo generator: the cycles in order, each made from what the cycles before
it left behind (incumbents, cash and debts, serial numbers), then written.

Everything comes from one numpy Generator, drawn in a fixed order, so a seed and a row count give
the same files; changing the order of the draws changes the demo's data."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.pipeline.demo import races
from dashboard.pipeline.demo.committees import StandingCommittees, make_standing_committees
from dashboard.pipeline.demo.donor_traps import donor_trap_truth, plant_donor_traps
from dashboard.pipeline.demo.donors import Donors, make_donors, place_in_zctas
from dashboard.pipeline.demo.in_district import (
    UNKNOWN_SHARE,
    ZCTA_STREAM,
    in_district_truth,
    relationships,
    zctas_by_state,
)
from dashboard.pipeline.demo.money import itemize, running_totals
from dashboard.pipeline.demo.outside import (
    BASE_EXPENDITURES,
    EXPENDITURES_PER_ITEMIZED_ROW,
    Spender,
    make_outside,
    make_spenders,
)
from dashboard.pipeline.demo.periods import CYCLES, CycleCalendar
from dashboard.pipeline.demo.reports import Balances, amend_reports, make_reports
from dashboard.pipeline.demo.serials import Serials
from dashboard.pipeline.demo.truth import candidate_truth, outside_truth
from dashboard.pipeline.demo.writer import write_entities, write_schedule_a, write_schedule_e
from dashboard.store import files

# Share of the requested itemized rows that each cycle gets.
CYCLE_ROW_SHARE = {2022: 0.30, 2024: 0.42, 2026: 0.28}
TRUTH_DIR = "demo_truth"
# Outside spending draws from a random stream of its own (seeded from the same seed), so the rest of
# the demo is what it was without it.
OUTSIDE_STREAM = 13


@dataclass
class _Run:
    """What one run carries from cycle to cycle."""

    rows: int
    rng: np.random.Generator
    serials: Serials
    standing: StandingCommittees
    donors: Donors
    outside_rng: np.random.Generator
    spenders: list[Spender]
    incumbents: races.Incumbents = field(default_factory=dict)
    balances: Balances = field(default_factory=Balances)
    zcta: dict = field(default_factory=dict)  # cycle -> cached ZCTA relationship (demo/in_district.py)

    @classmethod
    def start(cls, rows: int, seed: int, zcta: dict | None = None) -> _Run:
        rng = np.random.default_rng(seed)
        serials = Serials()
        standing = make_standing_committees(rng, serials)
        donors = make_donors(rng, rows)
        if zcta:  # donors at real ZCTAs (their own random stream), before the look-alikes copy ZIPs
            place_in_zctas(donors, np.random.default_rng([seed, ZCTA_STREAM]), zctas_by_state(zcta), UNKNOWN_SHARE)
        plant_donor_traps(donors)  # look-alike donors for the donor pages (no random draw)
        outside_rng = np.random.default_rng([seed, OUTSIDE_STREAM])
        spenders = make_spenders(outside_rng, serials, standing)
        return cls(rows, rng, serials, standing, donors, outside_rng, spenders, zcta=zcta or {})


def generate(out_dir: Path, rows: int, seed: int, progress=None) -> dict:
    """Write the demo's raw tables and truth under out_dir, replacing an earlier demo's. Only the
    demo's own files are removed: raw files any other source wrote are never touched (the CLI
    refuses to generate the demo where they are, so the two never mix)."""
    progress = progress or (lambda msg: None)
    started = time.monotonic()
    out_dir = Path(out_dir)
    files.remove_demo_raw(out_dir)
    shutil.rmtree(out_dir / TRUTH_DIR, ignore_errors=True)
    (out_dir / TRUTH_DIR).mkdir(parents=True)
    run = _Run.start(rows, seed, relationships(out_dir, CYCLES))
    truths, outside, total = [], [], 0
    for cycle in CYCLES:
        truth, expenditures, written = _generate_cycle(run, cycle, out_dir, progress)
        truths.append(truth)
        outside.append(expenditures)
        total += written
    truth = pd.concat(truths, ignore_index=True)
    truth.to_parquet(out_dir / TRUTH_DIR / "candidates.parquet", index=False)
    for name, frame in outside_truth(pd.concat(outside, ignore_index=True)).items():
        frame.to_parquet(out_dir / TRUTH_DIR / f"{name}.parquet", index=False)
    return {"rows": total, "candidates": len(truth), "seconds": round(time.monotonic() - started, 1)}


def _generate_cycle(run: _Run, cycle: int, out_dir: Path, progress) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Make and write one cycle; returns its truth, its outside spending's bookkeeping and the number
    of itemized rows written."""
    world = races.make_world(run.rng, run.serials, cycle, run.standing, run.incumbents)
    calendar = CycleCalendar.of(cycle)
    cycle_rows = int(run.rows * CYCLE_ROW_SHARE[cycle])
    money = itemize(run.rng, world, run.standing, run.donors, calendar, cycle_rows)
    # Reports: summary pages that agree with the itemized rows plus unitemized money.
    reports = make_reports(
        run.rng, world, money.table, money.unitemized, money.jfc_proceeds, calendar, run.balances, run.serials
    )
    # Amendments: some candidate reports were refiled; the first version's rows stay in the file.
    stale = amend_reports(run.rng, world, money.table, reports, run.serials)
    truth = candidate_truth(world, money.table, reports)
    if cycle in run.zcta:
        in_district_truth(world, money.table, run.donors, run.zcta[cycle]).to_parquet(
            out_dir / TRUTH_DIR / f"in_district-{cycle}.parquet", index=False
        )
    donor_trap_truth(world, money.table, run.donors).to_parquet(out_dir / TRUTH_DIR / f"donors-{cycle}.parquet")
    races.update_incumbents(run.incumbents, world, dict(zip(truth.candidate_id, truth.receipts_cents)))
    ytd = running_totals(run.donors.count, money.table)
    written = write_schedule_a(out_dir, world, calendar, money.table, ytd, stale, reports, run.donors, run.serials)
    # Outside spending on the cycle's races, after the rest (its own random stream).
    expenditures = BASE_EXPENDITURES + int(cycle_rows * EXPENDITURES_PER_ITEMIZED_ROW)
    outside = make_outside(
        run.outside_rng, run.serials, run.spenders, world, calendar, expenditures, int(truth.receipts.sum())
    )
    se_lines = write_schedule_e(out_dir, cycle, outside.lines)
    write_entities(out_dir, world, reports, run.serials, spenders=outside.committees)
    progress(
        f"  cycle {cycle}: {len(world.candidates):,} candidates, {len(world.committees):,} committees, "
        f"{written:,} itemized rows, {len(outside.expenditures):,} outside expenditures ({se_lines:,} lines)"
    )
    return truth, outside.expenditures, written
