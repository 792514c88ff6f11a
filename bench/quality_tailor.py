"""Tailoring quality: what a person would hold after tailoring, per strategy.

    .venv/bin/python bench/quality_tailor.py [--pairs tests/fixtures/pairs] [--show N]

Runs every resume/posting pair of the fixture set (and of H-PARSE's generated corpus when
`tests.corpus.load_corpus` exists) through the local engine in-process, once per strategy,
and prints per strategy a line of totals (structure ok: results with no structural damage
left, or carrying a STRUCTURE_UNREADABLE warning; words changed: inserted + deleted against
the original, median; fabrications: facts in the final resume the original does not
support, by kind, and what the guard had to repair in drafts), then one line per group:
all pairs and each set ("posting-wording": resumes written in the posting's words;
"own-words": resumes that say the same things their own way; "generated"), each as strong +
partial, strong, partial and poor:

* coverage: share of the requirements the resume evidences (a named skill, or one that
  demonstrates it: A/B testing for experimentation) that the text states in the posting's
  own wording, before -> after (pairs with at least one evidenced requirement); the
  posting's wording of a skill is the part of its surface that names the skill ("Figma" in
  "Figma designs"); "in skills" counts the skills and certifications sections only, where
  an ATS looks for stated skills, "in bullets" the experience bullets only (what
  AGGRESSIVE_KEYWORDS rewrites), "in skills and bullets" both at once (what a screen ranks
  highest; the strategy's headline prints all four for strong + partial pairs);
* ATS score before -> after (mean), and how many pairs the engine put in another fit band
  after tailoring ("band moved") or rates unlike their label;
* "ATS follows coverage", per band: the mean coverage and ATS gains, the ATS gain the
  wording alone should give (coverage gain x share of the posting's requirements the
  resume evidences x what a requirement gains from other words to the posting's), that
  share, and the correlation and slope of ATS gain on coverage gain across pairs. Partial
  fits evidence about a third of what the posting asks, so the same coverage gain moves
  their score about a third as much: no evidence, no credit.

Letters (one per pair): how many name the company the posting names, attribution errors
(an achievement credited to the wrong employer) and fabricated facts.
"""

from __future__ import annotations

import argparse
import difflib
import json
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.documents import parse_job_posting, parse_resume  # noqa: E402
from app.documents.models import JobPosting, ResumeDocument, SectionKind  # noqa: E402
from app.tailoring import LocalEngine, Strategy  # noqa: E402
from app.tailoring.attribution import attribution_errors  # noqa: E402
from app.tailoring.guard import build_facts, find_violations  # noqa: E402
from app.tailoring.layout import original_as_tailored  # noqa: E402
from app.tailoring.posting_terms import (  # noqa: E402
    contains_term,
    coverage,
    evidenced_requirements,
    posting_terms,
)
from app.tailoring.quality_gate import STRUCTURE_UNREADABLE, structure_problems  # noqa: E402
from app.tailoring.types import CoverLetter, LineRole, TailoredResume  # noqa: E402

PAIRS = REPO / "tests" / "fixtures" / "pairs"
FITS = ("strong", "partial", "poor")
AS_OF = date(2025, 11, 15)


@dataclass
class Pair:
    name: str
    resume: ResumeDocument
    job: JobPosting
    fit: str
    company: str | None
    set: str = "posting-wording"


@dataclass
class Run:
    """One pair through one strategy: coverage (0..1) where it is measured, ATS scores."""

    fit: str
    set: str
    evidenced: bool
    cov: tuple[float, float]  # whole text, before -> after
    skills: tuple[float, float]  # skills and certifications sections
    bullets: tuple[float, float]  # experience bullets
    both: tuple[float, float]  # the skills section and the bullets alike (a screen's best)
    ats: tuple[int, int]
    band: tuple[str, str]  # the engine's fit band before -> after
    shown: float = 0.0  # share of the posting's requirements the resume evidences


@dataclass
class Tally:
    runs: list[Run] = field(default_factory=list)
    structure_ok: int = 0
    fabricated: Counter[str] = field(default_factory=Counter)
    repaired: Counter[str] = field(default_factory=Counter)
    words_changed: list[int] = field(default_factory=list)


def load_pairs(folder: Path) -> list[Pair]:
    companies: dict[str, str | None] = json.loads((folder / "companies.json").read_text())
    out = []
    for item in json.loads((folder / "pairs.json").read_text()):
        resume_path = folder / "resumes" / item["resume"]
        job_text = (folder / "jobs" / item["job"]).read_text(encoding="utf-8")
        out.append(
            Pair(
                f"{resume_path.stem} -> {Path(item['job']).stem}",
                parse_resume(resume_path.read_bytes(), resume_path.name),
                parse_job_posting(job_text),
                item["fit"],
                companies.get(item["job"]),
                item.get("set", "posting-wording"),
            )
        )
    return out


