"""Job titles: seniority, role family and how similar two titles are.

ATS systems and recruiters compare the posting's title with the candidate's titles; exact
words matter, but "Software Engineer" is still much closer to "Platform Engineer" than to
"Registered Nurse". Similarity therefore combines word overlap with a coarse role family.
"""

from __future__ import annotations

import functools
import re

from app.tailoring.text import fold, words
from app.tailoring.types import Seniority

_LEVELS = [Seniority.JUNIOR, Seniority.MID, Seniority.SENIOR, Seniority.LEAD, Seniority.PRINCIPAL]

# Checked in this order; the first hit wins ("Senior Staff Engineer" is lead-level).
_SENIORITY_PATTERNS: list[tuple[Seniority, re.Pattern[str]]] = [
    (
        Seniority.PRINCIPAL,
        re.compile(
            r"\b(principal|distinguished|fellow|chief|vp|vice president|head of|director)\b"
        ),
    ),
    (Seniority.LEAD, re.compile(r"\b(lead|staff|manager|supervisor|charge|team lead)\b")),
    (Seniority.SENIOR, re.compile(r"\b(senior|sr|iii|iv|experienced)\b")),
    (
        Seniority.JUNIOR,
        re.compile(
            r"\b(junior|jr|entry[- ]level|graduate|intern|internship|trainee|apprentice|"
            r"assistant|new grad)\b"
        ),
    ),
]

_SENIORITY_WORDS = words(
    """
    principal distinguished fellow chief vp vice president head director lead staff
    manager supervisor senior sr iii iv ii i junior jr entry level graduate intern
    trainee apprentice mid experienced
    """
)

# Words with the same meaning in a title; mapped before comparing.
_SYNONYMS = {
    "developer": "engineer",
    "programmer": "engineer",
    "dev": "engineer",
    "swe": "engineer",
    "engineering": "engineer",
    "rn": "nurse",
    "nursing": "nurse",
    "analytics": "analyst",
    "analysis": "analyst",
    "designer": "design",
    "teacher": "educator",
    "instructor": "educator",
    "lecturer": "educator",
    "accounting": "accountant",
    "backend": "back-end",
    "frontend": "front-end",
}

_TITLE_STOP = words("of the and for in at to a an with & / - – —")

# Role families, most specific words first. The first family with a hit wins.
_FAMILIES: list[tuple[str, tuple[str, ...]]] = [
    (
        "nursing",
        (
            "nurse",
            "nursing",
            "rn",
            "lpn",
            "cna",
            "clinical",
            "patient",
            "icu",
            "paramedic",
            "emt",
            "medical assistant",
            "caregiver",
            "midwife",
        ),
    ),
    (
        "education",
        (
            "teacher",
            "educator",
            "instructor",
            "tutor",
            "professor",
            "lecturer",
            "teaching",
            "curriculum",
            "instructional",
            "school",
        ),
    ),
    (
        "mechanical",
        (
            "mechanical",
            "manufacturing",
            "process engineer",
            "quality engineer",
            "industrial",
            "machinist",
            "cad",
            "hvac",
            "technician",
            "mechatronics",
        ),
    ),
    ("design", ("designer", "design", "ux", "ui", "creative", "art director", "illustrator")),
    (
        "data",
        (
            "data",
            "analytics",
            "analyst",
            "scientist",
            "statistician",
            "machine learning",
            "ml",
            "ai",
            "insights",
            "bi ",
            "business intelligence",
            "research",
        ),
    ),
    (
        "finance",
        (
            "accountant",
            "accounting",
            "finance",
            "financial",
            "controller",
            "auditor",
            "bookkeeper",
            "tax",
            "treasury",
            "payroll",
            "fp&a",
            "cpa",
        ),
    ),
    (
        "marketing",
        (
            "marketing",
            "demand generation",
            "growth",
            "seo",
            "content",
            "brand",
            "communications",
            "social media",
            "campaign",
            "lifecycle",
        ),
    ),
    (
        "sales",
        (
            "sales",
            "account executive",
            "business development",
            "account manager",
            "sdr",
            "bdr",
            "customer success",
        ),
    ),
    (
        "software",
        (
            "software",
            "engineer",
            "developer",
            "programmer",
            "devops",
            "sre",
            "platform",
            "infrastructure",
            "backend",
            "back-end",
            "frontend",
            "front-end",
            "full stack",
            "full-stack",
            "cloud",
            "architect",
            "mobile",
            "web",
            "qa",
        ),
    ),
    (
        "management",
        (
            "manager",
            "director",
            "operations",
            "project",
            "program",
            "product",
            "head",
            "chief",
            "vp",
        ),
    ),
]

