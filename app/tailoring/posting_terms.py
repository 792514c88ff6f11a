"""The posting's own words for the skills it asks for, and coverage of them.

An applicant tracking system looks for the posting's terms literally: a resume that says
"k8s" does not contain "Kubernetes". `posting_terms` finds, for every skill a requirement
names, the surface the posting itself uses ("Kubernetes", "ACLS", "Primavera P6"), taken
from the requirement's own clause first. `evidenced_requirements` lists the requirements a
resume really shows (named, not merely related), and `coverage` says how many of those
the text states in the posting's wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.tailoring.matcher import get_matcher
from app.tailoring.text import norm_key, tokenize
from app.tailoring.types import AtsReport, JobAnalysis, MatchStatus

MAX_TERM_WORDS = 4
# Words around a term that qualify how much of it is wanted, not what it is:
# "Advanced Excel", "ACLS certification", "negotiation skills".
_QUALIFIERS = frozenset(
    [
        "advanced",
        "strong",
        "active",
        "proven",
        "solid",
        "excellent",
        "expert",
        "hands-on",
        "skill",
        "skills",
        "experience",
        "certification",
        "certificate",
        "certified",
        "knowledge",
        "proficiency",
        "expertise",
        "license",
        "licensure",
        "tools",
        "tool",
        "background",
        "familiarity",
        "working",
    ]
)
_WEAK_VIA = frozenset({"related", "qualifier", "family"})


@dataclass(frozen=True)
class EvidencedRequirement:
    requirement_id: str
    skill: str  # the canonical skill the resume shows
    term: str  # how the posting writes it
    required: bool


def posting_terms(job: JobAnalysis, job_text: str = "") -> dict[str, str]:
    """skill -> the posting's surface for it (short forms only; the first use wins)."""
    matcher = get_matcher()
    wanted = {s for r in job.requirements for s in r.skills} | set(job.keywords)
    out: dict[str, str] = {}
    for text in [r.text for r in job.requirements] + [job_text]:
        for match in matcher.find(text):
            short = len(match.surface.split()) <= MAX_TERM_WORDS
            if match.skill in wanted and match.skill not in out and short:
                out[match.skill] = named_part(match.surface, match.skill)
    for skill in wanted - out.keys():
        wording = job.wording.get(skill, skill)
        out[skill] = wording if len(wording.split()) <= MAX_TERM_WORDS else skill
    return out


def named_part(surface: str, skill: str) -> str:
    """The part of a matched surface that names the skill itself: an alias such as
    "Figma designs" or "Kubernetes clusters" matches the skill, but the posting's word for
    it is "Figma" / "Kubernetes"; demanding the trailing noun would count a resume that
    writes "Figma" as not using the posting's wording."""
    key = norm_key(skill)
    tokens = tokenize(surface)
    size = len(key)
    if not key or len(tokens) <= size:
        return surface
    for i in range(len(tokens) - size + 1):
        if tuple(t.norm for t in tokens[i : i + size]) == key:
            return surface[tokens[i].start : tokens[i + size - 1].end]
    return surface


def core_term(term: str) -> str:
    """`term` without qualifier words at either end ("Advanced Excel" -> "Excel"), unless
    the word is part of the name ("knowledge base" is not a "base")."""
    matcher = get_matcher()
    named = set(matcher.skills_in(term, list_context=True))
    parts = term.split()

    def still_names(candidate: list[str]) -> bool:
        return not named or bool(
            named & set(matcher.skills_in(" ".join(candidate), list_context=True))
        )

    while len(parts) > 1 and parts[0].casefold() in _QUALIFIERS and still_names(parts[1:]):
        parts = parts[1:]
    while len(parts) > 1 and parts[-1].casefold() in _QUALIFIERS and still_names(parts[:-1]):
        parts = parts[:-1]
    return " ".join(parts)


def evidenced_requirements(
    job: JobAnalysis, report: AtsReport, terms: dict[str, str], *, related: bool = False
) -> list[EvidencedRequirement]:
    """Requirements the resume shows with a named skill (not a family one); with `related`,
    also those it shows only through a skill that demonstrates them (A/B testing ->
    experimentation), which a tailored resume may name with that skill as its note."""
    weak = _WEAK_VIA - {"related"} if related else _WEAK_VIA
    out: list[EvidencedRequirement] = []
    by_id = {r.id: r for r in job.requirements}
    for result in report.requirements:
        if result.status is MatchStatus.MISSING or result.via in weak:
            continue
        skill = result.matched_skill
        if skill is None or result.requirement_id not in by_id:
            continue
        term = core_term(terms.get(skill, skill))
        required = result.importance.value == "required"
        out.append(EvidencedRequirement(result.requirement_id, skill, term, required))
    return out


def contains_term(text: str, term: str) -> bool:
    """Whether `text` states `term` (token-normalised, so plurals and case do not matter)."""
    key = norm_key(term)
    if not key:
        return False
    hay = tuple(t.norm for t in tokenize(text))
    size = len(key)
    return any(hay[i : i + size] == key for i in range(len(hay) - size + 1))


def coverage(text: str, evidenced: list[EvidencedRequirement]) -> float:
    """Share (0..1) of evidenced requirements `text` names in the posting's wording."""
    if not evidenced:
        return 1.0
    return sum(contains_term(text, e.term) for e in evidenced) / len(evidenced)
