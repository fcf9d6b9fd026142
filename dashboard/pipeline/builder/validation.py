"""Checks a freshly built snapshot must pass before it may be published, and the data-quality
report published with it.

Refused (the previous snapshot keeps serving) is only what cannot be right:
- an extract that cannot be read, or whose columns differ from the contract;
- no candidates and no committees at all: nothing to show (committees alone, e.g. a load of the
  PAC and party summary webk, are published, and the report says which cycles have no candidates);
- a collapse against the previous snapshot: a cycle that had rows in `candidates`,
  `candidate_totals`, `receipts` or `outside_expenditures` now has fewer than half as many (none included). Compared only
  with a previous snapshot of the same source, and never for demo data: the demo generator
  rewrites its raw data whole, so a smaller demo is what was asked for. A refresh only adds or
  replaces rows by key, and a bulk load replaces a cycle's files kind by kind, so neither shrinks
  a cycle by half unless a file was truncated or an extract is broken. When the shrink is
  intended (a rule of the builder changed), `python -m dashboard build --allow-shrink` publishes.

Odd but real (real FEC files have all of these) is published and listed in the manifest's
`data_quality`: one finding per reason with a code, a plain-language reason, a count, the money
involved where there is some, and a few example ids.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.core import contract, geography
from dashboard.core.sql import quote_literal
from dashboard.store import layout


class ValidationError(RuntimeError):
    pass


# A cycle of one of these extracts shrinking below COLLAPSE_RATIO of its previous row count is a collapse.
COLLAPSE_EXTRACTS = ("candidates", "candidate_totals", "receipts", "outside_expenditures")
COLLAPSE_RATIO = 0.5
EXAMPLES = 5  # example ids kept per finding

# (cycle % 6, state) of every regular Senate election: the classes repeat every six years.
_SENATE_REGULAR = ", ".join(
    f"({year % 6}, {quote_literal(state)})"
    for year, states in geography.SENATE_CLASS_STATES.items()
    for state in states
)


def extract_row_counts(con: duckdb.DuckDBPyConnection, snapshot: Path, names) -> dict[str, int]:
    """Each named extract can be read and has the contract's columns; returns its row counts."""
    problems = []
    row_counts = {}
    for extract, columns in contract.EXTRACTS.items():
        name = extract.rstrip("/")
        if name not in names:
            continue
        try:
            found = [
                r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {layout.extract_reader(snapshot, name)}").fetchall()
            ]
        except duckdb.Error as exc:
            problems.append(f"{name}: cannot be read ({exc})")
            continue
        if sorted(found) != sorted(columns):
            problems.append(f"{name}: columns {found} differ from the contract {list(columns)}")
        row_counts[name] = con.execute(f"SELECT count(*) FROM {layout.extract_reader(snapshot, name)}").fetchall()[0][0]
    if problems:
        raise ValidationError("; ".join(problems))
    return row_counts


def validate_snapshot(
    con: duckdb.DuckDBPyConnection, snapshot: Path, skip=(), previous: Path | None = None, allow_shrink: bool = False
) -> dict:
    """Refuse what cannot be right in every extract but those in `skip` (the change extracts, written
    after this check); `previous` is the snapshot to compare row counts with (None: no comparable
    one). Returns facts for the manifest, the data-quality report among them."""
    row_counts = extract_row_counts(con, snapshot, [n for n in contract.extract_names() if n not in skip])
    if row_counts["candidates"] == 0 and row_counts["committees"] == 0:
        raise ValidationError("candidates and committees are empty: there is nothing to publish")
    shrunk = collapses(con, snapshot, previous) if previous is not None else []
    if shrunk and not allow_shrink:
        raise ValidationError(
            f"the data collapsed against the previous snapshot {previous.name}: {'; '.join(shrunk)}. "
            "A source file may be truncated; if the smaller data is intended, publish it with "
            "`python -m dashboard build --allow-shrink`"
        )
    totals = layout.extract_reader(snapshot, "candidate_totals")
    cycles = [r[0] for r in con.execute(f"SELECT DISTINCT cycle FROM {totals} ORDER BY 1").fetchall()]
    coverage = {
        str(c): str(d)
        for c, d in con.execute(
            f"SELECT cycle, max(coverage_end) FROM {totals} GROUP BY cycle ORDER BY cycle"
        ).fetchall()
    }
    quality = {
        "findings": cycles_without_candidates(con, snapshot) + data_quality(con, snapshot),
        "compared_with": previous.name if previous is not None else None,
        "shrinks_allowed": shrunk,  # published anyway (--allow-shrink)
    }
    return {"row_counts": row_counts, "cycles": cycles, "coverage_end": coverage, "data_quality": quality}


def _counts_by_cycle(con, snapshot: Path, name: str) -> dict[int, int]:
    sql = f"SELECT cycle, count(*) FROM {layout.extract_reader(snapshot, name)} GROUP BY cycle"
    return {int(cycle): n for cycle, n in con.execute(sql).fetchall() if cycle is not None}


