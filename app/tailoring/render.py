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


def entry_groups(section: TailoredSection) -> list[tuple[str, list[TailoredLine]]]:
    """The section's lines grouped for rendering: ("entry", [header, meta...]) for one
    entry header (title, employer, location, dates: always ONE header, whatever number of
    source lines it came from), ("bullets", [...]) for a run of bullets, ("text", [line])."""
    groups: list[tuple[str, list[TailoredLine]]] = []
    for line in section.lines:
        kind = {LineRole.HEADER: "entry", LineRole.BULLET: "bullets"}.get(line.role, "text")
        last = groups[-1] if groups else None
        if line.role is LineRole.META and last is not None and last[0] == "entry":
            last[1].append(line)
        elif line.role is LineRole.META:
            groups.append(("entry", [line]))
        elif kind == "bullets" and last is not None and last[0] == "bullets":
            last[1].append(line)
        else:
            groups.append((kind, [line]))
    return groups


def entry_title_and_meta(lines: list[TailoredLine]) -> tuple[str, str]:
    """(title, meta) of one entry group: the header line, then its meta lines joined."""
    head = [ln for ln in lines if ln.role is LineRole.HEADER]
    meta = [_display(ln.text) for ln in lines if ln.role is not LineRole.HEADER]
    title = " · ".join(_display(ln.text) for ln in head)
    if not title and meta:
        return meta[0], " · ".join(meta[1:])
    return title, " · ".join(meta)


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
        for kind, lines in entry_groups(section):
            if kind == "entry":
                title, meta = entry_title_and_meta(lines)
                header = f"### {md_escape(title)}"
                out.append(f"{header}\n*{md_escape(meta)}*" if meta else header)
            elif kind == "bullets":
                out.append("\n".join(f"- {md_escape(ln.text)}" for ln in lines))
            else:
                out.append(md_escape(lines[0].text))
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
        for kind, lines in entry_groups(section):
            if kind == "entry":
                title, meta = entry_title_and_meta(lines)
                meta_html = f'<p class="meta">{esc(meta)}</p>' if meta else ""
                out.append(f'<div class="entry"><h3>{esc(title)}</h3>{meta_html}</div>')
            elif kind == "bullets":
                items = "".join(f"<li>{esc(_display(ln.text))}</li>" for ln in lines)
                out.append(f"<ul>{items}</ul>")
            else:
                out.append(f"<p>{esc(_display(lines[0].text))}</p>")
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
        for kind, lines in entry_groups(section):
            if kind == "entry":
                title, meta = entry_title_and_meta(lines)
                out.extend(["", title] + ([meta] if meta else []))
            else:
                prefix = "• " if kind == "bullets" else ""
                out.extend(prefix + _display(ln.text) for ln in lines)
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
