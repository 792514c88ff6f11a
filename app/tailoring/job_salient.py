"""Salient terms of a job posting: frequent, specific phrases the taxonomy does not cover.

Split out of job_analysis (which re-exports `salient_terms`) to keep modules small.
"""

from __future__ import annotations

from app.documents.models import JobPosting
from app.tailoring.matcher import get_matcher
from app.tailoring.text import STOPWORDS, Token, tokenize, words
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
    shared product
    """
)


def salient_terms(
    weighted: list[tuple[str, float]], job: JobPosting, limit: int = 10
) -> list[SalientTerm]:
    """Frequent, specific phrases of the posting that the taxonomy does not cover.

    Scores n-grams (1-3 words) by section-weighted frequency, favouring longer phrases;
    phrases starting/ending with a stopword, numbers and skill names are skipped.
    """
    matcher = get_matcher()
    blocked = {t.norm for t in tokenize(f"{job.company or ''} {job.location or ''}")}
    scores: dict[str, float] = {}
    display: dict[str, str] = {}
    for text, weight in weighted:
        if weight <= 0:
            continue
        tokens = tokenize(text)
        covered: set[int] = set()
        for m in matcher.find(text):
            covered.update(i for i, t in enumerate(tokens) if m.start <= t.start < m.end)
        for n in (1, 2, 3):
            for i in range(len(tokens) - n + 1):
                window = tokens[i : i + n]
                if any(i + k in covered for k in range(n)) or not _gram_ok(window, blocked):
                    continue
                if n > 1 and any(
                    text[window[k].end : window[k + 1].start].strip(" -/") for k in range(n - 1)
                ):
                    continue  # do not bridge punctuation ("teams; set")
                key = " ".join(t.norm for t in window)
                scores[key] = scores.get(key, 0.0) + weight * (1.0 + 0.6 * (n - 1))
                display.setdefault(key, text[window[0].start : window[-1].end].lower())
    picked: list[SalientTerm] = []
    for key, score in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if score < 2.0:
            break
        if any(key in p.term or p.term in display[key] for p in picked):
            continue
        picked.append(SalientTerm(display[key], round(score, 2)))
        if len(picked) >= limit:
            break
    return picked


def _gram_ok(window: list[Token], blocked: set[str]) -> bool:
    for token in window:
        if token.norm in STOPWORDS or token.norm in blocked or token.norm in _NOISE_WORDS:
            return False
        if any(ch.isdigit() for ch in token.norm) or len(token.norm) < 3:
            return False
    return True
