"""Normalization rules, one value at a time (the builder runs the same SQL on every row)."""

import pytest

from dashboard.core.normalize import normalize_value


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Smith, John Jr.", "SMITH, JOHN"),
        ("DR. JANE  DOE", "JANE DOE"),
        ("o'brien, pat", "OBRIEN, PAT"),
        ("MR SMITH,  JOHN", "SMITH, JOHN"),
        ("SMITH , JOHN MR", "SMITH, JOHN"),
        ("", None),
        (None, None),
    ],
)
def test_names(raw, expected):
    assert normalize_value("norm_name_key", raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("self employed", "SELF-EMPLOYED"),
        ("Self-Employed", "SELF-EMPLOYED"),
        ("SELF", "SELF-EMPLOYED"),
        ("self-employed/owner", "SELF-EMPLOYED"),
        ("n/a", None),
        ("None", None),
        ("INFORMATION REQUESTED", None),
        ("INFORMATION REQUESTED PER BEST EFFORTS", None),
        ("  ", None),
        (None, None),
        ("unemployed", "NOT EMPLOYED"),
        ("Not Employed", "NOT EMPLOYED"),
        ("Acme, Inc.", "ACME, INC"),
        ("retired", "RETIRED"),
        ("AT&T", "AT&T"),
    ],
)
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


def test_the_rules_shown_on_pages_match_what_the_macros_do():
    from dashboard.core.normalize import DONOR_KEY_RULE, JOB_RULE, NAME_NOISE, NOT_REPORTED, SELF_EMPLOYED

    for word in ("'N/A'", "'NONE'", "'INFORMATION REQUESTED'", "'SELF-EMPLOYED'"):
        assert word in JOB_RULE
    for spelling in NOT_REPORTED:  # every spelling the rule calls 'not reported' is
        assert normalize_value("norm_job", spelling) is None, spelling
    for spelling in SELF_EMPLOYED:
        assert normalize_value("norm_job", spelling) == "SELF-EMPLOYED", spelling
    assert "ZIP" in DONOR_KEY_RULE and all(noise in DONOR_KEY_RULE for noise in NAME_NOISE)


@pytest.mark.parametrize(
    "raw", ["Self Employed", "self-employed ", "SELF EMPLOYED.", "Self-Employment", "SELF EMPLOYED CONSULTANT"]
)
def test_more_self_employed_spellings(raw):
    assert normalize_value("norm_job", raw) == "SELF-EMPLOYED"


@pytest.mark.parametrize(
    "raw", ["n/a", "N.A.", "none", "Information Requested Per Best Efforts", "requested", "Info Requested"]
)
def test_more_not_reported_spellings(raw):
    assert normalize_value("norm_job", raw) is None


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("CASTRO, JULIÁN", "CASTRO JULIAN"),  # real bulk files are UTF-8: accents fold away
        ("O'ROURKE, ROBERT (BETO)", "OROURKE ROBERT BETO"),  # an apostrophe joins, typed or not
        ("O’ROURKE", "OROURKE"),  # the curly one too
        ("Núñez-Pérez,  María", "NUNEZ PEREZ MARIA"),
        ("Straße", "STRA E"),  # upper-cased last, on ASCII only: both sides agree, no 'SS'
        ("", ""),
        (None, ""),
    ],
)
def test_fold_name_in_python_and_sql_agree(raw, expected):
    from dashboard.core.normalize import fold_name

    assert fold_name(raw) == expected
    assert normalize_value("fold_name", raw) == expected
