"""Truth guard, part 2: checks. What in a piece of text the original does not support.

`find_violations` looks for new skills and certifications, numbers not in the line's own
sources, dates, degrees, contacts, and proper names (employers, schools, titles) the
original never uses; `strict_violations` holds fact lines (headers, dates, education,
contact) to the words of their sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.documents.models import SectionKind
from app.tailoring.claim_context import held, held_somewhere, names_a_group
from app.tailoring.guard_facts import (
    _ADDRESSEE_WORDS,
    _DEGREE_RE,
    _EMAIL_RE,
    _EMPLOYER_CUES,
    _INITIAL_BEFORE,
    _ORG_SUFFIXES,
    _ROLE_NOUNS,
    _SCHOOL_WORDS,
    _URL_RE,
    CHANGED_FACT_LINE,
    NEW_CERTIFICATION,
    NEW_CONTACT,
    NEW_DATE,
    NEW_DEGREE,
    NEW_EMPLOYER,
    NEW_ENTITY,
    NEW_NUMBER,
    NEW_SCHOOL,
    NEW_SKILL,
    NEW_TITLE,
    Facts,
    _degree_key,
    _month_years,
    _number_values,
    _Violation,
    vocabulary,
)
from app.tailoring.matcher import SkillMatch, get_matcher
from app.tailoring.taxonomy import CERTIFICATION, load_taxonomy
from app.tailoring.text import Token, collapse_ws, fold, norm_key, tokenize
from app.tailoring.types import TailoredLine


def _in_original(facts: Facts, phrase: str) -> bool:
    needle = fold(collapse_ws(phrase)).strip()
    if not needle:
        return True
    # Not inside a hyphenated compound: "MQL-to-SQL" does not say "SQL".
    return re.search(rf"(?<![\w-]){re.escape(needle)}(?!\w)", facts.text) is not None


def _stated_in_original(facts: Facts, match: SkillMatch) -> bool:
    """In the original as written here; a credential only where held ("a CPA firm" is not)."""
    if match.category != CERTIFICATION:
        return _in_original(facts, match.surface)
    return held_somewhere(facts.text, fold(collapse_ws(match.surface)).strip())


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
        if source_ids is None and _employer_position(masked, match.start, match.end):
            # "At Amazon Web Services, I ..." names an employer, whatever else it is.
            if not any(fold(match.surface) == fold(e) for e in facts.entities):
                found.append(_Violation(NEW_EMPLOYER, match.surface, match.start, match.end))
            continue
        if match.skill in facts.skills or _stated_in_original(facts, match):
            allowed_spans.append((match.start, match.end))
            continue
        if _not_a_claim(masked, match.start, match.end, match.category) or _shown_by_alias(
            masked, match.end, match.skill, facts
        ):
            allowed_spans.append((match.start, match.end))
            continue
        code = NEW_CERTIFICATION if taxonomy.skills[match.skill].is_certification else NEW_SKILL
        found.append(_Violation(code, match.surface, match.start, match.end))

    found.extend(_number_violations(text, masked, facts, source_ids))
    for m in _DEGREE_RE.finditer(masked):
        if _degree_key(m.group(0)) in facts.degrees or _in_original(facts, m.group(0)):
            allowed_spans.append((m.start(), m.end()))  # "BS" for "B.S." is no new name
        else:
            found.append(_Violation(NEW_DEGREE, m.group(0), m.start(), m.end()))
    found.extend(_titles(text, facts))
    found.extend(_proper_nouns(_mask(text, contacts), facts, allowed_spans + contacts))
    return _dedupe(found)


_AUDIENCE_BEFORE = re.compile(r"\b(?:to|for|with|from)\s+(?:the\s+|our\s+)?(?:\w+\s+)?$", re.I)
_EMPLOYER_BEFORE = re.compile(r"(?:^|[.!?]\s+|,\s+)(?:[Aa]t|[Jj]oined)\s+$")


def _not_a_claim(text: str, start: int, end: int, category: str) -> bool:
    """ "the analytics team", "to merchandising leadership": who, not what the person can do."""
    if names_a_group(text, end):
        return True
    if category == CERTIFICATION and not held(text, start, end):
        return True  # "at a CPA firm" names a workplace, not a credential
    return category == "soft" and bool(_AUDIENCE_BEFORE.search(text[:start]))


_ALIAS_AFTER = re.compile(r"\s*\(([^()]{1,60})\)")


def _shown_by_alias(text: str, end: int, skill: str, facts: Facts) -> bool:
    """ "Experimental design (A/B testing)": the posting's term, followed by the resume's
    own skill that the taxonomy says demonstrates it. The note carries the evidence."""
    m = _ALIAS_AFTER.match(text, end)
    if m is None:
        return False
    taxonomy = load_taxonomy()
    shown = get_matcher().skills_in(m.group(1), list_context=True)
    return any(s in facts.skills and skill in taxonomy.implied(s) for s in shown)


def _employer_position(text: str, start: int, end: int) -> bool:
    return bool(_EMPLOYER_BEFORE.search(text[:start])) and text[end : end + 1] == ","


_TITLE_RE = re.compile(
    r"(?:\b[A-Z][\w&-]*\s+){0,3}\b(?:"
    + "|".join(sorted((w.capitalize() for w in _ROLE_NOUNS), key=len, reverse=True))
    + r"|VP|CTO|CEO|CFO|COO)\b(?:\s+of\s+[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2})?"
)


def _titles(text: str, facts: Facts) -> list[_Violation]:
    """Job titles the person never held: "Director of Sales", "Analytics Manager"."""
    out = []
    for m in _TITLE_RE.finditer(text):
        phrase = m.group(0).strip()
        words = phrase.split()
        while len(words) > 1 and fold(words[0]) in _LEADING_NOT_TITLE:
            words = words[1:]
        phrase = " ".join(words)
        if len(words) < 2 or _in_original(facts, phrase) or _role_the_resume_shows(phrase, facts):
            continue
        out.append(_Violation(NEW_TITLE, phrase, m.end() - len(phrase), m.end()))
    return out


def _role_the_resume_shows(phrase: str, facts: Facts) -> bool:
    """ "Registered Nurse" when the resume writes "RN": the taxonomy's name of a role or
    licence the resume holds under an abbreviation is no new title."""
    key = norm_key(phrase)
    return any(s in facts.skills and norm_key(s) == key for s in get_matcher().skills_in(phrase))


# Capitalised words before a title that are not part of it ("As Senior Engineer").
_LEADING_NOT_TITLE = frozenset(
    [
        "as",
        "at",
        "i",
        "a",
        "an",
        "the",
        "my",
        "our",
        "dear",
        "promoted",
        "served",
        "became",
        "named",
        "hired",
        "joined",
    ]
)


def _number_violations(
    text: str, masked: str, facts: Facts, source_ids: list[str] | None
) -> list[_Violation]:
    """Numbers not in the line's own sources (any line of the original for free text),
    years and month-years not in the original."""
    if source_ids is None:
        allowed_numbers = facts.numbers
    else:
        allowed_numbers = frozenset().union(
            *(facts.line_numbers.get(i, frozenset()) for i in source_ids)
        )
    found: list[_Violation] = []
    for value, raw, start, end, is_year in _number_values(masked):
        if is_year:
            if int(value) not in facts.years:
                found.append(_Violation(NEW_DATE, raw, start, end))
        elif value not in allowed_numbers and not _supported_years(masked, end, value, facts):
            found.append(_Violation(NEW_NUMBER, raw.strip(), start, end))
    for year, month, start, end in _month_years(masked):
        if year in facts.years and (year, month) not in facts.month_years:
            found.append(_Violation(NEW_DATE, text[start:end], start, end))
    return found


_YEARS_AFTER = re.compile(r"\+?\s*(?:years?|yrs)\b", re.IGNORECASE)


def _supported_years(text: str, end: int, value: float, facts: Facts) -> bool:
    """ "8 years of experience": a count of years the resume's own dates add up to."""
    return bool(_YEARS_AFTER.match(text, end)) and 1 <= value <= facts.max_years + 0.5


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
            # "Front-End Developer" is one name: a bare hyphen joins, a spaced dash parts.
            if (gap.strip(" &") != "" and gap != "-") or "\n" in gap:
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
        while len(run) > 1 and fold(run[-1].raw) in _ADDRESSEE_WORDS:
            run = run[:-1]  # "Dear Maplewood School District Hiring Team": who reads it
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


