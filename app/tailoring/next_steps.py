"""Next steps of the plan: a table of small rules, each looking at one kind of finding.

Every rule takes the same `StepContext` and returns the steps it suggests; `next_steps`
runs the table in order (most useful first), drops duplicates and keeps the first
MAX_STEPS. A new kind of advice is a new rule in `RULES`, not another branch in a long
function.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.documents.models import ResumeDocument
from app.tailoring.resume_analysis import DocLine
from app.tailoring.taxonomy import SOFT, load_taxonomy
from app.tailoring.types import (
    AtsReport,
    Evidence,
    Importance,
    JobAnalysis,
    LineRole,
    MatchStatus,
    NextStep,
    RequirementResult,
    ResumeAnalysis,
)

_HAS_NUMBER = re.compile(r"\d")
MAX_STEPS = 10


@dataclass(frozen=True)
class StepContext:
    resume: ResumeDocument
    job: JobAnalysis
    analysis: ResumeAnalysis
    report: AtsReport
    lines: dict[str, DocLine]

    @property
    def results(self) -> list[RequirementResult]:
        """Requirement results, required ones first."""
        return sorted(
            self.report.requirements, key=lambda r: r.importance is not Importance.REQUIRED
        )


def _employer(line_id: str, lines: dict[str, DocLine], resume: ResumeDocument) -> str | None:
    line = lines.get(line_id)
    if line is None or line.entry is None:
        return None
    return resume.experience[line.entry].employer


def _where(ev: Evidence, lines: dict[str, DocLine], resume: ResumeDocument) -> str:
    employer = _employer(ev.line_id, lines, resume)
    if employer:
        return f"your bullet at {employer}"
    section = ev.section or "resume"
    return f"your {section} section" if section not in ("other", "") else "your resume"


def _is_bullet(line_id: str, lines: dict[str, DocLine]) -> bool:
    line = lines.get(line_id)
    return line is not None and line.role is LineRole.BULLET


def _surface_in(text: str, analysis: ResumeAnalysis, skill: str | None) -> str | None:
    if skill is None:
        return None
    ev = analysis.skill(skill)
    if ev is None:
        return None
    return next((s for s in ev.surfaces if s.casefold() in text.casefold()), None)


def _listed_or_worded(ctx: StepContext) -> list[NextStep]:
    """A requirement shown only in a bullet (list it), or under another name (use the
    posting's)."""
    steps: list[NextStep] = []
    for r in ctx.results:
        if r.via == "text" and r.matched_skill and r.evidence:
            step = _add_skill(ctx, r)
        elif r.via == "alias" and r.matched_skill and r.matched_skill not in ctx.job.field_skills:
            step = _use_wording(ctx, r)
        else:
            step = None
        if step is not None:
            steps.append(step)
    return steps


def _add_skill(ctx: StepContext, r: RequirementResult) -> NextStep | None:
    assert r.matched_skill is not None
    bullets = [e for e in r.evidence if _is_bullet(e.line_id, ctx.lines)]
    if not bullets or r.matched_skill in ctx.job.field_skills:
        return None  # a field named in a summary ("Backend engineer") is not a list item
    if load_taxonomy().category(r.matched_skill) == SOFT:
        return None  # soft skills belong in bullets, not in a skills list
    ev = bullets[0]
    surface = _surface_in(ev.text, ctx.analysis, r.matched_skill) or r.matched_skill
    return NextStep(
        kind="add_skill",
        text=f"Add {ctx.job.wording.get(r.matched_skill, r.matched_skill)} to your "
        f"skills section if you used it — {_where(ev, ctx.lines, ctx.resume)} mentions "
        f"“{surface}”.",
        skill=r.matched_skill,
        line_ids=[ev.line_id],
    )


def _use_wording(ctx: StepContext, r: RequirementResult) -> NextStep:
    assert r.matched_skill is not None
    ev_skill = ctx.analysis.skill(r.matched_skill)
    written = ev_skill.surfaces[0] if ev_skill and ev_skill.surfaces else r.matched_skill
    wanted = ctx.job.wording.get(r.matched_skill, r.matched_skill)
    return NextStep(
        kind="use_posting_wording",
        text=f"Write “{wanted}” the way the posting does (e.g. “{wanted} "
        f"({written})”): keyword filters may not know that “{written}” means "
        f"the same thing.",
        skill=r.matched_skill,
        line_ids=[e.line_id for e in r.evidence[:2]],
    )


def _evidence_gaps(ctx: StepContext) -> list[NextStep]:
    """Required and missing: a credential to list or obtain, or experience to show."""
    taxonomy = load_taxonomy()
    requirements = {r.id: r for r in ctx.job.requirements}
    steps = []
    for r in ctx.results:
        if r.status is not MatchStatus.MISSING or r.importance is not Importance.REQUIRED:
            continue
        skill = requirements[r.requirement_id].skills[0]
        entry = taxonomy.skills.get(skill)
        if entry is not None and (entry.is_certification or entry.family == "licenses and roles"):
            text = (
                f"The posting requires {r.label}. If you hold it, list it under certifications "
                f"or licenses (with its expiry date); if not, it is a credential to obtain "
                f"before applying."
            )
        elif taxonomy.category(skill) == SOFT:
            text = (
                f"The posting asks for {r.label}. If you have done this, add a bullet with a "
                f"concrete example (who, what, outcome)."
            )
        else:
            text = (
                f"The posting requires {r.label}, which your resume does not show. If you have "
                f"used it, add a bullet that says where and with what result."
            )
            certs = taxonomy.certifications_for(skill)
            if certs:
                text += f" If not, consider a certification such as {certs[0]}."
        steps.append(NextStep(kind="evidence_gap", text=text, skill=skill))
    return steps


def _name_the_skill(ctx: StepContext) -> list[NextStep]:
    """Required and only implied by related work: name it, if it is true."""
    steps = []
    for r in ctx.results:
        if r.via != "related" or r.importance is not Importance.REQUIRED or not r.matched_skill:
            continue
        via = ctx.analysis.skill(r.matched_skill)
        shown = ", ".join(via.implied_by[:2]) if via and via.implied_by else "related work"
        if shown == "demonstrated":
            shown = "what your bullets describe"
        steps.append(
            NextStep(
                kind="name_the_skill",
                text=f"{r.label} is only implied by {shown}. If it is accurate, name it "
                f"explicitly in a bullet or your skills.",
                skill=r.matched_skill,
                line_ids=[e.line_id for e in r.evidence[:2]],
            )
        )
    return steps


def _experience(ctx: StepContext) -> list[NextStep]:
    report = ctx.report
    if not report.years_required or report.years_relevant >= report.years_required:
        return []
    return [
        NextStep(
            kind="experience",
            text=f"The posting asks for {report.years_required:g}+ years; your relevant "
            f"experience reads as about {report.years_relevant:g}. Put the bullets "
            f"closest to this role first so a reviewer sees them.",
        )
    ]


def _quantify_rule(ctx: StepContext) -> list[NextStep]:
    return _quantify(ctx.lines, ctx.report)


def _missing_sections(ctx: StepContext) -> list[NextStep]:
    steps = []
    for missing in ctx.report.missing_sections:
        what = "an e-mail address or phone number" if missing == "contact details" else missing
        steps.append(
            NextStep(kind="add_section", text=f"Add {what} — screening software looks for it.")
        )
    return steps


def _title(ctx: StepContext) -> list[NextStep]:
    job = ctx.job
    if ctx.report.title_similarity >= 0.5 or not job.title or ctx.report.score < 35:
        return []
    return [
        NextStep(
            kind="title",
            text=f"Your titles differ from “{job.title}”. If it describes your work "
            f"truthfully, use the posting's words in your summary line.",
        )
    ]


def _nice_to_have(ctx: StepContext) -> list[NextStep]:
    requirements = {r.id: r for r in ctx.job.requirements}
    return [
        NextStep(
            kind="nice_to_have",
            text=f"Nice to have: {r.label}. If you have it, mention it.",
            skill=requirements[r.requirement_id].skills[0],
        )
        for r in ctx.results
        if r.status is MatchStatus.MISSING and r.importance is Importance.PREFERRED
    ]


Rule = Callable[[StepContext], list[NextStep]]

# In order of usefulness: quick truthful wins first, then real gaps, then polish.
RULES: tuple[Rule, ...] = (
    _listed_or_worded,
    _evidence_gaps,
    _name_the_skill,
    _experience,
    _quantify_rule,
    _missing_sections,
    _title,
    _nice_to_have,
)


def next_steps(ctx: StepContext) -> list[NextStep]:
    steps = [step for rule in RULES for step in rule(ctx)]
    return _dedupe(steps)[:MAX_STEPS]


def _quantify(lines: dict[str, DocLine], report: AtsReport) -> list[NextStep]:
    """Bullets without a number, the ones that back a requirement first."""
    relevant_ids = {e.line_id for r in report.requirements for e in r.evidence}
    bullets = [
        d for d in lines.values() if d.role is LineRole.BULLET and not _HAS_NUMBER.search(d.text)
    ]
    bullets.sort(key=lambda d: d.id not in relevant_ids)  # stable: document order otherwise
    out = []
    for d in bullets[:2]:
        snippet = d.text if len(d.text) <= 70 else d.text[:67].rstrip() + "…"
        out.append(
            NextStep(
                kind="quantify",
                text=f"Quantify “{snippet}”: how many, how much faster, how much saved?",
                line_ids=[d.id],
            )
        )
    return out


def _dedupe(steps: list[NextStep]) -> list[NextStep]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for step in steps:
        key = (step.kind, step.skill or step.text)
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out
