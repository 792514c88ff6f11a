"""ATS-style score (0-100) with a breakdown a person can act on.

Components and weights (a component that does not apply, e.g. no years asked for, is left
out and the others are re-normalised):

    required skills   45   the posting's must-haves; an ATS filter's first cut
    preferred skills  12
    title alignment   10   posting title vs the resume's job titles, or the posting's title stated
                           in the summary where those titles back it (`title_credit.py`)
    years             10   relevant years (months in roles like this one) vs "N+ years"
    keywords          13   responsibilities' skills and salient terms of the posting
    sections          10   contact, experience, education, skills present

Each requirement's credit depends on the words and where they stand
(`requirement_credit.py`): a keyword screen looks for the posting's own words. The fit
band reads the same score with wording-blind credits (`_fit_score`), so rewording a resume
raises the score, never the band. Calibrated on the shared samples: unrelated resumes land
below 35, strong fits above 70.
"""

from __future__ import annotations

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.requirement_credit import (
    ALIAS_CREDIT,
    RELATED_CREDIT,
    Credit,
    requirement_credit,
    requirement_result,
)
from app.tailoring.resume_analysis import DocLine
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.text import norm_key, tokenize
from app.tailoring.title_credit import title_credit
from app.tailoring.titles import title_similarity
from app.tailoring.types import (
    AtsReport,
    Fit,
    Importance,
    JobAnalysis,
    MatchStatus,
    RequirementResult,
    ResumeAnalysis,
    ScoreComponent,
    SkillEvidence,
)
from app.tailoring.work_dates import YearMonth, experience_months

WEIGHTS: dict[str, float] = {
    "required": 45.0,
    "preferred": 12.0,
    "title": 10.0,
    "years": 10.0,
    "keywords": 13.0,
    "sections": 10.0,
}
STRONG_AT = 70
PARTIAL_AT = 35


def fit_for(score: int) -> Fit:
    if score >= STRONG_AT:
        return Fit.STRONG
    if score >= PARTIAL_AT:
        return Fit.PARTIAL
    return Fit.POOR


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _skill_components(
    job: JobAnalysis, credits: dict[str, Credit], results: list[RequirementResult]
) -> list[ScoreComponent]:
    out = []
    for importance, key, label in (
        (Importance.REQUIRED, "required", "Required skills"),
        (Importance.PREFERRED, "preferred", "Preferred skills"),
    ):
        reqs = [r for r in job.requirements if r.importance is importance]
        value = _mean([credits[r.id].value for r in reqs])
        met = sum(1 for r in reqs if credits[r.id].value >= 0.75)
        if importance is Importance.REQUIRED:
            detail = f"{met} of {len(reqs)} required qualifications clearly shown"
            detail += _weak_detail(results, Importance.REQUIRED)
        else:
            detail = f"{met} of {len(reqs)} nice-to-haves clearly shown"
        out.append(_component(key, label, value, bool(reqs), detail))
    return out


def _title_component(
    job: JobAnalysis, analysis: ResumeAnalysis, lines: list[DocLine]
) -> tuple[ScoreComponent, float]:
    """The component (own titles, or the posting's title stated where they support it) and
    the own titles' alignment, which the fit band reads."""
    own, best_title = _title_alignment(job, analysis)
    value, stated = title_credit(own, job.title or "", lines)
    if stated:
        detail = f"states “{stated}”, backed by your title “{best_title}”, vs “{job.title}”"
    elif best_title:
        detail = f"closest title “{best_title}” vs “{job.title}”"
    else:
        detail = "no job titles found on the resume"
    return _component("title", "Title alignment", value, bool(job.title), detail), own


def _years_component(job: JobAnalysis, analysis: ResumeAnalysis, relevant: float) -> ScoreComponent:
    needed = job.years_required
    value = min(1.0, relevant / needed) if needed else 0.0
    detail = (
        f"about {relevant:.1f} relevant of {analysis.total_years:.1f} total years; "
        f"posting asks for {needed:g}+"
        if needed
        else "posting does not state a number of years"
    )
    return _component("years", "Years of experience", value, bool(needed), detail)


def _keyword_component(matched: list[str], missing: list[str], value: float) -> ScoreComponent:
    total = len(matched) + len(missing)
    detail = f"{len(matched)} of {total} keywords" + (
        f"; missing: {', '.join(missing[:6])}" if missing else ""
    )
    return _component("keywords", "Posting keywords", value, bool(total), detail)


