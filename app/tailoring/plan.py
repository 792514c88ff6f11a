"""The tailoring plan: where the resume already fits, what is missing, what to do next.

Every strength cites the resume lines it comes from; every next step is something the
person can do in a few minutes ("add Helm to your skills — your Lumen Freight bullet
mentions Helm charts") or a direction for a real gap (a certification, a bullet to write).
Nothing here invents experience: gaps are reported, never papered over.
"""

from __future__ import annotations

from app.documents.models import ResumeDocument
from app.tailoring.next_steps import StepContext, next_steps
from app.tailoring.resume_analysis import DocLine
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.types import (
    AtsReport,
    Evidence,
    Fit,
    Gap,
    Importance,
    JobAnalysis,
    MatchStatus,
    Plan,
    RequirementResult,
    ResumeAnalysis,
    Strength,
)


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
    steps = next_steps(StepContext(resume, job, analysis, report, by_id))
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
