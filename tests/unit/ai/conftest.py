"""Fixtures for the provider layer: real SDKs, HTTP answered by respx, time injected.

Both SDKs (openai 3.x, anthropic 2.x) send through `httpx2`, which respx does not patch
(respx patches `httpx`/`httpcore`). The bridge below is an httpx2 transport that hands each
request to a respx router as an `httpx.Request`, so tests keep the usual respx API
(`router.post(url).respond(...)`, `route.calls`) with the SDKs' full request path.
"""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import httpx2
import pytest
import respx

from app.ai.prompting import build_user_content
from app.ai.resilience import RetryPolicy
from app.ai.types import StructuredRequest, ThinkingTime

OPENAI_URL = "https://api.openai.com/v1/chat/completions"
ANTHROPIC_URL = "https://api.anthropic.com/v1/messages"
COMPATIBLE_BASE = "http://ollama.test/v1"
COMPATIBLE_URL = f"{COMPATIBLE_BASE}/chat/completions"

RESUME = "Alex Rivera — Senior Data Engineer at Lumen Freight, 2019-2024. Python, Spark, Airflow."
JOB = "We need a data engineer with Python and Kafka."
SYSTEM = "You are a careful resume analyst. Return the plan."

PLAN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "keywords": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["summary", "keywords"],
    "additionalProperties": False,
}
GOOD = {"summary": "Strong Python data engineer", "keywords": ["python", "kafka"]}


def make_request(**overrides: Any) -> StructuredRequest:
    fields: dict[str, Any] = {
        "operation": "plan",
        "system": SYSTEM,
        "user": build_user_content({"resume": RESUME, "job_description": JOB}),
        "json_schema": PLAN_SCHEMA,
        "schema_name": "tailoring_plan",
        "thinking_time": ThinkingTime.LOW,
        "max_output_tokens": 1000,
        "timeout_s": 30.0,
    }
    fields.update(overrides)
    return StructuredRequest(**fields)


def openai_completion(
    content: str | None,
    *,
    model: str = "gpt-4.1-mini-2025-04-14",
    prompt_tokens: int = 120,
    completion_tokens: int = 30,
    finish_reason: str = "stop",
    refusal: str | None = None,
) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def anthropic_message(
    tool_input: dict[str, Any] | None = None,
    *,
    text: str | None = None,
    tool_name: str = "tailoring_plan",
    model: str = "claude-sonnet-4-5-20250929",
    input_tokens: int = 200,
    output_tokens: int = 50,
    stop_reason: str = "tool_use",
    thinking: bool = False,
    cache_read: int | None = None,
) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if thinking:
        content.append({"type": "thinking", "thinking": "Let me weigh it.", "signature": "sig"})
    if text is not None:
        content.append({"type": "text", "text": text})
    if tool_input is not None:
        content.append(
            {"type": "tool_use", "id": "toolu_1", "name": tool_name, "input": tool_input}
        )
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_read_input_tokens": cache_read,
        },
    }


def body(call: respx.models.Call) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(call.request.content)
    return data


class FakeSleep:
    """Records the delays a RetryPolicy asks for, without waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _bridge(router: respx.MockRouter) -> Callable[[httpx2.Request], Any]:
    async def handle(request: httpx2.Request) -> httpx2.Response:
        legacy = httpx.Request(
            request.method,
            str(request.url),
            headers=list(request.headers.multi_items()),
            content=await request.aread(),
        )
        try:
            response = await router.async_handler(legacy)
        except httpx.TransportError as exc:
            # Same-named httpx2 class (ReadTimeout, ConnectError...), so the SDKs' own
            # exception mapping runs exactly as in production.
            error_cls = getattr(httpx2, type(exc).__name__, httpx2.TransportError)
            raise error_cls(str(exc), request=request) from exc
        return httpx2.Response(
            response.status_code,
            headers=list(response.headers.multi_items()),
            content=await response.aread(),
            request=request,
        )

    return handle


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock_router:
        yield mock_router


@pytest.fixture
async def http_client(router: respx.MockRouter) -> AsyncIterator[httpx2.AsyncClient]:
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(_bridge(router)))
    yield client
    await client.aclose()


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def retry_policy(sleep: FakeSleep) -> RetryPolicy:
    return RetryPolicy(sleep=sleep, rng=random.Random(7))
