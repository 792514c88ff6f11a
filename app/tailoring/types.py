"""Result types of the tailoring engine.

Every type is a plain dataclass with `to_dict()` / `from_dict()` (the one (de)serialiser,
`app.documents.serde`), so workers can store plans, drafts and evaluations as JSON
artifacts and reload them later. Tailored output is structured (sections of lines, each
line naming the source `Line.id`s it came from); Markdown/HTML/text are rendered from that
structure by `render.py`, never the other way round.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Self

from app.documents.models import SectionKind
from app.documents.serde import rebuild, to_dict


class _Serializable:
    def to_dict(self) -> dict[str, Any]:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return rebuild(cls, data)


class Strategy(str, enum.Enum):
    CONSERVATIVE = "conservative"  # reorder + targeted summary; bullets keep their wording
    DEFAULT = "default"  # + curated skills in the posting's wording, bullets selected per role
    AGGRESSIVE_KEYWORDS = "aggressive_keywords"  # + the posting's terms in bullets


class Importance(str, enum.Enum):
    REQUIRED = "required"
    PREFERRED = "preferred"


class Seniority(str, enum.Enum):
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"
    PRINCIPAL = "principal"


class Fit(str, enum.Enum):
    STRONG = "strong"
    PARTIAL = "partial"
    POOR = "poor"


class MatchStatus(str, enum.Enum):
    MATCHED = "matched"  # stated in the skills (or certifications) section
    IMPLIED = "implied"  # only in bullets/summary, or only via a related skill
    MISSING = "missing"


class ChangeType(str, enum.Enum):
    UNCHANGED = "unchanged"
    REORDERED = "reordered"
    REWRITTEN = "rewritten"
    ADDED = "added"
    REMOVED = "removed"


class LineRole(str, enum.Enum):
    NAME = "name"
    CONTACT = "contact"
    HEADER = "header"  # an entry's title/employer line
    META = "meta"  # dates / location under an entry header
    BULLET = "bullet"
    TEXT = "text"
    SKILLS = "skills"


@dataclass
class Evidence(_Serializable):
    """A resume line that supports a claim; `line_id` indexes `ResumeDocument.lines`."""

    line_id: str
    text: str
    section: str = ""


# -- job analysis --------------------------------------------------------------------------


@dataclass
class Requirement(_Serializable):
    id: str
    label: str  # "Python or Go"
    importance: Importance
    skills: list[str]  # alternatives: any one satisfies the requirement
    related: list[str] = field(default_factory=list)  # qualifiers: partial credit only
    text: str = ""  # the clause of the posting it came from
    line_ids: list[str] = field(default_factory=list)
    accepts_family: bool = False  # "Kafka or another event-streaming system"


@dataclass
class SalientTerm(_Serializable):
    term: str
    score: float


@dataclass
class JobAnalysis(_Serializable):
    title: str | None
    company: str | None
    seniority: Seniority
    years_required: float | None
    requirements: list[Requirement]
    keywords: list[str]  # responsibilities' skills + salient terms: what an ATS scans for
    salient_terms: list[SalientTerm]
    title_keywords: list[str]
    field_skills: list[str] = field(default_factory=list)  # "5+ years of *backend* ..."
    wording: dict[str, str] = field(default_factory=dict)  # skill -> as the posting writes it
    # keyword -> other skills that satisfy it ("Looker or Tableau")
    keyword_alternatives: dict[str, list[str]] = field(default_factory=dict)

    @property
    def required(self) -> list[Requirement]:
        return [r for r in self.requirements if r.importance is Importance.REQUIRED]

    @property
    def preferred(self) -> list[Requirement]:
        return [r for r in self.requirements if r.importance is Importance.PREFERRED]


# -- resume analysis -----------------------------------------------------------------------


@dataclass
class SkillEvidence(_Serializable):
    skill: str
    category: str
    explicit: bool  # stated in the skills or certifications section
    mentioned: bool  # named somewhere in the text (bullets, summary, education)
    surfaces: list[str] = field(default_factory=list)  # as written ("k8s")
    implied_by: list[str] = field(default_factory=list)  # related skills that demonstrate it
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class ResumeAnalysis(_Serializable):
    name: str | None
    current_title: str | None
    current_employer: str | None
    total_years: float
    seniority: Seniority
    skills: list[SkillEvidence]
    sections: list[str]  # SectionKind values present with content
    titles: list[str]
    has_email: bool = False
    has_phone: bool = False
    stated_years: float | None = None  # "7 years of experience" in the summary

    def skill(self, name: str) -> SkillEvidence | None:
        return next((s for s in self.skills if s.skill == name), None)


# -- scoring -------------------------------------------------------------------------------


@dataclass
class RequirementResult(_Serializable):
    requirement_id: str
    label: str
    importance: Importance
    status: MatchStatus
    credit: float  # 0..1
    matched_skill: str | None = None
    via: str = ""  # skills_section | skills_only | text | alias | related | qualifier | family
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""


@dataclass
class ScoreComponent(_Serializable):
    key: str
    label: str
    weight: float
    value: float  # 0..1
    points: float  # contribution to the 0-100 score
    applicable: bool
    detail: str


@dataclass
class AtsReport(_Serializable):
    score: int  # 0-100
    fit: Fit
    components: list[ScoreComponent]
    requirements: list[RequirementResult]
    matched: list[str]  # requirement labels stated explicitly
    implied: list[str]  # only in bullets or via a related skill
    missing: list[str]
    missing_required: list[str]
    years_required: float | None
    years_relevant: float
    years_total: float
    title_similarity: float
    keywords_matched: list[str]
    keywords_missing: list[str]
    missing_sections: list[str]

    def component(self, key: str) -> ScoreComponent | None:
        return next((c for c in self.components if c.key == key), None)


# -- plan ----------------------------------------------------------------------------------


@dataclass
class Strength(_Serializable):
    label: str
    detail: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Gap(_Serializable):
    label: str
    importance: Importance
    skills: list[str]
    detail: str
    related_evidence: list[Evidence] = field(default_factory=list)


@dataclass
class NextStep(_Serializable):
    kind: str  # add_skill | use_posting_wording | evidence_gap | certification | quantify | ...
    text: str
    skill: str | None = None
    line_ids: list[str] = field(default_factory=list)


@dataclass
class Plan(_Serializable):
    job_title: str | None
    company: str | None
    fit: Fit
    score: int
    summary: str
    strengths: list[Strength]
    gaps: list[Gap]
    next_steps: list[NextStep]
    ats: AtsReport
    keywords: list[str] = field(default_factory=list)
    engine: str = "local"


# -- tailored resume -----------------------------------------------------------------------


@dataclass
class TailoredLine(_Serializable):
    text: str
    source_line_ids: list[str] = field(default_factory=list)  # empty = added by the engine
    role: LineRole = LineRole.TEXT


@dataclass
class TailoredSection(_Serializable):
    kind: SectionKind
    heading: str
    lines: list[TailoredLine] = field(default_factory=list)
    heading_line_id: str | None = None


@dataclass
class GuardWarning(_Serializable):
    code: str  # NEW_SKILL, NEW_NUMBER, NEW_EMPLOYER, ...
    section: str  # SectionKind value, or "cover_letter"
    text: str  # the offending text
    detail: str = ""
    action: str = ""  # reverted | dropped | removed_item | flagged
    line_ids: list[str] = field(default_factory=list)


@dataclass
class TailoredResume(_Serializable):
    strategy: Strategy
    sections: list[TailoredSection]
    warnings: list[GuardWarning] = field(default_factory=list)
    engine: str = "local"
    job_title: str | None = None
    company: str | None = None
    # What the person wrote that this version leaves out (condensed roles, the replaced
    # summary): listed in the diff so nothing is lost silently.
    left_out: list[TailoredLine] = field(default_factory=list)

    def section(self, kind: SectionKind) -> TailoredSection | None:
        return next((s for s in self.sections if s.kind is kind), None)

    def all_lines(self) -> list[TailoredLine]:
        return [ln for s in self.sections for ln in s.lines]

    def to_markdown(self) -> str:
        from app.tailoring.render import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        from app.tailoring.render import render_html

        return render_html(self)

    def to_text(self) -> str:
        from app.tailoring.render import render_text

        return render_text(self)


@dataclass
class GuardResult(_Serializable):
    resume: TailoredResume
    warnings: list[GuardWarning]
    reverted: int = 0
    dropped: int = 0

    @property
    def ok(self) -> bool:
        return not self.warnings


@dataclass
class TextGuardResult(_Serializable):
    text: str
    warnings: list[GuardWarning]
    dropped: int = 0


@dataclass
class SectionDiff(_Serializable):
    kind: SectionKind
    heading: str
    change: ChangeType
    before: list[str]
    after: list[str]
    position_before: int | None = None
    position_after: int | None = None
    warnings: list[GuardWarning] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # original lines this version omits


@dataclass
class Evaluation(_Serializable):
    before: AtsReport
    after: AtsReport
    diff: list[SectionDiff]
    warnings: list[GuardWarning]
    resume: TailoredResume  # the guarded version that `after` scores

    @property
    def delta(self) -> int:
        return self.after.score - self.before.score


# -- letter, interview ---------------------------------------------------------------------


@dataclass
class CoverLetter(_Serializable):
    markdown: str
    html: str
    text: str
    paragraphs: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[GuardWarning] = field(default_factory=list)
    job_title: str | None = None
    company: str | None = None


@dataclass
class InterviewQuestion(_Serializable):
    question: str
    category: str  # requirement | gap | experience | behavioural | role
    requirement: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    tip: str = ""


@dataclass
class InterviewPrep(_Serializable):
    questions: list[InterviewQuestion]
    job_title: str | None = None
    company: str | None = None
