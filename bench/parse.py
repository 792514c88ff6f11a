"""Parse-time benchmark for app.documents, against the parser as it was before issue 10.

Run: .venv/bin/python bench/parse.py [--runs N] [--baseline-rev REV]

Inputs are the fixture corpus (tests/corpus) grouped by format. For each format it prints
the median time to parse all of that format's documents in-process with today's code and
with the baseline revision's code (exported with `git archive` into a temporary directory
and timed in a child process in this same run, same inputs, same machine), and the ratio
today/baseline; the issue-10 budget is 1.5x. It then shows the sandboxed entry point's
overhead (warm worker pool) for today's code.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The parser before the issue-10 work (the commit that added the corpus).
BASELINE_REV = "41d4fea7d59125db4ee4a5c03e34f1381d0635fa"
BUDGET = 1.5


def _inputs() -> dict[str, list[tuple[bytes, str]]]:
    from tests.corpus import load_corpus

    groups: dict[str, list[tuple[bytes, str]]] = {}
    for doc in load_corpus().resumes:
        fmt = doc.filename.rsplit(".", 1)[1]
        groups.setdefault(f"resume {fmt}", []).append((doc.data, doc.filename))
    for doc in load_corpus().postings:
        groups.setdefault("postings (all)", []).append((doc.data, doc.filename))
    return groups


def _parse_all(group: str, docs: list[tuple[bytes, str]]) -> None:
    from app.documents import parse_job_posting_bytes, parse_resume

    parse: Callable[[bytes, str], object] = (
        parse_job_posting_bytes if group.startswith("postings") else parse_resume
    )
    for data, filename in docs:
        parse(data, filename)


def _median_seconds(
    fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.process_time
) -> float:
    """Median CPU time of `fn` (CPU, not wall, time: other processes on a shared machine
    then barely move the figure)."""
    fn()  # warm caches (regex compilation, lazy imports)
    samples = []
    for _ in range(runs):
        start = clock()
        fn()
        samples.append(clock() - start)
    return statistics.median(samples)


def measure(runs: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for group, docs in _inputs().items():
        out[group] = _median_seconds(functools.partial(_parse_all, group, docs), runs)
    return out


def _child(pythonpath: str, runs: int, cwd: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=pythonpath)
    out = subprocess.run(
        [sys.executable, __file__, "--worker", "--runs", str(runs)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def compare(rev: str, runs: int, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """(baseline, today) per format: the baseline revision's app/ (git archive) and today's
    each timed in a child process, alternating for `rounds` rounds; the fastest round
    counts, so load from other processes on the machine hits both sides alike."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", rev, "app"],
            check=True,
            capture_output=True,
        ).stdout
        tar_path = Path(tmp) / "app.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(tmp, filter="data")
        base: dict[str, float] = {}
        now: dict[str, float] = {}
        for _ in range(rounds):
            for target, path in ((base, f"{tmp}{os.pathsep}{REPO}"), (now, str(REPO))):
                for group, seconds in _child(path, runs, tmp).items():
                    target[group] = min(seconds, target.get(group, seconds))
    return base, now


def _sandbox_overhead(runs: int) -> dict[str, tuple[float, float]]:
    from app.documents import parse_resume, parse_resume_sandboxed
    from app.documents.sandbox import default_pool

    default_pool().warm_up()
    out: dict[str, tuple[float, float]] = {}
    for group, docs in _inputs().items():
        if group.startswith("postings"):
            continue
        data, filename = docs[0]
        wall = time.perf_counter
        local = _median_seconds(functools.partial(parse_resume, data, filename), runs, wall)
        boxed = _median_seconds(
            functools.partial(parse_resume_sandboxed, data, filename), runs, wall
        )
        out[group] = (local, boxed)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        # Child process: PYTHONPATH puts the baseline's app/ first.
        print(json.dumps(measure(args.runs)))
        return
    sys.path.insert(0, str(REPO))
    base, now = compare(args.baseline_rev, args.runs, args.rounds)
    print(
        f"runs per measurement: {args.runs} (median), best of {args.rounds} alternating "
        f"rounds; baseline: {args.baseline_rev[:10]}"
    )
    header = f"{'format':<18}{'docs':>5}{'baseline':>12}{'today':>12}{'ratio':>8}  budget"
    print(header)
    print("-" * len(header))
    counts = {g: len(d) for g, d in _inputs().items()}
    for group, seconds in now.items():
        ratio = seconds / base[group]
        verdict = "ok" if ratio <= BUDGET else f"OVER {BUDGET}x"
        print(
            f"{group:<18}{counts[group]:>5}{base[group] * 1000:>9.1f} ms{seconds * 1000:>9.1f} ms"
            f"{ratio:>7.2f}x  {verdict}"
        )
    print("\nwall time, sandboxed parse of one document per format (warm worker pool):")
    for group, (local, boxed) in _sandbox_overhead(args.runs).items():
        print(f"{group:<18}{local * 1000:>9.1f} ms in-process {boxed * 1000:>9.1f} ms sandboxed")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
