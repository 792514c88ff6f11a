"""Dates of work history: month indices of "Mar 2021 – Present", and dates lines.

Every span is a pair of month indices (year * 12 + month - 1); "present" is the caller's
`as_of` month, so results are reproducible. Seasons ("Summer 2019") and bare years count
from their first month when starting and their last when ending.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.documents.models import ResumeDocument

YearMonth = tuple[int, int]

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11),
            "winter": (12, 2)}  # fmt: skip
_PRESENT_RE = re.compile(r"\b(present|current|now|today|ongoing|date)\b", re.IGNORECASE)
_DATE_LINE_RE = re.compile(
    r"^[\s(]*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*)?"
    r"(?:\d{1,2}/)?(?:19|20)\d\d.*$|^\s*(?:spring|summer|fall|autumn|winter)\b",
    re.IGNORECASE,
)


def is_date_line(text: str) -> bool:
    return bool(_DATE_LINE_RE.match(text.strip())) and len(text.split()) <= 8


def _point(value: str | None, text: str | None, *, end: bool, as_of: YearMonth) -> int | None:
    """Month index (year*12 + month-1) of a normalised date, or None if unknown."""
    raw = (value or "").strip().lower()
    written = (text or "").lower()
    if raw == "present" or (not raw and _PRESENT_RE.search(written)):
        return as_of[0] * 12 + as_of[1] - 1
    m = re.match(r"((?:19|20)\d\d)(?:-(\d{1,2}))?", raw)
    if m is None:
        m2 = re.search(r"((?:19|20)\d\d)", written)
        if m2 is None:
            return None
        year, month = int(m2.group(1)), None
        name = re.search(r"\b([a-z]{3,9})\b", written)
        if name and name.group(1) in _MONTHS:
            month = _MONTHS[name.group(1)]
    else:
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
    if month is None:
        season = next((s for s in _SEASONS if s in written), None)
        default = 12 if end else 1
        month = _SEASONS[season][1 if end else 0] if season is not None else default
    return year * 12 + month - 1


def experience_months(resume: ResumeDocument, as_of: YearMonth) -> list[tuple[int, int]]:
    """(start, end) month indices per experience entry; (-1, -1) where dates are unknown."""
    spans: list[tuple[int, int]] = []
    for entry in resume.experience:
        start = _point(entry.start, entry.start_text, end=False, as_of=as_of)
        end = _point(entry.end, entry.end_text, end=True, as_of=as_of)
        if start is None:
            spans.append((-1, -1))
            continue
        if end is None:
            end = start
        spans.append((start, max(start, end)))
    return spans


def months_covered(spans: Iterable[tuple[int, int]]) -> set[int]:
    covered: set[int] = set()
    for start, end in spans:
        if start >= 0:
            covered.update(range(start, end + 1))
    return covered
