"""One donor (a donor key: normalized name + ZIP5): who they are and the spellings merged under the key;
what they gave per cycle, per recipient and per election, with the elections whose total passes the
per-election limit (and the FEC's caveats); every gift with its filing; the look-alike donors not merged."""

from __future__ import annotations

from urllib.parse import unquote

import dash
import pandas as pd
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html

from dashboard.app import labels, links
from dashboard.app.components.cards import Stat, stat_cards
from dashboard.app.components.errors import PageNotFound, friendly_layout, titled
from dashboard.app.components.shell import page as page_shell
from dashboard.app.components.tables import Column, table
from dashboard.app.components.twin import csv_text
from dashboard.app.queries import donor_profile
from dashboard.app.queries.donors import DONOR_LIST_NOTICE
from dashboard.core import fec, normalize, params


def _subject(donor_key: str = "", page=None, **_query) -> str:
    """The tab's title, the donor's name as filed most often; raises as the layout does for an address that
    names no donor or a bad page of gifts (the shell's 400 or 404: errors.http_status)."""
    donor_key = params.donor_key(unquote(str(donor_key)))
    summary = donor_profile.donor_summary(donor_key)
    if summary.empty:
        raise PageNotFound(f"There is no donor {donor_key} in this data.")
    params.whole_number(page, "page", 1, 1_000_000, 1)
    return f"{summary.iloc[0]['name']}: donor"


dash.register_page(
    __name__,
    path_template="/donor/<donor_key>",
    name="Donor",
    title=titled(_subject, "Donor"),
    check=_subject,
    description="One donor's itemized gifts to federal candidates, by cycle, recipient and election, as "
    "filed with the FEC.",
)

GIFTS_PER_PAGE = 50
# A donor of thousands of gifts has hundreds of recipients and elections: the page shows the first rows of
# those tables and of the flags (a phone cannot hold more), the CSVs have them all.
TABLE_ROWS = 100
FLAGS_LISTED = 20

CYCLE_COLUMNS = [
    Column("cycle", "Cycle"),
    Column("name", "Name filed most often"),
    Column("amount", "Net amount", labels.money_cents, numeric=True),
    Column("gifts", "Gifts", labels.count, numeric=True),
    Column("refunds", "Refunds", labels.count, numeric=True),
    Column("recipients", "Candidates", labels.count, numeric=True),
    Column("first_date", "First", labels.date),
    Column("last_date", "Last", labels.date),
]
CYCLE_CSV = [
    "cycle", "name", "city", "state", "zip5", "employer", "occupation", "amount", "gifts", "refunds", "recipients",
    "first_date", "last_date",
]  # fmt: skip
RECIPIENT_COLUMNS = [
    Column("cycle", "Cycle"),
    Column("candidate_name", "Candidate", link="candidate_path"),
    Column("party", "Party", labels.party),
    Column("race", "Office"),
    Column("amount", "Net amount", labels.money_cents, numeric=True, sort="descending"),
    Column("gifts", "Gifts", labels.count, numeric=True),
    Column("refunds", "Refunds", labels.count, numeric=True),
    Column("first_date", "First", labels.date),
    Column("last_date", "Last", labels.date),
]
RECIPIENT_CSV = [
    "cycle", "candidate_id", "candidate_name", "party", "office", "candidate_state", "district", "amount", "gifts",
    "refunds", "first_date", "last_date",
]  # fmt: skip
ELECTION_COLUMNS = [
    Column("candidate_name", "Candidate", link="candidate_path"),
    Column("election_label", "Election"),
    Column("amount", "Net amount", labels.money_cents, numeric=True),
    Column("limit", "Limit per election", labels.money, numeric=True),
    Column("flag", "Over the limit?"),
    Column("gifts", "Gifts", labels.count, numeric=True),
    Column("refunds", "Refunds", labels.count, numeric=True),
]
ELECTION_CSV = [
    "cycle", "candidate_id", "candidate_name", "election_type", "election_label", "amount", "limit", "over_limit",
    "excess", "gifts", "refunds", "first_date", "last_date",
]  # fmt: skip
GIFT_CSV = [
    "date", "amount", "receipt_type", "election_type", "candidate_id", "candidate_name", "committee_id",
    "committee_name", "is_earmarked", "conduit_committee_id", "conduit_name", "contributor_name", "city", "state",
    "zip5", "employer", "occupation", "aggregate_ytd", "image_number", "sub_id", "cycle",
]  # fmt: skip
NEAR_MISS_CSV = ["donor_key", "name", "city", "state", "zip5", "amount", "gifts", "cycles", "reason"]


