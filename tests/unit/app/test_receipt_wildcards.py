"""A filter that matches everything ('*' alone) is no filter at all, not a pattern tested on every row."""

from __future__ import annotations

from dashboard.app.queries.receipts import ReceiptFilters


def test_a_lone_wildcard_is_no_filter():
    filters = ReceiptFilters.from_query({"cycle": "2024", "employer": "*", "occupation": " ** ", "city": "* *"})
    assert filters == ReceiptFilters(cycle=2024)
    assert filters.to_query() == {"cycle": "2024"}


def test_a_wildcard_after_letters_still_means_starts_with():
    filters = ReceiptFilters.from_query({"cycle": "2024", "employer": "goog*", "occupation": "teach*"})
    assert (filters.employer, filters.occupation) == ("goog*", "teach*")
