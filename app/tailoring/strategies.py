"""Tailoring strategies: how far the local engine goes in rewriting a resume.

* CONSERVATIVE — the person's wording stays: sections, each entry's bullets and the skills
  ordered by relevance to the posting, and the targeted summary (`summary.py`).
* DEFAULT — also curates the skills section in the posting's wording where the resume
  evidences each skill (`skills_curation.py`) and selects bullets per role within a length
  budget, condensing older and unrelated roles (`bullet_selection.py`).
* AGGRESSIVE_KEYWORDS — also writes the posting's exact terms into bullets where the
  resume names the same skill another way (`keywords.py`), with the one alias note per term
  in the skills section ("Kubernetes (k8s)").

Every output line keeps the ids of the original lines it came from, and what a strategy
leaves out is returned on `TailoredResume.left_out` for the diff. The engine runs the truth
guard and the structural quality gate on the result before returning it.
"""

from __future__ import annotations

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.bullet_selection import reorder_bullets, select_bullets
from app.tailoring.keywords import apply_posting_terms
from app.tailoring.layout import SectionLayout, layout_document
from app.tailoring.matcher import get_matcher
from app.tailoring.posting_terms import posting_terms
from app.tailoring.relevance import Context, order_sections, relevance
from app.tailoring.resume_analysis import DocLine
from app.tailoring.skills_curation import curate_skills, listable, split_items, wanted_skills
from app.tailoring.summary import write_summary
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.text import norm_key
from app.tailoring.types import (
    AtsReport,
    JobAnalysis,
    LineRole,
    ResumeAnalysis,
    Strategy,
    TailoredLine,
    TailoredResume,
)


def _reorder_skill_items(layouts: list[SectionLayout], ctx: Context) -> None:
    """CONSERVATIVE: skills keep their words and groups; the posting's come first."""
    wanted = wanted_skills(ctx)
    matcher = get_matcher()
    for layout in layouts:
        if layout.kind is not SectionKind.SKILLS:
            continue
        for block in layout.blocks:
            for i, line in enumerate(block.lines):
                label, items, separator = split_items(line.text)
                if len(items) < 2:
                    continue

                def rank(pair: tuple[int, str]) -> tuple[int, int]:
                    named = matcher.skills_in(pair[1], list_context=True)
                    return (min((wanted.get(s, 9) for s in named), default=9), pair[0])

                ordered = [t for _, t in sorted(enumerate(items), key=rank)]
                body = separator.join(ordered)
                text = f"{label}{body}"
                block.lines[i] = TailoredLine(text, list(line.source_line_ids), line.role)


def _context(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    report: AtsReport,
    lines: list[DocLine],
) -> Context:
    taxonomy = load_taxonomy()
    phrases = [norm_key(k) for k in job.keywords if k not in taxonomy.skills and norm_key(k)]
    return Context(resume, job, analysis, report, lines, phrases, posting_terms(job))


def draft_resume(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    report: AtsReport,
    lines: list[DocLine],
    strategy: Strategy,
) -> TailoredResume:
    """The tailored resume for `strategy` (not yet guarded or gated)."""
    ctx = _context(resume, job, analysis, report, lines)
    layouts = layout_document(resume, lines)
    for layout in layouts:
        for block in layout.blocks:
            if block.entry is not None:
                reorder_bullets(block, ctx)
    left_out = write_summary(layouts, ctx)
    if strategy is Strategy.CONSERVATIVE:
        _reorder_skill_items(layouts, ctx)
    else:
        wanted = {s for s in wanted_skills(ctx) if listable(s, ctx)}
        left_out += select_bullets(layouts, ctx, wanted)
        curate_skills(layouts, ctx, alias_note=strategy is Strategy.AGGRESSIVE_KEYWORDS)
        if strategy is Strategy.AGGRESSIVE_KEYWORDS:
            apply_posting_terms(layouts, ctx)
    layouts = order_sections(layouts, ctx)
    return TailoredResume(
        strategy=strategy,
        sections=[layout.to_section() for layout in layouts],
        job_title=job.title,
        company=job.company,
        left_out=[ln for ln in left_out if ln.role is not LineRole.HEADER],
    )


__all__ = ["draft_resume", "relevance"]
