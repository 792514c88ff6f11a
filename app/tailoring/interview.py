"""Interview preparation: likely questions per requirement and per gap.

Each question points at the resume line to build the answer on, so preparation starts from
what the person actually did; gap questions come with an honest way to answer them.
"""

from __future__ import annotations

from app.tailoring.taxonomy import SOFT, load_taxonomy
from app.tailoring.types import (
    Evidence,
    Importance,
    InterviewPrep,
    InterviewQuestion,
    JobAnalysis,
    MatchStatus,
    Plan,
    ResumeAnalysis,
    Seniority,
)

MAX_QUESTIONS = 14
MAX_REQUIREMENT_QUESTIONS = 8
_TECH = frozenset({"software", "data", "devops", "cloud", "security", "mechanical"})
_CLINICAL = frozenset({"healthcare"})


def _question_for(label: str, skill: str | None) -> str:
    category = load_taxonomy().category(skill) if skill else "other"
    if category in _TECH:
        return (
            f"Tell me about a project where you used {label}. What problem did it solve, and "
            f"what trade-offs did you make?"
        )
    if category in _CLINICAL or category == "certification":
        return (
            f"Describe a situation where you relied on {label}. What did you do, and what "
            f"was the outcome for the patient or team?"
        )
    if category == SOFT:
        return f"Give me a recent example that shows {label.lower()}. What was the result?"
    return f"How have you applied {label} in your work? Walk me through a concrete example."


def _tip(evidence: list[Evidence]) -> str:
    stories = [e for e in evidence if e.section in ("experience", "projects", "volunteer")]
    if not stories:
        if evidence:
            return (
                "Your resume lists this but no bullet shows it in action; prepare one concrete "
                "example: situation, what you did, measurable result."
            )
        return "Prepare one concrete example: situation, what you did, measurable result."
    text = stories[0].text.strip()
    return (
        f"Build your answer on “{text}”: the situation, what you did yourself, and the "
        f"result — with the numbers."
    )


def _requirement_questions(job: JobAnalysis, plan: Plan) -> list[InterviewQuestion]:
    results = sorted(
        plan.ats.requirements, key=lambda r: (r.importance is not Importance.REQUIRED, -r.credit)
    )
    out: list[InterviewQuestion] = []
    for r in results:
        if r.status is MatchStatus.MISSING:
            continue
        if r.importance is Importance.PREFERRED and len(out) >= MAX_REQUIREMENT_QUESTIONS:
            continue
        subject = r.matched_skill if r.matched_skill else r.label
        out.append(
            InterviewQuestion(
                question=_question_for(job.wording.get(subject, subject), r.matched_skill),
                category="requirement",
                requirement=r.label,
                evidence=r.evidence[:2],
                tip=_tip(r.evidence),
            )
        )
    return out


def _gap_questions(plan: Plan) -> list[InterviewQuestion]:
    out = []
    for gap in plan.gaps:
        if gap.importance is not Importance.REQUIRED:
            continue
        related = gap.related_evidence
        tip = "Be honest that you have not used it in a role yet"
        if related:
            tip += f"; point to the closest experience (“{related[0].text.strip()}”)"
        tip += " and say concretely how you would get up to speed."
        out.append(
            InterviewQuestion(
                question=f"This role needs {gap.label}. What is your experience with it, and "
                f"how would you close the gap?",
                category="gap",
                requirement=gap.label,
                evidence=related[:2],
                tip=tip,
            )
        )
    return out


def _story_question(plan: Plan) -> list[InterviewQuestion]:
    stories = [
        e
        for s in plan.strengths
        for e in s.evidence
        if e.section == "experience" and any(ch.isdigit() for ch in e.text)
    ]
    if not stories:
        return []
    line = stories[0]
    return [
        InterviewQuestion(
            question=f"Walk me through this: “{line.text.strip()}”. What was your role, and "
            f"how did you measure success?",
            category="experience",
            evidence=[line],
            tip="Expect follow-ups on your personal contribution and on what you would do "
            "differently.",
        )
    ]


def _leadership_question(job: JobAnalysis, analysis: ResumeAnalysis) -> list[InterviewQuestion]:
    if job.seniority not in (Seniority.LEAD, Seniority.PRINCIPAL, Seniority.SENIOR):
        return []
    leadership = analysis.skill("Leadership") or analysis.skill("Mentoring")
    evidence = leadership.evidence[:1] if leadership else []
    return [
        InterviewQuestion(
            question="When did you last lead others through a difficult decision or "
            "disagreement, and how did it turn out?",
            category="behavioural",
            evidence=evidence,
            tip=_tip(evidence),
        )
    ]


def _role_question(job: JobAnalysis) -> InterviewQuestion:
    role = f"the {job.title} role" if job.title else "this role"
    company = f" at {job.company}" if job.company else ""
    priorities = job.keywords[:3] or [r.label for r in job.requirements][:3]
    return InterviewQuestion(
        question=f"Why are you interested in {role}{company}?",
        category="role",
        tip="Connect two or three of the posting's priorities ("
        + ", ".join(priorities)
        + ") to work you have already done.",
    )


def interview_questions(job: JobAnalysis, analysis: ResumeAnalysis, plan: Plan) -> InterviewPrep:
    questions = [
        *_requirement_questions(job, plan),
        *_gap_questions(plan),
        *_story_question(plan),
        *_leadership_question(job, analysis),
        _role_question(job),
    ]
    return InterviewPrep(
        questions=questions[:MAX_QUESTIONS], job_title=job.title, company=job.company
    )
