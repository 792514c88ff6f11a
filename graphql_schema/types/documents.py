"""GraphQL types for resumes, their parsed form, and job descriptions."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import strawberry

from app.db.models import JobDescription as JobDescriptionRow
from app.db.models import Resume as ResumeRow
from app.db.models.enums import ParseStatus as ParseStatusEnum
from app.documents.models import JobSectionKind, ResumeDocument, SectionKind
from app.services import stored_documents
from graphql_schema.loaders import loaders
from graphql_schema.types.enums import described, parse
from graphql_schema.types.value_sets import SourceFormat


@strawberry.type(description="Why a document could not be parsed.")
class ParseError:
    code: str = strawberry.field(description="Stable code: PARSE_FAILED, PARSE_TIMEOUT, ...")
    message: str = strawberry.field(description="What went wrong and what to do about it.")


@strawberry.type(description="Contact details found in a resume.")
class ContactInfo:
    name: str | None = strawberry.field(description="Full name.")
    email: str | None = strawberry.field(description="E-mail address.")
    phone: str | None = strawberry.field(description="Phone number as written.")
    location: str | None = strawberry.field(description="City / region as written.")
    links: list[str] = strawberry.field(description="Profile and portfolio links.")


@strawberry.type(description="A job held, as application forms ask for it.")
class FormJob:
    employer: str | None = strawberry.field(description="Employer name.")
    title: str | None = strawberry.field(description="Job title.")
    location: str | None = strawberry.field(description="Where the job was.")
    start: str | None = strawberry.field(description="Start, normalised YYYY-MM or YYYY.")
    end: str | None = strawberry.field(description="End: YYYY-MM, YYYY or 'present'.")


@strawberry.type(description="A job held, as parsed from the resume.")
class ExperienceItem(FormJob):
    """A FormJob (what application forms ask) with the job's achievement lines."""

    bullets: list[str] = strawberry.field(description="Achievement lines, in source order.")


@strawberry.type(description="A school entry, as parsed from the resume.")
class EducationItem:
    school: str | None = strawberry.field(description="School or university.")
    degree: str | None = strawberry.field(description="Degree as written.")
    field_of_study: str | None = strawberry.field(description="Field of study, if separate.")
    year: str | None = strawberry.field(description="Graduation year.")


@strawberry.type(description="One line of the resume as parsed, with its stable id.")
class ResumeLine:
    id: strawberry.ID = strawberry.field(
        description="Stable line id (L0, L1, ...): the id tailored lines cite as their source."
    )
    text: str = strawberry.field(description="The line's text (a wrapped bullet is one line).")
    is_bullet: bool = strawberry.field(description="Whether the line is a list item.")


@strawberry.type(description="A section of the resume in source order.")
class ResumeSection:
    kind: SectionKind = strawberry.field(description="Canonical kind of the section.")
    heading: str = strawberry.field(description="The heading exactly as written.")
    line_count: int = strawberry.field(description="Number of lines in the section body.")
    heading_line_id: strawberry.ID | None = strawberry.field(
        description="Id of the heading line, if the section has one."
    )
    lines: list[ResumeLine] = strawberry.field(
        description="The section body's lines with their ids, for provenance of tailored lines."
    )


@strawberry.type(description="The structured reading of a resume.")
class ParsedResume:
    source_format: SourceFormat = strawberry.field(description="Format it was read from.")
    contact: ContactInfo = strawberry.field(description="Contact details.")
    sections: list[ResumeSection] = strawberry.field(description="Sections in order.")
    experience: list[ExperienceItem] = strawberry.field(description="Jobs, in source order.")
    education: list[EducationItem] = strawberry.field(description="Education entries.")
    skills: list[str] = strawberry.field(description="Skills as written.")
    warnings: list[str] = strawberry.field(description="Things the parser was unsure about.")

    @classmethod
    def from_document(cls, doc: ResumeDocument) -> ParsedResume:
        c = doc.contact
        return cls(
            source_format=parse(SourceFormat, doc.source_format, SourceFormat.OTHER),
            contact=ContactInfo(
                name=c.name, email=c.email, phone=c.phone, location=c.location, links=c.links
            ),
            sections=[
                ResumeSection(
                    kind=parse(SectionKind, s.kind, SectionKind.OTHER),
                    heading=s.heading,
                    line_count=len(s.lines),
                    heading_line_id=strawberry.ID(s.heading_line_id) if s.heading_line_id else None,
                    lines=[
                        ResumeLine(id=strawberry.ID(ln.id), text=ln.text, is_bullet=ln.is_bullet)
                        for ln in s.lines
                    ],
                )
                for s in doc.sections
            ],
            experience=[
                ExperienceItem(
                    employer=e.employer,
                    title=e.title,
                    location=e.location,
                    start=e.start,
                    end=e.end,
                    bullets=[b.text for b in e.bullets],
                )
                for e in doc.experience
            ],
            education=[
                EducationItem(
                    school=e.school, degree=e.degree, field_of_study=e.field_of_study, year=e.year
                )
                for e in doc.education
            ],
            skills=doc.skills,
            warnings=doc.warnings,
        )


