"""Donors shared by two recipients ("gave to both"), the chooser of the other recipient, the new donors
per week of a race, and the CSV of named donors with the FEC's notice on their use.

Race, candidate and committee pages show the same overlap table; the pages pick the pair, these pieces
draw it (queries.donors computes it).
"""

from __future__ import annotations

import pandas as pd
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard.app import labels, links
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import chart_with_table, download_button
from dashboard.app.figures.donors import race_new_donors_lines
from dashboard.app.figures.money_over_time import candidate_label
from dashboard.app.queries import candidates, committees, donors, search
from dashboard.core import params

# A page holds the biggest shared donors only (a presidential race's can be tens of thousands: too much
# for a phone); the API's /donors/both and /overlap have them all.
BOTH_ON_PAGE = 500
BOTH_CSV = ["donor_key", "contributor_name", "city", "state", "zip5", "amount_a", "gifts_a", "amount_b", "gifts_b"]


def named_donors_download(name: str, frame: pd.DataFrame, csv_columns: list[str], filename: str):
    """download_button whose file begins with the FEC's notice on the use of contributors' names, as a
    '#' comment line (pandas reads it with comment='#'); the Store is the file's content."""
    button = download_button(name, frame, csv_columns, filename)
    store = button.children[1]
    store.data["content"] = f"# {donors.DONOR_LIST_NOTICE}\n" + store.data["content"]
    return button


def overlap_list(
    both: pd.DataFrame,
    shared: int,
    a: tuple[str, str],
    b: tuple[str, str],
    cycle: int,
    name: str,
    filename: str,
):
    """The donors who gave to both `a` and `b` ((id, display name) each): how many, the FEC's notice,
    the table (each donor a link to their page) and the CSV, whose columns name each recipient by ID
    (amount_to_<id>, gifts_to_<id>). `both` is queries.donors.gave_to_both's or committee_gave_to_both's
    frame, `shared` the count of all shared donors (more than the rows when the list was cut)."""
    (a_id, a_name), (b_id, b_name) = a, b
    both = both.assign(
        place=[
            ", ".join(p for p in (c, s, z) if isinstance(p, str))
            for c, s, z in zip(both["city"], both["state"], both["zip5"])
        ],
        donor_path=[links.donor_url(k) for k in both["donor_key"]],
    )
    columns = [
        Column("contributor_name", "Donor", link="donor_path"),
        Column("place", "Place"),
        Column("amount_a", f"To {a_name}", labels.money_cents, numeric=True, sort="descending"),
        Column("gifts_a", "Gifts", labels.count, numeric=True),
        Column("amount_b", f"To {b_name}", labels.money_cents, numeric=True),
        Column("gifts_b", "Gifts", labels.count, numeric=True),
    ]
    renames = {
        f"{what}_{side}": f"{what}_to_{who}" for what in ("amount", "gifts") for side, who in (("a", a_id), ("b", b_id))
    }
    cut = shared > len(both)
    return html.Div(
        [
            html.H3(f"Gave to both {a_name} and {b_name}"),
            html.P(
                f"{labels.count(shared)} {'donor' if shared == 1 else 'donors'} gave to both"
                + (f"; the {labels.count(len(both))} who gave most are listed here." if cut else "."),
                className="overlap-count",
            ),
            html.P(donors.DONOR_LIST_NOTICE, className="muted"),
            table(
                both,
                columns,
                f"Donors who gave to both {a_name} and {b_name}, {cycle} (itemized gifts, refunds not taken out)",
                empty="No itemized donor gave to both.",
            ),
            named_donors_download(name, both.rename(columns=renames), [renames.get(c, c) for c in BOTH_CSV], filename),
        ],
        className="overlap",
    )


