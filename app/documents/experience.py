"""Experience entries: group section lines into jobs and read each job's header.

Grouping: a job starts at a non-bullet line after the previous job has bullets or dates;
its header is up to three lines (e.g. "Company — City" / "Title" / "Jan 2019 – Present");
bullets are marked list items or, in plain text, lines indented deeper than the header.

Header reading: cut out the date range, split the rest at strong separators (em/en dash,
pipe, wide gaps, " at "), then at commas; pull out a place, then decide which part is the
title with a title-word lexicon ("Engineer", "Manager", ...) and which the employer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.dates import DateRange, find_date_range, strip_dates
from app.documents.lexicon import as_location, company_score, is_country, title_score
from app.documents.models import ExperienceEntry, Line
from app.documents.text_lines import LogicalLine

_STRONG_SEP = re.compile(
    r"\s+[—–|@·•]\s+|\s+-\s+|\s*\|\s*|\s{2,}|\t|\s+at\s+|\s*[—–]\s*(?=[A-Z])"
    r"|(?<=[a-z.]):\s+(?=[A-Z])"  # "Globex: Vice President of Sales"
)
_COMPANY_SUFFIX = re.compile(
    r"^(?:inc|llc|l\.l\.c|ltd|limited|co|corp|gmbh|ag|plc|llp|s\.a|b\.v|pty)\.?$", re.I
)
_PROSE_MIN_WORDS = 12
_LABELLED_LIST = re.compile(
    r"^\s*(?:key |core |technical |relevant )?(?:skills|tools|tools used|technologies|"
    r"technologies used|tech stack|stack|environment|software|languages|licen[cs]es|"
    r"certifications?)\s*:\s*\S",
    re.IGNORECASE,
)


@dataclass
class _Draft:
    header: list[LogicalLine] = field(default_factory=list)
    header_indent: int = 0
    dates: DateRange | None = None
    dates_line: str | None = None  # id of the header line holding the dates
    bullets: list[Line] = field(default_factory=list)


def parse_experience(body: list[LogicalLine]) -> list[ExperienceEntry]:
    drafts = _group(body)
    entries: list[ExperienceEntry] = []
    for draft in drafts:
        if not draft.header and not draft.bullets:
            continue
        entry = _interpret(draft)
        if entries and entry.employer is None and entry.title and len(draft.header) <= 2:
            # "Acme / Senior Engineer 2020– / ... / Engineer 2018–2020": a second role at
            # the same employer carries only its title.
            prev = entries[-1]
            if prev.employer and entry.location is None:
                entry.employer = prev.employer
                entry.location = prev.location
        entries.append(entry)
    return entries


def _group(body: list[LogicalLine]) -> list[_Draft]:
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for ll in body:
        if ll.is_bullet and not _header_in_list(ll.text):
            if cur is None:
                cur = _Draft()
                drafts.append(cur)
            cur.bullets.append(ll.line)
            continue
        found = find_date_range(ll.text)
        if cur is not None and cur.header and found is None and _LABELLED_LIST.match(ll.text):
            # "Tools used: NetSuite, Excel" under a job is a detail of that job, not the
            # header of a next one (a job titled "Skills" at "SAP").
            cur.bullets.append(ll.line)
            continue
        date_only = found is not None and _is_date_only(ll.text, found)
        if (
            cur is not None
            and cur.header
            and cur.dates is not None
            and found is None
            and ll.indent > cur.header_indent
            and ll.heading_level is None
        ):
            # Plain-text resumes often mark bullets by indentation alone.
            cur.bullets.append(ll.line)
            continue
        if date_only and cur is not None and cur.dates is None and not cur.bullets and found:
            cur.dates, cur.dates_line = found, ll.id
            cur.header.append(ll)
            continue
        if cur is not None and not cur.bullets and cur.dates is not None and found is None:
            if _is_prose(ll.text):
                cur.bullets.append(ll.line)  # a description paragraph under the header
                continue
            if not ll.blank_before and len(cur.header) < 3 and ll.heading_level is None:
                cur.header.append(ll)  # "Company / dates / Title" order
                continue
        start_new = (
            cur is None
            or bool(cur.bullets)
            or (found is not None and cur.dates is not None)
            or len(cur.header) >= 3
            or (cur.dates is not None and ll.blank_before)
        )
        if start_new:
            cur = _Draft(header=[ll], header_indent=ll.indent)
            drafts.append(cur)
        else:
            assert cur is not None
            if _is_prose(ll.text) and cur.header:
                cur.bullets.append(ll.line)
                continue
            cur.header.append(ll)
        if found is not None and cur.dates is None:
            cur.dates, cur.dates_line = found, ll.id
    return drafts


def _header_in_list(text: str) -> bool:
    """An entry line styled as a list item ("Desert Bank — Branch Manager  Jan 2019 –
    Present" in Word's List Paragraph style): a date range at an end of a short line
    that is not a sentence."""
    found = find_date_range(text)
    if found is None or not found.has_range or text.rstrip().endswith("."):
        return False
    a, b = found.span
    if a > 0 and b < len(text.rstrip(" )")):
        return False  # dates in the middle belong to a sentence
    rest = strip_dates(text, found)
    return 0 < len(rest.split()) <= 10 and (
        bool(_STRONG_SEP.search(rest)) or "," in rest or title_score(rest) > 0
    )


def _is_date_only(text: str, found: DateRange) -> bool:
    rest = strip_dates(text, found)
    return not rest or as_location(rest) is not None or len(rest.split()) <= 2


def _is_prose(text: str) -> bool:
    return len(text.split()) >= _PROSE_MIN_WORDS or (text.endswith(".") and len(text.split()) >= 6)


def _interpret(draft: _Draft) -> ExperienceEntry:
    parts: list[str] = []
    location: str | None = None
    for ll in draft.header:
        text = ll.text
        if draft.dates is not None and ll.id == draft.dates_line:
            found = find_date_range(text)
            if found is not None:
                text = strip_dates(text, found)
        split = _strong_split(text)
        for part in split:
            loc, rest = _take_location(part, alone=len(split) == 1 and len(draft.header) == 1)
            if loc and location is None:
                location = loc
            if rest:
                parts.append(rest)
    pieces = [p for part in parts for p in _comma_pieces(part)]
    title, employer, leftovers = _assign_roles(pieces, parts)
    title, leftovers = _with_specialty(title, leftovers, pieces)
    if location is None:
        for left in leftovers:
            if as_location(left) or (len(left.split()) <= 3 and left[:1].isupper()):
                location = left
                break
    entry = ExperienceEntry(
        employer=employer,
        title=title,
        location=location,
        header_line_ids=[ll.id for ll in draft.header],
        bullets=draft.bullets,
    )
    if draft.dates is not None:
        d = draft.dates
        entry.start_text, entry.start = d.start_text, d.start
        if d.has_range:
            entry.end_text, entry.end = d.end_text, d.end
        else:
            # A lone date ("Summer 2016") is a stint within that period.
            entry.end_text, entry.end = d.start_text, d.start
    return entry


def _with_specialty(
    title: str | None, leftovers: list[str], pieces: list[str]
) -> tuple[str | None, list[str]]:
    """ "Registered Nurse, Pediatric ICU, Boston Children's": the piece right after the
    title that is no place is its specialty, part of the title."""
    if title is None or title not in pieces:
        return title, leftovers
    idx = pieces.index(title)
    nxt = pieces[idx + 1] if idx + 1 < len(pieces) else None
    if nxt is None or nxt not in leftovers or as_location(nxt) or is_country(nxt):
        return title, leftovers
    return f"{title}, {nxt}", [p for p in leftovers if p is not nxt]


def _strong_split(text: str) -> list[str]:
    # "Acme Robotics (Boston, MA)": a place in parentheses is its own part.
    text = re.sub(r"\s*\(([^()]*)\)", lambda m: f" | {m.group(1)}" if as_location(m.group(1))
                  else m.group(0), text)  # fmt: skip
    parts = (_strip_part(p) for p in _STRONG_SEP.split(text) if p)
    return [p for p in parts if p]


def _strip_part(part: str) -> str:
    """Trim separators and unbalanced brackets; "Teacher (Grade 5)" keeps its parenthesis."""
    part = part.strip(" ,;:")
    while part and (
        (part.endswith(")") and part.count(")") > part.count("("))
        or (part.startswith("(") and part.count("(") > part.count(")"))
    ):
        part = part.strip("()").strip(" ,;:")
    if part.startswith("(") and part.endswith(")") and part.count("(") == 1:
        part = part[1:-1].strip()
    return part


def _comma_pieces(part: str) -> list[str]:
    raw = [p.strip() for p in re.split(r",\s*", part) if p.strip()]
    out: list[str] = []
    for piece in raw:
        # "Denver, CO" is a place; "Acme, Co." a company: an upper-case state code after
        # a city-like piece is not a company suffix.
        state = piece.isupper() and as_location(f"{out[-1]}, {piece}") if out else None
        if out and _COMPANY_SUFFIX.match(piece) and not state:
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return out


def _take_location(part: str, *, alone: bool = False) -> tuple[str | None, str]:
    """Split a trailing place off a header part: "Lumen Freight, Austin, TX".

    A bare capitalised last piece ("Tidewell Energy, Edinburgh") is only taken as a place
    when the header has other parts; on a header that is just "X, Y" ("Installer,
    Beehive Heating") it is the employer.
    """
    whole = as_location(part)
    if whole is not None and title_score(part) == 0 and company_score(part) == 0:
        return whole, ""
    pieces = _comma_pieces(part)
    if len(pieces) >= 3:
        tail = as_location(", ".join(pieces[-2:]))
        if tail:
            return tail, ", ".join(pieces[:-2])
    if len(pieces) >= 2:
        last = pieces[-1]
        if last.lower() in ("remote", "hybrid") or is_country(last):
            return last, ", ".join(pieces[:-1])
        if " " in last and as_location(last):  # "Acme Corp, Austin TX"
            return as_location(last), ", ".join(pieces[:-1])
        tail = as_location(", ".join(pieces[-2:])) if len(pieces) >= 2 else None
        if (
            tail
            and len(pieces) == 2
            and title_score(pieces[0]) == 0
            and company_score(pieces[0]) == 0
        ):
            return tail, ""
        single_place = (
            not alone
            and len(last.split()) <= 2
            and all(w[:1].isupper() for w in last.split())
            and title_score(last) == 0
            and company_score(last) == 0
            and title_score(pieces[-2]) <= 0
        )
        if single_place:
            return last, ", ".join(pieces[:-1])
    return None, part


def _assign_roles(pieces: list[str], parts: list[str]) -> tuple[str | None, str | None, list[str]]:
    if not pieces:
        return None, None, []
    # Comma pieces are only trusted as separate roles when the strong split found one
    # part ("Data Scientist, Cascade Outdoor Co."); otherwise commas belong to names.
    candidates = pieces if len(parts) <= 1 else parts
    if len(candidates) == 1:
        only = candidates[0]
        if title_score(only) > 0:
            return only, None, []
        return None, only, []
    scored = [(title_score(c), -i, c) for i, c in enumerate(candidates)]
    best_title = max(scored)
    if best_title[0] > 0:
        title = best_title[2]
        rest = [c for c in candidates if c is not title]
    else:
        by_company = max(((company_score(c), -i, c) for i, c in enumerate(candidates)))
        if by_company[0] > 0:
            employer = by_company[2]
            rest = [c for c in candidates if c is not employer]
            return rest[0], employer, rest[1:]
        title, rest = candidates[0], candidates[1:]
    employer_pick = max(((company_score(c), -i, c) for i, c in enumerate(rest)))
    employer = employer_pick[2]
    leftovers = [c for c in rest if c is not employer]
    return title, employer, leftovers
