"""`RenderDocument` -> Markdown that `from_markdown` reads back to the same document.

Text is escaped so user text can never become structure: inline markup characters are
backslash-escaped everywhere, and a character that would open a block (heading, list,
quote, fence, thematic break) at the start of a line is escaped there. Raw `<` is
escaped too, so a renderer with HTML enabled still shows `<script>` as text.
"""

from __future__ import annotations

import re

from app.exports.model import BulletList, Paragraph, RenderDocument, normalised
from app.exports.templates import check_template

_INLINE = re.compile(r"([\\`*_\[\]<>])")
_ENTITY = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_BLOCK_START = re.compile(r"^(?:[#>+=~-]|\d+[.)])")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")


def escape_inline(text: str, *, line_start: bool = True) -> str:
    """`text` as literal Markdown; `line_start`: it begins a line (block markers matter)."""
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    return _escape_block_start(text) if line_start else text


def _escape_block_start(text: str) -> str:
    match = _BLOCK_START.match(text)
    if match:
        # "1. x" -> "1\. x"; "# x" -> "\# x"; "- x" -> "\- x"
        cut = match.end() - 1
        text = f"{text[:cut]}\\{text[cut:]}"
    return text


def _heading(text: str) -> str:
    # A trailing " #" would be read as an ATX closing sequence and dropped.
    return _CLOSING_HASHES.sub(r"\1\\\2", escape_inline(text))


def render_markdown(doc: RenderDocument, template: str = "classic") -> str:
    """Markdown: `# Name`, contact line, `## Section`, `### Entry` + dates line, `- ` bullets.

    `template` is validated for a uniform API; Markdown carries no styling.
    """
    check_template(template)
    return markdown_of_normalised(normalised(doc))


def markdown_of_normalised(doc: RenderDocument) -> str:
    """`render_markdown` of a document already `normalised` (a document rendered
    in several formats is normalised once: `app.tailoring.render.renderings`)."""
    out: list[str] = []
    if doc.title:
        out.append(f"# {_heading(doc.title)}")
    if doc.contact_line:
        # Directly under the name (no blank line): that is what marks it as contact.
        items = (escape_inline(item, line_start=False) for item in doc.contact_line)
        contact = _escape_block_start(" | ".join(items))
        if out:
            out[-1] += f"\n{contact}"
        else:
            out.append(contact)
    for section in doc.sections:
        if section.heading:
            out.append(f"## {_heading(section.heading)}")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(escape_inline(block.text))
            elif isinstance(block, BulletList):
                out.append("\n".join(f"- {escape_inline(item)}" for item in block.items))
            else:
                header = f"### {_heading(block.title)}"
                out.append(f"{header}\n{escape_inline(block.meta)}" if block.meta else header)
    return "\n\n".join(out) + "\n"
