"""Truth guard: tailored output may reorder and reword, never invent.

`guard(original, tailored)` works on any engine's TailoredResume (this engine's or an
LLM's). Each output line names the original lines it came from (`source_line_ids`), and is
checked against them and against the whole original:

* numbers (metrics, %, $, counts) must appear in the line's own sources;
* dates (years, month + year) must appear somewhere in the original;
* skills and certifications must be ones the original names (or, for soft skills,
  demonstrates);
* employers, schools, degrees, job titles and other proper names must appear in the
  original; e-mail addresses and links too;
* entry headers, dates, education, certification and contact lines must not gain words;
* a bullet stays under the job it came from (moved back, or dropped, if placed elsewhere).

A line that is verbatim some original line is always accepted (its ids are corrected).

A failing line is repaired rather than kept: a skills list loses only the offending items,
a line with one source is reverted to the source text, a line built from several sources
(a summary) loses the offending sentences, and a failing line with no valid source is
dropped.
Every repair is recorded as a GuardWarning (code, section, offending text).

`guard_text(original, text, allowed=...)` applies the same checks to free text such as a
cover letter, dropping sentences that make unsupported claims; `allowed` adds facts that
are legitimately new there (the employer and title being applied to).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.attribution import attribution_errors, employer_names
from app.tailoring.guard_checks import find_violations
from app.tailoring.guard_facts import (
    ALL_CONTENT_REJECTED,
    MISATTRIBUTED_CLAIM,
    Facts,
    _number_values,
    _Violation,
    build_facts,
    clear_facts_cache,
    vocabulary,
)
from app.tailoring.guard_repair import (
    _check_heading,
    _check_line,
    _reattribute,
    _sentences,
    _warnings,
)
from app.tailoring.layout import original_as_tailored
from app.tailoring.matcher import get_matcher
from app.tailoring.quality_gate import apply_quality_gate
from app.tailoring.text import norm_key, tokenize
from app.tailoring.types import (
    GuardResult,
    GuardWarning,
    TailoredLine,
    TailoredResume,
    TailoredSection,
    TextGuardResult,
)

__all__ = [
    "Facts",
    "_number_values",
    "build_facts",
    "clear_facts_cache",
    "find_violations",
    "guard",
    "guard_text",
    "vocabulary",
]


def guard(original: ResumeDocument, tailored: TailoredResume) -> GuardResult:
    """Check any engine's tailored resume against the original; repair what is unsupported."""
    facts = build_facts(original)
    original_headings = {s.kind: s.heading for s in original.sections if s.heading}
    sections: list[TailoredSection] = []
    warnings: list[GuardWarning] = []
    reverted = dropped = 0
    for section in tailored.sections:
        heading, heading_warnings = _check_heading(section, facts, original_headings)
        warnings.extend(heading_warnings)
        lines: list[TailoredLine] = []
        for line in section.lines:
            if not line.text.strip():
                continue
            fixed, line_warnings, action = _check_line(line, section.kind, facts)
            warnings.extend(line_warnings)
            if action == "reverted":
                reverted += 1
            if fixed is None:
                dropped += 1
            else:
                lines.append(fixed)
        lines, moved = _reattribute(lines, section.kind, facts)
        warnings.extend(moved)
        dropped += sum(1 for w in moved if w.action == "dropped")
        if lines or section.kind is SectionKind.CONTACT:
            sections.append(TailoredSection(section.kind, heading, lines, section.heading_line_id))
    if not any(s.lines for s in sections):
        # Nothing survived (or nothing was there): fall back to the original, unchanged.
        fallback = original_as_tailored(original, tailored.strategy)
        sections = fallback.sections
        warnings.append(
            GuardWarning(ALL_CONTENT_REJECTED, "resume", "", "no supported content; "
                         "returned the original resume", "reverted", [])
        )  # fmt: skip
    result = TailoredResume(
        strategy=tailored.strategy,
        sections=sections,
        warnings=list(warnings),
        engine=tailored.engine,
        job_title=tailored.job_title,
        company=tailored.company,
        left_out=list(tailored.left_out),
    )
    # Every result, whatever engine wrote it, passes the structural gate too.
    # (Its warnings ride on the resume; GuardResult.warnings stay the truth findings.)
    result = apply_quality_gate(result)
    return GuardResult(resume=result, warnings=warnings, reverted=reverted, dropped=dropped)


def guard_text(
    original: ResumeDocument,
    text: str,
    *,
    allowed: Iterable[str] = (),
    section: str = "cover_letter",
    facts: Facts | None = None,
) -> TextGuardResult:
    """Free text (a cover letter, an answer): drop sentences with unsupported claims.

    Paragraph breaks are kept. `allowed` texts (the job title, the company) may be named.
    """
    facts = facts or build_facts(original, allowed)
    names = employer_names(original)
    out_paragraphs: list[str] = []
    warnings: list[GuardWarning] = []
    dropped = 0
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            out_paragraphs.append(paragraph)
            continue
        kept: list[str] = []
        for a, b in _sentences(paragraph):
            sentence = paragraph[a:b]
            violations = find_violations(sentence, facts, source_ids=None)
            violations += _misattributed(original, sentence, names)
            if violations:
                dropped += 1
                warnings.extend(_warnings(violations, section, "removed_sentence", []))
            else:
                kept.append(sentence.strip())
        if kept:
            out_paragraphs.append(" ".join(kept))
    cleaned = "\n".join(out_paragraphs).strip("\n")
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return TextGuardResult(text=cleaned, warnings=warnings, dropped=dropped)


def _misattributed(
    original: ResumeDocument, sentence: str, names: dict[int, str]
) -> list[_Violation]:
    """An achievement credited to an employer whose bullet it is not."""
    return [
        _Violation(MISATTRIBUTED_CLAIM, error.sentence, 0, len(sentence))
        for error in attribution_errors(original, sentence, names)
    ]


def skills_claimed(text: str) -> list[str]:
    """Canonical skills a text names (for tests and callers that audit output)."""
    return get_matcher().skills_in(text)


def norm_phrase_in(text: str, phrase: str) -> bool:
    key, hay = norm_key(phrase), tuple(t.norm for t in tokenize(text))
    return any(hay[i : i + len(key)] == key for i in range(len(hay) - len(key) + 1))
