"""Job-posting facts from the top of the ad: title, company, location, remote, salary."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.lexicon import as_location, find_location, title_score
from app.documents.models import RemotePolicy

_TITLE_SPLIT = re.compile(r"\s+[—–|@·•]\s+|\s+-\s+|\s+at\s+|\s*\|\s*")
# In a title line only "at", "@" and "|" introduce the company: what follows a dash is the
# team or specialty ("Registered Nurse – Pediatric ICU").
_TITLE_COMPANY_SPLIT = re.compile(r"\s+at\s+|\s+@\s+|\s*\|\s*")
_NAME = r"[A-Z0-9][\w&'’.\-]*(?:\s+(?:[A-Z0-9&][\w&'’.\-]*|of|and|de|la|&))*?"
_HIRING = re.compile(
    rf"^(?:at\s+)?(?P<company>{_NAME})\s+(?:is|are)\s+(?:hiring|looking\s+for|seeking|recruiting"
    r"|growing|expanding)\b"
)
_JOIN_US = re.compile(rf"\bjoin\s+(?:us\s+at\s+)?(?P<company>{_NAME})(?=\s*(?:[,.!;:]|\s+as\b|$))")
_ABOUT = re.compile(rf"^about\s+(?P<company>{_NAME})\s*:?$", re.IGNORECASE)
_AT_WE = re.compile(rf"^at\s+(?P<company>{_NAME}),\s+(?:we|our)\b", re.IGNORECASE)
# "Pixelworks is a design studio ...", "Tidal Analytics helps retailers ...": the subject
# of a sentence describing a business (checked right after an About heading, or with a
# business noun close behind).
_SUBJECT = re.compile(
    rf"^(?P<company>{_NAME})(?:\s+\([^)]*\))?\s+(?:is|are|helps|builds|makes|provides|runs"
    r"|develops|creates|designs|operates|serves|powers)\b(?P<rest>.*)$"
)
_BUSINESS = re.compile(
    r"\b(?:company|startup|leader|leading|provider|platform|studio|agency|firm|nonprofit"
    r"|organi[sz]ation|manufacturer|maker|network|group|bank|hospital|retailer|brand"
    r"|business|practice|clinic|school|[a-z]+-based|founded)\b",
    re.IGNORECASE,
)
_NOT_COMPANY = frozenset(
    ["this", "that", "the", "our", "we", "you", "it", "they", "he", "she", "there", "here"]
)
_GENERIC_ABOUT = frozenset(
    [
        "us",
        "you",
        "the",
        "this",
        "our",
        "role",
        "team",
        "job",
        "position",
        "company",
        "opportunity",
        "me",
        "yourself",
    ]
)
_PAREN = re.compile(r"\(([^()]*)\)")
_LABELLED = re.compile(
    r"^(?P<label>job\s+title|title|position|role|company|employer|organi[sz]ation|location"
    r"|work\s+location|office|salary|compensation|pay(?:\s+range)?)\s*[:\-–]\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_MONEY = (
    r"(?:[$£€]|USD\s?|GBP\s?|EUR\s?|CAD\s?|AUD\s?)\s?\d{1,3}(?:[,.\s]\d{3})*(?:\.\d+)?\s?[kKmM]?"
)
_PERIOD = r"(?:\s*(?:/|per|an|a)\s*(?:hour|hr|year|yr|annum|month|week|day)\b)?"
_SALARY = re.compile(
    rf"{_MONEY}{_PERIOD}(?:\s*(?:-|–|—|to)\s*(?:{_MONEY}|\d{{1,3}}(?:[,.]\d{{3}})*\s?[kK]?))?"
    + _PERIOD
    + r"(?:\s*(?:USD|GBP|EUR|CAD|AUD))?",
)
_REMOTE_PATTERNS: tuple[tuple[RemotePolicy, re.Pattern[str]], ...] = (
    (RemotePolicy.HYBRID, re.compile(r"\bhybrid\b", re.IGNORECASE)),
    (
        RemotePolicy.REMOTE,
        re.compile(
            r"(?<!not )(?<!no )(?<!non-)\b(?:fully[- ]remote|remote(?:[- ]first|[- ]friendly)?"
            r"|work from (?:home|anywhere)|wfh)\b",
            re.IGNORECASE,
        ),
    ),
    (
        RemotePolicy.ONSITE,
        re.compile(r"\b(?:on-?site|in[- ]office|in[- ]person|office[- ]based)\b", re.IGNORECASE),
    ),
)
_NOT_REMOTE = re.compile(r"\b(?:not|no|non)[- ](?:a )?remote\b", re.IGNORECASE)


@dataclass
class HeaderFacts:
    title: str | None = None
    company: str | None = None
    location: str | None = None
    remote: RemotePolicy | None = None
    salary: str | None = None
    header_line_count: int = 0  # how many leading lines were the title/company header


def leading_label_lines(lines: list[str]) -> int:
    """How many lines at the top are "Label: value" facts (title, company, ...)."""
    count = 0
    for text in lines:
        if not _LABELLED.match(text.strip()):
            break
        count += 1
    return count


def labelled_fields(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for text in lines:
        m = _LABELLED.match(text.strip())
        if not m:
            continue
        label = m.group("label").lower()
        value = m.group("value").strip()
        if label in ("job title", "title", "position", "role"):
            found.setdefault("title", value)
        elif label in ("company", "employer", "organisation", "organization"):
            found.setdefault("company", value)
        elif "location" in label or label == "office":
            found.setdefault("location", value)
        else:
            found.setdefault("salary", value)
    return found


def find_salary(text: str) -> str | None:
    for m in _SALARY.finditer(text):
        value = m.group(0).strip()
        digits = re.sub(r"\D", "", value.split("-")[0].split("–")[0])
        if len(digits) >= 2 or re.search(r"[kK]\b", value):
            return value
    return None


def find_remote(text: str) -> RemotePolicy | None:
    for policy, pattern in _REMOTE_PATTERNS:
        if policy is RemotePolicy.REMOTE and _NOT_REMOTE.search(text):
            continue
        if pattern.search(text):
            return policy
    return None


def split_company_line(text: str) -> tuple[str | None, str | None, RemotePolicy | None]:
    """ "Orbital Payments — Denver, CO (Hybrid, 2 days)" -> company, location, remote."""
    remote = find_remote(text)
    location: str | None = None
    for paren in _PAREN.findall(text):
        place = find_location(paren) or as_location(paren.split(" or ")[0])
        if place and find_remote(place) is None:
            location = location or place
    body = _PAREN.sub(" ", text).strip()
    location = location or find_location(body)
    company_part = body
    if location:
        idx = body.find(location)
        if idx >= 0:
            company_part = body[:idx]
    parts = [p.strip(" ,;:-–—|") for p in _TITLE_SPLIT.split(company_part)]
    parts = [p for p in parts if p and find_remote(p) is None and as_location(p) is None]
    company = parts[0] if parts else None
    if company is not None:
        company = company.rstrip(" ,")
        if not company or company.lower() in ("remote", "hybrid"):
            company = None
    return company, location, remote


def company_in_body(lines: list[str]) -> str | None:
    """The company named in "About Northwind", "Northwind is hiring ..." or "Join
    Northwind as ..." lines near the top of the posting."""
    after_about = False
    for text in lines:
        t = text.strip().strip("#*").strip()
        about = _ABOUT.match(t)
        if about and about.group("company").split()[0].lower() not in _GENERIC_ABOUT:
            return about.group("company").rstrip(" .:")
        for pattern in (_HIRING, _JOIN_US, _AT_WE):
            m = pattern.search(t)
            if m and m.group("company").split()[0].lower() not in _GENERIC_ABOUT | {"we"}:
                return m.group("company").rstrip(" .:")
        subject = _SUBJECT.match(t)
        if subject and (after_about or _BUSINESS.search(subject.group("rest")[:60])):
            name = subject.group("company").rstrip(" .:")
            if name.split()[0].lower() not in _NOT_COMPANY and len(name.split()) <= 4:
                return name
        after_about = bool(re.match(r"(?i)^(?:about\s+us|who\s+we\s+are|our\s+(?:company|story)"
                                    r"|the\s+company|company\s+overview)\s*:?$", t))  # fmt: skip
    return None


