"""What a page says for a cycle whose data names committees but no candidate (e.g. only the PAC
and party summary webk was loaded): why there are no candidates, races or totals, and where the
committees are."""

from __future__ import annotations

from dash import dcc, html


def no_candidates_note(cycle: int, n_committees: int):
    return html.P(
        [
            f"No candidates in {cycle} in this data: the files loaded for {cycle} name committees only "
            f"({n_committees:,} committees), so there are no candidates, races or totals to show. Find a "
            "committee by name or FEC id with the search box above; ",
            dcc.Link("the data-quality report", href="/data#data-quality"),
            " says what is missing.",
        ],
        className="no-candidates",
    )
