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

from dashboard.core import config, fec, geography

_CANDIDATE_ID = re.compile(r"[HSP][0-9A-Z]{8}")
# Digits are [0-9], never \d: in Python \d (like str.isdigit) also matches other scripts' digits ('١٢', '²'),
# which int() reads or refuses unpredictably.
_COMMITTEE_ID = re.compile(r"C[0-9]{8}")
_DISTRICT = re.compile(r"[0-9]{1,2}")
MAX_DISTRICT = 53  # California's 52 seats, with room for one more after a reapportionment


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
            f"candidate_id: {text[:20]!r} is not an FEC candidate id (9 letters and digits starting with H, S or P)"
        )
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
    if not re.fullmatch(r"[0-9]{1,4}", text):  # not str.isdigit(): it passes '²' and '①', which int() refuses
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


def state_to_exclude(value, name: str = "not_state") -> str | None:
    """A state code (as `state` checks it) whose rows a search leaves out; blank means none.
    The message names `name`, not 'state', so a link with both says which one is wrong."""
    if _blank(value):
        return None
    try:
        return state(value)
    except InvalidParameter as problem:
        raise InvalidParameter(f"{name}: {str(problem).split(': ', 1)[1]}") from None


def district(value) -> str:
    """A House district as FEC writes it: two digits, '00' for at-large seats and delegates."""
    text = _text(value, "district")
    if not _DISTRICT.fullmatch(text) or int(text) > MAX_DISTRICT:
        raise InvalidParameter(f"district: {text[:20]!r} is not a district number from 00 to {MAX_DISTRICT}")
    return f"{int(text):02d}"


def office(value) -> str:
    """An office as H/S/P, from either the code or its URL word (house, senate, president)."""
    text = _text(value, "office").lower()
    if text in fec.OFFICE_BY_WORD:
        return fec.OFFICE_BY_WORD[text]
    if text.upper() in fec.OFFICES:
        return text.upper()
    raise InvalidParameter(f"office: {text[:20]!r} is not house, senate or president")


def party(value) -> str:
    """An FEC party code, upper-cased: one of the FEC's own list (fec.PARTY_DESCRIPTIONS), which
    has codes of one to three characters (W, UN, D/C, DFL, DEM...). Codes filers made up are
    refused: the pages offer only the FEC's codes."""
    text = _text(value, "party").upper()
    if text not in fec.PARTY_DESCRIPTIONS:
        raise InvalidParameter(
            f"party: {text[:20]!r} is not an FEC party code (one of the FEC's {len(fec.PARTY_DESCRIPTIONS)} codes "
            "such as DEM, REP, IND, GRE, LIB, W for write-in or D/C)"
        )
    return text


