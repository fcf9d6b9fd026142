"""The FEC's vocabulary, in one place: offices, parties, candidate and committee codes, report and
transaction types. Codes are the FEC's own (bulk files and OpenFEC alike); every page, parser and
source names them from here, so a code means the same thing everywhere in the dashboard.

Sources: the FEC's bulk-file descriptions and OpenFEC's documentation (documentation/party_codes.md,
webservices/docs.py). Which receipt types the builder COUNTS as money is a rule of the data
contract, not vocabulary: see core.contract.
"""

from __future__ import annotations

# Offices: code -> the word used in our URLs and the OpenFEC API, and the name people read.
OFFICES = ("H", "S", "P")
OFFICE_WORDS = {"H": "house", "S": "senate", "P": "president"}
OFFICE_BY_WORD = {word: code for code, word in OFFICE_WORDS.items()}
OFFICE_NAMES = {"H": "House", "S": "Senate", "P": "President"}

# Party codes (CAND_PTY_AFFILIATION, CMTE_PTY_AFFILIATION, the API's `party`) -> the FEC's own
# description, the full list OpenFEC documents. Codes are one to three characters, "D/C" included.
PARTY_DESCRIPTIONS = {
    "ACE": "Ace Party",
    "AKI": "Alaskan Independence Party",
    "AIC": "American Independent Conservative",
    "AIP": "American Independent Party",
    "AMP": "American Party",
    "APF": "American People's Freedom Party",
    "AE": "Americans Elect",
    "CIT": "Citizens' Party",
    "CMD": "Commandments Party",
    "CMP": "Commonwealth Party of the U.S.",
    "COM": "Communist Party",
    "CNC": "Concerned Citizens Party Of Connecticut",
    "CRV": "Conservative Party",
    "CON": "Constitution Party",
    "CST": "Constitutional",
    "COU": "Country",
    "DCG": "D.C. Statehood Green Party",
    "DNL": "Democratic -Nonpartisan League",
    "DEM": "Democratic Party",
    "D/C": "Democratic/Conservative",
    "DFL": "Democratic-Farmer-Labor",
    "DGR": "Desert Green Party",
    "FED": "Federalist",
    "FLP": "Freedom Labor Party",
    "FRE": "Freedom Party",
    "GWP": "George Wallace Party",
    "GRT": "Grassroots",
    "GRE": "Green Party",
    "GR": "Green-Rainbow",
    "HRP": "Human Rights Party",
    "IDP": "Independence Party",
    "IND": "Independent",
    "IAP": "Independent American Party",
    "ICD": "Independent Conservative Democratic",
    "IGR": "Independent Green",
    "IP": "Independent Party",
    "IDE": "Independent Party of Delaware",
    "IGD": "Industrial Government Party",
    "JCN": "Jewish/Christian National",
    "JUS": "Justice Party",
    "LRU": "La Raza Unida",
    "LBR": "Labor Party",
    "LFT": "Less Federal Taxes",
    "LBL": "Liberal Party",
    "LIB": "Libertarian Party",
    "LBU": "Liberty Union Party",
    "MTP": "Mountain Party",
    "NDP": "National Democratic Party",
    "NLP": "Natural Law Party",
    "NA": "New Alliance",
    "NJC": "New Jersey Conservative Party",
    "NPP": "New Progressive Party",
    "NPA": "No Party Affiliation",
    "NOP": "No Party Preference",
    "NNE": "None",
    "N": "Nonpartisan",
    "NON": "Non-Party",
    "OE": "One Earth Party",
    "OTH": "Other",
    "PG": "Pacific Green",
    "PSL": "Party for Socialism and Liberation",
    "PAF": "Peace And Freedom",
    "PFP": "Peace And Freedom Party",
    "PFD": "Peace Freedom Party",
    "POP": "People Over Politics",
    "PPY": "People's Party",
    "PCH": "Personal Choice Party",
    "PPD": "Popular Democratic Party",
    "PRO": "Progressive Party",
    "NAP": "Prohibition Party",
    "PRI": "Puerto Rican Independence Party",
    "RUP": "Raza Unida Party",
    "REF": "Reform Party",
    "REP": "Republican Party",
    "RES": "Resource Party",
    "RTL": "Right To Life",
    "SEP": "Socialist Equality Party",
    "SLP": "Socialist Labor Party",
    "SUS": "Socialist Party",
    "SOC": "Socialist Party U.S.A.",
    "SWP": "Socialist Workers Party",
    "TX": "Taxpayers",
    "TWR": "Taxpayers Without Representation",
    "TEA": "Tea Party",
    "THD": "Theo-Democratic",
    "LAB": "U.S. Labor Party",
    "USP": "U.S. People's Party",
    "UST": "U.S. Taxpayers Party",
    "UN": "Unaffiliated",
    "UC": "United Citizen",
    "UNI": "United Party",
    "UNK": "Unknown",
    "VET": "Veterans Party",
    "WTP": "We the People",
    "W": "Write-In",
}

