"""Title credit as a screen gives it: the posting's job title written on the resume.

A screen compares the posting's title with the titles it finds on the resume, the summary's
opening ("Registered Nurse with 7 years ...") and a headline included. Such a statement
counts only when the person's own job titles support it (their alignment with the posting
is at least `SUPPORTED_AT`): a title the history does not back earns nothing, however it is
written. The fit band keeps reading the job titles alone.
"""

from __future__ import annotations

import re

from app.documents.models import SectionKind
from app.tailoring.posting_terms import contains_term
from app.tailoring.resume_analysis import DocLine
from app.tailoring.titles import title_similarity

SUPPORTED_AT = 0.5
# Where a resume states the role it is after: a summary or a headline under the name.
_STATEMENT_SECTIONS = frozenset({SectionKind.SUMMARY, SectionKind.CONTACT})
# The role name ends where a qualifier starts: "Registered Nurse - ICU (Nights)", "Data
# Analyst, Merchandising", "Backend Engineer (Go)".
_QUALIFIER_CUT = re.compile(r"\s*(?:,|\s[-–—]\s|\(|\|)\s*")


def stated_title(job_title: str, lines: list[DocLine]) -> tuple[float, str | None]:
    """(similarity, phrase): the longest trailing part of the posting's role name (two words
    or more, "Site Reliability Engineer", "Reliability Engineer") that a summary or headline
    line writes, scored against the posting's title; (0, None) when none does."""
    words = _QUALIFIER_CUT.split(job_title.strip())[0].split()
    statements = [d.text for d in lines if d.section in _STATEMENT_SECTIONS and d.text.strip()]
    if not statements:
        return 0.0, None
    for start in range(max(0, len(words) - 1)):
        phrase = " ".join(words[start:])
        if any(contains_term(text, phrase) for text in statements):
            return title_similarity(job_title, phrase), phrase
    return 0.0, None


def title_credit(own: float, job_title: str, lines: list[DocLine]) -> tuple[float, str | None]:
    """The title value a screen gives: the own titles' alignment, or the stated title's
    when the own titles support it and it aligns better."""
    if own < SUPPORTED_AT:
        return own, None
    value, phrase = stated_title(job_title, lines)
    return (value, phrase) if value > own else (own, None)
