"""Assemble a `JobPosting` from pasted or extracted job-description text.

`JobPosting.text` is the sanitised text with one logical line per row: hard-wrapped lines
are joined, and paragraphs are split into sentences (so an inline "... CCRN preferred."
becomes its own line that the PREFERRED section can point at). Bullets keep their rows.
"""

from __future__ import annotations

import re

from app.documents.errors import DocumentError
from app.documents.job_guard import PROMPT_INJECTION_SUSPECTED, is_injection
from app.documents.job_meta import (
    HeaderFacts,
    company_in_body,
    find_remote,
    find_salary,
    labelled_fields,
    leading_label_lines,
    looks_like_company_line,
    read_header,
    split_company_line,
)
from app.documents.job_sections import inline_label, is_preferred_line, job_section_kind
from app.documents.lexicon import as_location, find_location
from app.documents.limits import MAX_JOB_LINES, check_count
from app.documents.models import JobPosting, JobSection, JobSectionKind, Line, RemotePolicy
from app.documents.plaintext import read_text
from app.documents.sanitize import clean_text, markdown_to_text
from app.documents.sniff import classify_text
from app.documents.text_lines import LogicalLine, RawLine, build_lines
from app.documents.wordlists import wordset

SHORT_DESCRIPTION_CHARS = 500
_ABBREVIATIONS = wordset("st dr mr mrs ms jr sr inc co corp ltd e.g i.e vs etc no u.s approx dept")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“])")
_SPLIT_MIN_CHARS = 60
_YEARS = re.compile(r"(\d{1,2})\s*\+?\s*(?:or more\s+)?(?:years|yrs)\b", re.IGNORECASE)


def build_job_posting(
    text: str, *, title: str | None = None, company: str | None = None
) -> JobPosting:
    """The posting read from `text`; `title` and `company` given by the user win over what
    the text says. No readable text or no title anywhere is INVALID_INPUT."""
    norm_text, lines, injected = _logical_lines(text)
    texts = [ll.text for ll in lines]
    header = read_header(texts[:3], blank_before_second=len(lines) > 1 and lines[1].blank_before)
    labels = labelled_fields(texts[:15])
    explicit_title = (title or "").strip() or None
    detected_title = labels.get("title") or header.title
    final_title = explicit_title or detected_title
    if not final_title:
        raise DocumentError(
            "INVALID_INPUT",
            "Could not find a job title in the description. Enter the title in the form "
            "(or put it on the first line).",
        )
    final_company = (
        (company or "").strip()
        or labels.get("company")
        or header.company
        or company_in_body(texts[:30])
    )
    location, remote = _labelled_place(header, labels)
    if (
        explicit_title
        and header.header_line_count == 0
        and not final_company
        and texts
        and looks_like_company_line(texts[0])
    ):
        # An explicit title with a posting that opens on "Company — City" instead.
        final_company, loc, rem = split_company_line(texts[0])
        location, remote = location or loc, remote or rem
    location = location or _location_in_body(texts)
    remote = remote or _remote_in_body(norm_text)
    salary = find_salary(labels["salary"]) if labels.get("salary") else None
    salary = salary or find_salary(norm_text)

    skip = header.header_line_count if header.title or header.company else 0
    skip = max(skip, leading_label_lines(texts[:10]))
    warnings: list[str] = [PROMPT_INJECTION_SUSPECTED] if injected else []
    warnings += _missing(norm_text, detected_title, final_company, location, remote)
    return JobPosting(
        text=norm_text,
        lines=[ll.line for ll in lines],
        title=final_title,
        company=final_company,
        location=location,
        remote=remote,
        salary=salary,
        sections=_sections(lines[skip:]),
        warnings=warnings,
    )


def _logical_lines(text: str) -> tuple[str, list[LogicalLine], bool]:
    """The sanitised text, its logical lines (paragraphs split into sentences, instruction-
    like lines dropped) and whether any line was dropped as an injection attempt."""
    if classify_text(text) == "markdown":
        text = markdown_to_text(text)
    cleaned = clean_text(text)
    if not cleaned.strip():
        raise DocumentError("INVALID_INPUT", "The job description has no readable text.")
    _, first_pass = build_lines(read_text(cleaned))
    check_count(len(first_pass), MAX_JOB_LINES, "lines")
    kept, injected = _without_injection(_sentence_lines(first_pass))
    norm_text, lines = build_lines(kept)
    check_count(len(lines), MAX_JOB_LINES, "lines")
    return norm_text, lines, injected


def _labelled_place(
    header: HeaderFacts, labels: dict[str, str]
) -> tuple[str | None, RemotePolicy | None]:
    """Location and remote policy from the header, a "Location:" field overriding it."""
    location, remote = header.location, header.remote
    labelled = labels.get("location")
    if labelled:
        location = find_location(labelled) or as_location(labelled) or location
        remote = remote or find_remote(labelled)
    return location, remote


