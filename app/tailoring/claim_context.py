"""Whether a name in a text is a claim about the person.

A credential named as a kind of workplace or as a goal ("a regional CPA firm", "passed 2 of
4 CPA exam sections", "pursuing the PMP") is not one the person holds, and a skill named as
a team ("for the analytics team") says whom they worked with. The resume analysis does not
count either as shown, and the guard does not read either as a new claim.
"""

from __future__ import annotations

import re

# A credential named as a kind of workplace or as a goal is not one the person holds:
# "a regional CPA firm", "passed 2 of 4 CPA exam sections", "pursuing the PMP".
_NOT_HELD_AFTER = re.compile(
    r"[\s-]*(?:firms?|exams?|candidate|candidacy|eligible|eligibility|track|review|"
    r"course(?:work)?|sections?|studies|study|practice|clients?)\b",
    re.IGNORECASE,
)
_NOT_HELD_BEFORE = re.compile(
    r"\b(?:pursuing|studying for|working towards?|preparing for|sitting for|candidate for|"
    r"eligible for|enrolled in)\s+(?:the\s+|an?\s+)?$",
    re.IGNORECASE,
)


def held(text: str, start: int, end: int) -> bool:
    return not (_NOT_HELD_AFTER.match(text, end) or _NOT_HELD_BEFORE.search(text[:start]))


def held_somewhere(text: str, phrase: str) -> bool:
    """Whether `text` names `phrase` at least once as a credential held."""
    pattern = rf"(?<![\w-]){re.escape(phrase)}(?!\w)"
    return any(held(text, m.start(), m.end()) for m in re.finditer(pattern, text))


# "the analytics team", "our DevOps group": who someone worked with, not a skill they show.
_GROUP_AFTER = re.compile(r"\s+(?:teams?|groups?|departments?|org|organi[sz]ations?|staff)\b", re.I)


def names_a_group(text: str, end: int) -> bool:
    return _GROUP_AFTER.match(text, end) is not None


def employers_masked(text: str, claimed: str, employers: set[str]) -> str:
    """`text` as a claim: an employer a rewrite names ("At Saguaro Regional Medical Center,
    ...") credits an achievement and is no skill ("healthcare") the person states, unless
    the `claimed` text it was written from already says it (offsets kept)."""
    said = claimed.casefold()
    for employer in employers:
        if employer.casefold() not in said:
            text = re.sub(re.escape(employer), " " * len(employer), text, flags=re.IGNORECASE)
    return text
