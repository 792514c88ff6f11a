"""Markdown resumes: ATX/setext headings, lists, emphasis and tables, line by line.

Parsed by hand rather than through a full CommonMark renderer because every source line
must stay a line (spans point back into it) and resumes use a small, forgiving subset.
"""

from __future__ import annotations

import re

from app.documents.plaintext import leading_width, split_physical_lines
from app.documents.text_lines import RawLine

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_HR = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_LIST = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!--.*?-->")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(
    r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)|(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?!\w)"
)
_CODE = re.compile(r"`([^`]+)`")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_WHOLE_BOLD = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*:?\s*$")


def inline_to_text(text: str) -> str:
    """Markdown inline markup to plain text; link targets are kept (contact links)."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(_link_text, text)
    text = _AUTOLINK.sub(lambda m: m.group(1).removeprefix("mailto:"), text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = _BOLD.sub(r"\2", text)
    text = _ITALIC.sub(lambda m: m.group(1) or m.group(2) or "", text)
    return _ESCAPE.sub(r"\1", text)


def _link_text(m: re.Match[str]) -> str:
    label, target = m.group(1).strip(), m.group(2).strip()
    target = target.removeprefix("mailto:").removeprefix("tel:")
    bare = re.sub(r"^https?://(www\.)?", "", target).rstrip("/")
    if label in (target, bare) or bare in label or ("." not in target and "@" not in target):
        return label
    return f"{label} ({target})"


def read_markdown(text: str) -> list[RawLine]:
    out: list[RawLine] = []
    blank = False
    in_fence = False
    physical = split_physical_lines(text)
    for i, line in enumerate(physical):
        if _FENCE.match(line):
            in_fence = not in_fence
            blank = True
            continue
        if in_fence:
            if line.strip():
                out.append(
                    RawLine(text=line.strip(), indent=leading_width(line), blank_before=blank)
                )
                blank = False
            continue
        if not line.strip():
            blank = True
            continue
        setext = _SETEXT.match(line)
        if setext and out and not blank and i > 0 and physical[i - 1].strip():
            prev = out[-1]
            if prev.heading_level is None and not prev.list_item and prev.cells is None:
                prev.heading_level = 1 if setext.group(1).startswith("=") else 2
                blank = True
                continue
        if _HR.match(line):
            blank = True
            continue
        raw = _read_line(line, blank)
        if raw is not None:
            out.append(raw)
        blank = False
    return out


def _read_line(line: str, blank: bool) -> RawLine | None:
    content = line.strip()
    if content.startswith(">"):
        content = content.lstrip("> ").strip()
    atx = _ATX.match(line)
    if atx:
        body = inline_to_text(atx.group(2) or "").strip()
        if not body:
            return None
        return RawLine(text=body, heading_level=len(atx.group(1)), blank_before=True)
    if content.startswith("|") and content.count("|") >= 2:
        if _TABLE_SEP.match(content):
            return None
        cells = tuple(inline_to_text(c).strip() for c in content.strip("|").split("|"))
        return RawLine(text=" | ".join(cells), cells=cells, blank_before=blank, may_wrap=False)
    listed = _LIST.match(line)
    if listed:
        body = inline_to_text(listed.group(2)).strip()
        return RawLine(
            text=body, indent=leading_width(listed.group(1)), blank_before=blank, list_item=True
        )
    bold = bool(_WHOLE_BOLD.match(content))
    body = inline_to_text(content).strip()
    if not body:
        return None
    return RawLine(text=body, indent=leading_width(line), blank_before=blank, bold=bold)
