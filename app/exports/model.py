"""What gets rendered: a small document model, independent of the tailoring engine.

A document is a title (the person's name, or "Cover letter"), a contact line and a list
of sections; a section is a heading and blocks; a block is a paragraph, a bullet list or
an entry header (the "Senior Engineer — Acme" line plus its dates line). Every renderer
(Markdown, text, HTML, DOCX, PDF) walks the same model, so all formats carry the same
text in the same order, which is what the round-trip check verifies.

Text is plain text, never markup: renderers escape it for their format. `normalised()`
collapses whitespace and drops characters no output format can carry (C0 controls break
DOCX XML; lone surrogates break UTF-8), so renderers can assume clean single-line text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

DocumentKind = Literal["resume", "cover_letter"]

_WS = re.compile(r"\s+")
# C0/C1 controls and lone surrogates: invalid in XML 1.0 (DOCX) or in UTF-8 output.
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass
class Paragraph:
    text: str


@dataclass
class BulletList:
    items: list[str]


@dataclass
class EntryHeader:
    """One experience/education/project entry's header."""

    title: str  # e.g. "Senior Software Engineer — Lumen Freight, Austin, TX"
    meta: str = ""  # e.g. "Mar 2021 – Present"; "" when the entry has no dates line


Block = Paragraph | BulletList | EntryHeader


@dataclass
class ExportSection:
    heading: str  # "" for an untitled section (e.g. a cover letter's body)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class RenderDocument:
    title: str  # the person's name, or "Cover letter"
    contact_line: list[str] = field(default_factory=list)  # email, phone, location, links
    sections: list[ExportSection] = field(default_factory=list)
    kind: DocumentKind = "resume"
    author: str | None = None  # document metadata; defaults to the title for a resume

    @property
    def meta_author(self) -> str:
        if self.author:
            return self.author
        return self.title if self.kind == "resume" else ""


def clean_text(text: str) -> str:
    """One line of displayable text: NFC, no control characters, single spaces."""
    text = unicodedata.normalize("NFC", _BAD_CHARS.sub(" ", text))
    return _WS.sub(" ", text).strip()


def normalised(doc: RenderDocument) -> RenderDocument:
    """A copy with clean text and without empty items, blocks or sections."""
    sections: list[ExportSection] = []
    for section in doc.sections:
        heading = clean_text(section.heading)
        if heading or not sections:
            sections.append(ExportSection(heading))
        # else: untitled text after a section reads as part of that section.
        for block in section.blocks:
            _append_clean(sections[-1].blocks, block)
    sections = [s for s in sections if s.heading or s.blocks]
    contact = [t for t in (clean_text(c) for c in doc.contact_line) if t]
    author = clean_text(doc.author) if doc.author else None
    return RenderDocument(clean_text(doc.title), contact, sections, doc.kind, author or None)


def _append_clean(blocks: list[Block], block: Block) -> None:
    if isinstance(block, Paragraph):
        if text := clean_text(block.text):
            blocks.append(Paragraph(text))
    elif isinstance(block, BulletList):
        items = [t for t in (clean_text(i) for i in block.items) if t]
        if items and blocks and isinstance(blocks[-1], BulletList):
            blocks[-1].items.extend(items)  # adjacent lists read as one list
        elif items:
            blocks.append(BulletList(items))
    else:
        title, meta = clean_text(block.title), clean_text(block.meta)
        if title or meta:
            # A dates line without a title is promoted so no renderer emits an empty
            # header.
            blocks.append(EntryHeader(title or meta, meta if title else ""))


def text_items(doc: RenderDocument) -> Iterator[tuple[str, str]]:
    """(role, text) for every piece of visible text in reading order.

    Roles: "title", "contact", "heading", "entry", "meta", "paragraph", "bullet".
    """
    if doc.title:
        yield "title", doc.title
    for item in doc.contact_line:
        yield "contact", item
    for section in doc.sections:
        if section.heading:
            yield "heading", section.heading
        for block in section.blocks:
            if isinstance(block, Paragraph):
                yield "paragraph", block.text
            elif isinstance(block, BulletList):
                for item in block.items:
                    yield "bullet", item
            else:
                yield "entry", block.title
                if block.meta:
                    yield "meta", block.meta
