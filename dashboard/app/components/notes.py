"""The short 'what these numbers are' note next to every figure (the full rules are on /data)."""

from __future__ import annotations

from dash import dcc, html

TOTALS = (
    "Totals are each candidate's for the two-year cycle: the FEC's own candidate totals where the "
    "data has them, else the sum of the summary pages of the reports filed by the candidate's "
    "principal and authorized committees, newest amendment only. Raised and spent are gross, as the "
    "FEC publishes them: money moved between a candidate's own committees counts in each (a "
    "candidate's page shows the net beside)."
)
ITEMIZED = (
    "Itemized contributions from individuals to the candidate's own committees: memo "
    "entries are left out and an earmarked gift (through ActBlue, WinRed...) counts "
    "once, under the candidate. Gifts of $200 or less in a cycle are mostly unitemized "
    "and appear only in the totals."
)


def methodology_note(kind: str = "totals", coverage_end: str | None = None):
    text = TOTALS if kind == "totals" else ITEMIZED
    through = f" Reports through {coverage_end}." if coverage_end else ""
    return html.Aside(
        [
            html.P(
                [
                    html.Strong("What this shows: "),
                    text,
                    through,
                    " ",
                    dcc.Link("How we count", href="/data#methodology"),
                ]
            )
        ],
        className="method-note",
    )
