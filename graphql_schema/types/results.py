"""Typed views of the JSON artifacts a job stores (ATS reports, plan, diff, interview prep,
form data, warnings). Stored shapes stay as the engine writes them; these mappers read
them tolerantly: keys they do not know are ignored, missing ones get empty values."""

from __future__ import annotations

import re
from typing import Any

import strawberry

from app.documents.models import SectionKind
from app.services.jobs import EngineName
from app.tailoring.types import Fit, Importance, LineRole, MatchStatus, TailoredResume
from graphql_schema.types.enums import parse
from graphql_schema.types.value_sets import WarningAction

Json = dict[str, Any]


def _dicts(value: Any) -> list[Json]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strs(value: Any) -> list[str]:
    return [str(v) for v in value if v is not None] if isinstance(value, list) else []


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _float(value: Any, default: float = 0.0) -> float:
    return float(value) if isinstance(value, int | float) else default


def _opt_float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


@strawberry.type(description="A resume line that supports a claim.")
class Evidence:
    line_id: str = strawberry.field(description="Id of the line in the parsed resume.")
    text: str = strawberry.field(description="The line as written.")
    section: str = strawberry.field(description="Section key the line is in.")

    @classmethod
    def many(cls, value: Any) -> list[Evidence]:
        return [
            cls(
                line_id=str(e.get("line_id", "")),
                text=str(e.get("text", "")),
                section=str(e.get("section", "")),
            )
            for e in _dicts(value)
        ]


@strawberry.type(
    name="Warning",
    description="Something the engine, the truth guard or the parser wants the person to know.",
)
class Notice:
    code: str = strawberry.field(
        description="Stable code, e.g. NEW_SKILL, NEW_NUMBER, AI_FALLBACK_LOCAL, "
        "MODEL_SUBSTITUTED, NO_EXPERIENCE_FOUND, NO_SKILLS_FOUND."
    )
    message: str = strawberry.field(description="What happened, for people.")
    section: str | None = strawberry.field(description="Section key it concerns, if any.")
    text: str | None = strawberry.field(description="The offending text, if any.")
    action: WarningAction | None = strawberry.field(description="What was done about it.")
    line_ids: list[str] = strawberry.field(description="Resume lines involved.")

    @classmethod
    def parse(cls, value: Any) -> Notice:
        """From a guard warning dict or a 'CODE: message' string."""
        if isinstance(value, dict):
            detail = value.get("detail") or value.get("message") or value.get("text") or ""
            return cls(
                code=str(value.get("code") or "WARNING"),
                message=str(detail),
                section=_opt_str(value.get("section")),
                text=_opt_str(value.get("text")),
                action=parse(WarningAction, value.get("action"), WarningAction.OTHER)
                if value.get("action")
                else None,
                line_ids=_strs(value.get("line_ids")),
            )
        coded = _CODED.match(str(value))
        if coded is None:
            return cls(
                code="WARNING",
                message=str(value),
                section=None,
                text=None,
                action=None,
                line_ids=[],
            )
        code, operation, rest = coded.groups()
        return cls(
            code=code,
            message=f"{operation}: {rest}" if operation else rest,
            section=None,
            text=rest if operation else None,
            action=None,
            line_ids=[],
        )

    @classmethod
    def many(cls, value: Any) -> list[Notice]:
        return [cls.parse(v) for v in value] if isinstance(value, list) else []

    def key(self) -> tuple[str, str]:
        """The same finding reported twice (job warning and artifact) has the same key."""
        return self.code, " ".join((self.text or self.message).lower().split())


def unique(notices: list[Notice]) -> list[Notice]:
    seen: set[tuple[str, str]] = set()
    out = []
    for notice in notices:
        if notice.key() not in seen:
            seen.add(notice.key())
            out.append(notice)
    return out


# 'CODE: message' or 'CODE (operation): text', as the engines write job warnings.
_CODED = re.compile(r"^([A-Z][A-Z0-9_]{2,})(?:\s*\(([^)]*)\))?:\s*(.*)$", re.S)


@strawberry.type(description="One part of the ATS score.")
class ScoreComponent:
    key: str = strawberry.field(description="Stable key, e.g. required_skills, keywords.")
    label: str = strawberry.field(description="Readable name.")
    weight: float = strawberry.field(description="Share of the total score, 0-1.")
    value: float = strawberry.field(description="How well this part is met, 0-1.")
    points: float = strawberry.field(description="Contribution to the 0-100 score.")
    applicable: bool = strawberry.field(description="False when the posting does not ask.")
    detail: str = strawberry.field(description="Why it scored so.")


