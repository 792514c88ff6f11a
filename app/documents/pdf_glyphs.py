"""Positioned text of a PDF page: glyph runs with position, size and weight, then rows.

Why pypdf's layout-mode text state machine rather than pdfminer.six/pdfplumber: it is the
library the project already ships, it is several times faster than pdfminer's pure-Python
layout analysis on the same pages (the parse-time budget is 1.5x of the old reader, which
already ran this machinery), and it keeps the sandbox's memory small. It gives, for every
text-show operation, the start and end x (from the font's real glyph widths), the
baseline, the effective font height and the font, which is all that reading order,
wrapping and emphasis need. Its text-state helpers are internal to pypdf, so the import
is guarded: when they move, `page_rows` raises `GlyphsUnavailable` and the caller falls
back to the character-grid reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, ContentStream, StreamObject

try:  # pypdf internals (see the module docstring)
    from pypdf._text_extraction._layout_mode._fixed_width_page import (
        recurse_to_target_op,
        set_font_operation,
    )
    from pypdf._text_extraction._layout_mode._text_state_manager import TextStateManager
except ImportError:  # pragma: no cover - depends on the installed pypdf
    recurse_to_target_op = None  # type: ignore[assignment]

_WIDE_GAP_EM = 1.1  # a horizontal gap wider than this (in font heights) separates chunks
_SPACE_GAP_EM = 0.12  # a gap wider than this between glyphs is a word space
_SAME_ROW_EM = 0.45  # baselines closer than this (in font heights) are one row


class GlyphsUnavailable(Exception):
    """The page's text could not be read with positions (caller falls back)."""


@dataclass
class Glyphs:
    """One text-show operation: usually a glyph, a word or a whole line."""

    x0: float
    x1: float
    top: float  # baseline distance from the top of the page
    size: float  # effective font height
    bold: bool
    text: str


@dataclass
class Chunk:
    """Glyphs of one row that sit together (no wide gap inside)."""

    x0: float
    x1: float
    top: float
    size: float
    bold: bool
    text: str
    word_spans: list[tuple[float, float]] = field(default_factory=list)  # x0, x1 per word


@dataclass
class Row:
    top: float
    chunks: list[Chunk]


def _is_bold(font: Any) -> bool:
    name = str(getattr(font, "name", "") or "").lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi"))


def page_glyphs(reader: PdfReader, page: PageObject) -> list[Glyphs]:
    if recurse_to_target_op is None:
        raise GlyphsUnavailable("pypdf text state helpers not found")
    contents = page.get("/Contents")
    if contents is not None:
        contents = contents.get_object()
    if not isinstance(contents, ArrayObject | StreamObject):
        return []
    try:
        fonts = page._layout_mode_fonts()
        ops = iter(ContentStream(contents, reader, "bytes").operations)
        state = TextStateManager()
        shows: list[Any] = []
        for operands, op in ops:
            if op == b"BT":
                shows.extend(recurse_to_target_op(ops, state, b"ET", fonts, True)[1])
            elif op == b"q":
                shows.extend(recurse_to_target_op(ops, state, b"Q", fonts, True)[1])
            elif op == b"Tf":
                set_font_operation(state, fonts, operands)
            else:
                state.set_state_param(op, operands)
    except Exception as exc:
        raise GlyphsUnavailable(str(exc)) from exc
    height = float(page.mediabox.height)
    out: list[Glyphs] = []
    for show in shows:
        # PDF 32000-1 Annex D: in WinAnsiEncoding unused codes show the bullet glyph;
        # pypdf passes code 0x7F through, and reportlab writes bullets so.
        text = show.text.replace("\x7f", "•")
        if not text or show.rotated:
            continue
        top = show.ty if show.flip_vertical else height - show.ty
        x0, x1 = sorted((float(show.tx), float(show.displaced_tx)))
        out.append(Glyphs(x0, x1, float(top), abs(float(show.font_height)) or 1.0,
                          _is_bold(show.font), text))  # fmt: skip
    return out


def _row_groups(glyphs: list[Glyphs]) -> list[list[Glyphs]]:
    ordered = sorted(glyphs, key=lambda g: (g.top, g.x0))
    rows: list[list[Glyphs]] = []
    for g in ordered:
        if rows:
            last = rows[-1]
            ref = last[0]
            if abs(g.top - ref.top) <= _SAME_ROW_EM * max(min(g.size, ref.size), 1.0):
                last.append(g)
                continue
        rows.append([g])
    return rows


def _chunks(row: list[Glyphs]) -> list[Chunk]:
    row = sorted(row, key=lambda g: g.x0)
    chunks: list[Chunk] = []
    for g in row:
        cur = chunks[-1] if chunks else None
        gap = g.x0 - cur.x1 if cur is not None else 0.0
        if cur is None or gap > _WIDE_GAP_EM * max(g.size, cur.size):
            chunks.append(Chunk(g.x0, g.x1, g.top, g.size, g.bold, "", []))
            cur = chunks[-1]
            gap = 0.0
        needs_space = gap > _SPACE_GAP_EM * g.size and not cur.text.endswith(" ")
        new_word = needs_space or not cur.text or cur.text.endswith(" ") or g.text[0] == " "
        if needs_space and not g.text.startswith(" "):
            cur.text += " "
        cur.text += g.text
        cur.x1 = max(cur.x1, g.x1)
        cur.size = max(cur.size, g.size)
        if g.text.strip():
            cur.bold = cur.bold and g.bold
        _extend_words(cur, g, new_word)
    for c in chunks:
        c.text = " ".join(c.text.split())
    return [c for c in chunks if c.text]


def _extend_words(chunk: Chunk, g: Glyphs, new_word: bool) -> None:
    """Track word extents: the wrap test needs the width of a line's first word."""
    pieces = g.text.split(" ")
    width = (g.x1 - g.x0) / max(len(g.text), 1)
    pos = g.x0
    for i, piece in enumerate(pieces):
        if piece:
            start, end = pos, pos + width * len(piece)
            if chunk.word_spans and not new_word and i == 0:
                chunk.word_spans[-1] = (chunk.word_spans[-1][0], end)
            else:
                chunk.word_spans.append((start, end))
        pos += width * (len(piece) + 1)
        new_word = True


def page_rows(reader: PdfReader, page: PageObject) -> list[Row]:
    """Rows of chunks, top to bottom; chunks left to right."""
    return [
        Row(top=min(g.top for g in group), chunks=_chunks(group))
        for group in _row_groups(page_glyphs(reader, page))
        if any(g.text.strip() for g in group)
    ]