def choice(value, name: str, options, default: str) -> str:
    """One of a fixed set of words (a page's view, say); missing means `default`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    text = _text(value, name).lower()
    if text not in options:
        raise InvalidParameter(f"{name}: {text[:20]!r} is not one of {', '.join(options)}")
    return text


def optional(parse):
    """`parse` for a value that may be left out: blank (or absent) means None, anything else must
    parse."""
    return lambda value: None if value is None or not str(value).strip() else parse(value)


def search_text(value, max_length: int = 80) -> str:
    """Free text for the search box: trimmed, inner whitespace collapsed, length capped."""
    if value is None:
        return ""
    return " ".join(str(value).split())[:max_length]


# Earliest and latest dates a filter may name: FEC data starts in the 1970s.
FIRST_DATE = _date(1975, 1, 1)
LAST_DATE = _date(2100, 12, 31)
MAX_AMOUNT = Decimal("100000000")  # no single contribution comes near $100 million
_ZIP = re.compile(r"([0-9]{5})(-?[0-9]{4})?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT = re.compile(r"-?[0-9]{1,12}(\.[0-9]{1,2})?")


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
        # fromisoformat alone would also take 20240101 and 2024-W01-1, which the message does not promise.
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
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


_DONOR_KEY = re.compile(r"[^|\x00-\x1f\x7f]{1,150}\|([0-9]{5}|\?)")


def donor_key(value) -> str:
    """A donor key as the builder makes it (core/normalize.py donor_key): the normalized name, '|' and the
    ZIP5 (or '?' for none), e.g. 'SMITH, JOHN|20001'; upper-cased, spaces around it dropped."""
    text = _text(value, "donor_key")
    if not _DONOR_KEY.fullmatch(text):  # before upper(): 'ß' upper-cased is 'SS', one character more
        raise InvalidParameter(f"donor_key: {text[:40]!r} is not a donor key (a name, '|' and a ZIP5 or '?')")
    return text.upper()


# Kinds of contributor a receipts search can keep apart, as the URL names them.
CONTRIBUTOR_ENTITIES = ("individual", "organization")


def contributor_entity(value, name: str = "entity") -> str | None:
    """individual or organization (the filer's entity type of the contributor); blank means any."""
    if _blank(value):
        return None
    return choice(value, name, CONTRIBUTOR_ENTITIES, "")


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
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        raise InvalidParameter(f"{name}: {text[:20]!r} is not a whole number")
    number = int(text)
    if not minimum <= number <= maximum:
        raise InvalidParameter(f"{name}: {number} is not between {minimum:,} and {maximum:,}")
    return number


def whole_dollars(value, name: str, minimum: int, maximum: int) -> int:
    """Whole dollars as people type them ('2000', '$2,000', '2000.00'), from `minimum` to `maximum`."""
    text = str(value).strip().replace(",", "").lstrip("$")
    if text.endswith(".00"):
        text = text[:-3]
    # At most 12 ASCII digits: int() of a longer run (or of '²', which isdigit() passes) is not our error.
    if not re.fullmatch(r"[0-9]{1,12}", text) or not minimum <= int(text) <= maximum:
        raise InvalidParameter(
            f"{name}: {text[:20]!r} is not a whole number of dollars from {minimum:,} to {maximum:,}"
        )
    return int(text)


# Lists, as a command line gives them: each value may hold several items separated by commas
# (`--office H,S --office P`, `--state OR WA`); duplicates are dropped, order is kept.


def _items(values) -> list[str]:
    return [item.strip() for value in values or () for item in str(value).split(",") if item.strip()]


def _each(values, parse) -> tuple[list, list[str]]:
    """(parsed items, items that did not parse), so an error can name every bad one at once."""
    good, bad = [], []
    for item in _items(values):
        try:
            good.append(parse(item))
        except InvalidParameter:
            bad.append(item.upper())
    return list(dict.fromkeys(good)), bad


def offices(values, name: str = "office") -> tuple[str, ...]:
    """Offices as H/S/P codes (their words too); none given means an empty tuple."""
    codes, bad = _each(values, office)
    if bad:
        raise InvalidParameter(f"{name} takes H, S and P (comma separated), not {','.join(bad)}")
    return tuple(codes)


def states(values, name: str = "state") -> tuple[str, ...]:
    """USPS codes of states the dashboard knows, upper-cased; none given means an empty tuple."""
    codes, bad = _each(values, state)
    if bad:
        raise InvalidParameter(f"{name} takes two-letter state codes such as OR or TX, not {','.join(bad)}")
    return tuple(codes)


def cycles(values, name: str = "cycle", first: int = 1976) -> tuple[int, ...]:
    """Two-year cycles (their even years), `first` or later, sorted; none given means an empty tuple."""
    years, bad = _each(values, cycle)
    bad += [str(year) for year in years if year < first]
    if bad:
        raise InvalidParameter(
            f"{name} takes the even year of a two-year period ({first} or later), not {','.join(bad)}"
        )
    return tuple(sorted(years))


_INTERVAL = re.compile(r"\s*([0-9]{1,9})\s*([smhd])\s*")
_INTERVAL_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def interval(value, name: str = "interval") -> int:
    """A repeat interval ('45s', '30m', '6h', '1d') in seconds; never zero."""
    match = _INTERVAL.fullmatch(value or "") if isinstance(value, str) else None
    if not match or int(match.group(1)) == 0:
        raise InvalidParameter(f"{name}: {value!r} is not like 30m, 6h or 1d")
    return int(match.group(1)) * _INTERVAL_SECONDS[match.group(2)]
