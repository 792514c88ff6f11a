"""Render a TailoredResume (and cover letters) as Markdown, HTML and plain text.

Output is built from the structure, never from model or user markup: every piece of text is
escaped (Markdown punctuation for Markdown, `html.escape` for HTML), and the HTML uses a
fixed set of tags with no attributes taken from content, so nothing in a resume or an LLM
response can inject markup or links.
"""

from __future__ import annotations

import html
import re

from app.documents.models import SectionKind
from app.tailoring.types import LineRole, TailoredLine, TailoredResume, TailoredSection

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(\s)")
_GAP = re.compile(r"\s{3,}")


def _display(text: str) -> str:
    # Plain-text resumes align dates with runs of spaces; show them as a separator instead.
    return _GAP.sub(" · ", text.strip())


def md_escape(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", _display(text))
    return _MD_LINE_START.sub(r"\1\\\2\3", escaped)


def _name_and_contact(resume: TailoredResume) -> tuple[str | None, list[TailoredLine]]:
    """The name line and the other contact lines, from every CONTACT section (two-column
    PDFs often yield a second "Contact" block in the sidebar)."""
    lines = [ln for s in resume.sections if s.kind is SectionKind.CONTACT for ln in s.lines]
    if not lines:
        return None, []
    named = next((ln for ln in lines if ln.role is LineRole.NAME), None)
    if named is None and lines[0].role is not LineRole.CONTACT:
        named = lines[0]
    if named is None:
        return None, lines
    name = named.text.strip()
    return name, [ln for ln in lines if ln is not named and ln.text.strip() != name]


def _body_sections(resume: TailoredResume) -> list[TailoredSection]:
    return [s for s in resume.sections if s.kind is not SectionKind.CONTACT]


def _shows_heading(section: TailoredSection) -> bool:
    # Text a parser could not place under any heading is shown without an invented one.
    return bool(section.heading.strip()) or section.kind is not SectionKind.OTHER


def _heading(section: TailoredSection) -> str:
    return section.heading.strip() or section.kind.value.replace("_", " ").title()


def render_markdown(resume: TailoredResume) -> str:
    out: list[str] = []
    name, contact = _name_and_contact(resume)
    if name:
        out.append(f"# {md_escape(name)}")
    if contact:
        out.append("  \n".join(md_escape(ln.text) for ln in contact))
    for section in _body_sections(resume):
        if _shows_heading(section):
            out.append(f"## {md_escape(_heading(section))}")
        chunk: list[str] = []
        for line in section.lines:
            text = md_escape(line.text)
            if line.role is LineRole.HEADER:
                if chunk:
                    out.append("\n".join(chunk))
                    chunk = []
                out.append(f"### {text}")
            elif line.role is LineRole.META:
                chunk.append(f"*{text}*  ")
            elif line.role is LineRole.BULLET:
                chunk.append(f"- {text}")
            else:
                if chunk:
                    out.append("\n".join(chunk))
                    chunk = []
                out.append(text)
        if chunk:
            out.append("\n".join(chunk))
    return "\n\n".join(out).strip() + "\n"


def render_html(resume: TailoredResume) -> str:
    esc = html.escape
    out: list[str] = ['<article class="resume">']
    name, contact = _name_and_contact(resume)
    if name or contact:
        out.append("<header>")
        if name:
            out.append(f"<h1>{esc(_display(name))}</h1>")
        for line in contact:
            out.append(f'<p class="contact">{esc(_display(line.text))}</p>')
        out.append("</header>")
    for section in _body_sections(resume):
        out.append(f'<section class="{esc(section.kind.value)}">')
        if _shows_heading(section):
            out.append(f"<h2>{esc(_display(_heading(section)))}</h2>")
        in_list = False
        for line in section.lines:
            text = esc(_display(line.text))
            if line.role is LineRole.BULLET:
                if not in_list:
                    out.append("<ul>")
                    in_list = True
                out.append(f"<li>{text}</li>")
                continue
            if in_list:
                out.append("</ul>")
                in_list = False
            if line.role is LineRole.HEADER:
                out.append(f"<h3>{text}</h3>")
            elif line.role is LineRole.META:
                out.append(f'<p class="meta">{text}</p>')
            else:
                out.append(f"<p>{text}</p>")
        if in_list:
            out.append("</ul>")
        out.append("</section>")
    out.append("</article>")
    return "\n".join(out) + "\n"


def render_text(resume: TailoredResume) -> str:
    out: list[str] = []
    name, contact = _name_and_contact(resume)
    if name:
        out.append(_display(name))
    for line in contact:
        out.append(_display(line.text))
    for section in _body_sections(resume):
        out.append("")
        if _shows_heading(section):
            out.append(_display(_heading(section)).upper())
        for line in section.lines:
            if line.role is LineRole.HEADER and out[-1] != _display(_heading(section)).upper():
                out.append("")
            prefix = "• " if line.role is LineRole.BULLET else ""
            out.append(prefix + _display(line.text))
    return "\n".join(out).strip() + "\n"


def paragraphs_to_markdown(paragraphs: list[str]) -> str:
    return "\n\n".join(md_escape(p) for p in paragraphs if p.strip()) + "\n"


def paragraphs_to_html(paragraphs: list[str], css_class: str = "letter") -> str:
    body = "\n".join(
        "<p>" + "<br>".join(html.escape(part) for part in p.split("\n")) + "</p>"
        for p in paragraphs
        if p.strip()
    )
    return f'<article class="{html.escape(css_class)}">\n{body}\n</article>\n'


def paragraphs_to_text(paragraphs: list[str]) -> str:
    return "\n\n".join(p.strip() for p in paragraphs if p.strip()) + "\n"
