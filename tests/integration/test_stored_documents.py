"""Stored documents are rebuilt only when their content is selected, off the event loop,
once per stored version; oversized documents are refused; pasted job descriptions are
parsed in the sandbox. /health keeps answering throughout."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from starlette.applications import Starlette

from app.db.models import Resume as ResumeRow
from app.db.models.enums import ParseStatus
from app.documents import api as documents_api
from app.documents.models import (
    Contact,
    ExperienceEntry,
    Line,
    ResumeDocument,
    Section,
    SectionKind,
    SourceSpan,
)
from app.runtime import Runtime
from app.services import job_descriptions, stored_documents
from tests.integration.conftest import GraphQLClient, error_codes
from tests.integration.hardening_support import CREATE_JD, JOB_TEXT, RESUME_TEXT, UPLOAD

IDS_ONLY = "{ resumes(first: 100) { edges { node { id title } } } }"
WITH_SKILLS = "{ resumes(first: 100) { edges { node { id parsed { skills } } } } }"
JDS_IDS = "{ jobDescriptions(first: 100) { edges { node { id title } } } }"
JDS_LINES = "{ jobDescriptions(first: 100) { edges { node { id requirements } } } }"


class BuildSpy:
    """Wraps a real builder: counts calls and notes the threads they ran on."""

    def __init__(self, real: Callable[[dict[str, Any]], Any]) -> None:
        self.real = real
        self.threads: list[int] = []
        self.started = threading.Event()
        self.finished = 0

    def __call__(self, data: dict[str, Any]) -> Any:
        self.threads.append(threading.get_ident())
        self.started.set()
        try:
            return self.real(data)
        finally:
            self.finished += 1


@pytest.fixture
def resume_spy(monkeypatch: pytest.MonkeyPatch) -> BuildSpy:
    stored_documents._cache.clear()
    spy = BuildSpy(stored_documents.resume_document)
    monkeypatch.setattr(stored_documents, "resume_document", spy)
    return spy


@pytest.fixture
def posting_spy(monkeypatch: pytest.MonkeyPatch) -> BuildSpy:
    stored_documents._cache.clear()
    spy = BuildSpy(stored_documents.job_posting)
    monkeypatch.setattr(stored_documents, "job_posting", spy)
    return spy


async def test_resumes_are_rebuilt_lazily_off_the_loop_and_once(
    client: GraphQLClient, user: tuple[str, str], resume_spy: BuildSpy
) -> None:
    for _ in range(3):
        await client.ok(UPLOAD, {"i": {"text": RESUME_TEXT}})
    resume_spy.threads.clear()
    assert len((await client.ok(IDS_ONLY))["resumes"]["edges"]) == 3
    assert resume_spy.threads == []  # nothing selected the content: nothing rebuilt
    nodes = (await client.ok(WITH_SKILLS))["resumes"]["edges"]
    assert all("Python" in n["node"]["parsed"]["skills"] for n in nodes)
    assert len(resume_spy.threads) == 3
    assert threading.get_ident() not in resume_spy.threads
    await client.ok(WITH_SKILLS)
    assert len(resume_spy.threads) == 3  # cached per stored version


async def test_job_description_lines_are_rebuilt_lazily_and_once(
    client: GraphQLClient, user: tuple[str, str], posting_spy: BuildSpy
) -> None:
    await client.ok(CREATE_JD, {"i": {"text": JOB_TEXT}})
    posting_spy.threads.clear()
    assert len((await client.ok(JDS_IDS))["jobDescriptions"]["edges"]) == 1
    assert posting_spy.threads == []
    [node] = (await client.ok(JDS_LINES))["jobDescriptions"]["edges"]
    assert any("PostgreSQL" in line for line in node["node"]["requirements"])
    await client.ok(JDS_LINES)
    assert len(posting_spy.threads) == 1
    assert threading.get_ident() not in posting_spy.threads


def _legacy_document(bullets: int) -> dict[str, Any]:
    """A parsed resume as stored before the structure caps: one job, `bullets` lines."""
    lines = [
        Line(id=f"L{i}", text=f"- Shipped improvement number {i}", span=SourceSpan(i, 0, 30))
        for i in range(bullets)
    ]
    entry = ExperienceEntry(employer="Tidewater", title="Engineer", bullets=lines)
    section = Section(kind=SectionKind.EXPERIENCE, heading="Experience", experience=[entry])
    section.lines = lines
    doc = ResumeDocument(
        text="\n".join(ln.text for ln in lines),
        lines=lines,
        contact=Contact(name="Legacy Person"),
        sections=[section],
        source_format="text",
    )
    return doc.to_dict()


async def _store_legacy_resumes(runtime: Runtime, user_id: str, count: int) -> None:
    parsed = _legacy_document(19_000)
    async with runtime.db() as session, session.begin():
        for n in range(count):
            session.add(
                ResumeRow(
                    user_id=uuid.UUID(user_id),
                    title=f"legacy {n}",
                    size_bytes=76_000,
                    sha256=uuid.uuid4().hex,
                    parse_status=ParseStatus.PARSED,
                    parsed=parsed,
                )
            )


async def _health_answers_while(http: Any, busy: asyncio.Task[Any], spy: BuildSpy) -> int:
    """How many /health requests completed while `spy`'s builds were in progress."""
    answered = 0
    while not busy.done():
        response = await http.get("/health")
        assert response.status_code == 200
        if spy.started.is_set() and spy.finished < len(spy.threads) and not busy.done():
            answered += 1
        await asyncio.sleep(0)
    return answered


@pytest.mark.timeout(300)
async def test_health_answers_while_huge_stored_resumes_are_read(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, resume_spy: BuildSpy
) -> None:
    await _store_legacy_resumes(runtime, user[1], 6)
    assert len((await client.ok(IDS_ONLY))["resumes"]["edges"]) == 6  # no rebuild at all
    assert resume_spy.threads == []
    heavy = asyncio.create_task(client.ok(WITH_SKILLS))
    answered = await _health_answers_while(client.http, heavy, resume_spy)
    assert len((await heavy)["resumes"]["edges"]) == 6
    assert answered >= 1


async def test_oversized_documents_are_refused(client: GraphQLClient, user: Any) -> None:
    long_resume = RESUME_TEXT + "".join(f"- Did thing {i}\n" for i in range(19_000))
    body = await client.run(UPLOAD, {"i": {"text": long_resume}})
    assert error_codes(body) == ["SIZE_EXCEEDED"]
    # Under the request body cap (a 2 MB paste is refused before it is even read), over
    # the posting's line cap: refused by the sandboxed parser.
    pasted = "Senior Backend Engineer\nHarbor Analytics\n" + "".join(
        f"- Requirement {i}: distributed systems\n" for i in range(20_000)
    )
    body = await client.run(CREATE_JD, {"i": {"text": pasted}})
    assert error_codes(body) == ["SIZE_EXCEEDED"]
    too_big = await client.post(CREATE_JD, {"i": {"text": pasted * 3}})
    assert error_codes(too_big.json()) == ["SIZE_EXCEEDED"]


async def test_pasted_job_descriptions_are_parsed_in_the_sandbox(
    client: GraphQLClient, user: Any, app: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    def in_api_process(*_: Any, **__: Any) -> Any:
        raise AssertionError("a pasted job description was parsed in the API process")

    monkeypatch.setattr(documents_api, "parse_job_posting", in_api_process)
    monkeypatch.setattr(job_descriptions, "parse_job_posting", in_api_process, raising=False)
    created = await client.ok(CREATE_JD, {"i": {"text": JOB_TEXT}})
    assert created["createJobDescription"]["id"]
