"""Merge a person's per-section choices into one resume: accepted sections from the
tailored draft (or their own edit of it), the original for the rest. Edits go through
the truth guard like any engine output."""

from __future__ import annotations

from dataclasses import dataclass

from app.documents.models import ResumeDocument
from app.tailoring.guard import guard
from app.tailoring.layout import original_as_tailored
from app.tailoring.types import (
    GuardWarning,
    LineRole,
    TailoredLine,
    TailoredResume,
    TailoredSection,
)

_BULLETS = ("- ", "* ", "• ", "· ")


@dataclass(frozen=True)
class SectionChoice:
    section: str  # section key: the kind value ("experience"), ":2" etc. for repeats
    accept: bool
    edited_text: str | None = None


def section_keys(sections: list[TailoredSection]) -> list[str]:
    """Stable keys per section: the kind, numbered from the second of the same kind."""
    seen: dict[str, int] = {}
    keys = []
    for section in sections:
        kind = section.kind.value
        seen[kind] = seen.get(kind, 0) + 1
        keys.append(kind if seen[kind] == 1 else f"{kind}:{seen[kind]}")
    return keys


def _edited_section(base: TailoredSection, text: str, sources: list[str]) -> TailoredSection:
    lines = []
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        is_bullet = stripped.startswith(_BULLETS)
        body = stripped[2:].strip() if is_bullet else stripped
        # The person's text may draw on anything the section said; the guard checks every
        # number, name and skill against those sources and the whole resume.
        lines.append(
            TailoredLine(
                text=body,
                source_line_ids=list(sources),
                role=LineRole.BULLET if is_bullet else LineRole.TEXT,
            )
        )
    return TailoredSection(
        kind=base.kind, heading=base.heading, lines=lines, heading_line_id=base.heading_line_id
    )


def merge_choices(
    original: ResumeDocument,
    tailored: TailoredResume,
    choices: list[SectionChoice] | None,
) -> tuple[TailoredResume, list[GuardWarning]]:
    """`choices=None` accepts everything as tailored. Unknown section keys raise KeyError."""
    original_sections = original_as_tailored(original).sections
    original_by_key = dict(zip(section_keys(original_sections), original_sections, strict=True))
    tailored_keys = section_keys(tailored.sections)
    by_key = {c.section: c for c in choices or []}
    unknown = sorted(set(by_key) - set(tailored_keys) - set(original_by_key))
    if unknown:
        raise KeyError(", ".join(unknown))
    merged: list[TailoredSection] = []
    for key, section in zip(tailored_keys, tailored.sections, strict=True):
        choice = by_key.get(key)
        fallback = original_by_key.get(key)
        if choices is None or (choice is not None and choice.accept):
            if choice is not None and choice.edited_text is not None:
                sources = [i for ln in section.lines for i in ln.source_line_ids]
                if fallback is not None:
                    sources += [i for ln in fallback.lines for i in ln.source_line_ids]
                merged.append(_edited_section(section, choice.edited_text, sorted(set(sources))))
            else:
                merged.append(section)
        elif fallback is not None:
            merged.append(fallback)
        # a section the engine added and the person declined is simply left out
    # Sections of the original the draft dropped stay unless explicitly declined.
    for key, section in original_by_key.items():
        if key not in tailored_keys and not (key in by_key and not by_key[key].accept):
            merged.append(section)
    result = TailoredResume(
        strategy=tailored.strategy,
        sections=merged,
        engine=tailored.engine,
        job_title=tailored.job_title,
        company=tailored.company,
    )
    checked = guard(original, result)
    return checked.resume, checked.warnings