def looks_like_title_line(text: str) -> bool:
    t = text.strip()
    if not t or len(t.split()) > 14 or len(t) > 120:
        return False
    if t.endswith((".", "!", "?")) and title_score(t) == 0:
        return False
    return any(ch.isalpha() for ch in t)


def looks_like_company_line(text: str) -> bool:
    t = text.strip()
    if not t or len(t.split()) > 12 or t.endswith((".", "!", "?", ":")):
        return False
    return bool(find_location(t) or find_remote(t) or _TITLE_SPLIT.search(t) or "," in t)


_DASH = re.compile(r"\s+[—–-]\s+")


def _bare_name(text: str) -> bool:
    """A short capitalised line that is neither a title, a place nor a sentence."""
    words = text.split()
    return (
        0 < len(words) <= 5
        and text[:1].isupper()
        and not text.endswith(("!", "?", ":"))
        and not any(ch in text for ch in ":|·•()")
        and not re.search(r"\w{4,}\.(?:\s|$)", text)  # a sentence, not "Acme, Inc."
        and title_score(text) <= 0
        and not find_location(text)
        and find_remote(text) is None
        and not any(ch.isdigit() for ch in text)
    )


def _stacked_header(first: str, second: str, third: str) -> HeaderFacts | None:
    """Job-board pastes: "Acme Health / Clinical Data Analyst / Remote · United States"
    (company first) or "Warehouse Associate / Amazon / Columbus, OH 43215"."""
    place = third and (find_location(third) or as_location(third) or find_remote(third))
    if _bare_name(first) and title_score(second) > 0 and looks_like_title_line(second):
        company, title = first, second
    elif title_score(first) > 0 and _bare_name(second) and place:
        company, title = second, first
    else:
        return None
    facts = HeaderFacts(title=title, company=company, header_line_count=2)
    if place:
        facts.location = find_location(third) or as_location(third)
        facts.remote = find_remote(third)
        facts.header_line_count = 3
    return facts


