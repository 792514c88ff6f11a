"""Benchmark the local tailoring engine on the project's samples (tests/fixtures).

    .venv/bin/python bench/engine.py [--runs 31]

For every sample pair it times the whole local pipeline — analysis + plan + draft (default
strategy) + cover letter + score before/after (`evaluate`) — and prints the median and p95
in milliseconds, plus a synthetic two-page resume (the 50 ms target). Two numbers per row:

* cold: per-document caches cleared before each run (a new document arriving at a worker);
  process-wide state (taxonomy, trie, word normalisation) stays loaded, as in a worker;
* warm: the same document again (a worker calling plan, draft, letter, evaluate in turn).

A baseline measured in the same run — lower-casing and tokenising the same resume and
posting text — gives the ratio, so numbers stay comparable across machines. Peak memory of
one pipeline run and of loading the taxonomy come from tracemalloc.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.documents import parse_job_posting, parse_resume  # noqa: E402
from app.documents.models import JobPosting, ResumeDocument  # noqa: E402
from app.tailoring import LocalEngine, Strategy  # noqa: E402
from app.tailoring.matcher import SkillMatcher  # noqa: E402
from app.tailoring.taxonomy import load_taxonomy  # noqa: E402
from app.tailoring.text import tokenize_uncached  # noqa: E402
from tests.fixtures.make_samples import samples_root  # noqa: E402

TARGET_MS = 50.0

# Extra roles for the synthetic two-page resume (about 5,000 characters, 70 lines: two
# printed pages at a typical 11pt layout).
_EXTRA_ROLES = """
### Staff Engineer — Quarry Logistics, Denver, CO
Jan 2014 – Jun 2016
- Ran the migration of 120 batch jobs from cron to Airflow, cutting missed SLAs by 70%
- Designed a multi-region PostgreSQL setup with streaming replication and automated failover
- Built Terraform modules for VPCs, IAM roles and EKS clusters used by 14 teams
- Introduced OpenTelemetry tracing and Grafana dashboards for 40 services
- Led incident reviews and wrote the on-call handbook used by 60 engineers
- Reduced AWS spend by $1.4M a year through rightsizing and Savings Plans

### Software Engineer — Meridian Bank, Chicago, IL
Aug 2011 – Dec 2013
- Built payment reconciliation services in Java and Spring Boot processing 2M transactions a day
- Wrote Kafka consumers for card authorisations with exactly-once delivery
- Added contract and load tests that caught 30 regressions before release
- Moved 25 services from VMs to Docker containers on Kubernetes
- Partnered with security on PCI DSS audits and secrets rotation with HashiCorp Vault

### Software Developer — Northbound Games, Austin, TX
Jun 2009 – Jul 2011
- Shipped matchmaking APIs in Go serving 500k daily players
- Tuned Redis caching to cut p95 latency from 180 ms to 35 ms
- Automated builds with Jenkins and GitHub Actions for 8 repositories
- Mentored 3 interns; ran weekly code reviews

### Systems Administrator — Lakeview County Schools, Round Rock, TX
Jan 2007 – May 2009
- Administered 140 Linux and Windows servers and the district's Active Directory
- Wrote Bash and PowerShell scripts that automated nightly backups for 32 schools
- Replaced a failing tape backup with Veeam, cutting restore time from 2 days to 3 hours
- Rolled out Nagios monitoring and an on-call rota for a team of 5

### IT Support Technician — Pioneer Credit Union, Austin, TX
Jun 2005 – Dec 2006
- Resolved 40+ help desk tickets a week across 12 branches
- Imaged and deployed 300 workstations during a Windows migration
- Documented network runbooks later adopted by the whole IT department

## Projects
- Open-source Terraform provider for feature flags (1.2k GitHub stars), written in Go
- Conference talk: "Boring deploys with Argo CD" at KubeCon 2023, 400 attendees
- Maintainer of a Helm chart for self-hosted observability (Prometheus, Loki, Grafana)
- Built a Raspberry Pi home lab running k3s, Flux and a PostgreSQL cluster for practice

