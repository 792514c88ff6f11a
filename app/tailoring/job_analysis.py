"""What a job posting asks for.

Requirements come from the posting's sections (REQUIREMENTS vs PREFERRED, as the parser
classified them), from headings the parser missed, and from phrasing inside a sentence
("CCRN preferred", "must have", "a plus"). Within a clause, skills joined by "or" are one
requirement that either satisfies ("Python or Go"); examples in parentheses are alternatives
too ("a cloud warehouse (Snowflake or BigQuery)"); skills joined by "and" or commas are
separate requirements ("Kubernetes and Helm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.job_requirements import Term, find_experience_years, open_terms
from app.documents.models import JobPosting, Line
from app.tailoring.job_clauses import (
    BENEFITS,
    CONTEXT,
    DUTY,
    PREFERRED,
    REQUIRED,
    UNKNOWN,
    clauses,
    cue,
    depth_at,
    line_modes,
    paren_text,
    sentences,
)
from app.tailoring.job_salient import salient_terms
from app.tailoring.matcher import SkillMatch, get_matcher
from app.tailoring.posting_terms import core_term
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.text import norm_key, words
from app.tailoring.titles import core_words, seniority_from_years, seniority_of
from app.tailoring.types import Importance, JobAnalysis, Requirement, Seniority

_SENIORITY_CUES: list[tuple[Seniority, re.Pattern[str]]] = [
    (Seniority.PRINCIPAL, re.compile(r"\bprincipal[- ]level\b", re.I)),
    (Seniority.LEAD, re.compile(r"\b(lead|staff)[- ]level\b|\bpeople manager\b", re.I)),
    (Seniority.SENIOR, re.compile(r"\bsenior[- ]level\b", re.I)),
    (Seniority.JUNIOR, re.compile(r"\b(entry[- ]level|junior[- ]level|new grads?)\b", re.I)),
]

# Connector text between two skills that makes the second an alternative of the first.
_ALT_RE = re.compile(
    r"^,?\s*(or|/|or an?|or other|or another|or similar|or equivalent|or related|"
    r"and/or|such as|e\.?g\.?,?|including|like)\s*$"
)
_FAMILY_RE = re.compile(r"\bor (another|other|similar|equivalent|related)\b")
_QUALIFIER_RE = re.compile(r"^(for|)$")  # "Machine learning for forecasting", adjacency
_SUBSUME_RE = re.compile(r"^(with|in|using|on|via|through|of)$")

_SECTION_WEIGHT = {
    REQUIRED: 2.0, PREFERRED: 1.5, DUTY: 1.5, CONTEXT: 0.6, UNKNOWN: 1.0, BENEFITS: 0.0
}  # fmt: skip


@dataclass
class _Group:
    start: int
    end: int
    skills: list[str] = field(default_factory=list)
    surfaces: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    accepts_family: bool = False
    depth: int = 0
    open_term: bool = False  # not a taxonomy skill: a condition, credential or named tool


@dataclass
class _Found:
    importance: str
    group: _Group
    text: str
    line: Line


def _mask(text: str, phrases: list[str]) -> str:
    # Blank out the company name so "Orbital Payments" does not read as a payments skill.
    for phrase in phrases:
        if phrase:
            pattern = rf"(?<!\w){re.escape(phrase)}(?!\w)"
            text = re.sub(pattern, lambda m: " " * len(m.group(0)), text, flags=re.I)
    return text


def _group_cue(clause: str, sentence: str, group: _Group) -> str | None:
    """Importance cue of a group: "(GCP preferred)" speaks only for what is inside it;
    outside a parenthesis, cues inside one do not count ("Terraform on Azure (GCP
    preferred)" keeps Terraform required)."""
    if group.depth > 0:
        inner = cue(paren_text(sentence, group.start))
        if inner is not None:
            return inner
    return cue(_outside_parens(clause))


