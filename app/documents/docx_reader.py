"""DOCX to raw lines with python-docx, after checking the zip is not a bomb.

Reads body content in document order (paragraphs, tables, content controls), page
headers first and footers last (contact details often live in the header), paragraph
styles as heading/list hints, whole-bold paragraphs as heading hints, and text boxes.
Tables are either data (each row becomes one line of cells, e.g. a skills grid) or page
layout (a two-column resume built from a table), which is read cell by cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from app.documents.errors import DocumentError
from app.documents.limits import (
    DOCX_MAX_COMPRESSION_RATIO,
    DOCX_MAX_ENTRIES,
    DOCX_MAX_TOTAL_UNCOMPRESSED,
    DOCX_RATIO_CHECK_MIN_BYTES,
)
from app.documents.reading_order import dates_onto_entry, order_columns
from app.documents.text_lines import Origin, RawLine

_W_P = qn("w:p")
_W_TBL = qn("w:tbl")
_W_SDT = qn("w:sdt")
_W_SDT_CONTENT = qn("w:sdtContent")
_W_T = qn("w:t")
_W_TAB = qn("w:tab")
_W_BR = qn("w:br")
_W_CR = qn("w:cr")
_W_NB_HYPHEN = qn("w:noBreakHyphen")
_W_TXBX = qn("w:txbxContent")
_W_PPR = qn("w:pPr")
_W_R = qn("w:r")
_W_RPR = qn("w:rPr")
_W_B = qn("w:b")
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_SUBTREES = frozenset({_W_TXBX, _MC_FALLBACK, qn("w:del"), qn("w:pPr"), qn("w:rPr")})
_BOMB = (
    "The Word file looks like a zip bomb (it would expand to far more data than a resume "
    "holds) and was rejected without opening it. Re-save the document from Word or export "
    "a PDF."
)


class _Styles:
    """Style facts read once from styles.xml.

    python-docx resolves styles by scanning the whole style list on every lookup, which
    dominated parse time; resumes only need name, base style, bold and numbering.
    """

    def __init__(self, document: DocxDocument) -> None:
        self.name: dict[str, str] = {}
        self.base: dict[str, str] = {}
        self.bold: dict[str, bool] = {}
        self.numbered: set[str] = set()
        self.default_paragraph: str | None = None
        for style in document.styles.element.iterchildren(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            if sid is None:
                continue
            name = style.find(qn("w:name"))
            self.name[sid] = str(name.get(qn("w:val")) if name is not None else sid).lower()
            based = style.find(qn("w:basedOn"))
            if based is not None and based.get(qn("w:val")):
                self.base[sid] = str(based.get(qn("w:val")))
            rpr = style.find(qn("w:rPr"))
            bold = _on_off(rpr.find(qn("w:b"))) if rpr is not None else None
            if bold is not None:
                self.bold[sid] = bold
            ppr = style.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:numPr")) is not None:
                self.numbered.add(sid)
            if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in (
                "1",
                "true",
            ):
                self.default_paragraph = sid

    def chain(self, sid: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while sid is not None and sid not in seen and len(seen) < 20:
            seen.add(sid)
            yield sid
            sid = self.base.get(sid)

    def is_bold(self, sid: str | None) -> bool | None:
        for s in self.chain(sid):
            if s in self.bold:
                return self.bold[s]
        return None


def _on_off(element: Any) -> bool | None:
    if element is None:
        return None
    value = element.get(qn("w:val"))
    return value is None or value.lower() in ("1", "true", "on")


def check_zip(
    data: bytes,
    *,
    max_entries: int = DOCX_MAX_ENTRIES,
    max_total: int = DOCX_MAX_TOTAL_UNCOMPRESSED,
    max_ratio: int = DOCX_MAX_COMPRESSION_RATIO,
) -> None:
    """Reject archives by their central directory, before any entry is inflated.

    Declared sizes are trustworthy enough here: zipfile stops reading an entry at its
    declared size and fails the CRC check if the data was longer, so a lying header
    cannot make python-docx inflate more than we approved.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(
            "PARSE_FAILED", "The Word file is damaged and could not be opened. Re-save it."
        ) from exc
    if len(infos) > max_entries:
        raise DocumentError(
            "PARSE_FAILED", f"{_BOMB} (It has {len(infos)} parts; at most {max_entries}.)"
        )
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise DocumentError("PARSE_FAILED", _BOMB)
    for info in infos:
        if info.file_size < DOCX_RATIO_CHECK_MIN_BYTES:
            continue
        if info.compress_size == 0 or info.file_size / info.compress_size > max_ratio:
            raise DocumentError("PARSE_FAILED", _BOMB)
    if any(i.flag_bits & 0x1 for i in infos):
        raise DocumentError(
            "PARSE_FAILED",
            "The Word file is password-protected. Remove the password and upload it again.",
        )


