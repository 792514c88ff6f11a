"""The truth guard's fixture set: truthful rewrites that must pass, fabrications that must
be caught (tests/fixtures/guard/cases.json), and how one case is judged.

A "line" case replaces one line of the original (found by its text) with the rewrite,
keeping its source id, and runs `guard`; a "letter" case runs `guard_text` on a sentence
as a cover letter would. A case counts as flagged when the guard reports a truth finding
(any warning that is not a structural repair).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.documents import parse_resume
from app.documents.models import ResumeDocument
from app.tailoring.guard import guard, guard_text
from app.tailoring.layout import original_as_tailored
from app.tailoring.types import GuardWarning, TailoredLine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CASES = FIXTURES / "guard" / "cases.json"
RESUMES = FIXTURES / "pairs" / "resumes"


@dataclass(frozen=True)
class GuardCase:
    resume: str
    where: str  # "line" | "letter"
    source: str  # the original line the rewrite replaces ("" for a letter sentence)
    text: str
    kind: str  # "truthful" or the kind of fabrication

    @property
    def fabricated(self) -> bool:
        return self.kind != "truthful"

    @property
    def name(self) -> str:
        return f"{self.kind}:{self.text[:50]}"


def load_cases(path: Path = CASES) -> list[GuardCase]:
    return [GuardCase(**item) for item in json.loads(path.read_text(encoding="utf-8"))]


@cache
def resume_named(name: str) -> ResumeDocument:
    path = RESUMES / name
    return parse_resume(path.read_bytes(), path.name)


def findings(case: GuardCase) -> list[GuardWarning]:
    resume = resume_named(case.resume)
    if case.where == "letter":
        return guard_text(resume, case.text).warnings
    tailored = original_as_tailored(resume)
    for section in tailored.sections:
        for i, line in enumerate(section.lines):
            if line.text == case.source:
                section.lines[i] = TailoredLine(case.text, list(line.source_line_ids), line.role)
                result = guard(resume, tailored)
                return [w for w in result.warnings if not w.code.startswith("STRUCTURE_")]
    raise LookupError(f"no line {case.source!r} in {case.resume}")


def flagged(case: GuardCase) -> bool:
    return bool(findings(case))
