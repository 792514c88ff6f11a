"""A requested model runs on the provider that serves it, or is refused before anything
exists; the job says which provider and model really answered, and warns on a
substitution. Providers are the real OpenAI SDK (also for the OpenAI-compatible server)
with HTTP answered by respx."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
import pytest_asyncio
import respx

from app.ai.factory import build_chain
from app.ai.resilience import RetryPolicy
from app.config import Settings
from app.runtime import Runtime
from app.services.engines import install_provider_chain
from app.services.pipeline import run_job
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings
from tests.integration.shape_helpers import add_pair, tailor
from tests.integration.test_llm_jobs import _answers
from tests.unit.ai.conftest import OPENAI_URL, FakeSleep, _bridge, openai_completion

COMPATIBLE_BASE = "http://compat.test/v1"
COMPATIBLE_URL = f"{COMPATIBLE_BASE}/chat/completions"

JOB = """
query($id: ID!) { job(id: $id) {
  status engine requestedModel model provider
  result { warnings { code message } }
} }
"""


@pytest.fixture
def settings(servers: Servers, tmp_path: Path) -> Settings:
    return make_settings(
        servers,
        tmp_path,
        openai_api_key="sk-test-openai",
        openai_models=["gpt-4.1"],
        compatible_base_url=COMPATIBLE_BASE,
        compatible_model="llama3.1",
        compatible_models=["qwen3:8b"],
        ai_provider_chain=["openai", "compatible"],
    )


@pytest.fixture
def router() -> Any:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock_router:
        yield mock_router


@pytest_asyncio.fixture
async def chain_installed(
    runtime: Runtime, router: respx.MockRouter, settings: Settings
) -> AsyncIterator[None]:
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(_bridge(router)))
    chain = build_chain(
        settings.ai_provider_chain,
        openai_api_key="sk-test-openai",
        compatible_base_url=COMPATIBLE_BASE,
        compatible_model="llama3.1",
        retry_policy=RetryPolicy(sleep=FakeSleep()),
        http_client_factory=lambda: client,
    )
    install_provider_chain(runtime, chain)
    yield
    await client.aclose()


def _replies(samples: Path, model: str) -> list[httpx.Response]:
    return [
        httpx.Response(200, json=openai_completion(json.dumps(answer), model=model))
        for answer in _answers(samples)
    ]


async def _job(client: GraphQLClient, job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = (await client.ok(JOB, {"id": job_id}))["job"]
    return job


async def test_a_model_runs_on_the_provider_that_serves_it(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    router: respx.MockRouter,
    chain_installed: None,
    samples_dir: Path,
) -> None:
    openai = router.post(OPENAI_URL)
    compatible = router.post(COMPATIBLE_URL)
    compatible.side_effect = _replies(samples_dir, "llama3.1")
    resume_id, jd_id = await add_pair(client, samples_dir)
    body = await tailor(client, resume_id, jd_id, engine="LLM", model="llama3.1")
    job_id = body["data"]["tailor"]["job"]["id"]
    queued = await _job(client, job_id)
    assert (queued["provider"], queued["model"]) == ("COMPATIBLE", "llama3.1")

    assert await run_job(runtime, uuid.UUID(job_id)) is not None
    job = await _job(client, job_id)
    assert job["status"] == "COMPLETED" and job["requestedModel"] == "llama3.1"
    assert (job["provider"], job["model"]) == ("COMPATIBLE", "llama3.1")
    assert not openai.called and compatible.call_count == 3
    sent = [json.loads(c.request.content)["model"] for c in compatible.calls]
    assert sent == ["llama3.1"] * 3
    codes = [w["code"] for w in job["result"]["warnings"]]
    assert "MODEL_SUBSTITUTED" not in codes and "AI_FALLBACK_LOCAL" not in codes


async def test_an_unserved_model_is_refused_before_anything_exists(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    chain_installed: None,
    samples_dir: Path,
) -> None:
    resume_id, jd_id = await add_pair(client, samples_dir)
    body = await tailor(client, resume_id, jd_id, engine="LLM", model="gpt-9-imaginary")
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "model"
    assert "llama3.1" in body["errors"][0]["message"]  # says what is available
    local = await tailor(client, resume_id, jd_id, engine="LOCAL", model="gpt-4.1")
    assert error_codes(local) == ["INVALID_INPUT"]
    jobs = await client.ok("{ jobs { totalCount } }")
    assert jobs["jobs"]["totalCount"] == 0
    assert await runtime.redis.zcard("arq:queue") == 0


async def test_no_model_named_records_the_default_and_warns_on_substitution(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    router: respx.MockRouter,
    chain_installed: None,
    samples_dir: Path,
) -> None:
    router.post(OPENAI_URL).mock(return_value=httpx.Response(503, json={"error": "down"}))
    compatible = router.post(COMPATIBLE_URL)
    compatible.side_effect = _replies(samples_dir, "llama3.1")
    resume_id, jd_id = await add_pair(client, samples_dir)
    job_id = (await tailor(client, resume_id, jd_id, engine="LLM"))["data"]["tailor"]["job"]["id"]
    queued = await _job(client, job_id)
    assert queued["requestedModel"] is None
    assert (queued["provider"], queued["model"]) == ("OPENAI", "gpt-4.1-mini")

    assert await run_job(runtime, uuid.UUID(job_id)) is not None
    job = await _job(client, job_id)
    assert (job["provider"], job["model"]) == ("COMPATIBLE", "llama3.1")
    substituted = [w for w in job["result"]["warnings"] if w["code"] == "MODEL_SUBSTITUTED"]
    assert len(substituted) == 1 and "gpt-4.1-mini" in substituted[0]["message"]


async def test_no_answer_means_no_provider_claimed(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    router: respx.MockRouter,
    chain_installed: None,
    samples_dir: Path,
) -> None:
    openai = router.post(OPENAI_URL)
    router.post(COMPATIBLE_URL).mock(return_value=httpx.Response(503, json={"error": "down"}))
    resume_id, jd_id = await add_pair(client, samples_dir)
    body = await tailor(client, resume_id, jd_id, engine="LLM", model="qwen3:8b")
    job_id = body["data"]["tailor"]["job"]["id"]
    assert await run_job(runtime, uuid.UUID(job_id)) is not None
    job = await _job(client, job_id)
    assert job["status"] == "COMPLETED" and job["requestedModel"] == "qwen3:8b"
    assert (job["provider"], job["model"]) == (None, None)
    assert not openai.called  # the model's provider failed: no silent switch to another model
    codes = [w["code"] for w in job["result"]["warnings"]]
    assert "AI_FALLBACK_LOCAL" in codes and "MODEL_SUBSTITUTED" not in codes
