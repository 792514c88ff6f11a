"""Is a parsed resume enough to tailor? Warnings for what is missing, and a refusal
(RESUME_TOO_THIN) for input with nothing to work with, before any job is created."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.documents.models import ResumeDocument, SectionKind
from app.errors import AppError, ErrorCode

# Below this many words outside the contact block, with no experience and no skills, a
# resume holds nothing a tailoring could use (e.g. a name and an ellipsis).
MIN_WORDS = 25


def content_warnings(doc: ResumeDocument) -> list[dict[str, Any]]:
    """What a reviewer should know about the input, as warning dicts (code, detail)."""
    warnings: list[dict[str, Any]] = []
    if not doc.experience:
        warnings.append(
            {
                "code": "NO_EXPERIENCE_FOUND",
                "section": SectionKind.EXPERIENCE.value,
                "detail": "no work experience was found in the resume; give each job a "
                "heading line (title, employer, dates) under an Experience heading",
            }
        )
    if not doc.skills:
        warnings.append(
            {
                "code": "NO_SKILLS_FOUND",
                "section": SectionKind.SKILLS.value,
                "detail": "no skills section was found; list your skills under a Skills "
                "heading so they can be matched to the job",
            }
        )
    # The parser's own findings (NO_SECTIONS_FOUND, MISSING_EMAIL ...), each code once.
    seen = {w["code"] for w in warnings}
    for code in doc.warnings:
        if code not in seen and code.replace("_", "").isalnum():
            seen.add(code)
            detail = code.lower().replace("_", " ")
            warnings.append({"code": code, "detail": f"parser: {detail}"})
    return warnings


def check_tailorable(doc: ResumeDocument) -> None:
    check_tailorable_facts(
        has_experience_or_skills=bool(doc.experience or doc.skills),
        content_texts=lambda: [
            line.text
            for section in doc.sections
            if section.kind is not SectionKind.CONTACT
            for line in section.lines
        ],
    )


def check_tailorable_facts(
    *, has_experience_or_skills: bool, content_texts: Callable[[], list[str]]
) -> None:
    """The RESUME_TOO_THIN rule on facts read without rebuilding the document (a request
    reads them from the stored parse in SQL); `content_texts` (the lines outside the
    contact block) is asked for only when there is no experience and no skills."""
    if has_experience_or_skills:
        return
    if sum(len(text.split()) for text in content_texts()) >= MIN_WORDS:
        return
    raise AppError(
        "the resume has too little content to tailor (no experience, no skills and "
        f"fewer than {MIN_WORDS} words); upload the full resume",
        code=ErrorCode.RESUME_TOO_THIN,
    )