@strawberry.type(description="How the resume meets one requirement of the posting.")
class RequirementResult:
    requirement_id: str = strawberry.field(description="Requirement id within the analysis.")
    label: str = strawberry.field(description="The requirement, e.g. 'Python or Go'.")
    importance: Importance = strawberry.field(description="Required or preferred.")
    status: MatchStatus = strawberry.field(description="Matched, implied or missing.")
    credit: float = strawberry.field(description="Credit given, 0-1.")
    matched_skill: str | None = strawberry.field(description="The skill that met it.")
    via: str = strawberry.field(description="How it was found (skills_section, text, alias...).")
    evidence: list[Evidence] = strawberry.field(description="Lines that show it.")
    note: str = strawberry.field(description="Extra explanation.")


@strawberry.type(description="An applicant-tracking-system style score of a resume for a job.")
class AtsReport:
    score: int = strawberry.field(description="0-100.")
    fit: Fit = strawberry.field(description="Overall fit.")
    components: list[ScoreComponent] = strawberry.field(description="Parts of the score.")
    requirements: list[RequirementResult] = strawberry.field(description="Per requirement.")
    matched: list[str] = strawberry.field(description="Requirements stated explicitly.")
    implied: list[str] = strawberry.field(description="Requirements only implied.")
    missing: list[str] = strawberry.field(description="Requirements not shown.")
    missing_required: list[str] = strawberry.field(description="Missing must-haves.")
    years_required: float | None = strawberry.field(description="Years the posting asks for.")
    years_relevant: float = strawberry.field(description="Relevant years on the resume.")
    years_total: float = strawberry.field(description="Total years on the resume.")
    title_similarity: float = strawberry.field(description="Job title similarity, 0-1.")
    keywords_matched: list[str] = strawberry.field(description="Posting keywords found.")
    keywords_missing: list[str] = strawberry.field(description="Posting keywords not found.")
    missing_sections: list[str] = strawberry.field(description="Expected sections absent.")

    @classmethod
    def parse(cls, data: Any) -> AtsReport | None:
        if not isinstance(data, dict):
            return None
        return cls(
            score=int(_float(data.get("score"))),
            fit=parse(Fit, data.get("fit"), Fit.POOR),
            components=[_component(c) for c in _dicts(data.get("components"))],
            requirements=[_requirement(r) for r in _dicts(data.get("requirements"))],
            matched=_strs(data.get("matched")),
            implied=_strs(data.get("implied")),
            missing=_strs(data.get("missing")),
            missing_required=_strs(data.get("missing_required")),
            years_required=_opt_float(data.get("years_required")),
            years_relevant=_float(data.get("years_relevant")),
            years_total=_float(data.get("years_total")),
            title_similarity=_float(data.get("title_similarity")),
            keywords_matched=_strs(data.get("keywords_matched")),
            keywords_missing=_strs(data.get("keywords_missing")),
            missing_sections=_strs(data.get("missing_sections")),
        )


def _component(c: Json) -> ScoreComponent:
    return ScoreComponent(
        key=str(c.get("key", "")),
        label=str(c.get("label", "")),
        weight=_float(c.get("weight")),
        value=_float(c.get("value")),
        points=_float(c.get("points")),
        applicable=bool(c.get("applicable", True)),
        detail=str(c.get("detail", "")),
    )


def _requirement(r: Json) -> RequirementResult:
    return RequirementResult(
        requirement_id=str(r.get("requirement_id", "")),
        label=str(r.get("label", "")),
        importance=parse(Importance, r.get("importance"), Importance.PREFERRED),
        status=parse(MatchStatus, r.get("status"), MatchStatus.MISSING),
        credit=_float(r.get("credit")),
        matched_skill=_opt_str(r.get("matched_skill")),
        via=str(r.get("via", "")),
        evidence=Evidence.many(r.get("evidence")),
        note=str(r.get("note", "")),
    )


@strawberry.type(description="Something the resume already shows well for this job.")
class Strength:
    label: str = strawberry.field(description="Short name.")
    detail: str = strawberry.field(description="Explanation.")
    evidence: list[Evidence] = strawberry.field(description="Lines that show it.")


@strawberry.type(description="Something the job asks for that the resume does not show.")
class Gap:
    label: str = strawberry.field(description="Short name.")
    importance: Importance = strawberry.field(description="Required or preferred.")
    skills: list[str] = strawberry.field(description="Skills that would close it.")
    detail: str = strawberry.field(description="Explanation.")
    related_evidence: list[Evidence] = strawberry.field(description="Lines that come close.")


