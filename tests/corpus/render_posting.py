"""Job postings in the formats people paste or upload: text, Markdown, HTML, DOCX, PDF."""

from __future__ import annotations

import html
import io
from typing import Any

import docx

_REMOTE_WORD = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}


def _place(spec: dict[str, Any]) -> str:
    loc, remote = spec.get("location"), _REMOTE_WORD[spec["remote"]]
    return f"{loc} ({remote})" if loc else remote


def header_lines(spec: dict[str, Any]) -> list[str]:
    """The lines above the body, by where this posting writes its company."""
    style, title, company = spec["company_style"], spec["title"], spec["company"]
    if style == "header_dot":
        return [title, f"{company} · {_place(spec)}"]
    if style == "at_title":
        return [f"{title} at {company}", _place(spec)]
    if style == "field":
        return [title, f"Company: {company}", f"Location: {_place(spec)}"]
    if style == "is_hiring":
        return [title, f"{company} is hiring a {title} in {_place(spec)}."]
    return [title, _place(spec)]  # "about": the company is named in an About section


def _blocks(spec: dict[str, Any]) -> list[tuple[str | None, list[str]]]:
    """(heading, items); a "..._prose" section is written as one paragraph."""
    out: list[tuple[str | None, list[str]]] = []
    for heading, kind, items in spec["sections"]:
        texts = [text for text, _ in items]
        out.append((heading, [" ".join(texts)] if kind.endswith("_prose") else texts))
    return out


def to_text(spec: dict[str, Any]) -> str:
    out = [*header_lines(spec), ""]
    for heading, items in _blocks(spec):
        if heading:
            out.append(f"{heading}:")
        out += [f"• {t}" if heading else t for t in items] + [""]
    return "\n".join(out)


def to_markdown(spec: dict[str, Any]) -> str:
    head = header_lines(spec)
    out = [f"# {head[0]}", "", *(f"{h}  " for h in head[1:]), ""]
    for heading, items in _blocks(spec):
        if heading:
            out += [f"## {heading}", ""]
        out += [f"- {t}" for t in items] + [""]
    return "\n".join(out)


def to_html(spec: dict[str, Any]) -> str:
    e = html.escape
    head = header_lines(spec)
    out = [f"<div class='job'><h1>{e(head[0])}</h1>"]
    out += [f"<p>{e(h)}</p>" for h in head[1:]]
    for heading, items in _blocks(spec):
        if heading:
            out.append(f"<h2>{e(heading)}</h2>")
        out.append("<ul>" + "".join(f"<li>{e(t)}</li>" for t in items) + "</ul>")
    return "\n".join(out) + "</div>"


def to_docx(spec: dict[str, Any]) -> bytes:
    document = docx.Document()
    head = header_lines(spec)
    run = document.add_paragraph().add_run(head[0])
    run.bold = True
    for h in head[1:]:
        document.add_paragraph(h)
    for heading, items in _blocks(spec):
        if heading:
            document.add_paragraph().add_run(heading).bold = True
        for t in items:
            document.add_paragraph(t, style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def to_pdf(spec: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    css = (
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; } h1 { font-size: 16pt; }"
    )
    pdf = HTML(
        string=f"<html><head><style>{css}</style></head><body>{to_html(spec)}</body></html>"
    ).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_posting(spec: dict[str, Any]) -> tuple[bytes, str]:
    """(bytes, filename) for the spec's format."""
    fmt = spec["format"]
    if fmt == "docx":
        return to_docx(spec), f"{spec['id']}.docx"
    if fmt == "pdf":
        return to_pdf(spec), f"{spec['id']}.pdf"
    if fmt == "md":
        return to_markdown(spec).encode(), f"{spec['id']}.md"
    if fmt == "html":
        return to_html(spec).encode(), f"{spec['id']}.html"
    return to_text(spec).encode(), f"{spec['id']}.txt"