def load_generated() -> list[Pair]:
    """H-PARSE's generated corpus, when it has landed (pairs with a fit label only)."""
    try:
        from tests.corpus import load_corpus
    except ImportError:
        return []
    out = []
    for item in load_corpus():
        fit = getattr(item, "fit", None)
        job_text = getattr(item, "job_text", None)
        resume_bytes = getattr(item, "resume_bytes", None)
        if fit is None or job_text is None or resume_bytes is None:
            continue
        name = getattr(item, "name", "generated")
        resume = parse_resume(resume_bytes, getattr(item, "filename", "r.md"))
        company = getattr(item, "company", None)
        job = parse_job_posting(job_text)
        out.append(Pair(f"gen:{name}", resume, job, fit, company, "generated"))
    return out


def _text(resume: TailoredResume) -> str:
    return "\n".join(ln.text for s in resume.sections for ln in s.lines)


def _listed(resume: TailoredResume) -> str:
    kinds = (SectionKind.SKILLS, SectionKind.CERTIFICATIONS)
    return "\n".join(ln.text for s in resume.sections if s.kind in kinds for ln in s.lines)


def _bullets(resume: TailoredResume) -> str:
    return "\n".join(
        ln.text for s in resume.sections for ln in s.lines if ln.role is LineRole.BULLET
    )


def _words_changed(before: str, after: str) -> int:
    a, b = before.split(), after.split()
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def _fabrications(resume: ResumeDocument, text: str, allowed: list[str]) -> Counter[str]:
    facts = build_facts(resume, allowed)
    found: Counter[str] = Counter()
    for line in text.split("\n"):
        for v in find_violations(line, facts, source_ids=None):
            found[v.code] += 1
    return found


def _original_text(resume: ResumeDocument) -> str:
    return "\n".join(ln.text for ln in resume.lines)


def run_strategy(engine: LocalEngine, pair: Pair, strategy: Strategy, tally: Tally) -> None:
    plan = engine.plan(pair.resume, pair.job)
    job = engine.analyse_job(pair.job)
    terms = posting_terms(job, pair.job.text)
    report = engine.score(pair.resume, pair.job)
    evidenced = evidenced_requirements(job, report, terms, related=True)
    tailored = engine.draft(pair.resume, pair.job, plan, strategy)
    evaluation = engine.evaluate(pair.resume, pair.job, tailored)
    original = original_as_tailored(pair.resume)
    before, after = _original_text(pair.resume), _text(evaluation.resume)

    def measured(view: Callable[[TailoredResume], str]) -> tuple[float, float]:
        return coverage(view(original), evidenced), coverage(view(evaluation.resume), evidenced)

    def in_both(resume: TailoredResume) -> float:
        listed, bullets = _listed(resume), _bullets(resume)
        stated = [
            contains_term(listed, e.term) and contains_term(bullets, e.term) for e in evidenced
        ]
        return sum(stated) / len(stated) if stated else 1.0

    tally.runs.append(
        Run(
            pair.fit,
            pair.set,
            bool(evidenced),
            (coverage(before, evidenced), coverage(after, evidenced)),
            measured(_listed),
            measured(_bullets),
            (in_both(original), in_both(evaluation.resume)),
            (evaluation.before.score, evaluation.after.score),
            (evaluation.before.fit.value, evaluation.after.fit.value),
            len(evidenced) / len(job.requirements) if job.requirements else 0.0,
        )
    )
    unreadable = any(w.code == STRUCTURE_UNREADABLE for w in evaluation.resume.warnings)
    if unreadable or not structure_problems(evaluation.resume):
        tally.structure_ok += 1
    tally.fabricated.update(_fabrications(pair.resume, after, []))
    tally.repaired.update(w.code for w in tailored.warnings if w.code.startswith("NEW_"))
    tally.words_changed.append(_words_changed(before, after))


def _gain(pairs: list[tuple[float, float]]) -> str:
    if not pairs:
        return "   n/a"
    before = 100 * statistics.mean(b for b, _ in pairs)
    after = 100 * statistics.mean(a for _, a in pairs)
    return f"{before:5.1f} -> {after:5.1f} ({after - before:+5.1f})"


def _band_line(label: str, runs: list[Run]) -> str:
    """Coverage (pairs with evidenced requirements) and ATS (all pairs) of one group."""
    shown = [r for r in runs if r.evidenced]
    ats = [(float(r.ats[0]) / 100, float(r.ats[1]) / 100) for r in runs]
    moved = sum(1 for r in runs if r.band[0] != r.band[1])
    unlike = sum(1 for r in runs if r.band[0] != r.fit)
    return (
        f"  {label:22} n={len(runs):2} | coverage {_gain([r.cov for r in shown])}"
        f" | in skills {_gain([r.skills for r in shown])}"
        f" | in bullets {_gain([r.bullets for r in shown])}"
        f" | ATS {_gain(ats)} | band moved {moved}, differs from label {unlike}"
    )


