"""Assemble a `ResumeDocument` from reader output (format-independent)."""

from __future__ import annotations

from app.documents.contact import extract_contact
from app.documents.education import parse_education
from app.documents.errors import DocumentError
from app.documents.experience import parse_experience
from app.documents.limits import MAX_BULLETS, MAX_LINES, MAX_SECTIONS, check_count
from app.documents.models import ResumeDocument, Section, SectionKind
from app.documents.sections import SectionDraft, split_sections
from app.documents.skills import parse_skills
from app.documents.text_lines import LogicalLine, RawLine, build_lines

_EXPERIENCE_KINDS = (SectionKind.EXPERIENCE, SectionKind.VOLUNTEER)
_SKILL_KINDS = (SectionKind.SKILLS, SectionKind.LANGUAGES)


def build_resume(raws: list[RawLine], source_format: str, *, page_count: int = 1) -> ResumeDocument:
    text, lines = build_lines(raws)
    if not lines:
        raise DocumentError(
            "PARSE_FAILED", "No text was found in the document. Check that it is not empty."
        )
    if len(lines) > MAX_LINES:
        raise DocumentError(
            "SIZE_EXCEEDED", f"The document has more than {MAX_LINES} lines; a resume is shorter."
        )
    drafts = split_sections(lines)
    sections: list[Section] = []
    contact_lines: list[LogicalLine] = []
    for draft in drafts:
        section = Section(
            kind=draft.kind,
            heading=draft.heading,
            lines=[ll.line for ll in draft.body],
            heading_line_id=_heading_line_id(draft),
        )
        if draft.kind in _EXPERIENCE_KINDS:
            section.experience = parse_experience(draft.body)
        elif draft.kind is SectionKind.EDUCATION:
            section.education = parse_education(draft.body)
        elif draft.kind in _SKILL_KINDS:
            section.skill_groups = parse_skills(draft.body)
        elif draft.kind is SectionKind.CONTACT:
            contact_lines.extend(draft.body)
        sections.append(section)
    check_count(len(sections), MAX_SECTIONS, "sections")
    check_count(
        sum(len(e.bullets) for s in sections for e in s.experience), MAX_BULLETS, "bullet lines"
    )
    contact = extract_contact(contact_lines, lines)
    doc = ResumeDocument(
        text=text,
        lines=[ll.line for ll in lines],
        contact=contact,
        sections=sections,
        source_format=source_format,
        page_count=page_count,
    )
    doc.warnings = _warnings(doc)
    return doc


def _heading_line_id(draft: SectionDraft) -> str | None:
    """The line that is only a heading. A labelled line ("Certifications: CPA, CMA") opens
    its section and is also its content, so it is no heading line: readers that skip
    heading lines as structure would otherwise lose what it says."""
    line = draft.heading_line
    if line is None or any(ll is line for ll in draft.body):
        return None
    return line.id


def _warnings(doc: ResumeDocument) -> list[str]:
    warnings: list[str] = []
    if not any(s.kind is not SectionKind.CONTACT for s in doc.sections):
        warnings.append("NO_SECTIONS_FOUND")
    if not doc.experience:
        warnings.append("NO_EXPERIENCE_FOUND")
    if doc.contact.name is None:
        warnings.append("MISSING_NAME")
    if doc.contact.email is None:
        warnings.append("MISSING_EMAIL")
    return warnings
