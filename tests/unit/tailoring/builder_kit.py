"""Builders of parser output (ResumeDocument / JobPosting) for tests: line ids, sections,
entries and skill groups as a parser would produce them (the named documents built with
them are in builder_resumes.py and builders.py)."""

from __future__ import annotations

import re
from typing import Self

from app.documents.models import (
    Contact,
    EducationEntry,
    ExperienceEntry,
    JobPosting,
    JobSection,
    JobSectionKind,
    Line,
    ResumeDocument,
    Section,
    SectionKind,
    SkillGroup,
    SourceSpan,
)


class _Lines:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._offset = 0

    def add(self, text: str, *, is_bullet: bool = False) -> Line:
        number = len(self.lines)
        line = Line(
            id=f"L{number}",
            text=text,
            span=SourceSpan(number, self._offset, self._offset + len(text)),
            is_bullet=is_bullet,
        )
        self._offset += len(text) + 1
        self.lines.append(line)
        return line

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class ResumeBuilder:
    def __init__(self, source_format: str = "markdown") -> None:
        self._lines = _Lines()
        self._sections: list[Section] = []
        self._contact = Contact()
        self._format = source_format

    def contact(
        self,
        name: str | None,
        *details: str,
        email: str | None = None,
        phone: str | None = None,
        location: str | None = None,
        links: tuple[str, ...] = (),
    ) -> Self:
        section = Section(SectionKind.CONTACT, "")
        for text in ([name] if name else []) + list(details):
            line = self._lines.add(text)
            section.lines.append(line)
            self._contact.line_ids.append(line.id)
        self._contact.name = name
        self._contact.email = email
        self._contact.phone = phone
        self._contact.location = location
        self._contact.links = list(links)
        self._sections.append(section)
        return self

    def section(self, kind: SectionKind, heading: str) -> Self:
        line = self._lines.add(heading)
        self._sections.append(Section(kind, heading, heading_line_id=line.id))
        return self

    @property
    def _current(self) -> Section:
        return self._sections[-1]

    def text(self, text: str, *, bullet: bool = False) -> Self:
        self._current.lines.append(self._lines.add(text, is_bullet=bullet))
        return self

    def entry(
        self,
        header: str,
        *,
        title: str | None,
        employer: str | None,
        dates: str | None = None,
        start: str | None = None,
        end: str | None = None,
        start_text: str | None = None,
        end_text: str | None = None,
        location: str | None = None,
        bullets: tuple[str, ...] = (),
    ) -> Self:
        entry = ExperienceEntry(
            employer=employer,
            title=title,
            location=location,
            start_text=start_text,
            end_text=end_text,
            start=start,
            end=end,
        )
        head = self._lines.add(header)
        self._current.lines.append(head)
        entry.header_line_ids.append(head.id)
        if dates is not None:
            date_line = self._lines.add(dates)
            self._current.lines.append(date_line)
            entry.header_line_ids.append(date_line.id)
        for text in bullets:
            bullet = self._lines.add(text, is_bullet=True)
            self._current.lines.append(bullet)
            entry.bullets.append(bullet)
        self._current.experience.append(entry)
        return self

    def dated_entry(
        self,
        header: str,
        role: tuple[str, str, str],
        when: tuple[str, str, str],
        bullets: tuple[str, ...],
    ) -> Self:
        """An entry whose date line reads "start – end": (title, employer, location) and
        (date line, start, end as parsed)."""
        title, employer, location = role
        dates, start, end = when
        start_text, end_text = (part.strip() for part in re.split(r"\s*[–-]\s*", dates))
        return self.entry(
            header,
            title=title,
            employer=employer,
            location=location,
            dates=dates,
            start=start,
            end=end,
            start_text=start_text,
            end_text=end_text,
            bullets=bullets,
        )

    def education(
        self,
        text: str,
        *,
        school: str | None,
        degree: str | None = None,
        field_of_study: str | None = None,
        year: str | None = None,
    ) -> Self:
        line = self._lines.add(text)
        self._current.lines.append(line)
        self._current.education.append(
            EducationEntry(school, degree, field_of_study, year, line_ids=[line.id])
        )
        return self

    def skills(self, text: str, skills: list[str], *, name: str | None = None) -> Self:
        line = self._lines.add(text)
        self._current.lines.append(line)
        self._current.skill_groups.append(SkillGroup(name, skills, line.id))
        return self

    def build(self) -> ResumeDocument:
        return ResumeDocument(
            text=self._lines.text,
            lines=list(self._lines.lines),
            contact=self._contact,
            sections=self._sections,
            source_format=self._format,
        )


def job_from_text(
    text: str,
    *,
    title: str | None,
    company: str | None = None,
    headings: dict[str, JobSectionKind] | None = None,
    location: str | None = None,
) -> JobPosting:
    """A posting whose sections start at the given heading lines (as a parser would)."""
    lines = _Lines()
    sections: list[JobSection] = []
    current: JobSection | None = None
    for raw in text.splitlines():
        if not raw.strip():
            continue
        bullet = raw.lstrip().startswith(("-", "*", "•"))
        clean = raw.strip().lstrip("-*• ").strip() if bullet else raw.strip()
        line = lines.add(clean, is_bullet=bullet)
        kind = (headings or {}).get(clean)
        if kind is not None:
            current = JobSection(kind, clean)
            sections.append(current)
            continue
        if current is None:
            current = JobSection(JobSectionKind.ABOUT, "")
            sections.append(current)
        current.lines.append(line)
    return JobPosting(
        text=lines.text,
        lines=list(lines.lines),
        title=title,
        company=company,
        location=location,
        sections=sections,
    )
