"""Find and normalise employment/education dates as written on resumes.

Output keeps the text as written (`start_text`, `end_text`) and a normalised value:
"YYYY-MM" when a month is given, "YYYY" for a bare year or a season ("Summer 2016"),
"present" for open-ended ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_SEASON_RE = r"(?:spring|summer|fall|autumn|winter)"
_YEAR_RE = r"(?:19[5-9]\d|20\d\d)"
# One point in time, most specific forms first so "03/2016" is not read as "2016".
_POINT = (
    rf"(?:{_MONTH_RE}\s*,?\s*{_YEAR_RE}"
    rf"|{_MONTH_RE}\s*['’]\d\d"
    rf"|{_SEASON_RE}\s*,?\s*{_YEAR_RE}"
    rf"|{_YEAR_RE}\s*\(\s*{_SEASON_RE}\s*\)"
    rf"|(?:0?[1-9]|1[0-2])\s*[/.]\s*{_YEAR_RE}"
    rf"|(?:0?[1-9]|1[0-2])/\d\d(?!\d)"
    rf"|{_YEAR_RE}\s*[-/.]\s*(?:0[1-9]|1[0-2])(?![\d])"
    rf"|{_YEAR_RE})"
)
_PRESENT = r"(?:present|current(?:ly)?|now|today|ongoing|to\s+date|date)"
_SEP = r"\s*(?:-{1,2}|–|—|―|‒|~|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b)\s*"
_RANGE = re.compile(
    rf"(?<![\w/])(?P<start>{_POINT})(?:{_SEP}(?P<end>{_POINT}|{_PRESENT}))?(?![\w/])",
    re.IGNORECASE,
)
_SINCE = re.compile(rf"(?<!\w)(?:since|from)\s+(?P<start>{_POINT})(?![\w/])", re.IGNORECASE)
_PRESENT_RE = re.compile(rf"^{_PRESENT}$", re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    start_text: str
    end_text: str | None
    start: str | None
    end: str | None
    # [begin, end) of the whole match in the searched string, to cut it out of a header.
    span: tuple[int, int]
    has_range: bool  # True for "A – B" and "since A"; False for a lone date


def normalise_point(text: str) -> str | None:
    """Normalise one written date; None if it is not a date."""
    t = text.strip().lower().replace("’", "'")
    if _PRESENT_RE.match(t):
        return "present"
    m = re.fullmatch(rf"({_MONTH_RE})\s*,?\s*({_YEAR_RE})", t)
    if m:
        return f"{m.group(2)}-{_month(m.group(1)):02d}"
    m = re.fullmatch(rf"({_MONTH_RE})\s*'(\d\d)", t)
    if m:
        return f"{_expand_two_digit(m.group(2))}-{_month(m.group(1)):02d}"
    m = re.fullmatch(rf"{_SEASON_RE}\s*,?\s*({_YEAR_RE})", t) or re.fullmatch(
        rf"({_YEAR_RE})\s*\(\s*{_SEASON_RE}\s*\)", t
    )
    if m:
        return m.group(1)
    m = re.fullmatch(rf"(0?[1-9]|1[0-2])\s*[/.]\s*({_YEAR_RE})", t)
    if m:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    m = re.fullmatch(r"(0?[1-9]|1[0-2])/(\d\d)", t)
    if m:
        return f"{_expand_two_digit(m.group(2))}-{int(m.group(1)):02d}"
    m = re.fullmatch(rf"({_YEAR_RE})\s*[-/.]\s*(0[1-9]|1[0-2])", t)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    m = re.fullmatch(_YEAR_RE, t)
    if m:
        return m.group(0)
    return None


def find_date_range(text: str) -> DateRange | None:
    """The most date-like range in `text` (a real range beats a lone year)."""
    best: DateRange | None = None
    for m in _RANGE.finditer(text):
        start_text = m.group("start")
        end_text = m.group("end")
        if end_text is None and _is_number_in_prose(text, m.start(), m.end()):
            continue
        candidate = DateRange(
            start_text=_tidy(start_text),
            end_text=_tidy(end_text) if end_text else None,
            start=normalise_point(start_text),
            end=normalise_point(end_text) if end_text else None,
            span=(m.start(), m.end()),
            has_range=end_text is not None,
        )
        if candidate.start is None:
            continue
        if best is None or (candidate.has_range and not best.has_range):
            best = candidate
        if best.has_range:
            break
    if best is None or not best.has_range:
        m2 = _SINCE.search(text)
        if m2:
            return DateRange(
                start_text=_tidy(m2.group("start")),
                end_text=None,
                start=normalise_point(m2.group("start")),
                end="present",
                span=(m2.start(), m2.end()),
                has_range=True,
            )
    return best


def strip_dates(text: str, found: DateRange) -> str:
    """`text` with the date match and the separators/brackets around it removed."""
    a, b = found.span
    before = text[:a].rstrip(" \t,|–—-:(·•")
    after = text[b:].lstrip(" \t,|–—-:)·•")
    if before and after:
        return f"{before}, {after}"
    return before or after


def _is_number_in_prose(text: str, start: int, end: int) -> bool:
    # "saved 2000 hours" is not a date: a lone year followed by a lowercase word.
    rest = text[end:].lstrip()
    return bool(rest) and rest[0].isalpha() and rest[0].islower() and not text[start].isalpha()


def _tidy(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip())


def _month(name: str) -> int:
    return _MONTHS[name.strip(".").lower()[:3]]


def _expand_two_digit(yy: str) -> str:
    n = int(yy)
    return f"{2000 + n}" if n <= 49 else f"{1900 + n}"
