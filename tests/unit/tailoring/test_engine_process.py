"""The local engine's child process: what it returns for a job is what the engine computes
in-process, it builds on artifacts a previous attempt stored, and a process that dies or
hangs is killed, reported with a stable error and replaced."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.documents import parse_job_posting, parse_resume
from app.tailoring import LocalEngine
from app.tailoring.engine_process import (
    EngineCrashed,
    EnginePool,
    EngineRequest,
    EngineTimeout,
    documents,
    rendered,
)
from app.tailoring.types import Strategy, TailoredResume

AS_OF = (2026, 3)
PAIRS = [
    ("jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt", "default", None),
    ("ines-carvalho-data.txt", "data-scientist-fernway.txt", "aggressive_keywords", None),
    (
        "rosa-delgado-marketing.docx",
        "pharmacist-lakeview.txt",
        "conservative",
        {"name": "Rosa D. Delgado", "email": "rosa@example.org"},
    ),
]


@pytest.fixture(scope="module")
def pool() -> Iterator[EnginePool]:
    engines = EnginePool(1, timeout_s=60.0)
    engines.warm_up()
    yield engines
    engines.shutdown()


def _request(
    samples: Path,
    resume: str,
    posting: str,
    strategy: str,
    contact: dict[str, Any] | None = None,
    stored: dict[str, str] | None = None,
) -> EngineRequest:
    parsed = parse_resume((samples / "resumes" / resume).read_bytes(), resume)
    job = parse_job_posting((samples / "jobs" / posting).read_text())
    return EngineRequest(
        resume_json=json.dumps(parsed.to_dict()),
        posting_json=json.dumps(job.to_dict()),
        strategy=strategy,
        contact=contact,
        stored=stored or {},
        as_of=AS_OF,
    )


def _in_process(request: EngineRequest) -> dict[str, Any]:
    """The six artifacts as the engine computes them in this process, step by step."""
    resume, job = documents(
        json.loads(request.resume_json), json.loads(request.posting_json), request.contact
    )
    engine = LocalEngine(as_of=date(*AS_OF, 1))
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan, Strategy(request.strategy))
    return {
        "plan": plan.to_dict(),
        "tailored_resume": rendered(tailored),
        "cover_letter": engine.cover_letter(resume, job, plan).to_dict(),
        "interview_prep": engine.interview_prep(resume, job, plan).to_dict(),
        "form_data": engine.form_data(resume),
        "evaluation": engine.evaluate(resume, job, tailored).to_dict(),
    }


def _decoded(made: dict[str, str]) -> dict[str, Any]:
    return {kind: json.loads(content) for kind, content in made.items()}


@pytest.mark.parametrize(("resume", "posting", "strategy", "contact"), PAIRS)
def test_the_process_returns_what_the_engine_computes_in_process(
    pool: EnginePool,
    samples_dir: Path,
    resume: str,
    posting: str,
    strategy: str,
    contact: dict[str, Any] | None,
) -> None:
    request = _request(samples_dir, resume, posting, strategy, contact)
    made = asyncio.run(pool.compute(request))
    assert _decoded(made) == _in_process(request)
    if contact:  # the override is the resume's contact block for every step
        assert "Rosa D. Delgado" in json.loads(made["tailored_resume"])["markdown"]


@pytest.mark.parametrize(("resume", "posting", "strategy", "contact"), PAIRS)
def test_the_stored_renderings_are_the_resumes_own(
    samples_dir: Path, resume: str, posting: str, strategy: str, contact: dict[str, Any] | None
) -> None:
    # `rendered` builds the render model once for the three formats: the same text as
    # each format's own method.
    request = _request(samples_dir, resume, posting, strategy, contact)
    source, job = documents(
        json.loads(request.resume_json), json.loads(request.posting_json), contact
    )
    engine = LocalEngine(as_of=date(*AS_OF, 1))
    tailored = engine.draft(source, job, engine.plan(source, job), Strategy(strategy))
    stored = rendered(tailored)
    assert stored["markdown"] == tailored.to_markdown()
    assert stored["html"] == tailored.to_html()
    assert stored["text"] == tailored.to_text()
    assert {k: v for k, v in stored.items() if k not in ("markdown", "html", "text")} == (
        tailored.to_dict()
    )


def test_artifact_text_is_plain_json_with_text_as_given(
    pool: EnginePool, samples_dir: Path
) -> None:
    # Non-ASCII text (a contact override here) comes back as UTF-8 JSON text that any
    # JSON reader (and Postgres' jsonb) reads as the same value.
    contact = {"name": "Zoë Ñúñez-Ørsted", "location": "Łódź · 東京"}
    request = _request(
        samples_dir,
        "jonah-brandt-backend.md",
        "infrastructure-engineer-keelson.txt",
        "default",
        contact,
    )
    made = asyncio.run(pool.compute(request))
    assert _decoded(made) == _in_process(request)
    assert "Zoë Ñúñez-Ørsted" in json.loads(made["tailored_resume"])["markdown"]
    assert json.loads(made["form_data"]) == json.loads(
        json.dumps(_in_process(request)["form_data"])
    )


def test_stored_artifacts_are_reused_and_the_later_steps_build_on_them(
    pool: EnginePool, samples_dir: Path
) -> None:
    resume, posting = "jonah-brandt-backend.md", "infrastructure-engineer-keelson.txt"
    # A previous attempt stored a plan and a tailored resume drafted another way.
    earlier = _in_process(_request(samples_dir, resume, posting, "aggressive_keywords"))
    stored = {k: json.dumps(earlier[k]) for k in ("plan", "tailored_resume")}
    request = _request(samples_dir, resume, posting, "default", stored=stored)
    made = _decoded(asyncio.run(pool.compute(request)))
    assert set(made) == {"cover_letter", "interview_prep", "form_data", "evaluation"}
    source, job = documents(json.loads(request.resume_json), json.loads(request.posting_json), None)
    their_draft = TailoredResume.from_dict(earlier["tailored_resume"])
    expected = LocalEngine(as_of=date(*AS_OF, 1)).evaluate(source, job, their_draft)
    assert made["evaluation"] == expected.to_dict()
    fresh = _in_process(_request(samples_dir, resume, posting, "default"))
    assert made["evaluation"] != fresh["evaluation"]  # not a recomputation of the draft


def _stopped_process(pool: EnginePool) -> int:
    """The pool's idle process, frozen (SIGSTOP): it will never answer."""
    pool.warm_up()
    (pid,) = pool.idle_pids()
    os.kill(pid, signal.SIGSTOP)
    return pid


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(30):
        while True:
            if condition():
                return
            await asyncio.sleep(0.01)


