"""The tailoring plan: where the resume already fits, what is missing, what to do next.

Every strength cites the resume lines it comes from; every next step is something the
person can do in a few minutes ("add Helm to your skills — your Lumen Freight bullet
mentions Helm charts") or a direction for a real gap (a certification, a bullet to write).
Nothing here invents experience: gaps are reported, never papered over.
"""

from __future__ import annotations

import re

from app.documents.models import ResumeDocument
from app.tailoring.resume_analysis import DocLine
from app.tailoring.taxonomy import SOFT, load_taxonomy
from app.tailoring.types import (
    AtsReport,
    Evidence,
    Fit,
    Gap,
    Importance,
    JobAnalysis,
    LineRole,
    MatchStatus,
    NextStep,
    Plan,
    RequirementResult,
    ResumeAnalysis,
    Strength,
)

_HAS_NUMBER = re.compile(r"\d")
MAX_STEPS = 10


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


def build_plan(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    report: AtsReport,
    lines: list[DocLine],
) -> Plan:
    by_id = {d.id: d for d in lines}
    results = report.requirements
    strengths = _strengths(results, report, analysis)
    gaps = _gaps(results, job, analysis, report)
    steps = _next_steps(resume, job, analysis, report, by_id)
    return Plan(
        job_title=job.title,
        company=job.company,
        fit=report.fit,
        score=report.score,
        summary=_summary(job, report, gaps),
        strengths=strengths,
        gaps=gaps,
        next_steps=steps,
        ats=report,
        keywords=list(job.keywords),
    )


def _summary(job: JobAnalysis, report: AtsReport, gaps: list[Gap]) -> str:
    role = job.title or "this role"
    at = f" at {job.company}" if job.company else ""
    required = [r for r in report.requirements if r.importance is Importance.REQUIRED]
    preferred = [r for r in report.requirements if r.importance is Importance.PREFERRED]
    shown = sum(1 for r in required if r.status is not MatchStatus.MISSING)
    shown_pref = sum(1 for r in preferred if r.status is not MatchStatus.MISSING)
    fit_word = {Fit.STRONG: "Strong", Fit.PARTIAL: "Partial", Fit.POOR: "Weak"}[report.fit]
    parts = [f"{fit_word} fit for {role}{at} (ATS-style score {report.score}/100)."]
    if required:
        parts.append(
            f"Your resume shows {shown} of {len(required)} required qualifications"
            + (f" and {shown_pref} of {len(preferred)} preferred ones." if preferred else ".")
        )
    else:
        parts.append(
            "The posting lists no explicit requirements; the score leans on titles, "
            "keywords and resume structure."
        )
    required_gaps = [g.label for g in gaps if g.importance is Importance.REQUIRED]
    if required_gaps:
        parts.append("Main gaps: " + ", ".join(required_gaps[:4]) + ".")
    if report.years_required and report.years_relevant < report.years_required:
        parts.append(
            f"Relevant experience comes to about {report.years_relevant:g} years against "
            f"{report.years_required:g}+ asked."
        )
    return " ".join(parts)


def _strengths(
    results: list[RequirementResult], report: AtsReport, analysis: ResumeAnalysis
) -> list[Strength]:
    out: list[Strength] = []
    ordered = sorted(
        (r for r in results if r.credit >= 0.5),
        key=lambda r: (r.importance is not Importance.REQUIRED, -r.credit),
    )
    for r in ordered:
        kind = "Required" if r.importance is Importance.REQUIRED else "Nice to have"
        out.append(Strength(label=r.label, detail=f"{kind}: {r.note}.", evidence=r.evidence))
    if report.years_required and report.years_relevant >= report.years_required:
        out.append(
            Strength(
                label=f"{report.years_required:g}+ years",
                detail=f"About {report.years_relevant:g} years in relevant roles "
                f"({analysis.total_years:g} in total).",
            )
        )
    if report.title_similarity >= 0.6 and analysis.current_title:
        out.append(
            Strength(
                label="Title alignment",
                detail=f"Your title “{analysis.current_title}” is close to the posting's.",
            )
        )
    return out


