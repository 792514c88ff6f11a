"""The sandboxed entry points: same results as in-process, and budgets enforced."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES
from docfactory import PNG_BYTES, hostile_slow_pdf

from app.documents import (
    DocumentError,
    JobPosting,
    ResumeDocument,
    parse_job_posting,
    parse_job_posting_bytes,
    parse_job_posting_sandboxed,
    parse_resume,
    parse_resume_sandboxed,
)
from app.documents.sandbox import WorkerPool, run_in_sandbox
from app.documents.serde import rebuild

RESUMES = sorted((SAMPLES / "resumes").iterdir())


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    # A private pool so tests that kill workers do not disturb each other's timing.
    p = WorkerPool(1)
    p.warm_up()
    yield p
    p.shutdown()


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: Path(p).name)
def test_sandboxed_resume_matches_in_process(path: Path) -> None:
    data = path.read_bytes()
    assert parse_resume_sandboxed(data, path.name) == parse_resume(data, path.name)


def test_sandboxed_job_posting_text_and_bytes() -> None:
    path = SAMPLES / "jobs" / "infrastructure-engineer-keelson.txt"
    text = path.read_text(encoding="utf-8")
    assert parse_job_posting_sandboxed(text) == parse_job_posting(text)
    data = path.read_bytes()
    assert parse_job_posting_sandboxed(data, path.name, title="Platform Engineer") == (
        parse_job_posting_bytes(data, path.name, title="Platform Engineer")
    )


@pytest.mark.parametrize("path", RESUMES, ids=lambda p: Path(p).name)
def test_fast_rebuild_matches_models_from_dict(path: Path) -> None:
    doc = parse_resume(path.read_bytes(), path.name)
    data = doc.to_dict()
    assert rebuild(ResumeDocument, data) == ResumeDocument.from_dict(data) == doc
    job = parse_job_posting((SAMPLES / "jobs" / "pharmacist-lakeview.txt").read_text())
    assert rebuild(JobPosting, job.to_dict()) == JobPosting.from_dict(job.to_dict()) == job


def test_document_errors_cross_the_process_boundary() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume_sandboxed(PNG_BYTES, "photo.png")
    assert info.value.code == "UNSUPPORTED_FORMAT"
    assert "PNG" in info.value.message
    with pytest.raises(DocumentError) as job:
        parse_job_posting_sandboxed("We want you.\n")
    assert job.value.code == "INVALID_INPUT"


def test_size_is_checked_before_anything_is_sent() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume_sandboxed(b"x" * 200, max_bytes=100)
    assert info.value.code == "SIZE_EXCEEDED"


def test_slow_parse_times_out_within_budget_and_pool_recovers(pool: WorkerPool) -> None:
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        run_in_sandbox("docfactory:slow_parse", b"", timeout_s=0.5, pool=pool)
    elapsed = time.monotonic() - started
    assert info.value.code == "PARSE_TIMEOUT"
    assert elapsed < 3.0
    # The killed worker is replaced; the next call works.
    assert run_in_sandbox("docfactory:echo_length", b"abc", {"k": 1}, pool=pool) == {
        "length": 3,
        "params": {"k": 1},
    }


def test_hostile_pdf_times_out_through_the_public_entry_point() -> None:
    data = hostile_slow_pdf(100_000)  # ~10 s of layout work in-process
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        parse_resume_sandboxed(data, "evil.pdf", timeout_s=1.0)
    assert info.value.code == "PARSE_TIMEOUT"
    assert time.monotonic() - started < 4.0


def test_memory_hog_is_stopped_by_rlimit(pool: WorkerPool) -> None:
    with pytest.raises(DocumentError) as info:
        run_in_sandbox("docfactory:hog_memory", b"", timeout_s=20, memory_mb=512, pool=pool)
    assert info.value.code == "PARSE_FAILED"
    assert "memory" in info.value.message


def test_crashing_worker_is_parse_failed(pool: WorkerPool) -> None:
    with pytest.raises(DocumentError) as info:
        run_in_sandbox("docfactory:crash_hard", b"", timeout_s=10, pool=pool)
    assert info.value.code == "PARSE_FAILED"
    assert run_in_sandbox("docfactory:echo_length", b"", pool=pool)["length"] == 0


def test_invalid_budgets_are_rejected() -> None:
    with pytest.raises(ValueError):
        run_in_sandbox("docfactory:echo_length", b"", timeout_s=0)