def collapses(con: duckdb.DuckDBPyConnection, snapshot: Path, previous: Path) -> list[str]:
    """Per cycle and extract of COLLAPSE_EXTRACTS, where the new snapshot holds fewer than
    COLLAPSE_RATIO of the rows the previous one held (a previous snapshot that cannot be read
    is no evidence of anything: nothing is reported)."""
    found = []
    for name in COLLAPSE_EXTRACTS:
        if not layout.extract_exists(previous, name):
            continue
        try:
            before = _counts_by_cycle(con, previous, name)
        except duckdb.Error:
            continue
        now = _counts_by_cycle(con, snapshot, name)
        for cycle, old in sorted(before.items()):
            new = now.get(cycle, 0)
            if new < old * COLLAPSE_RATIO:
                found.append(f"{name} of {cycle}: {new:,} rows, {old:,} before")
    return found


def cycles_without_candidates(con: duckdb.DuckDBPyConnection, snapshot: Path) -> list[dict]:
    """One finding per cycle whose committees are published with no candidate at all (the files
    loaded for it, e.g. webk alone, name committees only): its pages have no candidates, races or
    totals, and this says why."""
    committees = layout.extract_reader(snapshot, "committees")
    candidates = layout.extract_reader(snapshot, "candidates")
    rows = con.execute(
        f"SELECT cycle, count(*), list(committee_id ORDER BY committee_id)[1:{EXAMPLES}] FROM {committees} "
        f"WHERE cycle NOT IN (SELECT DISTINCT cycle FROM {candidates} WHERE cycle IS NOT NULL) "
        "GROUP BY cycle ORDER BY cycle"
    ).fetchall()
    return [
        {
            "code": "no_candidates",
            "reason": f"No candidates in {cycle}: the files loaded name committees only (shown: the cycle's "
            "committees; candidate, race and totals pages need the candidate master cn or the summaries "
            "weball or webl)",
            "count": int(count),
            "amount": None,
            "examples": [str(e) for e in examples],
        }
        for cycle, count, examples in rows
    ]


