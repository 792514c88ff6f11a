"""Salient terms of a job posting: frequent, specific phrases the taxonomy does not cover.

Split out of job_analysis (which re-exports `salient_terms`) to keep modules small. A
salient term becomes one of the posting's keywords, counted by the ATS score and shown to
the person as "missing" when the resume lacks it, so only noun phrases that name
something a person can have qualify (a tool, credential, method or domain term): never a
duty's verb phrase, a qualifier, a filler noun, an audience or a place
(`app/tailoring/salient_words.py` holds the word classes).
"""

from __future__ import annotations

from app.documents.models import JobPosting
from app.tailoring.matcher import get_matcher
from app.tailoring.salient_words import (
    DUTY_OPENERS,
    EVALUATIVE,
    FILLER_NOUNS,
    GENERIC,
    HYPHEN_ADJECTIVES,
    NOUN_TOO,
    PERSON_NOUNS,
    adjective_like,
    verb_lemma,
)
from app.tailoring.text import STOPWORDS, Token, fold, is_mostly_upper, tokenize, words
from app.tailoring.titles import core_words
from app.tailoring.types import SalientTerm

# Words that are frequent in postings but never a requirement: logistics, pay, and the
# generic verbs/adjectives of job-ad prose.
_NOISE_WORDS = words(
    """
    salary equity benefits remote hybrid onsite office days week weeks month months
    hours k usd eur gbp inc llc ltd company team teams us hiring hire join apply role
    actually boring improve design partner make set measure deliver drive support create
    develop manage ensure provide maintain use leverage grow small large regional local
    global fast exciting passionate great best world class leading two three four five
    six seven eight nine ten first new key core various multiple high low fresh every
    shared product something anything everything wrong right
    """
)
# Endings of an adjective ("structural", "veterinary", "collaborative") or a participle
# ("stocked"): a word so ending does not end a term. The nouns that end so are listed.
_ADJECTIVE_SUFFIXES = ("al", "ary", "ive", "ous", "ful", "able", "ible", "ed")
_NOUNS_ENDING_SO = words(
    """
    hospital manual journal portal capital rental proposal referral approval renewal
    appraisal tutorial signal material terminal interval retrieval disposal trial animal
    metal credential potential total principal chemical professional removal arrival
    executive objective initiative representative incentive narrative archive
    salary library summary boundary dictionary secretary itinerary commentary glossary
    bed need seed speed feed shed
    """
)
_NAME_AFTER = " ,/(&"  # a capital after these is inside a sentence: a name


def salient_terms(
    weighted: list[tuple[str, float]], job: JobPosting, limit: int = 10
) -> list[SalientTerm]:
    """Frequent, specific noun phrases of the posting that the taxonomy does not cover.

    Scores n-grams (1-3 words) by section-weighted frequency, favouring longer phrases;
    grams that are not a term (see the module docstring), numbers, skill names, the
    company, the location and the job title's own words are skipped.
    """
    blocked = {t.norm for t in tokenize(f"{job.company or ''} {job.location or ''}")}
    title = set(core_words(job.title))
    scores: dict[str, float] = {}
    display: dict[str, str] = {}
    for text, weight in weighted:
        if weight > 0:
            _score_line(text, weight, blocked, title, scores, display)
    picked: list[SalientTerm] = []
    picked_keys: list[str] = []
    for key, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if score < 2.0:
            break
        padded = f" {key} "
        if any(padded in f" {p} " or f" {p} " in padded for p in picked_keys):
            continue  # part of a phrase already picked, or the other way round
        picked.append(SalientTerm(display[key], round(score, 2)))
        picked_keys.append(key)
        if len(picked) >= limit:
            break
    return picked


def _score_line(
    text: str,
    weight: float,
    blocked: set[str],
    title: set[str],
    scores: dict[str, float],
    display: dict[str, str],
) -> None:
    tokens = tokenize(text)
    covered: set[int] = set()
    for m in get_matcher().find(text):
        covered.update(i for i, t in enumerate(tokens) if m.start <= t.start < m.end)
    shouted = is_mostly_upper(text)
    for n in (1, 2, 3):
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            if any(i + k in covered for k in range(n)) or not _gram_ok(window, blocked):
                continue
            if not _whole_phrase(text, tokens, i, n) or not _is_term(text, tokens, i, n):
                continue
            key = " ".join(t.norm for t in window)
            if set(key.split()) <= title:
                continue  # the title's words are scored by the title, not as keywords
            scores[key] = scores.get(key, 0.0) + weight * (1.0 + 0.6 * (n - 1))
            names = not shouted and any(_is_name(text, t) for t in window)
            surface = text[window[0].start : window[-1].end]
            display.setdefault(key, surface if names else surface.lower())


