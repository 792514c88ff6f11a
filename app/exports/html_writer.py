"""`RenderDocument` -> a standalone HTML page (also the input of the PDF renderer).

Two layers keep user and LLM text inert: every piece of text is escaped as it is written,
and the generated body then goes through nh3 with an allowlist of exactly the tags,
classes and link schemes this module emits, so even a bug in the writer cannot let a
script, event handler, stylesheet, embed or javascript:/file:/data: link through. The
page shell (doctype, <head>, template CSS) is ours and is added after sanitising.
"""

from __future__ import annotations

import re
from html import escape

import nh3

from app.exports.model import BulletList, Paragraph, RenderDocument, normalised
from app.exports.templates import check_template, template_css

_CLEANER = nh3.Cleaner(
    tags={"header", "main", "section", "div", "h1", "h2", "h3", "p", "ul", "li", "a", "span"},
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}},
    allowed_classes={"p": {"contact", "meta"}, "div": {"entry"}, "span": {"item", "sep"}},
    url_schemes={"https", "mailto"},
    url_relative="deny",
    link_rel="noopener noreferrer",
    strip_comments=True,
)

_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
_WEB = re.compile(r"^(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/[\w./%#?=&~+-]*)?$", re.I)


def render_html(doc: RenderDocument, template: str = "classic") -> str:
    """A complete, self-contained HTML document styled with the template's CSS."""
    css = template_css(check_template(template))
    doc = normalised(doc)
    body = _CLEANER.clean(_body(doc))
    author = f'<meta name="author" content="{escape(doc.meta_author)}">' if doc.meta_author else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n{author}\n"
        f"<style>\n{css}</style>\n</head>\n"
        f'<body class="{template}">\n{body}\n</body>\n</html>\n'
    )


def render_html_fragment(doc: RenderDocument, css_class: str = "resume") -> str:
    """The sanitised body only, in an <article>: for pages and API fields that embed it."""
    return html_fragment_of_normalised(normalised(doc), css_class)


def html_fragment_of_normalised(doc: RenderDocument, css_class: str = "resume") -> str:
    """`render_html_fragment` of a document already `normalised` (a document rendered
    in several formats is normalised once: `app.tailoring.render.renderings`)."""
    body = _CLEANER.clean(_body(doc))
    return f'<article class="{escape(css_class, quote=True)}">\n{body}\n</article>\n'


def _body(doc: RenderDocument) -> str:
    out: list[str] = []
    if doc.title or doc.contact_line:
        out.append("<header>")
        if doc.title:
            out.append(f"<h1>{escape(doc.title)}</h1>")
        if doc.contact_line:
            sep = '<span class="sep"> | </span>'
            out.append(f'<p class="contact">{sep.join(map(_contact_item, doc.contact_line))}</p>')
        out.append("</header>")
    out.append("<main>")
    for section in doc.sections:
        out.append("<section>")
        if section.heading:
            out.append(f"<h2>{escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(f"<p>{escape(block.text)}</p>")
            elif isinstance(block, BulletList):
                items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
                out.append(f"<ul>{items}</ul>")
            else:
                meta = f'<p class="meta">{escape(block.meta)}</p>' if block.meta else ""
                out.append(f'<div class="entry"><h3>{escape(block.title)}</h3>{meta}</div>')
        out.append("</section>")
    out.append("</main>")
    return "\n".join(out)


def _contact_item(item: str) -> str:
    """An email or web address becomes a link (mailto: / https: only); the rest is text.

    Each item is one unbreakable span, so a long line wraps at separators and never inside
    an address (a URL split across lines reads back as two broken fragments).
    """
    if _EMAIL.match(item):
        href = f"mailto:{item}"
    elif len(item) <= 200 and _WEB.match(item) and not item.lower().startswith("http://"):
        href = item if item.lower().startswith("https://") else f"https://{item}"
    else:
        return f'<span class="item">{escape(item)}</span>'
    return f'<span class="item"><a href="{escape(href, quote=True)}">{escape(item)}</a></span>'
