"""The local engine in a warm, killable child process: one request per job.

Why a process: the local engine is pure Python CPU work (15-30 ms a job). On an engine
thread inside the worker it shares one GIL with the worker's event loop, so each slows the
other (measured: ~14 ms a job standalone, ~25 ms in situ), and rebuilding the typed
documents from JSON and serialising the results cost the worker as much again. In a child
process the worker only moves bytes: it reads the stored inputs as JSON text, hands them
over, and gets every artifact back as the JSON text it stores.

* one request computes everything the local engine makes for a job (plan, tailored resume,
  cover letter, interview prep, form data, evaluation), reusing any artifact a previous
  attempt stored (a rerun's later steps build on what was stored, not on a recomputation);
* JSON in and out (`app.procpool` framing), never pickle;
* a wall-clock deadline: a child that misses it is SIGKILLed (`EngineTimeout`); one that
  dies (`EngineCrashed`) is replaced by the pool on the next request; a Python error in
  the engine comes back as `EngineFailed` and the child is recycled;
* workers start the pool at start-up (`warm_up`), and each child runs a small job before it
  reports ready, so no job pays for the interpreter, the imports or the first-use loads;
  then it freezes that heap (`app.process_heap`): a full collection walked ~190,000
  startup objects, twice in 300 jobs, ~1 ms of CPU a job (0.15 ms frozen).

Blocking calls: use `compute` (async) from the event loop.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, BinaryIO

import orjson

from app import procpool
from app.documents.models import JobPosting, ResumeDocument
from app.process_heap import freeze_startup_heap
from app.procpool import HEADER, Worker, WorkerGone, WorkerTimeout, read_exact
from app.tailoring import engine_io
from app.tailoring.contact_override import ContactOverride, apply_contact
from app.tailoring.engine import LocalEngine
from app.tailoring.render import renderings
from app.tailoring.types import Plan, Strategy, TailoredResume

# The artifact kinds as stored (ArtifactKind's values; tailoring does not import db models).
PLAN = "plan"
TAILORED_RESUME = "tailored_resume"
COVER_LETTER = "cover_letter"
INTERVIEW_PREP = "interview_prep"
FORM_DATA = "form_data"
EVALUATION = "evaluation"

_MAX_MESSAGE = 64 * 1024 * 1024
_STARTUP_TIMEOUT_S = 60.0
# Recycled now and then to bound the growth of process-wide caches; a restart costs the
# next job about two seconds.
_JOBS_PER_PROCESS = 5000
# What Python needs; the engine reads no settings, so no service secrets go to the child.
_ENV_KEEP = frozenset({"PATH", "HOME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "VIRTUAL_ENV"})


class EngineUnavailable(Exception):
    """The engine process did not answer: a transient failure, worth a retry."""

    code = "TEMPORARY_FAILURE"  # the job's code once retries are used up
    message = "the tailoring engine stopped unexpectedly; try again"


class EngineTimeout(EngineUnavailable):
    code = "JOB_TIMEOUT"
    message = "the tailoring engine took too long on this job and was stopped; try again"


class EngineCrashed(EngineUnavailable):
    pass


class EngineFailed(Exception):
    """The engine raised on this job's input (deterministic: a retry would fail again)."""


@dataclass(frozen=True)
class EngineRequest:
    """A job's inputs as stored: the parsed documents' JSON text, the tailor options and
    the JSON text of every artifact a previous attempt stored (by kind)."""

    resume_json: str
    posting_json: str
    strategy: str
    contact: dict[str, Any] | None = None
    stored: Mapping[str, str] = field(default_factory=dict)
    as_of: tuple[int, int] | None = None  # tests: a fixed month; None: the current one


# --- the work itself (runs in the child; importable for tests and benches) -----------


def rendered(tailored: TailoredResume) -> dict[str, Any]:
    """The stored form of a tailored resume: its structure plus its three renderings
    (`to_markdown`, `to_html`, `to_text`, from one render model)."""
    markdown, html, text = renderings(tailored)
    return {**tailored.to_dict(), "markdown": markdown, "html": html, "text": text}


def documents(
    resume: dict[str, Any], posting: dict[str, Any], contact: dict[str, Any] | None
) -> tuple[ResumeDocument, JobPosting]:
    """The job's typed inputs; a contact block given on the tailor input replaces the
    resume's (it is the user's own truth, so every step and the guard read it as the
    resume's)."""
    document = apply_contact(ResumeDocument.from_dict(resume), ContactOverride.from_dict(contact))
    return document, JobPosting.from_dict(posting)