_BARE_CUE = re.compile(r"\((?!\s*(?:preferred|required|a plus|optional)\s*\))[^()]*\)")


def _outside_parens(text: str) -> str:
    """Text minus parenthesised asides, whose cues speak only for what is inside them; a
    bare "(preferred)" after an item stays, since it speaks for the whole clause."""
    return _BARE_CUE.sub(" ", text)


def _group_matches(text: str, matches: list[SkillMatch]) -> list[_Group]:
    taxonomy = load_taxonomy()
    groups: list[_Group] = []
    previous: SkillMatch | None = None
    for match in matches:
        depth = depth_at(text, match.start)
        if previous is not None and groups:
            group = groups[-1]
            between = text[previous.end : match.start].strip().lower()
            connector = between.strip("( ").strip()
            own_cue = depth > group.depth and cue(paren_text(text, match.start)) is not None
            if (depth > group.depth and not own_cue) or _ALT_RE.match(connector):
                group.skills.append(match.skill)
                group.surfaces.append(match.surface)
                group.end = match.end
                group.accepts_family = group.accepts_family or bool(_FAMILY_RE.search(between))
                previous = match
                continue
            if _QUALIFIER_RE.match(connector) and "(" not in between:
                group.related.append(match.skill)
                group.end = match.end
                previous = match
                continue
            # "Infrastructure as code with Terraform": the tool is the requirement.
            if _SUBSUME_RE.match(connector) and group.skills[0] in taxonomy.implied(match.skill):
                group.skills = [match.skill]
                group.surfaces = [match.surface]
                group.end = match.end
                previous = match
                continue
        groups.append(_Group(match.start, match.end, [match.skill], [match.surface], depth=depth))
        previous = match
    for group in groups:
        if group.depth < depth_at(text, group.end):
            close = text.find(")", group.end)
            if close != -1:
                group.end = close + 1
    return groups


def _label(text: str, group: _Group) -> str:
    label = " ".join(text[group.start : group.end].split()).strip(" ,;:")
    return label or group.skills[0]


@dataclass
class _Collector:
    """What the posting's sentences ask for, gathered line by line."""

    found: list[_Found] = field(default_factory=list)
    fallback: list[_Found] = field(default_factory=list)  # duties: used if nothing else
    keyword_skills: list[str] = field(default_factory=list)
    keyword_alternatives: dict[str, list[str]] = field(default_factory=dict)
    wording: dict[str, str] = field(default_factory=dict)
    years_required: float | None = None
    years_fallback: float | None = None
    field_skills: list[str] = field(default_factory=list)
    weighted_text: list[tuple[str, float]] = field(default_factory=list)

    def title_line(self, text: str) -> None:
        # The title line: its skills are keywords; its words are scored by titles.py.
        for m in get_matcher().find(text):
            self.wording.setdefault(m.skill, m.surface)
            self.keyword_skills.append(m.skill)

    def sentence(self, sentence: str, line: Line, mode: str) -> None:
        sentence_cue = cue(_outside_parens(sentence))
        years = find_experience_years(sentence)
        if years is not None:
            if mode in (REQUIRED, UNKNOWN) or sentence_cue == REQUIRED:
                self.years_required = max(self.years_required or 0.0, years[0])
            else:
                self.years_fallback = max(self.years_fallback or 0.0, years[0])
        terms = [t for t in open_terms(sentence) if not _heading_words(t.label)]
        matches = [m for m in get_matcher().find(sentence) if not _overlaps(m, terms)]
        for m in matches:
            self.wording.setdefault(m.skill, m.surface)
        spans = clauses(sentence, 0, len(sentence))
        groups = _group_matches(sentence, matches)
        groups += _term_groups(terms, groups)
        for group in sorted(groups, key=lambda g: g.start):
            clause = next(((a, b) for a, b in spans if a <= group.start < b), (0, 0))
            found_cue = _group_cue(sentence[clause[0] : clause[1]], sentence, group) or sentence_cue
            importance = found_cue if found_cue in (REQUIRED, PREFERRED) else mode
            if years is not None and clause[0] <= years[1] < clause[1]:
                self.field_skills.extend(s for s in group.skills if s not in self.field_skills)
            if not _is_setting_modifier(sentence, group):
                self.group(group, importance, sentence, line)

    def group(self, group: _Group, importance: str, sentence: str, line: Line) -> None:
        if importance == UNKNOWN and group.open_term:
            importance = REQUIRED  # "Shift and schedule: - Night shift" is a condition of the job
        if importance in (REQUIRED, PREFERRED, UNKNOWN):
            label = group.skills[0] if group.open_term else _label(sentence, group)
            self.found.append(_Found(importance, group, label, line))
            return
        if group.open_term or importance == BENEFITS:
            return  # conditions named in duties ("travel to sites") and perks are no ask
        self.fallback.append(_Found(REQUIRED, group, _label(sentence, group), line))
        head = group.skills[0]
        if head not in self.keyword_skills:
            self.keyword_skills.append(head)
            if len(group.skills) > 1:
                self.keyword_alternatives[head] = group.skills[1:]
        self.keyword_skills.extend(group.related)

    def requirements(self) -> list[Requirement]:
        found = self.found
        if not any(f.importance == REQUIRED for f in found):
            # No requirement section and no phrasing: everything asked for is required.
            for f in found:
                if f.importance == UNKNOWN:
                    f.importance = REQUIRED
            if not any(f.importance == REQUIRED for f in found):
                found = self.fallback + found
        return _requirements(found)


