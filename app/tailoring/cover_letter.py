"""A cover letter composed from the resume's facts and the posting, not a filled-in form.

    Dear Orbital Logistics Hiring Team,

    I am writing to apply for the Senior Platform Engineer position at Orbital Logistics.
    I bring 8 years of experience, including Kubernetes, Docker and PostgreSQL, currently as a
    Senior Software Engineer at Lumen Freight.

    At Lumen Freight, I moved 40 services from EC2 to k8s on Amazon EKS, ... I also cut
    Postgres query latency by 60% ... Before that, at Brightline Payments, I added ...

    I would like to bring this experience to Orbital Logistics, which moves freight for
    4,000 shippers across North America. Thank you for your time and consideration.

* addressed to the company the posting names (`posting_company`), else "Hiring Team";
* the opening names the role and the company; the person's own title and employer come
  from `entries` (never a city or a bullet), with the right article ("an Account
  Executive");
* two or three evidence sentences: the strongest bullets for the posting's requirements,
  retold in the first person and credited to the employer whose bullet each is;
* why this company: what the posting says the company does; then a close.

No resume line is quoted. The letter passes the guard's free-text check (facts and
attribution) with the posting's title, company and self-description as the only facts
allowed beyond the resume.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.models import JobPosting, ResumeDocument
from app.tailoring.entries import EntryFacts, entry_facts, is_role
from app.tailoring.guard import build_facts, guard_text
from app.tailoring.letter_voice import article, first_person, person_name, role_name
from app.tailoring.posting_company import about_company, company_name
from app.tailoring.posting_terms import posting_terms
from app.tailoring.relevance import Context
from app.tailoring.render import paragraphs_to_html, paragraphs_to_markdown, paragraphs_to_text
from app.tailoring.resume_analysis import DocLine
from app.tailoring.summary import strongest_terms, years_to_state
from app.tailoring.text import join_words
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
MAX_LETTER_TERMS = 3


@dataclass(frozen=True)
class ContactDetails:
    """The contact block to print on documents; given on the tailor input, else the resume's."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: tuple[str, ...] = ()


def _contact(
    resume: ResumeDocument, analysis: ResumeAnalysis, given: ContactDetails | None
) -> ContactDetails:
    own = resume.contact
    first = resume.line(own.line_ids[0]) if own.line_ids else None
    first_line = first.text if first is not None else None
    resume_contact = ContactDetails(
        person_name(analysis.name or own.name or first_line or ""),
        own.email,
        own.phone,
        own.location,
        tuple(own.links),
    )
    if given is None:
        return resume_contact
    return ContactDetails(
        given.name or resume_contact.name,
        given.email or resume_contact.email,
        given.phone or resume_contact.phone,
        given.location or resume_contact.location,
        given.links or resume_contact.links,
    )


def _header(contact: ContactDetails) -> str:
    details = [d for d in (contact.email, contact.phone, contact.location) if d]
    details += list(contact.links)
    lines = [contact.name or "", " · ".join(details)]
    return "\n".join(line for line in lines if line)


def _evidence_lines(resume: ResumeDocument, plan: Plan, lines: list[DocLine]) -> list[DocLine]:
    """The strongest bullets for the posting's requirements, one per requirement, that can
    be retold in the first person; recent roles first."""
    by_id = {d.id: d for d in lines}
    ordered = sorted(
        plan.ats.requirements, key=lambda r: (r.importance is not Importance.REQUIRED, -r.credit)
    )
    chosen: list[DocLine] = []
    for result in ordered:
        if result.status is MatchStatus.MISSING or len(chosen) >= MAX_EVIDENCE:
            continue
        for ev in result.evidence:
            line = by_id.get(ev.line_id)
            if line is None or line.role is not LineRole.BULLET or line.entry is None:
                continue
            if line in chosen or first_person(line.text, current=True) is None:
                continue
            chosen.append(line)
            break
    if len(chosen) < 2:  # a thin posting: the strongest quantified work instead
        extra = [d for d in lines if d.role is LineRole.BULLET and d.entry is not None]
        extra.sort(key=lambda d: not re.search(r"\d", d.text))
        for line in extra:
            if len(chosen) >= 2:
                break
            if line not in chosen and first_person(line.text, current=True) is not None:
                chosen.append(line)
    return sorted(chosen, key=lambda d: (d.entry or 0, lines.index(d)))


