"""Text clean-up for pasted or uploaded job descriptions (and HTML resumes).

Pasted job ads often arrive as HTML from a careers page. Block tags become line breaks
first so list items and paragraphs keep their own lines; nh3 then removes every tag
(and script/style content), and entities are decoded back to characters.
"""

from __future__ import annotations

import html
import re

import nh3

from app.documents.markdown import inline_to_text
from app.documents.text_lines import clean_chars

_HTML_HINT = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ul|ol|h[1-6]|span|strong|b|em|i|table|tr|td|section|article|a)\b[^>]*>",
    re.IGNORECASE,
)
_BLOCK_BREAK = re.compile(
    r"<\s*(?:br|/p|/div|/h[1-6]|/tr|/ul|/ol|/section|/article|/header|/footer|p|div|h[1-6]|tr"
    r"|ul|ol|section|article|header|footer|hr)\b[^>]*>",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"<\s*li\b[^>]*>", re.IGNORECASE)
_CELL = re.compile(r"<\s*/t[dh]\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]+")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LIST = re.compile(r"^(\s*)[*+]\s+")


def looks_like_html(text: str) -> bool:
    return len(_HTML_HINT.findall(text[:100_000])) >= 2


def html_to_text(text: str) -> str:
    text = _LIST_ITEM.sub("\n- ", text)
    text = _BLOCK_BREAK.sub("\n", text)
    text = _CELL.sub(" | ", text)
    cleaned = nh3.clean(text, tags=set(), clean_content_tags={"script", "style", "head", "title"})
    return html.unescape(cleaned)


def markdown_to_text(text: str) -> str:
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _MD_HEADING.sub("", line)
        line = _MD_LIST.sub(r"\1- ", line)
        out.append(inline_to_text(line))
    return "\n".join(out)


def clean_text(text: str) -> str:
    """Normalise whitespace and drop control characters; keep line structure."""
    if looks_like_html(text):
        text = html_to_text(text)
    lines: list[str] = []
    blank = False
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _SPACES.sub(" ", clean_chars(raw.replace("\t", "    "))).rstrip()
        indent = len(raw) - len(raw.lstrip(" \t"))
        line = line.strip()
        if not line:
            blank = True
            continue
        if blank and lines:
            lines.append("")
        blank = False
        lines.append(" " * min(indent, 8) + line)
    return "\n".join(lines)
