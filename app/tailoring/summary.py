"""The targeted summary, written from facts (every strategy).

One or two sentences a recruiter reads first:

    Senior Data Analyst with 8 years of experience, including SQL, Tableau, Python and
    statistics.
    At Harbor & Pine Outfitters, designed A/B tests for the checkout flow that lifted
    conversion by 4.2%.

* the role title: the longest tail of the posting's title that one of the person's own
  titles contains ("Growth Marketing Manager" -> their "Marketing Manager"), written as
  they wrote it; otherwise their most recent title;
* years of experience, from the dates of their roles;
* the 3-4 strongest requirements the resume evidences, in the posting's wording;
* one quantified achievement, credited to the employer whose bullet it is.

The summary it replaces is returned as left out, so the diff shows it.
"""

from __future__ import annotations

import math
import re

from app.documents.models import SectionKind
from app.tailoring.claim_context import names_a_group
from app.tailoring.entries import EntryFacts, entry_facts
from app.tailoring.layout import Block, SectionLayout
from app.tailoring.matcher import get_matcher
from app.tailoring.posting_terms import contains_term, evidenced_requirements
from app.tailoring.relevance import HAS_NUMBER, Context, relevance, styled
from app.tailoring.skills_curation import in_sentence, posting_display
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.text import join_words, norm_key, words
from app.tailoring.types import LineRole, TailoredLine

MAX_TERMS = 4
RECENT_ENTRIES = 2
RELEVANT_SHARE = 0.75
_STATES_YEARS = re.compile(r"\b\d+\+?\s*(?:years|yrs)\b", re.IGNORECASE)
# A slash between single letters is an abbreviation ("A/P Specialist"), not two titles.
_TITLE_CUT = re.compile(r"\s*(?:,|\s-\s|\s–\s|\s—\s|\(|\||(?<!\b[A-Za-z])/|/(?![A-Za-z]\b))\s*")
PAST_IRREGULAR = words(
    """
    built led ran wrote taught sold kept gave grew drove made won took set cut oversaw
    brought began found held rebuilt spent shipped
    """
)


def is_past_verb(word: str) -> bool:
    lower = word.lower()
    return (lower.endswith("ed") and len(lower) > 3) or lower in PAST_IRREGULAR


def _own_title(fact: EntryFacts) -> str | None:
    if not fact.title:
        return None
    return _TITLE_CUT.split(fact.title.strip())[0].strip() or None


def role_title(ctx: Context, facts: list[EntryFacts]) -> tuple[str, str | None] | None:
    """(title, header line id) the person can stand behind, as close to the posting's."""
    titles = [(t, f) for f in facts for t in [_own_title(f)] if t]
    if not titles:
        return None
    posting = _TITLE_CUT.split((ctx.job.title or "").strip())[0].split()
    for start in range(len(posting) - 1):
        phrase = " ".join(posting[start:])
        for title, fact in titles:
            if contains_term(title, phrase):
                stated = _stated_fuller(ctx, posting[:start], phrase)
                return stated or title, _header_id(ctx, fact)
    named = _title_named_as_posting(posting, titles)
    if named is not None:
        return named[0], _header_id(ctx, named[1])
    title, fact = titles[0]
    return title, _header_id(ctx, fact)


def _stated_fuller(ctx: Context, before: list[str], phrase: str) -> str | None:
    """A fuller form of the posting's role name that the person already writes in their
    summary or headline ("Registered Dental Hygienist" over the job title "Dental
    Hygienist"), in their own casing: kept, not narrowed to the job title."""
    own = [d.text for d in ctx.lines if d.section in (SectionKind.SUMMARY, SectionKind.CONTACT)]
    for start in range(len(before)):
        fuller = " ".join([*before[start:], phrase])
        for text in own:
            found = re.search(rf"(?<!\w){re.escape(fuller)}(?!\w)", text, re.IGNORECASE)
            if found:
                return found.group(0)
    return None


