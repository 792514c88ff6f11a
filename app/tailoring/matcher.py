"""Find taxonomy skills in text with a precompiled token trie.

Text is tokenised once (`text.tokenize`) and every start position walks the trie, keeping
the longest valid match, so "Spring Boot" wins over "Spring" and "Go-to-market" over "Go".
Matching is case-, punctuation- and plural-insensitive except for forms the taxonomy marks:

* cased forms ("Excel", "Slack", "ML") must be written with that capitalisation, because
  "excel at", "slack time" and "5 ml" are not skills;
* strict forms ("Go", "R", "C", "Spring") additionally need a technical context: a list
  item ("Python, R, SQL"), a preposition ("written in Go"), or a neighbouring skill joined by
  "and"/"or" ("Python or Go"). "C-level" and "go to the store" therefore never match.

A second, smaller trie finds evidence phrases ("Mentored 4 engineers" -> Mentoring).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from app.tailoring.taxonomy import Taxonomy, load_taxonomy
from app.tailoring.text import Token, is_mostly_upper, spelling_variants, tokenize, words

_END = ""  # trie terminal key; no real token is empty

PLAIN, CASED, STRICT = 0, 1, 2

# Words that put a following ambiguous name ("Go", "R") in a programming context.
_CONTEXT_BEFORE = words(
    """
    in using with via wrote written programming coded code language languages learned
    proficient fluent experience
    """
)
_CONTEXT_AFTER = words(
    """
    programming language languages code codebase developer developers engineer engineers
    service services microservice microservices backend module modules library libraries
    script scripts scripting package packages sdk app apps api apis runtime routines
    programs program stack
    """
)
_CONNECTORS = frozenset({"and", "or", "&", "/", ","})
_LIST_LEFT = frozenset(",;|/•·:(")
_LIST_RIGHT = frozenset(",;|/).")


@dataclass(frozen=True, slots=True)
class SkillMatch:
    skill: str  # canonical name
    category: str
    surface: str  # exactly as written
    start: int
    end: int
    alias: bool  # written with an alias ("k8s") rather than the canonical name


@dataclass(frozen=True, slots=True)
class EvidenceMatch:
    skill: str
    phrase: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Form:
    skill: str
    mode: int
    raw: tuple[str, ...]  # tokens as written in the taxonomy, for exact-case checks
    alias: bool


def _new_node() -> dict[str, Any]:
    return {}


_CACHE_LIMIT = 50_000
# Punctuation between two tokens that ends any name: "Kubernetes (Cluster API)" does not
# say "Kubernetes cluster", and "Python, SQL" is two items.
_BOUNDARY = re.compile(r"[()\[\]{},;|]")


class SkillMatcher:
    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._trie: dict[str, Any] = _new_node()
        self._evidence: dict[str, Any] = _new_node()
        # The same lines are scanned by several stages (analysis, scoring, guard); results
        # are immutable tuples, so caching per (text, context) is safe and deterministic.
        self._find_cache: dict[tuple[str, bool], tuple[SkillMatch, ...]] = {}
        self._evidence_cache: dict[str, tuple[EvidenceMatch, ...]] = {}
        self._build()

    def clear_cache(self) -> None:
        self._find_cache.clear()
        self._evidence_cache.clear()

    # -- construction ---------------------------------------------------------------------

    def _build(self) -> None:
        owners: dict[tuple[str, ...], str] = {}
        deferred: list[tuple[tuple[str, ...], _Form]] = []
        for skill in self.taxonomy.skills.values():
            name_key = spelling_variants(skill.name)[0]
            canonical_keys = set(spelling_variants(skill.name))
            canonical_keys.update(
                k for v in skill.versions for k in spelling_variants(f"{skill.name} {v}")
            )
            canonical_keys.update(
                k for v in skill.versions for k in spelling_variants(f"{skill.name}{v}")
            )
            for form in skill.forms:
                mode = STRICT if form in skill.strict else CASED if form in skill.cased else PLAIN
                raw = tuple(t.raw for t in tokenize(form))
                keys = spelling_variants(form)
                for index, key in enumerate(keys):
                    # "Kubernetes clusters" still says "Kubernetes"; only "k8s" is an alias.
                    alias = key not in canonical_keys and not _contains(key, name_key)
                    entry = _Form(skill.name, mode, raw, alias)
                    if index == 0:
                        owners.setdefault(key, skill.name)
                        self._insert(key, entry)
                    else:
                        deferred.append((key, entry))
        # Joined spellings ("nodejs") never take a key an explicit form already owns.
        for key, entry in deferred:
            if owners.setdefault(key, entry.skill) == entry.skill:
                self._insert(key, entry)
        for skill_name, phrases in self.taxonomy.evidence.items():
            for phrase in phrases:
                anchored = phrase.startswith("^")
                tokens = tuple(t.norm for t in tokenize(phrase.lstrip("^")))
                if tokens:
                    node = self._evidence
                    for tok in tokens:
                        node = node.setdefault(tok, _new_node())
                    node.setdefault(_END, []).append((skill_name, anchored))

    def _insert(self, key: tuple[str, ...], form: _Form) -> None:
        node = self._trie
        for tok in key:
            node = node.setdefault(tok, _new_node())
        forms: list[_Form] = node.setdefault(_END, [])
        if form not in forms:
            forms.append(form)
            forms.sort(key=lambda f: f.mode)  # least strict first

    # -- matching -------------------------------------------------------------------------

    def find(self, text: str, *, list_context: bool = False) -> list[SkillMatch]:
        """All skills in `text`, left to right, longest match first, non-overlapping.

        `list_context` says the caller knows this is a skills list ("Languages: Python, R"),
        which is enough context for strict names.
        """
        key = (text, list_context)
        hit = self._find_cache.get(key)
        if hit is None:
            if len(self._find_cache) >= _CACHE_LIMIT:
                self._find_cache.clear()
            hit = self._find_cache[key] = tuple(self._find(text, list_context))
        return list(hit)

    def _find(self, text: str, list_context: bool) -> list[SkillMatch]:
        tokens = tokenize(text)
        shouting = is_mostly_upper(text)
        found: list[tuple[int, int, _Form]] = []
        i, n = 0, len(tokens)
        while i < n:
            node: dict[str, Any] | None = self._trie
            j = i
            candidates: list[tuple[int, list[_Form]]] = []
            while j < n and node is not None:
                if j > i and _BOUNDARY.search(text, tokens[j - 1].end, tokens[j].start):
                    break  # no name runs across a bracket or a list separator
                node = node.get(tokens[j].norm)
                if node is None:
                    break
                j += 1
                if _END in node:
                    candidates.append((j, node[_END]))
            chosen: tuple[int, _Form] | None = None
            for end, forms in reversed(candidates):
                form = next((f for f in forms if _case_ok(f, tokens[i:end], shouting)), None)
                if form is not None:
                    chosen = (end, form)
                    break
            if chosen is None:
                i += 1
                continue
            found.append((i, chosen[0], chosen[1]))
            i = chosen[0]
        spans = [(tokens[a].start, tokens[b - 1].end) for a, b, _ in found]
        matches: list[SkillMatch] = []
        for index, (_a, _b, form) in enumerate(found):
            start, end = spans[index]
            if form.mode == STRICT and not _context_ok(text, index, spans, list_context):
                continue
            if _in_to_compound(text, start, end):
                continue
            matches.append(
                SkillMatch(
                    skill=form.skill,
                    category=self.taxonomy.category(form.skill),
                    surface=text[start:end],
                    start=start,
                    end=end,
                    alias=form.alias,
                )
            )
        return matches

    def skills_in(self, text: str, *, list_context: bool = False) -> list[str]:
        """Distinct canonical skills in `text`, in order of first appearance."""
        return list(dict.fromkeys(m.skill for m in self.find(text, list_context=list_context)))

    def find_evidence(self, text: str) -> list[EvidenceMatch]:
        """Phrases that demonstrate a skill without naming it ("Mentored 4 engineers")."""
        hit = self._evidence_cache.get(text)
        if hit is None:
            if len(self._evidence_cache) >= _CACHE_LIMIT:
                self._evidence_cache.clear()
            hit = self._evidence_cache[text] = tuple(self._find_evidence(text))
        return list(hit)

    def _find_evidence(self, text: str) -> list[EvidenceMatch]:
        tokens = tokenize(text)
        found: list[EvidenceMatch] = []
        for i in range(len(tokens)):
            at_start = i == 0 or _sentence_break(text, tokens[i - 1], tokens[i])
            node: dict[str, Any] | None = self._evidence
            j = i
            while j < len(tokens) and node is not None:
                node = node.get(tokens[j].norm)
                if node is None:
                    break
                j += 1
                for skill, anchored in node.get(_END, ()):
                    if anchored and not at_start:
                        continue
                    start, end = tokens[i].start, tokens[j - 1].end
                    found.append(EvidenceMatch(skill, text[start:end], start, end))
        return found


def _in_to_compound(text: str, start: int, end: int) -> bool:
    """ "MQL-to-SQL", "lead-to-SQL": a stage of a funnel, not the skill."""
    return (
        text[max(0, start - 4) : start].lower() == "-to-" or text[end : end + 4].lower() == "-to-"
    )


def _contains(seq: tuple[str, ...], sub: tuple[str, ...]) -> bool:
    size = len(sub)
    return any(seq[i : i + size] == sub for i in range(len(seq) - size + 1))


def _case_ok(form: _Form, tokens: list[Token], shouting: bool) -> bool:
    if form.mode == PLAIN:
        return True
    raw = tuple(t.raw for t in tokens)
    if raw == form.raw:
        return True
    # A line written in capitals ("PYTHON, GO, SQL") cannot carry case information.
    return shouting and tuple(r.upper() for r in raw) == tuple(r.upper() for r in form.raw)


def _sentence_break(text: str, prev: Token, current: Token) -> bool:
    gap = text[prev.end : current.start]
    return any(ch in ".;:!?•·|" for ch in gap)


def _after_note(after: str) -> str:
    """What follows a list item's parenthetical note: in "Go (Cobra CLI), Python" the item
    "Go" ends at the comma after its note, so the note does not hide the list boundary."""
    if not after.startswith("("):
        return after
    close = after.find(")")
    if close < 0 or "(" in after[1:close]:
        return after
    return after[close + 1 :].lstrip()


def _context_ok(text: str, index: int, spans: list[tuple[int, int]], list_context: bool) -> bool:
    """Is the ambiguous name at spans[index] used as a technology here?"""
    start, end = spans[index]
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    if text[end : end + 1] == "-" and text[end + 1 : end + 2].isalpha():
        return False  # "C-level", "R-squared", "Go-to"
    left = before[-1:] or ""
    right = _after_note(after)[:1]
    bounded = (left == "" or left in _LIST_LEFT) and (right == "" or right in _LIST_RIGHT)
    others = len(spans) > 1
    if bounded and (list_context or others):
        return True
    prev_word = before.rsplit(None, 1)[-1].lower() if before else ""
    prev_word = prev_word.strip("(\"'")
    if prev_word in _CONTEXT_BEFORE:
        return True
    if prev_word in _CONNECTORS or left in _CONNECTORS:
        # "Python or Go": another skill must end right before the connector.
        cut = before[: len(before) - len(prev_word)].rstrip() if prev_word else before
        if any(abs(e - len(cut)) <= 1 for s, e in spans if e <= start and (s, e) != spans[index]):
            return True
    next_word = after.split(None, 1)[0].lower().strip(",.;:)") if after else ""
    if next_word in _CONTEXT_AFTER:
        return True
    if next_word in {"and", "or", "&", "/"}:
        rest = after[len(after.split(None, 1)[0]) :].lstrip()
        offset = len(text) - len(rest)
        if any(s == offset for s, _ in spans):
            return True
    return False


@functools.cache
def get_matcher() -> SkillMatcher:
    """The process-wide matcher over the shipped taxonomy (built once, ~0.1 s)."""
    return SkillMatcher(load_taxonomy())
