"""Pipeline benchmark, every figure next to a baseline measured in the same run.

* throughput with the local engine (jobs submitted at once) vs the engine-only rate (the
  same jobs run back to back in this process, no database, no queue);
* end-to-end latency (tailor mutation -> COMPLETED event) at light load (one job at a time)
  and at a steady 10 jobs/s offered, vs the engine-only time of one job;
* CPU milliseconds per job of every process (API, worker with its engine process,
  PostgreSQL, Redis, this bench's own client).

Subscription delivery lag and API memory per idle socket are bench/fanout.py's: it times
each live event against a bare redis-py fan-out played right after it, on the same idle
stack (measured here, with a worker running jobs on the same cores and the baseline taken
at another moment, the two figures were not comparable).

`--scale`: the same throughput and delivery with two API processes and two workers on one
Redis and one Postgres (clients subscribe on API A, jobs go in through API B), vs one of each.

Starts its own PostgreSQL, Redis, API and worker processes. Size: BENCH_JOBS (200: long
enough that the burst's ramp-up and tail do not decide the rate).
Run: .venv/bin/python bench/pipeline.py [--scale]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.harness.client import follow, http_client, inputs, pct, sign_up, tailor  # noqa: E402
from bench.harness.stack import Stack, cpu_snapshot, start_stack  # noqa: E402
from tests.fixtures.make_samples import samples_root  # noqa: E402

JOBS = int(os.environ.get("BENCH_JOBS", "200"))


def engine_only(samples: Path, runs: int = 30) -> float:
    """Seconds per job (median of `runs`) for the local engine alone, back to back in one
    process, a fresh engine and fresh documents per job as in the worker (which rebuilds
    them from the stored JSON; that rebuild is not timed here), process-wide caches warm as
    in a worker."""
    from app.documents import parse_job_posting, parse_resume
    from app.documents.models import JobPosting, ResumeDocument
    from app.tailoring import LocalEngine

    resume = parse_resume((samples / "resumes" / "jonah-brandt-backend.md").read_bytes(), "r.md")
    job = parse_job_posting((samples / "jobs" / "infrastructure-engineer-keelson.txt").read_text())
    stored = resume.to_dict(), job.to_dict()

    def one(resume: ResumeDocument, job: JobPosting) -> None:
        engine = LocalEngine()
        plan = engine.plan(resume, job)
        tailored = engine.draft(resume, job, plan)
        engine.cover_letter(resume, job, plan)
        engine.interview_prep(resume, job, plan)
        engine.form_data(resume)
        engine.evaluate(resume, job, tailored)

    one(resume, job)
    walls = []
    for _ in range(runs):
        documents = ResumeDocument.from_dict(stored[0]), JobPosting.from_dict(stored[1])
        start, cpu = time.perf_counter(), time.process_time()
        one(*documents)
        _ENGINE_CPU_S.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


_ENGINE_CPU_S: list[float] = []


class EngineBaseline:
    """Engine-only time per job, measured before the stack starts and again after it
    stops. The faster of the two medians is the baseline: a measurement slowed by other
    load on the machine would flatter every ratio against it."""

    def __init__(self, samples: Path) -> None:
        self.samples = samples
        self.medians = [engine_only(samples)]

    def remeasure(self) -> None:
        self.medians.append(engine_only(self.samples))
        print(
            "engine-only per job (median of 30): "
            + ", ".join(f"{m * 1000:.1f} ms" for m in self.medians)
            + " (before, after the stack; the faster is the baseline)"
        )

    @property
    def per_job_s(self) -> float:
        return min(self.medians)


def engine_cpu_ms() -> float:
    return statistics.median(_ENGINE_CPU_S) * 1000


class Session:
    """One user's HTTP client and inputs; jobs go in through `submit_api`, subscriptions
    through `watch_ws`."""

    def __init__(self, http: aiohttp.ClientSession, token: str, watch_ws: str) -> None:
        self.http, self.token, self.watch_ws = http, token, watch_ws
        self.resume_id = ""
        self.jd_ids: list[str] = []
        self.cpu_ms: dict[str, float] = {}  # CPU per job by process kind, from the burst

    async def prepare(self, samples: Path, count: int) -> None:
        self.resume_id, self.jd_ids = await inputs(self.http, self.token, samples, count)

    async def submit(self) -> str:
        return await tailor(self.http, self.token, self.resume_id, self.jd_ids.pop())

    async def run_one(self) -> float:
        start = time.time()
        events = await follow(self.watch_ws, self.token, await self.submit())
        assert events[-1][0]["status"] == "COMPLETED", events[-1]
        return events[-1][1] - start


async def light_load(session: Session, count: int) -> list[float]:
    return [await session.run_one() for _ in range(count)]


async def burst(session: Session, count: int, stack: Stack | None = None) -> float:
    before = cpu_snapshot(stack) if stack else {}
    client_before = time.process_time()  # this process: the bench's own HTTP/WS client
    start = time.time()
    ids = await asyncio.gather(*(session.submit() for _ in range(count)))
    streams = await asyncio.gather(*(follow(session.watch_ws, session.token, j) for j in ids))
    assert all(s[-1][0]["status"] == "COMPLETED" for s in streams)
    rate = count / (max(s[-1][1] for s in streams) - start)
    if stack is not None:
        client_ms = (time.process_time() - client_before) * 1000 / count
        after = cpu_snapshot(stack)
        session.cpu_ms = {k: (after[k] - before[k]) * 1000 / count for k in after}
        session.cpu_ms["bench client"] = client_ms
    return rate


async def offered(session: Session, per_s: float, count: int) -> list[float]:
    async def later(delay: float) -> float:
        await asyncio.sleep(delay)
        return await session.run_one()

    return list(await asyncio.gather(*(later(i / per_s) for i in range(count))))


def line(label: str, value: float, unit: str, base: float, base_label: str, target: str) -> str:
    return (
        f"{label}: {value:.1f} {unit} | {base_label}: {base:.1f} {unit} | "
        f"ratio {value / base:.2f}x ({target})"
    )


async def single_stack(samples: Path, baseline: EngineBaseline) -> None:
    stack = await start_stack()
    try:
        api = stack.start_api()
        stack.start_worker()
        async with http_client(api.http) as http:
            session = Session(http, await sign_up(http), api.ws)
            await session.prepare(samples, 20 + JOBS + 50)
            light = await light_load(session, 20)
            rate = await burst(session, JOBS, stack)
            steady = await offered(session, 10.0, 50)
    finally:
        stack.stop()
    baseline.remeasure()
    report(baseline.per_job_s, rate, light, steady, session.cpu_ms)


def report(
    per_job_s: float, rate: float, light: list[float], steady: list[float], cpu: dict[str, float]
) -> None:
    engine_ms, vs = per_job_s * 1000, "engine-only job"
    for text in (
        line(
            "throughput, 1 worker",
            rate,
            "jobs/s",
            1 / per_job_s,
            "engine-only",
            "target >= 0.5x and >= 15 jobs/s",
        ),
        line(
            "end-to-end p50, light load",
            statistics.median(light) * 1000,
            "ms",
            engine_ms,
            vs,
            "target <= 150 ms",
        ),
        line(
            "end-to-end p99, 10 jobs/s offered",
            pct(steady, 0.99) * 1000,
            "ms",
            engine_ms,
            vs,
            "target <= 600 ms",
        ),
        line(
            "end-to-end p50, 10 jobs/s offered",
            statistics.median(steady) * 1000,
            "ms",
            engine_ms,
            vs,
            "-",
        ),
    ):
        print(text)
    cores = os.cpu_count() or 1
    print(
        "CPU per job in the burst (moved less by other load than wall time): "
        + ", ".join(f"{k} {v:.1f} ms" for k, v in cpu.items())
        + f" | engine-only {engine_cpu_ms():.1f} ms | worker-bound capacity "
        f"{1000 / cpu['worker']:.1f} jobs/s, whole stack and client on {cores} idle cores "
        f"{1000 * cores / sum(cpu.values()):.1f} jobs/s"
    )


async def scaled(samples: Path, baseline: EngineBaseline) -> None:
    """One API + one worker, then two of each (subscribe on A, submit through B)."""
    results: dict[int, float] = {}
    for size in (1, 2):
        stack = await start_stack()
        try:
            apis = [stack.start_api() for _ in range(size)]
            for _ in range(size):
                stack.start_worker()
            async with http_client(apis[-1].http) as http:
                session = Session(http, await sign_up(http), apis[0].ws)
                await session.prepare(samples, JOBS)
                results[size] = await burst(session, JOBS)
        finally:
            stack.stop()
    baseline.remeasure()
    print(
        line(
            "throughput, 2 APIs + 2 workers",
            results[2],
            "jobs/s",
            results[1],
            "1 API + 1 worker",
            "scale-out",
        )
    )
    print(
        line(
            "throughput, 2 APIs + 2 workers",
            results[2],
            "jobs/s",
            1 / baseline.per_job_s,
            "engine-only, 1 process",
            "-",
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", action="store_true", help="two API and two worker processes")
    args = parser.parse_args()
    samples = samples_root()
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f}")
    baseline = EngineBaseline(samples)
    asyncio.run(scaled(samples, baseline) if args.scale else single_stack(samples, baseline))
    print(f"load average at end: {os.getloadavg()[0]:.2f} (other processes share the machine)")


if __name__ == "__main__":
    main()
