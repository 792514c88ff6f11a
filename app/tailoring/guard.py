"""Truth guard: tailored output may reorder and reword, never invent.

`guard(original, tailored)` works on any engine's TailoredResume (this engine's or an
LLM's). Each output line names the original lines it came from (`source_line_ids`), and is
checked against them and against the whole original:

* numbers (metrics, %, $, counts) must appear in the line's own sources;
* dates (years, month + year) must appear somewhere in the original;
* skills and certifications must be ones the original names (or, for soft skills,
  demonstrates);
* employers, schools, degrees, job titles and other proper names must appear in the
  original; e-mail addresses and links too;
* entry headers, dates, education, certification and contact lines must not gain words;
* a bullet stays under the job it came from (moved back, or dropped, if placed elsewhere).

A line that is verbatim some original line is always accepted (its ids are corrected).

A failing line is repaired rather than kept: a skills list loses only the offending items,
a line with one source is reverted to the source text, a line built from several sources
(a summary) loses the offending sentences, and a failing line with no valid source is
dropped.
Every repair is recorded as a GuardWarning (code, section, offending text).

`guard_text(original, text, allowed=...)` applies the same checks to free text such as a
cover letter, dropping sentences that make unsupported claims; `allowed` adds facts that
are legitimately new there (the employer and title being applied to).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.layout import original_as_tailored
from app.tailoring.matcher import get_matcher
from app.tailoring.memo import BoundedCache
from app.tailoring.resume_analysis import collect_skills, document_lines
from app.tailoring.taxonomy import SOFT, load_taxonomy
from app.tailoring.text import Token, collapse_ws, fold, norm_key, tokenize, words
from app.tailoring.types import (
    GuardResult,
    GuardWarning,
    LineRole,
    TailoredLine,
    TailoredResume,
    TailoredSection,
    TextGuardResult,
)

NEW_SKILL = "NEW_SKILL"
NEW_CERTIFICATION = "NEW_CERTIFICATION"
NEW_NUMBER = "NEW_NUMBER"
NEW_DATE = "NEW_DATE"
NEW_EMPLOYER = "NEW_EMPLOYER"
NEW_SCHOOL = "NEW_SCHOOL"
NEW_DEGREE = "NEW_DEGREE"
NEW_TITLE = "NEW_TITLE"
NEW_ENTITY = "NEW_ENTITY"
NEW_CONTACT = "NEW_CONTACT"
CHANGED_FACT_LINE = "CHANGED_FACT_LINE"
UNKNOWN_SOURCE = "UNKNOWN_SOURCE"
MISATTRIBUTED = "MISATTRIBUTED_BULLET"
ALL_CONTENT_REJECTED = "ALL_CONTENT_REJECTED"

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL_RE = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|design|co|ai|me|"
    r"app|edu|gov|uk|de|ca)(?:/\S*)?",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(
    r"(?<![\w.])([$€£]?)(\d[\d,]*(?:\.\d+)?)(\s?(?:%|percent\b|k\b|m\b|mm\b|bn\b|b\b|x\b))?",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_YEAR_RE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+((?:19|20)\d\d)\b"
    r"|\b(0?[1-9]|1[0-2])/((?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_DEGREE_RE = re.compile(
    r"(?<![\w.])(?:B\.\s?S\.?|B\.\s?A\.?|M\.\s?S\.?|M\.\s?A\.?|Ph\.\s?D\.?|M\.\s?D\.?|J\.\s?D\.?"
    r"|Ed\.\s?D\.?|BSc|MSc|BEng|MEng|MBA|PhD|BSN|MSN|DNP|EdD|MPH|MFA|BFA|LLB|LLM|MPA"
    r"|Bachelor(?:'s)?(?:\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)?"
    r"|Master(?:'s)?(?:\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)?"
    r"|Doctor(?:ate)?(?:\s+of\s+[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+)*)?"
    r"|Associate(?:'s)?\s+degree)(?![\w])"
)
_ROLE_NOUNS = words(
    """
    engineer developer manager director designer nurse analyst scientist lead architect
    consultant specialist coordinator officer teacher accountant president vp head
    intern administrator technician representative executive supervisor instructor
    professor lecturer researcher strategist producer editor writer recruiter advisor
    adviser planner controller auditor bookkeeper therapist physician pharmacist
    paramedic chef cto ceo cfo coo founder cofounder co-founder partner principal fellow
    programmer
    """
)
_ORG_SUFFIXES = words(
    """
    inc llc ltd corp corporation co company group labs lab technologies technology
    systems solutions partners bank hospital health healthcare clinic studio studios
    media software analytics payments holdings industries consulting capital ventures
    logistics foundation agency associates enterprises international networks games
    pharmaceuticals motors airlines foods brands freight
    """
)
_SCHOOL_WORDS = words(
    """
    university college institute school academy polytechnic conservatory seminary
    """
)
_EMPLOYER_CUES = words("at for joined from")
_STRICT_ROLES = frozenset({LineRole.NAME, LineRole.CONTACT, LineRole.HEADER, LineRole.META})
_STRICT_SECTIONS = frozenset(
    {SectionKind.CONTACT, SectionKind.EDUCATION, SectionKind.CERTIFICATIONS}
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=\S)")
_INITIAL_BEFORE = set('.!?:;("“—–-•|*#>')


@functools.cache
def vocabulary() -> frozenset[str]:
    raw = resources.files("app.tailoring.data").joinpath("vocabulary.txt").read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        if not line.startswith("#"):
            words.update(fold(w) for w in line.split())
    return frozenset(words)


# -- facts of the original -----------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    text: str  # folded, whitespace-collapsed original (+ allowed) text
    tokens: frozenset[str]
    skills: frozenset[str]
    numbers: frozenset[float]  # every number in the original (+ allowed)
    line_numbers: dict[str, frozenset[float]]
    years: frozenset[int]
    month_years: frozenset[tuple[int, int]]
    degrees: frozenset[str]
    contacts: frozenset[str]  # e-mails and links
    line_text: dict[str, str]
    line_tokens: dict[str, frozenset[str]]
    entities: tuple[str, ...]  # employers, schools, the person's name (masked before matching)
    headings: frozenset[str]
    line_of_text: dict[str, str]  # collapsed text -> line id, to recognise verbatim lines
    entry_of: dict[str, int]  # line id -> index into ResumeDocument.experience


@dataclass(frozen=True)
class _Violation:
    code: str
    text: str
    start: int
    end: int


def _number_values(text: str) -> list[tuple[float, str, int, int, bool]]:
    """(value, raw, start, end, is_year) for each number; "12k" is 12000, "$1.2M" 1.2e6."""
    out = []
    for m in _NUMBER_RE.finditer(text):
        digits = m.group(2).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        unit = (m.group(3) or "").strip().lower()
        scale = {"k": 1e3, "m": 1e6, "mm": 1e6, "bn": 1e9, "b": 1e9}.get(unit, 1.0)
        is_year = (
            not unit
            and not m.group(1)
            and "," not in m.group(2)
            and "." not in digits
            and 1950 <= value <= 2039
        )
        out.append((round(value * scale, 6), m.group(0), m.start(), m.end(), is_year))
    for m in _NUMBER_WORD_RE.finditer(text):
        out.append(
            (float(_NUMBER_WORDS[m.group(1).lower()]), m.group(0), m.start(), m.end(), False)
        )
    return out


def _month_years(text: str) -> list[tuple[int, int, int, int]]:
    out = []
    for m in _MONTH_YEAR_RE.finditer(text):
        if m.group(1):
            out.append((int(m.group(2)), _MONTHS[m.group(1).lower()[:3]], m.start(), m.end()))
        else:
            out.append((int(m.group(4)), int(m.group(3)), m.start(), m.end()))
    return out


def _degree_key(raw: str) -> str:
    return re.sub(r"[\s.']", "", raw).casefold()


_FACTS: BoundedCache[Facts] = BoundedCache()


def clear_facts_cache() -> None:
    _FACTS.clear()


def build_facts(original: ResumeDocument, allowed: Iterable[str] = ()) -> Facts:
    """Everything the original states, for checking; cached per document content.

    `allowed` texts (the job title and company for a letter) add names, numbers and dates
    that may be mentioned, but never skills.
    """
    base = _FACTS.get_or_create(repr(original), lambda: _build_facts(original))
    extra = [a for a in allowed if a]
    return _extend(base, extra) if extra else base


@dataclass
class _TextFacts:
    numbers: set[float]
    years: set[int]
    month_years: set[tuple[int, int]]
    degrees: set[str]
    contacts: set[str]
    tokens: set[str]


def _text_facts(texts: list[str]) -> _TextFacts:
    found = _TextFacts(set(), set(), set(), set(), set(), set())
    for text in texts:
        for value, _raw, _s, _e, is_year in _number_values(text):
            found.numbers.add(value)
            if is_year:
                found.years.add(int(value))
        found.month_years.update((y, m) for y, m, _s, _e in _month_years(text))
        found.degrees.update(_degree_key(m.group(0)) for m in _DEGREE_RE.finditer(text))
        found.contacts.update(
            fold(m.group(0)).rstrip(".,;)")
            for rx in (_EMAIL_RE, _URL_RE)
            for m in rx.finditer(text)
        )
        found.tokens.update(t.norm for t in tokenize(text))
    return found


def _build_facts(original: ResumeDocument) -> Facts:
    texts = [ln.text for ln in original.lines]
    found = _text_facts(texts)
    doc_lines = document_lines(original)
    skills = set()
    for ev in collect_skills(doc_lines):
        demonstrated = "demonstrated" in ev.implied_by and ev.category == SOFT
        if ev.mentioned or demonstrated:
            skills.add(ev.skill)
    entities = [e.employer for e in original.experience if e.employer]
    entities += [e.school for e in original.education if e.school]
    if original.contact.name:
        entities.append(original.contact.name)
    line_tokens = {ln.id: frozenset(t.norm for t in tokenize(ln.text)) for ln in original.lines}
    return Facts(
        text=fold(collapse_ws(" \n ".join(texts))),
        tokens=frozenset(found.tokens),
        skills=frozenset(skills),
        numbers=frozenset(found.numbers),
        line_numbers={
            ln.id: frozenset(v for v, *_ in _number_values(ln.text)) for ln in original.lines
        },
        years=frozenset(found.years),
        month_years=frozenset(found.month_years),
        degrees=frozenset(found.degrees),
        contacts=frozenset(found.contacts),
        line_text={ln.id: ln.text for ln in original.lines},
        line_tokens=line_tokens,
        entities=tuple(sorted(set(entities), key=len, reverse=True)),
        headings=frozenset(fold(s.heading) for s in original.sections if s.heading),
        line_of_text={collapse_ws(ln.text): ln.id for ln in reversed(original.lines)},
        entry_of={d.id: d.entry for d in doc_lines if d.entry is not None},
    )


def _extend(base: Facts, allowed: list[str]) -> Facts:
    found = _text_facts(allowed)
    return dataclasses.replace(
        base,
        text=base.text + " \n " + fold(collapse_ws(" \n ".join(allowed))),
        tokens=base.tokens | found.tokens,
        numbers=base.numbers | found.numbers,
        years=base.years | found.years,
        month_years=base.month_years | found.month_years,
        degrees=base.degrees | found.degrees,
        contacts=base.contacts | found.contacts,
    )


# -- checks --------------------------------------------------------------------------------


def _in_original(facts: Facts, phrase: str) -> bool:
    needle = fold(collapse_ws(phrase)).strip()
    if not needle:
        return True
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", facts.text) is not None


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def _is_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _INITIAL_BEFORE


def _name_like(raw: str) -> bool:
    if not raw or raw.isdigit():
        return False
    return raw[0].isupper() or any(c.isupper() for c in raw[1:])


def find_violations(
    text: str,
    facts: Facts,
    *,
    source_ids: list[str] | None,
    list_context: bool = False,
) -> list[_Violation]:
    """Unsupported claims in `text`. `source_ids=None` means free text (checked against the
    whole original); a list (possibly empty) means a resume line with those sources."""
    found: list[_Violation] = []
    contacts: list[tuple[int, int]] = []
    for rx in (_EMAIL_RE, _URL_RE):
        for m in rx.finditer(text):
            if fold(m.group(0)).rstrip(".,;)") not in facts.contacts:
                found.append(_Violation(NEW_CONTACT, m.group(0), m.start(), m.end()))
            contacts.append((m.start(), m.end()))
    # Known employers/schools are hidden from the skill and number checks ("Tallgrass
    # Analytics" is not an analytics claim) but not from the name check, so "Zorquen Corp"
    # is still a new name when the resume only knows "Zorquen" and "Acme Corp".
    entities: list[tuple[int, int]] = []
    for entity in facts.entities:
        for m in re.finditer(rf"(?<!\w){re.escape(entity)}(?!\w)", text, flags=re.IGNORECASE):
            entities.append((m.start(), m.end()))
    masked = _mask(text, contacts + entities)

    taxonomy = load_taxonomy()
    allowed_spans: list[tuple[int, int]] = []
    for match in get_matcher().find(masked, list_context=list_context):
        if match.skill in facts.skills or _in_original(facts, match.surface):
            allowed_spans.append((match.start, match.end))
            continue
        code = NEW_CERTIFICATION if taxonomy.skills[match.skill].is_certification else NEW_SKILL
        found.append(_Violation(code, match.surface, match.start, match.end))

    if source_ids is None:
        allowed_numbers = facts.numbers
    else:
        allowed_numbers = frozenset().union(
            *(facts.line_numbers.get(i, frozenset()) for i in source_ids)
        )
    for value, raw, start, end, is_year in _number_values(masked):
        if is_year:
            if int(value) not in facts.years:
                found.append(_Violation(NEW_DATE, raw, start, end))
        elif value not in allowed_numbers:
            found.append(_Violation(NEW_NUMBER, raw.strip(), start, end))
    for year, month, start, end in _month_years(masked):
        if year in facts.years and (year, month) not in facts.month_years:
            found.append(_Violation(NEW_DATE, text[start:end], start, end))
    for m in _DEGREE_RE.finditer(masked):
        if _degree_key(m.group(0)) not in facts.degrees and not _in_original(facts, m.group(0)):
            found.append(_Violation(NEW_DEGREE, m.group(0), m.start(), m.end()))
    found.extend(_proper_nouns(_mask(text, contacts), facts, allowed_spans + contacts))
    return _dedupe(found)


def _name_part(raw: str) -> bool:
    # The pronoun "I" is capitalised but never part of a name: "At Acme I led ..." names
    # Acme, not "Acme I".
    return raw != "I" and _name_like(raw)


def _proper_nouns(text: str, facts: Facts, exempt: list[tuple[int, int]]) -> list[_Violation]:
    vocab = vocabulary()
    tokens = tokenize(text)
    # Allowed skill names stay in runs (so "Blazor Corp" is still seen as one name) but are
    # never themselves the new part of a name.
    exempt_ids = {id(t) for t in tokens if any(a <= t.start < b for a, b in exempt)}
    out: list[_Violation] = []
    i = 0
    while i < len(tokens):
        if not _name_part(tokens[i].raw):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and _name_part(tokens[j + 1].raw):
            gap = text[tokens[j].end : tokens[j + 1].start]
            if gap.strip(" &") != "" or "\n" in gap:
                break
            j += 1
        run = tokens[i : j + 1]
        first = run[0]
        if (
            len(run) > 1
            and _is_initial(text, first.start)
            and (fold(first.raw) in vocab or first.norm in vocab or _looks_like_word(first.raw))
        ):
            run = run[1:]  # "Joined Globex Corp": the sentence's first word is not the name
        new = [t for t in run if id(t) not in exempt_ids and _is_new(t.norm, t.raw, facts, vocab)]
        start, end = run[0].start, run[-1].end
        phrase = text[start:end]
        i = j + 1
        if all(id(t) in exempt_ids for t in run) or _in_original(facts, phrase):
            continue
        if new:
            lone_word = len(run) == 1 and _is_initial(text, new[0].start)
            if lone_word and _looks_like_word(new[0].raw):
                continue  # "Spearheaded ..." is a verb, not a name
            out.append(_Violation(_classify(run, text, start), phrase, start, end))
        elif len(run) > 1 and fold(run[-1].raw) in _ROLE_NOUNS:
            # "Staff Engineer": ordinary words, but a job title the person never held.
            out.append(_Violation(NEW_TITLE, phrase, start, end))
        elif _entity_like(run, text, start):
            # Known words recombined into a new name: "Zorzor Corp" when the resume only
            # has "Zorzor College" and "Acme Corp".
            out.append(_Violation(_classify(run, text, start), phrase, start, end))
    return out


def _entity_like(run: list[Token], text: str, start: int) -> bool:
    words = [fold(t.raw).rstrip(".") for t in run]
    if words[-1] in _ORG_SUFFIXES and len(run) > 1:
        return True
    if any(w in _SCHOOL_WORDS for w in words):
        return True
    before = text[:start].rstrip().rsplit(None, 1)
    return bool(before) and fold(before[-1]) in _EMPLOYER_CUES


def _is_new(norm: str, raw: str, facts: Facts, vocab: frozenset[str]) -> bool:
    return norm not in facts.tokens and fold(raw) not in vocab and norm not in vocab


def _looks_like_word(raw: str) -> bool:
    # Sentence-initial verbs and adverbs ("Spearheaded", "Streamlining", "Quickly").
    lower = raw.lower()
    return raw[1:].islower() and lower.endswith(("ed", "ing", "ly", "ized", "ised"))


def _classify(run: list[Token], text: str, start: int) -> str:
    words = [fold(t.raw) for t in run]
    if any(w in _SCHOOL_WORDS for w in words):
        return NEW_SCHOOL
    if words and words[-1] in _ROLE_NOUNS:
        return NEW_TITLE
    if any(w.rstrip(".") in _ORG_SUFFIXES for w in words[1:]):
        return NEW_EMPLOYER
    before = text[:start].rstrip().rsplit(None, 1)
    if before and fold(before[-1]) in _EMPLOYER_CUES:
        return NEW_EMPLOYER
    return NEW_ENTITY


def _dedupe(found: list[_Violation]) -> list[_Violation]:
    out: list[_Violation] = []
    for v in found:
        if any(v.start < o.end and o.start < v.end for o in out):
            continue
        out.append(v)
    return sorted(out, key=lambda v: v.start)


def _strict_violations(
    line: TailoredLine, sources: list[str], facts: Facts, section: SectionKind
) -> list[_Violation]:
    """Fact lines (headers, dates, education, certifications, contact) may not gain words."""
    allowed = (
        frozenset().union(*(facts.line_tokens.get(i, frozenset()) for i in sources))
        if sources
        else frozenset()
    )
    out = []
    for t in tokenize(line.text):
        if t.norm in allowed:
            continue
        code = {
            SectionKind.EDUCATION: NEW_SCHOOL,
            SectionKind.CERTIFICATIONS: NEW_CERTIFICATION,
            SectionKind.CONTACT: NEW_CONTACT,
        }.get(section, CHANGED_FACT_LINE)
        if t.raw.isdigit():
            code = NEW_DATE if 1950 <= int(t.raw) <= 2039 else NEW_NUMBER
        elif fold(t.raw) in _ROLE_NOUNS:
            code = NEW_TITLE
        out.append(_Violation(code, t.raw, t.start, t.end))
    return out


# -- repair --------------------------------------------------------------------------------


def _split_items(text: str) -> list[tuple[int, int]]:
    """[start, end) of list items, splitting on , ; | • · outside parentheses."""
    spans, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ",;|•·" and depth == 0:
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _remove_items(text: str, violations: list[_Violation]) -> str:
    label, sep, _body = text.partition(":")
    offset = len(label) + 1 if sep and len(label) < 40 else 0
    content = text[offset:] if offset else text
    keep = []
    for a, b in _split_items(content):
        a2, b2 = a + offset, b + offset
        if not any(a2 <= v.start < b2 for v in violations):
            keep.append(content[a:b].strip())
    joiner = " | " if "|" in content and "," not in content else ", "
    kept = joiner.join(keep)
    if not kept:
        return ""
    return f"{text[:offset].strip()} {kept}".strip() if offset else kept


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_RE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _drop_sentences(text: str, violations: list[_Violation]) -> str:
    kept = [
        text[a:b].strip()
        for a, b in _sentences(text)
        if not any(a <= v.start < b for v in violations)
    ]
    return " ".join(kept)


def _warnings(
    violations: list[_Violation], section: SectionKind | str, action: str, ids: list[str]
) -> list[GuardWarning]:
    name = section.value if isinstance(section, SectionKind) else section
    details = {
        NEW_SKILL: "skill not in the original resume",
        NEW_CERTIFICATION: "certification not in the original resume",
        NEW_NUMBER: "number not in the source line(s)",
        NEW_DATE: "date not in the original resume",
        NEW_EMPLOYER: "employer not in the original resume",
        NEW_SCHOOL: "school not in the original resume",
        NEW_DEGREE: "degree not in the original resume",
        NEW_TITLE: "job title not in the original resume",
        NEW_ENTITY: "name not in the original resume",
        NEW_CONTACT: "contact detail not in the original resume",
        CHANGED_FACT_LINE: "a fact line (header, dates) was changed",
    }
    return [
        GuardWarning(
            code=v.code,
            section=name,
            text=v.text,
            detail=details.get(v.code, ""),
            action=action,
            line_ids=list(ids),
        )
        for v in violations
    ]


def _check_line(
    line: TailoredLine, section: SectionKind, facts: Facts
) -> tuple[TailoredLine | None, list[GuardWarning], str]:
    """The repaired line (None = dropped), warnings, and the action taken."""
    known = [i for i in line.source_line_ids if i in facts.line_text]
    warnings: list[GuardWarning] = []
    unknown = [i for i in line.source_line_ids if i not in facts.line_text]
    if unknown:
        warnings.append(
            GuardWarning(
                UNKNOWN_SOURCE, section.value, ", ".join(unknown),
                "source line ids not in the original", "flagged", unknown,
            )
        )  # fmt: skip
    if len(known) == 1 and collapse_ws(line.text) == collapse_ws(facts.line_text[known[0]]):
        return line, warnings, "kept"  # verbatim original line
    verbatim = facts.line_of_text.get(collapse_ws(line.text))
    if verbatim is not None:
        # An original line cited with the wrong ids is still the original line.
        return TailoredLine(line.text, [verbatim], line.role), warnings, "kept"
    strict = line.role in _STRICT_ROLES or section in _STRICT_SECTIONS
    listy = line.role is LineRole.SKILLS or section is SectionKind.SKILLS
    violations = find_violations(line.text, facts, source_ids=known, list_context=listy)
    if strict:
        violations = _dedupe(violations + _strict_violations(line, known, facts, section))
    if not violations:
        return line, warnings, "kept"
    if listy and not strict:
        text = _remove_items(line.text, violations)
        action = "removed_item" if text else "dropped"
    elif len(known) == 1:
        text, action = facts.line_text[known[0]], "reverted"
    elif not strict:
        text = _drop_sentences(line.text, violations)
        action = "removed_sentence" if text else "dropped"
        if text and find_violations(text, facts, source_ids=known, list_context=listy):
            text, action = "", "dropped"
    else:
        text, action = "", "dropped"
    warnings.extend(_warnings(violations, section, action, line.source_line_ids))
    if not text.strip():
        return None, warnings, "dropped"
    return TailoredLine(text, known, line.role), warnings, action


def _check_heading(
    section: TailoredSection, facts: Facts, original: dict[SectionKind, str]
) -> tuple[str, list[GuardWarning]]:
    heading = section.heading
    if not heading or fold(heading) in facts.headings:
        return heading, []
    vocab = vocabulary()
    bad = [t for t in tokenize(heading) if _is_new(t.norm, t.raw, facts, vocab)]
    if not bad:
        return heading, []
    replacement = original.get(section.kind) or section.kind.value.title()
    return replacement, [
        GuardWarning(NEW_ENTITY, section.kind.value, heading, "heading names something new",
                     "reverted", [section.heading_line_id] if section.heading_line_id else [])
    ]  # fmt: skip


def _reattribute(
    lines: list[TailoredLine], section: SectionKind, facts: Facts
) -> tuple[list[TailoredLine], list[GuardWarning]]:
    """A bullet must stay under the entry it came from: "built X" under another employer's
    header is a claim about a different job. Misplaced bullets move back to their entry
    (or are dropped when that entry is not in the output)."""
    blocks: list[tuple[int | None, list[TailoredLine]]] = [(None, [])]
    stray: list[TailoredLine] = []
    for line in lines:
        entries = {facts.entry_of[i] for i in line.source_line_ids if i in facts.entry_of}
        if line.role is LineRole.HEADER and entries:
            blocks.append((min(entries), [line]))
            continue
        current = blocks[-1][0]
        foreign = bool(entries) and current is not None and current not in entries
        if line.role is LineRole.BULLET and foreign:
            stray.append(line)  # it cites lines of other entries only
            continue
        blocks[-1][1].append(line)
    warnings: list[GuardWarning] = []
    for line in stray:
        entries = {facts.entry_of[i] for i in line.source_line_ids if i in facts.entry_of}
        home = next((b for b in blocks if b[0] in entries), None)
        action = "moved" if home is not None else "dropped"
        if home is not None:
            home[1].append(line)
        warnings.append(
            GuardWarning(MISATTRIBUTED, section.value, line.text,
                         "bullet placed under a different job than in the original", action,
                         list(line.source_line_ids))
        )  # fmt: skip
    return [ln for _entry, block in blocks for ln in block], warnings


def guard(original: ResumeDocument, tailored: TailoredResume) -> GuardResult:
    """Check any engine's tailored resume against the original; repair what is unsupported."""
    facts = build_facts(original)
    original_headings = {s.kind: s.heading for s in original.sections if s.heading}
    sections: list[TailoredSection] = []
    warnings: list[GuardWarning] = []
    reverted = dropped = 0
    for section in tailored.sections:
        heading, heading_warnings = _check_heading(section, facts, original_headings)
        warnings.extend(heading_warnings)
        lines: list[TailoredLine] = []
        for line in section.lines:
            if not line.text.strip():
                continue
            fixed, line_warnings, action = _check_line(line, section.kind, facts)
            warnings.extend(line_warnings)
            if action == "reverted":
                reverted += 1
            if fixed is None:
                dropped += 1
            else:
                lines.append(fixed)
        lines, moved = _reattribute(lines, section.kind, facts)
        warnings.extend(moved)
        dropped += sum(1 for w in moved if w.action == "dropped")
        if lines or section.kind is SectionKind.CONTACT:
            sections.append(TailoredSection(section.kind, heading, lines, section.heading_line_id))
    if not any(s.lines for s in sections):
        # Nothing survived (or nothing was there): fall back to the original, unchanged.
        fallback = original_as_tailored(original, tailored.strategy)
        sections = fallback.sections
        warnings.append(
            GuardWarning(ALL_CONTENT_REJECTED, "resume", "", "no supported content; "
                         "returned the original resume", "reverted", [])
        )  # fmt: skip
    result = TailoredResume(
        strategy=tailored.strategy,
        sections=sections,
        warnings=warnings,
        engine=tailored.engine,
        job_title=tailored.job_title,
        company=tailored.company,
    )
    return GuardResult(resume=result, warnings=warnings, reverted=reverted, dropped=dropped)


