"""About the data: where it comes from, how money is counted, what the snapshot holds."""

from __future__ import annotations

import re

import dash
from dash import dcc, html

from dashboard.app import db, labels
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.errors import friendly_layout
from dashboard.app.components.shell import current_manifest, page, source_name
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import download_button
from dashboard.app.queries import snapshot

dash.register_page(
    __name__,
    path="/data",
    name="About the data",
    title="About the data",
    # The shell's 503 when the snapshot is damaged (errors.http_status); with none published yet the
    # snapshot gate (dashboard/app/health.py) answers 503 before any page is drawn.
    check=lambda **_query: db.raise_if_damaged(),
    description="Where the dashboard's numbers come from, how money is counted, how current the data is and "
    "what the data-quality checks found.",
)

SOURCES = html.Section(
    [
        html.H2("Where the data comes from"),
        html.P(
            "Every number comes from reports that candidates and committees file with the Federal "
            "Election Commission (FEC). The dashboard reads them from the FEC's OpenFEC API and its "
            "bulk data files, turns them into a snapshot of small tables, and publishes a new "
            "snapshot only once it has been checked; until then the previous one keeps serving."
        ),
        html.P(
            "The demo snapshot is different: it is generated, with invented names, to show how the "
            "dashboard works. Pages built from it say so at the top."
        ),
    ]
)

METHODOLOGY = html.Section(
    [
        html.H2("How money is counted", id="methodology"),
        html.H3("Raised, spent, cash on hand and debts"),
        html.Ul(
            [
                html.Li(
                    "Raised, spent and cash on hand are the FEC's own totals for each candidate ID (its "
                    "candidate summary files weball and webl, or the API's candidate totals), to the cent. "
                    "Where the FEC publishes none (the demo), they add up the summary page of each report "
                    "of the candidate's committees, never individual transactions."
                ),
                html.Li(
                    "A candidate's totals cover their principal campaign committee and their other "
                    "authorized committees. Joint fundraising committees and PACs are not added, "
                    "even when they raise money for the candidate."
                ),
                html.Li("When a report is amended, only the newest version counts."),
                html.Li(
                    "Raised and spent are gross, as the FEC publishes them: money moved between a "
                    "candidate's own committees is in them twice (raised by one, then by the other). "
                    "Each candidate's page also shows them net of it: the smaller of the transfers in "
                    "and out between its committees is taken out, the most that can have moved between them."
                ),
                html.Li(
                    "A committee linked to several candidate IDs (often one person's House and Senate IDs) "
                    "is in the FEC totals of each; its itemized contributions go to the candidacy of the "
                    "cycle's election only, so they are never counted twice."
                ),
                html.Li(
                    "Cash on hand and debts are the figures at the end of each committee's latest "
                    "report, added together."
                ),
                html.Li(
                    "Totals cover the two-year cycle named by its even year (2024 = 2023-2024). "
                    "Senate and presidential candidates' pages also show the whole election period "
                    "(six and four years), as fec.gov does, saying which cycles are not loaded."
                ),
            ]
        ),
        html.H3("Itemized contributions (donors, places, employers)"),
        html.Ul(
            [
                html.Li("Only contributions from individuals to the candidate's own committees."),
                html.Li(
                    "An earmarked gift through a conduit such as ActBlue or WinRed counts once, "
                    "under the candidate who received it; the conduit is kept as a detail."
                ),
                html.Li(
                    "Memo entries (for example a joint fundraiser's share of a gift) are left out, "
                    "because the money is already reported elsewhere."
                ),
                html.Li(
                    "Refunds to donors are filed as positive amounts and count as negative ones, so sums "
                    "are net of refunds; a negative refund undoes an earlier one and adds back."
                ),
                html.Li(
                    "Gifts from a donor who gave $200 or less in the cycle are usually not itemized; "
                    "they appear only in the totals. So itemized sums are smaller than totals."
                ),
            ]
        ),
        html.H3("Outside spending (independent expenditures)"),
        html.Ul(
            [
                html.Li(
                    "Money spent by super PACs, parties, PACs and other groups for or against a candidate, "
                    "without coordinating with the campaign, as reported on Schedule E."
                ),
                html.Li(
                    "Each expenditure counts once. A 24/48-hour notice gives way to the regular report's line for "
                    "the same expenditure (same spender, transaction, candidate and date); an amended notice or "
                    "report replaces what it amends; memo lines are details, not extra money."
                ),
                html.Li(
                    'Expenditures so far reported only in 24/48-hour notices are shown apart, labelled "from '
                    '24/48-hour notices, not yet in a regular report", and never added to the totals.'
                ),
                html.Li(
                    "Money is placed on the date the communication was disseminated (else the date it was paid). "
                    "Support and opposition are kept apart for each candidate."
                ),
                html.Li(
                    "An expenditure naming its candidate without an FEC ID is matched by name, office, state and "
                    "district when exactly one candidate fits; otherwise it is listed in the data-quality report, "
                    "never guessed."
                ),
                html.Li(
                    "Outside share of a race: outside spending divided by the candidates' own receipts plus "
                    "outside spending."
                ),
            ]
        ),
        html.H3("Contribution sizes"),
        html.P(
            "$200 and under (including unitemized money); $200.01-$499.99; $500-$999.99; "
            "$1,000-$1,999.99; $2,000 and over."
        ),
        html.P(
            "Every chart says whether it shows totals or itemized contributions, and the date the reports run through."
        ),
        html.P(
            "In every CSV (the download buttons, the API's .csv answers and the receipts export), a text cell "
            "that starts with =, +, -, @, a tab or a carriage return is written after an apostrophe, as OWASP advises, "
            "so a spreadsheet shows names and employers as text and never runs them as formulas; numbers stay numbers.",
            id="csv-formulas",
        ),
    ]
)