_DESCRIPTIONS_SEEN = frozenset(PARTY_DESCRIPTIONS.values())


def _short_party_name(description: str) -> str:
    """'Democratic Party' -> 'Democratic', as people say it; kept whole where the short form is
    another code's description ('Independent Party' would read as IND's 'Independent')."""
    short = description.removesuffix(" Party")
    return description if short in _DESCRIPTIONS_SEEN else short


# The name a page shows for a party code ("Democratic", "Green", "Unknown").
PARTY_NAMES = {code: _short_party_name(text) for code, text in PARTY_DESCRIPTIONS.items()}

# Candidate codes: CAND_ICI / incumbent_challenge, and CAND_STATUS / candidate_status.
INCUMBENCY = {"I": "Incumbent", "C": "Challenger", "O": "Open seat"}
CANDIDATE_STATUSES = {
    "C": "Statutory candidate",
    "F": "Statutory candidate for a future election",
    "N": "Not yet a statutory candidate",
    "P": "Statutory candidate in a prior cycle",
}

# Committee type (CMTE_TP / committee_type).
COMMITTEE_TYPES = {
    "C": "Communication cost filer",
    "D": "Delegate committee",
    "E": "Electioneering communication filer",
    "H": "House campaign",
    "I": "Independent expenditure filer (not a committee)",
    "N": "PAC, nonqualified",
    "O": "Independent expenditure-only committee (super PAC)",
    "P": "Presidential campaign",
    "Q": "PAC, qualified",
    "S": "Senate campaign",
    "U": "Single-candidate independent expenditure",
    "V": "Hybrid PAC, nonqualified",
    "W": "Hybrid PAC, qualified",
    "X": "Party, nonqualified",
    "Y": "Party, qualified",
    "Z": "National party nonfederal account",
}
# The groups OpenFEC's committee filters use: a candidate's own committees, PACs, parties.
CANDIDATE_COMMITTEE_TYPES = ("H", "S", "P")
PAC_COMMITTEE_TYPES = ("N", "O", "Q", "V", "W")
PARTY_COMMITTEE_TYPES = ("X", "Y")

# Committee designation (CMTE_DSGN / designation): the committee's role towards a candidate.
COMMITTEE_DESIGNATIONS = {
    "P": "Principal campaign committee",
    "A": "Authorized committee",
    "J": "Joint fundraiser",
    "U": "Unauthorized",
    "B": "Lobbyist/registrant PAC",
    "D": "Leadership PAC",
}

# What a committee is, in the words fec.gov uses, from its designation and type together: the
# designation says what it is to a candidate (a leadership PAC is a PAC by type, D by designation),
# the type what it is otherwise (a Carey committee is a hybrid PAC, type V or W). Rules in order,
# the first that matches wins: (designations or None, types or None, kind).
COMMITTEE_KIND_RULES = (
    (("P",), None, "Principal campaign committee"),
    (("A",), None, "Authorized campaign committee"),
    (("D",), None, "Leadership PAC"),
    (("J",), None, "Joint fundraising committee"),
    (None, ("O",), "Super PAC"),
    (None, ("V", "W"), "Carey committee (hybrid PAC)"),
    (None, ("X", "Y"), "Party committee"),
    (None, ("Z",), "National party nonfederal account"),
    (("B",), None, "Lobbyist/registrant PAC"),
    (None, ("N", "Q"), "PAC"),
    (None, CANDIDATE_COMMITTEE_TYPES, "Campaign committee"),
    (None, ("U",), "Single-candidate independent expenditure committee"),
)


# Who spends outside money (independent expenditures), by committee type: the groups journalists report.
SPENDER_TYPES = {
    "super_pac": "Super PACs",
    "party": "Party committees",
    "pac": "PACs",
    "nonprofit": "Nonprofits, people and other groups",
}
SPENDER_TYPE_OF_COMMITTEE_TYPE = {
    "O": "super_pac",
    "U": "super_pac",
    "V": "super_pac",
    "W": "super_pac",
    "X": "party",
    "Y": "party",
    "Z": "party",
    "N": "pac",
    "Q": "pac",
}  # any other type (I: a person or group that is no committee, e.g. a 501(c)(4)): 'nonprofit'
SUPPORT_OPPOSE = {"S": "Support", "O": "Oppose"}


