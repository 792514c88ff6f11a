"""Truth guard, part 3: repair. A failing line is repaired rather than kept.

A skills list loses only the offending items, a line with one source is reverted to the
source text, a line built from several sources (a summary) loses the offending sentences,
and a failing line with no valid source is dropped. A bullet placed under another job is
moved back to its own entry. Every repair is recorded as a GuardWarning.
"""

from __future__ import annotations

from app.documents.models import SectionKind
from app.tailoring.guard_checks import (
    _dedupe,
    _is_new,
    _strict_violations,
    bullet_year_violations,
    find_violations,
)
from app.tailoring.guard_facts import (
    _SENTENCE_RE,
    _STRICT_ROLES,
    _STRICT_SECTIONS,
    CHANGED_FACT_LINE,
    MISATTRIBUTED,
    MISATTRIBUTED_CLAIM,
    NEW_CERTIFICATION,
    NEW_CONTACT,
    NEW_DATE,
    NEW_DEGREE,
    NEW_EMPLOYER,
    NEW_ENTITY,
    NEW_NUMBER,
    NEW_SCHOOL,
    NEW_SKILL,
    NEW_TITLE,
    UNKNOWN_SOURCE,
    Facts,
    _Violation,
    vocabulary,
)
from app.tailoring.text import collapse_ws, fold, tokenize
from app.tailoring.types import GuardWarning, LineRole, TailoredLine, TailoredSection


def _split_items(text: str) -> list[tuple[int, int]]:
    """[start, end) of list items, splitting on , ; | • · outside parentheses."""
    spans, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ",;|•·" and depth == 0:
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _remove_items(text: str, violations: list[_Violation]) -> str:
    label, sep, _body = text.partition(":")
    offset = len(label) + 1 if sep and len(label) < 40 else 0
    content = text[offset:] if offset else text
    keep = []
    for a, b in _split_items(content):
        a2, b2 = a + offset, b + offset
        if not any(a2 <= v.start < b2 for v in violations):
            keep.append(content[a:b].strip())
    joiner = " | " if "|" in content and "," not in content else ", "
    kept = joiner.join(keep)
    if not kept:
        return ""
    return f"{text[:offset].strip()} {kept}".strip() if offset else kept


_ABBREVIATIONS = frozenset(
    [
        "st",
        "dr",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "inc",
        "co",
        "corp",
        "ltd",
        "no",
        "vs",
        "e.g",
        "i.e",
        "approx",
        "dept",
        "univ",
        "mt",
        "ft",
    ]
)


