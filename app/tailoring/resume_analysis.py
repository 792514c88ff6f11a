"""What a resume shows: skills (with the lines that prove them), years, current title.

The same analysis runs on the parsed original and on a tailored resume (any engine's), so
scores before and after tailoring are comparable. Work history (dates, titles) always comes
from the original document: tailoring reorders and rewords, it never changes facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.documents.contact import tidy_name
from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.claim_context import employers_masked, held, names_a_group
from app.tailoring.matcher import get_matcher
from app.tailoring.taxonomy import CERTIFICATION, load_taxonomy
from app.tailoring.text import norm_key
from app.tailoring.titles import seniority_from_years, seniority_of
from app.tailoring.types import (
    Evidence,
    LineRole,
    ResumeAnalysis,
    SkillEvidence,
    TailoredResume,
)
from app.tailoring.work_dates import YearMonth as YearMonth  # re-exported for callers
from app.tailoring.work_dates import experience_months as experience_months
from app.tailoring.work_dates import is_date_line as is_date_line
from app.tailoring.work_dates import months_covered

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?:\+?\d[\d\s().-]{7,}\d)")
_STATED_YEARS_RE = re.compile(r"(\d{1,2})\s*\+?\s*(?:years|yrs)\b", re.IGNORECASE)
_NOT_IN_A_JOB = frozenset(
    {SectionKind.SUMMARY, SectionKind.SKILLS, SectionKind.CERTIFICATIONS, SectionKind.CONTACT}
)
# Sections whose skills count as "stated explicitly".
EXPLICIT_SECTIONS = frozenset({SectionKind.SKILLS, SectionKind.CERTIFICATIONS})


@dataclass(frozen=True)
class DocLine:
    """A resume line with the context the analysers need."""

    id: str
    text: str
    section: SectionKind
    role: LineRole
    entry: int | None = None  # index into ResumeDocument.experience
    scan: str = ""  # text to look for skills in ("" = skip, e.g. contact details)
    list_context: bool = False


@dataclass
class _Acc:
    category: str
    explicit: bool = False
    mentioned: bool = False
    surfaces: list[str] = field(default_factory=list)
    implied_by: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # evidence line ids (a common skill has many)

    def add(self, line: DocLine, surface: str | None, *, explicit: bool) -> None:
        if surface is not None:
            self.mentioned = True
            if surface not in self.surfaces:
                self.surfaces.append(surface)
        self.explicit = self.explicit or explicit
        if line.id not in self.seen:
            self.seen.add(line.id)
            self.evidence.append(Evidence(line.id, line.text, line.section.value))


# -- lines ---------------------------------------------------------------------------------


def document_lines(resume: ResumeDocument) -> list[DocLine]:
    """Every line of the resume, tagged with section, role and experience entry."""
    entries = resume.experience
    header_of: dict[str, tuple[int, int]] = {}
    bullet_of: dict[str, int] = {}
    for index, entry in enumerate(entries):
        for position, line_id in enumerate(entry.header_line_ids):
            header_of[line_id] = (index, position)
        for bullet in entry.bullets:
            bullet_of[bullet.id] = index
    skill_line_ids = {g.line_id for s in resume.sections for g in s.skill_groups if g.line_id}
    contact_ids = set(resume.contact.line_ids)
    out: list[DocLine] = []
    # Headings are structure, not content.
    seen: set[str] = {s.heading_line_id for s in resume.sections if s.heading_line_id}
    for section in resume.sections:
        current: int | None = None
        for line in section.lines:
            if line.id in seen or not line.text.strip():
                continue
            seen.add(line.id)
            text = line.text
            if section.kind is SectionKind.CONTACT or line.id in contact_ids:
                name = resume.contact.name
                is_name = name in (text.strip(), _shown_name(text)) if name else not out
                role = LineRole.NAME if is_name else LineRole.CONTACT
                out.append(DocLine(line.id, text, SectionKind.CONTACT, role))
                continue
            if line.id in header_of:
                current, position = header_of[line.id]
                entry = entries[current]
                meta = position > 0 and is_date_line(text)
                role = LineRole.META if meta else LineRole.HEADER
                scan = "" if meta else _title_part(text, entry.title, entry.employer)
                out.append(DocLine(line.id, text, section.kind, role, current, scan))
                continue
            if line.id in bullet_of:
                current = bullet_of[line.id]
                out.append(DocLine(line.id, text, section.kind, LineRole.BULLET, current, text))
                continue
            if section.kind is SectionKind.SKILLS or line.id in skill_line_ids:
                out.append(DocLine(line.id, text, section.kind, LineRole.SKILLS, None, text, True))
                continue
            if is_date_line(text) and current is not None:
                out.append(DocLine(line.id, text, section.kind, LineRole.META, current))
                continue
            role = LineRole.BULLET if line.is_bullet else LineRole.TEXT
            listy = section.kind is SectionKind.CERTIFICATIONS
            out.append(DocLine(line.id, text, section.kind, role, current, text, listy))
    out.extend(_unclaimed(resume, seen, contact_ids, first=not out))
    return out


def _unclaimed(
    resume: ResumeDocument, seen: set[str], contact_ids: set[str], *, first: bool
) -> list[DocLine]:
    """Lines no section claimed (a parser that found no headings): still evidence."""
    out: list[DocLine] = []
    for line in resume.lines:
        if line.id in seen or not line.text.strip():
            continue
        seen.add(line.id)
        if line.id in contact_ids:
            role = LineRole.NAME if first and not out else LineRole.CONTACT
            out.append(DocLine(line.id, line.text, SectionKind.CONTACT, role))
        else:
            role = LineRole.BULLET if line.is_bullet else LineRole.TEXT
            out.append(DocLine(line.id, line.text, SectionKind.OTHER, role, None, line.text))
    return out


def tailored_lines(original: ResumeDocument, tailored: TailoredResume) -> list[DocLine]:
    """Lines of a tailored resume in the same shape, linked to the original's entries."""
    originals = {d.id: d for d in document_lines(original)}
    employers = {e.employer for e in original.experience if e.employer}
    out: list[DocLine] = []
    for s_index, section in enumerate(tailored.sections):
        for l_index, line in enumerate(section.lines):
            if not line.text.strip():
                continue
            sources = [originals[i] for i in line.source_line_ids if i in originals]
            line_id = line.source_line_ids[0] if line.source_line_ids else f"T{s_index}.{l_index}"
            if sources and sources[0].section is not section.kind:
                # A summary citing a job's header is not that header: its own id keeps its
                # evidence from being credited to the job.
                line_id = f"T{s_index}.{l_index}"
            entry = next((s.entry for s in sources if s.entry is not None), None)
            if section.kind in _NOT_IN_A_JOB:
                # A summary or skills line citing a bullet as its evidence is not part of
                # that job: it must not add relevant years to it.
                entry = None
            role = line.role
            if section.kind is SectionKind.CONTACT:
                out.append(DocLine(line_id, line.text, SectionKind.CONTACT, role))
                continue
            scan = employers_masked(line.text, " ".join(d.scan for d in sources), employers)
            if role is LineRole.HEADER and len(sources) == 1 and sources[0].text == line.text:
                scan = sources[0].scan  # unchanged header: only the title part is a claim
            elif role is LineRole.META:
                scan = ""
            listy = role is LineRole.SKILLS or section.kind in EXPLICIT_SECTIONS
            out.append(DocLine(line_id, line.text, section.kind, role, entry, scan, listy))
    return out