def bullet_year_violations(text: str, sources: list[str], facts: Facts) -> list[_Violation]:
    """A year in a bullet must be one of its own lines or of its job's dates: "in 2021"
    for a result the resume dates 2023 is a changed fact even if 2021 is elsewhere."""
    entries = {facts.entry_of[i] for i in sources if i in facts.entry_of}
    ids = set(sources) | {i for i, e in facts.entry_of.items() if e in entries}
    allowed = set().union(*(facts.line_numbers.get(i, frozenset()) for i in ids))
    return [
        _Violation(NEW_DATE, raw, start, end)
        for value, raw, start, end, is_year in _number_values(text)
        if is_year and value not in allowed
    ]


_FUNCTION_WORDS = frozenset({"in", "of", "the", "and", "a", "an", "with", "at", "from"})


def _strict_violations(
    line: TailoredLine, sources: list[str], facts: Facts, section: SectionKind
) -> list[_Violation]:
    """Fact lines (headers, dates, education, certifications, contact) may not gain words."""
    allowed = (
        frozenset().union(*(facts.line_tokens.get(i, frozenset()) for i in sources))
        if sources
        else frozenset()
    )
    degrees = [
        (m.start(), m.end())
        for m in _DEGREE_RE.finditer(line.text)
        if _degree_key(m.group(0)) in facts.degrees
    ]
    out = []
    for t in tokenize(line.text):
        if t.norm in allowed or t.norm in _FUNCTION_WORDS:
            continue
        if any(a <= t.start < b for a, b in degrees):
            continue  # "BS" for "B.S.", "Bachelor of Science" for "B.S."
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
