"""A tailored resume's stored structure -> the render model (no Markdown round trip).

Versions store the tailored resume as structure (sections of lines with roles). Exports,
the API's Markdown/HTML/text and the share page all render from that structure through
this one conversion: an entry's header and meta lines become ONE `EntryHeader` (title,
employer, location, dates), bullets a `BulletList`, other lines paragraphs; the name line
is the title and the contact lines are split into items. Old versions stored without
structure fall back to their Markdown (`stored_document`).
"""

from __future__ import annotations

import re
from typing import Any

from app.documents.models import SectionKind
from app.exports.md_reader import from_markdown
from app.exports.model import (
    Block,
    BulletList,
    DocumentKind,
    EntryHeader,
    ExportSection,
    Paragraph,
    RenderDocument,
    normalised,
)
from app.tailoring.types import LineRole, TailoredLine, TailoredResume, TailoredSection

_CONTACT_SPLIT = re.compile(r"\s*[|·•]\s*|\s{3,}")
_GAP = re.compile(r"\s{3,}")
_COLUMN_GAP = re.compile(r"\s{2,}")


def _display(text: str, *, header: bool = False) -> str:
    # Plain-text resumes align dates and places with runs of spaces; show them as a
    # separator instead (in a header line even two spaces are a column gap).
    return (_COLUMN_GAP if header else _GAP).sub(" · ", text.strip())


def _name_and_contact(resume: TailoredResume) -> tuple[str, list[str]]:
    """The name line and the contact items, from every CONTACT section (two-column PDFs
    often yield a second "Contact" block in the sidebar)."""
    lines = [ln for s in resume.sections if s.kind is SectionKind.CONTACT for ln in s.lines]
    named = next((ln for ln in lines if ln.role is LineRole.NAME), None)
    if named is None and lines and _looks_like_name(lines[0].text):
        named = lines[0]
    name = named.text.strip() if named is not None else ""
    items = [
        item
        for ln in lines
        if ln is not named and ln.text.strip() != name
        for item in _CONTACT_SPLIT.split(ln.text.strip())
        if item.strip()
    ]
    return name, items


def _looks_like_name(text: str) -> bool:
    # A shouted or plain first line with no digits or "@" is the name ("ROBERTO SILVA").
    return bool(text.strip()) and not re.search(r"[\d@/]", text) and len(text.split()) <= 5


def entry_groups(section: TailoredSection) -> list[tuple[str, list[TailoredLine]]]:
    """("entry", [header, meta...]) for one entry header, ("bullets", [...]) for a run of
    bullets, ("text", [line]) for anything else."""
    groups: list[tuple[str, list[TailoredLine]]] = []
    for line in section.lines:
        last = groups[-1] if groups else None
        if line.role is LineRole.META and last is not None and last[0] == "entry":
            last[1].append(line)
        elif line.role in (LineRole.HEADER, LineRole.META):
            groups.append(("entry", [line]))
        elif line.role is LineRole.BULLET and last is not None and last[0] == "bullets":
            last[1].append(line)
        else:
            groups.append(("bullets" if line.role is LineRole.BULLET else "text", [line]))
    return groups


def entry_header(lines: list[TailoredLine]) -> EntryHeader:
    head = [_display(ln.text, header=True) for ln in lines if ln.role is LineRole.HEADER]
    meta = [_display(ln.text, header=True) for ln in lines if ln.role is not LineRole.HEADER]
    if not head and meta:
        return EntryHeader(meta[0], " · ".join(meta[1:]))
    return EntryHeader(" · ".join(head), " · ".join(meta))


def _blocks(section: TailoredSection) -> list[Block]:
    blocks: list[Block] = []
    for kind, lines in entry_groups(section):
        if kind == "entry":
            blocks.append(entry_header(lines))
        elif kind == "bullets":
            blocks.append(BulletList([_display(ln.text) for ln in lines]))
        else:
            blocks.append(Paragraph(_display(lines[0].text)))
    return blocks


def _heading(section: TailoredSection) -> str:
    # Text a parser could not place under any heading is shown without an invented one.
    if section.heading.strip():
        return section.heading.strip()
    if section.kind is SectionKind.OTHER:
        return ""
    return str(section.kind.value).replace("_", " ").title()


def resume_document(resume: TailoredResume) -> RenderDocument:
    name, contact = _name_and_contact(resume)
    sections = [
        ExportSection(_heading(s), _blocks(s))
        for s in resume.sections
        if s.kind is not SectionKind.CONTACT
    ]
    return normalised(RenderDocument(name, contact, sections, "resume"))


def stored_document(content: dict[str, Any], markdown: str, kind: DocumentKind) -> RenderDocument:
    """A version's document from its stored structure, or its Markdown when it has none."""
    stored = content.get("resume") if kind == "resume" else None
    if isinstance(stored, dict) and stored.get("sections"):
        return resume_document(TailoredResume.from_dict(stored))
    return from_markdown(markdown, kind)