COVERAGE_COLUMNS = [
    Column("cycle", "Cycle"),
    Column("coverage_end", "Data through", labels.date),
    Column("first_coverage_start", "Reports start", labels.date),
    Column("candidates_reporting", "Candidates reporting", labels.count, numeric=True),
    Column("receipts", "Raised by all candidates", labels.money_cents, numeric=True),
]
ROW_COUNT_COLUMNS = [
    Column("extract", "Table"),
    Column("description", "What one row is"),
    Column("rows", "Rows", labels.count, numeric=True),
]
DATA_QUALITY_COLUMNS = [
    Column("code", "Code"),
    Column("reason", "What was found"),
    Column("count", "How many", labels.count, numeric=True),
    Column("amount", "Money involved", labels.money_cents, numeric=True),
    Column("examples", "Examples (ids)"),
]


def data_quality_section():
    """What the checks found odd but real in this snapshot: published as filed, listed here."""
    found = snapshot.data_quality()
    return html.Section(
        [
            html.H2("Data quality", id="data-quality"),
            html.P(
                "A snapshot is refused only when it cannot be right: a table that cannot be read or has "
                "the wrong columns, or data that shrank to less than half of what the previous snapshot "
                "of the same source held. What is odd but real, as the filings say it, is published and "
                "listed here."
            ),
            table(found, DATA_QUALITY_COLUMNS, "What the checks found in this snapshot", empty="Nothing to report."),
            download_button("data-quality", found, list(found.columns), "data-quality.csv"),
        ]
    )


REFRESH_COVERAGE_COLUMNS = [
    Column("cycle", "Cycle"),
    Column("candidates", "Candidates", labels.count, numeric=True),
    Column("committees", "Committees", labels.count, numeric=True),
    Column("reports", "Report versions", labels.count, numeric=True),
    Column("receipts", "Itemized receipts", labels.count, numeric=True),
    Column("data_through", "Reports run through", labels.date),
    Column("pulled_at", "Pulled", labels.date),
]


# A folder or file of the server (`/srv/data_cache/tmp/...` in an OSError or a DuckDB message), not the
# path of a URL (`https://host/v1/...`: its slashes follow a colon, a slash or a letter).
_SERVER_PATH = re.compile(r"(?<![\w:/.~-])/[^\s'\"<>(),;]+")


def public_error(message) -> str:
    """A refresh's error as the public may read it: the server's paths left out (`status` and the log
    have them)."""
    return _SERVER_PATH.sub("(a file of the server)", str(message))


def refresh_stats(health: dict) -> list[Stat]:
    if health.get("last_attempt_ok") is False:
        attempt = Stat(
            "Last attempt",
            f"failed {labels.date(health.get('last_attempt_at'))}",
            f"{public_error(health.get('last_attempt_error'))}. The snapshot shown is the last good one.",
        )
    else:
        attempt = Stat(
            "Last attempt",
            "succeeded" if health.get("last_attempt_ok") else "running",
            str(health.get("last_attempt_at") or "-"),
        )
    return [
        Stat(
            "Last successful refresh", str(health.get("last_success_at") or "never"), health.get("last_success_scope")
        ),
        attempt,
        Stat(
            "API requests in the last hour",
            f"{labels.count(health.get('requests_last_hour'))} of {labels.count(health.get('hourly_budget'))}",
            f"as of {health.get('requests_as_of') or '-'}",
        ),
    ]