def _json_bytes(content: Any) -> bytes:
    # orjson: the same JSON values as json.dumps (non-str keys as strings), UTF-8 bytes
    # ready for the pipe, in a tenth of the time.
    return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def tailor_all(request: EngineRequest) -> dict[str, str]:
    """Every artifact the request does not already have, as stored JSON text, each step
    building on the stored artifact where there is one."""
    return {kind: text.decode() for kind, text in tailor_all_bytes(request).items()}


def tailor_all_bytes(request: EngineRequest) -> dict[str, bytes]:
    """`tailor_all` as UTF-8 JSON bytes (what the engine process sends)."""
    resume, posting = documents(
        orjson.loads(request.resume_json), orjson.loads(request.posting_json), request.contact
    )
    as_of = date(request.as_of[0], request.as_of[1], 1) if request.as_of else None
    engine, stored, made = LocalEngine(as_of=as_of), request.stored, {}
    if PLAN in stored:
        plan = Plan.from_dict(orjson.loads(stored[PLAN]))
    else:
        plan = engine.plan(resume, posting)
        made[PLAN] = plan.to_dict()
    if TAILORED_RESUME in stored:
        tailored = TailoredResume.from_dict(orjson.loads(stored[TAILORED_RESUME]))
    else:
        tailored = engine.draft(resume, posting, plan, Strategy(request.strategy))
        made[TAILORED_RESUME] = rendered(tailored)
    if COVER_LETTER not in stored:
        made[COVER_LETTER] = engine.cover_letter(resume, posting, plan).to_dict()
    if INTERVIEW_PREP not in stored:
        made[INTERVIEW_PREP] = engine.interview_prep(resume, posting, plan).to_dict()
    if FORM_DATA not in stored:
        made[FORM_DATA] = engine.form_data(resume)
    if EVALUATION not in stored:
        made[EVALUATION] = engine.evaluate(resume, posting, tailored).to_dict()
    return {kind: _json_bytes(content) for kind, content in made.items()}


# --- parent side ---------------------------------------------------------------------


def _start_failed(exc: BaseException | None) -> EngineCrashed:
    return EngineCrashed("the engine process could not start")


def _start_process() -> Worker:
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP or k.startswith("LC_")}
    process = Worker(
        "app.tailoring.engine_process",
        env,
        max_message=_MAX_MESSAGE,
        startup_timeout_s=_STARTUP_TIMEOUT_S,
        start_failed=_start_failed,
        startup_errors=(WorkerGone, WorkerTimeout, ValueError),
    )
    # Requests are written from the event loop (`engine_io.write_all`): never block on a
    # full pipe.
    os.set_blocking(_fd(process.proc.stdin), False)
    return process


def _fd(stream: IO[bytes] | None) -> int:
    assert stream is not None  # Worker opens both pipes
    return stream.fileno()


def _frame(request: EngineRequest) -> bytes:
    """The request header and its payload: the documents' and stored artifacts' bytes,
    passed through as read from the database."""
    parts = [request.resume_json, request.posting_json, *request.stored.values()]
    payload = [part.encode() for part in parts]
    header = {
        "strategy": request.strategy,
        "contact": request.contact,
        "as_of": request.as_of,
        "stored": list(request.stored),
        "lengths": [len(p) for p in payload],
    }
    body = orjson.dumps(header)
    return b"".join([HEADER.pack(len(body)), body, *payload])


async def _exchange(process: Worker, request: EngineRequest) -> dict[str, str]:
    process.jobs += 1
    await engine_io.write_all(_fd(process.proc.stdin), _frame(request))
    reply, body = await engine_io.read_reply(_fd(process.proc.stdout), _MAX_MESSAGE)
    if "error" in reply:
        raise EngineFailed(str(reply["error"]))
    out, at = {}, 0
    for kind, length in zip(reply["kinds"], reply["lengths"], strict=True):  # in bytes
        out[str(kind)] = str(body[at : at + length], "utf-8")
        at += length
    return out


