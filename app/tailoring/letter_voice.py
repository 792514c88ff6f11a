"""Small language rules for sentences the engine writes in the person's voice.

`first_person` turns a resume bullet into the rest of an "I ..." sentence: "Designed an API"
-> "designed an API"; a present-tense bullet of the current job stays present ("I lead a
team of 9"), of a past job turns past ("I led a team of 9"). A bullet that does not start
with a verb (a noun phrase, a product name) returns None: the letter then uses another one
rather than quoting it. `article` picks "a" or "an" by sound ("an Account Executive", "an
RN", "a UX Designer"); `role_name` and `person_name` undo shouting ("ACCOUNT EXECUTIVE").
"""

from __future__ import annotations

import re

from app.tailoring.text import is_mostly_upper, words

_IRREGULAR_PAST = {
    "lead": "led", "teach": "taught", "run": "ran", "build": "built", "write": "wrote",
    "sell": "sold", "keep": "kept", "grow": "grew", "drive": "drove", "make": "made",
    "buy": "bought", "bring": "brought", "hold": "held", "set": "set", "cut": "cut",
    "win": "won", "give": "gave", "take": "took", "spend": "spent", "find": "found",
    "begin": "began", "oversee": "oversaw", "rebuild": "rebuilt", "ship": "shipped",
    "plan": "planned", "own": "owned", "do": "did", "see": "saw", "meet": "met",
}  # fmt: skip
_PAST = frozenset(_IRREGULAR_PAST.values())
_PRESENT = words(
    """
    lead teach run build write sell keep grow drive make manage coordinate monitor document
    prepare use coach own design develop deliver support provide administer educate train
    oversee handle maintain create analyze analyse plan present process reconcile review
    negotiate recruit source schedule precept mentor track report resolve serve work ensure
    implement operate supervise direct conduct perform organize organise advise partner
    collaborate communicate optimize improve drive test ship define research launch
    """
)
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")  # letters read aloud with a vowel first: "an RN"
_CONSONANT_SOUND = re.compile(r"^(?:uni|use|usu|eu|one\b|once\b|ur[aeiou])", re.IGNORECASE)
_SILENT_H = re.compile(r"^(?:hour|honest|honor|honour|heir)", re.IGNORECASE)
_TITLE_CUT = re.compile(r"\s*(?:\s-\s|\s–\s|\s—\s|\(|\||/)\s*")


def _past(verb: str) -> str:
    if verb in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[verb]
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    return verb + "ed"


def first_person(bullet: str, *, current: bool) -> str | None:
    text = bullet.strip().rstrip(".;")
    first, _, rest = text.partition(" ")
    word = first.lower()
    if not first[:1].isupper() or (first[1:] and not first[1:].islower()) or not rest:
        return None  # an acronym or product name, not a verb
    if (word.endswith("ed") and len(word) > 3) or word in _PAST:
        return f"{word} {rest}"
    if word in _PRESENT:
        return f"{word if current else _past(word)} {rest}"
    return None


def article(phrase: str) -> str:
    word = phrase.strip().split(" ", 1)[0] if phrase.strip() else ""
    if not word:
        return "a"
    if word.isupper() and len(word) <= 5:  # an acronym, read letter by letter
        return "an" if word[0] in _VOWEL_SOUND_LETTERS else "a"
    if _SILENT_H.match(word):
        return "an"
    if word[0].lower() in "aeiou" and not _CONSONANT_SOUND.match(word):
        return "an"
    return "a"


def _unshout(text: str) -> str:
    if not is_mostly_upper(text):
        return text
    return " ".join(
        w
        if len(w) <= 3 and w.isalpha() and w in {"RN", "IT", "QA", "UX", "UI", "HR", "VP"}
        else "-".join(p.capitalize() for p in w.split("-"))
        for w in text.split()
    )


def role_name(title: str | None) -> str | None:
    """The posting's role as a letter names it: "ACCOUNT EXECUTIVE - MID-MARKET" ->
    "Account Executive"."""
    if not title or not title.strip():
        return None
    core = _TITLE_CUT.split(title.strip())[0].strip(" ,")
    return _unshout(core) or None


def person_name(name: str) -> str | None:
    """ "PRIYA NAIR" -> "Priya Nair"; "Grace Whitfield, RN" -> "Grace Whitfield"."""
    core = name.split(",")[0].strip()
    if not core or "@" in core or re.search(r"\d", core):
        return None
    return core.title() if core.isupper() else core