def _missing(
    norm_text: str,
    detected_title: str | None,
    company: str | None,
    location: str | None,
    remote: RemotePolicy | None,
) -> list[str]:
    """Warnings for what the text is short of (a title given only in the form counts)."""
    warnings: list[str] = []
    if len(norm_text) < SHORT_DESCRIPTION_CHARS:
        warnings.append("SHORT_DESCRIPTION")
    if not detected_title:
        warnings.append("MISSING_TITLE")
    if not company:
        warnings.append("MISSING_COMPANY")
    if not location and remote is not RemotePolicy.REMOTE:
        warnings.append("MISSING_LOCATION")
    return warnings


def required_years(posting: JobPosting) -> int | None:
    """Largest "N+ years" figure stated in the requirements (or anywhere, as a fallback)."""
    section = posting.section(JobSectionKind.REQUIREMENTS)
    scopes = [" ".join(ln.text for ln in section.lines)] if section else []
    scopes.append(posting.text)
    for scope in scopes:
        years = [int(m.group(1)) for m in _YEARS.finditer(scope)]
        if years:
            return max(years)
    return None


def _sentence_lines(lines: list[LogicalLine]) -> list[RawLine]:
    """Paragraph lines split into sentences, so "... (Epic). CCRN preferred." yields a
    separate line the PREFERRED section can own."""
    out: list[RawLine] = []
    for ll in lines:
        prefix = "- " if ll.is_bullet else ""
        pieces = [ll.text] if ll.is_bullet else split_sentences(ll.text)
        for i, piece in enumerate(pieces):
            out.append(
                RawLine(
                    text=prefix + piece,
                    indent=ll.indent,
                    blank_before=ll.blank_before and i == 0,
                    may_wrap=False,
                )
            )
    return out


def _without_injection(lines: list[RawLine]) -> tuple[list[RawLine], bool]:
    """Lines minus the sentences aimed at automated tools (see job_guard); a bullet that
    carries one such sentence keeps its other sentences."""
    kept: list[RawLine] = []
    found = False
    for raw in lines:
        if not is_injection(raw.text):
            kept.append(raw)
            continue
        found = True
        prefix = "- " if raw.text.startswith("- ") else ""
        rest = [p for p in split_sentences(raw.text[len(prefix) :]) if not is_injection(p)]
        if rest:
            raw.text = prefix + " ".join(rest)
            kept.append(raw)
    return kept, found


def split_sentences(text: str) -> list[str]:
    if len(text) < _SPLIT_MIN_CHARS:
        return [text]
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        before = text[start : m.start()]
        last_word = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if last_word in _ABBREVIATIONS or len(last_word) == 1:
            continue
        pieces.append(before.strip())
        start = m.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _sections(lines: list[LogicalLine]) -> list[JobSection]:
    sections: list[JobSection] = []
    current: JobSection | None = None
    before_label: JobSection | None = None  # section a one-line "Pay: ..." label interrupted
    for ll in lines:
        if before_label is not None and (ll.is_bullet or ll.blank_before):
            # "Pay: $18 an hour" / "Preferred: CPA" own their paragraph, not what follows.
            current, before_label = before_label, None
        kind = None if ll.is_bullet else job_section_kind(ll.text)
        if kind is not None:
            current, before_label = JobSection(kind, _heading_text(ll.text)), None
            sections.append(current)
            continue
        inline = None if ll.is_bullet else inline_label(ll.text)
        if inline is not None and (current is None or current.kind is not inline[0]):
            before_label = before_label or current
            current = JobSection(inline[0], inline[1], [ll.line])
            sections.append(current)
            continue
        if current is None:
            current = JobSection(JobSectionKind.ABOUT, "")
            sections.append(current)
        current.lines.append(ll.line)
    return _split_preferred(sections)


def _heading_text(text: str) -> str:
    return text.strip().rstrip(":").strip()


def _split_preferred(sections: list[JobSection]) -> list[JobSection]:
    """Move optional items out of REQUIREMENTS ("CCRN preferred.") into PREFERRED."""
    moved: list[Line] = []
    for section in sections:
        if section.kind is not JobSectionKind.REQUIREMENTS:
            continue
        keep: list[Line] = []
        for line in section.lines:
            optional = is_preferred_line(line.text) and not _is_label_line(line, section)
            (moved if optional else keep).append(line)
        section.lines = keep
    if not moved:
        return [s for s in sections if s.lines or s.kind is not JobSectionKind.ABOUT]
    preferred = next((s for s in sections if s.kind is JobSectionKind.PREFERRED), None)
    if preferred is None:
        preferred = JobSection(JobSectionKind.PREFERRED, "")
        last_req = max(i for i, s in enumerate(sections) if s.kind is JobSectionKind.REQUIREMENTS)
        sections.insert(last_req + 1, preferred)
    preferred.lines = sorted([*preferred.lines, *moved], key=lambda ln: ln.span.start)
    return sections


def _is_label_line(line: Line, section: JobSection) -> bool:
    # The "Requirements: ..." line itself stays with its section.
    return bool(section.heading) and line.text.startswith(section.heading + ":")


def _location_in_body(texts: list[str]) -> str | None:
    for text in texts[:40]:
        if re.search(r"(?i)\b(?:location|based in|located in|office in)\b", text):
            found = find_location(text)
            if found:
                return found
    for text in texts[:5]:
        found = find_location(text)
        if found:
            return found
    return None


def _remote_in_body(text: str) -> RemotePolicy | None:
    return find_remote(text)
