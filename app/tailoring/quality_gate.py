"""Structural quality gate: every tailored resume (local or LLM) is checked before it ships.

A parser meets damaged input (PDF running footers, words hyphenated across lines, a bullet
that became a heading, a dates line read as a bullet) and a model can produce the same
shapes. The gate looks for each shape, repairs what can be repaired without changing what
the person wrote, and records a warning for everything it touched or could not fix, so a
broken result is never shipped silently:

* running headers/footers ("Page 1 of 2", the name repeated mid-document): removed;
* words broken by a line-end hyphen ("manage- ment"): joined unless it is a suspended
  hyphen ("full- and part-time");
* a bullet-like sentence marked as an entry header: demoted to a bullet;
* a dates/location line marked as a bullet: promoted to the entry's meta line;
* a second header line of one entry: becomes its meta line, so the entry renders as ONE
  header (title, employer, location, dates);
* fragments (a lower-case continuation of the previous bullet): joined to it;
* duplicate lines, empty skill groups and empty sections: removed.

`structure_problems` reports the same shapes without repairing (benches and tests use it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.models import SectionKind
from app.tailoring.text import collapse_ws, fold
from app.tailoring.types import GuardWarning, LineRole, TailoredLine, TailoredResume
from app.tailoring.work_dates import is_date_line

STRUCTURE_REPAIRED = "STRUCTURE_REPAIRED"
STRUCTURE_UNREADABLE = "STRUCTURE_UNREADABLE"

_RUNNING = re.compile(
    r"^\s*(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|-\s*\d+\s*-"
    r"|(?:curriculum vitae|resume|résumé)\s*(?:[-–—|·]\s*page\s*\d+)?|confidential)\s*$",
    re.IGNORECASE,
)
_HYPHEN_BREAK = re.compile(r"\b([A-Za-z]{2,})- ([a-z]{2,})\b")
_DATE_RANGE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d\d\s*"
    r"(?:-|–|—|to)\s*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?"
    r"(?:(?:19|20)\d\d|present|current|now)\b",
    re.IGNORECASE,
)
_SENTENCE_VERB = re.compile(r"^[A-Z][a-z]+(?:ed|ing)\b")
_EMPTY_GROUP = re.compile(r"^[^:]{1,40}:\s*$")
_SUSPENDED = frozenset({"and", "or", "to", "nor", "as", "than", "versus", "vs"})
_HEADER_ROLES = frozenset({LineRole.HEADER, LineRole.META})


@dataclass(frozen=True)
class Problem:
    code: str  # running_header | hyphenation | bullet_as_header | header_as_bullet | ...
    section: str
    text: str


def _is_running(text: str, name: str | None) -> bool:
    stripped = collapse_ws(text)
    if _RUNNING.match(stripped):
        return True
    return bool(name) and fold(stripped) == fold(name or "")


def _hyphen_fix(text: str) -> str:
    def join(m: re.Match[str]) -> str:
        whole = m.group(1) + m.group(2)
        # A suspended hyphen ("full- and part-time", "short- to mid-term") is not a break.
        if fold(m.group(2)) in _SUSPENDED:
            return m.group(0)
        return whole

    return _HYPHEN_BREAK.sub(join, text)


def _looks_like_bullet(text: str) -> bool:
    words = text.split()
    return len(words) >= 8 and bool(_SENTENCE_VERB.match(text)) and not _DATE_RANGE.search(text)


def _looks_like_meta(text: str) -> bool:
    return bool(_DATE_RANGE.search(text)) and len(text.split()) <= 10


def _is_fragment(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[0].islower() and len(stripped.split()) <= 4


def _name(resume: TailoredResume) -> str | None:
    contact = resume.section(SectionKind.CONTACT)
    if contact is None:
        return None
    named = next((ln for ln in contact.lines if ln.role is LineRole.NAME), None)
    return named.text.strip() if named else None


class _Gate:
    def __init__(self, resume: TailoredResume) -> None:
        self.resume = resume
        self.name = _name(resume)
        self.warnings: list[GuardWarning] = []
        self.seen: set[str] = set()

    def note(self, section: SectionKind, text: str, detail: str, action: str) -> None:
        code = STRUCTURE_REPAIRED if action != "flagged" else STRUCTURE_UNREADABLE
        self.warnings.append(GuardWarning(code, section.value, text, detail, action, []))

    def lines(self, kind: SectionKind, lines: list[TailoredLine]) -> list[TailoredLine]:
        out: list[TailoredLine] = []
        for line in lines:
            fixed = self.line(kind, line, out)
            if fixed is not None:
                out.append(fixed)
        return out

    def line(
        self, kind: SectionKind, line: TailoredLine, out: list[TailoredLine]
    ) -> TailoredLine | None:
        # Inner runs of spaces are kept: in a header line they are a column gap.
        text = line.text.strip()
        role = line.role
        if not text:
            return None
        if kind is not SectionKind.CONTACT and _is_running(text, self.name):
            self.note(kind, text, "running header or footer removed", "dropped")
            return None
        joined = _hyphen_fix(text)
        if joined != text:
            self.note(kind, text, "word broken by a hyphen joined", "repaired")
            text = joined
        if kind is SectionKind.SKILLS and _EMPTY_GROUP.match(text):
            self.note(kind, text, "empty skill group removed", "dropped")
            return None
        role = self.role(kind, role, text, out)
        if role is LineRole.BULLET and _is_fragment(text) and out and out[-1].role is role:
            previous = out.pop()
            ids = list(dict.fromkeys([*previous.source_line_ids, *line.source_line_ids]))
            self.note(kind, text, "fragment joined to the line before", "repaired")
            return TailoredLine(f"{previous.text.rstrip()} {text}", ids, role)
        key = fold(collapse_ws(text))
        if role not in _HEADER_ROLES and kind is not SectionKind.CONTACT:
            if key in self.seen:
                self.note(kind, text, "duplicate line removed", "dropped")
                return None
            self.seen.add(key)
        return TailoredLine(text, list(line.source_line_ids), role)

    def role(
        self, kind: SectionKind, role: LineRole, text: str, out: list[TailoredLine]
    ) -> LineRole:
        previous = out[-1].role if out else None
        if role is LineRole.HEADER and _looks_like_bullet(text):
            self.note(kind, text, "sentence marked as an entry header made a bullet", "repaired")
            return LineRole.BULLET
        if role is LineRole.HEADER and previous is LineRole.HEADER:
            # A second header line of one entry ("Austin, TX · Mar 2021 – Present") is
            # the entry's meta line: one entry, one header.
            return LineRole.META
        if role is LineRole.BULLET and previous in _HEADER_ROLES and _looks_like_meta(text):
            self.note(kind, text, "dates line marked as a bullet moved to the header", "repaired")
            return LineRole.META
        if role is LineRole.META and not _looks_like_meta(text) and not is_date_line(text):
            return role if previous in _HEADER_ROLES else LineRole.TEXT
        return role


def apply_quality_gate(resume: TailoredResume) -> TailoredResume:
    """`resume` with structural damage repaired; warnings (also on the result) say what."""
    gate = _Gate(resume)
    sections = []
    for section in resume.sections:
        lines = gate.lines(section.kind, section.lines)
        if not lines and section.kind is not SectionKind.CONTACT:
            if section.lines:
                gate.note(section.kind, section.heading, "section left empty removed", "dropped")
            continue
        section.lines = lines
        sections.append(section)
    experience = resume.section(SectionKind.EXPERIENCE)
    readable = experience is None or any(ln.role is LineRole.HEADER for ln in experience.lines)
    if experience is not None and experience.lines and not readable:
        gate.note(
            SectionKind.EXPERIENCE,
            experience.heading,
            "no job titles or employers could be read in the work history",
            "flagged",
        )
    resume.sections = sections
    resume.warnings = [*resume.warnings, *gate.warnings]
    return resume


def structure_problems(resume: TailoredResume) -> list[Problem]:
    """Structural damage left in `resume` (what the gate would repair or flag)."""
    name = _name(resume)
    problems: list[Problem] = []
    seen: set[str] = set()
    for section in resume.sections:
        kind = section.kind.value
        if not section.lines and section.kind is not SectionKind.CONTACT:
            problems.append(Problem("empty_section", kind, section.heading))
        previous: LineRole | None = None
        for line in section.lines:
            text = collapse_ws(line.text)
            problems.extend(_line_problems(section.kind, line.role, previous, text, name))
            key = fold(text)
            if line.role not in _HEADER_ROLES and section.kind is not SectionKind.CONTACT:
                if key in seen:
                    problems.append(Problem("duplicate", kind, text))
                seen.add(key)
            previous = line.role
    return problems


def _line_problems(
    kind: SectionKind, role: LineRole, previous: LineRole | None, text: str, name: str | None
) -> list[Problem]:
    out: list[Problem] = []
    checks = [
        ("running_header", kind is not SectionKind.CONTACT and _is_running(text, name)),
        ("hyphenation", _hyphen_fix(text) != text),
        ("empty_group", kind is SectionKind.SKILLS and bool(_EMPTY_GROUP.match(text))),
        ("bullet_as_header", role is LineRole.HEADER and _looks_like_bullet(text)),
        ("split_header", role is LineRole.HEADER and previous is LineRole.HEADER),
        (
            "header_as_bullet",
            role is LineRole.BULLET and previous in _HEADER_ROLES and _looks_like_meta(text),
        ),
        ("fragment", role is LineRole.BULLET and previous is role and _is_fragment(text)),
    ]
    for code, failed in checks:
        if failed:
            out.append(Problem(code, kind.value, text))
    return out
