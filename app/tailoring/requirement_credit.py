"""Credit per requirement, as a keyword screen gives it.

A screen searches for the posting's own words (qualifiers aside: "Advanced Excel" is found
as "Excel"), and ranks a term found in the skills section and again in the experience above
one found in a single place, and recent use above old. So the posting's wording (or the
skill's canonical name) in the skills section and a recent role's lines counts 1.0; in the
skills section and only older roles 0.95; in the skills section only 0.9; only in the text
(a bullet, the summary) 0.85; a skill the resume names only in other words ("k8s" for
"Kubernetes", "Postgres" for "PostgreSQL") 0.55, which a literal screen misses; only
through a related skill (Django -> Python) or a qualifier 0.5. Whether a requirement counts
as clearly shown (its status: matched or implied) does not depend on the wording, only on
where it is stated (`Credit.strength`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.documents.models import SectionKind
from app.tailoring.posting_terms import core_term
from app.tailoring.text import norm_key
from app.tailoring.types import (
    Evidence,
    JobAnalysis,
    MatchStatus,
    Requirement,
    RequirementResult,
    SkillEvidence,
)

LISTED_AND_RECENT_CREDIT = 1.0  # the posting's word in the skills section and a recent role
LISTED_AND_USED_CREDIT = 0.95  # ... in the skills section and only older roles
LISTED_CREDIT = 0.9  # ... in the skills section only
TEXT_CREDIT = 0.85  # ... only in a bullet or the summary
ALIAS_CREDIT = 0.55  # named only in other words
RELATED_CREDIT = 0.5
# Where a requirement is stated, whatever the words: what its status (matched or implied)
# says; the wording changes the credit, not whether it is clearly shown.
EXPLICIT_STRENGTH = 1.0
TEXT_STRENGTH = 0.9
_LISTED_SECTIONS = frozenset({SectionKind.SKILLS.value, SectionKind.CERTIFICATIONS.value})
_NOT_EXPERIENCE = _LISTED_SECTIONS | {SectionKind.SUMMARY.value, SectionKind.CONTACT.value}


@dataclass(frozen=True)
class Credit:
    value: float
    skill: str | None
    via: str
    explicit: bool
    evidence: tuple[Evidence, ...]
    strength: float = 0.0  # the value before wording: drives the status


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    if size == 0 or size > len(haystack):
        return False
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


@dataclass(frozen=True)
class _Wording:
    listed: bool  # the posting's word is in the skills (or certifications) section
    used: bool  # ... in the experience (a bullet, an entry, a project)
    recent: bool  # ... in a recent role's lines
    stated: bool  # ... anywhere outside the skills section (the summary too)


@lru_cache(maxsize=4096)
def _posting_keys(posting_form: str, skill: str) -> tuple[tuple[str, ...], ...]:
    """The posting's word for a skill as a screen matches it: as written, without its
    qualifiers ("Advanced Excel" is found as "Excel"), or the skill's canonical name."""
    forms = (posting_form, core_term(posting_form), skill)
    return tuple(k for k in dict.fromkeys(norm_key(f) for f in forms) if k)


def _wording(ev: SkillEvidence, posting_form: str, recent: frozenset[str]) -> _Wording:
    """Where the resume writes the skill in the posting's own word (or its canonical name)."""
    wanted = _posting_keys(posting_form, ev.skill)
    listed = used = in_recent = stated = False
    for proof in ev.evidence:
        if not any(_contains(norm_key(proof.text), w) for w in wanted):
            continue
        if proof.section in _LISTED_SECTIONS:
            listed = True
            continue
        stated = True
        if proof.section not in _NOT_EXPERIENCE:
            used = True
            in_recent = in_recent or proof.line_id in recent
    return _Wording(listed, used, in_recent, stated)


def _named_credit(
    ev: SkillEvidence, posting_form: str, recent: frozenset[str]
) -> tuple[float, str]:
    wording = _wording(ev, posting_form, recent)
    if wording.listed and wording.recent:
        return LISTED_AND_RECENT_CREDIT, "skills_section"
    if wording.listed:
        return (LISTED_AND_USED_CREDIT if wording.used else LISTED_CREDIT), "skills_only"
    if wording.stated:
        return TEXT_CREDIT, "text"
    return ALIAS_CREDIT, "alias"


def requirement_credit(
    req: Requirement,
    skills: dict[str, SkillEvidence],
    job: JobAnalysis,
    recent: frozenset[str] = frozenset(),
) -> Credit:
    """`recent`: ids of the lines of the recent roles, where a screen that weighs recency
    looks for a skill in use."""
    best = Credit(0.0, None, "", False, ())
    for name in req.skills:
        ev = skills.get(name)
        if ev is None:
            continue
        if ev.mentioned:
            value, via = _named_credit(ev, job.wording.get(name, name), recent)
            strength = EXPLICIT_STRENGTH if ev.explicit else TEXT_STRENGTH
        else:
            value, via, strength = RELATED_CREDIT, "related", RELATED_CREDIT
        if value > best.value:
            explicit = ev.explicit and ev.mentioned
            best = Credit(value, name, via, explicit, tuple(ev.evidence[:3]), strength)
    for name in req.related:
        ev = skills.get(name)
        if ev is None:
            continue
        value = RELATED_CREDIT if ev.mentioned else RELATED_CREDIT * 0.6
        if value > best.value:
            best = Credit(value, name, "qualifier", False, tuple(ev.evidence[:3]), value)
    return best


def requirement_result(req: Requirement, credit: Credit) -> RequirementResult:
    if credit.value <= 0:
        status = MatchStatus.MISSING
    elif credit.explicit and credit.strength >= 0.75:
        status = MatchStatus.MATCHED
    else:
        status = MatchStatus.IMPLIED
    note = {
        "skills_section": "stated in your skills",
        "skills_only": "in your skills, not in the posting's words in your recent experience",
        "text": "named only in your experience/summary, not in the skills section",
        "alias": "written differently from the posting",
        "related": f"shown only through related skills ({credit.skill})",
        "qualifier": f"only the related {credit.skill} is shown",
    }.get(credit.via, "not shown")
    return RequirementResult(
        requirement_id=req.id,
        label=req.label,
        importance=req.importance,
        status=status,
        credit=round(credit.value, 3),
        matched_skill=credit.skill,
        via=credit.via,
        evidence=[Evidence(e.line_id, e.text, e.section) for e in credit.evidence],
        note=note,
    )
