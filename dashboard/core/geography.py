"""Facts about US states and House seats that every part of the dashboard shares.

Kept in code (not read from boundary files) so the demo, validation and pages work on a
machine that has no boundaries at all.
"""

from __future__ import annotations

# USPS code: (FIPS, name, House seats after the 2020 apportionment, 2020 population in millions)
STATES: dict[str, tuple[str, str, int, float]] = {
    "AL": ("01", "Alabama", 7, 5.02),
    "AK": ("02", "Alaska", 1, 0.73),
    "AZ": ("04", "Arizona", 9, 7.15),
    "AR": ("05", "Arkansas", 4, 3.01),
    "CA": ("06", "California", 52, 39.54),
    "CO": ("08", "Colorado", 8, 5.77),
    "CT": ("09", "Connecticut", 5, 3.61),
    "DE": ("10", "Delaware", 1, 0.99),
    "DC": ("11", "District of Columbia", 0, 0.69),
    "FL": ("12", "Florida", 28, 21.54),
    "GA": ("13", "Georgia", 14, 10.71),
    "HI": ("15", "Hawaii", 2, 1.46),
    "ID": ("16", "Idaho", 2, 1.84),
    "IL": ("17", "Illinois", 17, 12.81),
    "IN": ("18", "Indiana", 9, 6.79),
    "IA": ("19", "Iowa", 4, 3.19),
    "KS": ("20", "Kansas", 4, 2.94),
    "KY": ("21", "Kentucky", 6, 4.51),
    "LA": ("22", "Louisiana", 6, 4.66),
    "ME": ("23", "Maine", 2, 1.36),
    "MD": ("24", "Maryland", 8, 6.18),
    "MA": ("25", "Massachusetts", 9, 7.03),
    "MI": ("26", "Michigan", 13, 10.08),
    "MN": ("27", "Minnesota", 8, 5.71),
    "MS": ("28", "Mississippi", 4, 2.96),
    "MO": ("29", "Missouri", 8, 6.15),
    "MT": ("30", "Montana", 2, 1.08),
    "NE": ("31", "Nebraska", 3, 1.96),
    "NV": ("32", "Nevada", 4, 3.10),
    "NH": ("33", "New Hampshire", 2, 1.38),
    "NJ": ("34", "New Jersey", 12, 9.29),
    "NM": ("35", "New Mexico", 3, 2.12),
    "NY": ("36", "New York", 26, 20.20),
    "NC": ("37", "North Carolina", 14, 10.44),
    "ND": ("38", "North Dakota", 1, 0.78),
    "OH": ("39", "Ohio", 15, 11.80),
    "OK": ("40", "Oklahoma", 5, 3.96),
    "OR": ("41", "Oregon", 6, 4.24),
    "PA": ("42", "Pennsylvania", 17, 13.00),
    "RI": ("44", "Rhode Island", 2, 1.10),
    "SC": ("45", "South Carolina", 7, 5.12),
    "SD": ("46", "South Dakota", 1, 0.89),
    "TN": ("47", "Tennessee", 9, 6.91),
    "TX": ("48", "Texas", 38, 29.15),
    "UT": ("49", "Utah", 4, 3.27),
    "VT": ("50", "Vermont", 1, 0.64),
    "VA": ("51", "Virginia", 11, 8.63),
    "WA": ("53", "Washington", 10, 7.71),
    "WV": ("54", "West Virginia", 2, 1.79),
    "WI": ("55", "Wisconsin", 8, 5.89),
    "WY": ("56", "Wyoming", 1, 0.58),
    "PR": ("72", "Puerto Rico", 0, 3.29),
}

# States whose delegate to the House has no vote; FEC files them as district '00'.
DELEGATE_STATES = ("DC", "PR")
DELEGATE_DISTRICT = "98"  # the Census code of a delegate's "district"

# Two-letter codes of US mail: the states, DC and PR above, the other territories, the freely
# associated states that use US ZIP codes, and military post offices (APO/FPO/DPO). An address
# under any other code ('ZZ' is the FEC's "foreign country") has no US ZIP code.
US_POSTAL_STATES = (*STATES, "AS", "GU", "MP", "VI", "FM", "MH", "PW", "AA", "AE", "AP")

