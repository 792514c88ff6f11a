"""Who the person worked for, as what: each experience entry's title and employer, checked.

The parser's split of a header line is usually right ("Account Executive | Tidewater
Software"), but plain-text resumes with column gaps can swap the parts or leave a city as
the employer ("Senior Staff Accountant, Alpine Outdoor Co.   Denver, CO"). Anything that
writes a sentence about an employer (the summary, the cover letter, the attribution check)
reads the entry through `entry_facts`, which re-reads the header line when a part looks like
a place, a date or a job title rather than an organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.models import ExperienceEntry, ResumeDocument
from app.tailoring.memo import BoundedCache
from app.tailoring.text import fold, words

ROLE_NOUNS = words(
    """
    engineer developer manager director designer nurse analyst scientist lead architect
    consultant specialist coordinator officer teacher accountant president vp head
    intern administrator technician representative executive supervisor instructor
    professor lecturer researcher strategist producer editor writer recruiter advisor
    adviser planner controller auditor bookkeeper therapist physician pharmacist
    paramedic chef cto ceo cfo coo founder cofounder co-founder partner principal fellow
    programmer associate assistant agent clerk attorney paralegal buyer cashier
    mechanic electrician operator owner trainer tutor counselor pilot driver
    """
)
_LOCATION = re.compile(
    r"^(?:remote|hybrid|on-?site|[A-Z][A-Za-z .'-]+,\s*(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?))"
    r"(?:\s*\((?:remote|hybrid)\))?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b|\bpresent\b", re.IGNORECASE)
_MAJOR_SPLIT = re.compile(r"\s{2,}|\s[|·•—–]\s|\s-\s|\t|\s+at\s+|\s+@\s+")


@dataclass(frozen=True)
class EntryFacts:
    index: int
    title: str | None
    employer: str | None
    start: str | None
    end: str | None
    header_text: str


def is_location(text: str) -> bool:
    return bool(_LOCATION.match(text.strip()))


def is_role(text: str) -> bool:
    tokens = [fold(t).strip(".,") for t in re.split(r"[\s,/]+", text) if t]
    tokens = [t for t in tokens if t and not re.fullmatch(r"[ivx]+|\d+", t)]
    return bool(tokens) and tokens[-1] in ROLE_NOUNS


def _usable_employer(text: str | None) -> bool:
    if not text or not text.strip():
        return False
    return not (is_location(text) or _YEAR.search(text) or is_role(text))


def header_chunks(text: str) -> list[str]:
    """A header line cut into its parts: title, employer, location, dates."""
    out: list[str] = []
    for major in _MAJOR_SPLIT.split(text):
        major = major.strip(" ,")
        if not major:
            continue
        if is_location(major) or _YEAR.search(major):
            out.append(major)
            continue
        out.extend(part.strip() for part in major.split(", ") if part.strip())
    return out


def _from_header(header: str) -> tuple[str | None, str | None]:
    chunks = [c for c in header_chunks(header) if not is_location(c) and not _YEAR.search(c)]
    title = next((c for c in chunks if is_role(c)), None)
    employer = next((c for c in chunks if c != title and not is_role(c)), None)
    return title, employer


def _entry(resume: ResumeDocument, index: int, entry: ExperienceEntry) -> EntryFacts:
    header = ""
    if entry.header_line_ids:
        line = resume.line(entry.header_line_ids[0])
        header = line.text if line is not None else ""
    title, employer = entry.title, entry.employer
    if not _usable_employer(employer) or (title and (is_location(title) or not is_role(title))):
        parsed_title, parsed_employer = _from_header(header)
        if parsed_employer and not _usable_employer(employer):
            employer = parsed_employer
        if parsed_title and (not title or is_location(title) or "," in title):
            title = parsed_title
    if not _usable_employer(employer):
        employer = None
    if title and is_location(title):
        title = None
    return EntryFacts(index, title, employer, entry.start, entry.end, header)


_CACHE: BoundedCache[tuple[EntryFacts, ...]] = BoundedCache()


def clear_entry_cache() -> None:
    _CACHE.clear()


def entry_facts(resume: ResumeDocument) -> list[EntryFacts]:
    """Title and employer of every experience entry (None where it cannot be read).

    Read by the summary, the letter and the attribution check of one job: cached on what
    it depends on (the text and the parser's entries)."""
    entries = resume.experience
    key = (
        resume.text,
        tuple((e.title, e.employer, tuple(e.header_line_ids), e.start, e.end) for e in entries),
    )
    facts = _CACHE.get_or_create(
        key, lambda: tuple(_entry(resume, i, e) for i, e in enumerate(entries))
    )
    return list(facts)