def _sections_component(missing: list[str]) -> ScoreComponent:
    detail = (
        "contact, experience, education and skills all present"
        if not missing
        else f"missing: {', '.join(missing)}"
    )
    return _component("sections", "Resume sections", (4 - len(missing)) / 4, True, detail)


def _weighted(components: list[ScoreComponent]) -> int:
    """The 0-100 score; also sets each component's share of it (`points`)."""
    total_weight = sum(c.weight for c in components if c.applicable)
    raw = sum(c.weight * c.value for c in components if c.applicable)
    for c in components:
        c.points = round(100 * c.weight * c.value / total_weight, 1) if c.applicable else 0.0
    return round(100 * raw / total_weight) if total_weight else 0


def ats_report(
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    lines: list[DocLine],
    document: ResumeDocument,
    as_of: YearMonth,
) -> AtsReport:
    skills = {s.skill: s for s in analysis.skills}
    recent = _recent_line_ids(lines, experience_months(document, as_of))
    credits = {r.id: requirement_credit(r, skills, job, recent) for r in job.requirements}
    results = [requirement_result(r, credits[r.id]) for r in job.requirements]
    title, own_title = _title_component(job, analysis, lines)
    relevant = _relevant_years(job, analysis, lines, document, as_of, credits)
    matched_kw, missing_kw, keyword_value = _keywords(job, skills, lines)
    missing_sections = _missing_sections(analysis, document)
    components = [
        *_skill_components(job, credits, results),
        title,
        _years_component(job, analysis, relevant),
        _keyword_component(matched_kw, missing_kw, keyword_value),
        _sections_component(missing_sections),
    ]
    score = _weighted(components)
    return AtsReport(
        score=score,
        fit=fit_for(_fit_score(job, credits, components, len(matched_kw), own_title)),
        components=components,
        requirements=results,
        matched=[r.label for r in results if r.status is MatchStatus.MATCHED],
        implied=[r.label for r in results if r.status is MatchStatus.IMPLIED],
        missing=[r.label for r in results if r.status is MatchStatus.MISSING],
        missing_required=[
            r.label
            for r in results
            if r.status is MatchStatus.MISSING and r.importance is Importance.REQUIRED
        ],
        years_required=job.years_required,
        years_relevant=round(relevant, 1),
        years_total=analysis.total_years,
        title_similarity=round(own_title, 3),
        keywords_matched=matched_kw,
        keywords_missing=missing_kw,
        missing_sections=missing_sections,
    )


def _fit_score(
    job: JobAnalysis,
    credits: dict[str, Credit],
    components: list[ScoreComponent],
    matched: int,
    own_title: float,
) -> int:
    """The same score read for fit, whatever the words: each requirement by where it is
    shown (its strength), each keyword found at all, the job titles held. Rewording a
    resume raises what a keyword screen sees (the score), not how well the experience fits
    (the band)."""
    values = {c.key: c.value for c in components if c.applicable}
    if "title" in values:
        values["title"] = own_title
    for importance, key in ((Importance.REQUIRED, "required"), (Importance.PREFERRED, "preferred")):
        if key in values:
            reqs = [r for r in job.requirements if r.importance is importance]
            values[key] = _mean([credits[r.id].strength for r in reqs])
    if "keywords" in values:
        values["keywords"] = matched / len(job.keywords)
    total = sum(WEIGHTS[k] for k in values)
    return round(100 * sum(WEIGHTS[k] * v for k, v in values.items()) / total) if total else 0


def _component(key: str, label: str, value: float, applicable: bool, detail: str) -> ScoreComponent:
    return ScoreComponent(
        key=key,
        label=label,
        weight=WEIGHTS[key],
        value=round(max(0.0, min(1.0, value)), 3),
        points=0.0,
        applicable=applicable,
        detail=detail,
    )


def _weak_detail(results: list[RequirementResult], importance: Importance) -> str:
    weak = [r for r in results if r.importance is importance and 0 < r.credit < 0.95]
    if not weak:
        return ""
    parts = [f"{r.label}: {r.note}" for r in weak[:3]]
    return " (" + "; ".join(parts) + ")"


RECENT_MONTHS = 24  # roles ending this close to the newest one count as recent


def _recent_line_ids(lines: list[DocLine], spans: list[tuple[int, int]]) -> frozenset[str]:
    """Lines of the recent roles: the newest role and any ending within two years of it
    (the first role listed when none is dated; resumes list the newest first)."""
    ends = [end for start, end in spans if start >= 0]
    if ends:
        newest = max(ends)
        recent = {i for i, (start, end) in enumerate(spans) if start >= 0}
        recent = {i for i in recent if spans[i][1] >= newest - RECENT_MONTHS}
    else:
        recent = {0}
    return frozenset(d.id for d in lines if d.entry in recent)


