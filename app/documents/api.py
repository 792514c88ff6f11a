"""Public entry points: bytes or text in, typed documents out."""

from __future__ import annotations

from app.documents.docx_reader import read_docx
from app.documents.errors import DocumentError
from app.documents.job_posting import build_job_posting
from app.documents.limits import (
    MAX_JOB_BYTES,
    MAX_JOB_TEXT_CHARS,
    MAX_RESUME_BYTES,
    check_not_empty,
    check_size,
)
from app.documents.markdown import read_markdown
from app.documents.models import JobPosting, ResumeDocument
from app.documents.pdf import read_pdf
from app.documents.plaintext import read_text
from app.documents.resume import build_resume
from app.documents.sanitize import html_to_text, markdown_to_text
from app.documents.sniff import classify_text, decode_text, sniff_format


def parse_resume(
    data: bytes, filename: str | None = None, *, max_bytes: int = MAX_RESUME_BYTES
) -> ResumeDocument:
    """Parse a resume upload (PDF, DOCX, Markdown or plain text), sniffed from content."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DocumentError("INVALID_INPUT", "The resume must be given as bytes.")
    data = bytes(data)
    check_not_empty(data, "resume")
    check_size(data, max_bytes, "resume")
    fmt = sniff_format(data, filename)
    if fmt == "pdf":
        pdf = read_pdf(data)
        return build_resume(pdf.lines, "pdf", page_count=pdf.page_count)
    if fmt == "docx":
        return build_resume(read_docx(data), "docx")
    text = decode_text(data)
    if fmt == "markdown":
        return build_resume(read_markdown(text), "markdown")
    if fmt == "html":
        return build_resume(read_text(html_to_text(text)), "text")
    return build_resume(read_text(text), "text")


def parse_job_posting(
    text: str,
    title: str | None = None,
    company: str | None = None,
    *,
    max_chars: int = MAX_JOB_TEXT_CHARS,
) -> JobPosting:
    """Parse a pasted job description (plain text, Markdown or HTML)."""
    if not isinstance(text, str):
        raise DocumentError("INVALID_INPUT", "The job description must be text.")
    check_size(text, max_chars, "job description")
    check_not_empty(text, "job description")
    return build_job_posting(text, title=title, company=company)


def parse_job_posting_bytes(
    data: bytes,
    filename: str | None = None,
    title: str | None = None,
    company: str | None = None,
    *,
    max_bytes: int = MAX_JOB_BYTES,
) -> JobPosting:
    """Parse an uploaded job description file (PDF, DOCX, TXT, MD, HTML)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise DocumentError("INVALID_INPUT", "The job description must be given as bytes.")
    data = bytes(data)
    check_not_empty(data, "job description")
    check_size(data, max_bytes, "job description")
    fmt = sniff_format(data, filename)
    if fmt == "pdf":
        text = "\n".join(
            ("\n" if raw.blank_before else "") + " " * raw.indent + raw.text
            for raw in read_pdf(data).lines
        )
    elif fmt == "docx":
        text = "\n".join(_docx_job_lines(data))
    else:
        text = decode_text(data)
        if classify_text(text, filename) == "markdown":
            text = markdown_to_text(text)
    return parse_job_posting(text, title=title, company=company, max_chars=max_bytes)


def _docx_job_lines(data: bytes) -> list[str]:
    out: list[str] = []
    for raw in read_docx(data):
        if raw.cells is not None:
            out.append(" | ".join(c for c in raw.cells if c))
        elif raw.list_item:
            out.append(f"- {raw.text}")
        else:
            out.append(raw.text)
    return out
