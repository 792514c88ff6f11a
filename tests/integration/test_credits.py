"""Credits done right: reserved atomically when a job is accepted, released on failure or
cancel, settled on success; readable by the owner; granted only by an admin (CLI or
mutation). 20 parallel requests on a balance of 1 let exactly one job through."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from sqlalchemy import func, select

from app.db.models import TailoringJob
from app.db.unit_of_work import transaction
from app.main import create_app
from app.runtime import Runtime
from app.services import credits as credit_service
from app.services.pipeline import fail, run_job
from tests.conftest import Servers
from tests.integration.apps_support import POSTINGS, RESUMES
from tests.integration.conftest import GraphQLClient, error_codes, make_settings
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

ADMIN = "admin@tailor.example"
CREDITS = "{ credits { balance ledger { totalCount edges { node { delta reason jobId note } } } } }"
GRANT = """mutation($u: ID!, $n: Int!) { grantCredits(userId: $u, amount: $n, note: "promo") {
  balance entry { delta reason note } } }"""
SIGN_UP = """mutation($e: String!) { signUp(email: $e, password: "correct horse battery")
  { accessToken user { id } } }"""


@pytest_asyncio.fixture
async def paid(servers: Servers, tmp_path: Path) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    settings = make_settings(
        servers, tmp_path, credits_per_job=1, admin_emails=[ADMIN], tailor_rate_limit_per_minute=0
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            gql = GraphQLClient(http)
            data = await gql.ok(SIGN_UP, {"e": f"buyer-{uuid.uuid4().hex[:8]}@example.org"})
            gql.token = data["signUp"]["accessToken"]
            yield gql, application.state.runtime


async def _grant(runtime: Runtime, user_id: uuid.UUID, amount: int) -> None:
    async with transaction(runtime.db) as session:
        await credit_service.grant(session, user_id, amount)


async def _me(gql: GraphQLClient) -> uuid.UUID:
    return uuid.UUID((await gql.ok("{ me { id } }"))["me"]["id"])


async def _inputs(gql: GraphQLClient, postings: int) -> tuple[str, list[str]]:
    up = await gql.ok(UPLOAD_RESUME, {"input": {"text": RESUMES["backend"]}})
    texts = list(POSTINGS.values())
    jds = [
        (await gql.ok(CREATE_JD, {"input": {"text": f"{texts[i % 2]}\nRef {i}"}}))[
            "createJobDescription"
        ]["id"]
        for i in range(postings)
    ]
    return up["uploadResume"]["id"], jds


async def test_twenty_parallel_requests_on_a_balance_of_one(
    paid: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = paid
    me = await _me(gql)
    await _grant(runtime, me, 1)
    resume_id, jds = await _inputs(gql, 20)
    bodies = await asyncio.gather(
        *(gql.run(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd}}) for jd in jds)
    )
    codes = sorted(tuple(error_codes(b)) for b in bodies)
    assert codes == [()] + [("INSUFFICIENT_CREDITS",)] * 19
    async with runtime.db() as session:
        jobs = (await session.execute(select(func.count()).select_from(TailoringJob))).scalar_one()
        assert jobs == 1
        assert await credit_service.balance_of(session, me) == 0


async def test_settled_on_success_released_on_failure_and_cancel(
    paid: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = paid
    me = await _me(gql)
    await _grant(runtime, me, 3)
    resume_id, jds = await _inputs(gql, 3)
    job_ids = [
        (await gql.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd}}))[
            "tailor"
        ]["job"]["id"]
        for jd in jds
    ]
    assert (await gql.ok(CREDITS))["credits"]["balance"] == 0  # all three held
    assert await run_job(runtime, uuid.UUID(job_ids[0])) is not None
    await fail(runtime, uuid.UUID(job_ids[1]), "INTERNAL_ERROR", "boom")
    await gql.ok("mutation($j: ID!) { cancelJob(jobId: $j) { status } }", {"j": job_ids[2]})
    await fail(runtime, uuid.UUID(job_ids[2]), "INTERNAL_ERROR", "late")  # already ended
    credits = (await gql.ok(CREDITS))["credits"]
    assert credits["balance"] == 2
    by_job: dict[str | None, list[tuple[str, int]]] = {}
    assert credits["ledger"]["totalCount"] == 7
    for row in (edge["node"] for edge in credits["ledger"]["edges"]):
        by_job.setdefault(row["jobId"], []).append((row["reason"], row["delta"]))
    assert sorted(by_job[job_ids[0]]) == [("reserve", -1), ("settle", 0)]
    assert sorted(by_job[job_ids[1]]) == [("release", 1), ("reserve", -1)]
    assert sorted(by_job[job_ids[2]]) == [("release", 1), ("reserve", -1)]
    assert by_job[None] == [("grant", 3)]


async def test_only_admins_grant(paid: tuple[GraphQLClient, Runtime]) -> None:
    gql, _ = paid
    me = str(await _me(gql))
    refused = await gql.run(GRANT, {"u": me, "n": 5})
    assert error_codes(refused) == ["FORBIDDEN"]
    admin = GraphQLClient(gql.http)
    admin.token = (await admin.ok(SIGN_UP, {"e": ADMIN}))["signUp"]["accessToken"]
    granted = (await admin.ok(GRANT, {"u": me, "n": 5}))["grantCredits"]
    assert granted["balance"] == 5 and granted["entry"] == {
        "delta": 5,
        "reason": "grant",
        "note": "promo",
    }
    assert error_codes(await admin.run(GRANT, {"u": me, "n": 0})) == ["INVALID_INPUT"]
    key = await gql.ok('mutation { createApiKey(name: "k", scopes: [USAGE_READ]) { secret } }')
    read = await gql.ok(CREDITS, token=key["createApiKey"]["secret"])
    assert read["credits"]["balance"] == 5
    assert error_codes(
        await gql.run(GRANT, {"u": me, "n": 1}, token=key["createApiKey"]["secret"])
    ) == ["FORBIDDEN"]


async def test_cli_grant(paid: tuple[GraphQLClient, Runtime], servers: Servers) -> None:
    gql, _ = paid
    email = f"cli-{uuid.uuid4().hex[:8]}@example.org"
    user = GraphQLClient(gql.http)
    user.token = (await user.ok(SIGN_UP, {"e": email}))["signUp"]["accessToken"]
    env = {
        **os.environ,
        "TAILOR_DATABASE_URL": servers.database_url,
        "TAILOR_REDIS_URL": servers.redis_url,
        "TAILOR_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "app.cli", "credits", "grant", email.upper(), "7"]
    done = await asyncio.to_thread(subprocess.run, command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "balance 7" in done.stdout
    assert (await user.ok(CREDITS))["credits"]["balance"] == 7
    missing = [sys.executable, "-m", "app.cli", "credits", "grant", "nobody@example.org", "1"]
    refused = await asyncio.to_thread(
        subprocess.run, missing, env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "NOT_FOUND" in refused.stderr


async def test_deleting_the_resume_of_a_queued_job_gives_the_credit_back(
    paid: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = paid
    me = await _me(gql)
    await _grant(runtime, me, 1)
    resume_id, (jd_id,) = await _inputs(gql, 1)
    await gql.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    assert (await gql.ok("{ credits { balance } }"))["credits"]["balance"] == 0
    await gql.ok("mutation($id: ID!) { deleteResume(id: $id) { id } }", {"id": resume_id})
    assert (await gql.ok("{ credits { balance } }"))["credits"]["balance"] == 1
