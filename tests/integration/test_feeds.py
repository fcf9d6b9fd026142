"""The Atom feeds through Flask's test client, on a demo snapshot rebuilt with hand-made 24/48-hour
notices (raw schedule_e lines through the real builder): the feeds parse as Atom, hold the extracts'
rows newest first with their amounts, escape what XML must escape, and answer bad addresses with 404."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.app import db, labels, links
from dashboard.app.api.feeds import NOTICE_NOTE
from dashboard.app.components.shell import DEMO_NOTICE
from dashboard.app.queries import feeds as feed_queries
from dashboard.core import contract
from dashboard.pipeline.builder.publish import build_and_publish

ATOM = "{http://www.w3.org/2005/Atom}"
CYCLE = 2024
ODD_SPENDER = 'CITIZENS FOR <BETTER> & "BRIGHTER" FUTURE'  # XML-special characters, as filers type them
ODD_PURPOSE = "TV AD\x07 & MAILERS"  # a control character XML 1.0 cannot carry at all
UNLISTED_SPENDER = "C99999901"  # no committee record: the filing's own spender name is shown


def _notice(sub_id: int, committee_id: str, candidate_id: str, amount: str, filed: date, **facts) -> dict:
    return {
        "sub_id": sub_id,
        "cycle": CYCLE,
        "committee_id": committee_id,
        "spender_name": "AS FILED",
        "filing_form": "F24",
        "is_notice": True,
        "report_type": "24",
        "file_number": 900_000 + sub_id % 1000,
        "transaction_id": f"SE{sub_id}",
        "candidate_id": candidate_id,
        "support_oppose": "S",
        "amount": Decimal(amount),
        "expenditure_date": filed,
        "dissemination_date": filed,
        "purpose": "DIGITAL ADS",
        "payee_name": "AD VENDOR LLC",
        "filed_date": filed,
        **facts,
    }


@pytest.fixture(scope="module")
def site(demo_builds, tmp_path_factory):
    """A demo snapshot plus known notices, DATA_CACHE_DIR pointing at it, and the ids involved."""
    data_dir = demo_builds.copy(tmp_path_factory.mktemp("feeds"))
    current = data_dir / "current"
    con = duckdb.connect()

    def one(sql: str, params=()) -> tuple:
        return con.execute(sql, list(params)).fetchone()

    race = one(
        f"SELECT state, district FROM '{current}/agg_district.parquet' WHERE cycle = ? AND office = 'H' "
        "ORDER BY receipts DESC LIMIT 1",
        [CYCLE],
    )
    candidate, principal = one(
        f"""SELECT c.candidate_id, m.committee_id FROM '{current}/candidates.parquet' c
            JOIN '{current}/candidate_totals.parquet' t USING (candidate_id, cycle)
            JOIN '{current}/committees.parquet' m ON m.candidate_id = c.candidate_id AND m.cycle = c.cycle
             AND m.designation = 'P'
            WHERE c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? AND c.in_race
            ORDER BY t.receipts DESC, c.candidate_id LIMIT 1""",
        [CYCLE, *race],
    )
    elsewhere = one(
        f"SELECT candidate_id FROM '{current}/candidates.parquet' WHERE cycle = ? AND office = 'H' AND in_race "
        "AND state <> ? ORDER BY candidate_id LIMIT 1",
        [CYCLE, race[0]],
    )[0]
    super_pac = one(
        f"SELECT committee_id FROM '{current}/committees.parquet' WHERE cycle = ? AND committee_type = 'O' "
        "ORDER BY committee_id LIMIT 1",
        [CYCLE],
    )[0]
    con.close()
    base = 9_100_000_000_000_000_000  # far from any sub_id the demo generator writes
    rows = [
        _notice(base + 1, super_pac, candidate, "25000.00", date(2024, 10, 20)),
        _notice(base + 2, super_pac, candidate, "1234.56", date(2024, 10, 25), support_oppose="O"),
        # Repeated by a regular report's line for the same expenditure: counted as regular, not a notice.
        _notice(base + 3, super_pac, candidate, "777.00", date(2024, 10, 22), transaction_id="SAME"),
        {
            **_notice(base + 4, super_pac, candidate, "777.00", date(2024, 10, 22), transaction_id="SAME"),
            "filing_form": "F3X",
            "is_notice": False,
            "report_type": "Q3",
            "file_number": 800_001,
        },
        _notice(base + 5, super_pac, elsewhere, "4000.00", date(2024, 10, 21)),
        _notice(
            base + 6,
            UNLISTED_SPENDER,
            candidate,
            "310.00",
            date(2024, 10, 23),
            spender_name=ODD_SPENDER,
            purpose=ODD_PURPOSE,
        ),
    ]
    schema = contract.raw_arrow_schema("schedule_e")
    folder = data_dir / "raw" / "schedule_e"
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{c: row.get(c) for c in schema.names} for row in rows], schema=schema)
    pq.write_table(table, folder / "demo-feeds-test.parquet")  # "demo": the snapshot stays a demo one
    build_and_publish(data_dir, source="demo")
    before = os.environ.get("DATA_CACHE_DIR")
    os.environ["DATA_CACHE_DIR"] = str(data_dir)
    yield {
        "state": race[0],
        "district": race[1],
        "candidate": candidate,
        "principal": principal,
        "elsewhere": elsewhere,
        "super_pac": super_pac,
        "sub_ids": [str(row["sub_id"]) for row in rows],
    }
    if before is None:
        os.environ.pop("DATA_CACHE_DIR", None)
    else:
        os.environ["DATA_CACHE_DIR"] = before


@pytest.fixture(scope="module")
def client(site):
    import app  # imported only once DATA_CACHE_DIR points at a snapshot

    return app.server.test_client()


def atom(response) -> ET.Element:
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[dict]:
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        found.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "updated": entry.findtext(f"{ATOM}updated"),
                "summary": entry.findtext(f"{ATOM}summary"),
                "href": entry.find(f"{ATOM}link").get("href"),
                "kind": entry.find(f"{ATOM}category").get("term"),
            }
        )
    return found


def race_feed_path(site) -> str:
    return links.race_feed_path("H", site["state"], site["district"], CYCLE)


def test_a_feed_is_atom_with_what_readers_require(client, site):
    root = atom(client.get(links.candidate_feed_path(site["candidate"])))
    assert root.findtext(f"{ATOM}id") == f"urn:fec:feed:candidate:{site['candidate']}"
    assert root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}updated") == db.manifest()["built_at"].replace("+00:00", "Z")
    rels = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    assert rels["self"].endswith(links.candidate_feed_path(site["candidate"]))
    assert rels["alternate"].endswith(links.candidate_path(site["candidate"]))
    assert root.find(f"{ATOM}author/{ATOM}name").text
    found = entries(root)
    assert {entry["kind"] for entry in found} == {"notices", "reports", "contributions"}
    for entry in found:
        assert entry["id"].startswith("urn:fec:") and entry["title"] and entry["summary"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["updated"])
        assert entry["href"].startswith("http://")
    assert [e["updated"] for e in found] == sorted((e["updated"] for e in found), reverse=True)
    assert len({e["id"] for e in found}) == len(found)


def test_notices_are_the_extracts_notice_rows_newest_filed_first(client, site):
    found = entries(atom(client.get(links.candidate_feed_path(site["candidate"]), query_string={"kind": "notices"})))
    expected = db.query(
        """SELECT CAST(sub_id AS VARCHAR) AS sub_id, amount, filed_date FROM outside_expenditures
           WHERE candidate_id = ? AND from_notice ORDER BY filed_date DESC, sub_id DESC""",
        [site["candidate"]],
    )
    assert len(found) == len(expected) == 3  # the notice a regular report repeats is not one any more
    assert [e["id"] for e in found] == [f"urn:fec:schedule-e:{s}" for s in expected["sub_id"]]
    ours = site["sub_ids"]
    assert [e["id"].rsplit(":", 1)[1] for e in found] == [ours[1], ours[5], ours[0]]  # filed 10-25, 10-23, 10-20
    for entry, amount, filed in zip(found, expected["amount"], expected["filed_date"]):
        assert labels.money_cents(amount) in entry["title"]
        assert entry["updated"] == f"{labels.date(filed)}T00:00:00Z"
        assert NOTICE_NOTE in entry["summary"]
    assert "$1,234.56 opposing" in found[0]["title"] and "$25,000.00 supporting" in found[2]["title"]
    assert found[0]["href"].endswith(links.candidate_path(site["candidate"], CYCLE))


def test_xml_special_characters_are_escaped_and_control_characters_dropped(client, site):
    response = client.get(links.candidate_feed_path(site["candidate"]), query_string={"kind": "notices"})
    assert b"CITIZENS FOR &lt;BETTER&gt; &amp;" in response.data
    assert b"\x07" not in response.data
    odd = [e for e in entries(atom(response)) if e["id"].endswith(site["sub_ids"][5])][0]
    assert ODD_SPENDER in odd["title"]  # parsed back: exactly the name as filed
    assert "Purpose: TV AD & MAILERS." in odd["summary"]


def test_reports_are_the_candidate_periods_latest_first(client, site):
    found = entries(atom(client.get(links.candidate_feed_path(site["candidate"]), query_string={"kind": "reports"})))
    expected = db.query(
        """SELECT cycle, report_year, report_type, receipts, coverage_end FROM candidate_periods
           WHERE candidate_id = ? ORDER BY coverage_end DESC, report_year DESC, report_type""",
        [site["candidate"]],
    ).head(feed_queries.FEED_LIMIT)
    assert len(found) == len(expected) > 0
    assert [e["id"] for e in found] == [
        f"urn:fec:report:{site['candidate']}:{c}:{y}:{t}"
        for c, y, t in zip(expected["cycle"], expected["report_year"], expected["report_type"])
    ]
    for entry, receipts in zip(found, expected["receipts"]):
        assert entry["title"].endswith(f"raised {labels.money_cents(receipts)}")


def test_large_contributions_are_the_extracts_newest_rows(client, site):
    found = entries(
        atom(client.get(links.candidate_feed_path(site["candidate"]), query_string={"kind": "contributions"}))
    )
    expected = db.query(
        """SELECT CAST(sub_id AS VARCHAR) AS sub_id, amount, date FROM large_receipts
           WHERE candidate_id = ? ORDER BY date DESC, sub_id DESC LIMIT ?""",
        [site["candidate"], feed_queries.FEED_LIMIT],
    )
    assert len(found) == len(expected) > 0
    assert [e["id"] for e in found] == [f"urn:fec:schedule-a:{s}" for s in expected["sub_id"]]
    for entry, amount in zip(found, expected["amount"]):
        assert entry["title"].startswith(f"{labels.money_cents(amount)} from ")
        assert amount >= contract.LARGE_RECEIPT_FLOOR


def test_race_feed_holds_its_candidates_notices_only(client, site):
    root = atom(client.get(race_feed_path(site), query_string={"kind": "notices"}))
    ids = [e["id"].rsplit(":", 1)[1] for e in entries(root)]
    ours = site["sub_ids"]
    assert {ours[0], ours[1], ours[5]} <= set(ids)
    assert ours[4] not in ids  # about a candidate of another race
    expected = db.query(
        """SELECT count(*) AS n FROM outside_expenditures o JOIN candidates c USING (candidate_id, cycle)
           WHERE o.from_notice AND c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? AND c.in_race""",
        [CYCLE, site["state"], site["district"]],
    )
    assert len(ids) == min(int(expected["n"].iloc[0]), feed_queries.FEED_LIMIT)
    everything = entries(atom(client.get(race_feed_path(site))))
    assert {"notices", "reports", "contributions"} == {e["kind"] for e in everything}


def test_committee_feed_holds_the_notices_it_filed_and_its_candidates_reports(client, site):
    spender = entries(atom(client.get(links.committee_feed_path(site["super_pac"]), query_string={"kind": "notices"})))
    expected = db.query(
        """SELECT CAST(sub_id AS VARCHAR) AS sub_id FROM outside_expenditures
           WHERE committee_id = ? AND from_notice ORDER BY filed_date DESC, sub_id DESC""",
        [site["super_pac"]],
    )
    got = [e["id"].rsplit(":", 1)[1] for e in spender]
    assert got == list(expected["sub_id"])
    ours = site["sub_ids"]
    assert [s for s in got if s in ours] == [ours[1], ours[4], ours[0]]  # another race's candidate too
    assert ours[5] not in got  # another spender's
    campaign = entries(atom(client.get(links.committee_feed_path(site["principal"]), query_string={"kind": "reports"})))
    candidate = entries(
        atom(client.get(links.candidate_feed_path(site["candidate"]), query_string={"kind": "reports"}))
    )
    in_cycle = [e["id"] for e in candidate if f":{CYCLE}:" in e["id"]]
    assert in_cycle and set(in_cycle) <= {e["id"] for e in campaign}


@pytest.mark.parametrize(
    "path",
    [
        "/feeds/candidate/NOTANID.atom",
        "/feeds/candidate/H9ZZ99999.atom",  # well formed, in no cycle
        "/feeds/committee/C1.atom",
        "/feeds/committee/C99999999.atom",
        "/feeds/race/house/ZZ/01/2024.atom",
        "/feeds/race/house/CA/77/2024.atom",
        "/feeds/race/house/CA/01/2023.atom",
        "/feeds/race/senate/WA/1900.atom",
        "/feeds/race/president/2100.atom",  # a valid cycle with no candidates
    ],
)
def test_bad_addresses_answer_a_short_plain_404(client, site, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert len(text.splitlines()) == 1 and "Traceback" not in text


def test_a_bad_kind_is_a_400_naming_it(client, site):
    response = client.get(links.candidate_feed_path(site["candidate"]), query_string={"kind": "<x>"})
    assert response.status_code == 400 and response.get_data(as_text=True).startswith("kind:")


def test_subtitle_says_demo_data_source_and_date(client, site):
    root = atom(client.get(links.candidate_feed_path(site["candidate"])))
    subtitle = root.findtext(f"{ATOM}subtitle")
    assert subtitle.startswith(DEMO_NOTICE)
    assert "synthetic demo data" in subtitle
    assert f"data through {max(db.manifest()['coverage_end'].values())}" in subtitle


def test_same_snapshot_same_etag_answers_304(client, site):
    path = links.candidate_feed_path(site["candidate"])
    first = client.get(path)
    tag = first.headers["ETag"].strip('"')
    again = client.get(path, headers={"If-None-Match": f'"{tag}"'})
    assert again.status_code == 304


def test_pages_name_their_feed_in_head(client, site):
    head = client.get(links.candidate_path(site["candidate"])).get_data(as_text=True).split("</head>")[0]
    assert f'<link rel="alternate" type="application/atom+xml" title="Candidate {site["candidate"]}: ' in head
    assert f'href="{links.candidate_feed_path(site["candidate"])}"' in head
    race_head = client.get(links.race_path("H", site["state"], site["district"], CYCLE)).get_data(as_text=True)
    assert f'href="{race_feed_path(site)}"' in race_head.split("</head>")[0]
    assert "application/atom+xml" not in client.get("/").get_data(as_text=True)


def test_revised_report_says_so_and_is_updated_when_seen(changed, client):
    data_dir, known = changed
    before = os.environ["DATA_CACHE_DIR"]
    os.environ["DATA_CACHE_DIR"] = str(data_dir)
    try:
        found = entries(atom(client.get(links.candidate_feed_path(known.amended), query_string={"kind": "reports"})))
        year, kind = known.amended_period
        revised = [e for e in found if e["id"] == f"urn:fec:report:{known.amended}:{known.cycle}:{year}:{kind}"]
        assert len(revised) == 1
        assert f"receipts were {labels.money_cents(known.amended_before)}" in revised[0]["summary"]
        assert revised[0]["updated"] == db.manifest()["built_at"].replace("+00:00", "Z")
    finally:
        os.environ["DATA_CACHE_DIR"] = before
