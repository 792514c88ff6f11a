"""Typed views of the diff, interview prep and form-data artifacts (see results.py for the
reading rules: stored shapes untouched, unknown keys ignored)."""

from __future__ import annotations

from typing import Any

import strawberry

from app.documents.models import SectionKind
from app.tailoring.types import ChangeType
from graphql_schema.types.documents import EducationItem, FormJob
from graphql_schema.types.enums import parse
from graphql_schema.types.results import (
    Evidence,
    Json,
    Notice,
    _dicts,
    _float,
    _opt_str,
    _strs,
)
from graphql_schema.types.value_sets import InterviewCategory


@strawberry.type(description="How one section changed between the original and the tailoring.")
class SectionDiff:
    section: str = strawberry.field(
        description="Section key, identical to what `accept` takes in SectionChoiceInput."
    )
    kind: SectionKind = strawberry.field(description="Canonical kind.")
    heading: str = strawberry.field(description="Heading as shown.")
    change: ChangeType = strawberry.field(description="What kind of change.")
    before: list[str] = strawberry.field(description="Lines of the original section.")
    after: list[str] = strawberry.field(description="Lines of the tailored section.")
    left_out: list[str] = strawberry.field(
        description="Original lines the tailored section leaves out (empty if not reported)."
    )
    position_before: int | None = strawberry.field(description="Index in the original.")
    position_after: int | None = strawberry.field(description="Index in the tailored resume.")
    warnings: list[Notice] = strawberry.field(description="Truth-guard findings here.")


def _rank_keys(entries: list[Json], position: str) -> dict[int, str]:
    """entry index -> section key, numbering same-kind sections by `position`."""
    placed = [(e.get(position), i) for i, e in enumerate(entries) if e.get(position) is not None]
    seen: dict[str, int] = {}
    keys: dict[int, str] = {}
    for _pos, i in sorted(placed, key=lambda p: int(p[0] or 0)):
        kind = str(entries[i].get("kind", "other"))
        seen[kind] = seen.get(kind, 0) + 1
        keys[i] = kind if seen[kind] == 1 else f"{kind}:{seen[kind]}"
    return keys


def parse_diff(value: Any) -> list[SectionDiff]:
    """The diff pairs the n-th section of a kind on each side, and `accept` numbers
    sections the same way, so a tailored section's key is its rank by `position_after`;
    a removed one's, its rank in the original."""
    entries = _dicts(value)
    after_keys = _rank_keys(entries, "position_after")
    before_keys = _rank_keys(entries, "position_before")
    out = []
    for i, e in enumerate(entries):
        key = e.get("section") or after_keys.get(i) or before_keys.get(i) or str(e.get("kind"))
        left_out = e.get("left_out", e.get("omitted", []))
        out.append(
            SectionDiff(
                section=str(key),
                kind=parse(SectionKind, e.get("kind"), SectionKind.OTHER),
                heading=str(e.get("heading", "")),
                change=parse(ChangeType, e.get("change"), ChangeType.REWRITTEN),
                before=_strs(e.get("before")),
                after=_strs(e.get("after")),
                left_out=[
                    str(x.get("text", "")) if isinstance(x, dict) else str(x) for x in left_out
                ]
                if isinstance(left_out, list)
                else [],
                position_before=_int_or_none(e.get("position_before")),
                position_after=_int_or_none(e.get("position_after")),
                warnings=Notice.many(e.get("warnings")),
            )
        )
    return out


def _int_or_none(value: Any) -> int | None:
    return int(value) if isinstance(value, int) else None


@strawberry.type(description="A likely interview question and how to answer it.")
class InterviewQuestion:
    question: str = strawberry.field(description="The question.")
    category: InterviewCategory = strawberry.field(description="What the question probes.")
    requirement: str | None = strawberry.field(description="Requirement it probes, if any.")
    evidence: list[Evidence] = strawberry.field(description="Resume lines to draw on.")
    tip: str = strawberry.field(description="How to approach the answer.")


