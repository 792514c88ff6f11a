"""Word lists used to tell job titles, employers, schools and places apart.

Kept as data in one place so they are easy to extend when a resume reads wrong.
"""

from __future__ import annotations

import re

from app.documents.wordlists import wordset

TITLE_WORDS = wordset(
    """
    engineer engineers developer developers programmer manager managers designer designers
    analyst analysts scientist scientists nurse specialist specialists assistant director
    lead intern internship consultant accountant teacher architect administrator
    coordinator officer associate executive representative technician head vp svp evp avp
    president founder cofounder co-founder owner editor writer researcher strategist producer
    supervisor advisor adviser instructor professor lecturer fellow trainee apprentice
    principal chief cto ceo cfo coo cio ciso cmo sre tester therapist physician pharmacist
    clerk cashier agent recruiter marketer buyer planner auditor attorney lawyer paralegal
    counsel chef cook driver mechanic electrician operator volunteer tutor mentor coach
    trainer secretary receptionist controller economist statistician librarian pilot
    journalist photographer artist illustrator animator copywriter contractor freelancer
    bookkeeper dentist hygienist paramedic therapist surgeon resident technologist
    practitioner counselor counsellor caregiver aide server bartender barista merchandiser
    partner superintendent foreman estimator surveyor inspector dispatcher steward
    generalist installer mover journeyman welder plumber carpenter machinist laborer
    labourer cleaner custodian janitor housekeeper porter courier teller banker broker
    realtor underwriter adjuster actuary midwife doula optometrist veterinarian nanny
    babysitter lifeguard guard ranger firefighter deputy sergeant detective handler
    picker packer loader stocker associate representative specialist handyman roofer
    painter glazier millwright lineman linesman fabricator assembler drafter draftsman
    cartographer translator interpreter curator archivist chemist biologist physicist
    geologist hydrologist ecologist epidemiologist psychologist sociologist
    anthropologist historian educator paraeducator principal dean provost registrar
    admissions bursar chaplain pastor minister rabbi imam priest missionary
    cosmetologist stylist barber esthetician masseuse therapist trainer dietitian
    nutritionist sonographer radiographer phlebotomist scheduler expeditor buyer
    merchandiser ambassador concierge host hostess attendant valet usher crew
    """
)
SENIORITY_WORDS = wordset(
    "senior sr sr. junior jr jr. staff principal lead head chief associate assistant"
)
COMPANY_WORDS = wordset(
    """
    inc inc. llc l.l.c. ltd ltd. limited co co. corp corp. corporation company group labs lab
    studio studios health healthcare bank university college school institute hospital
    clinic center centre agency partners technologies technology systems solutions software
    media foundation gmbh ag plc llp sa s.a. bv consulting consultancy holdings ventures
    industries international global enterprises services network networks capital
    analytics insurance pharmaceuticals logistics freight airlines motors foods
    """
)
SCHOOL_WORDS = wordset(
    """
    university universität université universidad college school institute academy
    polytechnic conservatory seminary univ. univ
    """
)
US_STATES = wordset(
    """
    AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
    NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR
    AB BC MB NB NL NS NT NU ON PE QC SK YT
    """
)
_COUNTRY_NAMES = frozenset(
    w.strip()
    for w in re.split(
        r"\s{2,}|\n",
        """uk  u.k.  usa  u.s.a.  us  u.s.  united states  united kingdom  england  scotland
        wales  ireland  northern ireland  canada  mexico  brazil  argentina  chile  colombia  peru
        germany  france  spain  portugal  italy  netherlands  the netherlands  belgium
        luxembourg  switzerland  austria  poland  czechia  czech republic  sweden  norway
        denmark  finland  iceland  estonia  latvia  lithuania  greece  turkey  israel  egypt
        nigeria  kenya  ghana  south africa  morocco  india  pakistan  bangladesh  sri lanka
        nepal  china  japan  korea  south korea  taiwan  hong kong  singapore  malaysia
        indonesia  philippines  vietnam  thailand  australia  new zealand  uae
        united arab emirates  saudi arabia  qatar  romania  hungary  bulgaria  croatia
        serbia  ukraine""",
    )
    if w.strip()
)


def is_country(text: str) -> bool:
    t = text.strip().lower()
    return t in _COUNTRY_NAMES or t.rstrip(".") in _COUNTRY_NAMES


def words(text: str) -> list[str]:
    return [w.strip(".,;:()[]'\"").lower() for w in text.split() if w.strip(".,;:()[]'\"")]


def title_score(text: str) -> int:
    """How strongly `text` reads as a job title (0 = not at all)."""
    ws = words(text)
    score = 0
    for i, w in enumerate(ws):
        base = w.rstrip("s") if w.endswith("s") and w.rstrip("s") in TITLE_WORDS else w
        if base in TITLE_WORDS or w in TITLE_WORDS:
            # The head noun of a title comes last: "Engineering Manager" vs "Engineer Co".
            score += 3 if i == len(ws) - 1 else 2
        elif w in SENIORITY_WORDS:
            score += 1
    if ws and ws[-1] in COMPANY_WORDS:
        score -= 3
    return score


def company_score(text: str) -> int:
    ws = words(text)
    score = sum(2 for w in ws if w in COMPANY_WORDS)
    if ws and (ws[-1] in COMPANY_WORDS or ws[0] in SCHOOL_WORDS):
        score += 1
    return score


_CITY = r"[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,3}"
_CITY_STATE = re.compile(rf"^({_CITY}),\s*([A-Z]{{2}})(?:\s+\d{{5}}(?:-\d{{4}})?)?$")
# "Austin TX" (no comma): only a real state code after one or two city words.
_CITY_SPACE_STATE = re.compile(r"^([A-Z][a-z.'\-]+(?:\s+[A-Z][a-z.'\-]+)?)\s+([A-Z]{2})$")
_CITY_COUNTRY = re.compile(rf"^({_CITY}),\s*([A-Za-z.][A-Za-z. ]+)$")
_CITY_STATE_IN_TEXT = re.compile(rf"(?=\b({_CITY}),\s*([A-Z]{{2}})\b)")
_CITY_COUNTRY_IN_TEXT = re.compile(rf"(?=\b({_CITY}),\s*([A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?))")


def as_location(text: str) -> str | None:
    """`text` as a place ("Austin, TX", "London, UK", "Remote"), or None."""
    t = text.strip().strip("()").strip()
    if not t:
        return None
    if t.lower() in ("remote", "remote, us", "remote (us)", "hybrid", "anywhere"):
        return t
    m = _CITY_STATE.match(t) or _CITY_SPACE_STATE.match(t)
    if m and m.group(2) in US_STATES:
        return f"{m.group(1)}, {m.group(2)}"
    m = _CITY_COUNTRY.match(t)
    if m and is_country(m.group(2)):
        return f"{m.group(1)}, {m.group(2).strip()}"
    return None


def find_location(text: str) -> str | None:
    """First "City, ST" (US/Canada) or "City, Country" inside free text."""
    # Lookaheads so overlapping candidates are all tried: in "Steelworks Ltd, Leeds, UK"
    # the first candidate ("Steelworks Ltd, Leeds") must not hide "Leeds, UK".
    for m in _CITY_STATE_IN_TEXT.finditer(text):
        if m.group(2) in US_STATES:
            return f"{m.group(1)}, {m.group(2)}"
    for m in _CITY_COUNTRY_IN_TEXT.finditer(text):
        if is_country(m.group(2)):
            return f"{m.group(1)}, {m.group(2)}"
    return None
