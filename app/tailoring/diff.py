"""Per-section comparison of the original and a tailored resume.

Sections are paired by kind (the n-th SKILLS section with the n-th SKILLS section). A
section is `unchanged` when its lines and position are the same, `reordered` when the same
lines appear in a different order or the section moved, `rewritten` when any line text
changed, `added`/`removed` when it exists on one side only. The guard's warnings are
attached to the section they concern so a reviewer sees them next to the change, and so
are the lines the version leaves out (`left_out`: condensed roles, a replaced summary).
"""

from __future__ import annotations

from collections import Counter

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.layout import layout_document
from app.tailoring.text import collapse_ws
from app.tailoring.types import ChangeType, GuardWarning, SectionDiff, TailoredResume


def _texts(lines: list[str]) -> list[str]:
    return [collapse_ws(t) for t in lines if t.strip()]


def _left_out_by_section(
    original: ResumeDocument, tailored: TailoredResume
) -> dict[SectionKind, list[str]]:
    """What the version leaves out, listed under the section it was written in."""
    kind_of = {
        i: s.kind for s in layout_document(original) for ln in s.lines() for i in ln.source_line_ids
    }
    out: dict[SectionKind, list[str]] = {}
    for line in tailored.left_out:
        kind = next((kind_of[i] for i in line.source_line_ids if i in kind_of), None)
        if kind is not None:
            out.setdefault(kind, []).append(collapse_ws(line.text))
    return out


def _change(
    i_old: int | None, j_new: int | None, old: list[str], new: list[str], moved: bool
) -> ChangeType:
    if i_old is None:
        return ChangeType.ADDED
    if j_new is None:
        return ChangeType.REMOVED
    if old == new:
        return ChangeType.REORDERED if moved else ChangeType.UNCHANGED
    if Counter(old) == Counter(new):
        return ChangeType.REORDERED
    return ChangeType.REWRITTEN


def diff_sections(
    original: ResumeDocument,
    tailored: TailoredResume,
    warnings: list[GuardWarning] | None = None,
) -> list[SectionDiff]:
    before = [(s.kind, s.heading, [ln.text for ln in s.lines()]) for s in layout_document(original)]
    after = [(s.kind, s.heading, [ln.text for ln in s.lines]) for s in tailored.sections]
    warnings = warnings if warnings is not None else tailored.warnings
    pairs: list[tuple[int | None, int | None]] = []
    used: set[int] = set()
    for i, (old_kind, _h, _l) in enumerate(before):
        j = next((j for j, a in enumerate(after) if a[0] is old_kind and j not in used), None)
        if j is not None:
            used.add(j)
        pairs.append((i, j))
    pairs.extend((None, j) for j in range(len(after)) if j not in used)

    # Relative position among sections present on both sides, to detect moved sections.
    common: list[tuple[int, int]] = [(a, b) for a, b in pairs if a is not None and b is not None]
    rank_before = {a: r for r, (a, _b) in enumerate(sorted(common))}
    rank_after = {a: r for r, (a, _b) in enumerate(sorted(common, key=lambda p: p[1]))}

    left_out = _left_out_by_section(original, tailored)
    out: list[SectionDiff] = []
    for i_old, j_new in pairs:
        old_side = before[i_old] if i_old is not None else None
        new_side = after[j_new] if j_new is not None else None
        side = new_side or old_side
        assert side is not None
        kind: SectionKind = side[0]
        heading = side[1]
        old = _texts(old_side[2]) if old_side is not None else []
        new = _texts(new_side[2]) if new_side is not None else []
        moved = i_old is not None and j_new is not None and rank_before[i_old] != rank_after[i_old]
        change = _change(i_old, j_new, old, new, moved)
        section_warnings = [w for w in warnings if w.section == kind.value]
        out.append(
            SectionDiff(
                kind=kind,
                heading=heading,
                change=change,
                before=old,
                after=new,
                position_before=i_old,
                position_after=j_new,
                warnings=section_warnings,
                left_out=left_out.pop(kind, []) if i_old is not None else [],
            )
        )
    out.sort(
        key=lambda d: (d.position_after is None, d.position_after or 0, d.position_before or 0)
    )
    return out
