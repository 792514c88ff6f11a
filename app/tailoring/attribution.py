"""Attribution: an achievement told in free text must be credited to the job it came from.

"At Lumen Freight, I cut query latency by 60%" is only true if the bullet that says so sits
under Lumen Freight in the resume. `attribution_errors` finds the sentences of a letter (or
any free text) that name one employer while retelling a bullet of another. A sentence is
matched to the resume bullet that shares most of its content words (at least half of the
bullet's); a sentence that names no employer, or retells nothing, is not an attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.documents.models import ResumeDocument
from app.tailoring.entries import entry_facts
from app.tailoring.text import STOPWORDS, fold, tokenize

MIN_SHARED = 0.5
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=\S)")


@dataclass(frozen=True)
class AttributionError:
    sentence: str
    named: str  # the employer the sentence credits
    actual: str  # the employer whose bullet it retells


def _content(text: str) -> set[str]:
    return {t.norm for t in tokenize(text) if t.norm not in STOPWORDS and len(t.norm) > 1}


def employer_names(resume: ResumeDocument) -> dict[int, str]:
    """Entry index -> employer name (entries whose employer cannot be read are left out)."""
    return {f.index: f.employer for f in entry_facts(resume) if f.employer}


def _named_entries(sentence: str, names: dict[int, str]) -> set[int]:
    folded = fold(sentence)
    return {
        i
        for i, name in names.items()
        if re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", folded)
    }


def _bullet_words(resume: ResumeDocument, names: dict[int, str]) -> list[tuple[int, set[str]]]:
    out = []
    for index, entry in enumerate(resume.experience):
        for bullet in entry.bullets:
            words = _content(bullet.text) - _content(names.get(index, ""))
            if words:
                out.append((index, words))
    return out


def _retold_entry(
    sentence: str, bullets: list[tuple[int, set[str]]], names: dict[int, str]
) -> int | None:
    words = _content(sentence)
    for name in names.values():
        words -= _content(name)
    best: tuple[float, int | None] = (0.0, None)
    for index, bullet_words in bullets:
        shared = len(words & bullet_words) / len(bullet_words)
        if shared > best[0]:
            best = (shared, index)
    return best[1] if best[0] >= MIN_SHARED else None


def attribution_errors(
    resume: ResumeDocument, text: str, names: dict[int, str] | None = None
) -> list[AttributionError]:
    """Sentences of `text` crediting a bullet to the wrong employer. `names` (from
    `employer_names`) saves re-reading the entries when checking many texts."""
    names = employer_names(resume) if names is None else names
    if not names:
        return []
    bullets: list[tuple[int, set[str]]] | None = None
    out: list[AttributionError] = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE.split(paragraph):
            named = _named_entries(sentence, names)
            if not named:
                continue
            bullets = _bullet_words(resume, names) if bullets is None else bullets
            retold = _retold_entry(sentence, bullets, names)
            if retold is None or retold in named:
                continue
            # Two entries at one employer (a promotion) share the name: still right.
            if any(names.get(retold) == names[i] for i in named):
                continue
            credited = names[min(named)]
            out.append(AttributionError(sentence.strip(), credited, names.get(retold, "")))
    return out