def compare_chooser(
    kind: str, action: str, cycle: int, value: str | None, label: str, hint: str, options: list[tuple[str, str]] = ()
):
    """A plain GET form (works without scripts, keyboard first) that reloads `action` with
    ?compare=<what was typed>&cycle=<cycle>; the page checks the value (an FEC ID, or a name it looks
    up: resolve_compare). `kind` ('candidate' or 'committee') is what the suggestions list; `options`
    (value, label) are the first ones."""
    return html.Form(
        [
            html.Label(label, htmlFor="compare-with"),
            dcc.Input(
                id="compare-with",
                name="compare",
                type="text",
                value=value or "",
                list="compare-options",
                placeholder="FEC ID or name",
                className="rx-input",
                autoComplete="off",
            ),
            html.Datalist([html.Option(text, value=v) for v, text in options], id="compare-options"),
            dcc.Input(type="hidden", name="cycle", value=str(cycle)),
            dcc.Store(id="compare-kind", data=kind),
            html.Button("Compare", type="submit", className="button", id="compare-submit"),
            html.Small(hint, className="muted"),
        ],
        action=action,
        method="get",
        className="compare-chooser",
        role="search",
        **{"aria-label": label},
    )


NEW_DONOR_CSV = ["candidate_id", "name", "party", "week", "new_donors", "donors_to_date"]
WHOLE_RACE = "Whole race (each donor once)"


def race_new_donors(
    weekly: pd.DataFrame,
    total: pd.DataFrame,
    race_candidates: pd.DataFrame,
    order: list[str],
    cycle: int,
    slug: str,
    label: str,
):
    """New itemized donors per week, a line per candidate (queries.donors.race_new_donors_weekly) and one
    for the whole race, each donor counted once (race_new_donors_total_weekly), with its table (a column
    per candidate and the race) and CSV (the race's rows have no candidate_id)."""
    names = {row.candidate_id: candidate_label(row.name, row.party) for row in race_candidates.itertuples()}
    shown = [c for c in order if c in set(weekly["candidate_id"])]
    wide = pd.DataFrame(columns=["week", "whole_race"])
    race_rows = pd.DataFrame(columns=NEW_DONOR_CSV)
    if not weekly.empty:
        wide = (
            # pivot_table's sum, as groupby and unstack give it without pivot_table's generality (a third of its time)
            weekly.groupby(["week", "candidate_id"])["new_donors"]
            .sum()
            .unstack("candidate_id")
            .reindex(columns=shown)
            .reset_index()
        )
        # the race's quiet weeks (no one new to any candidate) are 0, as the candidates' are
        race = pd.DataFrame({"week": pd.to_datetime(wide["week"])}).merge(
            total.assign(week=pd.to_datetime(total["week"])), on="week", how="left"
        )
        race["new_donors"] = race["new_donors"].fillna(0).astype(int)
        race["donors_to_date"] = race["donors_to_date"].ffill().fillna(0).astype(int)
        wide["whole_race"] = race["new_donors"].to_numpy()
        race_rows = race.assign(candidate_id="", name=WHOLE_RACE, party="", week=race["week"].dt.date)
    columns = (
        [Column("week", "Week of", labels.date, sort="ascending")]
        + [Column(cid, names[cid], labels.count, numeric=True) for cid in shown]
        + [Column("whole_race", WHOLE_RACE, labels.count, numeric=True)]
    )
    return chart_with_table(
        "race-new-donors",
        race_new_donors_lines(weekly, order, race_rows),
        wide,
        columns,
        NEW_DONOR_CSV,
        f"race-{slug}-new-donors.csv",
        f"New itemized donors per week of each candidate for {label}, {cycle} (the week of a donor's first "
        "gift to that candidate; a donor new to two candidates counts for each, and once in the whole race)",
        csv_frame=pd.concat([weekly, race_rows[NEW_DONOR_CSV]], ignore_index=True) if len(race_rows) else weekly,
    )


# What the chooser compares, as the page words it.
KIND_WORDS = {"candidate": "candidate", "committee": "committee"}