def committee_kind(committee_type, designation) -> str:
    """'Leadership PAC', 'Joint fundraising committee', 'Super PAC', 'Carey committee (hybrid
    PAC)', 'Party committee', 'PAC', ... (the type's own name when no rule fits, else 'Committee')."""
    for designations, types, kind in COMMITTEE_KIND_RULES:
        if (designations is None or designation in designations) and (types is None or committee_type in types):
            return kind
    return COMMITTEE_TYPES.get(committee_type, "Committee")


# Entity type of a contributor (ENTITY_TP / entity_type); electronic filings after April 2002 only.
ENTITY_TYPES = {
    "CAN": "Candidate",
    "CCM": "Candidate committee",
    "COM": "Committee",
    "IND": "Individual",
    "ORG": "Organization",
    "PAC": "Political action committee",
    "PTY": "Party organization",
}

# Amendment indicator (AMNDT_IND / amendment_indicator); C, M and S occur only in OpenFEC's reports.
AMENDMENT_INDICATORS = {
    "N": "New",
    "A": "Amendment",
    "T": "Termination",
    "C": "Consolidated",
    "M": "Multicandidate",
    "S": "Secondary",
}

# Report type (RPT_TP / report_type): which periodic report a filing is.
REPORT_TYPES = {
    "Q1": "April quarterly",
    "Q2": "July quarterly",
    "Q3": "October quarterly",
    "YE": "Year-end",
    "MY": "Mid-year",
    "M1": "January monthly",
    "M2": "February monthly",
    "M3": "March monthly",
    "M4": "April monthly",
    "M5": "May monthly",
    "M6": "June monthly",
    "M7": "July monthly",
    "M8": "August monthly",
    "M9": "September monthly",
    "M10": "October monthly",
    "M11": "November monthly",
    "M12": "December monthly",
    "12P": "Pre-primary",
    "12G": "Pre-general",
    "12R": "Pre-runoff",
    "12S": "Pre-special",
    "12C": "Pre-convention",
    "10D": "Pre-election (10 days)",
    "10G": "Pre-general (10 days)",
    "10P": "Pre-primary (10 days)",
    "10R": "Pre-runoff (10 days)",
    "10S": "Pre-special (10 days)",
    "30G": "Post-general",
    "30R": "Post-runoff",
    "30S": "Post-special",
    "30P": "Post-primary",
    "30D": "Post-election",
    "60D": "Post-convention",
    "TER": "Termination report",
    "24": "24-hour notice",
    "48": "48-hour notice",
    "90D": "Post-inaugural",
    "90S": "Post-inaugural supplement",
    "CA": "Comprehensive amendment",
    "ADJ": "Comprehensive adjusted amendment",
    "M7S": "July monthly/semi-annual",
    "MSA": "Monthly semi-annual (mid-year)",
    "MSY": "Monthly semi-annual (year-end)",
    "MYS": "Monthly year-end/semi-annual",
    "Q2S": "July quarterly/semi-annual",
    "QSA": "Quarterly semi-annual (mid-year)",
    "QYE": "Quarterly semi-annual (year-end)",
    "QYS": "Quarterly year-end/semi-annual",
    "QMS": "Quarterly mid-year/semi-annual",
}

