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
from dashboard.core import fec, params

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
    kind = fec.committee_kind(row["committee_type"], row["designation"])
    return page(
        html.H1(row["name"]),
        _whose(row, kind, cycle),
        stat_cards(
            [
                Stat("FEC id", committee_id),
                Stat("Kind", kind),
                Stat("Designation", labels.designation(row["designation"])),
                Stat("Party", labels.party(row["party"])),
                Stat("Cycle", str(cycle)),
            ],
            label="Committee facts",
        ),
    )


def _whose(row, kind: str, cycle: int):
    """The committee's tie to its candidate, in words that say what it is ('Principal campaign
    committee of ...', 'Leadership PAC linked to ...', never 'Campaign committee of ...' for
    every kind), and whether its money is in the candidate's totals (only the candidate's own
    campaign committees' is)."""
    if not (isinstance(row["candidate_id"], str) and row["candidate_id"]):
        return None
    name = row["candidate_name"] if isinstance(row["candidate_name"], str) else row["candidate_id"]
    link = dcc.Link(name, href=links.candidate_path(row["candidate_id"], cycle))
    if row["in_totals"]:
        return html.P([f"{kind} of ", link, "; its money is in the candidate's totals."])
    return html.P([f"{kind} linked to ", link, "; its money is not in the candidate's totals."])
