"""Word lists for the demo generator: invented surnames, plain given names, jobs and employers.

Surnames are made by joining two syllables ("ASHWICK", "FERNHOLT") so that no generated person
is a real, findable one; committee names all start with "DEMO".
"""
from __future__ import annotations

SURNAME_HEADS = (
    "ASH", "BIRCH", "BRACK", "COLD", "CRAN", "DUN", "ELM", "FERN", "GALE", "HARL", "HOLLIN",
    "IVER", "KESTER", "LARK", "MOSS", "NETH", "ORR", "PELL", "QUILL", "ROOK", "SEDGE", "THORN",
    "UMBER", "VALE", "WREN", "YARROW",
)
SURNAME_TAILS = (
    "WICK", "HOLT", "STEAD", "BROOK", "FIELD", "MERE", "COMBE", "LOW", "THWAITE", "DALE",
    "WORTH", "SBY", "HURST", "MOOR", "TON", "LEY", "FORD", "GATE",
)
GIVEN_NAMES = (
    "AVERY", "BLAKE", "CASEY", "DANA", "ELLIS", "FINLEY", "GRAY", "HARPER", "INDIGO", "JORDAN",
    "KENDALL", "LOGAN", "MORGAN", "NOEL", "OAKLEY", "PARKER", "QUINN", "REESE", "SAGE", "TATUM",
    "UMA", "VAUGHN", "WINTER", "XEN", "YAEL", "ZION", "ALEX", "BAILEY", "CAMERON", "DREW",
    "EMERY", "FRANKIE", "GLENN", "HAYDEN", "JAMIE", "KAI", "LANE", "MARLOWE", "NICO", "PAT",
    "REMY", "ROBIN", "SHAWN", "SKYLER", "TAYLOR", "TERRY", "VAL", "WREN", "ARDEN", "BRIAR",
)
MIDDLE_INITIALS = tuple("ABCDEFGHIJKLMNOPRSTW") + ("",) * 10

CITY_NAMES = (
    "SPRINGFIELD", "RIVERSIDE", "FRANKLIN", "GREENVILLE", "CLINTON", "FAIRVIEW", "SALEM",
    "MADISON", "GEORGETOWN", "ARLINGTON", "ASHLAND", "BURLINGTON", "MILFORD", "OXFORD",
)

# (occupation, weight, employer kind). Employer kind picks from EMPLOYER_BY_KIND.
OCCUPATIONS = (
    ("RETIRED", 24, "retired"), ("ATTORNEY", 7, "firm"), ("PHYSICIAN", 5, "health"),
    ("NOT EMPLOYED", 6, "none"), ("CONSULTANT", 4, "self"), ("HOMEMAKER", 3, "none"),
    ("ENGINEER", 4, "firm"), ("SOFTWARE ENGINEER", 3, "firm"), ("TEACHER", 4, "school"),
    ("PROFESSOR", 3, "school"), ("CEO", 3, "firm"), ("OWNER", 4, "self"), ("NURSE", 3, "health"),
    ("REAL ESTATE", 3, "self"), ("SALES", 3, "firm"), ("MANAGER", 4, "firm"),
    ("ACCOUNTANT", 2, "firm"), ("FARMER", 2, "self"), ("WRITER", 2, "self"),
    ("INFORMATION REQUESTED", 3, "unknown"), ("INVESTOR", 2, "self"), ("EXECUTIVE", 3, "firm"),
)
EMPLOYER_BY_KIND = {
    "retired": ("RETIRED", "RETIRED", "NONE", "N/A"),
    "none": ("NOT EMPLOYED", "NONE", "N/A", "NOT EMPLOYED"),
    "self": ("SELF-EMPLOYED", "SELF EMPLOYED", "SELF", "SELF-EMPLOYED"),
    "unknown": ("INFORMATION REQUESTED", "INFORMATION REQUESTED PER BEST EFFORTS", "N/A"),
    "firm": ("DEMO ANALYTICS LLC", "DEMO ANALYTICS", "NORTHWIND TRADERS", "CONTOSO LTD",
             "FABRIKAM INC", "LITWARE INC", "ADVENTURE WORKS", "TAILSPIN TOYS", "WINGTIP CO",
             "PROSEWARE INC", "FOURTH COFFEE", "WIDE WORLD IMPORTERS", "BLUE YONDER AIRLINES",
             "GRAPHIC DESIGN INSTITUTE", "LUCERNE PUBLISHING", "MARGIE TRAVEL"),
    "health": ("COUNTY GENERAL HOSPITAL", "DEMO HEALTH SYSTEM", "SELF-EMPLOYED", "RIVERVIEW CLINIC"),
    "school": ("STATE UNIVERSITY", "PUBLIC SCHOOLS", "COMMUNITY COLLEGE", "DEMO ACADEMY"),
}

PAC_INDUSTRIES = (
    "REALTORS", "BANKERS", "NURSES", "TEACHERS", "ELECTRICAL WORKERS", "HOME BUILDERS",
    "TRIAL LAWYERS", "CREDIT UNIONS", "AUTO DEALERS", "BEER WHOLESALERS", "PHYSICIANS",
    "TRUCKERS", "FARMERS", "CARPENTERS", "PHARMACISTS", "ENGINEERS", "PILOTS", "GROCERS",
    "INSURERS", "STEELWORKERS",
)