@strawberry.type(description="Interview preparation for the target job.")
class InterviewPrep:
    questions: list[InterviewQuestion] = strawberry.field(description="Likely questions.")
    job_title: str | None = strawberry.field(description="Title of the target job.")
    company: str | None = strawberry.field(description="Hiring company.")

    @classmethod
    def parse(cls, data: Any) -> InterviewPrep | None:
        if not isinstance(data, dict):
            return None
        return cls(
            questions=[
                InterviewQuestion(
                    question=str(q.get("question", "")),
                    category=parse(InterviewCategory, q.get("category"), InterviewCategory.OTHER),
                    requirement=_opt_str(q.get("requirement")),
                    evidence=Evidence.many(q.get("evidence")),
                    tip=str(q.get("tip", "")),
                )
                for q in _dicts(data.get("questions"))
            ],
            job_title=_opt_str(data.get("job_title")),
            company=_opt_str(data.get("company")),
        )


@strawberry.type(description="Profile links found in the resume, by kind.")
class FormLinks:
    linkedin: str | None = strawberry.field(description="LinkedIn profile.")
    github: str | None = strawberry.field(description="GitHub or GitLab profile.")
    website: str | None = strawberry.field(description="Personal website.")
    other: list[str] = strawberry.field(description="Any other links.")


@strawberry.type(description="A school entry, as application forms ask for it.")
class FormEducation(EducationItem):
    """The parsed resume's EducationItem under the name form data has always used, so
    queries with fragments on FormEducation keep working."""


@strawberry.type(description="Facts job application forms ask for, to auto-fill them.")
class FormData:
    name: str | None = strawberry.field(description="Full name.")
    first_name: str | None = strawberry.field(description="Given name.")
    last_name: str | None = strawberry.field(description="Family name.")
    email: str | None = strawberry.field(description="E-mail address.")
    phone: str | None = strawberry.field(description="Phone number.")
    location: str | None = strawberry.field(description="Location.")
    links: FormLinks = strawberry.field(description="Profile links.")
    current_title: str | None = strawberry.field(description="Current job title.")
    current_employer: str | None = strawberry.field(description="Current employer.")
    years_experience: float = strawberry.field(description="Total years of experience.")
    work_history: list[FormJob] = strawberry.field(description="Jobs, newest first as written.")
    education: list[FormEducation] = strawberry.field(description="Education entries.")
    skills: list[str] = strawberry.field(description="Skills stated.")
    certifications: list[str] = strawberry.field(description="Certifications.")
    languages: list[str] = strawberry.field(description="Spoken languages.")

    @classmethod
    def parse(cls, data: Any) -> FormData | None:
        if not isinstance(data, dict):
            return None
        found = data.get("links")
        links: Json = found if isinstance(found, dict) else {}
        return cls(
            name=_opt_str(data.get("name")),
            first_name=_opt_str(data.get("first_name")),
            last_name=_opt_str(data.get("last_name")),
            email=_opt_str(data.get("email")),
            phone=_opt_str(data.get("phone")),
            location=_opt_str(data.get("location")),
            links=FormLinks(
                linkedin=_opt_str(links.get("linkedin")),
                github=_opt_str(links.get("github")),
                website=_opt_str(links.get("website")),
                other=_strs(links.get("other")),
            ),
            current_title=_opt_str(data.get("current_title")),
            current_employer=_opt_str(data.get("current_employer")),
            years_experience=_float(data.get("years_experience")),
            work_history=[
                FormJob(
                    **{
                        k: _opt_str(j.get(k))
                        for k in ("employer", "title", "location", "start", "end")
                    }
                )
                for j in _dicts(data.get("work_history"))
            ],
            education=[
                FormEducation(
                    **{
                        k: _opt_str(e.get(k))
                        for k in ("school", "degree", "field_of_study", "year")
                    }
                )
                for e in _dicts(data.get("education"))
            ],
            skills=_strs(data.get("skills")),
            certifications=_strs(data.get("certifications")),
            languages=_strs(data.get("languages")),
        )