def analyse_job(job: JobPosting) -> JobAnalysis:
    mask = [p for p in (job.company,) if p]
    # Outside the requirements, the job's own title is no skill ("Acme is hiring a Data
    # Analyst"); inside them it can be ("journeyman electrician license").
    context_mask = [*mask, *(p for p in (job.title,) if p)]
    acc = _Collector()
    title_fold = (job.title or "").strip().casefold()
    for line, mode in line_modes(job):
        raw = line.text.strip()
        if title_fold and raw.casefold().startswith(title_fold) and len(raw) < len(title_fold) + 60:
            acc.title_line(_mask(raw, mask))
            continue
        text = _mask(line.text, mask if mode in (REQUIRED, PREFERRED) else context_mask)
        acc.weighted_text.append((text, _SECTION_WEIGHT[mode]))
        for s_start, s_end in sentences(text):
            acc.sentence(text[s_start:s_end], line, mode)
    # Skills repeated in the duties stay keywords too: screening counts the whole posting.
    alternates = {a for alts in acc.keyword_alternatives.values() for a in alts}
    keywords = [s for s in dict.fromkeys(acc.keyword_skills) if s not in alternates]
    salient = salient_terms(acc.weighted_text, job)
    for term in salient:
        if len(keywords) >= 24:
            break
        if term.term not in keywords:
            keywords.append(term.term)
    years = acc.years_required if acc.years_required is not None else acc.years_fallback
    seniority = (
        seniority_of(job.title)
        or _seniority_cue(job.text)
        or seniority_from_years(acc.years_required or acc.years_fallback)
    )
    return JobAnalysis(
        title=job.title,
        company=job.company,
        seniority=seniority,
        years_required=years,
        requirements=acc.requirements(),
        keywords=keywords,
        salient_terms=salient,
        title_keywords=core_words(job.title),
        field_skills=acc.field_skills,
        wording=acc.wording,
        keyword_alternatives={k: v for k, v in acc.keyword_alternatives.items() if k in keywords},
    )


_SETTING_WORDS = words(
    """
    retail hospital hospitals clinic clinical restaurant warehouse school agency
    startup office corporate industrial commercial residential
    """
)
_HEAD_NOUNS = words(
    """
    experience industry sector environment environments setting settings background
    """
)