def read_docx(data: bytes) -> list[RawLine]:
    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        reader = _Reader(document)
        lines: list[RawLine] = []
        lines.extend(reader.header_footer_lines("header"))
        lines.extend(reader.block_lines(document.element.body, document, "body"))
        lines.extend(reader.header_footer_lines("footer"))
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(
            "PARSE_FAILED",
            "The Word file could not be read; it may be damaged or not a real .docx. "
            "Re-save it from Word or export a PDF.",
        ) from exc
    return lines


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self.document = document
        self.styles = _Styles(document)

    def header_footer_lines(self, which: Origin) -> list[RawLine]:
        out: list[RawLine] = []
        seen: set[str] = set()
        for section in self.document.sections:
            parts = (
                (section.first_page_header, section.header, section.even_page_header)
                if which == "header"
                else (section.first_page_footer, section.footer, section.even_page_footer)
            )
            for part in parts:
                if part.is_linked_to_previous:
                    continue
                for raw in self.block_lines(part._element, part, which):
                    key = raw.text.strip()
                    if key and key not in seen:
                        seen.add(key)
                        out.append(raw)
        if out:
            out[0].blank_before = True
            out.append(RawLine(text="", origin=which))
        return out

    def block_lines(self, container: Any, parent: Any, origin: Origin) -> Iterator[RawLine]:
        for child in container.iterchildren():
            tag = child.tag
            if tag == _W_P:
                yield from self.paragraph_lines(Paragraph(child, parent), origin)
            elif tag == _W_TBL:
                yield from self.table_lines(Table(child, parent), origin)
            elif tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    yield from self.block_lines(content, parent, origin)

    def paragraph_lines(self, paragraph: Paragraph, origin: Origin) -> Iterator[RawLine]:
        # Text boxes anchored in this paragraph come first: they are usually sidebars or
        # banners that sit at or above the anchor position.
        for box in paragraph._p.iter(_W_TXBX):
            if _inside_fallback(box):
                continue
            yield from self.block_lines(box, paragraph._parent, origin)
        text = _paragraph_text(paragraph._p)
        if not text.strip():
            yield RawLine(text="", origin=origin)
            return
        level = self.heading_level(paragraph)
        list_item = self.is_list(paragraph)
        bold = level is None and self.all_bold(paragraph)
        for i, part in enumerate(text.split("\n")):
            yield RawLine(
                text=part,
                indent=len(part) - len(part.lstrip(" \t")),
                heading_level=level,
                bold=bold,
                list_item=list_item and i == 0,
                origin=origin,
                may_wrap=False,
            )

    def _style_id(self, paragraph: Paragraph) -> str | None:
        sid = paragraph._p.style
        return str(sid) if sid else self.styles.default_paragraph

    def heading_level(self, paragraph: Paragraph) -> int | None:
        for sid in self.styles.chain(self._style_id(paragraph)):
            name = self.styles.name.get(sid, "")
            if name == "title":
                return 0
            if name.startswith("heading"):
                digits = "".join(ch for ch in name if ch.isdigit())
                return int(digits) if digits else 1
        ppr = paragraph._p.find(_W_PPR)
        if ppr is not None:
            outline = ppr.find(qn("w:outlineLvl"))
            if outline is not None:
                value = outline.get(qn("w:val"))
                if value is not None and value.isdigit() and int(value) < 9:
                    return int(value) + 1
        return None

    def is_list(self, paragraph: Paragraph) -> bool:
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return True
        for sid in self.styles.chain(self._style_id(paragraph)):
            if sid in self.styles.numbered or self.styles.name.get(sid, "").startswith("list"):
                return True
        return False

    def all_bold(self, paragraph: Paragraph) -> bool:
        paragraph_bold = bool(self.styles.is_bold(self._style_id(paragraph)))
        seen_text = False
        for run in paragraph._p.iter(_W_R):
            if _inside_textbox(run, paragraph._p):
                continue
            text = "".join(t.text or "" for t in run.iter(_W_T))
            if not text.strip():
                continue
            seen_text = True
            rpr = run.find(_W_RPR)
            bold = _on_off(rpr.find(_W_B)) if rpr is not None else None
            if bold is None and rpr is not None:
                rstyle = rpr.find(qn("w:rStyle"))
                if rstyle is not None:
                    bold = self.styles.is_bold(rstyle.get(qn("w:val")))
            if bold is None:
                bold = paragraph_bold
            if not bold:
                return False
        return seen_text

    def table_lines(self, table: Table, origin: Origin) -> Iterator[RawLine]:
        rows = [_unique_cells(row.cells) for row in table.rows]
        if self.is_layout_table(rows):
            for cells in rows:
                columns = [
                    [RawLine(text="", origin=origin), *self.block_lines(cell._tc, cell, origin)]
                    for cell in cells
                ]
                yield from order_columns(dates_onto_entry(columns))
            yield RawLine(text="", origin=origin)
            return
        yield RawLine(text="", origin=origin)
        for cells in rows:
            texts = tuple(" ".join(_cell_text(c).split()) for c in cells)
            if any(texts):
                yield RawLine(text=" | ".join(texts), cells=texts, origin="table", may_wrap=False)
        yield RawLine(text="", origin=origin)

    def is_layout_table(self, rows: list[list[_Cell]]) -> bool:
        """A table used to lay out the page (columns of sections), not a grid of values."""
        for cells in rows:
            for cell in cells:
                if cell._tc.find(".//" + _W_TBL) is not None:
                    return True
                paragraphs = [p for p in cell.paragraphs if _paragraph_text(p._p).strip()]
                if len(paragraphs) > 3:
                    return True
                if any(self.heading_level(p) is not None or self.is_list(p) for p in paragraphs):
                    return True
        return False


