"""Skill groups as written: "Languages: Python, R" -> SkillGroup("Languages", [...])."""

from __future__ import annotations

import re

from app.documents.models import SkillGroup
from app.documents.text_lines import LogicalLine

_ITEM_SEP = re.compile(r"\s*[,;|•·▪●/]\s+|\s*[;|•·▪●]\s*|\s{2,}|\t")
_MAX_LABEL_WORDS = 4
_MAX_ITEM_WORDS = 6


def split_items(text: str) -> list[str]:
    """Split a skills list at commas/semicolons/pipes/bullets, not inside parentheses."""
    items: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _ITEM_SEP.match(text, i)
            if m and m.end() > i:
                items.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    items.append(text[start:])
    return [c for c in (it.strip(" .") for it in items) if c]


def parse_skills(body: list[LogicalLine]) -> list[SkillGroup]:
    groups: list[SkillGroup] = []
    label_group: SkillGroup | None = None  # open group under a bold label line
    for idx, ll in enumerate(body):
        nxt = body[idx + 1] if idx + 1 < len(body) else None
        if _is_label_line(ll, nxt):
            label_group = SkillGroup(ll.text.strip().rstrip(":"), [], ll.id)
            groups.append(label_group)
            continue
        group = _read_line(ll)
        if group is None:
            continue
        if label_group is not None and group.name is None and not ll.bold:
            # Items listed one per line under a sidebar label ("Tools & Platforms").
            label_group.skills.extend(group.skills)
            continue
        label_group = None
        groups.append(group)
    return [g for g in groups if g.skills]


def _is_label_line(ll: LogicalLine, nxt: LogicalLine | None) -> bool:
    """A short bold line with no list separators, followed by plain item lines."""
    if not ll.bold or ll.is_bullet or ll.cells is not None or nxt is None:
        return False
    text = ll.text.strip()
    if len(text.split()) > _MAX_LABEL_WORDS or len(split_items(text.rstrip(":"))) != 1:
        return False
    return not nxt.bold and nxt.cells is None


def _read_line(ll: LogicalLine) -> SkillGroup | None:
    if ll.cells is not None:
        cells = list(ll.cells)
        if (
            len(cells) == 2
            and len(cells[0].split()) <= _MAX_LABEL_WORDS
            and len(split_items(cells[1])) > 1
        ):
            return SkillGroup(cells[0].rstrip(":"), split_items(cells[1]), ll.id)
        items = [it for c in cells for it in split_items(c)]
        return SkillGroup(None, items, ll.id) if items else None
    text = ll.text
    label: str | None = None
    m = re.match(r"^([^:,;|]{1,40}):\s*(.+)$", text)
    if m and len(m.group(1).split()) <= _MAX_LABEL_WORDS:
        label, text = m.group(1).strip(), m.group(2)
    items = split_items(text)
    if not items:
        return None
    if label is None and len(items) == 1 and len(items[0].split()) > _MAX_ITEM_WORDS:
        return None  # a sentence, not a skill
    return SkillGroup(label, items, ll.id)