def _shown_name(text: str) -> str:
    return tidy_name(text.strip())  # "JO PARK, PMP" is the line of the name "Jo Park"


def _title_part(text: str, title: str | None, employer: str | None) -> str:
    # Skills in a header are claims only through the job title; "Brightwell Health" or
    # "Tallgrass Analytics" are employers, not skills.
    if title and title.casefold() in text.casefold():
        return title
    if employer:
        return re.sub(re.escape(employer), " ", text, flags=re.IGNORECASE)
    return text


# -- skills --------------------------------------------------------------------------------


class _Skills(dict[str, _Acc]):
    """Evidence per skill, created on first use with the skill's category."""

    def __missing__(self, name: str) -> _Acc:
        taxonomy = load_taxonomy()
        item = _Acc(taxonomy.category(name) if name in taxonomy.skills else "other")
        self[name] = item
        return item


def _named(lines: Iterable[DocLine], acc: _Skills) -> dict[str, list[DocLine]]:
    """Skills named in the lines (into `acc`); returns skills only demonstrated by bullets."""
    taxonomy = load_taxonomy()
    matcher = get_matcher()
    demonstrated: dict[str, list[DocLine]] = {}
    for line in lines:
        if not line.scan:
            continue
        explicit = line.section in EXPLICIT_SECTIONS or line.role is LineRole.SKILLS
        for match in matcher.find(line.scan, list_context=line.list_context):
            if match.category == CERTIFICATION and not held(line.scan, match.start, match.end):
                continue
            if line.role is not LineRole.SKILLS and names_a_group(line.scan, match.end):
                continue  # "for the analytics team" shows who, not what the person can do
            acc[match.skill].add(line, match.surface, explicit=explicit)
            # "AWS SageMaker" also names AWS: credit the broader skill as written too.
            key = norm_key(match.surface)
            for target in taxonomy.skills[match.skill].implies:
                if _names_inside(key, target):
                    acc[target].add(line, match.surface, explicit=explicit)
        if line.role in (LineRole.BULLET, LineRole.TEXT):
            for ev in matcher.find_evidence(line.scan):
                demonstrated.setdefault(ev.skill, []).append(line)
    return demonstrated


