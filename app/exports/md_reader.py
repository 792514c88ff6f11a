"""Markdown (resume or cover letter) -> `RenderDocument`, from markdown-it's token stream.

The parser runs with HTML disabled, so raw HTML in user or LLM text (`<script>`,
`<img onerror=...>`) arrives as literal text and is escaped by every renderer, never
passed through. markdown-it also refuses `javascript:`/`file:`/`vbscript:` link targets
(the link stays literal text); of the links it accepts we keep only http(s) and mailto,
written out after the link text because a printed resume cannot be clicked.

Structure, by the conventions of resume Markdown:
  # Name                      -> title
  contact line right under it -> contact_line (split on | · •)
  ## Heading                  -> section (a later # heading is a section too)
  ### Entry / ####...         -> entry header; a line right under it is its dates line
  - item / 1. item            -> bullet list (nested items are flattened, in order)
  other text                  -> paragraphs; images are dropped
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.exports.model import (
    BulletList,
    DocumentKind,
    EntryHeader,
    ExportSection,
    Paragraph,
    RenderDocument,
    clean_text,
    normalised,
)

_MD = MarkdownIt("commonmark", {"html": False})
_CONTACT_SPLIT = re.compile(r"\s*[|·•]\s*")
# Signals that a paragraph under the name is a contact line rather than prose.
_CONTACT_HINT = re.compile(
    r"[@|·•]|https?://|www\.|\b[\w-]+\.(?:com|org|net|io|dev|me|co|ai|app)\b"
    r"|\+?\d[\d ().-]{6,}\d"
)
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:)", re.IGNORECASE)


@dataclass
class _Builder:
    kind: DocumentKind
    title: str = ""
    contact: list[str] = field(default_factory=list)
    sections: list[ExportSection] = field(default_factory=list)
    item: list[str] | None = None  # text of the list item being read
    title_end_line: int | None = None  # source line after the # heading
    entry_end_line: int | None = None  # source line after the last entry header

    def section(self) -> ExportSection:
        if not self.sections:
            self.sections.append(ExportSection(""))
        return self.sections[-1]

    def heading(self, level: int, text: str, end_line: int | None) -> None:
        self.title_end_line = self.entry_end_line = None
        if level == 1 and not self.title and not self.sections:
            self.title, self.title_end_line = text, end_line
        elif level <= 2:
            self.sections.append(ExportSection(text))
        else:
            self.section().blocks.append(EntryHeader(text))
            self.entry_end_line = end_line

    def paragraph(self, lines: list[str], start_line: int | None) -> None:
        adjacent_to_title = start_line is not None and start_line == self.title_end_line
        adjacent_to_entry = start_line is not None and start_line == self.entry_end_line
        self.title_end_line = self.entry_end_line = None
        text = " ".join(lines)
        if not self.sections and not self.contact and self._is_contact(text, adjacent_to_title):
            self.contact = [p for line in lines for p in _CONTACT_SPLIT.split(line) if p.strip()]
            return
        blocks = self.section().blocks
        if adjacent_to_entry and blocks and isinstance(blocks[-1], EntryHeader):
            # A line directly under "### Title" (no blank line) is the entry's dates line.
            blocks[-1].meta = lines[0]
            lines = lines[1:]
            if not lines:
                return
            text = " ".join(lines)
        blocks.append(Paragraph(text))

    def _is_contact(self, text: str, adjacent_to_title: bool) -> bool:
        # Directly under a resume's name, any line is the contact line; elsewhere (or in
        # a cover letter, whose first line is usually "Dear ...") it has to look like one.
        return (adjacent_to_title and self.kind == "resume") or bool(_CONTACT_HINT.search(text))

    def start_item(self) -> None:
        self.flush_item()
        self.item = []

    def flush_item(self) -> None:
        self.title_end_line = self.entry_end_line = None
        if self.item is None:
            return
        text, self.item = " ".join(self.item), None
        if not text.strip():
            return
        blocks = self.section().blocks
        if blocks and isinstance(blocks[-1], BulletList):
            blocks[-1].items.append(text)
        else:
            blocks.append(BulletList([text]))

    def document(self) -> RenderDocument:
        self.flush_item()
        title = self.title or ("Cover letter" if self.kind == "cover_letter" else "")
        return normalised(RenderDocument(title, self.contact, self.sections, self.kind))


def from_markdown(md: str, kind: DocumentKind = "resume") -> RenderDocument:
    """Parse resume or cover-letter Markdown into the export model."""
    builder = _Builder(kind)
    heading_level: int | None = None
    open_items = 0
    paragraph_start: int | None = None
    for token in _MD.parse(md):
        ttype = token.type
        if ttype == "heading_open":
            builder.flush_item()
            heading_level = int(token.tag[1:])
        elif ttype == "heading_close":
            heading_level = None
        elif ttype == "list_item_open":
            open_items += 1
            builder.start_item()
        elif ttype == "list_item_close":
            open_items -= 1
            builder.flush_item()
            if open_items:
                # Text after a nested list belongs to the outer item: a new item.
                builder.item = []
        elif ttype == "paragraph_open":
            paragraph_start = token.map[0] if token.map else None
        elif ttype == "inline":
            lines = _inline_lines(token)
            if heading_level is not None:
                end = token.map[1] if token.map else None
                builder.heading(heading_level, " ".join(lines), end)
            elif builder.item is not None:
                builder.item.extend(lines)
            elif lines:
                builder.paragraph(lines, paragraph_start)
        elif ttype in ("fence", "code_block"):
            lines = [ln for ln in (clean_text(x) for x in token.content.splitlines()) if ln]
            if builder.item is not None:
                builder.item.extend(lines)
            elif lines:
                builder.paragraph(lines, None)
    return builder.document()


def _inline_lines(token: Token) -> list[str]:
    """The inline token's visible text, split at line breaks, markup removed."""
    parts: list[str] = []
    href: str | None = None
    link_text: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            (link_text if href is not None else parts).append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            (link_text if href is not None else parts).append("\n")
        elif child.type == "link_open":
            href, link_text = str(child.attrs.get("href", "")), []
        elif child.type == "link_close" and href is not None:
            parts.append(_link_text("".join(link_text), href))
            href = None
        # Images, emphasis markers and anything else contribute no text.
    lines = (clean_text(line) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _link_text(text: str, href: str) -> str:
    if not _SAFE_LINK.match(href):
        return text
    target = href[7:] if href.lower().startswith("mailto:") else href
    bare = re.sub(r"^https?://", "", target, flags=re.IGNORECASE).rstrip("/")
    if not text.strip() or bare.lower() in text.lower():
        return text or target
    return f"{text} ({target})"
