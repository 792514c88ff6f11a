"""What an accepted version holds, built from the job's result and the person's choices.

Pure: the original resume, the posting, the tailored draft and the choices in; the
version's stored content, Markdown, diff, ATS score and guard warnings out. The service
(app/services/versions.py) loads the inputs, calls this off the event loop, and persists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.documents.models import JobPosting, ResumeDocument
from app.tailoring.acceptance import SectionChoice, merge_choices
from app.tailoring.engine import LocalEngine
from app.tailoring.types import TailoredResume


@dataclass(frozen=True)
class VersionBuild:
    content: dict[str, Any]  # {"resume": ..., "cover_letter_markdown": ..., "ats": ...}
    markdown: str
    diff: list[dict[str, Any]]
    ats_score: int
    warnings: list[dict[str, Any]]


def build_version(
    original: ResumeDocument,
    posting: JobPosting,
    tailored: TailoredResume,
    cover_letter_markdown: str,
    choices: list[SectionChoice] | None,
    *,
    engine: LocalEngine | None = None,
) -> VersionBuild:
    """`choices=None` accepts every section as tailored. Unknown section keys raise
    KeyError (the caller reports them as invalid input)."""
    merged, warnings = merge_choices(original, tailored, choices)
    scored = (engine or LocalEngine()).evaluate(original, posting, merged)
    return VersionBuild(
        content={
            "resume": merged.to_dict(),
            "cover_letter_markdown": cover_letter_markdown,
            "ats": scored.after.to_dict(),
        },
        markdown=merged.to_markdown(),
        diff=[d.to_dict() for d in scored.diff],
        ats_score=scored.after.score,
        warnings=[w.to_dict() for w in warnings],
    )