# Transaction types (TRANSACTION_TP / receipt_type) the dashboard meets in itemized receipts and
# committee-to-committee files, with a short meaning. Suffix variants of the national party
# accounts (30-32): T tribal, E earmarked, J joint-fundraising memo.
TRANSACTION_TYPES = {
    "10": "Contribution to a super PAC or non-contribution account",
    "10J": "Memo: share of a joint fundraiser's non-contribution account receipt",
    "11": "Tribal contribution",
    "11J": "Memo: share of a tribal contribution via a joint fundraiser",
    "15": "Contribution from an individual, partnership or LLC",
    "15C": "Contribution from the candidate",
    "15E": "Earmarked contribution (recipient's side of a conduit gift)",
    "15I": "Earmarked contribution passed on by an intermediary (intermediary in)",
    "15T": "Earmarked contribution into an intermediary's treasury (intermediary in)",
    "15J": "Memo: recipient's share of a contribution to a joint fundraiser",
    "18G": "Transfer in from an affiliated committee",
    "18J": "Memo: committee's share via a joint fundraiser",
    "18K": "Contribution received from a registered filer",
    "19": "Electioneering communication donation",
    "20Y": "Nonfederal refund",
    "21Y": "Tribal refund",
    "22Y": "Contribution refund to an individual, partnership or LLC",
    "24A": "Independent expenditure opposing a candidate",
    "24C": "Coordinated party expenditure",
    "24E": "Independent expenditure supporting a candidate",
    "24F": "Communication cost for a candidate",
    "24N": "Communication cost against a candidate",
    "24G": "Transfer out to an affiliated committee",
    "24H": "Honorarium to a candidate",
    "24I": "Earmarked contributor's check passed on by an intermediary (intermediary out)",
    "24K": "Contribution made to a non-affiliated committee",
    "24P": "Contribution made to a possible federal candidate",
    "24R": "Election recount disbursement",
    "24T": "Earmarked contribution passed on from an intermediary's treasury (conduit's side)",
    "24Z": "In-kind contribution made to a registered filer",
    "30": "Receipt into a national party's convention account",
    "31": "Receipt into a national party's headquarters account",
    "32": "Receipt into a national party's recount account",
    **{
        f"{account}{suffix}": f"{what} into a national party's {name} account"
        for account, name in (("30", "convention"), ("31", "headquarters"), ("32", "recount"))
        for suffix, what in (
            ("T", "Tribal receipt"),
            ("E", "Earmarked receipt"),
            ("J", "Memo: joint fundraiser share of a receipt"),
        )
    },
    **{
        f"{account}{suffix}": f"{what} from a national party's {name} account"
        for account, name in (("40", "convention"), ("41", "headquarters"), ("42", "recount"))
        for suffix, what in (("T", "Tribal refund"), ("Y", "Refund"))
    },
}

# Receipt types OpenFEC's `is_individual` flag accepts (its SQL function of the same name): the
# flag the fake OpenFEC server reproduces. Our own counting rule is contract.INDIVIDUAL_RECEIPT_TYPES.
IS_INDIVIDUAL_RECEIPT_TYPES = (
    "10",
    "10J",
    "11",
    "11J",
    "15",
    "15E",
    "15J",
    "30",
    "30E",
    "30J",
    "30T",
    "31",
    "31E",
    "31J",
    "31T",
    "32",
    "32E",
    "32J",
    "32T",
)

# Elections a gift is for (the first letter of TRANSACTION_PGI / the API's election_type, then its year:
# 'P2024', 'G2024'), in the words the donor pages use.
ELECTION_LETTERS = {
    "P": "Primary",
    "G": "General",
    "R": "Runoff",
    "S": "Special",
    "C": "Convention",
    "E": "Recount",
    "O": "Other",
}
ELECTION_NOT_STATED = "Election not stated"


def election_label(election_type) -> str:
    """'Primary 2024' from 'P2024', 'Primary' from a bare 'P', ELECTION_NOT_STATED when blank."""
    text = str(election_type).strip().upper() if isinstance(election_type, str) else ""
    if not text:
        return ELECTION_NOT_STATED
    word = ELECTION_LETTERS.get(text[0], f"Election {text[0]}")
    year = text[1:].strip()
    return f"{word} {year}" if year else word


# What one individual may give one candidate committee per election, by two-year cycle (named by its even
# year). Source: the FEC's "Contribution limits" tables for 2015-2016 through 2025-2026
# (https://www.fec.gov/help-candidates-and-committees/candidate-taking-receipts/contribution-limits/ and the
# archived tables of earlier cycles); the limit is indexed for inflation in odd-numbered years.
INDIVIDUAL_LIMIT_PER_ELECTION = {2016: 2700, 2018: 2700, 2020: 2800, 2022: 2900, 2024: 3300, 2026: 3500}

# The FEC's caveats to "gave more than the limit", shown wherever a total is flagged.
LIMIT_CAVEATS = (
    "Each election is separate: a primary, a runoff and a general election each have their own limit, so a "
    "donor may give the limit twice or more to one candidate in a cycle.",
    "A refund, or a redesignation to another election or reattribution to another person (often a spouse) "
    "filed later, can bring a total back under the limit; those corrections are not always in the itemized "
    "rows.",
    "Gifts through a joint fundraising committee and gifts of two people (spouses) filed under one name can "
    "look like one donor's excess.",
    "The donor key joins gifts by name and ZIP code: two people of one name in one ZIP code count as one.",
)