# Each check: (code, reason, SQL giving one row per case: an example id and the money involved).
# {name} stands for the table function reading that extract of the snapshot being validated, and
# {receipts_by_candidate} for the receipts extract summed per candidate and cycle.
_CHECKS = (
    (
        "negative_totals",
        "Candidates whose money raised, spent or from individuals is negative (refunds or corrections "
        "larger than the period's money); published as filed",
        """SELECT candidate_id AS id, NULL AS amount FROM {candidate_totals}
           WHERE receipts < 0 OR disbursements < 0 OR individual_itemized < 0 OR individual_unitemized < 0""",
    ),
    (
        "negative_cash_on_hand",
        "Candidates whose committees reported negative cash on hand at the end of their latest report (overdrawn, "
        "as filed)",
        "SELECT candidate_id AS id, cash_on_hand AS amount FROM {candidate_totals} WHERE cash_on_hand < 0",
    ),
    (
        "missing_receipts",
        "Candidates with totals but no figure for money raised",
        "SELECT candidate_id AS id, NULL AS amount FROM {candidate_totals} WHERE receipts IS NULL",
    ),
    (
        "orphan_totals",
        "Totals of candidate IDs with no candidate record that cycle (not shown on candidate or race pages)",
        """SELECT candidate_id AS id, receipts AS amount
           FROM {candidate_totals} t ANTI JOIN {candidates} c USING (candidate_id, cycle)""",
    ),
    (
        "orphan_receipts",
        "Candidate IDs with itemized receipts but no candidate record that cycle",
        """SELECT candidate_id AS id, amount
           FROM {receipts_by_candidate} r
           ANTI JOIN {candidates} c USING (candidate_id, cycle)""",
    ),
    (
        "shared_committees",
        "Committees linked as principal or authorized to several candidate IDs in one cycle "
        "(often one person's House and Senate IDs, or a re-registration)",
        """SELECT committee_id AS id, NULL AS amount FROM (
               SELECT committee_id, cycle, candidate_id FROM raw_linkages WHERE designation IN ('P', 'A')
               UNION SELECT principal_committee_id, cycle, candidate_id FROM {candidates}
               WHERE principal_committee_id IS NOT NULL)
           GROUP BY committee_id, cycle HAVING count(DISTINCT candidate_id) > 1""",
    ),
    (
        "not_in_a_race",
        "Candidates listed for the cycle but in none of its races: their candidacy is for another "
        "election year, or their House district is no seat of that Congress (an old number, a typo, "
        "'00' in a state with several seats). Their pages and totals stay; race lists and the map leave "
        "them out",
        """SELECT c.candidate_id AS id, t.receipts AS amount
           FROM {candidates} c LEFT JOIN {candidate_totals} t USING (candidate_id, cycle) WHERE NOT c.in_race""",
    ),
    (
        "senate_off_class",
        "Senate candidates in a race of a state with no regular Senate election that cycle: taken as a "
        "special election (nothing in the files tells one from a candidacy filed for the wrong year)",
        f"""SELECT c.candidate_id AS id, t.receipts AS amount
           FROM {{candidates}} c LEFT JOIN {{candidate_totals}} t USING (candidate_id, cycle)
           WHERE c.in_race AND c.office = 'S' AND (c.cycle % 6, c.state) NOT IN (VALUES {_SENATE_REGULAR})""",
    ),
    (
        "summaries_disagree",
        "Candidates whose FEC summaries disagree (weball, webl and the API's candidate totals are published "
        "separately and can differ); shown: the one with the latest data, the all-candidates file weball on a tie",
        """SELECT candidate_id AS id, max(receipts) - min(receipts) AS amount FROM raw_candidate_summaries
           GROUP BY candidate_id, cycle, period
           HAVING count(DISTINCT (receipts, disbursements, cash_on_hand_end, coverage_end)) > 1""",
    ),
    (
        "candidates_from_summaries",
        "Candidate IDs that only a summary file names (not the candidate master cn): shown with the summary's "
        "own name, party, office and state",
        """SELECT s.candidate_id AS id, s.receipts AS amount FROM raw_candidate_summaries s
           ANTI JOIN raw_candidates c USING (candidate_id, cycle)
           WHERE s.period = 'cycle' QUALIFY row_number() OVER (PARTITION BY s.candidate_id, s.cycle) = 1""",
    ),
    (
        "outside_unmatched",
        "Independent expenditures naming a candidate that no candidate of the cycle matches (by ID, or by name, "
        "office, state and district), or several do: listed, not added to any candidate's outside money",
        "SELECT coalesce(candidate_name, '?') || ' (' || committee_id || ')' AS id, amount FROM {outside_unmatched}",
    ),
    (
        "candidates_without_money",
        "Candidates registered for the cycle with no financial totals (no report, or no committee linked)",
        """SELECT candidate_id AS id, NULL AS amount
           FROM {candidates} c ANTI JOIN {candidate_totals} t USING (candidate_id, cycle)""",
    ),
    (
        "daily_differs_from_receipts",
        "Candidates whose day-by-day itemized sums differ from their itemized receipts",
        """SELECT candidate_id AS id, coalesce(r.amount, 0) - coalesce(d.amount, 0) AS amount
           FROM {receipts_by_candidate} r
           FULL JOIN (SELECT candidate_id, cycle, sum(amount) AS amount FROM {agg_candidate_daily} GROUP BY ALL) d
           USING (candidate_id, cycle)
           WHERE r.amount IS DISTINCT FROM d.amount""",
    ),
    (
        "sizes_differ_from_totals",
        "Candidates whose contribution-size buckets do not add up to itemized plus unitemized money "
        "(e.g. itemized receipts larger than the summary's individual total)",
        """SELECT candidate_id AS id, coalesce(r.amount, 0) + coalesce(t.unitemized, 0) - coalesce(s.amount, 0) AS amount
           FROM (SELECT candidate_id, cycle, sum(amount) AS amount FROM {agg_candidate_size} GROUP BY ALL) s
           FULL JOIN {receipts_by_candidate} r
           USING (candidate_id, cycle)
           FULL JOIN (SELECT candidate_id, cycle, individual_unitemized AS unitemized FROM {candidate_totals}) t
           USING (candidate_id, cycle)
           WHERE coalesce(s.amount, 0) <> coalesce(r.amount, 0) + coalesce(t.unitemized, 0)""",
    ),
)


def data_quality(con: duckdb.DuckDBPyConnection, snapshot: Path) -> list[dict]:
    """The findings of the data-quality report: one per reason that has cases, with its count,
    the money involved (a sum, as a string of cents; None where money is not the point) and up
    to EXAMPLES example ids."""
    readers = {name: layout.extract_reader(snapshot, name) for name in contract.extract_names()}
    # The receipts extract is the only large one: it is read once, into sums per candidate.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE dq_receipts_by_candidate AS "
        f"SELECT candidate_id, cycle, sum(amount) AS amount FROM {readers['receipts']} GROUP BY ALL"
    )
    readers["receipts_by_candidate"] = "dq_receipts_by_candidate"
    findings = []
    for code, reason, sql in _CHECKS:
        try:
            count, amount, examples = con.execute(
                f"SELECT count(*), sum(amount), list(DISTINCT id ORDER BY id)[1:{EXAMPLES}] "
                f"FROM ({sql.format(**readers)})"
            ).fetchall()[0]
        except duckdb.CatalogException:  # raw_linkages exists only on the builder's connection
            continue
        if count:
            findings.append(
                {
                    "code": code,
                    "reason": reason,
                    "count": int(count),
                    "amount": None if amount is None else str(amount),
                    "examples": [str(e) for e in examples or []],
                }
            )
    return findings