def _is_setting_modifier(sentence: str, group: _Group) -> bool:
    """A workplace word used as an adjective ("hospital pharmacy experience")."""
    if group.open_term or not all(
        s.casefold() in _SETTING_WORDS or load_taxonomy().category(k) == "domain"
        for s, k in zip(group.surfaces, group.skills, strict=False)
    ):
        return False
    nxt = re.match(r"\s+([a-z][a-z-]+)", sentence[group.end :])
    return nxt is not None and nxt.group(1) not in _HEAD_NOUNS | {"and", "or"}


_HEADING_WORDS = words(
    """
    job duties duty responsibilities requirements qualifications skills benefits about role
    what you will do we offer overview summary position description preferred nice to have
    """
)


def _heading_words(label: str) -> bool:
    """ "Job Duties", "Qualifications": a heading the parser left in the text, not a term."""
    return all(w in _HEADING_WORDS for w in label.casefold().split())


def _overlaps(match: SkillMatch, terms: list[Term]) -> bool:
    """Conditions win over taxonomy words inside them ("reliable transportation"), and so
    does a run of acronyms over one of its parts ("ASHA CCC-SLP" is not "SLP")."""
    for t in terms:
        if not (match.start < t.end and t.start < match.end):
            continue
        if t.kind == "condition":
            return True
        run = t.kind == "tool" and (" " in t.label or "-" in t.label)
        if run and norm_key(core_term(t.label)) == norm_key(match.surface):
            continue  # "Advanced Microsoft Excel" is Microsoft Excel, wanted well
        if (
            run
            and t.start <= match.start
            and match.end <= t.end
            and t.end - t.start > len(match.surface)
        ):
            return True
    return False


def _term_groups(terms: list[Term], groups: list[_Group]) -> list[_Group]:
    """Open terms not already covered by a taxonomy group, as groups of their own."""
    out: list[_Group] = []
    for t in terms:
        if any(g.start < t.end and t.start < g.end for g in groups + out):
            continue
        out.append(_Group(t.start, t.end, [t.label], [t.label], open_term=True))
    return out


def _seniority_cue(text: str) -> Seniority | None:
    for level, pattern in _SENIORITY_CUES:
        if pattern.search(text):
            return level
    return None


def _requirements(found: list[_Found]) -> list[Requirement]:
    taxonomy = load_taxonomy()
    rank = {REQUIRED: 0, PREFERRED: 1}
    ordered = sorted((f for f in found if f.importance in rank), key=lambda f: rank[f.importance])
    out: list[Requirement] = []
    claimed: dict[str, Requirement] = {}
    for f in ordered:
        skills = list(dict.fromkeys(f.group.skills))
        if all(s in claimed for s in skills):
            continue  # already asked for (possibly with higher importance)
        skills = [s for s in skills if s not in claimed] or skills
        related = [s for s in dict.fromkeys(f.group.related) if s not in skills]
        if f.group.accepts_family:
            # "Kafka or another event-streaming system": siblings that demonstrate the same
            # broader skill (Kinesis, Pulsar, Pub/Sub ...) earn partial credit.
            broader = list(skills)
            if len(skills) == 1:
                primary = taxonomy.skills[skills[0]]
                broader += [t for t in primary.implies if taxonomy.category(t) == primary.category]
            for target in broader:
                for member in taxonomy.implied_by(target):
                    if (
                        member not in skills
                        and member not in related
                        and not taxonomy.skills[member].is_certification
                    ):
                        related.append(member)
        requirement = Requirement(
            id=f"R{len(out) + 1}",
            label=f.text,
            importance=Importance(f.importance),
            skills=skills,
            related=related,
            text=f.line.text.strip(),
            line_ids=[f.line.id],
            accepts_family=f.group.accepts_family,
        )
        out.append(requirement)
        for s in skills:
            claimed.setdefault(s, requirement)
    return out
