"""Reading a posting's text for job analysis: line modes, sentences, clauses, cues.

A line's mode says what its section is for (requirements, preferred, duties, context);
headings a parser left inside a section switch the mode; cue words inside a clause
("preferred", "must") override it for that clause.
"""

from __future__ import annotations

import re

from app.documents.models import JobPosting, JobSectionKind, Line

REQUIRED, PREFERRED, DUTY, CONTEXT, UNKNOWN = "required", "preferred", "duty", "context", "?"
BENEFITS = "benefits"  # never a source of requirements, not even as a fallback

_MODE_OF_KIND = {
    JobSectionKind.REQUIREMENTS: REQUIRED,
    JobSectionKind.PREFERRED: PREFERRED,
    JobSectionKind.RESPONSIBILITIES: DUTY,
    JobSectionKind.ABOUT: CONTEXT,
    JobSectionKind.BENEFITS: BENEFITS,
    JobSectionKind.OTHER: UNKNOWN,
}

# Headings a parser may have left inside another section (checked on short lines only).
_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    (
        PREFERRED,
        re.compile(
            r"^(nice[- ]to[- ]haves?|preferred( qualifications| skills| experience)?|"
            r"bonus( points)?|pluses|desired( skills| qualifications)?|desirable|good to have|"
            r"extra credit|ideally|it'?s a plus)\b"
        ),
    ),
    (
        REQUIRED,
        re.compile(
            r"^(requirements|required( skills| qualifications)?|must[- ]haves?|"
            r"(minimum|basic|key) qualifications|qualifications|what you('ll)? (need|bring)|"
            r"what we('re| are) looking for|you have|who you are|about you|"
            r"skills( and| &) experience|your (profile|background|experience)|you bring)\b"
        ),
    ),
    (
        DUTY,
        re.compile(
            r"^(responsibilities|key responsibilities|what you('ll| will) do|the role|"
            r"your role|day[- ]to[- ]day|duties|in this role|what you will be doing|"
            r"your impact|you will)\b"
        ),
    ),
    (
        CONTEXT,
        re.compile(
            r"^(about( us| the company| the team)?|who we are|our (team|mission|values)|"
            r"equal opportunity)\b"
        ),
    ),
    (
        BENEFITS,
        re.compile(r"^(benefits|perks|what we offer|compensation|salary|why join)\b"),
    ),
]

_PREFERRED_CUE = re.compile(
    r"\b(nice[- ]to[- ]haves?|bonus|preferred|preferably|a plus|is a plus|are a plus|"
    r"desirable|desired|ideally|good to have|advantageous|would be great|not required|"
    r"optional)\b",
    re.IGNORECASE,
)
_REQUIRED_CUE = re.compile(
    r"\b(must[- ]haves?|must|required|requirements?|mandatory|essential|you have|"
    r"you will need|you('ll)? need|we need|need to have|minimum|at least|qualifications|"
    r"you know|proficien(t|cy) (in|with)|ideal candidate|"
    r"you should have|you bring)\b",
    re.IGNORECASE,
)


def line_modes(job: JobPosting) -> list[tuple[Line, str]]:
    kind_of: dict[str, JobSectionKind] = {}
    for section in job.sections:
        for line in section.lines:
            kind_of[line.id] = section.kind
    out: list[tuple[Line, str]] = []
    detected: str | None = None
    previous_kind: JobSectionKind | None = None
    for line in job.lines:
        text = line.text.strip()
        if not text:
            continue
        kind = kind_of.get(line.id)
        if kind is not previous_kind:
            detected = None  # a new parser section resets headings found inside the last one
            previous_kind = kind
        heading = _heading_mode(text)
        if heading is not None:
            detected = heading
            continue
        parser_mode = _MODE_OF_KIND.get(kind, UNKNOWN) if kind is not None else UNKNOWN
        mode = detected if detected is not None and parser_mode in (CONTEXT, UNKNOWN) else None
        out.append((line, mode or parser_mode))
    return out


def _heading_mode(text: str) -> str | None:
    words = text.split()
    if len(words) > 7 or (text.endswith(".") and len(words) > 2):
        return None
    if ":" in text and text.split(":", 1)[1].strip():
        return None  # "Must have: SQL" is content with a cue, not a heading
    normalised = text.lower().strip(" :#*-").replace("’", "'")
    for mode, pattern in _HEADINGS:
        if pattern.match(normalised) and len(normalised) <= 60:
            return mode
    return None


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of sentences, splitting on . ; ! ? outside parentheses."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ".;!?" and depth == 0:
            nxt = text[i + 1 : i + 2]
            prev_word = text[max(0, i - 4) : i].lower()
            if (nxt == "" or nxt.isspace()) and not prev_word.endswith(("e.g", "i.e", "etc")):
                spans.append((start, i + 1))
                start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level comma clauses of a sentence (commas inside parentheses do not split)."""
    spans: list[tuple[int, int]] = []
    depth, begin = 0, start
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, end))
    return spans


def cue(text: str) -> str | None:
    if _PREFERRED_CUE.search(text):
        return PREFERRED
    if _REQUIRED_CUE.search(text):
        return REQUIRED
    return None


def paren_text(text: str, pos: int) -> str:
    """The innermost parenthesis around `pos` ("" outside any)."""
    open_at = text.rfind("(", 0, pos)
    if open_at < 0 or text.rfind(")", 0, pos) > open_at:
        return ""
    close = text.find(")", pos)
    return text[open_at + 1 : close if close >= 0 else len(text)]


def depth_at(text: str, pos: int) -> int:
    depth = 0
    for ch in text[:pos]:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
    return depth
