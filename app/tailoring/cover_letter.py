"""Cover letter from the plan, the posting and the resume's strongest evidence.

The letter quotes the person's own bullets (turned into first person) for the requirements
they meet, names only skills the resume shows, and never mentions a gap as if it were
experience. The result still goes through the guard's free-text check, with the job's
title, company and location as the only facts allowed beyond the resume.
"""

from __future__ import annotations

import re

from app.documents.models import ResumeDocument
from app.tailoring.guard import build_facts, guard_text
from app.tailoring.render import paragraphs_to_html, paragraphs_to_markdown, paragraphs_to_text
from app.tailoring.resume_analysis import DocLine
from app.tailoring.taxonomy import DOMAIN, LANGUAGE, SOFT, load_taxonomy
from app.tailoring.text import join_words, words
from app.tailoring.types import (
    CoverLetter,
    Evidence,
    Importance,
    JobAnalysis,
    LineRole,
    MatchStatus,
    Plan,
    ResumeAnalysis,
)

MAX_EVIDENCE = 3
_IRREGULAR = words(
    """
    built led ran wrote taught sold kept gave grew drove made won took set cut oversaw
    brought began found held rebuilt
    """
)


def _first_person(bullet: str) -> str | None:
    """ "Designed an API ..." -> "I designed an API ..."; None if it does not start with a verb."""
    text = bullet.strip().rstrip(".;")
    first, _, rest = text.partition(" ")
    word = first.lower()
    if not (word.endswith("ed") or word in _IRREGULAR) or not first[:1].isupper():
        return None
    if first[1:] and not first[1:].islower():
        return None  # an acronym or product name, not a verb
    return f"I {word} {rest}".strip()


def _name(name: str) -> str:
    # "PRIYA NAIR" (a shouted resume header) signs a letter as "Priya Nair".
    return name.title() if name.isupper() else name


def _evidence_sentence(bullet: str, employer: str | None, previous: str | None) -> str:
    """The bullet in the person's voice: "At Lumen Freight, I designed ..." (quoted when it
    does not start with a verb, so the wording stays exactly theirs)."""
    spoken = _first_person(bullet)
    if spoken is not None and employer and employer == previous:
        return f"I also {spoken[2:]}."
    if spoken is not None:
        return (
            f"At {employer.rstrip('.')}, {spoken}."
            if employer
            else f"{spoken[:1].upper()}{spoken[1:]}."
        )
    quoted = f"“{bullet.strip().rstrip('.')}”"
    return f"At {employer.rstrip('.')}: {quoted}." if employer else f"From my resume: {quoted}."


def _contact_block(resume: ResumeDocument, analysis: ResumeAnalysis) -> str:
    contact = resume.contact
    details = [d for d in (contact.email, contact.phone, contact.location) if d]
    details += list(contact.links)
    lines = [_name(analysis.name or contact.name or "")]
    if details:
        lines.append(" · ".join(details))
    return "\n".join(line for line in lines if line)


def write_cover_letter(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    plan: Plan,
    lines: list[DocLine],
) -> CoverLetter:
    taxonomy = load_taxonomy()
    by_id = {d.id: d for d in lines}
    role = f"the {job.title} role" if job.title else "this role"
    company = job.company
    paragraphs: list[str] = []
    header = _contact_block(resume, analysis)
    if header:
        paragraphs.append(header)
    paragraphs.append(f"Dear {company} hiring team," if company else "Dear Hiring Manager,")

    opening = f"I am applying for {role}" + (f" at {company}." if company else ".")
    current = analysis.current_title
    employer = analysis.current_employer
    if current:
        who = f" I am a {current}" + (f" at {employer.rstrip('.')}" if employer else "")
        if analysis.stated_years:
            who += f" with {analysis.stated_years:g} years of experience"
        opening += who + "."
    matched = [
        r.matched_skill
        for r in plan.ats.requirements
        if r.matched_skill
        and r.status is not MatchStatus.MISSING
        and r.via != "related"
        and taxonomy.category(r.matched_skill) not in (SOFT, DOMAIN, LANGUAGE)
        and r.matched_skill not in job.field_skills  # "data science" reads oddly as a tool
    ]
    names: list[str] = []
    for skill in dict.fromkeys(matched):
        wording = job.wording.get(skill, skill)
        name = wording if len(wording.split()) <= 3 else skill
        if name not in names and len(names) < 4:
            names.append(name)
    if names:
        opening += f" My work with {join_words(names)} lines up with what your posting asks for."
    paragraphs.append(opening)

    used: list[Evidence] = []
    sentences: list[str] = []
    last_employer: str | None = None
    ordered = sorted(
        plan.ats.requirements,
        key=lambda r: (r.importance is not Importance.REQUIRED, -r.credit),
    )
    for result in ordered:
        if result.status is MatchStatus.MISSING or len(used) >= MAX_EVIDENCE:
            continue
        for ev in result.evidence:
            line = by_id.get(ev.line_id)
            if line is None or line.role is not LineRole.BULLET:
                continue
            if any(u.line_id == ev.line_id for u in used):
                continue
            entry = resume.experience[line.entry] if line.entry is not None else None
            employer = entry.employer if entry else None
            sentences.append(_evidence_sentence(ev.text, employer, last_employer))
            last_employer = employer
            used.append(ev)
            break
    if not used:
        # A thin posting names nothing to match: lead with the strongest quantified work.
        bullets = [d for d in lines if d.role is LineRole.BULLET and re.search(r"\d", d.text)]
        for line in bullets[:2]:
            entry = resume.experience[line.entry] if line.entry is not None else None
            employer = entry.employer if entry else None
            sentences.append(_evidence_sentence(line.text, employer, last_employer))
            last_employer = employer
            used.append(Evidence(line.id, line.text, line.section.value))
    if sentences:
        paragraphs.append(" ".join(sentences))
    closing = (
        f"I would welcome the chance to discuss how this experience could help "
        f"{company or 'your team'}. Thank you for your time and consideration."
    )
    paragraphs.append(closing)
    signature = _name(analysis.name or resume.contact.name or "")
    paragraphs.append(f"Sincerely,\n{signature}" if signature else "Sincerely,")

    # The salutation's "Hiring Manager" is a reader, not a title the person claims.
    allowed = [a for a in (job.title, job.company, "Hiring Manager") if a]
    facts = build_facts(resume, allowed)
    checked = guard_text(resume, "\n\n".join(paragraphs), allowed=allowed, facts=facts)
    final = [p for p in re.split(r"\n{2,}", checked.text) if p.strip()]
    if not final:
        final = [paragraphs[1], closing]
    return CoverLetter(
        markdown=paragraphs_to_markdown(final),
        html=paragraphs_to_html(final),
        text=paragraphs_to_text(final),
        paragraphs=final,
        evidence=used,
        warnings=checked.warnings,
        job_title=job.title,
        company=job.company,
    )