def _relation_line(fit: str, runs: list[Run]) -> str:
    """How ATS moves with coverage in one band. Coverage is a share of the evidenced
    requirements, the ATS score reads all of them (45 + 12 of its 100 points), so the same
    coverage gain moves the score in proportion to how much of the posting is evidenced:
    "expected" is what the wording alone can add (coverage gain x evidenced share x the
    0.4 a requirement gains from other words to the posting's, x 57 points)."""
    if len(runs) < 3:
        return f"  {fit:8} n={len(runs)}: too few pairs"
    cov = [100 * (r.cov[1] - r.cov[0]) for r in runs]
    ats = [float(r.ats[1] - r.ats[0]) for r in runs]
    share = statistics.mean(r.shown for r in runs)
    expected = statistics.mean(c / 100 * r.shown * 0.4 * 57 for c, r in zip(cov, runs, strict=True))
    flat = len(set(cov)) < 2 or len(set(ats)) < 2
    r_value = 0.0 if flat else statistics.correlation(cov, ats)
    slope = 0.0 if flat else statistics.linear_regression(cov, ats).slope
    return (
        f"    {fit:8} n={len(runs):2} | coverage {statistics.mean(cov):+5.1f} -> ATS "
        f"{statistics.mean(ats):+4.1f} (expected from wording {expected:+4.1f}) | evidenced "
        f"share of requirements {100 * share:3.0f}% | r={r_value:.2f}, ATS "
        f"{10 * slope:+.1f} per +10 coverage"
    )


def print_strategy(strategy: Strategy, t: Tally) -> None:
    print(
        f"\n{strategy.value}: structure ok {t.structure_ok}/{len(t.runs)} | words changed "
        f"{statistics.median(t.words_changed):.0f} (median) | fabricated in output: "
        f"{dict(t.fabricated) or 0} | repaired by the guard in drafts: {dict(t.repaired) or 0}"
    )
    groups: list[tuple[str, list[Run]]] = [
        ("all, strong+partial", [r for r in t.runs if r.fit != "poor"]),
        *((f"all, {fit}", [r for r in t.runs if r.fit == fit]) for fit in FITS),
    ]
    for name in sorted({r.set for r in t.runs}):
        in_set = [r for r in t.runs if r.set == name]
        groups.append((f"{name}, strong+partial", [r for r in in_set if r.fit != "poor"]))
        groups.extend((f"{name}, {fit}", [r for r in in_set if r.fit == fit]) for fit in FITS)
    shown = [r for r in t.runs if r.fit != "poor" and r.evidenced]
    print(
        f"  coverage, strong+partial: overall {_gain([r.cov for r in shown])} | in skills "
        f"{_gain([r.skills for r in shown])} | in bullets {_gain([r.bullets for r in shown])}"
        f" | in skills and bullets {_gain([r.both for r in shown])}"
    )
    for label, runs in groups:
        if runs:
            print(_band_line(label, runs))
    print("  ATS follows coverage (strong+partial pairs with evidenced requirements):")
    for fit in ("strong", "partial"):
        print(_relation_line(fit, [r for r in t.runs if r.fit == fit and r.evidenced]))


def letters(engine: LocalEngine, pairs: list[Pair], show: int) -> None:
    naming = expected = errors = 0
    fabricated: Counter[str] = Counter()
    for i, pair in enumerate(pairs):
        plan = engine.plan(pair.resume, pair.job)
        letter: CoverLetter = engine.cover_letter(pair.resume, pair.job, plan)
        if pair.company:
            expected += 1
            naming += pair.company.casefold() in letter.text.casefold()
        found = attribution_errors(pair.resume, letter.text)
        errors += len(found)
        allowed = [a for a in (letter.job_title, letter.company, pair.job.text) if a]
        fabricated.update(_fabrications(pair.resume, letter.text, allowed))
        if i < show:
            print(f"\n--- letter {pair.name}\n{letter.text}")
    print(
        f"\nletters: name the company {naming}/{expected} | attribution errors {errors} "
        f"| fabricated {dict(fabricated) or 0}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--show", type=int, default=0, help="print N letters")
    args = parser.parse_args()
    pairs = load_pairs(args.pairs) + load_generated()
    fits = Counter(p.fit for p in pairs)
    print(f"{len(pairs)} pairs ({dict(fits)})")
    engine = LocalEngine(as_of=AS_OF)
    for strategy in Strategy:
        tally = Tally()
        for pair in pairs:
            run_strategy(engine, pair, strategy, tally)
        print_strategy(strategy, tally)
    letters(engine, pairs, args.show)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
