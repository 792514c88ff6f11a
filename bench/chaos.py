"""Chaos run: tailoring jobs and exports through worker SIGKILLs and Redis and Postgres
restarts, then an audit of what came out.

Starts its own PostgreSQL, Redis, API (uvicorn) and workers on free ports, submits jobs
(each with its own job description), accepts every completed one with an export, and
meanwhile kills random workers (a new one replaces each) and restarts Redis (losing the
queue: it runs without persistence) and Postgres. When everything has settled it prints:

    jobs:    submitted / completed / failed / stuck / duplicated
    exports: submitted / ready / failed / stuck / duplicated
    events:  lost / duplicated (database sequences, and live subscriptions of a sample)

    .venv/bin/python bench/chaos.py --jobs 500 --kills 5    # the full run
    .venv/bin/python bench/chaos.py --jobs 20 --kills 1     # a quick one

tests/integration/test_chaos.py runs a short variant in CI.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.chaos_stack import TERMINAL, ChaosConfig, Driver, Stack


@dataclass
class Report:
    jobs: dict[str, int] = field(default_factory=dict)
    exports: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    chaos: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    phases_s: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0

    def lines(self) -> list[str]:
        def row(name: str, values: dict[str, int]) -> str:
            return f"{name:8} " + "  ".join(f"{k}={v}" for k, v in values.items())

        return [
            row("jobs:", self.jobs),
            row("exports:", self.exports),
            row("events:", self.events),
            row("chaos:", self.chaos),
            row("errors:", self.errors),
            row("phases:", self.phases_s),
            f"elapsed: {self.elapsed_s:.0f} s",
        ]


async def audit(driver: Driver) -> Report:
    report = Report()
    statuses = dict(
        await driver.rows("SELECT status, count(*) FROM tailoring_jobs GROUP BY status")
    )
    per_jd = await driver.rows(
        "SELECT count(*) FROM (SELECT job_description_id FROM tailoring_jobs "
        "GROUP BY job_description_id HAVING count(*) > 1) d"
    )
    twice = await driver.rows(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM artifacts GROUP BY job_id, kind "
        "HAVING count(*) > 1) a) + (SELECT count(*) FROM (SELECT 1 FROM versions "
        "GROUP BY job_id HAVING count(*) > 1) v)"
    )
    report.jobs = {
        "submitted": len(driver.job_ids),
        "completed": int(statuses.get("COMPLETED", 0)),
        "failed": int(statuses.get("FAILED", 0)) + int(statuses.get("CANCELLED", 0)),
        "stuck": sum(int(n) for s, n in statuses.items() if s not in TERMINAL),
        "duplicated": int(per_jd[0][0]) + int(twice[0][0]),
    }
    exports = dict(await driver.rows("SELECT status, count(*) FROM exports GROUP BY status"))
    export_twice = await driver.rows(
        "SELECT count(*) FROM (SELECT 1 FROM exports GROUP BY version_id, document, format, "
        "template HAVING count(*) > 1) e"
    )
    report.exports = {
        "submitted": sum(int(n) for n in exports.values()),
        "ready": int(exports.get("READY", 0)),
        "failed": int(exports.get("FAILED", 0)),
        "stuck": int(exports.get("PENDING", 0)),
        "duplicated": int(export_twice[0][0]),
    }
    report.events = await _event_audit(driver)
    report.errors = dict(sorted(driver.errors.items()))
    return report


async def _event_audit(driver: Driver) -> dict[str, int]:
    """Gaps and repeats in each job's stored sequence, and in what subscribers received."""
    rows = await driver.rows(
        "SELECT job_id, max(seq), count(DISTINCT seq), count(*), "
        "count(*) FILTER (WHERE status IN ('COMPLETED','FAILED','CANCELLED')) "
        "FROM job_events GROUP BY job_id"
    )
    stored: dict[str, int] = {str(r[0]): int(r[1]) for r in rows}
    lost = sum(int(r[1]) - int(r[2]) for r in rows)
    duplicated = sum(int(r[3]) - int(r[2]) + max(0, int(r[4]) - 1) for r in rows)
    live_lost = live_duplicated = 0
    for job_id, seen in driver.received.items():
        live_duplicated += len(seen) - len(set(seen))
        live_lost += len(set(range(1, stored.get(job_id, 0) + 1)) - set(seen))
    return {
        "stored_lost": lost,
        "stored_duplicated": duplicated,
        "subscribed_jobs": len(driver.received),
        "live_lost": live_lost,
        "live_duplicated": live_duplicated,
    }


async def run_chaos(config: ChaosConfig, work: Path | None = None) -> Report:
    """Start everything, drive the run, audit it, stop everything."""
    rng = random.Random(config.seed)
    # Under /tmp: the postgres user must reach the data folder (pytest's tmp_path is 0700).
    scratch = None if work else Path(tempfile.mkdtemp(prefix="tailor-chaos-"))
    stack = Stack(work or scratch or Path(), config.workers)
    began = time.monotonic()
    try:
        await asyncio.to_thread(stack.start)  # migrations run their own event loop
    except BaseException:
        stack.stop()
        raise
    phases = {"startup": round(time.monotonic() - began)}
    driver = Driver(stack, config)
    try:
        stop_accepting = asyncio.Event()
        # Chaos is paced by how many jobs have ended, so it lands while work is in flight.
        unleashing = asyncio.create_task(driver.unleash(rng))
        accepting = asyncio.create_task(driver.accept_completed(stop_accepting))
        await driver.submit_all()
        phases["submit"] = round(time.monotonic() - began) - sum(phases.values())
        chaos = await unleashing
        phases["chaos"] = round(time.monotonic() - began) - sum(phases.values())
        await driver.until(driver.settled, 1.0, config.settle_timeout_s)
        phases["settle"] = round(time.monotonic() - began) - sum(phases.values())
        stop_accepting.set()
        await accepting
        await asyncio.wait(driver.followers, timeout=30)
        for task in driver.followers:
            task.cancel()
        report = await audit(driver)
        report.chaos = chaos
        report.phases_s = phases
    finally:
        await driver.http.aclose()
        await driver.engine.dispose()
        stack.stop()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    report.elapsed_s = time.monotonic() - began
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--redis-restarts", type=int, default=1)
    parser.add_argument("--postgres-restarts", type=int, default=1)
    parser.add_argument("--subscribed", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    config = ChaosConfig(
        jobs=args.jobs,
        workers=args.workers,
        kills=args.kills,
        redis_restarts=args.redis_restarts,
        postgres_restarts=args.postgres_restarts,
        subscribed=args.subscribed,
        seed=args.seed,
    )
    report = asyncio.run(run_chaos(config))
    print("\n".join(report.lines()))


if __name__ == "__main__":
    main()