## Volunteer
- Mentor at Austin Coding Academy: 2 cohorts, 24 students, weekly code reviews
- Organiser of the Austin Platform Engineering meetup (quarterly, 80 members)
"""


def _two_page_resume(samples: Path) -> ResumeDocument:
    text = (samples / "resumes" / "jonah-brandt-backend.md").read_text(encoding="utf-8")
    head, education = text.split("## Education", 1)
    return parse_resume((head + _EXTRA_ROLES + "\n## Education" + education).encode(), "two.md")


def _median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time(
    fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> list[float]:
    out = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def pipeline(engine: LocalEngine, resume: ResumeDocument, job: JobPosting) -> None:
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan, Strategy.DEFAULT)
    engine.cover_letter(resume, job, plan)
    engine.evaluate(resume, job, tailored)


def baseline(resume: ResumeDocument, job: JobPosting) -> None:
    """The floor: touch every character once (lower-case + tokenise both texts with the
    engine's own tokenizer, uncached)."""
    for text in (resume.text, job.text):
        text.lower().split()
        tokenize_uncached(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (verdict)")
    parser.add_argument("--samples", type=Path, default=None)
    args = parser.parse_args()
    if args.samples is None:
        args.samples = samples_root()

    load_start = time.perf_counter()
    engine = LocalEngine(as_of=date(2025, 11, 15))
    resumes = {
        p.stem: parse_resume(p.read_bytes(), p.name)
        for p in sorted((args.samples / "resumes").iterdir())
    }
    jobs = {
        p.stem: parse_job_posting(p.read_text(encoding="utf-8"))
        for p in sorted((args.samples / "jobs").iterdir())
    }
    resumes["two-page (synthetic)"] = _two_page_resume(args.samples)
    parse_seconds = time.perf_counter() - load_start
    load_start = time.perf_counter()
    pipeline(engine, next(iter(resumes.values())), next(iter(jobs.values())))  # loads taxonomy
    load_seconds = time.perf_counter() - load_start
    # Memory of the loaded taxonomy + matcher: build a second matcher under tracemalloc.
    tracemalloc.start()
    matcher = SkillMatcher(load_taxonomy())
    matcher_bytes, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del matcher

    print(
        f"samples parsed in {parse_seconds * 1000:.0f} ms; first call (loads "
        f"{len(load_taxonomy())} skills, builds the trie): {load_seconds * 1000:.0f} ms; "
        f"matcher resident {matcher_bytes / 1024 / 1024:.1f} MiB"
    )
    header = (
        f"{'resume':28} {'job':26} {'chars':>6} {'cold ms':>8} {'p95':>6} {'warm ms':>8} "
        f"{'base ms':>8} {'ratio':>6} {'peak KiB':>9}"
    )
    print(header)
    print("-" * len(header))
    worst_two_page = 0.0
    for resume_name, resume in resumes.items():
        for job_name, job in jobs.items():
            run = functools.partial(pipeline, engine, resume, job)
            cold = _time(run, args.runs, engine.clear_cache)
            warm = _time(run, args.runs)
            base = _time(functools.partial(baseline, resume, job), args.runs)
            cold_med, cold_p95 = _median_p95(cold)
            warm_med, _ = _median_p95(warm)
            base_med, _ = _median_p95(base)
            engine.clear_cache()
            tracemalloc.start()
            pipeline(engine, resume, job)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            if resume_name.startswith("two-page"):
                worst_two_page = max(worst_two_page, cold_med)
            print(
                f"{resume_name[:28]:28} {job_name[:26]:26} {len(resume.text):6d} "
                f"{cold_med:8.1f} {cold_p95:6.1f} {warm_med:8.1f} {base_med:8.2f} "
                f"{cold_med / base_med:6.0f}x {peak / 1024:9.0f}"
            )
    print(f"\ntwo-page resume, worst median wall time (cold): {worst_two_page:.1f} ms")
    two_page_verdict(engine, resumes["two-page (synthetic)"], jobs, args.rounds)
    return 0


def two_page_verdict(
    engine: LocalEngine, resume: ResumeDocument, jobs: dict[str, JobPosting], rounds: int
) -> None:
    """The target, measured so a shared machine cannot fake or hide it: CPU time of the
    process (other processes' load does not count), cold per run, jobs interleaved round
    by round, median per round, then the median of those medians per job."""
    per_job: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(rounds):
        for name, job in jobs.items():
            samples = []
            for _ in range(5):
                engine.clear_cache()
                start = time.process_time()
                pipeline(engine, resume, job)
                samples.append(time.process_time() - start)
            per_job[name].append(statistics.median(samples) * 1000)
    worst_name, worst = max(
        ((name, statistics.median(medians)) for name, medians in per_job.items()),
        key=lambda item: item[1],
    )
    verdict = "OK" if worst <= TARGET_MS else "OVER TARGET"
    print(
        f"two-page resume, median of {rounds} interleaved medians (CPU time, cold), worst job "
        f"{worst_name}: {worst:.1f} ms (target <= {TARGET_MS:.0f} ms): {verdict}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