def refresh_section():
    health = snapshot.refresh_health()
    if not health:
        return html.Section(
            [html.H2("Refresh from the OpenFEC API"), html.P("No refresh from the API has run on this data yet.")]
        )
    coverage = snapshot.refresh_coverage()
    return html.Section(
        [
            html.H2("Refresh from the OpenFEC API"),
            stat_cards(refresh_stats(health), label="Refresh health"),
            table(coverage, REFRESH_COVERAGE_COLUMNS, "What the refresh has pulled, per cycle"),
            download_button("refresh-coverage", coverage, list(coverage.columns), "refresh-coverage.csv"),
        ]
    )


def follow_section():
    """Whether this node's copy of the object store's snapshots is in step (`python -m dashboard follow`);
    nothing on a node that builds its own. The store's address and errors stay in `status`, off the public page."""
    health = snapshot.follow_health()
    if not health:
        return None
    state = "In step" if health["ok"] else "Failing: this server keeps serving the snapshot it has"
    stats = [
        Stat("Copy from the object store", state, f"since {health['since']}"),
        Stat("Snapshot copied last", str(health["snapshot_followed"] or "none yet"), health["last_success_at"]),
    ]
    return html.Section([html.H2("Copied from the object store"), stat_cards(stats, label="Object store copy")])


def snapshot_stats(manifest: dict) -> list[Stat]:
    return [
        Stat("Snapshot", str(manifest.get("snapshot_id", "?"))),
        Stat("Source", source_name(manifest.get("source"))),
        Stat("Built", str(manifest.get("built_at", "?"))),
        Stat("Schema version", str(manifest.get("schema_version", "?"))),
    ]


def in_district_note(manifest: dict):
    """Which ZCTA-to-district relationship placed donors in House districts, per cycle, or why none did."""
    note = manifest.get("in_district") or {}
    used = note.get("cycles") or {}
    lines = [
        f"{cycle}: the {facts['congress']}th Congress's districts, {facts['kind']}; {facts['zip_to_zcta']}."
        for cycle, facts in sorted(used.items())
    ]
    if note.get("cycles_without") or not used:
        lines.append(
            "Not computed"
            + (f" for {', '.join(map(str, note['cycles_without']))}" if note.get("cycles_without") else "")
            + ": "
            + (note.get("why") or "run `python -m dashboard geo`, then `python -m dashboard build`.")
        )
    return html.Div(
        [html.H3("Money from inside House districts"), html.Ul([html.Li(line) for line in lines])],
        className="in-district-sources",
    )


@friendly_layout
def layout(**_query):
    db.raise_if_damaged()  # a damaged snapshot's page says so, not "no snapshot published"
    manifest = current_manifest()
    if manifest is None:
        # The sources and rules are worth reading even before a snapshot exists.
        return page(
            html.H1("About the data"),
            html.P("No snapshot has been published yet."),
            follow_section(),
            SOURCES,
            METHODOLOGY,
            manifest={},
        )
    coverage = snapshot.coverage_by_cycle()
    counts = snapshot.row_counts()
    counts["description"] = counts["extract"].map(labels.EXTRACT_DESCRIPTIONS).fillna("")
    return page(
        html.H1("About the data"),
        SOURCES,
        METHODOLOGY,
        html.Section(
            [
                html.H2("Coverage by cycle"),
                table(coverage, COVERAGE_COLUMNS, "Coverage of each cycle in this snapshot"),
                download_button("coverage", coverage, list(coverage.columns), "coverage.csv"),
            ]
        ),
        html.Section(
            [
                html.H2("This snapshot"),
                stat_cards(snapshot_stats(manifest), label="Snapshot facts"),
                table(counts, ROW_COUNT_COLUMNS, "Rows in each table of this snapshot"),
                download_button("row-counts", counts, ["extract", "rows"], "row-counts.csv"),
                in_district_note(manifest),
            ]
        ),
        data_quality_section(),
        refresh_section(),
        follow_section(),
        html.P(dcc.Link("Back to the home page", href="/")),
        manifest=manifest,
    )
