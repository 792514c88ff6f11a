"""CPU time of the document (de)serialiser, today's against the previous implementation.

Run: .venv/bin/python bench/serde.py [--runs N] [--baseline-rev REV]

Inputs are what a tailoring job moves through app/documents/serde.py: the two-page
synthetic resume of bench/engine.py and a sample posting (rebuilt from their stored JSON by
the worker's engine process and by the API's tailor mutation), and the engine's plan,
tailored resume, evaluation, cover letter and interview prep for them (written with
`to_dict` when stored; rebuilt when a rerun or the API reads them).

The previous implementation (app/documents/serde.py at the baseline revision, read with
`git show`) is loaded as a second module in this same process; both are timed alternately
on the same objects, in CPU time (other processes on a shared machine barely move it),
median per call, after checking they give the same dicts and objects. It prints each row,
the ratio baseline/today, and the per-job total.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.documents import serde  # noqa: E402
from app.tailoring import LocalEngine, Strategy  # noqa: E402
from bench.engine import load_documents  # noqa: E402
from tests.fixtures.make_samples import samples_root  # noqa: E402

# serde.py before the compiled converters (reflection on every value).
BASELINE_REV = "f564e3e3bd5a481e6c15485237baceb8db843af5"
CALLS_PER_SAMPLE = 5
# What one job does: (row, operation) pairs summed into the per-job line.
PER_JOB = [
    ("resume (two-page)", "rebuild"),
    ("posting", "rebuild"),
    ("plan", "to_dict"),
    ("tailored resume", "to_dict"),
    ("evaluation", "to_dict"),
    ("cover letter", "to_dict"),
    ("interview prep", "to_dict"),
]


def baseline_module(rev: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{rev}:app/documents/serde.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "serde_baseline.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("serde_baseline", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


def inputs() -> dict[str, Any]:
    """Row name -> document or artifact (the objects a job serialises or rebuilds)."""
    resumes, jobs = load_documents(samples_root())
    resume, posting = resumes["two-page (synthetic)"], jobs["infrastructure-engineer-keelson"]
    engine = LocalEngine()
    plan = engine.plan(resume, posting)
    tailored = engine.draft(resume, posting, plan, Strategy.DEFAULT)
    return {
        "resume (two-page)": resume,
        "posting": posting,
        "plan": plan,
        "tailored resume": tailored,
        "evaluation": engine.evaluate(resume, posting, tailored),
        "cover letter": engine.cover_letter(resume, posting, plan),
        "interview prep": engine.interview_prep(resume, posting, plan),
    }


def operations(module: Any, obj: Any) -> dict[str, Callable[[], object]]:
    stored = json.loads(json.dumps(serde.to_dict(obj)))
    cls = type(obj)
    return {
        "rebuild": lambda: module.rebuild(cls, stored),
        "to_dict": lambda: module.to_dict(obj),
    }


def check_same(baseline: Any, obj: Any) -> None:
    today, before = serde.to_dict(obj), baseline.to_dict(obj)
    assert json.dumps(today) == json.dumps(before), "to_dict differs from the baseline"
    stored = json.loads(json.dumps(today))
    rebuilt = serde.rebuild(type(obj), stored)
    assert rebuilt == baseline.rebuild(type(obj), stored) == obj, "rebuild differs"


def _cpu_per_call(fn: Callable[[], object]) -> float:
    start = time.process_time()
    for _ in range(CALLS_PER_SAMPLE):
        fn()
    return (time.process_time() - start) / CALLS_PER_SAMPLE


def measure(baseline: Any, objects: dict[str, Any], runs: int) -> dict[tuple[str, str], Any]:
    """(row, operation) -> (baseline seconds, today seconds), medians of alternating runs."""
    samples: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for name, obj in objects.items():
        before, today = operations(baseline, obj), operations(serde, obj)
        for op in before:
            before[op](), today[op]()  # warm: the compiled converters are built once
            pair: tuple[list[float], list[float]] = ([], [])
            for _ in range(runs):
                pair[0].append(_cpu_per_call(before[op]))
                pair[1].append(_cpu_per_call(today[op]))
            samples[(name, op)] = pair
    return {key: (statistics.median(b), statistics.median(t)) for key, (b, t) in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    args = parser.parse_args()
    baseline = baseline_module(args.baseline_rev)
    objects = inputs()
    for obj in objects.values():
        check_same(baseline, obj)
    figures = measure(baseline, objects, args.runs)
    print(
        f"cores: {os.cpu_count()}; CPU time per call, median of {args.runs} alternating runs "
        f"of {CALLS_PER_SAMPLE} calls; baseline: serde.py at {args.baseline_rev[:10]}; "
        "same output: yes"
    )
    header = f"{'row':<20}{'operation':<10}{'JSON':>9}{'baseline':>12}{'today':>12}{'ratio':>9}"
    print(header)
    print("-" * len(header))
    for (name, op), (before, today) in figures.items():
        size = len(json.dumps(serde.to_dict(objects[name])))
        print(
            f"{name:<20}{op:<10}{size / 1000:>7.1f}kB{before * 1e6:>9.0f} us{today * 1e6:>9.0f} us"
            f"{before / today:>8.1f}x"
        )
    before = sum(figures[key][0] for key in PER_JOB)
    today = sum(figures[key][1] for key in PER_JOB)
    print(
        f"\nper job (rebuild resume + posting; to_dict of plan, tailored resume, evaluation, "
        f"letter, prep): "
        f"{before * 1000:.2f} ms -> {today * 1000:.2f} ms CPU ({before / today:.1f}x less)"
    )


if __name__ == "__main__":
    main()