def _abbreviation_before(text: str, end: int) -> bool:
    """ "St. Mary's", "Alpine Outdoor Co. in Denver", "J. Smith": not a sentence end."""
    word = text[:end].rstrip(".").rsplit(None, 1)[-1] if text[:end].strip() else ""
    return word.casefold() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_RE.finditer(text):
        if _abbreviation_before(text, m.start()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _drop_sentences(text: str, violations: list[_Violation]) -> str:
    kept = [
        text[a:b].strip()
        for a, b in _sentences(text)
        if not any(a <= v.start < b for v in violations)
    ]
    return " ".join(kept)


def _warnings(
    violations: list[_Violation], section: SectionKind | str, action: str, ids: list[str]
) -> list[GuardWarning]:
    name = section.value if isinstance(section, SectionKind) else section
    details = {
        NEW_SKILL: "skill not in the original resume",
        NEW_CERTIFICATION: "certification not in the original resume",
        NEW_NUMBER: "number not in the source line(s)",
        NEW_DATE: "date not in the original resume",
        NEW_EMPLOYER: "employer not in the original resume",
        NEW_SCHOOL: "school not in the original resume",
        NEW_DEGREE: "degree not in the original resume",
        NEW_TITLE: "job title not in the original resume",
        NEW_ENTITY: "name not in the original resume",
        NEW_CONTACT: "contact detail not in the original resume",
        CHANGED_FACT_LINE: "a fact line (header, dates) was changed",
        MISATTRIBUTED_CLAIM: "achievement credited to a different employer than in the resume",
    }
    return [
        GuardWarning(
            code=v.code,
            section=name,
            text=v.text,
            detail=details.get(v.code, ""),
            action=action,
            line_ids=list(ids),
        )
        for v in violations
    ]


def _check_line(
    line: TailoredLine, section: SectionKind, facts: Facts
) -> tuple[TailoredLine | None, list[GuardWarning], str]:
    """The repaired line (None = dropped), warnings, and the action taken."""
    known = [i for i in line.source_line_ids if i in facts.line_text]
    warnings: list[GuardWarning] = []
    unknown = [i for i in line.source_line_ids if i not in facts.line_text]
    if unknown:
        warnings.append(
            GuardWarning(
                UNKNOWN_SOURCE, section.value, ", ".join(unknown),
                "source line ids not in the original", "flagged", unknown,
            )
        )  # fmt: skip
    if len(known) == 1 and collapse_ws(line.text) == collapse_ws(facts.line_text[known[0]]):
        return line, warnings, "kept"  # verbatim original line
    verbatim = facts.line_of_text.get(collapse_ws(line.text))
    if verbatim is not None:
        # An original line cited with the wrong ids is still the original line.
        return TailoredLine(line.text, [verbatim], line.role), warnings, "kept"
    strict = line.role in _STRICT_ROLES or section in _STRICT_SECTIONS
    listy = line.role is LineRole.SKILLS or section is SectionKind.SKILLS
    violations = find_violations(line.text, facts, source_ids=known, list_context=listy)
    if line.role is LineRole.BULLET and known:
        violations = _dedupe(violations + bullet_year_violations(line.text, known, facts))
    if strict:
        violations = _dedupe(violations + _strict_violations(line, known, facts, section))
    if not violations:
        return line, warnings, "kept"
    if listy and not strict:
        text = _remove_items(line.text, violations)
        action = "removed_item" if text else "dropped"
    elif len(known) == 1:
        text, action = facts.line_text[known[0]], "reverted"
    elif not strict:
        text = _drop_sentences(line.text, violations)
        action = "removed_sentence" if text else "dropped"
        if text and find_violations(text, facts, source_ids=known, list_context=listy):
            text, action = "", "dropped"
    else:
        text, action = "", "dropped"
    warnings.extend(_warnings(violations, section, action, line.source_line_ids))
    if not text.strip():
        return None, warnings, "dropped"
    return TailoredLine(text, known, line.role), warnings, action


def _check_heading(
    section: TailoredSection, facts: Facts, original: dict[SectionKind, str]
) -> tuple[str, list[GuardWarning]]:
    heading = section.heading
    if not heading or fold(heading) in facts.headings:
        return heading, []
    vocab = vocabulary()
    bad = [t for t in tokenize(heading) if _is_new(t.norm, t.raw, facts, vocab)]
    if not bad:
        return heading, []
    replacement = original.get(section.kind) or section.kind.value.title()
    return replacement, [
        GuardWarning(NEW_ENTITY, section.kind.value, heading, "heading names something new",
                     "reverted", [section.heading_line_id] if section.heading_line_id else [])
    ]  # fmt: skip


def _reattribute(
    lines: list[TailoredLine], section: SectionKind, facts: Facts
) -> tuple[list[TailoredLine], list[GuardWarning]]:
    """A bullet must stay under the entry it came from: "built X" under another employer's
    header is a claim about a different job. Misplaced bullets move back to their entry
    (or are dropped when that entry is not in the output)."""
    blocks: list[tuple[int | None, list[TailoredLine]]] = [(None, [])]
    stray: list[TailoredLine] = []
    for line in lines:
        entries = {facts.entry_of[i] for i in line.source_line_ids if i in facts.entry_of}
        if line.role is LineRole.HEADER and entries:
            blocks.append((min(entries), [line]))
            continue
        current = blocks[-1][0]
        foreign = bool(entries) and current is not None and current not in entries
        if line.role is LineRole.BULLET and foreign:
            stray.append(line)  # it cites lines of other entries only
            continue
        blocks[-1][1].append(line)
    warnings: list[GuardWarning] = []
    for line in stray:
        entries = {facts.entry_of[i] for i in line.source_line_ids if i in facts.entry_of}
        home = next((b for b in blocks if b[0] in entries), None)
        action = "moved" if home is not None else "dropped"
        if home is not None:
            home[1].append(line)
        warnings.append(
            GuardWarning(MISATTRIBUTED, section.value, line.text,
                         "bullet placed under a different job than in the original", action,
                         list(line.source_line_ids))
        )  # fmt: skip
    return [ln for _entry, block in blocks for ln in block], warnings
