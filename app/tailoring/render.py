"""Render a TailoredResume (and cover letters) as Markdown, HTML and plain text.

A resume is rendered by the one export stack (`app.exports`: structure -> render model ->
writer), so what the API shows and what a download contains are the same text, with each
entry as one header; imported on first use so the engine itself stays light. Letters are
paragraphs and render here. Output is built from structure, never from model or user
markup: every piece of text is escaped and the HTML is sanitised to a fixed set of tags.
"""

from __future__ import annotations

import html
import re

from app.tailoring.types import TailoredResume

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(\s)")
_GAP = re.compile(r"\s{3,}")


def _display(text: str) -> str:
    # Plain-text resumes align dates with runs of spaces; show them as a separator instead.
    return _GAP.sub(" · ", text.strip())


def md_escape(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", _display(text))
    return _MD_LINE_START.sub(r"\1\\\2\3", escaped)


def render_markdown(resume: TailoredResume) -> str:
    """The resume as Markdown, through the export stack (the same text a download has)."""
    from app.exports.from_tailored import resume_document
    from app.exports.markdown_writer import render_markdown as markdown_of

    return markdown_of(resume_document(resume))


def render_html(resume: TailoredResume) -> str:
    """The resume as a sanitised HTML fragment (<article class="resume">), export stack."""
    from app.exports.from_tailored import resume_document
    from app.exports.html_writer import render_html_fragment

    return render_html_fragment(resume_document(resume))


def renderings(resume: TailoredResume) -> tuple[str, str, str]:
    """The resume as (Markdown, HTML fragment, plain text), the same text as the three
    functions above: the render model is built and normalised once for the three (a job
    stores all three; building and normalising it was 60% of their cost)."""
    from app.exports.from_tailored import resume_document
    from app.exports.html_writer import html_fragment_of_normalised
    from app.exports.markdown_writer import markdown_of_normalised
    from app.exports.text_writer import text_of_normalised

    document = resume_document(resume)  # normalised
    return (
        markdown_of_normalised(document),
        html_fragment_of_normalised(document),
        text_of_normalised(document),
    )


def render_text(resume: TailoredResume) -> str:
    from app.exports.from_tailored import resume_document
    from app.exports.text_writer import render_text as text_of

    return text_of(resume_document(resume))


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