def _place(row) -> str:
    return ", ".join(p for p in (row.get("city"), row.get("state"), row.get("zip5")) if isinstance(p, str)) or "-"


def _job(row) -> str:
    parts = [p for p in (row.get("occupation"), row.get("employer")) if isinstance(p, str)]
    return " at ".join(parts) if parts else "Employer and occupation not reported"


@friendly_layout
def layout(donor_key=None, page=None, **_other_query):  # `page`: which page of gifts (?page=2)
    donor_key = params.donor_key(unquote(str(donor_key)) if donor_key is not None else None)
    summary = donor_profile.donor_summary(donor_key)
    if summary.empty:
        raise PageNotFound(f"There is no donor {donor_key} in this data.")
    shown = params.whole_number(page, "page", 1, 1_000_000, 1)
    whole = summary.iloc[0].to_dict()
    cycles = summary[summary["cycle"].notna()]
    slug = "".join(ch if ch.isalnum() else "-" for ch in donor_key).strip("-")[:60]
    return page_shell(
        html.H1(whole["name"] if isinstance(whole["name"], str) else donor_key.split("|")[0]),
        html.P([_place(whole), " · ", _job(whole)], className="lede"),
        html.P(DONOR_LIST_NOTICE, className="muted", id="donor-notice"),
        who_section(donor_key),
        totals_section(donor_key, whole, cycles, slug),
        recipients_section(donor_key, slug),
        elections_section(donor_key, slug),
        gifts_section(donor_key, shown, slug),
        near_miss_section(donor_key, slug),
    )


def who_section(donor_key: str):
    variants = donor_profile.donor_variants(donor_key)
    return html.Section(
        [
            html.H2("Who"),
            html.P(["Donor key: ", html.Code(donor_key)]),
            html.P(
                [html.Strong("How gifts are grouped into one donor: "), normalize.DONOR_KEY_RULE], className="muted"
            ),
            html.P(f"{len(variants)} spelling{'s' if len(variants) != 1 else ''} of the name merged under this key:"),
            html.Ul(
                [
                    html.Li([html.Span(v, className="variant"), f" (filed in {', '.join(map(str, c))})"])
                    for v, c in zip(variants["variant"], variants["cycles"])
                ],
                id="donor-variants",
            ),
        ]
    )


def totals_section(donor_key: str, whole: dict, cycles: pd.DataFrame, slug: str):
    return html.Section(
        [
            html.H2("Totals per cycle"),
            stat_cards(
                [
                    Stat("Given, all cycles", labels.money(whole["amount"]), "Itemized, net of refunds"),
                    Stat("Gifts", labels.count(whole["gifts"]), f"{labels.count(whole['refunds'])} refunds"),
                    Stat("Candidates", labels.count(whole["recipients"]), "Distinct recipients"),
                    Stat("First and last", f"{labels.date(whole['first_date'])} to {labels.date(whole['last_date'])}"),
                ],
                label="The donor's itemized gifts across all cycles",
            ),
            table(cycles.assign(cycle=cycles["cycle"].astype(int)), CYCLE_COLUMNS, "The donor's gifts per cycle"),
            csv_download("cycles", donor_key, slug),
        ]
    )


