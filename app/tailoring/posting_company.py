"""Which company a posting is for, and what it says about itself (for the cover letter).

A letter addressed to "MID-MARKET" or "East Region" is worse than one addressed to the
hiring team, so the company is read from the places postings name it — "About X", "X is
hiring", "Join X", "At X, we", "X · City" under the title, "X builds ..." — and a candidate
must look like an organisation's name: capitalised words, not a shouted heading, a place, a
region or a team. The parser's guess is one candidate among these, not the answer.
"""

from __future__ import annotations

import re
from collections import Counter

from app.documents.models import JobPosting
from app.tailoring.entries import ROLE_NOUNS, is_location
from app.tailoring.text import fold

_WORD = r"(?:[A-Z][\w'’.&-]*|&)"
_NAME = (
    rf"{_WORD}(?:[ \t]+(?:{_WORD}|of|and|the|de|for))*(?:,?[ \t]+(?:Inc\.?|LLC|Ltd\.?|Corp\.?))?"
)
_PATTERNS = [
    (re.compile(rf"^\s*About\s+(?:us\s*[-:–]\s*)?({_NAME})\s*$", re.M), 3),
    (re.compile(rf"\bJoin\s+({_NAME})"), 2),
    (re.compile(rf"(?:^|[.!?]\s+)At\s+({_NAME}),?\s+(?:we|our)\b", re.M), 2),
    (re.compile(rf"(?:^|[.!?]\s+)({_NAME})\s+(?:is|are)\s+(?:hiring|looking|seeking)", re.M), 2),
    (re.compile(rf"^({_NAME})\s*(?:[·|•,–-]|\s-\s)\s*[A-Z][\w .,()-]*$", re.M), 1),
    (
        re.compile(
            rf"(?:^|[.!?]\s+)({_NAME})\s+(?:is|builds|makes|helps|designs|runs|moves)\b", re.M
        ),
        1,
    ),
]
_NOT_NAMES = {
    fold(w)
    for w in [
        "we",
        "our",
        "you",
        "your",
        "the",
        "this",
        "about",
        "join",
        "what",
        "who",
        "responsibilities",
        "requirements",
        "qualifications",
        "preferred",
        "benefits",
        "team",
        "department",
        "region",
        "division",
        "area",
        "remote",
        "hybrid",
        "full",
        "part",
        "time",
        "nights",
        "days",
    ]
}
_TRAILERS = re.compile(r"[\s·|•,:;–-]+$")


def _plausible(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 6 or len(name) > 60:
        return False
    if name.isupper() and len(name.replace(" ", "")) > 5:
        return False  # a shouted heading ("MID-MARKET"), not a name
    folded = [fold(w).strip(".,") for w in words]
    if folded[0] in _NOT_NAMES or folded[-1] in _NOT_NAMES:
        return False
    return not (folded[-1] in ROLE_NOUNS or is_location(name))


def _city_line(name: str, line: str) -> bool:
    """ "Sacramento, California" under the title: a one-word city and its state, not a
    company and its place."""
    return len(name.split()) == 1 and is_location(line.strip())


def _named_again(name: str, later: list[str]) -> bool:
    """The body names it again, whole or by its first words ("Maplewood Unified serves
    18,000 students" under "Maplewood Unified School District")."""
    words = name.split()
    short = " ".join(words[:2]) if len(words) > 2 else name
    return any(other.lstrip().startswith((name + " ", short + " ")) for other in later)


_CITY_STATE = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*,?\s+[A-Z]{2}$")


def _clean(name: str) -> str:
    """The name alone: trailing separators and a place after a comma go ("Kestrel Home,
    Columbus, Ohio", "Tallis Software, Austin TX" -> the company)."""
    name = _TRAILERS.sub("", name.strip())
    head, comma, place = name.partition(", ")
    if comma and head and (is_location(place) or _CITY_STATE.match(place)):
        return head
    return name


def company_name(job: JobPosting) -> str | None:
    """The company the posting is for, or None when it names none."""
    text = job.text
    scores: Counter[str] = Counter()
    for pattern, weight in _PATTERNS:
        for m in pattern.finditer(text):
            name = _clean(m.group(1))
            if _plausible(name) and not _city_line(name, m.group(0)):
                scores[name] += weight
    if job.company and _plausible(_clean(job.company)):
        scores[_clean(job.company)] += 1
    for name in _masthead(text):
        scores[name] += 1
    for short in list(scores):  # "Cobalt Mobility" is "Cobalt Mobility, Inc." said short
        longer = [n for n in scores if n != short and n.startswith(short)]
        if longer:
            scores[longer[0]] += scores.pop(short)
    if not scores:
        return None
    # Mentions in the body count: the real company is named again and again.
    ranked = sorted(scores, key=lambda n: (-(scores[n] + text.count(n)), text.find(n)))
    return ranked[0]


_MASTHEAD_SPLIT = re.compile(r"[ \t]+[·|•–-][ \t]+|[ \t]*[·|•][ \t]*")
_PLACE = re.compile(r"^(?:remote|hybrid|on-?site)\b", re.IGNORECASE)


def _masthead(text: str) -> list[str]:
    """ "Orbital Logistics · Remote (US)" in the first lines, under the title."""
    out = []
    lines = text.splitlines()
    for index, line in enumerate(lines[:4]):
        alone = _clean(line)
        if index and alone and _plausible(alone) and re.match(_NAME + "$", alone):
            # A name alone under the title, which the body names again ("Sablefin
            # Insurance prices small-business policies ...").
            if _named_again(alone, lines[index + 1 :]):
                out.append(alone)
            continue
        parts = _MASTHEAD_SPLIT.split(line.strip(), maxsplit=1)
        if len(parts) != 2:
            continue
        name, place = _clean(parts[0]), parts[1].strip()
        place_core = re.sub(r"\s*\(.*\)$", "", place)
        if _plausible(name) and (is_location(place_core) or _PLACE.match(place)):
            out.append(name)
    return out


_THIRD_PERSON = re.compile(r"^(is|has|[a-z]+s)\b")
_HIRING = re.compile(r"\b(?:is|are)\s+(?:hiring|looking|seeking)\b|\bwe\b|\byou\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def about_company(job: JobPosting, company: str) -> str | None:
    """What the posting says the company does, as a clause: "which moves freight for 4,000
    shippers across North America" — from a sentence with the company as its subject."""
    for line in job.text.splitlines():
        for sentence in _SENTENCE.split(line.strip()):
            clause = _clause(sentence.strip(), company)
            if clause:
                return clause
    return None


def _clause(sentence: str, company: str) -> str | None:
    if _HIRING.search(sentence) or not sentence.endswith("."):
        return None
    rest: str | None = None
    if sentence.startswith(company + " "):
        rest = sentence[len(company) + 1 :]
        if not _THIRD_PERSON.match(rest):
            return None
    elif sentence.startswith(f"Join {company}, "):
        rest = "is " + sentence[len(f"Join {company}, ") :]
        if not re.match(r"is (?:a|an|the)\b", rest):
            return None
    if rest is None or len(rest.split()) < 3:
        return None
    return "which " + rest.rstrip(".")