def _title_named_as_posting(
    posting: list[str], titles: list[tuple[str, EntryFacts]]
) -> tuple[str, EntryFacts] | None:
    """The posting's role name when it is a taxonomy role the person's own title states
    under another name ("Staff RN" for "Registered Nurse")."""
    matcher = get_matcher()
    for start in range(len(posting) - 1):
        phrase = " ".join(posting[start:])
        named = [s for s in matcher.skills_in(phrase) if norm_key(s) == norm_key(phrase)]
        for title, fact in titles:
            if named and named[0] in matcher.skills_in(title):
                return (named[0] if phrase.isupper() else phrase), fact
    return None


def _header_id(ctx: Context, fact: EntryFacts) -> str | None:
    entry = ctx.resume.experience[fact.index]
    return entry.header_line_ids[0] if entry.header_line_ids else None


def years_to_state(relevant: float, total: float) -> int:
    """The years a summary or letter states: the relevant years when they are most of the
    history, else the whole history (both true as "years of experience"; a short relevant
    count would undersell a long career in a neighbouring role)."""
    years = relevant if relevant >= RELEVANT_SHARE * total else total
    return math.floor(years + 0.05)


def _years(ctx: Context) -> int:
    return years_to_state(ctx.report.years_relevant, ctx.report.years_total)


def _credential(skill: str) -> bool:
    entry = load_taxonomy().skills.get(skill)
    return entry is not None and (entry.is_certification or entry.family == "licenses and roles")


def strongest_terms(ctx: Context, title: str) -> list[tuple[str, list[str]]]:
    """(posting wording, evidence line ids) of the strongest evidenced requirements."""
    tokens = frozenset(t for d in ctx.lines for t in norm_key(d.text))
    title_key = set(norm_key(title))
    evidenced = evidenced_requirements(ctx.job, ctx.report, ctx.terms)
    evidenced.sort(key=lambda e: not e.required)
    out: list[tuple[str, list[str]]] = []
    for item in evidenced:
        if item.skill in ctx.job.field_skills or _credential(item.skill):
            # The field ("backend") reads as a tool in a list of them, and one does not
            # have "experience in" a licence or certificate (it has its own section).
            continue
        display = posting_display(item.skill, ctx, tokens)
        if display is None or set(norm_key(display)) <= title_key:
            continue
        if any(norm_key(display) == norm_key(d) for d, _ in out):
            continue
        skill = ctx.analysis.skill(item.skill)
        ids = [e.line_id for e in skill.evidence[:1]] if skill else []
        out.append((in_sentence(display, ctx.resume.text), ids))
        if len(out) == MAX_TERMS:
            break
    return out


def achievement(ctx: Context, facts: list[EntryFacts]) -> tuple[str, list[str]] | None:
    """The strongest quantified past-tense bullet, as a sentence crediting its employer."""
    bullets = [
        d
        for d in ctx.lines
        if d.role is LineRole.BULLET and d.entry is not None and HAS_NUMBER.search(d.text)
    ]
    bullets = [d for d in bullets if is_past_verb(d.text.split()[0])]
    if not bullets:
        return None
    recent = [d for d in bullets if d.entry is not None and d.entry < RECENT_ENTRIES]
    bullets = recent or bullets  # a recent achievement speaks for the person today
    best = max(bullets, key=lambda d: (relevance(d.text, ctx), -ctx.lines.index(d)))
    text = best.text.strip().rstrip(".;")
    employer = facts[best.entry].employer if best.entry is not None else None
    entry = ctx.resume.experience[best.entry] if best.entry is not None else None
    ids = [best.id] + (entry.header_line_ids[:1] if entry else [])
    if employer is None:
        return f"{text}.", ids
    first = text[:1].lower() + text[1:] if text[1:2].islower() else text
    return f"At {employer}, {first}.", ids  # "Alpine Outdoor Co., reduced ..."


