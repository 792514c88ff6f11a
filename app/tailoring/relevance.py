"""How much a resume line speaks to the posting: the ranking every strategy sorts by."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.layout import SectionLayout
from app.tailoring.matcher import get_matcher
from app.tailoring.resume_analysis import DocLine
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.text import tokenize
from app.tailoring.types import AtsReport, Importance, JobAnalysis, ResumeAnalysis

HAS_NUMBER = re.compile(r"\d")


@dataclass
class Context:
    """Everything a strategy reads: the documents, their analyses and the posting's terms."""

    resume: ResumeDocument
    job: JobAnalysis
    analysis: ResumeAnalysis
    report: AtsReport
    lines: list[DocLine]
    phrases: list[tuple[str, ...]]
    terms: dict[str, str] = field(default_factory=dict)  # skill -> the posting's wording
    memo: dict[tuple[str, bool], float] = field(default_factory=dict)


def relevance(text: str, ctx: Context, *, numbers: bool = True) -> float:
    key = (text, numbers)
    if key not in ctx.memo:
        ctx.memo[key] = _score_line(text, ctx, numbers=numbers)
    return ctx.memo[key]


def _score_line(text: str, ctx: Context, *, numbers: bool) -> float:
    """Per requirement (required 3, preferred 1.5): full weight when the line names one of its
    skills, 0.6 when it names a qualifier or a skill that directly implies one in the same
    field (LightGBM -> gradient boosting; not Airflow -> Python, which says little).
    Keywords add 0.75, salient phrases 0.5, and a number 0.5 — quantified bullets make the
    stronger first impression."""
    taxonomy = load_taxonomy()
    named = {m.skill for m in get_matcher().find(text)}
    implied = {
        target
        for skill in named
        for target in taxonomy.skills[skill].implies
        if taxonomy.category(target) == taxonomy.category(skill)
    }
    score = 0.0
    for req in ctx.job.requirements:
        weight = 3.0 if req.importance is Importance.REQUIRED else 1.5
        if named & set(req.skills):
            score += weight
        elif implied & set(req.skills) or named & set(req.related):
            score += 0.6 * weight
    for term in ctx.job.keywords:
        options = {term, *ctx.job.keyword_alternatives.get(term, ())}
        if named & options:
            score += 0.75
    tokens = tuple(t.norm for t in tokenize(text))
    for phrase in ctx.phrases:
        size = len(phrase)
        if any(tokens[i : i + size] == phrase for i in range(len(tokens) - size + 1)):
            score += 0.5
    if numbers and HAS_NUMBER.search(text):
        score += 0.5
    return score


# Ties (e.g. nothing in either section matches the posting) fall back to the order readers
# expect, which also repairs two-column PDFs whose sidebar was read first.
_CONVENTIONAL = [
    SectionKind.EXPERIENCE,
    SectionKind.SKILLS,
    SectionKind.PROJECTS,
    SectionKind.CERTIFICATIONS,
    SectionKind.EDUCATION,
    SectionKind.VOLUNTEER,
    SectionKind.LANGUAGES,
    SectionKind.OTHER,
]


def order_sections(layouts: list[SectionLayout], ctx: Context) -> list[SectionLayout]:
    pinned = {SectionKind.CONTACT: 0, SectionKind.SUMMARY: 1}

    def key(layout: SectionLayout) -> tuple[int, float, int, int]:
        if layout.kind in pinned:
            return (pinned[layout.kind], 0.0, 0, layout.position)
        # Numbers make a bullet stronger, not a section more relevant (years in education).
        score = sum(relevance(ln.text, ctx, numbers=False) for ln in layout.lines())
        return (2, -score, _CONVENTIONAL.index(layout.kind), layout.position)

    return sorted(layouts, key=key)


def styled(heading: str, layouts: list[SectionLayout]) -> str:
    """A new heading in the resume's own style ("SUMMARY" next to "EDUCATION")."""
    existing = [s.heading for s in layouts if s.heading.strip()]
    if existing and all(h.isupper() for h in existing):
        return heading.upper()
    return heading
