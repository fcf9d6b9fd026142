"""Normalization rules, one value at a time (the builder runs the same SQL on every row)."""
import pytest

from dashboard.normalize import normalize_value


@pytest.mark.parametrize("raw, expected", [
    ("Smith, John Jr.", "SMITH, JOHN"),
    ("DR. JANE  DOE", "JANE DOE"),
    ("o'brien, pat", "OBRIEN, PAT"),
    ("MR SMITH,  JOHN", "SMITH, JOHN"),
    ("SMITH , JOHN MR", "SMITH, JOHN"),
    ("", None),
    (None, None),
])
def test_names(raw, expected):
    assert normalize_value("norm_name_key", raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("self employed", "SELF-EMPLOYED"), ("Self-Employed", "SELF-EMPLOYED"), ("SELF", "SELF-EMPLOYED"),
    ("self-employed/owner", "SELF-EMPLOYED"),
    ("n/a", None), ("None", None), ("INFORMATION REQUESTED", None),
    ("INFORMATION REQUESTED PER BEST EFFORTS", None), ("  ", None), (None, None),
    ("unemployed", "NOT EMPLOYED"), ("Not Employed", "NOT EMPLOYED"),
    ("Acme, Inc.", "ACME, INC"), ("retired", "RETIRED"), ("AT&T", "AT&T"),
])
def test_employers_and_occupations(raw, expected):
    assert normalize_value("norm_job", raw) == expected


def test_donor_key_is_name_and_zip5():
    assert normalize_value("donor_key", "Smith, John", "123456789") == "SMITH, JOHN|12345"
    assert normalize_value("donor_key", "SMITH, JOHN JR", "12345") == "SMITH, JOHN|12345"
    assert normalize_value("donor_key", "Smith, John", "K1A 0B1") == "SMITH, JOHN|?"
    assert normalize_value("donor_key", "Smith, John", "12345") != normalize_value("donor_key", "Smith, John", "54321")


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        normalize_value("drop_table", "x")
