"""The posting keywords an ATS screen reads, and each pair's score and fit band.

    .venv/bin/python bench/quality_keywords.py [--show N] [--json OUT] [--compare OLD]

Prints, for every posting of the fixture pairs (tests/fixtures/pairs) and of the generated
corpus (tests/corpus), the keyword list the score's keyword share is taken from (taxonomy
skills first, then salient phrases) — these are also what a person is shown as "missing
keywords" — and how many of them are taxonomy skills. Then, per pair, the ATS score and
fit band of the untailored resume, and the same figures as means per labelled fit.

`--json OUT` writes the per-pair figures and keyword lists; `--compare OLD` reads such a
file written by an earlier run (another revision of the engine) and prints every pair
whose fit band or score changed, and the keywords each posting gained or lost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.tailoring import LocalEngine  # noqa: E402
from app.tailoring.taxonomy import load_taxonomy  # noqa: E402
from bench.quality_tailor import PAIRS, Pair, load_generated, load_pairs  # noqa: E402


def measure(pairs: list[Pair]) -> dict[str, Any]:
    engine = LocalEngine()
    postings: dict[str, list[str]] = {}
    scores: dict[str, dict[str, Any]] = {}
    for pair in pairs:
        posting = pair.name.split(" -> ")[-1] if " -> " in pair.name else pair.name.split("+")[-1]
        job = engine.analyse_job(pair.job)
        postings.setdefault(posting, list(job.keywords))
        report = engine.score(pair.resume, pair.job)
        scores[pair.name] = {
            "label": pair.fit,
            "score": report.score,
            "band": report.fit.value,
            "keywords_missing": list(report.keywords_missing),
        }
    return {"postings": postings, "pairs": scores}


def report(result: dict[str, Any], show: int) -> None:
    taxonomy = load_taxonomy()
    postings: dict[str, list[str]] = result["postings"]
    total = sum(len(k) for k in postings.values())
    skills = sum(k in taxonomy.skills for kws in postings.values() for k in kws)
    print(f"postings: {len(postings)}  keywords: {total} ({skills} taxonomy skills)")
    for name, keywords in list(postings.items())[:show]:
        phrases = [k for k in keywords if k not in taxonomy.skills]
        print(f"  {name}: {len(keywords)} keywords; phrases: {', '.join(phrases) or '-'}")
    pairs: dict[str, dict[str, Any]] = result["pairs"]
    for label in ("strong", "partial", "poor"):
        rows = [p for p in pairs.values() if p["label"] == label]
        if not rows:
            continue
        bands = {b: sum(p["band"] == b for p in rows) for b in ("strong", "partial", "poor")}
        mean = statistics.mean(p["score"] for p in rows)
        print(f"labelled {label:7} n={len(rows):3}  ATS {mean:5.1f}  bands {bands}")


def compare(old: dict[str, Any], new: dict[str, Any]) -> None:
    moved = 0
    for name, now in new["pairs"].items():
        was = old["pairs"].get(name)
        if was is None:
            continue
        if was["band"] != now["band"]:
            moved += 1
            print(f"  BAND {name} [{now['label']}]: {was['band']} -> {now['band']}", end="")
            print(f"  ({was['score']} -> {now['score']})")
    print(f"pairs whose fit band changed: {moved} of {len(new['pairs'])}")
    for posting, keywords in new["postings"].items():
        before = old["postings"].get(posting, [])
        lost = [k for k in before if k not in keywords]
        gained = [k for k in keywords if k not in before]
        if lost or gained:
            print(f"  {posting}: -[{', '.join(lost)}] +[{', '.join(gained)}]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--show", type=int, default=10)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    result = measure(load_pairs(args.pairs) + load_generated())
    report(result, args.show)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    if args.compare:
        compare(json.loads(args.compare.read_text()), result)


if __name__ == "__main__":
    main()
