"""Typed, serialisable results of document parsing.

These dataclasses are the contract between `app.documents` (bytes -> documents) and
`app.tailoring` (documents -> plan, tailored resume, letter, scores). They are plain data:
no I/O, JSON-serialisable through `to_dict` / `from_dict` (app/documents/serde.py) so
services can store them in Postgres (JSONB) and workers can reload them without re-parsing.

Every extracted item keeps where it came from: `Line.id` is stable ("L0", "L1", ...) and
indexes `ResumeDocument.lines`; `SourceSpan` gives the line number and character offsets in
`ResumeDocument.text`. Tailored output refers back to these ids.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from app.documents.serde import rebuild, to_dict


class SectionKind(str, enum.Enum):
    """Canonical resume section; the original heading text is kept on `Section.heading`."""

    CONTACT = "contact"  # the lines above the first heading (name, contact details)
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    LANGUAGES = "languages"
    VOLUNTEER = "volunteer"
    OTHER = "other"


class JobSectionKind(str, enum.Enum):
    """Canonical job-posting section."""

    ABOUT = "about"
    RESPONSIBILITIES = "responsibilities"
    REQUIREMENTS = "requirements"  # must-have
    PREFERRED = "preferred"  # nice-to-have / bonus
    BENEFITS = "benefits"
    OTHER = "other"


class RemotePolicy(str, enum.Enum):
    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"


@dataclass(frozen=True)
class SourceSpan:
    """Where an item came from: 0-based line number and [start, end) offsets in the text."""

    line: int
    start: int
    end: int


@dataclass
class Line:
    """One logical line of the source (a wrapped bullet is joined into one line)."""

    id: str
    text: str
    span: SourceSpan
    is_bullet: bool = False


@dataclass
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = field(default_factory=list)
    line_ids: list[str] = field(default_factory=list)


@dataclass
class ExperienceEntry:
    employer: str | None
    title: str | None
    location: str | None = None
    start_text: str | None = None  # as written, e.g. "Mar 2021"
    end_text: str | None = None  # as written, e.g. "Present"
    start: str | None = None  # normalised "YYYY-MM" or "YYYY"
    end: str | None = None  # normalised "YYYY-MM", "YYYY" or "present"
    header_line_ids: list[str] = field(default_factory=list)
    bullets: list[Line] = field(default_factory=list)


@dataclass
class EducationEntry:
    school: str | None
    degree: str | None = None
    field_of_study: str | None = None
    year: str | None = None
    line_ids: list[str] = field(default_factory=list)


@dataclass
class SkillGroup:
    """Skills as written; `name` is the group label ("Languages") when the resume groups."""

    name: str | None
    skills: list[str]
    line_id: str | None = None


@dataclass
class Section:
    kind: SectionKind
    heading: str  # original heading text ("Employment History"); "" for CONTACT
    lines: list[Line] = field(default_factory=list)  # every line of the section body
    experience: list[ExperienceEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)
    skill_groups: list[SkillGroup] = field(default_factory=list)
    heading_line_id: str | None = None


@dataclass
class ResumeDocument:
    text: str  # normalised full text (reading order), what spans point into
    lines: list[Line]
    contact: Contact
    sections: list[Section]
    source_format: str  # "pdf" | "docx" | "markdown" | "text"
    warnings: list[str] = field(default_factory=list)
    page_count: int = 1

    def section(self, kind: SectionKind) -> Section | None:
        return next((s for s in self.sections if s.kind is kind), None)

    def line(self, line_id: str) -> Line | None:
        return self._by_id().get(line_id)

    def _by_id(self) -> dict[str, Line]:
        return {ln.id: ln for ln in self.lines}

    @property
    def experience(self) -> list[ExperienceEntry]:
        return [e for s in self.sections for e in s.experience]

    @property
    def education(self) -> list[EducationEntry]:
        return [e for s in self.sections for e in s.education]

    @property
    def skills(self) -> list[str]:
        return [sk for s in self.sections for g in s.skill_groups for sk in g.skills]

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResumeDocument:
        return rebuild(cls, data)


@dataclass
class JobSection:
    kind: JobSectionKind
    heading: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class JobPosting:
    text: str  # sanitised plain text
    lines: list[Line]
    title: str | None
    company: str | None = None
    location: str | None = None
    remote: RemotePolicy | None = None
    salary: str | None = None
    sections: list[JobSection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. "SHORT_DESCRIPTION"

    def section(self, kind: JobSectionKind) -> JobSection | None:
        return next((s for s in self.sections if s.kind is kind), None)

    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobPosting:
        return rebuild(cls, data)