class EnginePool(procpool.WorkerPool):
    """Warm engine processes, at most `size` at once, each serving one job at a time.
    A job's exchange runs on the event loop (`app.tailoring.engine_io`); only starting a
    process (seconds) goes to a thread."""

    def __init__(self, size: int, timeout_s: float) -> None:
        super().__init__(size, _start_process, jobs_per_worker=_JOBS_PER_PROCESS)
        self.timeout_s = timeout_s
        self._slots: asyncio.Semaphore | None = None
        self._slots_loop: asyncio.AbstractEventLoop | None = None

    def _semaphore(self) -> asyncio.Semaphore:
        # Waiting for a free process happens on the loop (cancellable), never in a thread.
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots_loop is not loop:
            self._slots, self._slots_loop = asyncio.Semaphore(self.size), loop
        return self._slots

    async def _process(self) -> Worker:
        """A warm idle process, else a new one started in a thread. A caller cancelled
        while it starts leaves it to the pool, not lost."""
        if (idle := self.acquire_idle()) is not None:
            return idle
        starting = asyncio.get_running_loop().run_in_executor(None, self.acquire)
        try:
            return await asyncio.shield(starting)
        except asyncio.CancelledError:
            starting.add_done_callback(self._release_started)
            raise

    def _release_started(self, started: asyncio.Future[Worker]) -> None:
        if not started.cancelled() and started.exception() is None:
            self.release(started.result(), reuse=True)

    async def compute(self, request: EngineRequest) -> dict[str, str]:
        """Every artifact the request lacks, as JSON text by kind. Raises EngineTimeout,
        EngineCrashed (both EngineUnavailable) or EngineFailed. A process that misses the
        deadline, dies, fails or whose caller is cancelled mid-request (the job was
        aborted) is killed at once and replaced on demand."""
        async with self._semaphore():
            process = await self._process()
            reuse = False
            try:
                async with asyncio.timeout(self.timeout_s):
                    reply = await _exchange(process, request)
                reuse = True
                return reply
            except TimeoutError:
                raise EngineTimeout(f"no answer within {self.timeout_s:g} s") from None
            except (WorkerGone, ValueError, KeyError, TypeError) as exc:
                raise EngineCrashed(type(exc).__name__) from None
            finally:
                self.release(process, reuse=reuse)  # not reused: killed

    def configure(self, size: int, timeout_s: float) -> None:
        self.size, self.timeout_s, self._slots = max(1, size), timeout_s, None


DEFAULT_TIMEOUT_S = 30.0
# Processes start on first use or at worker start-up (`warm_up`); sized from Settings there.
_POOL = EnginePool(1, DEFAULT_TIMEOUT_S)
atexit.register(_POOL.shutdown)


def engine_pool() -> EnginePool:
    return _POOL


# --- child side ----------------------------------------------------------------------

_WARM_RESUME = """Ada Example
ada@example.com | Springfield

Summary
Backend engineer building Python services on PostgreSQL and Redis.

Experience
Backend Engineer, Example Co (Mar 2019 - Present)
- Built Python APIs serving 2 million requests a day on PostgreSQL
- Cut deploy time 40% with Docker and GitHub Actions

Skills
Python, PostgreSQL, Redis, Docker, Kubernetes
"""
_WARM_POSTING = """Senior Backend Engineer at Example Corp

We need a backend engineer with 5+ years of Python, PostgreSQL and Kubernetes experience
to build reliable APIs. Experience with Redis and CI/CD is a plus.
"""


def _warm_up() -> None:
    """One small job, so the first real one does not pay for the first-use loads
    (taxonomy, matcher, caches: about a second)."""
    from app.documents import parse_job_posting, parse_resume

    resume = parse_resume(_WARM_RESUME.encode(), "warm-up.md").to_dict()
    posting = parse_job_posting(_WARM_POSTING).to_dict()
    tailor_all(EngineRequest(json.dumps(resume), json.dumps(posting), Strategy.DEFAULT.value))


def _request(inp: BinaryIO) -> EngineRequest | None:
    head = read_exact(inp, HEADER.size)
    if head is None:
        return None
    header = json.loads(read_exact(inp, HEADER.unpack(head)[0]) or b"{}")
    parts = [(read_exact(inp, n) or b"").decode() for n in header["lengths"]]
    as_of = header.get("as_of")
    return EngineRequest(
        resume_json=parts[0],
        posting_json=parts[1],
        strategy=str(header["strategy"]),
        contact=header.get("contact"),
        stored=dict(zip(header["stored"], parts[2:], strict=True)),
        as_of=(int(as_of[0]), int(as_of[1])) if as_of else None,
    )


def _serve(inp: BinaryIO, out: BinaryIO) -> None:
    import resource
    import signal

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # A Ctrl-C reaches the whole process group: the worker shuts down gracefully and its
    # jobs still need this process; it exits when the worker closes the pipe (or kills it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_up()
    freeze_startup_heap()
    procpool.send(out, {"ready": True})
    while (request := _request(inp)) is not None:
        try:
            made = tailor_all_bytes(request)
        except Exception as exc:  # the job's input broke the engine: say what, then recycle
            procpool.send(out, {"error": type(exc).__name__})
            return
        payload = list(made.values())
        header = {"kinds": list(made), "lengths": [len(p) for p in payload]}
        procpool.send(out, header, b"".join(payload))


def _main() -> None:
    _serve(sys.stdin.buffer, procpool.protocol_stdout())


if __name__ == "__main__":
    _main()