def summary_line(ctx: Context) -> TailoredLine | None:
    facts = entry_facts(ctx.resume)
    title = role_title(ctx, facts)
    if title is None:
        return None
    name, header_id = title
    ids = [header_id] if header_id else []
    terms = strongest_terms(ctx, name)
    years = _years(ctx)
    head = f"{name} with {years} years of experience" if years >= 1 else name
    if terms:
        # "including": the years are the career's, not a claim of years in each skill.
        head += (", including " if years >= 1 else " experienced in ") + join_words(
            [t for t, _ in terms]
        )
        ids += [i for _, t_ids in terms for i in t_ids]
    sentences = [head + "."]
    framing = _own_framing(ctx, " ".join(sentences))
    if framing is not None:
        # The person's own line leads (it names their role in their words); the facts
        # follow without repeating the title.
        rest = head[len(name) :].strip()
        rest = rest.removeprefix("with ").removeprefix("experienced ").removeprefix("in ")
        if _STATES_YEARS.search(framing.text) and terms:
            rest = "skilled in " + join_words([t for t, _ in terms])  # years said already
        sentences = [framing.text.strip().rstrip(".") + "."]
        if rest:
            sentences.append(rest[:1].upper() + rest[1:] + ".")
        ids += framing.source_line_ids
    told = achievement(ctx, facts)
    if told is not None:
        sentences.append(told[0])
        ids += told[1]
    return TailoredLine(" ".join(sentences), list(dict.fromkeys(ids)), LineRole.TEXT)


def _own_framing(ctx: Context, written: str) -> TailoredLine | None:
    """The person's own first summary line, kept when it is the only place that shows a
    requirement the posting asks for ("acute care", "B2B SaaS"): replacing it must not
    lose evidence."""
    own = [d for d in ctx.lines if d.section is SectionKind.SUMMARY and d.text.strip()]
    if not own:
        return None
    first = own[0]
    elsewhere = [d.id for d in ctx.lines if d.section is not SectionKind.SUMMARY]
    matcher = get_matcher()
    new_skills = _claimed(written)
    rest = " ".join(d.text for d in ctx.lines if d.section is not SectionKind.SUMMARY)
    everything_else = f"{rest} {written}"
    said_elsewhere = new_skills | {
        skill.skill
        for skill in ctx.analysis.skills
        if skill.mentioned and any(e.section != SectionKind.SUMMARY.value for e in skill.evidence)
    }
    own_skills = set(matcher.skills_in(first.text)) - said_elsewhere
    for keyword in ctx.job.keywords:  # what an ATS scans for, said only here
        options = {keyword, *ctx.job.keyword_alternatives.get(keyword, ())}
        only_here = contains_term(first.text, keyword) and not contains_term(
            everything_else, keyword
        )
        if only_here or options & own_skills:
            return TailoredLine(first.text, [first.id], LineRole.TEXT)
    for item in evidenced_requirements(ctx.job, ctx.report, ctx.terms):
        # The posting's own words, said only here ("construction project manager" for
        # "construction projects"): replacing the line would lose them.
        if contains_term(first.text, item.term) and not contains_term(everything_else, item.term):
            return TailoredLine(first.text, [first.id], LineRole.TEXT)
    for result in ctx.report.requirements:
        proof = {e.line_id for e in result.evidence}
        if first.id not in proof or result.matched_skill in new_skills:
            continue
        if not proof & set(elsewhere):
            return TailoredLine(first.text, [first.id], LineRole.TEXT)
    return None


def _claimed(text: str) -> set[str]:
    """Skills `text` shows as the analysis reads them: "Customer Support Team Lead" names a
    team, not customer support, so a summary opening with that title does not say it."""
    return {m.skill for m in get_matcher().find(text) if not names_a_group(text, m.end)}


def write_summary(layouts: list[SectionLayout], ctx: Context) -> list[TailoredLine]:
    """Put the targeted summary first in place; returns the summary lines it replaced."""
    line = summary_line(ctx)
    if line is None:
        return []
    summary = next((s for s in layouts if s.kind is SectionKind.SUMMARY), None)
    if summary is None:
        summary = SectionLayout(SectionKind.SUMMARY, styled("Summary", layouts), None, [], -1)
        contact_count = sum(1 for s in layouts if s.kind is SectionKind.CONTACT)
        layouts.insert(contact_count, summary)
    cited = set(line.source_line_ids)
    replaced = [ln for ln in summary.lines() if not cited & set(ln.source_line_ids)]
    summary.blocks = [Block([line])]
    return replaced
