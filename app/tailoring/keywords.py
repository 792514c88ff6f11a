"""The posting's exact terms in bullets (AGGRESSIVE_KEYWORDS).

Where a bullet names a skill the posting asks for under another name ("k8s", "Postgres",
"CI pipelines"), the bullet is written with the posting's term instead ("Kubernetes",
"PostgreSQL", "CI/CD pipelines") — the same thing, in the words a screener searches for.
The sentence is otherwise untouched, so it still reads as the person wrote it: no
parentheses in bullets (the skills section carries the one "Kubernetes (k8s)" note), no
stacking, and no change inside compounds ("Kafka-based" stays as written).
"""

from __future__ import annotations

from app.tailoring.layout import SectionLayout
from app.tailoring.matcher import get_matcher
from app.tailoring.posting_terms import contains_term
from app.tailoring.relevance import Context
from app.tailoring.skills_curation import (
    abbreviates,
    in_sentence,
    listable,
    posting_display,
    renamable,
    same_words,
    wanted_skills,
)
from app.tailoring.text import norm_key
from app.tailoring.types import LineRole, TailoredLine

_JOINERS = "-/"


def use_posting_terms(text: str, displays: dict[str, str]) -> str:
    matches = [m for m in get_matcher().find(text) if m.skill in displays and m.alias and m.surface]
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        term = displays[m.skill]
        before = text[m.start - 1] if m.start > 0 else " "
        after = text[m.end] if m.end < len(text) else " "
        if before in _JOINERS or after in _JOINERS or "(" in (before, after):
            continue
        if contains_term(text, term) or norm_key(m.surface) == norm_key(term):
            continue
        if m.surface.casefold().startswith(term.casefold()):
            continue  # "Dockerfiles" already says Docker, and says more
        start, end = m.start, m.end
        if _head_abbreviates(m.surface, term):
            end = start + len(m.surface.split()[0])  # "KB articles" -> "knowledge base articles"
        elif not _worth_renaming(m.surface, term) or not same_name(m.surface, term):
            continue  # "read ladder logic" is not "read programmable logic controllers"
        elif _counted(text, start) and _plural(m.surface) and not term.endswith("s"):
            continue  # "Ran 40 A/B tests" never becomes "Ran 40 A/B testing"
        if _conjunction_in_list(text, start, end, term):
            continue  # "prophys, SRP and perio maintenance" keeps its SRP
        # Mid-sentence the posting's capitalised bullet start reads in lower case.
        term = in_sentence(term) if start else term[:1].upper() + term[1:]
        text = f"{text[:start]}{term}{text[end:]}"
    return text


_CONJUNCTIONS = frozenset({"and", "or", "&", "nor"})


def _conjunction_in_list(text: str, start: int, end: int, term: str) -> bool:
    """Whether a term joined by "and"/"or" ("scaling and root planing") would land as an
    item of a list: next to a comma or another conjunction, where the reader can no longer
    tell the items apart ("prophys, scaling and root planing and perio maintenance")."""
    if not _CONJUNCTIONS & set(term.casefold().split()):
        return False
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    previous = before.rsplit(None, 1)[-1].casefold() if before else ""
    following = after.split(None, 1)[0].casefold() if after else ""
    return (
        before.endswith((",", ";"))
        or after.startswith((",", ";"))
        or previous in _CONJUNCTIONS
        or following in _CONJUNCTIONS
    )


def same_name(surface: str, term: str) -> bool:
    """Whether the bullet's words and the posting's term name the same thing, not merely
    related things the taxonomy files together: a short form ("k8s", "Postgres", "PLCs",
    "NEC code" for "National Electrical Code") or the same practice in other inflections
    ("usability tests"). "ladder logic" and "motor starters" are parts of what the term
    names, and writing the term in their place would change what the sentence says."""
    if abbreviates(surface, term):
        return True
    written, wanted = norm_key(surface), norm_key(term)
    if written and wanted and (written[-1] == wanted[-1] or same_words(surface, term)):
        return True  # the same head noun ("CI pipelines"), or inflection ("A/B tests")
    if len(surface.split()) != 1:
        return False
    # One name for another: "Postgres" -> "PostgreSQL", "AdWords" -> "Google Ads".
    return len(term.split()) == 1 or all(w[:1].isupper() for w in term.split())


def _head_abbreviates(surface: str, term: str) -> bool:
    """ "KB articles", "ER complaints": an abbreviation of the term followed by a noun of
    its own, which stays ("knowledge base articles"); "NEC code" ends as the term does and
    is renamed whole."""
    words = surface.split()
    if len(words) < 2 or norm_key(words[-1])[-1:] == norm_key(term)[-1:]:
        return False
    return abbreviates(words[0], term)


def _worth_renaming(surface: str, term: str) -> bool:
    """A name, an abbreviation or a multi-word practice; never one ordinary word
    ("hospital", "budget") that a posting term would only make read worse."""
    if _ordinary_word(surface):
        return False
    if renamable(term) or abbreviates(surface, term):
        return True
    return len(surface.split()) > 1 and len(term.split()) > 1 and same_words(surface, term)


def _plural(surface: str) -> bool:
    """ "A/B tests", "usability tests": a counted plural ("Postgres" is a name)."""
    last = surface.split()[-1] if surface.split() else ""
    return last.islower() and last.endswith("s") and not last.endswith("ss")


def _ordinary_word(surface: str) -> bool:
    """One lower-case word ("hospital", "budget"): a common word, not a name. A phrase
    ("differentiated lessons", "usability tests") names a practice and may be renamed."""
    return surface.replace(" ", "").isalpha() and surface.islower() and " " not in surface


def _counted(text: str, start: int) -> bool:
    """Whether a number comes right before `start` ("40+ A/B tests", "14 usability tests")."""
    before = text[:start].rstrip().rsplit(None, 1)
    return bool(before) and any(ch.isdigit() for ch in before[-1])


def apply_posting_terms(layouts: list[SectionLayout], ctx: Context) -> None:
    tokens = frozenset(t for d in ctx.lines for t in norm_key(d.text))
    displays = {
        skill: display
        for skill in wanted_skills(ctx)
        if listable(skill, ctx)
        for display in [posting_display(skill, ctx, tokens)]
        if display is not None
    }
    if not displays:
        return
    for layout in layouts:
        for block in layout.blocks:
            for i, line in enumerate(block.lines):
                if line.role is not LineRole.BULLET:
                    continue
                new = use_posting_terms(line.text, displays)
                if new != line.text:
                    block.lines[i] = TailoredLine(new, list(line.source_line_ids), line.role)