@strawberry.type(description="An uploaded resume.")
class Resume:
    id: strawberry.ID = strawberry.field(description="Resume id.")
    title: str | None = strawberry.field(description="Title for lists.")
    filename: str | None = strawberry.field(description="Uploaded file name.")
    source_format: SourceFormat | None = strawberry.field(description="Detected format.")
    size_bytes: int = strawberry.field(description="Size of the uploaded file.")
    parse_status: ParseStatusEnum = strawberry.field(description="PARSED or FAILED.")
    parse_error: ParseError | None = strawberry.field(description="Why parsing failed, if so.")
    created_at: dt.datetime = strawberry.field(description="Upload time.")
    row: strawberry.Private[ResumeRow]

    @strawberry.field(description="Structured content if parsed.")
    async def parsed(self, info: strawberry.Info) -> ParsedResume | None:
        # Built only when selected, off the event loop, once per stored version.
        key = ("parsed-resume", self.row.id, self.row.updated_at)
        done: ParsedResume | None = stored_documents.cached(key)
        if done is not None:
            return done
        fetch = loaders(info.context.runtime).resume_json.load
        source = await stored_documents.stored_source(self.row, fetch)
        if not source:
            return None
        return await stored_documents.built(
            key, lambda: ParsedResume.from_document(stored_documents.resume_document(source))
        )

    @classmethod
    def from_row(cls, row: ResumeRow) -> Resume:
        error = (
            ParseError(code=row.parse_error_code, message=row.parse_error_message or "")
            if row.parse_error_code
            else None
        )
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            filename=row.filename,
            source_format=parse(SourceFormat, row.source_format, SourceFormat.OTHER)
            if row.source_format
            else None,
            size_bytes=row.size_bytes,
            parse_status=row.parse_status,
            parse_error=error,
            created_at=row.created_at,
            row=row,
        )


class RemotePolicy(str, enum.Enum):
    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"


described(
    RemotePolicy,
    "RemotePolicy",
    "Where the job is done.",
    {"REMOTE": "Fully remote.", "HYBRID": "Partly remote, partly on site.", "ONSITE": "On site."},
)


@strawberry.type(description="A job description the person wants to tailor for.")
class JobDescription:
    id: strawberry.ID = strawberry.field(description="Job description id.")
    title: str = strawberry.field(description="Job title.")
    company: str | None = strawberry.field(description="Hiring company.")
    location: str | None = strawberry.field(description="Location as stated.")
    remote: RemotePolicy | None = strawberry.field(description="Remote, hybrid or on-site.")
    salary: str | None = strawberry.field(description="Salary as stated.")
    text: str = strawberry.field(description="Sanitised plain text of the posting.")
    warnings: list[str] = strawberry.field(
        description="Quality warnings: SHORT_DESCRIPTION, MISSING_COMPANY, MISSING_LOCATION, "
        "PROMPT_INJECTION_SUSPECTED (lines addressing automated tools were left out)..."
    )
    created_at: dt.datetime = strawberry.field(description="When it was added.")
    row: strawberry.Private[JobDescriptionRow]

    async def _lines(self, info: strawberry.Info, kind: JobSectionKind) -> list[str]:
        # The stored posting is rebuilt only when one of its line lists is selected, off
        # the event loop, once per stored version.
        key = ("posting-lines", self.row.id, self.row.updated_at)
        grouped: dict[JobSectionKind, list[str]] | None = stored_documents.cached(key)
        if grouped is None:
            fetch = loaders(info.context.runtime).posting_json.load
            source = await stored_documents.stored_source(self.row, fetch)
            grouped = await stored_documents.built(key, lambda: _posting_lines(source or {}))
        return grouped.get(kind, [])

    @strawberry.field(description="Must-have lines.")
    async def requirements(self, info: strawberry.Info) -> list[str]:
        return await self._lines(info, JobSectionKind.REQUIREMENTS)

    @strawberry.field(description="Nice-to-have lines.")
    async def preferred(self, info: strawberry.Info) -> list[str]:
        return await self._lines(info, JobSectionKind.PREFERRED)

    @strawberry.field(description="What the job involves.")
    async def responsibilities(self, info: strawberry.Info) -> list[str]:
        return await self._lines(info, JobSectionKind.RESPONSIBILITIES)

    @classmethod
    def from_row(cls, row: JobDescriptionRow) -> JobDescription:
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            company=row.company,
            location=row.location,
            remote=RemotePolicy(row.remote) if row.remote else None,
            salary=row.salary,
            text=row.text,
            warnings=[str(w) for w in row.warnings],
            created_at=row.created_at,
            row=row,
        )


def _posting_lines(data: dict[str, Any] | str) -> dict[JobSectionKind, list[str]]:
    grouped: dict[JobSectionKind, list[str]] = {}
    for section in stored_documents.job_posting(data).sections:
        grouped.setdefault(section.kind, []).extend(ln.text for ln in section.lines)
    return grouped