def _title_alignment(job: JobAnalysis, analysis: ResumeAnalysis) -> tuple[float, str | None]:
    best, best_title = 0.0, None
    candidates = [(analysis.current_title, 1.0)] + [(t, 0.85) for t in analysis.titles]
    for title, weight in candidates:
        if not title:
            continue
        value = title_similarity(job.title, title) * weight
        if value > best:
            best, best_title = value, title
    if best_title is None:
        best_title = analysis.current_title
    return best, best_title


def _relevant_years(
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    lines: list[DocLine],
    document: ResumeDocument,
    as_of: YearMonth,
    credits: dict[str, Credit],
) -> float:
    """Years in roles like this one: each month counts by its most relevant role.

    A role is relevant through its title (similar to the posting's) or through what its
    bullets show (evidence for the required skills or the posting's field, e.g. "backend").
    """
    entry_of = {d.id: d.entry for d in lines if d.entry is not None}
    required = [r for r in job.requirements if r.importance is Importance.REQUIRED]
    hits: dict[int, set[str]] = {}
    field_hits: set[int] = set()
    skills = {s.skill: s for s in analysis.skills}
    for r in required:
        credit = credits[r.id]
        if credit.value < RELATED_CREDIT or credit.skill is None:
            continue
        for proof in skills[credit.skill].evidence:
            position = entry_of.get(proof.line_id)
            if position is not None:
                hits.setdefault(position, set()).add(r.id)
    for name in job.field_skills:
        field_ev = skills.get(name)
        if field_ev is not None and field_ev.mentioned:
            for proof in field_ev.evidence:
                position = entry_of.get(proof.line_id)
                if position is not None:
                    field_hits.add(position)
    spans = experience_months(document, as_of)
    month_weight: dict[int, float] = {}
    need = max(2.0, 0.5 * len(required))
    for index, (start, end) in enumerate(spans):
        if start < 0:
            continue
        relevance = max(
            title_similarity(job.title, document.experience[index].title),
            min(1.0, len(hits.get(index, ())) / need),
            1.0 if index in field_hits else 0.0,
        )
        for month in range(start, end + 1):
            if relevance > month_weight.get(month, 0.0):
                month_weight[month] = relevance
    if not month_weight and analysis.stated_years:
        # Undated history: trust the stated years, scaled by how much of the role they fit.
        coverage = _mean([credits[r.id].value for r in required]) if required else 0.5
        return analysis.stated_years * coverage
    return sum(month_weight.values()) / 12


def _keywords(
    job: JobAnalysis, skills: dict[str, SkillEvidence], lines: list[DocLine]
) -> tuple[list[str], list[str], float]:
    """(matched, missing, value): a keyword written as the posting writes it counts once,
    one the resume shows only in other words (a skill under an alias) half."""
    taxonomy = load_taxonomy()
    tokens = tuple(t.norm for d in lines for t in tokenize(d.text))
    starts: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        starts.setdefault(token, []).append(index)

    def written(needle: tuple[str, ...]) -> bool:
        size = len(needle)
        return bool(needle) and any(
            tokens[i : i + size] == needle for i in starts.get(needle[0], ())
        )

    matched: list[str] = []
    missing: list[str] = []
    credit = 0.0
    for term in job.keywords:
        options = [term, *job.keyword_alternatives.get(term, ())]
        words = [norm_key(job.wording.get(o, o)) for o in options] + [norm_key(o) for o in options]
        if any(written(w) for w in words):
            value = 1.0
        elif any(o in skills for o in options if o in taxonomy.skills):
            value = ALIAS_CREDIT
        else:
            value = 0.0
        credit += value
        (matched if value else missing).append(term)
    return matched, missing, credit / len(job.keywords) if job.keywords else 0.0


def _missing_sections(analysis: ResumeAnalysis, document: ResumeDocument) -> list[str]:
    present = set(analysis.sections)
    missing = []
    if not (analysis.has_email or analysis.has_phone):
        missing.append("contact details")
    if SectionKind.EXPERIENCE.value not in present and not document.experience:
        missing.append("experience")
    if SectionKind.EDUCATION.value not in present and not document.education:
        missing.append("education")
    if SectionKind.SKILLS.value not in present:
        missing.append("skills")
    return missing
