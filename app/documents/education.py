"""Education entries: school, degree (as written, including the field), field, year."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.dates import find_date_range, strip_dates
from app.documents.lexicon import SCHOOL_WORDS, as_location, is_country, words
from app.documents.models import EducationEntry
from app.documents.text_lines import LogicalLine

_DEGREE = re.compile(
    r"^(?:"
    r"(?:B|M|D)\.?\s?(?:S|A|Sc|Eng|Ed|Arch|Phil|Des|F\.?A|B\.?A|P\.?H|Mus|Tech|Com)\.?"
    r"|Ph\.?\s?D\.?|D\.?Phil\.?|J\.?D\.?|M\.?D\.?|LL\.?[BM]\.?|Ed\.?D\.?|Psy\.?D\.?"
    r"|A\.?\s?A\.?S?\.?|A\.?\s?S\.?|MBA|EMBA|MPA|MPP|MSW|MFA|BFA|BBA|BSN|MSN|DNP|RN"
    r"|Pharm\.?\s?D\.?|DDS|DMD|DVM|MPH|MHA|MAcc|MPAcc|BEng|MEng|BCom|MCom|LLB|LLM|EdS"
    r"|Bachelor(?:'?s)?|Master(?:'?s)?|Associate(?:'?s)?|Doctor(?:ate)?|Doctoral"
    r"|Diploma|Certificate|Graduate\s+Certificate|Postgraduate|High\s+School(?:\s+Diploma)?"
    r"|GED|HND|HNC|BTEC|A-?[Ll]evels?|GCSEs?|Baccalaureate|Licen[cs]e|Magister"
    r")(?=$|[\s,.(])"
)
_FIELD_LEAD = re.compile(
    r"^(?:of\s+(?:Science|Arts|Engineering|Fine\s+Arts|Business\s+Administration|Laws)\s*)?"
    r"(?:(?:in|of)\b|-|–|—|,)?\s*",
    re.IGNORECASE,
)
_SEP = re.compile(r"\s+[—–|·•-]\s+|\s*\|\s*|\s{2,}|\t|,\s*")


@dataclass
class _Draft:
    school: str | None = None
    degree: str | None = None
    year: str | None = None
    line_ids: list[str] = field(default_factory=list)


def degree_match(text: str) -> re.Match[str] | None:
    m = _DEGREE.match(text.strip())
    if m is None:
        return None
    token = m.group(0)
    rest = text.strip()[len(token) :].strip()
    # A bare two-letter token ("MS", "MA") is a US state far more often than a degree.
    if re.fullmatch(r"[A-Z]{2}", token) and not rest:
        return None
    return m


_CREDENTIAL_TAIL = re.compile(r"\b(?:Certificate|Diploma|Degree)$")
_SCHOOL_TAIL = re.compile(
    r"^(?:University|College|Institute|School|Academy|Polytechnic|Conservatory)\b"
    r"(?!\s+(?:of|for|at)\b)(?:\s*(?:,|$|\(?(?:19|20)\d\d))",
)


def _merge_wrapped(body: list[LogicalLine]) -> list[tuple[str, list[str], bool]]:
    """(text, line ids, is_bullet); a line that starts with a bare "University, 2017" is
    the wrapped end of the school name above it (narrow sidebars wrap names)."""
    out: list[tuple[str, list[str], bool]] = []
    for ll in body:
        if out and not ll.is_bullet and _SCHOOL_TAIL.match(ll.text) and not out[-1][2]:
            text, ids, _ = out[-1]
            out[-1] = (f"{text} {ll.text}", [*ids, ll.id], False)
            continue
        out.append((ll.text, [ll.id], ll.is_bullet))
    return out


def parse_education(body: list[LogicalLine]) -> list[EducationEntry]:
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for text, ids, is_bullet in _merge_wrapped(body):
        school, degree, year = _read_line(text)
        if is_bullet and school is None and degree is None:
            if cur is not None:
                cur.line_ids.extend(ids)
            continue
        starts_new = (
            cur is None
            or (school is not None and cur.school is not None)
            or (degree is not None and cur.degree is not None)
            or (year is not None and cur.year is not None and (school or degree))
        )
        if school is None and degree is None and year is None:
            if cur is not None:
                cur.line_ids.extend(ids)
            continue
        if starts_new:
            cur = _Draft()
            drafts.append(cur)
        assert cur is not None
        cur.school = cur.school or school
        cur.degree = cur.degree or degree
        cur.year = cur.year or year
        cur.line_ids.extend(ids)
    return [
        EducationEntry(
            school=d.school,
            degree=d.degree,
            field_of_study=field_of_study(d.degree) if d.degree else None,
            year=d.year,
            line_ids=d.line_ids,
        )
        for d in drafts
    ]


def _read_line(text: str) -> tuple[str | None, str | None, str | None]:
    year: str | None = None
    found = find_date_range(text)
    if found is not None:
        point = found.end if found.has_range and found.end != "present" else found.start
        if found.has_range and found.end == "present":
            point = None
        year = point[:4] if point else None
        text = strip_dates(text, found)
        text = re.sub(
            r"(?i)\b(?:expected|anticipated|graduat(?:ed|ion|ing)|class of)\b:?", "", text
        )
    parts = [p.strip(" .;:()") for p in _SEP.split(text) if p and p.strip(" .;:()")]
    parts = [q for p in _merge_locations(parts) for q in _split_school_degree(p)]
    school: str | None = None
    degree: str | None = None
    unassigned: list[str] = []
    for part in parts:
        if degree is None and (degree_match(part) or _CREDENTIAL_TAIL.search(part)):
            degree = part  # "A&P Certificate", "Welding Diploma"
        elif school is None and any(w in SCHOOL_WORDS for w in words(part)):
            school = part
        else:
            unassigned.append(part)
    if degree is not None and school is None:
        school = next((p for p in unassigned if as_location(p) is None and not is_country(p)), None)
    if school is not None:
        school = _with_campus(school, parts)
    return school, degree, year


def _split_school_degree(part: str) -> list[str]:
    """ "Omaha North High School High School Diploma" (columns pasted as single spaces):
    split where a degree starts after text that names a school."""
    if degree_match(part) or not any(w in SCHOOL_WORDS for w in words(part)):
        return [part]
    for m in re.finditer(r"(?<=\s)\S", part):
        left, right = part[: m.start()].strip(), part[m.start() :]
        if any(w in SCHOOL_WORDS for w in words(left)) and degree_match(right):
            return [left, right]
    return [part]


def _with_campus(school: str, parts: list[str]) -> str:
    """ "University of Texas, Austin": a bare place right after an "X of Y" school name is
    the campus and part of the name; after "Boston University" it is only a location."""
    idx = parts.index(school) if school in parts else -1
    if idx < 0 or idx + 1 >= len(parts) or not re.search(r"(?i)\b(?:of|at)\b", school):
        return school
    nxt = parts[idx + 1]
    if (
        re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+)?", nxt)
        and not degree_match(nxt)
        and not is_country(nxt)
        and not any(w in SCHOOL_WORDS for w in words(nxt))
    ):
        return f"{school}, {nxt}"
    return school


def _merge_locations(parts: list[str]) -> list[str]:
    """Drop "City, ST" pairs that the comma split broke apart."""
    out: list[str] = []
    for part in parts:
        if out and re.fullmatch(r"[A-Z]{2}", part) and as_location(f"{out[-1]}, {part}"):
            out.pop()
            continue
        out.append(part)
    return out


def field_of_study(degree: str) -> str | None:
    m = degree_match(degree)
    if m is None:
        return None
    rest = _FIELD_LEAD.sub("", degree[m.end() :].strip(), count=1).strip(" ,.-–—()")
    return rest or None
