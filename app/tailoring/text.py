"""Tokenising and normalising text for matching.

Every comparison in the engine (skills, salient terms, the truth guard) goes through the
same normalisation so that "Helm charts" finds "Helm chart", "Node.js" finds "NodeJS" and
"PostgreSQL" never matches inside "PostgreSQLx". Tokens keep their character offsets so a
match can always be traced back to the exact text the person wrote.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

# A token is a run of letters/digits, optionally followed by "++" or "#" (C++, C#, F#) or by a
# single trailing "+" (Security+, Network+), or a free-standing ".NET". The lookbehind keeps
# "ASP.NET" as "asp" + "net" instead of ".net".
_TOKEN_RE = re.compile(r"(?<![\w.])\.net\b|[^\W_]+(?:\+\+|#(?![\w#])|\+(?![\w+]))?", re.IGNORECASE)


def words(text: str) -> frozenset[str]:
    """A word set from whitespace-separated text (keeps long word lists readable)."""
    return frozenset(text.split())


# Words whose trailing "s" is not a plural; stripping it would merge "Canvas" into "Canva".
_NOT_PLURAL = words(
    """
    canvas atlas alias bias gas lens news chaos kudos aws sas dns ios macos always
    perhaps analytics physics economics mathematics statistics ethics logistics robotics
    """
)
_APOSTROPHES = "'’"


@dataclass(frozen=True, slots=True)
class Token:
    norm: str  # folded + singular form used for matching
    raw: str  # exactly as written
    start: int
    end: int


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-fold and strip accents ("Café" -> "cafe") so spelling variants compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@functools.lru_cache(maxsize=65536)
def singular(token: str) -> str:
    """Crude plural stripping, applied identically to both sides of every comparison.

    It only has to be consistent, not linguistically right: "kubernetes" becomes
    "kubernete" on both the taxonomy and the resume side. Short tokens are left alone so
    "iOS", "AWS" and "k8s" never collapse into something else.
    """
    if len(token) < 4 or not token.isalpha() or token in _NOT_PLURAL:
        return token
    if not any(v in token for v in "aeiouy"):
        return token  # vowel-less acronyms: "SSRS", "CMMS" are not plurals
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ss", "us", "is")):
        return token
    if token.endswith("s"):
        return token[:-1]
    return token


@functools.lru_cache(maxsize=65536)
def norm_token(raw: str) -> str:
    return singular(fold(raw))


def tokenize(text: str) -> list[Token]:
    """Tokens of `text` with offsets; a possessive "'s" is dropped ("Lumen's" -> "Lumen")."""
    return list(_tokenize(text))


def clear_line_cache() -> None:
    _tokenize.cache_clear()


def tokenize_uncached(text: str) -> tuple[Token, ...]:
    return _tokenize.__wrapped__(text)


@functools.lru_cache(maxsize=32768)
def _tokenize(text: str) -> tuple[Token, ...]:
    # Lines are tokenised by several stages (matching, salience, guard); Tokens are frozen.
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        start = m.start()
        if raw in ("s", "S") and start > 0 and text[start - 1] in _APOSTROPHES:
            continue
        tokens.append(Token(norm_token(raw), raw, start, m.end()))
    return tuple(tokens)


@functools.lru_cache(maxsize=65536)
def norm_key(text: str) -> tuple[str, ...]:
    """The normalised token sequence of a phrase, the key used by every lookup table."""
    return tuple(t.norm for t in tokenize(text))


def norm_phrase(text: str) -> str:
    return " ".join(norm_key(text))


def join_words(items: list[str]) -> str:
    """ "a, b and c" — for sentences the engine writes."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def collapse_ws(text: str) -> str:
    return " ".join(text.split())


def is_mostly_upper(text: str) -> bool:
    """True for SHOUTED lines (some resumes write whole sections in capitals)."""
    upper = sum(map(str.isupper, text))
    lower = sum(map(str.islower, text))
    if upper + lower < 4:
        return False
    return upper >= 0.8 * (upper + lower)


# Function words and posting boilerplate that never carry meaning on their own. Used for
# salient-term extraction and to decide which words of a title are its "core".
STOPWORDS: frozenset[str] = words(
    """
    a about above across after again against all almost also am an and any are around as
    at be because been before being below between both but by can could did do does
    doing done down during each either etc even ever every few for from further get gets
    getting give go goes had has have having he her here hers him his how i if in into
    is it its itself just least less let like made make makes many may me might more
    most much must my near need needs no nor not now of off often on once one only or
    other others our ours out over own per please plus same several shall she should
    since so some such than that the their theirs them then there these they this those
    through throughout thus to too toward towards under until up upon us use used uses
    using very via was we well were what when where whether which while who whom whose
    why will with within without would yet you your yours yourself able ability across
    strong solid good great excellent proven demonstrated experience experienced years
    year plus including include includes includ new day days work working works team
    teams role roles job position candidate candidates company opportunity opportunities
    join looking seeking ideal ideally preferred required requirement requirements
    qualification qualifications responsibility responsibilities nice bonus must-have
    must have skills skill knowledge understanding familiarity etc e g ie eg within help
    helps build building built own owning owned run running lead leading make sure
    ensure across every our we're you'll you're we'll they're it's also more based
    related relevant similar equivalent another least minimum preferably highly
    """
)


def spelling_variants(form: str) -> list[tuple[str, ...]]:
    """Normalised keys for a skill form: as written, plus punctuation-joined spellings.

    "Node.js" is also "nodejs", "A/B testing" also "ab testing", "Power BI" also "powerbi".
    The first key is always the form as written; callers give it priority over variants.
    """
    keys = [norm_key(form)]
    chunks = [norm_key(chunk) for chunk in form.split()]
    if any(len(c) > 1 for c in chunks):
        keys.append(norm_key(" ".join("".join(c) for c in chunks)))
    if len(chunks) == 2 and all(len(c) == 1 and c[0].isalpha() for c in chunks):
        keys.append(norm_key("".join(c[0] for c in chunks)))
    return [k for k in dict.fromkeys(keys) if k]