# How related two different families are (symmetric); anything else is unrelated (0).
_ADJACENT: dict[frozenset[str], float] = {
    frozenset({"software", "data"}): 0.3,
    frozenset({"software", "design"}): 0.15,
    frozenset({"software", "mechanical"}): 0.1,
    frozenset({"data", "finance"}): 0.2,
    frozenset({"data", "marketing"}): 0.15,
    frozenset({"marketing", "sales"}): 0.35,
    frozenset({"marketing", "design"}): 0.15,
    frozenset({"management", "software"}): 0.15,
    frozenset({"management", "data"}): 0.15,
    frozenset({"management", "marketing"}): 0.15,
    frozenset({"management", "sales"}): 0.15,
    frozenset({"management", "finance"}): 0.15,
}


def _clean(title: str) -> str:
    # Parenthesised qualifiers ("(Nights)", "(Remote)") say nothing about the role.
    return fold(re.sub(r"\([^)]*\)", " ", title))


@functools.lru_cache(maxsize=4096)
def seniority_of(title: str | None) -> Seniority | None:
    if not title:
        return None
    text = _clean(title)
    for level, pattern in _SENIORITY_PATTERNS:
        if pattern.search(text):
            return level
    return None


def seniority_from_years(years: float | None) -> Seniority:
    if years is None:
        return Seniority.MID
    if years >= 8:
        return Seniority.SENIOR
    if years >= 2:
        return Seniority.MID
    return Seniority.JUNIOR


def level_distance(a: Seniority, b: Seniority) -> int:
    return abs(_LEVELS.index(a) - _LEVELS.index(b))


def core_words(title: str | None) -> list[str]:
    """The words that name the role, without seniority or filler ("Senior Platform
    Engineer" -> ["platform", "engineer"])."""
    if not title:
        return []
    words = re.findall(r"[a-z0-9+#&]+(?:-[a-z0-9]+)*", _clean(title))
    out: list[str] = []
    for word in words:
        if word in _SENIORITY_WORDS or word in _TITLE_STOP:
            continue
        word = _SYNONYMS.get(word, word)
        if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
            word = word[:-1]
        if word not in out:
            out.append(word)
    return out


_FAMILY_PATTERNS = [
    (
        family,
        re.compile(
            r"(?<![a-z])(?:" + "|".join(re.escape(w.strip()) for w in members) + r")(?![a-z])"
        ),
    )
    for family, members in _FAMILIES
]


@functools.lru_cache(maxsize=4096)
def family_of(title: str | None) -> str | None:
    if not title:
        return None
    text = f" {_clean(title)} "
    for family, pattern in _FAMILY_PATTERNS:
        if pattern.search(text):
            return family
    return None


@functools.lru_cache(maxsize=4096)
def title_similarity(job_title: str | None, resume_title: str | None) -> float:
    """0..1: how well a resume title lines up with the posting's title."""
    a, b = set(core_words(job_title)), set(core_words(resume_title))
    if not a or not b:
        return 0.0
    overlap = len(a & b) / len(a | b)
    fam_a, fam_b = family_of(job_title), family_of(resume_title)
    if fam_a is not None and fam_a == fam_b:
        score = 0.5 + 0.5 * overlap
    elif fam_a is not None and fam_b is not None:
        score = max(overlap * 0.5, _ADJACENT.get(frozenset({fam_a, fam_b}), 0.0))
    else:
        score = overlap
    if score > 0:
        sa, sb = seniority_of(job_title), seniority_of(resume_title)
        sa = sa or Seniority.MID
        sb = sb or Seniority.MID
        distance = level_distance(sa, sb)
        score += 0.1 if distance == 0 else 0.05 if distance == 1 else 0.0
    return round(min(1.0, score), 3)
