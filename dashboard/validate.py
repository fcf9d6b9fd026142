"""Parsing and validation of everything a URL or form can send: ids, cycles, states, districts.

Every parser takes the raw value (usually a string from a URL), returns the clean value, and
raises ValueError with a message that names the parameter, so a page can say exactly what was
wrong ("cycle: 2023 is not an even year"). InvalidParameter is a ValueError, so a page can tell
a bad URL (a friendly 404) from a bug (a logged error).
"""
from __future__ import annotations

import re

from dashboard import config, geography

_CANDIDATE_ID = re.compile(r"[HSP][0-9A-Z]{8}")
_COMMITTEE_ID = re.compile(r"C\d{8}")
_DISTRICT = re.compile(r"\d{1,2}")
MAX_DISTRICT = 53  # California's 52 seats, with room for one more after a reapportionment

OFFICES = {"house": "H", "senate": "S", "president": "P"}


class InvalidParameter(ValueError):
    """A URL or form value that is not valid; the message names the parameter."""


def _text(value, name: str) -> str:
    if value is None:
        raise InvalidParameter(f"{name}: missing")
    if not isinstance(value, str):
        value = str(value)
    return value.strip()


def candidate_id(value) -> str:
    """An FEC candidate id: 9 characters, the first H, S or P (office sought), upper-cased."""
    text = _text(value, "candidate_id").upper()
    if not _CANDIDATE_ID.fullmatch(text):
        raise InvalidParameter(
            f"candidate_id: {text[:20]!r} is not an FEC candidate id "
            "(9 letters and digits starting with H, S or P)")
    return text


def committee_id(value) -> str:
    """An FEC committee id: C followed by 8 digits, upper-cased."""
    text = _text(value, "committee_id").upper()
    if not _COMMITTEE_ID.fullmatch(text):
        raise InvalidParameter(f"committee_id: {text[:20]!r} is not an FEC committee id (C and 8 digits)")
    return text


def cycle(value=None) -> int:
    """A two-year cycle named by its even year, 1976-2100; missing means DEFAULT_CYCLE."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return int(config.get("DEFAULT_CYCLE"))
    text = _text(value, "cycle")
    if not text.isdigit():
        raise InvalidParameter(f"cycle: {text[:20]!r} is not a year")
    year = int(text)
    if year % 2:
        raise InvalidParameter(f"cycle: {year} is not an even year (a cycle is named by its even year)")
    if not geography.is_valid_cycle(year):
        raise InvalidParameter(f"cycle: {year} is outside 1976-2100")
    return year


def state(value) -> str:
    """A USPS state code the dashboard knows (the 50 states, DC and PR), upper-cased."""
    text = _text(value, "state").upper()
    if text not in geography.STATES:
        raise InvalidParameter(f"state: {text[:20]!r} is not a US state code")
    return text


def district(value) -> str:
    """A House district as FEC writes it: two digits, '00' for at-large seats and delegates."""
    text = _text(value, "district")
    if not _DISTRICT.fullmatch(text) or int(text) > MAX_DISTRICT:
        raise InvalidParameter(f"district: {text[:20]!r} is not a district number from 00 to {MAX_DISTRICT}")
    return f"{int(text):02d}"


def office(value) -> str:
    """An office as H/S/P, from either the code or its URL word (house, senate, president)."""
    text = _text(value, "office").lower()
    if text in OFFICES:
        return OFFICES[text]
    if text.upper() in OFFICES.values():
        return text.upper()
    raise InvalidParameter(f"office: {text[:20]!r} is not house, senate or president")


def choice(value, name: str, options, default: str) -> str:
    """One of a fixed set of words (a page's view, say); missing means `default`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    text = _text(value, name).lower()
    if text not in options:
        raise InvalidParameter(f"{name}: {text[:20]!r} is not one of {', '.join(options)}")
    return text


def search_text(value, max_length: int = 80) -> str:
    """Free text for the search box: trimmed, inner whitespace collapsed, length capped."""
    if value is None:
        return ""
    return " ".join(str(value).split())[:max_length]