def _gram_ok(window: list[Token], blocked: set[str]) -> bool:
    for token in window:
        if token.norm in STOPWORDS or token.norm in blocked or token.norm in _NOISE_WORDS:
            return False
        if any(ch.isdigit() for ch in token.norm) or len(token.norm) < 3:
            return False
    return True


def _whole_phrase(text: str, tokens: list[Token], i: int, n: int) -> bool:
    """Within one clause, and never half of a hyphenated word ("cardiac step" of
    "cardiac step-down", "phase power" of "three-phase power")."""
    gaps = [text[tokens[k].end : tokens[k + 1].start] for k in range(i, i + n - 1)]
    if any(g.strip(" -/") for g in gaps):
        return False  # do not bridge punctuation ("teams; set")
    before = text[tokens[i - 1].end : tokens[i].start] if i > 0 else " "
    last = i + n - 1
    after = text[tokens[last].end : tokens[last + 1].start] if last + 1 < len(tokens) else " "
    return before != "-" and after != "-"


def _is_term(text: str, tokens: list[Token], i: int, n: int) -> bool:
    """Whether the gram is a noun phrase naming something: no duty verb where it starts,
    no qualifier, verb or audience where it ends, not filler words only."""
    window = tokens[i : i + n]
    head = window[-1]
    head_word = fold(head.raw)
    if _hyphen_adjective(text, tokens, i + n - 1) or _adjective_head(head_word):
        return False
    if head.norm in PERSON_NOUNS or head_word in PERSON_NOUNS:
        return False
    generic = [
        t.norm in GENERIC or fold(t.raw) in GENERIC or _hyphen_adjective(text, tokens, i + k)
        for k, t in enumerate(window)
    ]
    if all(generic) or fold(window[0].raw) in EVALUATIVE or _starts_duty(text, tokens, i):
        return False
    if n == 1:
        return _lone_term(head_word, text, head)
    lemma = verb_lemma(head_word)  # "goes wrong" ends in no noun; "direct care" does
    return lemma is None or lemma in NOUN_TOO or head_word.endswith("ing")


def _lone_term(word: str, text: str, token: Token) -> bool:
    """A word alone is a term when it is a name ("Procore", "AISC") or a specific noun:
    not a verb form ("cares", "shipped"), not an adjective ("structural")."""
    if _is_name(text, token) and not is_mostly_upper(text):
        return True
    if verb_lemma(word) is not None and not word.endswith("ing"):
        return False
    return not (word.endswith("ing") and word in FILLER_NOUNS)


def _adjective_head(word: str) -> bool:
    """A qualifier where a noun should stand: "advanced", "commercial electrical"."""
    if adjective_like(word):
        return True
    return word.endswith(_ADJECTIVE_SUFFIXES) and word not in _NOUNS_ENDING_SO


def _starts_duty(text: str, tokens: list[Token], i: int) -> bool:
    """A gram whose first word is a verb of a duty: "reconcile vendor statements",
    "managing commercial", "Monitor telemetry and document care", "pages people"."""
    word = fold(tokens[i].raw)
    lemma = verb_lemma(word)
    if lemma is None or (word.endswith("ed") and word != lemma):
        return False  # a participle qualifies a noun: "automated testing"
    if lemma not in NOUN_TOO:
        return True
    if i == 0 or text[tokens[i - 1].end : tokens[i].start].strip():
        return True  # at a line's or clause's start: "- Monitor telemetry", "; track"
    return fold(tokens[i - 1].raw) in DUTY_OPENERS | {"that", "who", "which"}


def _hyphen_adjective(text: str, tokens: list[Token], k: int) -> bool:
    """ "data-driven", "patient-facing": a hyphenated qualifier, not a noun."""
    joined = k > 0 and text[tokens[k - 1].end : tokens[k].start] == "-"
    return joined and fold(tokens[k].raw) in HYPHEN_ADJECTIVES


def _is_name(text: str, token: Token) -> bool:
    """An acronym or mixed-case name ("AISC", "PhD"), or a capital inside a sentence."""
    raw = token.raw
    if any(ch.isupper() for ch in raw[1:]):
        return True
    if not raw[:1].isupper() or token.start == 0:
        return False
    return text[token.start - 1] in _NAME_AFTER and bool(text[: token.start].strip(" -*•\t"))
