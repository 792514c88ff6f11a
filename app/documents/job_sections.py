"""Job-posting section headings ("What you'll do", "Must have", "Nice to have", ...)."""

from __future__ import annotations

import re

from app.documents.headings import clean_heading
from app.documents.models import JobSectionKind

_K = JobSectionKind
# Checked in this order: PREFERRED phrases before REQUIREMENTS ones, because
# "preferred qualifications" also contains "qualifications".
_PHRASES: tuple[tuple[JobSectionKind, tuple[str, ...]], ...] = (
    (
        _K.PREFERRED,
        (
            "nice to have",
            "nice to haves",
            "nice-to-have",
            "nice-to-haves",
            "preferred",
            "bonus",
            "bonus points",
            "pluses",
            "plus",
            "desired",
            "desirable",
            "good to have",
            "extra credit",
            "it's a plus",
            "preferred qualifications",
            "preferred skills",
            "additional qualifications",
            "even better",
            "ideally",
        ),
    ),
    (
        _K.RESPONSIBILITIES,
        (
            "responsibilities",
            "what you'll do",
            "what you will do",
            "the role",
            "role",
            "your role",
            "key responsibilities",
            "duties",
            "day to day",
            "day-to-day",
            "what you'll be doing",
            "what you will be doing",
            "in this role",
            "your impact",
            "the job",
            "job description",
            "about the role",
            "about the job",
            "about the position",
            "the opportunity",
            "what you'll work on",
            "your mission",
            "position summary",
            "role overview",
            "job duties",
            "your responsibilities",
            "what the job involves",
            "the position",
            "job summary",
            "role description",
            "you will",
            "you'll",
            "in this role you will",
        ),
    ),
    (
        _K.REQUIREMENTS,
        (
            "requirements",
            "required",
            "must have",
            "must haves",
            "must-have",
            "must-haves",
            "what you bring",
            "what you'll bring",
            "what you will bring",
            "qualifications",
            "minimum qualifications",
            "basic qualifications",
            "required qualifications",
            "what we're looking for",
            "what we are looking for",
            "who you are",
            "you have",
            "you'll have",
            "about you",
            "skills",
            "required skills",
            "experience",
            "what you need",
            "you should have",
            "requirements and qualifications",
            "your background",
            "your profile",
            "skills and experience",
            "essential",
            "key skills",
            "who we're looking for",
            "the ideal candidate",
            "ideal candidate",
            "what you'll need",
            "what you need to succeed",
            "competencies",
            "physical requirements",
            "licenses and certifications",
            "certifications",
        ),
    ),
    (
        _K.BENEFITS,
        (
            "benefits",
            "perks",
            "what we offer",
            "compensation",
            "pay",
            "salary",
            "why join us",
            "why us",
            "we offer",
            "perks and benefits",
            "compensation and benefits",
            "what's in it for you",
            "total rewards",
            "our offer",
            "salary and benefits",
            "pay and benefits",
            "why you'll love working here",
        ),
    ),
    (
        _K.ABOUT,
        (
            "about us",
            "about the company",
            "who we are",
            "company overview",
            "our mission",
            "about the team",
            "the team",
            "our team",
            "about",
            "company",
            "overview",
            "our company",
            "our story",
            "the company",
            "team",
        ),
    ),
    (
        _K.OTHER,
        (
            "how to apply",
            "equal opportunity",
            "equal opportunity employer",
            "eeo",
            "location",
            "application process",
            "diversity",
            "next steps",
            "interview process",
            "our process",
            "hiring process",
            "work location",
            "schedule",
            "shift",
            "shift and schedule",
            "work schedule",
            "job details",
            "job type",
            "working conditions",
        ),
    ),
)
_EXACT = {p: kind for kind, phrases in _PHRASES for p in phrases}
# Single words strong enough to mark a heading inside a longer label ("Key Benefits").
_STRONG_SINGLE = frozenset(
    {
        "responsibilities",
        "requirements",
        "qualifications",
        "benefits",
        "perks",
        "duties",
        "preferred",
        "compensation",
    }
)
_ORDERED = [(p, kind) for kind, phrases in _PHRASES for p in sorted(phrases, key=len, reverse=True)]


def _normalise(text: str) -> str:
    t = clean_heading(text).lower().replace("’", "'").replace("&", "and")
    return re.sub(r"\s+", " ", t).strip(" :.-")


def job_section_kind(text: str) -> JobSectionKind | None:
    """Kind of a standalone heading line, or None if the line is not a heading."""
    t = _normalise(text)
    if not t or len(t) > 60 or len(t.split()) > 7 or text.rstrip().endswith((".", ",", ";")):
        return None
    if t in _EXACT:
        return _EXACT[t]
    if t.startswith("about ") and len(t.split()) <= 5:
        return JobSectionKind.ABOUT
    if len(t.split()) > 5:
        return None
    for phrase, kind in _ORDERED:
        if (" " not in phrase and phrase not in _STRONG_SINGLE) or len(phrase) <= 3:
            continue
        if re.search(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", t):
            return kind
    return None


def inline_label(text: str) -> tuple[JobSectionKind, str] | None:
    """ "Requirements: a, b, c." -> (REQUIREMENTS, "Requirements")."""
    if ":" not in text:
        return None
    label, rest = text.split(":", 1)
    if not rest.strip() or len(label.split()) > 5:
        return None
    t = _normalise(label)
    kind = _EXACT.get(t)
    if kind is None:
        return None
    return kind, label.strip()


_PREFERRED_CUE = re.compile(
    r"\b(?:preferred|nice[- ]to[- ]have|a plus|plus\b(?=[.!]?$)|bonus|desirable|desired"
    r"|ideally|advantageous|would be great|is an advantage)\b",
    re.IGNORECASE,
)
_REQUIRED_CUE = re.compile(r"\b(?:required|must|mandatory|essential)\b", re.IGNORECASE)


def is_preferred_line(text: str) -> bool:
    """A requirement phrased as optional as a whole ("CCRN preferred.", "Kafka is a plus").

    A cue inside parentheses qualifies only what is in them: "Terraform on Azure (GCP
    preferred)" is a required line with one optional alternative.
    """
    outside = re.sub(r"\([^()]*\)", " ", text)
    clauses = [c for c in re.split(r";|\.\s", outside) if c.strip(" .")]
    # "Fluent English; German is a plus": only the second clause is optional.
    return all(_PREFERRED_CUE.search(c) for c in clauses) and not _REQUIRED_CUE.search(outside)
