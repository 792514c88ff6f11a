"""Round-trip check: read an exported PDF/DOCX back and compare it with what was meant.

A resume is re-parsed with `app.documents.parse_resume`, the same parser that reads
uploads and that stands in for an ATS: every section heading must come back as a
section, in order, and every piece of text (name, contact items, entry headers, dates
lines, paragraphs, bullets) must be present, in order. A cover letter has no sections to
recognise, so only its extracted text is compared.

Text is compared after normalising what PDF/DOCX extraction legitimately changes: NFKC
(ligatures such as "ﬁ"), curly quotes, case (CSS text-transform), and all whitespace
and hyphens/dashes (line wrapping, hyphenation, soft hyphens) are removed. Warnings are
short codes with the item that differs, e.g. "ROUNDTRIP_SECTION_MISSING: Experience";
an empty list means the file reads back faithfully.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Literal

import docx
from pypdf import PdfReader

from app.documents import SectionKind, parse_resume
from app.exports.model import RenderDocument, normalised, text_items

MAX_WARNINGS = 20
_SNIPPET = 60
_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″«»"})
# Whitespace, hyphens and dashes (incl. soft hyphen), and list/contact separators that
# extraction may add or drop around wrapped or bulleted text.
_SQUASH = re.compile(r"[\s\u00ad\-‐‑‒–—―−•·▪‣◦|]+")
_NON_WORD = re.compile(r"\W+")


def squash(text: str) -> str:
    """Comparison form of `text`: see the module docstring."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SQUASH.sub("", text).casefold()


def check_roundtrip(doc: RenderDocument, data: bytes, fmt: Literal["PDF", "DOCX"]) -> list[str]:
    """Warnings about what did not survive the trip through `data`; [] when faithful."""
    doc = normalised(doc)
    warnings: list[str] = []
    try:
        if doc.kind == "resume":
            parsed = parse_resume(data, f"export.{fmt.lower()}")
            haystack = parsed.text
            found = [s.heading for s in parsed.sections if s.kind is not SectionKind.CONTACT]
            expected = [s.heading for s in doc.sections if s.heading]
            warnings += _check_sections(expected, found)
        else:
            haystack = extract_text(data, fmt)
    except Exception as exc:  # any failure to read our own file is itself the finding
        return [f"ROUNDTRIP_UNREADABLE: {getattr(exc, 'code', type(exc).__name__)}"]
    # Resume headings were checked as sections above; checking them again as text would
    # hide a heading that is present but not recognised as one.
    skip = {"heading"} if doc.kind == "resume" else set()
    items = [text for role, text in text_items(doc) if role not in skip]
    warnings += _check_text(items, haystack)
    if len(warnings) > MAX_WARNINGS:
        extra = len(warnings) - MAX_WARNINGS
        warnings = [*warnings[:MAX_WARNINGS], f"ROUNDTRIP_MORE: {extra} further differences"]
    return warnings


def extract_text(data: bytes, fmt: Literal["PDF", "DOCX"]) -> str:
    """All text of an exported file, in document order."""
    if fmt == "PDF":
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def _check_sections(expected: list[str], found: list[str]) -> list[str]:
    keys = [_heading_key(h) for h in found]
    warnings: list[str] = []
    cursor = 0
    for heading in expected:
        key = _heading_key(heading)
        if key in keys[cursor:]:
            cursor = keys.index(key, cursor) + 1
        elif key in keys:
            warnings.append(f"ROUNDTRIP_ORDER: section {_snippet(heading)}")
        else:
            warnings.append(f"ROUNDTRIP_SECTION_MISSING: {_snippet(heading)}")
    return warnings


def _check_text(items: list[str], haystack: str) -> list[str]:
    """Each item must occur after the previous one (greedy leftmost match is exact for
    ordered containment)."""
    text = squash(haystack)
    warnings: list[str] = []
    cursor = 0
    for item in items:
        needle = squash(item)
        if not needle:
            continue
        at = text.find(needle, cursor)
        if at >= 0:
            cursor = at + len(needle)
        elif needle in text:
            warnings.append(f"ROUNDTRIP_ORDER: {_snippet(item)}")
        else:
            warnings.append(f"ROUNDTRIP_TEXT_MISSING: {_snippet(item)}")
    return warnings


def _heading_key(heading: str) -> str:
    return _NON_WORD.sub("", squash(heading))


def _snippet(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"
