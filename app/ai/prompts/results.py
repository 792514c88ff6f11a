"""What a model's answer adds beyond the lines themselves, turned into the engine's shapes.

* `uncertain_warnings`: ideas the model was unsure the resume supports. They are never
  applied, but the person sees them (as warnings) instead of having them dropped.
* `left_out_lines`: original bullets the model's draft does not use, so the diff lists
  them as left out, as it does for the local engine's condensed roles.
* `letter_allowed`: what a letter may name beyond the resume (the local letter's rule).
"""

from __future__ import annotations

from typing import Any

from app.documents.models import JobPosting, ResumeDocument
from app.tailoring.letter_voice import role_name
from app.tailoring.posting_company import about_company, company_name
from app.tailoring.types import GuardWarning, TailoredLine, TailoredSection

UNCERTAIN = "AI_UNCERTAIN_SUGGESTION"
MAX_SUGGESTIONS = 10
MAX_SUGGESTION_CHARS = 300


def uncertain_suggestions(data: dict[str, Any]) -> list[str]:
    raw = data.get("uncertain_suggestions", [])
    items = [str(s).strip()[:MAX_SUGGESTION_CHARS] for s in raw if str(s).strip()]
    return list(dict.fromkeys(items))[:MAX_SUGGESTIONS]


def uncertain_warnings(data: dict[str, Any], section: str) -> list[GuardWarning]:
    return [
        GuardWarning(
            UNCERTAIN,
            section,
            text,
            "the model was not sure the resume supports this; it was not applied",
            "flagged",
            [],
        )
        for text in uncertain_suggestions(data)
    ]


def left_out_lines(resume: ResumeDocument, sections: list[TailoredSection]) -> list[TailoredLine]:
    """Experience bullets of the original that no output line cites."""
    cited = {i for s in sections for ln in s.lines for i in ln.source_line_ids}
    return [
        TailoredLine(bullet.text, [bullet.id])
        for entry in resume.experience
        for bullet in entry.bullets
        if bullet.id not in cited
    ]


def letter_allowed(job: JobPosting, job_title: str | None, company: str | None) -> list[str]:
    """Facts a letter may state beyond the resume: the role, the company (as the posting
    names it) and what the posting says the company does — never its requirements."""
    named = company_name(job) or company
    about = about_company(job, named) if named else None
    found = [job_title, company, named, role_name(job_title), about, "Hiring Team"]
    return [a for a in dict.fromkeys(found) if a] + ["Hiring Manager"]