def _evidence_sentences(lines: list[DocLine], facts: list[EntryFacts]) -> list[str]:
    sentences: list[str] = []
    previous: str | None = None
    for n, line in enumerate(lines):
        fact = facts[line.entry] if line.entry is not None and line.entry < len(facts) else None
        current = fact is not None and fact.end == "present"
        spoken = first_person(line.text, current=current)
        if spoken is None:
            continue
        employer = fact.employer if fact else None
        if employer and employer == previous:
            also = "I also" if not sentences[-1].startswith("I also") else "In addition, I"
            sentences.append(f"{also} {spoken}.")
        elif employer:
            lead = "Before that, at" if n and previous else "At"
            sentences.append(f"{lead} {employer}, I {spoken}.".replace("., I", ", I"))
        else:
            sentences.append(f"I {spoken}.")
        previous = employer
    return sentences


def _opening(
    job: JobAnalysis, company: str | None, facts: list[EntryFacts], terms: list[str], years: int
) -> str:
    role = role_name(job.title)
    target = f"the {role} position" if role else "this position"
    terms = [t for t in terms if not is_role(t)]  # the role is not a skill ("mathematics teacher")
    # ("I am writing ..." would claim "writing" as a skill.)
    text = f"Please accept my application for {target}" + (f" at {company}." if company else ".")
    latest = next((f for f in facts if f.title), None)
    bring = ""
    if years >= 1 and terms:
        bring = f" I bring {years} years of experience, including {join_words(terms)}"
    elif terms:
        bring = f" My experience includes {join_words(terms)}"
    if latest is not None and latest.title:
        as_what = f"{article(latest.title)} {latest.title}"
        at = f" at {latest.employer.rstrip('.')}" if latest.employer else ""
        when = "currently" if latest.end == "present" else "most recently"
        bring = f"{bring}, {when} as {as_what}{at}" if bring else f" I am {when} {as_what}{at}"
    return (text + (bring + "." if bring else "")).replace("..", ".")


def write_cover_letter(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    plan: Plan,
    lines: list[DocLine],
    *,
    posting: JobPosting | None = None,
    contact: ContactDetails | None = None,
) -> CoverLetter:
    facts = entry_facts(resume)
    company = company_name(posting) if posting is not None else _plain_company(job.company)
    who = _contact(resume, analysis, contact)
    terms = _letter_terms(resume, job, analysis, plan, lines, posting)
    years = years_to_state(plan.ats.years_relevant, plan.ats.years_total)
    paragraphs = [_header(who)] if _header(who) else []
    paragraphs.append(f"Dear {company} Hiring Team," if company else "Dear Hiring Team,")
    paragraphs.append(_opening(job, company, facts, terms, years))
    chosen = _evidence_lines(resume, plan, lines)
    evidence = _evidence_sentences(chosen, facts)
    if evidence:
        paragraphs.append(" ".join(evidence))
    about = about_company(posting, company) if posting is not None and company else None
    why = (
        f"I would like to bring this experience to {company}, {about}."
        if about
        else f"I would welcome the chance to bring this experience to {company or 'your team'}."
    )
    paragraphs.append(f"{why} Thank you for your time and consideration.")
    paragraphs.append(f"Sincerely,\n{who.name}" if who.name else "Sincerely,")
    allowed = [a for a in (job.title, company, role_name(job.title), about, "Hiring Team") if a]
    allowed += [d for d in (who.email, who.phone, who.location, *who.links) if d]
    checked = guard_text(
        resume, "\n\n".join(paragraphs), allowed=allowed, facts=build_facts(resume, allowed)
    )
    final = [p for p in re.split(r"\n{2,}", checked.text) if p.strip()]
    return CoverLetter(
        markdown=paragraphs_to_markdown(final),
        html=paragraphs_to_html(final),
        text=paragraphs_to_text(final),
        paragraphs=final,
        evidence=[Evidence(d.id, d.text, d.section.value) for d in chosen],
        warnings=checked.warnings,
        job_title=job.title,
        company=company,
    )


def _plain_company(company: str | None) -> str | None:
    if not company:
        return None
    cleaned = company.strip(" ·|,-")
    return None if cleaned.isupper() and len(cleaned) > 5 else cleaned or None


def _letter_terms(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    plan: Plan,
    lines: list[DocLine],
    posting: JobPosting | None,
) -> list[str]:
    """The posting's words for the strongest requirements the resume evidences (the same
    choice as the summary's), leaving out the role itself ("Registered Nurse")."""
    terms = posting_terms(job)  # the requirements' own clauses, as the draft uses
    ctx = Context(resume, job, analysis, plan.ats, lines, [], terms)
    title = role_name(job.title) or ""
    return [t for t, _ids in strongest_terms(ctx, title)][:MAX_LETTER_TERMS]
