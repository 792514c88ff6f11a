"""Plain-text resumes: physical lines with indentation and underline-style headings."""

from __future__ import annotations

import re

from app.documents.text_lines import RawLine

_RULE = re.compile(r"^\s*([=\-_~*#])\1{2,}\s*$")
_TAB_WIDTH = 4


def split_physical_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def leading_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += _TAB_WIDTH
        else:
            break
    return width


def read_text(text: str) -> list[RawLine]:
    """Plain text to raw lines; "Title\\n=====" underlines mark the line above as a heading."""
    out: list[RawLine] = []
    blank = False
    for physical in split_physical_lines(text):
        if not physical.strip():
            blank = True
            continue
        rule = _RULE.match(physical)
        if rule:
            prev = out[-1] if out else None
            if (
                prev is not None
                and not blank
                and prev.heading_level is None
                and len(prev.text) <= 60
            ):
                prev.heading_level = 1 if rule.group(1) == "=" else 2
            blank = True
            continue
        out.append(
            RawLine(text=physical.strip(), indent=leading_width(physical), blank_before=blank)
        )
        blank = False
    return out
