"""PDF to raw lines: glyph geometry first, pypdf's character-grid text as the fallback.

The main reader (`pdf_glyphs` + `pdf_layout`) works on positioned glyph runs: columns,
running heads, wrapped lines and emphasis come from real coordinates, sizes and fonts.
When pypdf's text-state internals are unavailable, the fallback renders each page onto a
fixed-width character grid (layout mode), finds a "gutter" (a band of character columns
blank on nearly every row with text on both sides), and reads the left column, then the
right one, instead of interleaving them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PasswordType, PdfReader

from app.documents.errors import DocumentError
from app.documents.limits import PDF_MAX_PAGES
from app.documents.pdf_glyphs import GlyphsUnavailable, page_rows
from app.documents.pdf_layout import drop_running_heads, flow, page_columns, to_raw_lines
from app.documents.reading_order import order_columns, quiet_runs
from app.documents.text_lines import RawLine

_MIN_TEXT_CHARS = 20
_MIN_COLUMN_WIDTH = 8
_MIN_GUTTER = 2
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$", re.I
)


@dataclass
class PdfText:
    lines: list[RawLine]
    page_count: int


def read_pdf(data: bytes, *, max_pages: int = PDF_MAX_PAGES) -> PdfText:
    reader = _open(data)
    try:
        page_count = len(reader.pages)
    except Exception as exc:
        raise _damaged() from exc
    if page_count == 0:
        raise DocumentError("PARSE_FAILED", "The PDF has no pages.")
    if page_count > max_pages:
        raise DocumentError(
            "SIZE_EXCEEDED",
            f"The PDF has {page_count} pages; at most {max_pages} are accepted for a resume "
            "or job description.",
        )
    try:
        lines = _read_with_geometry(reader)
    except GlyphsUnavailable:
        lines = _read_with_grid(reader, page_count)
    return PdfText(lines=lines, page_count=page_count)


def _scanned() -> DocumentError:
    return DocumentError(
        "PARSE_FAILED",
        "This PDF has no selectable text: it looks scanned (image-only). Text cannot be "
        "read from images. Upload the original DOCX or a text-based PDF (export or "
        "'Save as PDF' from your editor), or paste the text.",
    )


def _read_with_geometry(reader: PdfReader) -> list[RawLine]:
    """Lines from glyph positions (see pdf_glyphs/pdf_layout). Raises GlyphsUnavailable
    when a page cannot be read so; the grid reader then reads what it can."""
    pages = []
    heights = []
    for page in reader.pages:
        try:
            pages.append(page_rows(reader, page))
            heights.append(float(page.mediabox.height))
        except GlyphsUnavailable:
            raise
        except Exception as exc:  # a damaged page: let the tolerant reader try
            raise GlyphsUnavailable(str(exc)) from exc
    visible = sum(len(c.text.replace(" ", "")) for rows in pages for r in rows for c in r.chunks)
    if visible < _MIN_TEXT_CHARS:
        raise _scanned()
    drop_running_heads(pages, heights)
    columns = [page_columns(no, rows) for no, rows in enumerate(pages)]
    return to_raw_lines(flow(columns))


def _read_with_grid(reader: PdfReader, page_count: int) -> list[RawLine]:
    """Fallback: pypdf's character-grid layout text, split at a gutter if there is one."""
    pages: list[list[str]] = []
    failures = 0
    for page in reader.pages:
        try:
            text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True)
        except Exception:
            # One broken page should not lose the rest of the document.
            failures += 1
            text = ""
        # PDF 32000-1 Annex D: in WinAnsiEncoding unused codes above octal 40 show the
        # bullet glyph; pypdf passes code 0x7F through, and reportlab writes bullets so.
        pages.append(text.replace("\x7f", "•").split("\n"))
    if failures == page_count:
        raise _damaged()
    visible = sum(len("".join("".join(rows).split())) for rows in pages)
    if visible < _MIN_TEXT_CHARS:
        raise _scanned()
    _drop_running_headers(pages)
    lines: list[RawLine] = []
    for page_no, rows in enumerate(pages):
        page_lines = page_to_lines(rows)
        if page_lines and page_no > 0:
            page_lines[0].blank_before = True
        lines.extend(page_lines)
    return lines


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise _damaged() from exc
    if reader.is_encrypted:
        try:
            # Many "protected" PDFs only restrict printing/copying and open with an empty
            # user password; those are readable and fine to parse.
            result = reader.decrypt("")
        except Exception as exc:
            raise _encrypted() from exc
        if result == PasswordType.NOT_DECRYPTED:
            raise _encrypted()
    return reader


def _encrypted() -> DocumentError:
    return DocumentError(
        "PARSE_FAILED",
        "The PDF is password-protected (encrypted). Remove the password and upload it "
        "again, or upload a DOCX or text version.",
    )


def _damaged() -> DocumentError:
    return DocumentError(
        "PARSE_FAILED",
        "The PDF could not be read; it may be damaged. Re-export it from your editor, "
        "or upload a DOCX or text version.",
    )


