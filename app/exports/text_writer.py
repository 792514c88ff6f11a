"""`RenderDocument` -> plain text (UTF-8), for pasting into application forms.

Unwrapped lines (forms and ATS text boxes wrap themselves), headings underlined so the
structure survives without markup, bullets as "- ".
"""

from __future__ import annotations

from app.exports.model import BulletList, Paragraph, RenderDocument, normalised
from app.exports.templates import check_template


def render_text(doc: RenderDocument, template: str = "classic") -> str:
    """Plain text. `template` is validated for a uniform API; text carries no styling."""
    check_template(template)
    return text_of_normalised(normalised(doc))


def text_of_normalised(doc: RenderDocument) -> str:
    """`render_text` of a document already `normalised` (a document rendered
    in several formats is normalised once: `app.tailoring.render.renderings`)."""
    out: list[str] = []
    head: list[str] = []
    if doc.title:
        head += [doc.title, "=" * len(doc.title)]
    if doc.contact_line:
        head.append(" | ".join(doc.contact_line))
    if head:
        out.append("\n".join(head))
    for section in doc.sections:
        if section.heading:
            out.append(f"{section.heading}\n{'-' * len(section.heading)}")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, BulletList):
                out.append("\n".join(f"- {item}" for item in block.items))
            else:
                out.append(f"{block.title}\n{block.meta}" if block.meta else block.title)
    return "\n\n".join(out) + "\n"
