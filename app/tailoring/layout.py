"""The original resume in tailored-resume shape (sections of lines with source ids).

This is the starting point of every strategy and the guard's last-resort fallback. Lines of
one experience entry stay together as a block, so strategies can reorder bullets inside an
entry without ever moving entries (work history keeps its order).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.documents.models import ResumeDocument, Section, SectionKind
from app.tailoring.resume_analysis import DocLine, document_lines
from app.tailoring.types import LineRole, Strategy, TailoredLine, TailoredResume, TailoredSection


@dataclass
class Block:
    """One experience entry (header, dates, bullets) or one loose line."""

    lines: list[TailoredLine]
    entry: int | None = None


@dataclass
class SectionLayout:
    kind: SectionKind
    heading: str
    heading_line_id: str | None
    blocks: list[Block] = field(default_factory=list)
    position: int = 0  # order in the original

    def lines(self) -> list[TailoredLine]:
        return [ln for b in self.blocks for ln in b.lines]

    def to_section(self) -> TailoredSection:
        return TailoredSection(
            kind=self.kind,
            heading=self.heading,
            lines=[TailoredLine(ln.text, list(ln.source_line_ids), ln.role) for ln in self.lines()],
            heading_line_id=self.heading_line_id,
        )


def layout_document(
    resume: ResumeDocument, lines: list[DocLine] | None = None
) -> list[SectionLayout]:
    doc_lines = lines if lines is not None else document_lines(resume)
    section_of: dict[str, Section] = {}
    for parsed in resume.sections:
        for source in parsed.lines:
            section_of.setdefault(source.id, parsed)
    layouts: list[SectionLayout] = []
    by_key: dict[object, SectionLayout] = {}
    for d in doc_lines:
        section = section_of.get(d.id)
        # Lines no parser section claimed are grouped by the kind document_lines gave them.
        key: object = id(section) if section is not None else ("orphan", d.section.value)
        layout = by_key.get(key)
        if layout is None:
            heading = section.heading if section is not None else ""
            heading_id = section.heading_line_id if section is not None else None
            layout = SectionLayout(d.section, heading, heading_id, position=len(layouts))
            by_key[key] = layout
            layouts.append(layout)
        line = TailoredLine(_unlabelled(d.text, section), [d.id], d.role)
        last = layout.blocks[-1] if layout.blocks else None
        if d.entry is not None and last is not None and last.entry == d.entry:
            last.lines.append(line)
        else:
            layout.blocks.append(Block([line], d.entry))
    if not layouts:
        # A document with no usable lines still gets one (empty) section to carry its name.
        layouts.append(SectionLayout(SectionKind.OTHER, "", None))
    return layouts


def _unlabelled(text: str, section: Section | None) -> str:
    """A labelled line that opened its section ("Certifications: CPA, CMA") shown under that
    heading without repeating the label ("CPA, CMA")."""
    if section is None or section.heading_line_id is not None or not section.heading:
        return text
    label, colon, rest = text.partition(":")
    if colon and rest.strip() and label.strip().casefold() == section.heading.casefold():
        return rest.strip()
    return text


def original_as_tailored(
    resume: ResumeDocument, strategy: Strategy = Strategy.CONSERVATIVE
) -> TailoredResume:
    """The resume unchanged, as a TailoredResume (what "no tailoring" looks like)."""
    return TailoredResume(
        strategy=strategy,
        sections=[s.to_section() for s in layout_document(resume)],
    )


def is_entry_header(line: TailoredLine) -> bool:
    return line.role in (LineRole.HEADER, LineRole.META)
