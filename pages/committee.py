"""A committee: what it is and whose it is. Search results of committees with no candidate
lead here; later issues add its money."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.app import labels, links
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.errors import PageNotFound, friendly_layout
from dashboard.app.components.shell import page
from dashboard.app.queries import committees
from dashboard.core import params

dash.register_page(__name__, path_template="/committee/<committee_id>", name="Committee", title="Committee")


@friendly_layout
def layout(committee_id=None, cycle=None, **_other_query):
    committee_id = params.committee_id(committee_id)
    rows = committees.committee_cycles(committee_id)
    if rows.empty:
        raise PageNotFound(f"There is no committee {committee_id} in this data.")
    if cycle not in (None, ""):
        chosen = rows[rows["cycle"] == params.cycle(cycle)]
        if chosen.empty:
            raise PageNotFound(f"Committee {committee_id} did not file in the {cycle} cycle.")
        row = chosen.iloc[0]
    else:
        row = rows.iloc[0]  # newest cycle
    cycle = int(row["cycle"])
    candidate = None
    if isinstance(row["candidate_id"], str) and row["candidate_id"]:
        name = row["candidate_name"] if isinstance(row["candidate_name"], str) else row["candidate_id"]
        candidate = html.P(
            ["Campaign committee of ", dcc.Link(name, href=links.candidate_path(row["candidate_id"], cycle)), "."]
        )
    return page(
        html.H1(row["name"]),
        candidate,
        stat_cards(
            [
                Stat("FEC id", committee_id),
                Stat("Role", labels.designation(row["designation"])),
                Stat("Party", labels.party(row["party"])),
                Stat("Cycle", str(cycle)),
            ],
            label="Committee facts",
        ),
    )