@strawberry.type(description="A suggested next step for the person.")
class NextStep:
    kind: str = strawberry.field(
        description="add_skill, use_posting_wording, evidence_gap, certification, quantify ..."
    )
    text: str = strawberry.field(description="What to do.")
    skill: str | None = strawberry.field(description="The skill concerned, if any.")
    line_ids: list[str] = strawberry.field(description="Resume lines concerned.")


@strawberry.type(description="The tailoring plan: fit, strengths, gaps and next steps.")
class Plan:
    job_title: str | None = strawberry.field(description="Title of the target job.")
    company: str | None = strawberry.field(description="Hiring company.")
    fit: Fit = strawberry.field(description="Overall fit.")
    score: int = strawberry.field(description="ATS score of the original resume, 0-100.")
    summary: str = strawberry.field(description="One-paragraph assessment.")
    strengths: list[Strength] = strawberry.field(description="What already fits.")
    gaps: list[Gap] = strawberry.field(description="What is missing.")
    next_steps: list[NextStep] = strawberry.field(description="What to do next.")
    ats: AtsReport | None = strawberry.field(description="The ATS report the plan rests on.")
    keywords: list[str] = strawberry.field(description="Keywords to use.")
    engine: EngineName = strawberry.field(description="Engine that wrote the plan.")

    @classmethod
    def parse(cls, data: Any) -> Plan | None:
        if not isinstance(data, dict):
            return None
        return cls(
            job_title=_opt_str(data.get("job_title")),
            company=_opt_str(data.get("company")),
            fit=parse(Fit, data.get("fit"), Fit.POOR),
            score=int(_float(data.get("score"))),
            summary=str(data.get("summary", "")),
            strengths=[
                Strength(
                    label=str(s.get("label", "")),
                    detail=str(s.get("detail", "")),
                    evidence=Evidence.many(s.get("evidence")),
                )
                for s in _dicts(data.get("strengths"))
            ],
            gaps=[_gap(g) for g in _dicts(data.get("gaps"))],
            next_steps=[
                NextStep(
                    kind=str(n.get("kind", "")),
                    text=str(n.get("text", "")),
                    skill=_opt_str(n.get("skill")),
                    line_ids=_strs(n.get("line_ids")),
                )
                for n in _dicts(data.get("next_steps"))
            ],
            ats=AtsReport.parse(data.get("ats")),
            keywords=_strs(data.get("keywords")),
            engine=parse(EngineName, data.get("engine"), EngineName.LOCAL),
        )


def _gap(g: Json) -> Gap:
    return Gap(
        label=str(g.get("label", "")),
        importance=parse(Importance, g.get("importance"), Importance.PREFERRED),
        skills=_strs(g.get("skills")),
        detail=str(g.get("detail", "")),
        related_evidence=Evidence.many(g.get("related_evidence")),
    )


@strawberry.type(description="A line of a tailored section and the resume lines it came from.")
class TailoredLine:
    text: str = strawberry.field(description="The line.")
    role: LineRole = strawberry.field(description="What the line is.")
    source_line_ids: list[str] = strawberry.field(
        description="Resume lines it was made from; empty when the engine added it."
    )


@strawberry.type(description="A section of a tailored (or accepted) resume.")
class TailoredSection:
    section: str = strawberry.field(
        description="Section key, as `accept` takes it: the kind, numbered from the second "
        "of a kind (experience, other:2)."
    )
    kind: SectionKind = strawberry.field(description="Canonical kind.")
    heading: str = strawberry.field(description="Heading as shown.")
    lines: list[TailoredLine] = strawberry.field(description="Lines in order.")

    @classmethod
    def many(cls, resume: TailoredResume | None) -> list[TailoredSection]:
        """The resume's sections, each keyed as `accept` takes it; none without a resume."""
        sections = resume.sections if resume is not None else []
        keys = section_keys([s.kind.value for s in sections])
        return [
            cls(
                section=key,
                kind=s.kind,
                heading=s.heading,
                lines=[
                    TailoredLine(text=ln.text, role=ln.role, source_line_ids=ln.source_line_ids)
                    for ln in s.lines
                ],
            )
            for key, s in zip(keys, sections, strict=True)
        ]


def section_keys(kinds: list[str]) -> list[str]:
    """The keys `accept` uses (app.tailoring.acceptance.section_keys) for kinds in order."""
    seen: dict[str, int] = {}
    keys = []
    for kind in kinds:
        seen[kind] = seen.get(kind, 0) + 1
        keys.append(kind if seen[kind] == 1 else f"{kind}:{seen[kind]}")
    return keys
