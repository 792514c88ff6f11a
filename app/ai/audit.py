"""Redact prompts and model outputs before they are stored for audit.

The audit trail must show *what the model was asked and answered* without becoming a second
copy of everyone's personal data: e-mail addresses, phone numbers, profile URLs and the
candidate's names are replaced by placeholders. Dates, years and plain numbers survive, since
they are what an auditor checks the truth guard against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_PLACEHOLDER = "[EMAIL]"
PHONE_PLACEHOLDER = "[PHONE]"
URL_PLACEHOLDER = "[PROFILE_URL]"
NAME_PLACEHOLDER = "[NAME]"
SECRET_PLACEHOLDER = "[SECRET]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PROFILE_URL = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?(?:linkedin\.com/(?:in|pub)|github\.com|gitlab\.com"
    r"|twitter\.com|x\.com)/[A-Za-z0-9_.%-]+/?",
    re.IGNORECASE,
)
_SECRET = re.compile(r"\b(?:sk|sk-ant|sk-proj|pk|tk)[-_][A-Za-z0-9_-]{8,}|\bBearer\s+[\w.~+/=-]+")
# Phone candidates: an optional +, then digits with the usual separators. Whether a candidate
# is a phone number is decided in `_phone` (digit count, not a date or a year range).
_PHONE_CANDIDATE = re.compile(r"(?<![\w.+-])\+?\(?\d[\d\s().\-/]{5,}\d(?![\w.])")
_DATE_LIKE = re.compile(
    r"^\d{4}\s*[-/.–]\s*\d{2,4}$"  # 2019-2023, 2019/20
    r"|^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$"  # 2024-03-01
    r"|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$"  # 03/01/2024
    r"|^\d{1,2}[-/.]\d{4}\s*[-–]\s*\d{1,2}[-/.]\d{4}$"  # 03/2019 - 04/2021
)
# Name particles are too common as words to redact on their own ("de", "van", "la").
_PARTICLES = frozenset({"da", "de", "del", "der", "di", "du", "la", "le", "van", "von", "st"})


def redact_for_audit(text: str, names: Iterable[str] = ()) -> str:
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _PROFILE_URL.sub(URL_PLACEHOLDER, text)
    text = _SECRET.sub(SECRET_PLACEHOLDER, text)
    text = _PHONE_CANDIDATE.sub(_phone, text)
    pattern = _names_pattern(names)
    return pattern.sub(NAME_PLACEHOLDER, text) if pattern is not None else text


def _phone(match: re.Match[str]) -> str:
    candidate = match.group(0)
    digits = sum(char.isdigit() for char in candidate)
    if digits < 7 or digits > 15 or _DATE_LIKE.match(candidate.strip()):
        return candidate
    return PHONE_PLACEHOLDER


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of every full name and name part, longest first so "Alex Rivera"
    becomes one placeholder rather than two."""
    terms: set[str] = set()
    for name in names:
        full = " ".join(name.split())
        if not full:
            continue
        terms.add(full)
        for part in re.split(r"[\s,]+", full):
            part = part.strip(".'\"()")
            # Initials ("J.") and particles would redact ordinary words and letters.
            if len(part) >= 2 and part.lower() not in _PARTICLES:
                terms.add(part)
                # Hyphenated surnames: "Rivera-Lopez" also appears as "Rivera" or "Lopez".
                terms.update(
                    p for p in part.split("-") if len(p) >= 2 and p.lower() not in _PARTICLES
                )
    if not terms:
        return None
    alternation = "|".join(
        r"\s+".join(re.escape(word) for word in term.split())
        for term in sorted(terms, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
