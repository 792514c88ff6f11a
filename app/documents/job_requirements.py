"""Requirement facts a skill taxonomy cannot see: years of experience, conditions of the
job (licence, own vehicle, shifts, lifting), credentials and named tools it does not know.

- Years count only from experience statements ("5+ years of experience", "3 years
  building APIs", "at least 4 years in B2B marketing"), never from deadlines or company
  facts ("obtain certification within 3 years", "founded 12 years ago").
- Conditions are matched by their usual phrasings and reported under one plain label
  ("Driver's license", "Own vehicle", "Weekend availability", "Lift 50 lbs").
- Open terms: in a requirement clause, the object of "knowledge of / experience with /
  proficiency in", a "<...> license|certification" phrase, and acronyms or CamelCase
  product names are requirements even when the taxonomy has never heard of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.wordlists import wordset

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15,
}  # fmt: skip
_YEARS = re.compile(
    r"(?<![\d.])(?P<n>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")\s*(?:\+|plus)?\s*"
    r"(?:(?:-|–|to)\s*\d{1,2}\s*)?\+?\s*(?:years?|yrs)\b(?P<after>[^.;]{0,60})",
    re.IGNORECASE,
)
_NOT_EXPERIENCE_BEFORE = re.compile(
    r"\b(?:within|after|in\s+the\s+(?:first|next|last)|every|per|over\s+the\s+(?:last|past)"
    r"|founded|for\s+over|more\s+than\s+\d+\s+customers|warranty|up\s+to)\s*(?:\w+\s*){0,2}$",
    re.IGNORECASE,
)
_EXPERIENCE_AFTER = re.compile(
    r"^\s*(?:of\s+(?:\w[\w-]*\s+){0,6}?(?:experience|work|practice|service)|'?\s*experience"
    r"|(?:of\s+)?(?:professional|relevant|hands-on|industry|related|progressive|post)"
    r"|(?:in|as|with|working|of)\b|[a-z]+ing\b|'?\s*exp\b|\s*(?:minimum|min\b|required))",
    re.IGNORECASE,
)
_NOT_EXPERIENCE_AFTER = re.compile(
    r"^\s*(?:ago|old|of\s+age|warranty|contract|in\s+business|of\s+(?:history|operation))\b",
    re.IGNORECASE,
)


def experience_years(text: str) -> float | None:
    """Largest number of years the text asks as experience, or None."""
    found = find_experience_years(text)
    return found[0] if found else None


def find_experience_years(text: str) -> tuple[float, int, int] | None:
    """(years, start, end) of the largest experience statement in `text`, or None."""
    best: tuple[float, int, int] | None = None
    for m in _YEARS.finditer(text):
        before = text[: m.start()]
        after = m.group("after")
        if _NOT_EXPERIENCE_BEFORE.search(before) or _NOT_EXPERIENCE_AFTER.match(after):
            continue
        if not (_EXPERIENCE_AFTER.match(after) or re.search(r"(?i)\bexperience\b", before[-40:])):
            continue
        raw = m.group("n").lower()
        value = float(_NUMBER_WORDS.get(raw) or int(raw))
        if best is None or value > best[0]:
            best = (value, m.start(), m.start("after"))
    return best


@dataclass(frozen=True)
class Term:
    label: str
    start: int
    end: int
    kind: str = "tool"  # "condition" | "credential" | "field" | "tool"


# (label, pattern): conditions of the job that are requirements but not skills.
_CONDITIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("Driver's license", r"\bdriv(?:er'?s'?|ing)\s+licen[cs]e\b|\blicen[cs]ed\s+driver\b"),
        (
            "Own vehicle",
            r"\b(?:own|reliable|personal|insured)\s+(?:car|vehicle|transportation|"
            r"transport|automobile)\b|\baccess\s+to\s+(?:a\s+)?(?:car|vehicle)\b",
        ),
        ("Smartphone", r"\bsmart\s?phone\b|\b(?:mobile|cell)\s?phone\b"),
        ("Weekend availability", r"\bweekends?\b"),
        ("Evening availability", r"\bevenings?\b"),
        ("Night shift availability", r"\b(?:night|overnight|graveyard)\s+shifts?\b"),
        ("Work at heights", r"\b(?:work(?:ing)?\s+at|comfortable\s+(?:at|with))\s+heights\b"),
        (
            "Background check",
            r"\bbackground\s+(?:check|screening)\b|\bcriminal\s+record\s+check"
            r"|\bDBS\s+check\b",
        ),
        ("Drug screening", r"\bdrug\s+(?:test|screen)(?:ing)?\b"),
        (
            "Work authorization",
            r"\b(?:authori[sz]ed|eligible|right)\s+to\s+work\b"
            r"|\bwork\s+(?:authori[sz]ation|permit)\b",
        ),
        (
            "Willingness to travel",
            r"\b(?:willing(?:ness)?|able)\s+to\s+travel\b|\btravel:?\s+(?:of\s+)?up\s+to"
            r"\s+\d+\s*%",
        ),
        ("Security clearance", r"\bsecurity\s+clearance\b|\b(?:secret|TS/SCI)\s+clearance\b"),
    )
)
_LIFT = re.compile(
    r"\blift(?:ing)?\s+(?:up\s+to\s+)?(\d{2,3})\s*(lbs?|pounds|kg|kilograms)\b", re.I
)
_CREDENTIAL = re.compile(
    r"\b((?:[A-Za-z][\w'-]*\s+){0,3}?[A-Za-z][\w'-]*)\s+(licen[cs]e|certification|certificate"
    r"|endorsement|credential|registration|diploma)\b",
    re.IGNORECASE,
)
_OBJECT = re.compile(
    r"\b(?:knowledge|understanding|command)\s+of\s+(?:the\s+)?|\b(?:experience|proficiency|"
    r"fluency|expertise|familiarity)\s+(?:with|in|using)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_FIELD_YEARS = re.compile(
    r"\byears?\s+of\s+(?P<field>[a-z][a-z/-]*(?:\s+[a-z][a-z/-]*){0,3}?)\s+experience\b"
)
_FIELD_DEGREE = re.compile(
    r"\b(?:degree|diploma)\s+in\s+(?P<field>[A-Za-z][a-z]+(?:\s+[a-z]+){0,2}?)"
    r"(?=\s+or\b|\s+and\b|[,.;)]|$)"
)
_FIELD_FILLER = wordset(
    """
    professional relevant hands-on related progressive proven
    """
)
_ITEM = re.compile(r"[A-Z][\w.+#-]*(?:\s+[A-Z0-9][\w.+#-]*){0,2}")
# Acronyms (runs of them are one name: "ASHA CCC-SLP") and CamelCase product names.
_TOOL = re.compile(
    r"(?<![\w-])(?:[A-Z]{2,6}(?:-[A-Z]{2,6})*\d*(?:\s+[A-Z]{2,6}(?:-[A-Z]{2,6})*\d*)*"
    r"|[A-Z][a-z]+[A-Z]\w*)(?![\w-])"
)
_STATE_CODE = re.compile(r",\s*[A-Z]{2}$")
# Capitalised words and acronyms that are never a requirement on their own.
_NOT_TERMS = wordset(
    """
    a an the and or of in on to for with at by we you our your us uk eu usa u.s ii
    iii usd gbp eur cad aud ok id faq hr pm am est pst cet utc etc eg ie vs us-based
    ai icu picu nicu er or ed k12 k-12 pto eoe eeo ada wfh
    """
)
_US_STATES = wordset(
    """
    alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine
    maryland massachusetts michigan minnesota mississippi missouri montana nebraska
    nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia
    washington wisconsin wyoming state valid active current unrestricted
    professional
    """
)


def condition_terms(text: str) -> list[Term]:
    out = [
        Term(label, m.start(), m.end(), "condition")
        for label, pattern in _CONDITIONS
        for m in [pattern.search(text)]
        if m
    ]
    lift = _LIFT.search(text)
    if lift:
        unit = "kg" if lift.group(2).lower().startswith("k") else "lbs"
        out.append(Term(f"Lift {lift.group(1)} {unit}", lift.start(), lift.end(), "condition"))
    return sorted(out, key=lambda t: t.start)


def credential_terms(text: str) -> list[Term]:
    """ "Pennsylvania journeyman electrician license" -> "journeyman electrician license"."""
    out = []
    for m in _CREDENTIAL.finditer(text):
        words = m.group(1).split()
        while words and words[0].lower() in _US_STATES | _NOT_TERMS:
            words.pop(0)
        if not words or words[-1].lower() in ("driver's", "drivers", "driving", "the"):
            continue
        start = m.start(1) + m.group(1).find(words[0])
        out.append(Term(f"{' '.join(words)} {m.group(2).lower()}", start, m.end(), "credential"))
    return out


def field_terms(text: str) -> list[Term]:
    """ "5+ years of structural design experience" -> "structural design";
    "degree in chemistry or a related field" -> "chemistry"."""
    out = []
    for pattern in (_FIELD_YEARS, _FIELD_DEGREE):
        for m in pattern.finditer(text):
            words = [w for w in m.group("field").split() if w.lower() not in _FIELD_FILLER]
            if words:
                start = m.start("field")
                out.append(Term(" ".join(words), start, m.end("field"), "field"))
    return out


def open_terms(text: str) -> list[Term]:
    """Non-overlapping requirement terms the taxonomy may not know, conditions first."""
    out: list[Term] = []
    for term in (
        condition_terms(text) + credential_terms(text) + field_terms(text) + tool_terms(text)
    ):
        if not any(term.start < t.end and t.start < term.end for t in out):
            out.append(term)
    return sorted(out, key=lambda t: t.start)


def tool_terms(text: str) -> list[Term]:
    """Acronyms and CamelCase names (ETABS, AISC, QuickBooks), and the object of
    "knowledge of the NEC" / "experience with Primavera"."""
    out = []
    bare = text.strip(" .;:-•*")
    if _ITEM.fullmatch(bare) and bare.lower() not in _NOT_TERMS:
        # A list item that is only a name ("Procore", "Adobe Premiere") names a tool.
        start = text.find(bare)
        return [Term(bare, start, start + len(bare))]
    for m in _OBJECT.finditer(text):
        tail = re.match(r"[A-Z][\w.+#-]*(?:\s+[A-Z][\w.+#-]*){0,2}", text[m.end() :])
        if tail and tail.group(0).lower() not in _NOT_TERMS:
            out.append(Term(tail.group(0), m.end(), m.end() + tail.end()))
    out += [
        Term(m.group(0), m.start(), m.end())
        for m in _TOOL.finditer(text)
        if m.group(0).lower() not in _NOT_TERMS
        and not _STATE_CODE.search(text[: m.end()])  # "Austin, TX" is a place
    ]
    return out