# THE state tile layout: (row, column) of each state's square, row 0 at the top. The grid is the
# one news maps use (Alaska top left, Hawaii bottom left, New England stacked in the top right),
# so readers recognize it; every tile map places states from it (the House grid grows each
# state's block of seats around the state's square).
STATE_TILES: dict[str, tuple[int, int]] = {
    "AK": (0, 0),
    "ME": (0, 11),
    "VT": (1, 10),
    "NH": (1, 11),
    "WA": (2, 1),
    "ID": (2, 2),
    "MT": (2, 3),
    "ND": (2, 4),
    "MN": (2, 5),
    "IL": (2, 6),
    "WI": (2, 7),
    "MI": (2, 8),
    "NY": (2, 9),
    "RI": (2, 10),
    "MA": (2, 11),
    "OR": (3, 1),
    "NV": (3, 2),
    "WY": (3, 3),
    "SD": (3, 4),
    "IA": (3, 5),
    "IN": (3, 6),
    "OH": (3, 7),
    "PA": (3, 8),
    "NJ": (3, 9),
    "CT": (3, 10),
    "CA": (4, 1),
    "UT": (4, 2),
    "CO": (4, 3),
    "NE": (4, 4),
    "MO": (4, 5),
    "KY": (4, 6),
    "WV": (4, 7),
    "VA": (4, 8),
    "MD": (4, 9),
    "DE": (4, 10),
    "AZ": (5, 2),
    "NM": (5, 3),
    "KS": (5, 4),
    "AR": (5, 5),
    "TN": (5, 6),
    "NC": (5, 7),
    "SC": (5, 8),
    "DC": (5, 9),
    "OK": (6, 4),
    "LA": (6, 5),
    "MS": (6, 6),
    "AL": (6, 7),
    "GA": (6, 8),
    "HI": (7, 0),
    "TX": (7, 4),
    "FL": (7, 9),
    "PR": (7, 11),
}

# Senate seats up in each cycle (regular elections only).
SENATE_CLASS_STATES: dict[int, tuple[str, ...]] = {
    2022: (
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "MD",
        "MO",
        "NV",
        "NH",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "SC",
        "SD",
        "UT",
        "VT",
        "WA",
        "WI",
    ),
    2024: (
        "AZ",
        "CA",
        "CT",
        "DE",
        "FL",
        "HI",
        "IN",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NJ",
        "NM",
        "NY",
        "ND",
        "OH",
        "PA",
        "RI",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ),
    2026: (
        "AL",
        "AK",
        "AR",
        "CO",
        "DE",
        "GA",
        "ID",
        "IL",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MA",
        "MI",
        "MN",
        "MS",
        "MT",
        "NE",
        "NH",
        "NJ",
        "NM",
        "NC",
        "OK",
        "OR",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "VA",
        "WV",
        "WY",
    ),
}

# Seats a state had before a census's apportionment took effect, where it changed them: {census
# year: {state: seats before}}. An apportionment first applies to the election two years after its
# census (2020 -> the 2022 election, the 118th Congress). STATES holds the seats after the 2020
# census; older Congresses go back through these. Before the 2000 census nothing is recorded here.
SEATS_BEFORE_APPORTIONMENT: dict[int, dict[str, int]] = {
    2020: {
        "CA": 53,
        "CO": 7,
        "FL": 27,
        "IL": 18,
        "MI": 14,
        "MT": 1,
        "NC": 13,
        "NY": 27,
        "OH": 16,
        "OR": 5,
        "PA": 18,
        "TX": 36,
        "WV": 3,
    },
    2010: {
        "AZ": 8,
        "FL": 25,
        "GA": 13,
        "IA": 5,
        "IL": 19,
        "LA": 7,
        "MA": 10,
        "MI": 15,
        "MO": 9,
        "NJ": 13,
        "NV": 3,
        "NY": 29,
        "OH": 18,
        "PA": 19,
        "SC": 6,
        "TX": 32,
        "UT": 3,
        "WA": 9,
    },
    2000: {
        "AZ": 6,
        "CA": 52,
        "CO": 6,
        "CT": 6,
        "FL": 23,
        "GA": 11,
        "IL": 20,
        "IN": 10,
        "MI": 16,
        "MS": 5,
        "NC": 12,
        "NV": 2,
        "NY": 31,
        "OH": 19,
        "OK": 6,
        "PA": 21,
        "TX": 30,
        "WI": 9,
    },
}