def _with_candidate_links(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(
        candidate_path=[links.candidate_path(c, int(y)) for c, y in zip(frame["candidate_id"], frame["cycle"])],
        candidate_name=[n if isinstance(n, str) else c for n, c in zip(frame["candidate_name"], frame["candidate_id"])],
    )


def recipients_section(donor_key: str, slug: str):
    by_recipient = _with_candidate_links(donor_profile.donor_by_recipient(donor_key))
    by_recipient["race"] = [
        links.race_label(o, s, d) if isinstance(o, str) else "-"
        for o, s, d in zip(by_recipient["office"], by_recipient["candidate_state"], by_recipient["district"])
    ]
    return html.Section(
        [
            html.H2("Per recipient"),
            table(by_recipient.head(TABLE_ROWS), RECIPIENT_COLUMNS, "Net itemized gifts to each candidate, per cycle"),
            _cut_note(by_recipient, "candidates and cycles"),
            csv_download("recipients", donor_key, slug),
        ]
    )


def elections_section(donor_key: str, slug: str):
    by_election = _with_candidate_links(donor_profile.donor_by_election(donor_key))
    by_election["flag"] = [
        f"Yes, by {labels.money_cents(x)}" if over else ""
        for over, x in zip(by_election["over_limit"], by_election["excess"])
    ]
    flags = donor_profile.limit_flags(donor_key)
    if flags.empty:
        verdict = html.P("No total to one candidate for one election passes that election's limit.", id="limit-verdict")
    else:
        verdict = html.Div(
            [
                html.P(
                    f"{len(flags)} total{'s' if len(flags) != 1 else ''} to one candidate for one election "
                    f"{'pass' if len(flags) != 1 else 'passes'} the per-election limit for individuals, the biggest "
                    "excess first:",
                    id="limit-verdict",
                ),
                html.Ul(
                    [
                        html.Li(
                            f"{name if isinstance(name, str) else cid} ({fec.election_label(e)}): "
                            f"{labels.money_cents(a)} against a limit of {labels.money(lim)}",
                            className="limit-flag",
                        )
                        for cid, name, e, a, lim in zip(
                            flags["candidate_id"],
                            flags["candidate_name"],
                            flags["election_type"],
                            flags["amount"],
                            flags["limit"],
                        )
                    ][:FLAGS_LISTED],
                    id="limit-flags",
                ),
                html.P(f"And {len(flags) - FLAGS_LISTED:,} more, in the table and its CSV.")
                if len(flags) > FLAGS_LISTED
                else None,
            ]
        )
    limits = ", ".join(
        f"{c - 1}-{c % 100:02d}: {labels.money(v)}" for c, v in fec.INDIVIDUAL_LIMIT_PER_ELECTION.items()
    )
    return html.Section(
        [
            html.H2("Per election, and the contribution limit"),
            html.P(
                f"The FEC's limit per election for an individual giving to a candidate: {limits}.", className="muted"
            ),
            verdict,
            html.Details(
                [
                    html.Summary("Why a flag is a question, not a finding"),
                    html.Ul([html.Li(c) for c in fec.LIMIT_CAVEATS]),
                ],
                open=not flags.empty,
            ),
            table(
                by_election.sort_values("over_limit", ascending=False, kind="stable").head(TABLE_ROWS),
                ELECTION_COLUMNS,
                "Net itemized gifts to each candidate, per election (totals over the limit first)",
            ),
            _cut_note(by_election, "candidates and elections"),
            csv_download("elections", donor_key, slug),
        ]
    )


def _gift_row(row: dict):
    recipient = row["candidate_name"] if isinstance(row["candidate_name"], str) else row["candidate_id"]
    via = row["conduit_name"] if isinstance(row["conduit_name"], str) else row["conduit_committee_id"]
    image = links.filing_image_url(row["image_number"])
    cells = [
        labels.date(row["date"]),
        dcc.Link(recipient, href=links.candidate_path(row["candidate_id"], int(row["cycle"]))),
        dcc.Link(
            row["committee_name"] if isinstance(row["committee_name"], str) else row["committee_id"],
            href=links.committee_path(row["committee_id"], int(row["cycle"])),
        ),
        via if isinstance(via, str) else "",
        row["election_label"],
        labels.money_cents(row["amount"]),
        row["contributor_name"] if isinstance(row["contributor_name"], str) else "-",
        html.A(
            "Filing",
            href=image,
            target="_blank",
            rel="noopener noreferrer",
            **{"aria-label": f"Filing of the gift of {labels.date(row['date'])} to {recipient} (FEC, new tab)"},
        )
        if image
        else "-",
    ]
    numeric = {5}
    return html.Tr([html.Td(c, className="num" if i in numeric else None) for i, c in enumerate(cells)])


def gifts_section(donor_key: str, shown: int, slug: str):
    gifts = donor_profile.donor_gifts(donor_key)
    pages = max(1, -(-len(gifts) // GIFTS_PER_PAGE))
    shown = min(shown, pages)
    rows = gifts.iloc[(shown - 1) * GIFTS_PER_PAGE : shown * GIFTS_PER_PAGE]
    headers = ["Date", "Candidate", "Committee", "Through (conduit)", "Election", "Amount", "Name as filed", "Filing"]
    caption = f"Every itemized gift, newest first: {len(gifts):,} rows, page {shown} of {pages}"
    base = links.donor_url(donor_key)
    pager = [
        dcc.Link("Newer gifts", href=f"{base}?page={shown - 1}") if shown > 1 else None,
        " " if shown > 1 and shown < pages else None,
        dcc.Link("Older gifts", href=f"{base}?page={shown + 1}") if shown < pages else None,
    ]
    return html.Section(
        [
            html.H2("Every gift"),
            html.Div(
                html.Table(
                    [
                        html.Caption(caption),
                        html.Thead(html.Tr([html.Th(h, scope="col", className="num" if h == "Amount" else None)
                                            for h in headers])),
                        html.Tbody([_gift_row(r) for r in rows.to_dict("records")]),
                    ],
                    className="data-table",
                    id="donor-gifts",
                ),
                className="table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-label": f"Table: {caption}"},
            ),
            html.Nav([p for p in pager if p is not None], className="pager", **{"aria-label": "Pages of gifts"}),
            html.P("A refund is a negative amount. Filing opens the FEC's image of the page the gift was filed on.",
                   className="muted"),
            csv_download("gifts", donor_key, slug),
        ]
    )  # fmt: skip


def near_miss_section(donor_key: str, slug: str):
    near = donor_profile.donor_near_misses(donor_key)
    if near.empty:
        body = [html.P("No look-alike donor in this data.")]
    else:
        body = [
            html.Ul(
                [
                    html.Li(
                        [
                            dcc.Link(f"{name} ({zip5 or '?'})", href=links.donor_url(key), className="near-miss"),
                            f": {reason}; {labels.money_cents(amount)} in {labels.count(gifts)} gifts",
                        ]
                    )
                    for key, name, zip5, reason, amount, gifts in zip(
                        near["donor_key"], near["name"], near["zip5"], near["reason"], near["amount"], near["gifts"]
                    )
                ],
                id="donor-near-misses",
            ),
            csv_download("near-misses", donor_key, slug),
        ]
    return html.Section([html.H2("Look-alike donors, not merged"), html.P(donor_profile.NEAR_MISS_RULE), *body])


def _cut_note(frame: pd.DataFrame, what: str):
    if len(frame) <= TABLE_ROWS:
        return None
    return html.P(f"The first {TABLE_ROWS} of {len(frame):,} {what}; the CSV has them all.", className="muted")


# The CSVs are made when asked for (a busy donor's gifts run to megabytes: too much to send with every page),
# each starting with the FEC's notice on the use of contributors' names as a '#' line.
DOWNLOADS = {
    "cycles": (lambda key: donor_profile.donor_summary(key).dropna(subset=["cycle"]), CYCLE_CSV),
    "recipients": (donor_profile.donor_by_recipient, RECIPIENT_CSV),
    "elections": (donor_profile.donor_by_election, ELECTION_CSV),
    "gifts": (donor_profile.donor_gifts, GIFT_CSV),
    "near-misses": (donor_profile.donor_near_misses, NEAR_MISS_CSV),
}


def csv_download(name: str, donor_key: str, slug: str):
    filename = f"donor-{slug}-{name}.csv"
    return html.Div(
        [
            html.Button(
                "Download CSV",
                id={"type": "donor-csv-button", "name": name},
                className="button",
                n_clicks=0,
                **{"aria-label": f"Download CSV: {filename}"},
            ),
            dcc.Store(id={"type": "donor-csv-key", "name": name}, data={"donor_key": donor_key, "filename": filename}),
            dcc.Download(id={"type": "donor-csv-download", "name": name}),
        ],
        className="download",
    )


@callback(
    Output({"type": "donor-csv-download", "name": MATCH}, "data"),
    Input({"type": "donor-csv-button", "name": MATCH}, "n_clicks"),
    State({"type": "donor-csv-key", "name": MATCH}, "data"),
    prevent_initial_call=True,
)
def send_donor_csv(_n_clicks, stored):
    query, columns = DOWNLOADS[ctx.triggered_id["name"]]
    frame = query(params.donor_key(stored["donor_key"]))
    content = f"# {DONOR_LIST_NOTICE}\n" + csv_text(frame, columns)
    return {"content": content, "filename": stored["filename"], "type": "text/csv"}
