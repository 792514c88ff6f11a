"""Compile the curated skill lists in `taxonomy_src/*.txt` into `skills.json`.

Run after editing a source file:  python -m app.tailoring.data.build_taxonomy

The sources are a tiny line format so they stay reviewable by people who know the domain
(a nurse can check healthcare.txt without reading JSON):

    @category: family                 starts a block; applies to the lines below it
    Name | alias; alias | implies; implies | version; version

* `=Form` (on the name or an alias) matches only with exactly that capitalisation; used
  for names that are also ordinary words or units ("Excel", "Slack", "ML" vs "ml").
* `!Form` additionally needs a technical context (a skills list, "in Go", "Python or Go");
  used for one-letter or verb-like names: Go, R, C, Spring, Express.
* `implies` names a broader skill the named one demonstrates (Helm -> Kubernetes,
  Django -> Python). Names are resolved through aliases, so "GCP" works.
* versions add "Name 3" and "Name3" style aliases (Python 3, HTML5, C++17).

`evidence.txt` lists phrases that imply a soft skill when found in a bullet
("Mentored 4 engineers" -> Mentoring). A leading `^` means "only at the start of a line",
so "analysis led to a 6% lift" does not count as leadership.

The build fails loudly on two entries sharing a normalised form or on unresolved
`implies`, because either would make matching silently wrong.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from app.tailoring.text import norm_key, spelling_variants, tokenize

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "taxonomy_src"
OUTPUT = HERE / "skills.json"


@dataclass
class Entry:
    name: str
    category: str
    family: str
    aliases: list[str] = field(default_factory=list)
    cased: list[str] = field(default_factory=list)
    strict: list[str] = field(default_factory=list)
    implies: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    where: str = ""


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _form(raw: str, entry: Entry) -> str:
    if raw.startswith("!"):
        form = raw[1:].strip()
        entry.strict.append(form)
        return form
    if raw.startswith("="):
        form = raw[1:].strip()
        entry.cased.append(form)
        return form
    return raw


def parse_source(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    category = family = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{path.name}:{number}"
        if line.startswith("@"):
            head, _, fam = line[1:].partition(":")
            category, family = head.strip(), fam.strip()
            continue
        if not category:
            raise SystemExit(f"{where}: entry before any @category line")
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        entry = Entry(name="", category=category, family=family, where=where)
        entry.name = _form(parts[0], entry)
        entry.aliases = [_form(a, entry) for a in _split(parts[1])]
        entry.implies = _split(parts[2])
        entry.versions = _split(parts[3])
        for version in entry.versions:
            entry.aliases.append(f"{entry.name} {version}")
            if len(tokenize(entry.name)) == 1 and version[:1].isdigit():
                entry.aliases.append(f"{entry.name}{version}")
        entries.append(entry)
    return entries


def build(entries: list[Entry]) -> dict[str, object]:
    errors: list[str] = []
    owner: dict[tuple[str, ...], Entry] = {}
    by_name: dict[str, Entry] = {}
    for entry in entries:
        if entry.name in by_name:
            errors.append(f"{entry.where}: duplicate name {entry.name!r}")
        by_name[entry.name] = entry
    for entry in entries:
        explicit = [norm_key(f) for f in [entry.name, *entry.aliases]]
        for key in explicit:
            other = owner.get(key)
            if other is not None and other is not entry:
                errors.append(
                    f"{entry.where}: {' '.join(key)!r} of {entry.name!r} already belongs "
                    f"to {other.name!r} ({other.where})"
                )
            owner.setdefault(key, entry)
    for entry in entries:
        for form in [entry.name, *entry.aliases]:
            for key in spelling_variants(form)[1:]:
                owner.setdefault(key, entry)  # joined spellings never override explicit ones
    for entry in entries:
        resolved = []
        for target in entry.implies:
            hit = by_name.get(target) or owner.get(norm_key(target))
            if hit is None:
                errors.append(f"{entry.where}: {entry.name!r} implies unknown {target!r}")
            elif hit is not entry:
                resolved.append(hit.name)
        entry.implies = list(dict.fromkeys(resolved))
    if errors:
        raise SystemExit("taxonomy errors:\n" + "\n".join(errors))
    skills = []
    for entry in sorted(entries, key=lambda e: (e.category, e.family, e.name.casefold())):
        item: dict[str, object] = {
            "name": entry.name,
            "category": entry.category,
            "family": entry.family,
        }
        aliases = [a for a in dict.fromkeys(entry.aliases) if a != entry.name]
        for field_name, value in (
            ("aliases", aliases),
            ("cased", sorted(set(entry.cased))),
            ("strict", sorted(set(entry.strict))),
            ("implies", entry.implies),
            ("versions", entry.versions),
        ):
            if value:
                item[field_name] = value
        skills.append(item)
    return {"schema": 1, "skills": skills}


def parse_evidence(path: Path, names: set[str]) -> dict[str, list[str]]:
    evidence: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, phrases = line.partition("|")
        name = name.strip()
        if name not in names:
            raise SystemExit(f"{path.name}:{number}: evidence for unknown skill {name!r}")
        evidence.setdefault(name, []).extend(_split(phrases))
    return evidence


def main() -> int:
    entries: list[Entry] = []
    for path in sorted(SOURCES.glob("*.txt")):
        if path.name != "evidence.txt":
            entries.extend(parse_source(path))
    data = build(entries)
    names = {e.name for e in entries}
    data["evidence"] = parse_evidence(SOURCES / "evidence.txt", names)
    skills = data["skills"]
    assert isinstance(skills, list)
    # One skill per line: compact, yet a taxonomy change shows up as a readable diff.
    lines = [json.dumps(s, ensure_ascii=False) for s in skills]
    evidence = json.dumps(data["evidence"], ensure_ascii=False, indent=1)
    OUTPUT.write_text(
        '{"schema": 1, "skills": [\n' + ",\n".join(lines) + '\n], "evidence": ' + evidence + "}\n",
        encoding="utf-8",
    )
    print(f"wrote {len(skills)} skills to {OUTPUT.relative_to(HERE.parents[2])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
