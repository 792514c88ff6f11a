"""Whether a credential a text names is one the person holds.

"a regional CPA firm", "passed 2 of 4 CPA exam sections", "pursuing the PMP" name a
credential as a kind of workplace or as a goal; the resume analysis does not count them as
held, and the guard does not read them as claims.
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