def test_a_hung_process_is_killed_at_its_deadline_and_replaced(
    pool: EnginePool, samples_dir: Path
) -> None:
    request = _request(
        samples_dir, "jonah-brandt-backend.md", "data-scientist-fernway.txt", "default"
    )
    hung = _stopped_process(pool)
    pool.timeout_s = 1.0
    try:
        with pytest.raises(EngineTimeout) as caught:
            asyncio.run(pool.compute(request))
    finally:
        pool.timeout_s = 60.0
    assert caught.value.code == "JOB_TIMEOUT" and _gone(hung)
    assert _decoded(asyncio.run(pool.compute(request))) == _in_process(request)
    assert hung not in pool.idle_pids()


def test_a_process_killed_mid_request_fails_the_call_and_is_replaced(
    pool: EnginePool, samples_dir: Path
) -> None:
    request = _request(
        samples_dir, "ines-carvalho-data.txt", "data-scientist-fernway.txt", "default"
    )
    victim = _stopped_process(pool)

    async def kill_once_busy() -> None:
        call = asyncio.create_task(pool.compute(request))
        await _until(lambda: victim not in pool.idle_pids())  # the call holds the process
        os.kill(victim, signal.SIGKILL)
        await call

    with pytest.raises(EngineCrashed):
        asyncio.run(kill_once_busy())
    assert _decoded(asyncio.run(pool.compute(request))) == _in_process(request)
    assert victim not in pool.idle_pids()


def test_a_cancelled_call_frees_its_process_at_once(pool: EnginePool, samples_dir: Path) -> None:
    request = _request(samples_dir, "jonah-brandt-backend.md", "pharmacist-lakeview.txt", "default")
    stuck = _stopped_process(pool)

    async def cancel_once_busy() -> None:
        call = asyncio.create_task(pool.compute(request))
        await _until(lambda: stuck not in pool.idle_pids())
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        # The process was killed on cancellation (the deadline is a minute away).
        await _until(lambda: _gone(stuck))

    asyncio.run(cancel_once_busy())
    assert _decoded(asyncio.run(pool.compute(request))) == _in_process(request)


def test_a_request_larger_than_the_pipe_buffer_goes_through_whole(
    pool: EnginePool, samples_dir: Path
) -> None:
    # A rerun's stored artifacts can outgrow the pipe's buffer (64 KiB): the request is
    # written as the process reads it, and the reply matches a fresh computation's.
    resume, posting = "ines-carvalho-data.txt", "data-scientist-fernway.txt"
    earlier = _in_process(_request(samples_dir, resume, posting, "default"))
    padded = {**earlier["tailored_resume"], "unused_note": "é" * 300_000}  # ignored on read
    stored = {"plan": json.dumps(earlier["plan"]), "tailored_resume": json.dumps(padded)}
    request = _request(samples_dir, resume, posting, "default", stored=stored)
    assert len(stored["tailored_resume"]) > 4 * 65536
    made = _decoded(asyncio.run(pool.compute(request)))
    assert set(made) == {"cover_letter", "interview_prep", "form_data", "evaluation"}
    assert made == {k: v for k, v in earlier.items() if k in made}
