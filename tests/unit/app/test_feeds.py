"""Feed addresses of pages (dashboard/app/links.py) and the Atom document itself (dashboard/app/api/feeds.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from dashboard.app import links
from dashboard.app.api.feeds import ATOM, Entry, atom_document


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/candidate/h4wa01001", "/feeds/candidate/H4WA01001.atom"),
        ("/candidate/H4WA01001?cycle=2024", "/feeds/candidate/H4WA01001.atom"),
        ("/committee/C00000001", "/feeds/committee/C00000001.atom"),
        ("/race/house/ca/7/2024", "/feeds/race/house/CA/07/2024.atom"),
        ("/race/senate/WA/2024/", "/feeds/race/senate/WA/2024.atom"),
        ("/race/president/2024", "/feeds/race/president/2024.atom"),
    ],
)
def test_race_candidate_and_committee_pages_have_a_feed(page, feed):
    assert links.page_feed(page)[0] == feed
    assert f'href="{feed}"' in links.feed_link_tag(page)


@pytest.mark.parametrize(
    "page", ["/", "/trends", "/candidate/NOPE", "/race/house/ZZ/01/2024", "/race/senate/WA/2023", "/committee/C1/x"]
)
def test_other_pages_and_bad_addresses_have_none(page):
    assert links.page_feed(page) is None
    assert links.feed_link_tag(page) == ""


def test_feed_paths_follow_the_race_pages():
    assert links.race_feed_path("H", "OR", "05", 2026) == "/feeds/race/house/OR/05/2026.atom"
    assert links.race_feed_path("P", None, None, 2024) == "/feeds/race/president/2024.atom"


def test_atom_document_escapes_text_and_attributes():
    odd = 'A & B <PAC> "X"\x0b'
    body = atom_document(
        "urn:fec:feed:test",
        odd,
        "subtitle",
        "2026-01-02T03:04:05Z",
        "http://example.org/feeds/x.atom?kind=notices&a=<b>",
        "http://example.org/",
        [Entry("urn:fec:schedule-e:1", odd, "2026-01-01T00:00:00Z", "/candidate/H4WA01001", odd, "notices")],
    )
    assert body.startswith(b"<?xml")
    assert b"A &amp; B &lt;PAC&gt;" in body and b"\x0b" not in body
    root = ET.fromstring(body)
    assert root.tag == f"{{{ATOM}}}feed"
    assert root.findtext(f"{{{ATOM}}}title") == 'A & B <PAC> "X"'
    self_link = root.find(f"{{{ATOM}}}link[@rel='self']")
    assert self_link.get("href") == "http://example.org/feeds/x.atom?kind=notices&a=<b>"
    entry = root.find(f"{{{ATOM}}}entry")
    assert entry.find(f"{{{ATOM}}}link").get("href") == "http://example.org/candidate/H4WA01001"
    assert entry.find(f"{{{ATOM}}}summary").get("type") == "text"
