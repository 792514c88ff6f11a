"""`export()`: render a document in one format and, for PDF/DOCX, verify it reads back."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.exports.docx_writer import render_docx
from app.exports.errors import ExportError
from app.exports.formats import CONTENT_TYPES, ExportFormat
from app.exports.markdown_writer import render_markdown
from app.exports.model import RenderDocument, normalised, text_items
from app.exports.pdf import render_pdf
from app.exports.roundtrip import check_roundtrip
from app.exports.templates import check_template
from app.exports.text_writer import render_text

# Far beyond any resume or letter; keeps the in-process renderers (DOCX, text) bounded.
MAX_EXPORT_CHARS = 300_000


@dataclass(frozen=True)
class ExportResult:
    data: bytes
    content_type: str
    extension: str  # without the dot: "pdf", "docx", "md", "txt"
    warnings: list[str] = field(default_factory=list)  # round-trip findings, [] if faithful


def export(
    doc: RenderDocument,
    fmt: ExportFormat,
    template: str = "classic",
    *,
    timeout_s: float | None = None,  # None: the configured budget (Settings.export_timeout_s)
    roundtrip: bool = True,
) -> ExportResult:
    """Render `doc` as `fmt` with `template`; PDF and DOCX are read back and compared.

    Raises ExportError: INVALID_TEMPLATE, EXPORT_TIMEOUT (PDF over `timeout_s`) or
    EXPORT_FAILED. Blocks (PDF waits for a worker process): use asyncio.to_thread.
    """
    check_template(template)
    if fmt not in CONTENT_TYPES:
        raise ExportError("EXPORT_FAILED", f"Unsupported export format {fmt!r}.")
    doc = normalised(doc)
    if sum(len(text) for _, text in text_items(doc)) > MAX_EXPORT_CHARS:
        raise ExportError("EXPORT_FAILED", "The document is too long to export.")
    try:
        if fmt == "PDF":
            data = render_pdf(doc, template, timeout_s=timeout_s)
        elif fmt == "DOCX":
            data = render_docx(doc, template)
        elif fmt == "MARKDOWN":
            data = render_markdown(doc, template).encode("utf-8")
        else:
            data = render_text(doc, template).encode("utf-8")
    except ExportError:
        raise
    except Exception as exc:
        raise ExportError("EXPORT_FAILED", "The document could not be exported.") from exc
    warnings: list[str] = []
    if roundtrip and fmt in ("PDF", "DOCX"):
        warnings = check_roundtrip(doc, data, "PDF" if fmt == "PDF" else "DOCX")
    content_type, extension = CONTENT_TYPES[fmt]
    return ExportResult(data, content_type, extension, warnings)