def resolve_compare(text, kind: str) -> tuple[str | None, str | None]:
    """(ID, None) of the `kind` ('candidate' or 'committee') that `text` names: an FEC ID as typed, else
    the best match of the search box among that kind; (None, why) when it names none."""
    text = params.search_text(text)
    if not text:
        return None, None
    parse = params.candidate_id if kind == "candidate" else params.committee_id
    try:
        return parse(text), None
    except params.InvalidParameter as problem:
        looks_like_id = len(text) == 9 and text.isalnum() and any(ch.isdigit() for ch in text)
        if looks_like_id:
            return None, str(problem)
    found = search.search(text, limit=20)
    found = found[found["kind"] == kind]
    if found.empty:
        return None, f"No {KIND_WORDS[kind]} matches {text!r}: type an FEC ID or a name."
    return str(found["id"].iloc[0]), None


def _other_name(kind: str, other_id: str, cycle: int) -> str | None:
    """The other recipient's name in the cycle; None when it did not file in it."""
    if kind == "candidate":
        found = candidates.candidate_summary(other_id, cycle)
        return None if found.empty else str(found["name"].iloc[0])
    found = committees.committee_cycles(other_id)
    found = found[found["cycle"] == cycle]
    return None if found.empty else str(found["name"].iloc[0])


def overlap_section(kind: str, own_id: str, own_name: str, cycle: int, compare=None):
    """'Gave to both' on a candidate's or committee's page: a chooser of another candidate or committee
    (any one, of any race) and, once one is chosen and checked, the donors both received gifts from."""
    word = KIND_WORDS[kind]
    path = links.candidate_path(own_id) if kind == "candidate" else links.committee_path(own_id)
    chooser = compare_chooser(
        kind,
        path.split("?")[0],
        cycle,
        compare,
        f"Compare the donors of {own_name} with another {word}'s",
        f"An FEC {word} ID or a name; the donors who gave to both in {cycle} are listed.",
    )
    heading = html.H3(f"Donors shared with another {word}")
    if kind == "committee" and not donors.committee_has_receipts(own_id, cycle):
        return html.Div(
            [
                heading,
                html.P(
                    f"No itemized gifts from individuals to {own_name} are in this data for {cycle}: they are kept "
                    "for candidates' own committees only, so there are no donors to compare.",
                    className="muted",
                ),
            ]
        )
    other_id, problem = resolve_compare(compare, kind)
    other_name = _other_name(kind, other_id, cycle) if other_id else None
    if other_id and other_name is None:
        problem = f"There is no {word} {other_id} in the {cycle} cycle."
    elif other_id == own_id:
        problem = f"Pick another {word} than {own_name}."
    if problem or not other_id:
        notice = html.P(problem, className="form-error", role="alert") if problem else None
        return html.Div([heading, chooser, notice])
    both = (donors.gave_to_both if kind == "candidate" else donors.committee_gave_to_both)(
        own_id, other_id, cycle, limit=BOTH_ON_PAGE
    )
    shared = len(both)
    if shared == BOTH_ON_PAGE:
        count = donors.shared_donor_count if kind == "candidate" else donors.committee_shared_donor_count
        shared = count(own_id, other_id, cycle)
    other_path = links.candidate_path(other_id, cycle) if kind == "candidate" else links.committee_path(other_id, cycle)
    return html.Div(
        [
            heading,
            chooser,
            html.P(["Compared with ", dcc.Link(f"{other_name} ({other_id})", href=other_path), f", {cycle}."]),
            overlap_list(
                both,
                shared,
                (own_id, own_name),
                (other_id, other_name),
                cycle,
                f"{kind}-gave-to-both",
                f"{kind}-{own_id}-{other_id}-{cycle}-gave-to-both.csv".lower(),
            ),
        ],
        id="overlap",
    )


@callback(
    Output("compare-options", "children"),
    Input("compare-with", "value"),
    State("compare-kind", "data"),
    prevent_initial_call=True,
)
def compare_suggestions(text, kind):
    """Type-ahead of the chooser: candidates or committees (its kind) whose name or ID matches."""
    if not text or len(search.normalize(text)) < search.MIN_LENGTH or kind not in KIND_WORDS:
        return no_update
    found = search.search(params.search_text(text), limit=20)
    found = found[found["kind"] == kind].head(10)
    return [html.Option(f"{row.name} ({row.id})", value=row.id) for row in found.itertuples()]
