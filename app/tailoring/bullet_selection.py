"""Bullet order and selection per role.

Every strategy orders an entry's bullets by relevance to the posting (entries themselves
keep their order: work history is chronological and a reader expects it that way).
DEFAULT and AGGRESSIVE_KEYWORDS also select: recent roles keep up to six bullets, older or
unrelated roles are condensed to their strongest two or three, and the whole work history
stays within a length budget of about two printed pages. A bullet that is the only place a
requirement the posting asks for is shown is always kept. Whatever is left out is returned
so the diff can list it: nothing the person wrote disappears silently.
"""

from __future__ import annotations

from datetime import date

from app.documents.models import SectionKind
from app.tailoring.layout import Block, SectionLayout
from app.tailoring.matcher import get_matcher
from app.tailoring.relevance import Context, relevance
from app.tailoring.types import LineRole, TailoredLine

RECENT_CAP = 6
MIDDLE_CAP = 4
OLD_CAP = 2
OLD_AFTER_YEARS = 10
BULLET_BUDGET_CHARS = 4200  # bullets of a two-page resume at a typical 11pt layout


def reorder_bullets(block: Block, ctx: Context) -> None:
    positions = [i for i, ln in enumerate(block.lines) if ln.role is LineRole.BULLET]
    if len(positions) < 2:
        return
    bullets = [block.lines[i] for i in positions]
    ranked = sorted(enumerate(bullets), key=lambda pair: (-relevance(pair[1].text, ctx), pair[0]))
    for position, (_, bullet) in zip(positions, ranked, strict=True):
        block.lines[position] = bullet


def _end_year(ctx: Context, entry: int) -> int | None:
    end = ctx.resume.experience[entry].end if entry < len(ctx.resume.experience) else None
    if not end:
        return None
    if end == "present":
        return date.today().year  # year granularity: a ten-year cut-off does not need as_of
    return int(end[:4]) if end[:4].isdigit() else None


def _cap(ctx: Context, block: Block, position: int, newest: int) -> int:
    assert block.entry is not None
    cap = RECENT_CAP if position < 2 else MIDDLE_CAP if position == 2 else OLD_CAP + 1
    end = _end_year(ctx, block.entry)
    if end is not None and end < newest - OLD_AFTER_YEARS:
        cap = OLD_CAP
    related = sum(relevance(ln.text, ctx, numbers=False) for ln in block.lines)
    if position >= 2 and related == 0:
        cap = min(cap, OLD_CAP)
    return cap


def _protected(block: Block, wanted: set[str]) -> set[int]:
    """Bullets naming a wanted skill no other bullet of this entry names."""
    matcher = get_matcher()
    named = [
        set(matcher.skills_in(ln.text)) & wanted if ln.role is LineRole.BULLET else set()
        for ln in block.lines
    ]
    out = set()
    for i, skills in enumerate(named):
        others = set().union(*(s for j, s in enumerate(named) if j != i))
        if skills - others:
            out.add(i)
    return out


def _trim(block: Block, cap: int, keep: set[int]) -> list[TailoredLine]:
    bullets = [i for i, ln in enumerate(block.lines) if ln.role is LineRole.BULLET]
    drop = [i for i in bullets[cap:] if i not in keep]
    left = [block.lines[i] for i in drop]
    block.lines = [ln for i, ln in enumerate(block.lines) if i not in set(drop)]
    return left


def select_bullets(
    layouts: list[SectionLayout], ctx: Context, wanted: set[str]
) -> list[TailoredLine]:
    """Condense roles in place; returns the bullets left out."""
    experience = [s for s in layouts if s.kind is SectionKind.EXPERIENCE]
    entries = [b for s in experience for b in s.blocks if b.entry is not None]
    years = [y for b in entries if b.entry is not None for y in [_end_year(ctx, b.entry)] if y]
    newest = max(years, default=date.today().year)
    left: list[TailoredLine] = []
    for position, block in enumerate(entries):
        left += _trim(block, _cap(ctx, block, position, newest), _protected(block, wanted))
    total = sum(len(ln.text) for b in entries for ln in b.lines if ln.role is LineRole.BULLET)
    for block in reversed(entries):  # over budget: the oldest roles give way first
        while total > BULLET_BUDGET_CHARS:
            bullets = [ln for ln in block.lines if ln.role is LineRole.BULLET]
            if len(bullets) <= 1:
                break
            block.lines.remove(bullets[-1])
            left.append(bullets[-1])
            total -= len(bullets[-1].text)
    return left