def _gaps(
    results: list[RequirementResult],
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    report: AtsReport,
) -> list[Gap]:
    taxonomy = load_taxonomy()
    requirements = {r.id: r for r in job.requirements}
    out: list[Gap] = []
    for r in results:
        if r.status is not MatchStatus.MISSING:
            continue
        req = requirements[r.requirement_id]
        related: list[Evidence] = []
        # Transferable evidence: resume skills that share a broader skill with the gap.
        broader = {b for s in req.skills for b in taxonomy.implied(s)}
        for ev in analysis.skills:
            if not ev.mentioned or ev.skill in req.skills:
                continue
            if broader & set(taxonomy.implied(ev.skill)) - {"Cloud computing"}:
                related.extend(e for e in ev.evidence[:1] if e not in related)
            if len(related) >= 2:
                break
        kind = "required" if r.importance is Importance.REQUIRED else "nice to have"
        out.append(
            Gap(
                label=r.label,
                importance=r.importance,
                skills=list(req.skills),
                detail=f"The posting lists {r.label} as {kind}; your resume does not show it.",
                related_evidence=related,
            )
        )
    out.sort(key=lambda g: g.importance is not Importance.REQUIRED)
    return out


def _next_steps(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    report: AtsReport,
    lines: dict[str, DocLine],
) -> list[NextStep]:
    taxonomy = load_taxonomy()
    requirements = {r.id: r for r in job.requirements}
    steps: list[NextStep] = []
    results = sorted(report.requirements, key=lambda r: r.importance is not Importance.REQUIRED)
    for r in results:
        if r.via == "text" and r.matched_skill and r.evidence:
            bullets = [e for e in r.evidence if _is_bullet(e.line_id, lines)]
            if not bullets or r.matched_skill in job.field_skills:
                continue  # a field named in a summary ("Backend engineer") is not a list item
            ev = bullets[0]
            surface = _surface_in(ev.text, analysis, r.matched_skill) or r.matched_skill
            if taxonomy.category(r.matched_skill) == SOFT:
                continue  # soft skills belong in bullets, not in a skills list
            steps.append(
                NextStep(
                    kind="add_skill",
                    text=f"Add {job.wording.get(r.matched_skill, r.matched_skill)} to your "
                    f"skills section if you used it — {_where(ev, lines, resume)} mentions "
                    f"“{surface}”.",
                    skill=r.matched_skill,
                    line_ids=[ev.line_id],
                )
            )
        elif r.via == "alias" and r.matched_skill and r.matched_skill not in job.field_skills:
            ev_skill = analysis.skill(r.matched_skill)
            written = ev_skill.surfaces[0] if ev_skill and ev_skill.surfaces else r.matched_skill
            wanted = job.wording.get(r.matched_skill, r.matched_skill)
            steps.append(
                NextStep(
                    kind="use_posting_wording",
                    text=f"Write “{wanted}” the way the posting does (e.g. “{wanted} "
                    f"({written})”): keyword filters may not know that “{written}” means "
                    f"the same thing.",
                    skill=r.matched_skill,
                    line_ids=[e.line_id for e in r.evidence[:2]],
                )
            )
    for r in results:
        if r.status is not MatchStatus.MISSING or r.importance is not Importance.REQUIRED:
            continue
        skill = requirements[r.requirement_id].skills[0]
        certs = taxonomy.certifications_for(skill)
        entry = taxonomy.skills.get(skill)
        credential = entry is not None and (
            entry.is_certification or entry.family == "licenses and roles"
        )
        if credential:
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
            if certs:
                text += f" If not, consider a certification such as {certs[0]}."
        steps.append(NextStep(kind="evidence_gap", text=text, skill=skill))
    for r in results:
        if r.via == "related" and r.importance is Importance.REQUIRED and r.matched_skill:
            via = analysis.skill(r.matched_skill)
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
    if report.years_required and report.years_relevant < report.years_required:
        steps.append(
            NextStep(
                kind="experience",
                text=f"The posting asks for {report.years_required:g}+ years; your relevant "
                f"experience reads as about {report.years_relevant:g}. Put the bullets "
                f"closest to this role first so a reviewer sees them.",
            )
        )
    steps.extend(_quantify(lines, report))
    for missing in report.missing_sections:
        what = "an e-mail address or phone number" if missing == "contact details" else missing
        steps.append(
            NextStep(
                kind="add_section",
                text=f"Add {what} — screening software looks for it.",
            )
        )
    if report.title_similarity < 0.5 and job.title and report.score >= 35:
        steps.append(
            NextStep(
                kind="title",
                text=f"Your titles differ from “{job.title}”. If it describes your work "
                f"truthfully, use the posting's words in your summary line.",
            )
        )
    for r in results:
        if r.status is MatchStatus.MISSING and r.importance is Importance.PREFERRED:
            steps.append(
                NextStep(
                    kind="nice_to_have",
                    text=f"Nice to have: {r.label}. If you have it, mention it.",
                    skill=requirements[r.requirement_id].skills[0],
                )
            )
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
