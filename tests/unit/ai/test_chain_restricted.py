"""A chain restricted to the providers serving a model: the others are never called, the
model goes out as requested, and circuit breakers are the shared ones. Real SDKs, HTTP
answered by respx."""

from __future__ import annotations

import json

import httpx2
import pytest
import respx

from app.ai.chain import ProviderChain
from app.ai.errors import ErrorCode, ProviderError
from app.ai.factory import build_chain
from app.ai.providers import AnthropicProvider, OpenAIProvider
from app.ai.resilience import RetryPolicy
from tests.unit.ai.conftest import (
    ANTHROPIC_URL,
    GOOD,
    OPENAI_URL,
    anthropic_message,
    body,
    make_request,
    openai_completion,
)


def _chain(http_client: httpx2.AsyncClient, retry_policy: RetryPolicy) -> ProviderChain:
    return ProviderChain(
        [
            OpenAIProvider("sk-o", retry_policy=retry_policy, http_client=http_client),
            AnthropicProvider("sk-a", retry_policy=retry_policy, http_client=http_client),
        ],
        failure_threshold=1,
    )


async def test_only_the_serving_provider_answers_with_the_requested_model(
    http_client: httpx2.AsyncClient, retry_policy: RetryPolicy, router: respx.MockRouter
) -> None:
    openai = router.post(OPENAI_URL).respond(200, json={})
    anthropic = router.post(ANTHROPIC_URL).respond(
        200, json=anthropic_message(GOOD, model="claude-opus-4-1")
    )
    chain = _chain(http_client, retry_policy).restricted(["anthropic"])

    response = await chain.complete(make_request(model="claude-opus-4-1"))

    assert response.data == GOOD and not openai.called
    assert body(anthropic.calls[0])["model"] == "claude-opus-4-1"
    assert [u.provider for u in response.attempts] == ["anthropic"]


async def test_a_restricted_chain_shares_the_circuit_breakers(
    http_client: httpx2.AsyncClient, retry_policy: RetryPolicy, router: respx.MockRouter
) -> None:
    router.post(ANTHROPIC_URL).respond(529, json={"type": "error", "error": {"type": "x"}})
    full = _chain(http_client, retry_policy)
    only = full.restricted(["anthropic"])
    assert len(only) == 1 and only.breaker("anthropic") is full.breaker("anthropic")
    with pytest.raises(ProviderError) as failed:
        await only.complete(make_request(model="claude-sonnet-4-5"))
    assert failed.value.code == ErrorCode.ALL_PROVIDERS_FAILED
    assert not full.breaker("anthropic").allow()  # the parent saw the failure too


async def test_a_configured_model_is_sent_as_asked_even_if_unlike_the_vendors_names(
    http_client: httpx2.AsyncClient, retry_policy: RetryPolicy, router: respx.MockRouter
) -> None:
    route = router.post(OPENAI_URL).respond(
        200, json=openai_completion(json.dumps(GOOD), model="acme-tuned-7")
    )
    plain = build_chain(
        ["openai"],
        openai_api_key="sk-o",
        retry_policy=retry_policy,
        http_client_factory=lambda: http_client,
    )
    configured = build_chain(
        ["openai"],
        openai_api_key="sk-o",
        retry_policy=retry_policy,
        http_client_factory=lambda: http_client,
        served_models={"openai": ["acme-tuned-7"]},
    )
    await plain.complete(make_request(model="acme-tuned-7"))
    await configured.complete(make_request(model="acme-tuned-7"))
    # Unconfigured, a foreign-looking name falls back to the default; configured, it is sent.
    assert [body(c)["model"] for c in route.calls] == ["gpt-4.1-mini", "acme-tuned-7"]
