"""Split logical lines into resume sections.

A line opens a section when it reads as a heading: styled (markdown "#", DOCX Heading)
at the level the document uses for known sections, or unstyled but made only of heading
vocabulary ("PROFESSIONAL EXPERIENCE", "Skills:"). Weak keywords that also occur as list
items ("Leadership", "Tools") additionally need visual emphasis. Lines before the first
heading, page headers and footers form the CONTACT section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.headings import clean_heading, is_all_caps, section_kind
from app.documents.models import SectionKind
from app.documents.text_lines import LogicalLine
from app.documents.wordlists import wordset

_WEAK_KEYWORDS = wordset(
    """
    training tools strengths capabilities abilities qualifications activities talks
    presentations courses coursework leadership interests highlights overview about
    introduction work portfolio expertise technologies languages references contact toolbox
    toolkit software
    """
)
_INLINE_OK = frozenset(
    {SectionKind.CONTACT, SectionKind.SUMMARY, SectionKind.OTHER, SectionKind.CERTIFICATIONS}
)


_LIST_KINDS = frozenset({SectionKind.CERTIFICATIONS, SectionKind.SKILLS, SectionKind.LANGUAGES})
_PARENT_KINDS = frozenset({SectionKind.SUMMARY, SectionKind.OTHER, SectionKind.CONTACT})
_CONTACT_DETAIL = re.compile(r"@|\d[\d ().-]{6,}\d|https?://|www\.|linkedin|github", re.IGNORECASE)


@dataclass
class SectionDraft:
    kind: SectionKind
    heading: str
    heading_line: LogicalLine | None = None
    body: list[LogicalLine] = field(default_factory=list)


def split_sections(lines: list[LogicalLine]) -> list[SectionDraft]:
    section_level = _section_level(lines)
    contact = SectionDraft(SectionKind.CONTACT, "")
    sections: list[SectionDraft] = []
    current = contact
    prose: SectionDraft | None = None  # the summary a labelled list line sits in
    for idx, ll in enumerate(lines):
        if ll.origin in ("header", "footer"):
            contact.body.append(ll)
            continue
        nxt = lines[idx + 1] if idx + 1 < len(lines) else None
        kind = _heading_kind(ll, nxt, section_level, started=bool(sections))
        if kind is not None:
            current, prose = SectionDraft(kind, clean_heading(ll.text), ll), None
            sections.append(current)
            continue
        inline = _inline_heading(ll, current.kind)
        if inline is not None:
            label_kind, label = inline
            if label_kind in _LIST_KINDS and current.kind in _PARENT_KINDS:
                prose = current
            current = SectionDraft(label_kind, label, ll, [ll])
            sections.append(current)
            continue
        if prose is not None and _belongs_to(prose.kind, ll):
            # "Certifications: CPA, CMA" inside a summary (or under the name) lists only
            # what it labels; the sentences (contact details) after it are still the
            # summary's (the contact block's).
            prose.body.append(ll)
            continue
        current.body.append(ll)
    if contact.body:
        sections.insert(0, contact)
    return sections


def _section_level(lines: list[LogicalLine]) -> int | None:
    levels = [
        ll.heading_level
        for ll in lines
        if ll.heading_level is not None and ll.heading_level > 0 and section_kind(ll.text)
    ]
    return min(levels) if levels else None


def _heading_kind(
    ll: LogicalLine, nxt: LogicalLine | None, section_level: int | None, *, started: bool
) -> SectionKind | None:
    if ll.is_bullet or ll.cells is not None:
        return None
    kind = section_kind(ll.text)
    level = ll.heading_level
    if level is not None:
        if kind is not None:
            return kind
        if level == 0:
            return None  # DOCX Title: the person's name
        if section_level is not None:
            if level < section_level or (level == section_level and not started and _namey(ll)):
                return None  # "# Alex Rivera" above "## Summary"
            return SectionKind.OTHER if level == section_level else None
        return SectionKind.OTHER if started and level <= 2 else None
    if kind is None:
        return None
    words = clean_heading(ll.text).lower().split()
    if any(w in _WEAK_KEYWORDS for w in words) and len(words) == 1:
        emphasised = (
            ll.bold
            or is_all_caps(ll.text)
            or ll.text.rstrip().endswith(":")
            or ll.blank_before
            or (nxt is not None and nxt.blank_before)
        )
        if not emphasised:
            return None
    return kind


def _namey(ll: LogicalLine) -> bool:
    return 1 <= len(ll.text.split()) <= 4 and not any(ch.isdigit() for ch in ll.text)


def _inline_heading(ll: LogicalLine, current: SectionKind) -> tuple[SectionKind, str] | None:
    """ "SKILLS: Python, Go" or "Summary: Backend engineer ..." on one line."""
    if ll.is_bullet or ll.cells is not None or ":" not in ll.text:
        return None
    label, rest = ll.text.split(":", 1)
    if not rest.strip() or len(label) > 40:
        return None
    kind = section_kind(label)
    if kind is None or kind is current:
        return None
    if current not in _INLINE_OK and not is_all_caps(label):
        return None
    if current is SectionKind.SKILLS and kind in (SectionKind.LANGUAGES, SectionKind.SKILLS):
        return None
    return kind, label.strip()


def _belongs_to(parent: SectionKind, ll: LogicalLine) -> bool:
    if parent is SectionKind.CONTACT:
        return _CONTACT_DETAIL.search(ll.text) is not None
    return _reads_as_prose(ll)


def _reads_as_prose(ll: LogicalLine) -> bool:
    """A sentence, not the next item of a labelled list: it ends as a sentence or runs long."""
    text = ll.text.strip()
    return not ll.is_bullet and (text.endswith((".", "!", "?")) or len(text.split()) >= 10)
