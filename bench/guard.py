"""Truth guard precision and recall on its fixture set.

    .venv/bin/python bench/guard.py [--verbose]

Runs every case of tests/fixtures/guard/cases.json (truthful rewrites that must pass and
fabrications of every kind that must be caught: employer, title, school, degree, date,
number, certification, skill, attribution to the wrong employer) and prints precision
(flagged cases that were fabrications), recall (fabrications flagged) and recall per kind.
Targets: precision >= 0.95, recall >= 0.98.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.unit.tailoring.guard_cases import findings, load_cases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    cases = load_cases()
    start = time.perf_counter()
    tp = fp = fn = tn = 0
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases:
        found = findings(case)
        if case.fabricated:
            total[case.kind] += 1
            caught[case.kind] += bool(found)
            tp, fn = tp + bool(found), fn + (not found)
        else:
            fp, tn = fp + bool(found), tn + (not found)
        wrong = bool(found) != case.fabricated
        if args.verbose and wrong:
            print(f"MISS {case.kind:13} {case.text!r} -> {[(w.code, w.text) for w in found]}")
    elapsed = (time.perf_counter() - start) * 1000
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"{len(cases)} cases ({tn + fp} truthful, {tp + fn} fabricated) in {elapsed:.0f} ms: "
        f"precision {precision:.3f} (target 0.95), recall {recall:.3f} (target 0.98); "
        f"false alarms {fp}, missed {fn}"
    )
    print("recall per kind: " + ", ".join(f"{k} {caught[k]}/{total[k]}" for k in sorted(total)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