def guard_text(
    original: ResumeDocument,
    text: str,
    *,
    allowed: Iterable[str] = (),
    section: str = "cover_letter",
    facts: Facts | None = None,
) -> TextGuardResult:
    """Free text (a cover letter, an answer): drop sentences with unsupported claims.

    Paragraph breaks are kept. `allowed` texts (the job title, the company) may be named.
    """
    facts = facts or build_facts(original, allowed)
    out_paragraphs: list[str] = []
    warnings: list[GuardWarning] = []
    dropped = 0
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            out_paragraphs.append(paragraph)
            continue
        kept: list[str] = []
        for a, b in _sentences(paragraph):
            sentence = paragraph[a:b]
            violations = find_violations(sentence, facts, source_ids=None)
            if violations:
                dropped += 1
                warnings.extend(_warnings(violations, section, "removed_sentence", []))
            else:
                kept.append(sentence.strip())
        if kept:
            out_paragraphs.append(" ".join(kept))
    cleaned = "\n".join(out_paragraphs).strip("\n")
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return TextGuardResult(text=cleaned, warnings=warnings, dropped=dropped)


def skills_claimed(text: str) -> list[str]:
    """Canonical skills a text names (for tests and callers that audit output)."""
    return get_matcher().skills_in(text)


def norm_phrase_in(text: str, phrase: str) -> bool:
    key, hay = norm_key(phrase), tuple(t.norm for t in tokenize(text))
    return any(hay[i : i + len(key)] == key for i in range(len(hay) - len(key) + 1))