# Territories besides PR that send a delegate to the House (FEC district '00'), with the first cycle
# that elected one. They have no tile on the maps, but their races are real.
DELEGATE_TERRITORIES: dict[str, int] = {"AS": 1980, "GU": 1972, "VI": 1972, "MP": 2008}

# General election day of each cycle (the Tuesday after the first Monday in November).
ELECTION_DAY = {2020: "2020-11-03", 2022: "2022-11-08", 2024: "2024-11-05", 2026: "2026-11-03", 2028: "2028-11-07"}


def house_seats(cycle: int | None = None) -> dict[str, int] | None:
    """House seats of each state in STATES (0: a delegate) in the Congress a cycle elects, or under
    the current apportionment (cycle None); None for a cycle before the 2000 census's apportionment."""
    seats = {state: n_seats for state, (_fips, _name, n_seats, _pop) in STATES.items()}
    if cycle is None:
        return seats
    for census in sorted(SEATS_BEFORE_APPORTIONMENT, reverse=True):
        if cycle >= census + 2:
            return seats
        seats.update(SEATS_BEFORE_APPORTIONMENT[census])
    return None


def apportionment(cycle: int) -> int | None:
    """The census whose apportionment sets the House seats a cycle elects (2010 for 2012-2020),
    or None before the 2000 census's: cycles of one apportionment have the same seats."""
    return next((census for census in sorted(SEATS_BEFORE_APPORTIONMENT, reverse=True) if cycle >= census + 2), None)


def apportionment_cycles(cycle: int) -> tuple[int, int | None]:
    """First and last cycle of the apportionment a cycle is in ((2012, 2020) for 2016); the last
    is None for the current one. For a cycle before the 2000 census's, (cycle, cycle)."""
    census = apportionment(cycle)
    if census is None:
        return cycle, cycle
    later = [c for c in SEATS_BEFORE_APPORTIONMENT if c > census]
    return census + 2, (min(later) if later else None)


def house_districts(cycle: int | None = None) -> list[tuple[str, str]]:
    """(state, district) of every House seat and delegate of STATES, FEC style ('00' for at-large),
    in the Congress a cycle elects or under the current apportionment (cycle None)."""
    per_state = house_seats(cycle)
    if per_state is None:
        raise ValueError(f"the House seats of {cycle} are not recorded (apportionments from the 2000 census on)")
    seats = []
    for state, n_seats in per_state.items():
        if n_seats <= 1:
            seats.append((state, "00"))
        else:
            seats.extend((state, f"{d:02d}") for d in range(1, n_seats + 1))
    return seats


def senate_states(cycle: int) -> tuple[str, ...]:
    """States with a regular Senate election in a cycle (specials aside): the classes repeat every
    six years."""
    return SENATE_CLASS_STATES[2022 + (cycle - 2022) % 6]


def census_district(state: str, fec_district: str) -> str:
    """The Census code of a district FEC writes as `fec_district` ('00' -> '98' for DC and PR)."""
    return DELEGATE_DISTRICT if state in DELEGATE_STATES else fec_district


def geoid(state: str, fec_district: str) -> str:
    """Census GEOID (state FIPS + district) of a House seat given FEC-style: ('CA', '12') -> '0612'."""
    return STATES[state][0] + census_district(state, fec_district)


def congress_for_cycle(cycle: int) -> int:
    """The Congress elected in a cycle's general election (2024 elects the 119th)."""
    return (cycle - 1786) // 2


def cycle_for_congress(congress: int) -> int:
    """The cycle whose general election elects a Congress (the 119th: 2024)."""
    return 1786 + 2 * congress


def is_valid_cycle(cycle: int) -> bool:
    return 1976 <= cycle <= 2100 and cycle % 2 == 0
