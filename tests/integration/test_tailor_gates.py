"""The rate limit and credit gates stop a `tailor` call before anything is written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from sqlalchemy import func, select

from app.db.models import CreditLedgerEntry, TailoringJob
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings, sign_up
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME


@pytest_asyncio.fixture
async def gated(servers: Servers, tmp_path: Path) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    application = create_app(
        make_settings(servers, tmp_path, tailor_rate_limit_per_minute=2, credits_per_job=1)
    )
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            gql = GraphQLClient(http)
            gql.token, _ = await sign_up(gql)
            yield gql, application.state.runtime


async def _inputs(gql: GraphQLClient, samples: Path, jobs: int) -> tuple[str, list[str]]:
    text = (samples / "resumes" / "ines-carvalho-data.txt").read_text()
    resume_id = (await gql.ok(UPLOAD_RESUME, {"input": {"text": text}}))["uploadResume"]["id"]
    jd_text = (samples / "jobs" / "data-scientist-fernway.txt").read_text()
    jd_ids = [
        (await gql.ok(CREATE_JD, {"input": {"text": jd_text}}))["createJobDescription"]["id"]
        for _ in range(jobs)
    ]
    return resume_id, jd_ids


async def _jobs(runtime: Runtime) -> int:
    async with runtime.db() as session:
        return int(
            (await session.execute(select(func.count()).select_from(TailoringJob))).scalar_one()
        )


async def test_no_credits_no_job(gated: tuple[GraphQLClient, Runtime], samples_dir: Path) -> None:
    gql, runtime = gated
    resume_id, (jd_id,) = await _inputs(gql, samples_dir, 1)
    body = await gql.run(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    assert error_codes(body) == ["INSUFFICIENT_CREDITS"]
    assert await _jobs(runtime) == 0
    assert await runtime.queue.zcard("arq:queue") == 0


async def test_rate_limit(gated: tuple[GraphQLClient, Runtime], samples_dir: Path) -> None:
    gql, runtime = gated
    me = (await gql.ok("{ me { id } }"))["me"]["id"]
    import uuid

    async with runtime.db() as session, session.begin():
        session.add(CreditLedgerEntry(user_id=uuid.UUID(me), delta=10, reason="grant"))
    resume_id, jd_ids = await _inputs(gql, samples_dir, 3)
    codes = [
        error_codes(
            await gql.run(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd}})
        )
        for jd in jd_ids
    ]
    assert codes == [[], [], ["RATE_LIMITED"]]
    assert await _jobs(runtime) == 2


async def test_credits_charged_once_on_completion(
    gated: tuple[GraphQLClient, Runtime], samples_dir: Path
) -> None:
    import uuid

    from app.services.credits import balance_of as credit_balance
    from app.services.pipeline import run_job

    gql, runtime = gated
    me = uuid.UUID((await gql.ok("{ me { id } }"))["me"]["id"])
    async with runtime.db() as session, session.begin():
        session.add(CreditLedgerEntry(user_id=me, delta=5, reason="grant"))
    resume_id, (jd_id,) = await _inputs(gql, samples_dir, 1)
    data = await gql.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    job_id = uuid.UUID(data["tailor"]["job"]["id"])
    async with runtime.db() as session:
        assert await credit_balance(session, me) == 4  # held from the moment it is accepted
    assert (await run_job(runtime, job_id)) is not None
    assert (await run_job(runtime, job_id)) is None  # a duplicate delivery does nothing
    async with runtime.db() as session:
        assert await credit_balance(session, me) == 4
