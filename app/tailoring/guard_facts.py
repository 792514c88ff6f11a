"""Truth guard, part 1: the facts of the original resume.

`build_facts(original)` collects, once per document, everything the original states —
tokens, skills, numbers per line, years and month-years, degrees, contacts, employer and
school names, the experience entry of every line, and the most years of experience its
dates support — for the checks in `guard_checks` to compare tailored text against.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.memo import BoundedCache
from app.tailoring.resume_analysis import collect_skills, document_lines
from app.tailoring.taxonomy import SOFT
from app.tailoring.text import collapse_ws, fold, tokenize, words
from app.tailoring.types import LineRole
from app.tailoring.work_dates import experience_months

NEW_SKILL = "NEW_SKILL"
NEW_CERTIFICATION = "NEW_CERTIFICATION"
NEW_NUMBER = "NEW_NUMBER"
NEW_DATE = "NEW_DATE"
NEW_EMPLOYER = "NEW_EMPLOYER"
NEW_SCHOOL = "NEW_SCHOOL"
NEW_DEGREE = "NEW_DEGREE"
NEW_TITLE = "NEW_TITLE"
NEW_ENTITY = "NEW_ENTITY"
NEW_CONTACT = "NEW_CONTACT"
CHANGED_FACT_LINE = "CHANGED_FACT_LINE"
UNKNOWN_SOURCE = "UNKNOWN_SOURCE"
MISATTRIBUTED = "MISATTRIBUTED_BULLET"
MISATTRIBUTED_CLAIM = "MISATTRIBUTED_CLAIM"  # free text credits work to the wrong employer
ALL_CONTENT_REJECTED = "ALL_CONTENT_REJECTED"

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|design|co|ai|me|"
    r"app|edu|gov|uk|de|ca)(?:/\S*)?",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(
    # A unit letter followed by ".X" is an abbreviation, not a unit: "2017 B.S.", "5 M.A.".
    # A trailing comma is punctuation: "in 2023, 128%" has the year 2023.
    r"(?<![\w.])([$€£]?)(\d(?:[\d,]*\d)?(?:\.\d+)?)"
    r"(\s?(?:%|percent\b|k\b|m\b|mm\b|bn\b|b\b|x\b)(?!\.\w))?",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_YEAR_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b"
    r"|\b(0?[1-9]|1[0-2])/((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DEGREE_RE = re.compile(
    r"(?<![\w.])(?:B\.\s?S\.?|B\.\s?A\.?|M\.\s?S\.?|M\.\s?A\.?|Ph\.\s?D\.?|M\.\s?D\.?|J\.\s?D\.?"
    r"|Ed\.\s?D\.?|BSc|MSc|BEng|MEng|MBA|PhD|BSN|MSN|DNP|EdD|MPH|MFA|BFA|LLB|LLM|MPA"
    r"|Bachelor(?:'s)?(?:\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)?"
    r"|Master(?:'s)?(?:\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)?"
    r"|Doctor(?:ate)?(?:\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)?"
    r"|Associate(?:'s)?\s+degree"
    # Bare letters, as resumes write them ("BA Economics", "MS in Statistics"); "MS Project"
    # and "MS Excel" are products.
    r"|BA|BS|MA|MS(?!\s+(?:Project|Office|Excel|Word|Teams|Access|SQL|Outlook|PowerPoint"
    r"|Visio|Dynamics|Paint)\b))(?![\w])"
)
_ROLE_NOUNS = words(
    """
    engineer developer manager director designer nurse analyst scientist lead architect
    consultant specialist coordinator officer teacher accountant president vp head
    intern administrator technician representative executive supervisor instructor
    professor lecturer researcher strategist producer editor writer recruiter advisor
    adviser planner controller auditor bookkeeper therapist physician pharmacist
    paramedic chef cto ceo cfo coo founder cofounder co-founder partner principal fellow
    programmer
    """
)
_ORG_SUFFIXES = words(
    """
    inc llc ltd corp corporation co company group labs lab technologies technology
    systems solutions partners bank hospital health healthcare clinic studio studios
    media software analytics payments holdings industries consulting capital ventures
    logistics foundation agency associates enterprises international networks games
    pharmaceuticals motors airlines foods brands freight
    """
)
_SCHOOL_WORDS = words(
    """
    university college institute school academy polytechnic conservatory seminary
    """
)
_EMPLOYER_CUES = words("at for joined from")
_STRICT_ROLES = frozenset({LineRole.NAME, LineRole.CONTACT, LineRole.HEADER, LineRole.META})
_STRICT_SECTIONS = frozenset(
    {SectionKind.CONTACT, SectionKind.EDUCATION, SectionKind.CERTIFICATIONS}
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=\S)")
_INITIAL_BEFORE = set('.!?:;("“—–-•|*#>')


@functools.cache
def vocabulary() -> frozenset[str]:
    raw = resources.files("app.tailoring.data").joinpath("vocabulary.txt").read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        if not line.startswith("#"):
            words.update(fold(w) for w in line.split())
    return frozenset(words)


# -- facts of the original -----------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    text: str  # folded, whitespace-collapsed original (+ allowed) text
    tokens: frozenset[str]
    skills: frozenset[str]
    numbers: frozenset[float]  # every number in the original (+ allowed)
    line_numbers: dict[str, frozenset[float]]
    years: frozenset[int]
    month_years: frozenset[tuple[int, int]]
    degrees: frozenset[str]
    contacts: frozenset[str]  # e-mails and links
    line_text: dict[str, str]
    line_tokens: dict[str, frozenset[str]]
    entities: tuple[str, ...]  # employers, schools, the person's name (masked before matching)
    headings: frozenset[str]
    line_of_text: dict[str, str]  # collapsed text -> line id, to recognise verbatim lines
    entry_of: dict[str, int]  # line id -> index into ResumeDocument.experience
    # The most years of experience the dates support (earliest start to latest end): a
    # summary may say "8 years of experience" although no line writes the number 8.
    max_years: float = 0.0


@dataclass(frozen=True)
class _Violation:
    code: str
    text: str
    start: int
    end: int


def _number_values(text: str) -> list[tuple[float, str, int, int, bool]]:
    """(value, raw, start, end, is_year) for each number; "12k" is 12000, "$1.2M" 1.2e6."""
    out = []
    for m in _NUMBER_RE.finditer(text):
        digits = m.group(2).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        unit = (m.group(3) or "").strip().lower()
        scale = {"k": 1e3, "m": 1e6, "mm": 1e6, "bn": 1e9, "b": 1e9}.get(unit, 1.0)
        is_year = (
            not unit
            and not m.group(1)
            and "," not in m.group(2)
            and "." not in digits
            and 1950 <= value <= 2039
        )
        out.append((round(value * scale, 6), m.group(0), m.start(), m.end(), is_year))
    for m in _NUMBER_WORD_RE.finditer(text):
        out.append(
            (float(_NUMBER_WORDS[m.group(1).lower()]), m.group(0), m.start(), m.end(), False)
        )
    return out


def _month_years(text: str) -> list[tuple[int, int, int, int]]:
    out = []
    for m in _MONTH_YEAR_RE.finditer(text):
        if m.group(1):
            out.append((int(m.group(2)), _MONTHS[m.group(1).lower()[:3]], m.start(), m.end()))
        else:
            out.append((int(m.group(4)), int(m.group(3)), m.start(), m.end()))
    return out


_DEGREE_SYNONYMS = {
    "bachelorofscience": "bs", "bachelorsofscience": "bs", "bsc": "bs",
    "bachelorofarts": "ba", "bachelorsofarts": "ba",
    "masterofscience": "ms", "mastersofscience": "ms", "msc": "ms",
    "masterofarts": "ma", "mastersofarts": "ma",
    "masterofbusinessadministration": "mba", "doctorofphilosophy": "phd",
    "bachelorofscienceinnursing": "bsn", "masterofscienceinnursing": "msn",
}  # fmt: skip
_NURSING_IMPLIES = {"bsn": "bs", "msn": "ms"}
_NURSING_DEGREE = re.compile(r"\b(bachelor|master) of science in nursing\b", re.IGNORECASE)


def _degree_key(raw: str) -> str:
    """One key per degree however it is written: "B.S.", "BS", "Bachelor of Science"."""
    key = re.sub(r"[\s.']", "", raw).casefold()
    return _DEGREE_SYNONYMS.get(key, key)


# Who a letter's salutation addresses: "Dear <company> Hiring Team" names no new entity.
_ADDRESSEE_WORDS = frozenset({"hiring", "team", "recruiting", "talent"})

# Keyed by the document object and its text, not its full repr (which cost about 2 ms a
# call for a two-page resume, three calls a job); the value keeps the object, so its id
# cannot be reused while the entry lives.
_FACTS: BoundedCache[tuple[ResumeDocument, Facts]] = BoundedCache()


def clear_facts_cache() -> None:
    from app.tailoring.entries import clear_entry_cache

    _FACTS.clear()
    clear_entry_cache()


def build_facts(original: ResumeDocument, allowed: Iterable[str] = ()) -> Facts:
    """Everything the original states, for checking; cached per document content.

    `allowed` texts (the job title and company for a letter) add names, numbers and dates
    that may be mentioned, but never skills.
    """
    key = (id(original), hash(original.text), len(original.text), len(original.lines))
    _doc, base = _FACTS.get_or_create(key, lambda: (original, _build_facts(original)))
    extra = [a for a in allowed if a]
    return _extend(base, extra) if extra else base


@dataclass
class _TextFacts:
    numbers: set[float]
    years: set[int]
    month_years: set[tuple[int, int]]
    degrees: set[str]
    contacts: set[str]
    tokens: set[str]


def _text_facts(texts: list[str]) -> _TextFacts:
    found = _TextFacts(set(), set(), set(), set(), set(), set())
    for text in texts:
        for value, _raw, _s, _e, is_year in _number_values(text):
            found.numbers.add(value)
            if is_year:
                found.years.add(int(value))
        found.month_years.update((y, m) for y, m, _s, _e in _month_years(text))
        found.degrees.update(_degree_key(m.group(0)) for m in _DEGREE_RE.finditer(text))
        for m in _NURSING_DEGREE.finditer(text):  # "Bachelor of Science in Nursing" is a BSN
            found.degrees.add("bsn" if m.group(1).lower() == "bachelor" else "msn")
        # ... and a BSN is a Bachelor of Science ("Bachelor of Science in Nursing" is read
        # as "Bachelor of Science" followed by lower-case words).
        found.degrees.update(_NURSING_IMPLIES[d] for d in _NURSING_IMPLIES.keys() & found.degrees)
        found.contacts.update(
            fold(m.group(0)).rstrip(".,;)")
            for rx in (_EMAIL_RE, _URL_RE)
            for m in rx.finditer(text)
        )
        found.tokens.update(t.norm for t in tokenize(text))
    return found


def _build_facts(original: ResumeDocument) -> Facts:
    texts = [ln.text for ln in original.lines]
    found = _text_facts(texts)
    doc_lines = document_lines(original)
    skills = set()
    for ev in collect_skills(doc_lines):
        demonstrated = "demonstrated" in ev.implied_by and ev.category == SOFT
        if ev.mentioned or demonstrated:
            skills.add(ev.skill)
    entities = [e.employer for e in original.experience if e.employer]
    entities += [e.school for e in original.education if e.school]
    if original.contact.name:
        entities.append(original.contact.name)
    line_tokens = {ln.id: frozenset(t.norm for t in tokenize(ln.text)) for ln in original.lines}
    return Facts(
        text=fold(collapse_ws(" \n ".join(texts))),
        tokens=frozenset(found.tokens),
        skills=frozenset(skills),
        numbers=frozenset(found.numbers),
        line_numbers={
            ln.id: frozenset(v for v, *_ in _number_values(ln.text)) for ln in original.lines
        },
        years=frozenset(found.years),
        month_years=frozenset(found.month_years),
        degrees=frozenset(found.degrees),
        contacts=frozenset(found.contacts),
        line_text={ln.id: ln.text for ln in original.lines},
        line_tokens=line_tokens,
        entities=tuple(sorted(set(entities), key=len, reverse=True)),
        headings=frozenset(fold(s.heading) for s in original.sections if s.heading),
        line_of_text={collapse_ws(ln.text): ln.id for ln in reversed(original.lines)},
        entry_of={d.id: d.entry for d in doc_lines if d.entry is not None},
        max_years=_span_years(original),
    )


def _span_years(original: ResumeDocument) -> float:
    today = date.today()
    spans = [s for s in experience_months(original, (today.year, today.month)) if s[0] >= 0]
    if not spans:
        return 0.0
    return (max(end for _s, end in spans) - min(start for start, _e in spans) + 1) / 12


def _extend(base: Facts, allowed: list[str]) -> Facts:
    found = _text_facts(allowed)
    return dataclasses.replace(
        base,
        text=base.text + " \n " + fold(collapse_ws(" \n ".join(allowed))),
        tokens=base.tokens | found.tokens,
        numbers=base.numbers | found.numbers,
        years=base.years | found.years,
        month_years=base.month_years | found.month_years,
        degrees=base.degrees | found.degrees,
        contacts=base.contacts | found.contacts,
    )