def _drop_running_headers(pages: list[list[str]]) -> None:
    """Remove page numbers and lines repeated at the top/bottom of every page."""
    for rows in pages:
        for idx, row in enumerate(rows):
            if _PAGE_NUMBER.match(row.strip()):
                rows[idx] = ""
    if len(pages) < 2:
        return

    def edge_keys(rows: list[str]) -> set[str]:
        filled = [r.strip() for r in rows if r.strip()]
        return {re.sub(r"\d+", "#", r) for r in filled[:2] + filled[-2:]}

    counts: dict[str, int] = {}
    for rows in pages:
        for key in edge_keys(rows):
            counts[key] = counts.get(key, 0) + 1
    repeated = {k for k, n in counts.items() if n >= max(2, len(pages) // 2 + 1)}
    if not repeated:
        return
    for page_no, rows in enumerate(pages):
        if page_no == 0:
            continue  # the first occurrence (usually name/contact) is content
        for idx, row in enumerate(rows):
            if re.sub(r"\d+", "#", row.strip()) in repeated:
                rows[idx] = ""


def find_gutter(rows: list[str]) -> tuple[int, int] | None:
    """[start, end) character columns of a vertical gutter between two columns, if any."""
    filled = [r for r in rows if r.strip()]
    if len(filled) < 6:
        return None
    width = max(len(r) for r in filled)
    occupancy = [0] * (width + 1)
    for r in filled:
        for c, ch in enumerate(r):
            if ch != " ":
                occupancy[c] += 1
    tolerance = max(1, len(filled) // 20)
    best: tuple[int, tuple[int, int]] | None = None
    for start, end in quiet_runs(occupancy[:width], tolerance):
        if (
            end - start < _MIN_GUTTER
            or start < _MIN_COLUMN_WIDTH
            or width - end < _MIN_COLUMN_WIDTH
        ):
            continue
        left = sum(1 for r in filled if r[:start].strip() and not _crosses(r, start, end))
        right = sum(1 for r in filled if r[end:].strip() and not _crosses(r, start, end))
        both = sum(1 for r in filled if r[:start].strip() and r[end:].strip())
        need = max(3, len(filled) // 4)
        if left < need or right < need or both < max(2, len(filled) // 10):
            continue
        if not _right_column_aligned(filled, start, end):
            continue
        score = min(left, right)
        if best is None or score > best[0]:
            best = (score, (start, end))
    return best[1] if best else None


def _crosses(row: str, start: int, end: int) -> bool:
    return bool(row[start:end].strip())


def _split_row(row: str, start: int, end: int) -> tuple[str, str] | None:
    """(left, right) parts of a row at the gutter; None for a genuinely full-width row.

    The character grid is approximate, so a long left-column line can poke into the
    gutter; it still splits cleanly at the widest space run overlapping the gutter.
    """
    if not _crosses(row, start, end):
        return row[:start], row[end:]
    best: tuple[int, int] | None = None
    for m in re.finditer(r" {2,}", row):
        a, b = m.span()
        if b < start - 2 or a > end + 2:
            continue
        if best is None or (b - a) > (best[1] - best[0]):
            best = (a, b)
    if best is None:
        return None
    a, b = best
    right = " " * (b - end) + row[b:] if b >= end else row[b:]
    return row[:a], right


def _right_column_aligned(rows: list[str], start: int, end: int) -> bool:
    # A real column has a shared left edge; right-aligned dates in a one-column layout
    # start wherever their length puts them.
    starts: dict[int, int] = {}
    right_rows = 0
    for r in rows:
        if _crosses(r, start, end):
            continue
        tail = r[end:]
        if tail.strip():
            right_rows += 1
            pos = len(tail) - len(tail.lstrip())
            starts[pos] = starts.get(pos, 0) + 1
    if not right_rows:
        return False
    edge = min(starts)
    near_edge = sum(n for pos, n in starts.items() if pos <= edge + 6)
    return near_edge >= 0.6 * right_rows


def page_to_lines(rows: list[str]) -> list[RawLine]:
    rows = [r.rstrip() for r in rows]
    gutter = find_gutter(rows)
    if gutter is None:
        return _column_lines(rows)
    start, end = gutter
    split = [_split_row(r, start, end) if r.strip() else ("", "") for r in rows]
    split_rows = [i for i, parts in enumerate(split) if parts is not None and rows[i].strip()]
    first, last = split_rows[0], split_rows[-1]
    top = [r for i, r in enumerate(rows) if i < first and split[i] is None]
    bottom = [r for i, r in enumerate(rows) if i > last and split[i] is None]
    left: list[str] = []
    right: list[str] = []
    for i in range(first, last + 1):
        parts = split[i]
        if parts is None:
            # A full-width line between column rows stays with the left column.
            left.append(rows[i])
            right.append("")
        else:
            left.append(parts[0])
            right.append(parts[1])
    columns = order_columns([_column_lines(left), _column_lines(right)])
    return _column_lines(top) + columns + _column_lines(bottom)


def _column_lines(rows: list[str]) -> list[RawLine]:
    filled = [r for r in rows if r.strip()]
    if not filled:
        return []
    margin = min(len(r) - len(r.lstrip()) for r in filled)
    out: list[RawLine] = []
    blank = False
    for r in rows:
        if not r.strip():
            blank = True
            continue
        indent = len(r) - len(r.lstrip()) - margin
        out.append(RawLine(text=r.strip(), indent=indent, blank_before=blank))
        blank = False
    return out
