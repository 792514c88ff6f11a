"""An LLM job through the pipeline: OpenAI's real SDK with HTTP answered by respx, usage
rows per call, the usage query adding up, and a redacted audit trail."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
import pytest_asyncio
import respx
from sqlalchemy import select

from app.ai.factory import build_chain
from app.ai.resilience import RetryPolicy
from app.config import Settings
from app.db.models import ApiUsage
from app.runtime import Runtime
from app.services.engines import install_provider_chain
from app.services.pipeline import run_job
from app.tailoring.engine import LocalEngine
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, make_settings
from tests.integration.gql_ops import CREATE_JD, JOB_RESULT, TAILOR, UPLOAD_RESUME
from tests.unit.ai.conftest import OPENAI_URL, FakeSleep, _bridge, openai_completion


@pytest.fixture
def settings(servers: Servers, tmp_path: Path) -> Settings:
    return make_settings(
        servers, tmp_path, openai_api_key="sk-test-openai", ai_provider_chain=["openai"]
    )


@pytest.fixture
def router() -> Any:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock_router:
        yield mock_router


@pytest_asyncio.fixture
async def chain_installed(runtime: Runtime, router: respx.MockRouter) -> AsyncIterator[None]:
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(_bridge(router)))
    chain = build_chain(
        ["openai"],
        openai_api_key="sk-test-openai",
        retry_policy=RetryPolicy(sleep=FakeSleep()),
        http_client_factory=lambda: client,
    )
    install_provider_chain(runtime, chain)
    yield
    await client.aclose()


def _answers(samples: Path) -> list[dict[str, Any]]:
    """What the model says for plan, draft and cover letter (a faithful draft)."""
    from app.documents import parse_job_posting, parse_resume

    resume = parse_resume((samples / "resumes" / "jonah-brandt-backend.md").read_bytes(), "a.md")
    job = parse_job_posting((samples / "jobs" / "infrastructure-engineer-keelson.txt").read_text())
    local = LocalEngine()
    draft = local.draft(resume, job, local.plan(resume, job))
    helm = next(ln for ln in resume.lines if "Helm" in ln.text)
    return [
        {
            "summary": "Strong platform fit: Kubernetes, Terraform and AWS in production.",
            "strengths": [
                {
                    "label": "Kubernetes",
                    "detail": "Moved 14 services to k8s.",
                    "evidence_line_ids": [helm.id],
                }
            ],
            "gaps": [],
            "next_steps": ["Name Kubernetes in full."],
            "uncertain_suggestions": [],
        },
        {
            "sections": [
                {
                    "kind": s.kind.value,
                    "heading": s.heading,
                    "lines": [
                        {
                            "text": ln.text,
                            "source_line_ids": ln.source_line_ids,
                            "role": ln.role.value,
                        }
                        for ln in s.lines
                    ],
                }
                for s in draft.sections
            ],
            "uncertain_suggestions": [],
        },
        {
            "paragraphs": [
                "Dear Keelson Bank hiring team,",
                "I moved 14 services from hand-built VMs to k8s at Quarry Logistics.",
                "Sincerely, Jonah Brandt",
            ],
            "uncertain_suggestions": [],
        },
    ]


async def test_llm_job_records_usage_and_audit(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    router: respx.MockRouter,
    chain_installed: None,
    samples_dir: Path,
) -> None:
    route = router.post(OPENAI_URL)
    tokens = [(1000, 200), (2500, 1200), (1500, 300)]
    route.side_effect = [
        httpx_response(answer, prompt, completion)
        for answer, (prompt, completion) in zip(_answers(samples_dir), tokens, strict=True)
    ]
    data = (samples_dir / "resumes" / "jonah-brandt-backend.md").read_bytes()
    resume_id = (
        await client.ok(
            UPLOAD_RESUME, {"input": {"contentBase64": base64.b64encode(data).decode()}}
        )
    )["uploadResume"]["id"]
    jd_id = (
        await client.ok(
            CREATE_JD,
            {
                "input": {
                    "text": (
                        samples_dir / "jobs" / "infrastructure-engineer-keelson.txt"
                    ).read_text()
                }
            },
        )
    )["createJobDescription"]["id"]
    job_id = (
        await client.ok(
            TAILOR,
            {
                "input": {
                    "resumeId": resume_id,
                    "jobDescriptionId": jd_id,
                    "engine": "LLM",
                    "thinkingTime": "HIGH",
                }
            },
        )
    )["tailor"]["job"]["id"]
    assert await run_job(runtime, uuid.UUID(job_id)) is not None
    job = (await client.ok(JOB_RESULT, {"id": job_id}))["job"]
    assert job["status"] == "COMPLETED"
    assert job["result"]["plan"]["engine"] == "LLM"
    assert job["result"]["plan"]["nextSteps"][0]["text"] == "Name Kubernetes in full."
    assert "Quarry Logistics" in job["result"]["coverLetter"]["markdown"]
    assert not [w for w in job["result"]["warnings"] if w["code"] == "AI_FALLBACK_LOCAL"]
    assert len(route.calls) == 3

    usage = await client.ok(
        "{ usage(groupBy: OPERATION) { totals { key calls inputTokens outputTokens costUsd } "
        "calls { edges { node { operation model jobId outcome } } } } }"
    )
    totals = {t["key"]: t for t in usage["usage"]["totals"]}
    assert {k: (t["inputTokens"], t["outputTokens"]) for k, t in totals.items()} == {
        "plan": (1000, 200),
        "draft": (2500, 1200),
        "cover_letter": (1500, 300),
    }
    assert all(float(t["costUsd"]) > 0 for t in totals.values())
    assert {e["node"]["jobId"] for e in usage["usage"]["calls"]["edges"]} == {job_id}

    async with runtime.db() as session:
        rows = list((await session.execute(select(ApiUsage))).scalars())
    for row in rows:
        assert row.audit_key is not None
        audit = json.loads(await runtime.store.get(row.audit_key))
        dumped = json.dumps(audit)
        assert "jonah.brandt@example.com" not in dumped and "Jonah Brandt" not in dumped
        assert "Quarry Logistics" in dumped  # the work history itself is kept for audit


def httpx_response(answer: dict[str, Any], prompt: int, completion: int) -> Any:
    import httpx

    return httpx.Response(
        200,
        json=openai_completion(
            json.dumps(answer), prompt_tokens=prompt, completion_tokens=completion
        ),
    )


async def test_llm_job_without_provider_is_refused(
    servers: Servers, tmp_path: Path, samples_dir: Path
) -> None:
    import httpx

    from app.main import create_app
    from tests.integration.conftest import error_codes, sign_up

    application = create_app(make_settings(servers, tmp_path))  # no provider configured
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            gql = GraphQLClient(http)
            gql.token, _ = await sign_up(gql)
            text = (samples_dir / "resumes" / "ines-carvalho-data.txt").read_text()
            resume_id = (await gql.ok(UPLOAD_RESUME, {"input": {"text": text}}))["uploadResume"][
                "id"
            ]
            jd_text = (samples_dir / "jobs" / "data-scientist-fernway.txt").read_text()
            jd_id = (await gql.ok(CREATE_JD, {"input": {"text": jd_text}}))["createJobDescription"][
                "id"
            ]
            body = await gql.run(
                TAILOR,
                {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, "engine": "LLM"}},
            )
            jobs = await gql.ok("{ jobs { edges { node { id } } } }")
    assert error_codes(body) == ["ENGINE_UNAVAILABLE"]
    assert jobs["jobs"]["edges"] == []
