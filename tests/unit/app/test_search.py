"""Search ranking on a hand-made snapshot where the right order is known exactly."""

from __future__ import annotations

import json
import os

import duckdb
import pandas as pd
import pytest

from dashboard.app.queries import search
from dashboard.core import contract

PEOPLE = [  # candidate_id, name, receipts
    ("H4WA01001", "SMITH, JOHN", 10.0),
    ("H4WA02001", "SMITHERS, JOAN", 5_000.0),
    ("H4WA03001", "JOHNSON, SMITTY", 4_000.0),
    ("H4WA04001", "GOLDSMITH, JOANNA", 9_000.0),
    ("H4WA05001", "SMITH, JOHN Q", 20.0),
    ("S4WA00001", "O'BRIEN, MARY-KATE", 1.0),
    ("P4WA00001", "CASTRO, JULIÁN", 2.0),  # real bulk files are UTF-8, accents included
    ("S4WA00002", "O'ROURKE, ROBERT (BETO)", 3.0),
]
COMMITTEES = [  # committee_id, name, type, designation, candidate_id
    ("C00000001", "SMITH FOR CONGRESS", "H", "P", "H4WA01001"),
    ("C00000002", "SMITHVILLE VOTERS PAC", "Q", "U", None),
    ("C00000003", "SMITH LEADERSHIP FUND", "Q", "D", "H4WA01001"),  # a leadership PAC names its sponsor
]


@pytest.fixture
def tiny_snapshot(tmp_path, monkeypatch):
    """A snapshot holding only the three extracts search reads (the others are not needed)."""
    folder = tmp_path / "snapshots" / "tiny"
    folder.mkdir(parents=True)

    def write(name, rows):
        frame = pd.DataFrame(rows, columns=list(contract.EXTRACTS[name]))
        duckdb.from_df(frame).write_parquet(str(folder / f"{name}.parquet"))

    write(
        "candidates",
        [
            (cid, 2024, name, "DEM", cid[0], "WA", cid[4:6] if cid[0] == "H" else "00", "C", "C", None, 2024, True)
            for cid, name, _ in PEOPLE
        ],
    )
    write(
        "committees",
        [(cmid, 2024, name, kind, role, "DEM", cand, "WA", False) for cmid, name, kind, role, cand in COMMITTEES],
    )
    write(
        "candidate_totals",
        [
            (cid, 2024, receipts) + (0.0,) * 11 + (receipts, 0.0, "summary", None, None, [])
            for cid, _, receipts in PEOPLE
        ],
    )
    (folder / "manifest.json").write_text(json.dumps({"snapshot_id": "tiny", "source": "demo"}))
    os.symlink("snapshots/tiny", tmp_path / "current")
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    return tmp_path


def ids(text):
    return list(search.search(text).id)


def test_exact_beats_prefix(tiny_snapshot):
    found = search.search("smith john")
    # "SMITH, JOHN" is exact though it raised least; "SMITH, JOHN Q" starts with the text. No
    # other name has words starting with both "smith" and "john".
    assert list(found.id) == ["H4WA01001", "H4WA05001"]
    assert list(found.tier) == [0, 1]


def test_partial_words_in_any_order(tiny_snapshot):
    assert ids("smi jo")[:2] == ["H4WA02001", "H4WA03001"]  # word prefix, by money
    assert set(ids("jo smi")) == set(ids("smi jo"))


def test_substring_comes_last(tiny_snapshot):
    found = search.search("smith")
    tiers = found.set_index("id").tier
    assert tiers["H4WA01001"] == 1  # prefix
    assert tiers["H4WA04001"] == 3  # GOLDSMITH: substring only
    assert found.tier.is_monotonic_increasing
    assert found.iloc[-1].id == "H4WA04001"


def test_case_and_punctuation_do_not_matter(tiny_snapshot):
    assert ids("o'brien mary kate")[0] == "S4WA00001"
    assert ids("OBRIEN") == [] or ids("OBRIEN")[0] == "S4WA00001"
    assert ids("mary-kate")[0] == "S4WA00001"
    assert ids("O'BRIEN, MARY-KATE")[0] == "S4WA00001"


def test_accents_and_apostrophes_are_folded(tiny_snapshot):
    # "julian castro" finds "CASTRO, JULIÁN" (typed either way, accent or not); O'ROURKE is found
    # with or without the apostrophe, straight or curly.
    for typed in ("julian castro", "castro julian", "JULIÁN", "julián castro"):
        assert ids(typed)[0] == "P4WA00001", typed
    assert search.search("castro julian").iloc[0].tier == 0
    for typed in ("o'rourke", "orourke", "O’ROURKE", "orourke beto", "beto o'rourke"):
        assert ids(typed)[0] == "S4WA00002", typed
    assert search.search("orourke").iloc[0].tier == 1
    assert ids("obrien")[0] == "S4WA00001"
    assert ids("marykate")[0] == "S4WA00001"  # a hyphenated name typed as one word


def test_python_and_sql_fold_names_alike(tiny_snapshot):
    # The typed text and the names are folded by two implementations: typing a stored name
    # exactly must always be an exact (tier 0) match.
    for _, name, _ in PEOPLE:
        found = search.search(name)
        assert found.iloc[0].tier == 0 and found.iloc[0]["name"] == name, name


def test_committees_lead_to_their_candidate_or_to_themselves(tiny_snapshot):
    found = search.search("smith for").set_index("id")
    assert found.loc["C00000001", "path"] == "/candidate/H4WA01001?cycle=2024"
    orphan = search.search("smithville").set_index("id")
    assert orphan.loc["C00000002", "path"] == "/committee/C00000002?cycle=2024"
    # A leadership PAC is not the candidate's campaign: it leads to its own page, which names him.
    pac = search.search("smith leadership").set_index("id")
    assert pac.loc["C00000003", "path"] == "/committee/C00000003?cycle=2024"
    assert (pac.loc["C00000003", "committee_type"], pac.loc["C00000003", "designation"]) == ("Q", "D")


def test_results_describe_a_committee_by_its_kind_and_party_by_name(tiny_snapshot):
    from dashboard.app.components.search_box import _describe

    rows = {row.id: row for row in search.search("smith").itertuples()}
    assert _describe(rows["H4WA01001"]) == "House WA-01 · Democratic · 2024"
    assert _describe(rows["C00000001"]) == "Principal campaign committee · House WA-01 · Democratic · 2024"
    assert _describe(rows["C00000003"]) == "Leadership PAC · Democratic · 2024"
    assert _describe(rows["C00000002"]) == "PAC · Democratic · 2024"


def test_a_candidate_comes_before_its_own_committee(tiny_snapshot):
    found = search.search("smith")
    kinds = found[found.id.isin(["H4WA01001", "C00000001"])].kind.tolist()
    assert kinds == ["candidate", "committee"]


def test_limit_and_short_text(tiny_snapshot):
    assert len(search.search("smith", limit=2)) == 2
    assert search.search("s").empty
    assert search.search("  ").empty


def test_exact_id(tiny_snapshot):
    found = search.search("h4wa03001")
    assert found.iloc[0].id == "H4WA03001" and found.iloc[0].tier == 0
