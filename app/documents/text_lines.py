"""From reader output (raw physical lines with layout hints) to numbered logical lines.

Every format reader (PDF, DOCX, Markdown, text) produces `RawLine`s. This module does the
format-independent part: character clean-up, bullet markers, joining hard-wrapped
continuation lines, and building the normalised text that `SourceSpan`s point into.

Normalised text layout: one logical line per row; a single blank row stands for a
paragraph break in the source. Bullet rows are rendered "- " + content; a `Line` span
covers only the content, so `text[span.start:span.end] == line.text` always holds and
`span.line` is the row number in `text` (blank rows count).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from app.documents.dates import find_date_range
from app.documents.headings import section_kind
from app.documents.models import Line, SourceSpan

Origin = Literal["body", "header", "footer", "table"]

_CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ",
        "\u2002": " ", "\u2003": " ", "\u3000": " ", "\u00ad": None, "\u200b": None,
        "\u2010": "-", "\u2011": "-", "\u200c": None, "\u200d": None, "\u2060": None,
        "\ufeff": None,
        "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
        "\u2028": " ", "\u2029": " ", "\r": None, "\x0b": " ", "\x0c": " ",
    }
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BULLET_GLYPHS = "•·▪▫◦‣⁃●○■□►▸▹▶➢➤➔✓✔✗→»❖◆◇➣⦁∙"
_BULLET = re.compile(
    r"^(?:(?P<glyph>[" + _BULLET_GLYPHS + r"\ue000-\uf8ff])\s*"
    r"|(?P<ascii>[-*+–—])\s+"
    r"|(?P<num>\(?\d{1,2}[.)])\s+"
    # Word's second-level bullet pasted as text: "o Deliver ..." (a lone "o").
    r"|(?P<oh>o)\s+(?=[A-Z]))"
    r"(?=\S)"
)
_GAP = re.compile(r"\t+|\s{3,}")
_WS = re.compile(r"[ \t]+")
_SENTENCE_END = (".", "!", "?", ":", ";")
_JOIN_WORDS = frozenset(
    {"and", "or", "of", "the", "to", "with", "for", "in", "a", "an", "on", "by", "at", "from"}
)
MAX_JOINED_CHARS = 1200
# A line that opens with an e-mail, URL or domain is a contact item, never a wrapped tail.
_CONTACT_TOKEN = re.compile(
    r"^(?:\S+@\S+|https?://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?)$"
)


@dataclass
class RawLine:
    """One physical line as a reader saw it, with the layout hints the reader knows."""

    text: str
    indent: int = 0  # leading blank width in characters, relative to its column
    blank_before: bool = False  # a paragraph break precedes this line
    heading_level: int | None = None  # markdown "#" count; DOCX Heading N; DOCX Title = 0
    bold: bool = False  # the whole paragraph is bold
    list_item: bool = False  # the reader knows it is a list item (DOCX numbering, md list)
    cells: tuple[str, ...] | None = None  # a table row, one string per cell
    origin: Origin = "body"
    may_wrap: bool = True  # hard-wrapped source (PDF, text) whose lines may need joining


@dataclass
class LogicalLine:
    """A numbered `Line` plus the hints structure detection needs."""

    line: Line
    indent: int
    blank_before: bool
    heading_level: int | None
    bold: bool
    is_bullet: bool
    origin: Origin
    segments: list[str] = field(default_factory=list)  # parts split at wide gaps / cells
    cells: tuple[str, ...] | None = None

    @property
    def text(self) -> str:
        return self.line.text

    @property
    def id(self) -> str:
        return self.line.id


def clean_chars(text: str) -> str:
    """Unicode clean-up that never changes meaning: spaces, ligatures, invisible chars."""
    text = unicodedata.normalize("NFC", text.translate(_CHAR_MAP))
    return _CONTROL.sub("", text)


def split_bullet(text: str) -> tuple[str | None, str]:
    """(marker, content) when `text` starts with a list marker, else (None, text)."""
    m = _BULLET.match(text)
    if not m:
        return None, text
    marker = m.group("glyph") or m.group("ascii") or m.group("num") or m.group("oh")
    return marker, text[m.end() :]


@dataclass
class _Pending:
    raw: RawLine
    content: str
    is_bullet: bool
    content_indent: int
    segments: list[str]


def build_lines(raws: list[RawLine]) -> tuple[str, list[LogicalLine]]:
    """Clean, join wrapped continuations, number lines and render the normalised text."""
    pending: list[_Pending] = []
    blank_next = False
    for raw in raws:
        cleaned = clean_chars(raw.text.replace("\n", " "))
        if raw.cells is not None:
            cells = tuple(c for c in (_WS.sub(" ", clean_chars(c)).strip() for c in raw.cells))
            cells = tuple(c for c in cells if c)
            if not cells:
                blank_next = True
                continue
            content = " | ".join(cells)
            pending.append(
                _Pending(
                    _with(raw, blank_next, cells), content, raw.list_item, raw.indent, list(cells)
                )
            )
            blank_next = False
            continue
        stripped = cleaned.strip()
        if not stripped:
            blank_next = True
            continue
        indent = raw.indent + (len(cleaned) - len(cleaned.lstrip()))
        marker, rest = split_bullet(stripped)
        if marker is None and raw.list_item:
            rest = stripped
        is_bullet = marker is not None or raw.list_item
        if raw.heading_level is not None:
            # A styled heading that happens to start with "1." or "-" is still a heading.
            is_bullet, rest = False, stripped
        segments = [s for s in (_WS.sub(" ", p).strip() for p in _GAP.split(rest)) if s]
        if not segments:
            blank_next = True
            continue
        content = "  ".join(segments)
        current = _Pending(
            _with(raw, blank_next, None, indent), content, is_bullet,
            indent + (len(stripped) - len(rest)), segments,
        )  # fmt: skip
        blank_next = False
        if pending and _is_continuation(pending[-1], current):
            prev = pending[-1]
            prev.content = f"{prev.content} {content}"
            prev.segments = [
                *prev.segments[:-1],
                f"{prev.segments[-1]} {segments[0]}",
                *segments[1:],
            ]
            continue
        pending.append(current)
    return _render(pending)


def _with(
    raw: RawLine, blank_before: bool, cells: tuple[str, ...] | None, indent: int | None = None
) -> RawLine:
    return RawLine(
        text=raw.text,
        indent=raw.indent if indent is None else indent,
        blank_before=raw.blank_before or blank_before,
        heading_level=raw.heading_level,
        bold=raw.bold,
        list_item=raw.list_item,
        cells=cells,
        origin=raw.origin,
        may_wrap=raw.may_wrap,
    )


def _is_continuation(prev: _Pending, cur: _Pending) -> bool:
    """Whether `cur` is the wrapped tail of `prev` (PDF and hard-wrapped text)."""
    if not (prev.raw.may_wrap and cur.raw.may_wrap) or cur.raw.blank_before:
        return False
    if cur.is_bullet or cur.raw.heading_level is not None or prev.raw.heading_level is not None:
        return False
    if prev.raw.cells is not None or cur.raw.origin != prev.raw.origin:
        return False
    if len(prev.content) + len(cur.content) > MAX_JOINED_CHARS:
        return False
    first = cur.content[0]
    if _CONTACT_TOKEN.match(cur.content.split(" ", 1)[0]):
        return False
    if section_kind(cur.content) is not None or section_kind(prev.content) is not None:
        return False
    if _is_date_line(cur.content):
        return False
    if (
        prev.is_bullet
        and cur.raw.indent >= prev.content_indent - 1
        and cur.raw.indent > prev.raw.indent
    ):
        # Hanging indent under a bullet: the classic wrapped bullet.
        return True
    if prev.content.endswith(_SENTENCE_END) or len(prev.segments) > 1 or len(cur.segments) > 1:
        return False
    # Case matters: "Portland, OR" ends in a state code, not the conjunction "or".
    last_word = prev.content.rsplit(" ", 1)[-1]
    starts_lower = first.isalpha() and first.islower()
    aligned = abs(cur.raw.indent - prev.content_indent) <= 1 or (
        prev.is_bullet and cur.raw.indent >= prev.content_indent - 1
    )
    return aligned and (
        starts_lower or last_word in _JOIN_WORDS or prev.content.endswith((",", "&"))
    )


def _is_date_line(text: str) -> bool:
    found = find_date_range(text)
    return (
        found is not None and found.has_range and len(text) - (found.span[1] - found.span[0]) < 25
    )


def _render(pending: list[_Pending]) -> tuple[str, list[LogicalLine]]:
    rows: list[str] = []
    out: list[LogicalLine] = []
    offset = 0
    for p in pending:
        if p.raw.blank_before and rows and rows[-1] != "":
            rows.append("")
            offset += 1
        prefix = "- " if p.is_bullet else ""
        start = offset + len(prefix)
        row = prefix + p.content
        line = Line(
            id=f"L{len(out)}",
            text=p.content,
            span=SourceSpan(line=len(rows), start=start, end=start + len(p.content)),
            is_bullet=p.is_bullet,
        )
        out.append(
            LogicalLine(
                line=line,
                indent=p.raw.indent,
                blank_before=p.raw.blank_before,
                heading_level=p.raw.heading_level,
                bold=p.raw.bold,
                is_bullet=p.is_bullet,
                origin=p.raw.origin,
                segments=p.segments,
                cells=p.raw.cells,
            )
        )
        rows.append(row)
        offset += len(row) + 1
    return "\n".join(rows), out