def _related(acc: _Skills) -> None:
    """Related skills: Django demonstrates Python, Helm demonstrates Kubernetes."""
    taxonomy = load_taxonomy()
    for name in list(acc):
        if name not in taxonomy.skills or not acc[name].mentioned:
            continue
        for target in taxonomy.implied(name):
            if taxonomy.category(target) == CERTIFICATION:
                continue
            item = acc[target]
            if not item.mentioned and name not in item.implied_by:
                item.implied_by.append(name)
                for proof in acc[name].evidence[:2]:
                    if proof.line_id not in item.seen:
                        item.seen.add(proof.line_id)
                        item.evidence.append(proof)


def collect_skills(
    lines: Iterable[DocLine], extra_skills: Iterable[tuple[str, DocLine]] = ()
) -> list[SkillEvidence]:
    """Skills named or demonstrated in `lines`, with evidence, in first-seen order."""
    taxonomy = load_taxonomy()
    acc = _Skills()
    demonstrated = _named(lines, acc)
    for raw, line in extra_skills:
        name = taxonomy.canonical(raw) or raw.strip()
        if name:
            acc[name].add(line, raw.strip(), explicit=True)
    _related(acc)
    for name, ev_lines in demonstrated.items():
        item = acc[name]
        if item.mentioned:
            continue
        if "demonstrated" not in item.implied_by:
            item.implied_by.append("demonstrated")
        for line in ev_lines[:3]:
            item.add(line, None, explicit=False)
    return [
        SkillEvidence(
            skill=name,
            category=a.category,
            explicit=a.explicit,
            mentioned=a.mentioned,
            surfaces=a.surfaces,
            implied_by=a.implied_by,
            evidence=a.evidence,
        )
        for name, a in acc.items()
    ]


def _names_inside(key: tuple[str, ...], target: str) -> bool:
    target_key = norm_key(target)
    size = len(target_key)
    if size == 0 or size >= len(key):
        return False
    return any(key[i : i + size] == target_key for i in range(len(key) - size + 1))


