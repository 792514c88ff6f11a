"""The skill taxonomy: canonical names, categories, aliases and "implies" relations.

The data ships inside the package (`data/skills.json`, compiled from the reviewable sources
in `data/taxonomy_src/` by `data/build_taxonomy.py`) and is loaded once per process.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from app.tailoring.text import norm_key

CERTIFICATION = "certification"
SOFT = "soft"
DOMAIN = "domain"
LANGUAGE = "language"


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    family: str
    aliases: tuple[str, ...] = ()
    cased: frozenset[str] = frozenset()  # forms that must match with exact capitalisation
    strict: frozenset[str] = frozenset()  # forms that also need a technical context
    implies: tuple[str, ...] = ()
    versions: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def is_certification(self) -> bool:
        return self.category == CERTIFICATION


@dataclass
class Taxonomy:
    skills: dict[str, Skill]
    evidence: dict[str, tuple[str, ...]]
    _by_key: dict[tuple[str, ...], str] = field(default_factory=dict)
    _implied_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _family: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for skill in self.skills.values():
            for form in skill.forms:
                self._by_key.setdefault(norm_key(form), skill.name)
        implied_by: dict[str, list[str]] = {}
        family: dict[tuple[str, str], list[str]] = {}
        for skill in self.skills.values():
            for target in skill.implies:
                implied_by.setdefault(target, []).append(skill.name)
            family.setdefault((skill.category, skill.family), []).append(skill.name)
        self._implied_by = {k: tuple(sorted(v)) for k, v in implied_by.items()}
        self._family = {k: tuple(sorted(v)) for k, v in family.items()}

    def get(self, name: str) -> Skill | None:
        """Look a skill up by canonical name or any alias, case/punctuation-insensitively."""
        hit = self.skills.get(name)
        if hit is not None:
            return hit
        canonical = self._by_key.get(norm_key(name))
        return self.skills.get(canonical) if canonical else None

    def canonical(self, name: str) -> str | None:
        skill = self.get(name)
        return skill.name if skill else None

    def category(self, name: str) -> str:
        skill = self.skills.get(name)
        return skill.category if skill else "other"

    def implied(self, name: str) -> list[str]:
        """Everything `name` demonstrates, transitively (Amazon EKS -> Kubernetes -> Containers)."""
        seen: dict[str, None] = {}
        stack = list(self.skills[name].implies) if name in self.skills else []
        while stack:
            current = stack.pop(0)
            if current in seen or current == name:
                continue
            seen[current] = None
            skill = self.skills.get(current)
            if skill is not None:
                stack.extend(skill.implies)
        return list(seen)

    def implied_by(self, name: str) -> tuple[str, ...]:
        """Skills that directly imply `name` (Kubernetes <- Helm, Amazon EKS, CKA, ...)."""
        return self._implied_by.get(name, ())

    def family_members(self, name: str) -> tuple[str, ...]:
        skill = self.skills.get(name)
        if skill is None:
            return ()
        return self._family.get((skill.category, skill.family), ())

    def certifications_for(self, name: str) -> list[str]:
        """Certifications that directly certify `name`, most specific first."""
        return sorted(
            (s for s in self.implied_by(name) if self.skills[s].is_certification),
            key=lambda s: (len(self.skills[s].implies), s),
        )

    def __len__(self) -> int:
        return len(self.skills)


def _skill_from_json(item: dict[str, Any]) -> Skill:
    return Skill(
        name=item["name"],
        category=item["category"],
        family=item.get("family", ""),
        aliases=tuple(item.get("aliases", ())),
        cased=frozenset(item.get("cased", ())),
        strict=frozenset(item.get("strict", ())),
        implies=tuple(item.get("implies", ())),
        versions=tuple(item.get("versions", ())),
    )


def build_taxonomy(
    skills: Iterable[dict[str, Any]], evidence: dict[str, list[str]] | None = None
) -> Taxonomy:
    table = {s.name: s for s in map(_skill_from_json, skills)}
    return Taxonomy(
        skills=table, evidence={k: tuple(v) for k, v in (evidence or {}).items() if k in table}
    )


@functools.cache
def load_taxonomy() -> Taxonomy:
    """The shipped taxonomy, parsed once per process (about 2,800 skills)."""
    raw = resources.files("app.tailoring.data").joinpath("skills.json").read_text("utf-8")
    data = json.loads(raw)
    return build_taxonomy(data["skills"], data.get("evidence", {}))
