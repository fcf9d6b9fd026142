"""The donor pages' shared facts: the donor key as URLs and the API send it (params.donor_key), the election
a gift is for in words (fec.election_label) and the per-election limits of every cycle the demo holds."""

from __future__ import annotations

import pytest

from dashboard.core import fec, normalize, params


def test_donor_key_is_upper_cased_and_must_end_in_a_zip5_or_question_mark():
    assert params.donor_key(" smith, john|20001 ") == "SMITH, JOHN|20001"
    assert params.donor_key("?|?") == "?|?"
    # what the builder makes is what the parser accepts
    key = normalize.normalize_value("donor_key", "Smith, John Mr.", "20001-1234")
    assert params.donor_key(key) == key == "SMITH, JOHN|20001"
    for bad in (None, "", "SMITH, JOHN", "SMITH|2000", "A|B|20001", "|20001", "X\x00|20001", "A" * 151 + "|20001"):
        with pytest.raises(params.InvalidParameter, match="donor_key"):
            params.donor_key(bad)


def test_election_label_says_the_election_or_that_none_was_stated():
    assert fec.election_label("P2024") == "Primary 2024"
    assert fec.election_label("g2026") == "General 2026"
    assert fec.election_label("R") == "Runoff"
    assert fec.election_label("X2024") == "Election X 2024"
    assert fec.election_label(None) == fec.election_label("  ") == fec.ELECTION_NOT_STATED


def test_limits_cover_every_cycle_from_2016_and_rise_with_inflation():
    limits = fec.INDIVIDUAL_LIMIT_PER_ELECTION
    assert list(limits) == list(range(2016, 2027, 2))
    assert list(limits.values()) == sorted(limits.values())
    assert (limits[2024], limits[2026]) == (3300, 3500)