def _inside_fallback(element: Any) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == _MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _inside_textbox(element: Any, stop: Any) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in (_W_TXBX, _MC_FALLBACK):
            return True
        parent = parent.getparent()
    return False


def _paragraph_text(p: Any) -> str:
    """Visible text of a paragraph: runs, hyperlinks, insertions and fields, not deleted
    text, field codes or text-box content (read separately)."""
    parts: list[str] = []

    def walk(el: Any) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_SUBTREES:
                continue
            if tag == _W_T:
                parts.append(child.text or "")
            elif tag == _W_TAB:
                parts.append("\t")
            elif tag in (_W_BR, _W_CR):
                parts.append("\n")
            elif tag == _W_NB_HYPHEN:
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _unique_cells(cells: list[_Cell]) -> list[_Cell]:
    # Merged cells repeat the same <w:tc> in python-docx's row.cells.
    out: list[_Cell] = []
    seen: set[int] = set()
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def _cell_text(cell: _Cell) -> str:
    # Paragraphs of one cell are separate items (an e-mail above a phone number), so
    # they are joined with a separator every downstream splitter knows.
    texts = (
        " ".join(part.split())
        for p in cell.paragraphs
        for part in _paragraph_text(p._p).split("\n")  # line breaks inside a paragraph
    )
    return " · ".join(t for t in texts if t)