def _dash_company(line: str) -> bool:
    """ "Senior Data Scientist — Fernway Mobility (Chicago, IL)": after a dash comes the
    company only when a place follows it; otherwise it is the team or specialty
    ("Registered Nurse – Pediatric ICU")."""
    pieces = _DASH.split(line, maxsplit=1)
    if len(pieces) != 2:
        return False
    rest = pieces[1]
    place = _PAREN.search(rest)
    has_place = bool(place and (find_location(place.group(1)) or find_remote(place.group(1))))
    return has_place and title_score(_PAREN.sub("", rest)) == 0


def read_header(lines: list[str], *, blank_before_second: bool) -> HeaderFacts:
    """Title/company/location/remote from the first lines of the posting."""
    facts = HeaderFacts()
    if not lines:
        return facts
    first = lines[0].strip()
    second = lines[1].strip() if len(lines) > 1 else ""
    third = lines[2].strip() if len(lines) > 2 else ""
    if not looks_like_title_line(first):
        return facts
    stacked = _stacked_header(first, second, third)
    if stacked is not None:
        return stacked
    # Pages converted from HTML put every block after a blank line, so a blank line
    # only rules the second line out when it lacks a place or work-mode marker.
    company_like = looks_like_company_line(second) and (
        not blank_before_second or bool(find_location(second) or find_remote(second))
    )
    if second and company_like:
        facts.title = first
        facts.company, facts.location, facts.remote = split_company_line(second)
        facts.header_line_count = 2
        pieces = _TITLE_COMPANY_SPLIT.split(first, maxsplit=1)
        if facts.company is None and len(pieces) == 2:
            # "Senior Engineer at Foo Inc" over a bare "Remote" line.
            facts.title = pieces[0].strip()
            company, location, remote = split_company_line(pieces[1])
            facts.company = company
            facts.location = facts.location or location
            facts.remote = facts.remote or remote
        return facts
    pieces = _TITLE_COMPANY_SPLIT.split(first, maxsplit=1)
    facts.header_line_count = 1
    if len(pieces) == 1 and _dash_company(first):
        pieces = _DASH.split(first, maxsplit=1)
    if len(pieces) == 2 and title_score(pieces[1]) <= title_score(pieces[0]):
        facts.title = pieces[0].strip()
        facts.company, facts.location, facts.remote = split_company_line(pieces[1])
    else:
        facts.title = _PAREN.sub("", first).strip() if find_location(first) else first
        facts.location = find_location(first)
        facts.remote = find_remote(first)
    return facts
