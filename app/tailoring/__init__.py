"""Resume tailoring: the local (deterministic, offline) engine and the shared result types.

    from app.tailoring import LocalEngine, Strategy, guard

    engine = LocalEngine()
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan, Strategy.DEFAULT)
    evaluation = engine.evaluate(resume, job, tailored)   # ATS before/after, diff, warnings
    letter = engine.cover_letter(resume, job, plan)
    print(tailored.to_markdown())

`guard(original, tailored)` checks any engine's output (e.g. an LLM's) for invented facts.
"""

from app.tailoring.diff import diff_sections
from app.tailoring.engine import LocalEngine, OffloadedLocalEngine, TailoringEngine
from app.tailoring.guard import guard, guard_text
from app.tailoring.render import render_html, render_markdown, render_text
from app.tailoring.types import (
    AtsReport,
    ChangeType,
    CoverLetter,
    Evaluation,
    Evidence,
    Fit,
    Gap,
    GuardResult,
    GuardWarning,
    Importance,
    InterviewPrep,
    InterviewQuestion,
    JobAnalysis,
    LineRole,
    MatchStatus,
    NextStep,
    Plan,
    Requirement,
    RequirementResult,
    ResumeAnalysis,
    ScoreComponent,
    SectionDiff,
    Seniority,
    SkillEvidence,
    Strategy,
    Strength,
    TailoredLine,
    TailoredResume,
    TailoredSection,
    TextGuardResult,
)

__all__ = [
    "AtsReport",
    "ChangeType",
    "CoverLetter",
    "Evaluation",
    "Evidence",
    "Fit",
    "Gap",
    "GuardResult",
    "GuardWarning",
    "Importance",
    "InterviewPrep",
    "InterviewQuestion",
    "JobAnalysis",
    "LineRole",
    "LocalEngine",
    "MatchStatus",
    "NextStep",
    "OffloadedLocalEngine",
    "Plan",
    "Requirement",
    "RequirementResult",
    "ResumeAnalysis",
    "ScoreComponent",
    "SectionDiff",
    "Seniority",
    "SkillEvidence",
    "Strategy",
    "Strength",
    "TailoredLine",
    "TailoredResume",
    "TailoredSection",
    "TailoringEngine",
    "TextGuardResult",
    "diff_sections",
    "guard",
    "guard_text",
    "render_html",
    "render_markdown",
    "render_text",
]
