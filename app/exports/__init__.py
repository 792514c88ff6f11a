"""Exports: pure renderers from a small document model to PDF, DOCX, HTML, Markdown, text.

`export()` is the entry point for services: it renders, and for PDF/DOCX reads the file
back with the resume parser and reports anything that did not survive the trip. PDF
rendering runs in a warm, killable worker process (`app.exports.pdf`).
"""

from app.exports.api import ExportResult, export
from app.exports.docx_writer import render_docx
from app.exports.errors import ExportError, ExportErrorCode
from app.exports.formats import (
    CONTENT_TYPES,
    EXPORT_FORMATS,
    FORMATS,
    ExportFormat,
    FormatInfo,
    download_name,
)
from app.exports.from_tailored import resume_document, stored_document
from app.exports.html_writer import render_html
from app.exports.markdown_writer import render_markdown
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
from app.exports.pdf import PdfResult, html_to_pdf, render_pdf
from app.exports.roundtrip import check_roundtrip
from app.exports.templates import TEMPLATES
from app.exports.text_writer import render_text

__all__ = [
    "CONTENT_TYPES",
    "EXPORT_FORMATS",
    "FORMATS",
    "TEMPLATES",
    "Block",
    "BulletList",
    "DocumentKind",
    "EntryHeader",
    "ExportError",
    "ExportErrorCode",
    "ExportFormat",
    "ExportResult",
    "ExportSection",
    "FormatInfo",
    "Paragraph",
    "PdfResult",
    "RenderDocument",
    "check_roundtrip",
    "download_name",
    "export",
    "from_markdown",
    "html_to_pdf",
    "normalised",
    "render_docx",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_text",
    "resume_document",
    "stored_document",
]
