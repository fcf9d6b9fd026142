"""Parsing and validation of everything a URL or form can send: ids, cycles, states, districts.

Every parser takes the raw value (usually a string from a URL), returns the clean value, and
raises ValueError with a message that names the parameter, so a page can say exactly what was
wrong ("cycle: 2023 is not an even year"). InvalidParameter is a ValueError, so a page can tell
a bad URL (a friendly 404) from a bug (a logged error).
"""
from __future__ import annotations

import re
from datetime import date as _date
from decimal import Decimal

from dashboard.core import config, geography

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


def committee_id(value, name: str = "committee_id") -> str:
    """An FEC committee id: C followed by 8 digits, upper-cased."""
    text = _text(value, name).upper()
    if not _COMMITTEE_ID.fullmatch(text):
        raise InvalidParameter(f"{name}: {text[:20]!r} is not an FEC committee id (C and 8 digits)")
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


# Earliest and latest dates a filter may name: FEC data starts in the 1970s.
FIRST_DATE = _date(1975, 1, 1)
LAST_DATE = _date(2100, 12, 31)
MAX_AMOUNT = Decimal("100000000")  # no single contribution comes near $100 million
_ZIP = re.compile(r"(\d{5})(-?\d{4})?")
_AMOUNT = re.compile(r"-?\d{1,12}(\.\d{1,2})?")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def date(value, name: str = "date") -> _date | None:
    """An ISO date (YYYY-MM-DD) from 1975 to 2100; blank means no date."""
    if _blank(value):
        return None
    if isinstance(value, _date):
        return value
    text = _text(value, name)
    try:
        day = _date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(f"{name}: {text[:20]!r} is not a date written YYYY-MM-DD") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise InvalidParameter(f"{name}: {text} is outside {FIRST_DATE.year}-{LAST_DATE.year}")
    return day


def amount(value, name: str = "amount") -> Decimal | None:
    """Dollars and cents ('1000', '$1,000.50', '-25'); blank means no amount."""
    if _blank(value):
        return None
    text = _text(value, name).replace(",", "").replace("$", "")
    if not _AMOUNT.fullmatch(text):
        raise InvalidParameter(f"{name}: {str(value)[:20]!r} is not an amount in dollars (e.g. 200 or 1000.50)")
    dollars = Decimal(text)
    if abs(dollars) > MAX_AMOUNT:
        raise InvalidParameter(f"{name}: {text[:20]} is more than ${MAX_AMOUNT:,.0f}")
    return dollars


def zip5(value, name: str = "zip") -> str | None:
    """A ZIP code as its first five digits ('98101' or '98101-1234'); blank means none."""
    if _blank(value):
        return None
    text = _text(value, name)
    match = _ZIP.fullmatch(text)
    if not match:
        raise InvalidParameter(f"{name}: {text[:20]!r} is not a ZIP code (5 digits, or ZIP+4)")
    return match.group(1)


def free_text(value, name: str, max_length: int = 100) -> str | None:
    """Words typed into a filter: whitespace collapsed, control characters refused, at most
    `max_length` characters (a longer value is an error, not silently cut); blank means none."""
    if _blank(value):
        return None
    text = " ".join(str(value).split())
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidParameter(f"{name}: contains control characters")
    if len(text) > max_length:
        raise InvalidParameter(f"{name}: longer than {max_length} characters")
    return text


def flag(value, name: str) -> bool | None:
    """yes/no (also true/false, 1/0); blank means either."""
    if _blank(value):
        return None
    text = _text(value, name).lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise InvalidParameter(f"{name}: {text[:20]!r} is not yes or no")


def whole_number(value, name: str, minimum: int, maximum: int, default: int | None = None) -> int | None:
    """A whole number from `minimum` to `maximum`; blank means `default`."""
    if _blank(value):
        return default
    text = _text(value, name)
    if not re.fullmatch(r"-?\d{1,12}", text):
        raise InvalidParameter(f"{name}: {text[:20]!r} is not a whole number")
    number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidParameter(f"{name}: {number} is not between {minimum:,} and {maximum:,}")
    return number