def stated_years(lines: Iterable[DocLine]) -> float | None:
    """Years of experience the person states ("7 years of experience"), summary first."""
    ordered = sorted(lines, key=lambda d: d.section is not SectionKind.SUMMARY)
    for line in ordered:
        if line.section in (SectionKind.SUMMARY, SectionKind.OTHER, SectionKind.CONTACT):
            m = _STATED_YEARS_RE.search(line.text)
            if m and "experience" in line.text.lower():
                return float(m.group(1))
    return None


# -- the analysis --------------------------------------------------------------------------


def _unknown_skills(resume: ResumeDocument, lines: list[DocLine]) -> list[tuple[str, DocLine]]:
    """Listed skills the taxonomy does not know yet ("Procore"), with a line that lists
    them: the original's skills line, or for a tailored resume the skills line that still
    carries the item (tailoring reorders lists; the item stays a stated skill)."""
    skill_lines = [d for d in lines if d.role is LineRole.SKILLS or d.section is SectionKind.SKILLS]
    extra: list[tuple[str, DocLine]] = []
    for section in resume.sections:
        for group in section.skill_groups:
            for raw in group.skills:
                if not raw.strip() or get_matcher().skills_in(raw, list_context=True):
                    continue
                line = next((d for d in skill_lines if _lists(d.text, raw)), None)
                if line is None:
                    continue
                known = {m.skill for m in get_matcher().find(line.text, list_context=True)}
                if load_taxonomy().canonical(raw) not in known:
                    extra.append((raw, line))
    return extra


def _lists(text: str, item: str) -> bool:
    needle = item.strip()
    if needle not in text:  # cheap test first: most lines do not list the item at all
        return False
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None


def analyse_resume(resume: ResumeDocument, as_of: YearMonth) -> ResumeAnalysis:
    lines = document_lines(resume)
    return _analysis(resume, lines, collect_skills(lines, _unknown_skills(resume, lines)), as_of)


def analyse_tailored(
    original: ResumeDocument, tailored: TailoredResume, as_of: YearMonth
) -> ResumeAnalysis:
    lines = tailored_lines(original, tailored)
    skills = collect_skills(lines, _unknown_skills(original, lines))
    analysis = _analysis(original, lines, skills, as_of)
    # Years a tailored summary states are derived from the dates, not new information.
    analysis.stated_years = stated_years(document_lines(original))
    return analysis


def _analysis(
    resume: ResumeDocument, lines: list[DocLine], skills: list[SkillEvidence], as_of: YearMonth
) -> ResumeAnalysis:
    entries = resume.experience
    spans = experience_months(resume, as_of)
    total = round(len(months_covered(spans)) / 12, 1)
    stated = stated_years(lines)
    current_index = _current_entry(spans)
    current = entries[current_index] if current_index is not None else None
    titles = [e.title for e in entries if e.title]
    contact_text = " ".join(d.text for d in lines if d.section is SectionKind.CONTACT)
    has_email = bool(resume.contact.email) or bool(_EMAIL_RE.search(contact_text))
    has_phone = bool(resume.contact.phone) or bool(_PHONE_RE.search(contact_text))
    years_for_level = total or stated
    seniority = seniority_of(current.title if current else None) or seniority_from_years(
        years_for_level
    )
    sections = sorted({d.section.value for d in lines if d.text.strip()})
    name = resume.contact.name or next((d.text for d in lines if d.role is LineRole.NAME), None)
    return ResumeAnalysis(
        name=name,
        current_title=current.title if current else None,
        current_employer=current.employer if current else None,
        total_years=total if total else (stated or 0.0),
        seniority=seniority,
        skills=skills,
        sections=sections,
        titles=titles,
        has_email=has_email,
        has_phone=has_phone,
        stated_years=stated,
    )


def _current_entry(spans: list[tuple[int, int]]) -> int | None:
    if not spans:
        return None
    dated = [(end, -i) for i, (start, end) in enumerate(spans) if start >= 0]
    if not dated:
        return 0
    _latest, neg_index = max(dated)  # latest end; the earlier entry wins a tie
    return -neg_index
