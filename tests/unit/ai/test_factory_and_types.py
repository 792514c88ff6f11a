"""build_chain from settings-like values, and StructuredRequest's own checks."""

from __future__ import annotations

import httpx2
import pytest

from app.ai import (
    AnthropicProvider,
    OpenAICompatibleProvider,
    OpenAIProvider,
    Provider,
    ProviderChain,
    build_chain,
)
from tests.unit.ai.conftest import make_request


def test_chain_follows_the_configured_order_and_skips_missing_credentials(
    http_client: httpx2.AsyncClient,
) -> None:
    chain = build_chain(
        ["anthropic", "compatible", "openai"],
        openai_api_key="sk-test",
        openai_model="gpt-4.1",
        anthropic_api_key="sk-ant-test",
        compatible_base_url="http://ollama.test/v1",
        compatible_model="llama3.1:8b",
        http_client_factory=lambda: http_client,
    )

    providers = chain.providers
    assert [type(p) for p in providers] == [
        AnthropicProvider,
        OpenAICompatibleProvider,
        OpenAIProvider,
    ]
    assert [p.name for p in providers] == ["anthropic", "compatible", "openai"]
    assert isinstance(providers[2], OpenAIProvider)
    assert providers[2].default_model == "gpt-4.1"
    assert isinstance(providers[0], AnthropicProvider)
    assert providers[0].default_model == "claude-sonnet-4-5"


def test_providers_without_credentials_are_left_out(http_client: httpx2.AsyncClient) -> None:
    chain = build_chain(
        ["openai", "anthropic", "compatible"],
        anthropic_api_key="sk-ant-test",
        compatible_base_url="http://ollama.test/v1",  # no model: not usable
        http_client_factory=lambda: http_client,
    )
    assert [p.name for p in chain.providers] == ["anthropic"]

    assert len(build_chain(["openai", "anthropic"])) == 0


def test_unknown_provider_names_are_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="gemini"):
        build_chain(["openai", "gemini"], openai_api_key="sk-test")


def test_providers_and_chain_satisfy_the_protocol(http_client: httpx2.AsyncClient) -> None:
    provider = OpenAIProvider("sk-test", http_client=http_client)
    assert isinstance(provider, Provider)
    assert isinstance(ProviderChain([provider]), Provider)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"schema_name": "has space"}, "schema_name"),
        ({"schema_name": "x" * 65}, "schema_name"),
        ({"json_schema": {"type": "array"}}, "object"),
        ({"operation": ""}, "operation"),
        ({"max_output_tokens": 0}, "max_output_tokens"),
        ({"timeout_s": 0}, "timeout_s"),
    ],
)
def test_request_rejects_values_the_providers_would_reject(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_request(**overrides)


async def test_owned_http_clients_are_closed_injected_ones_are_not(
    http_client: httpx2.AsyncClient,
) -> None:
    injected = OpenAIProvider("sk-test", http_client=http_client)
    owned = AnthropicProvider("sk-ant-test")

    await ProviderChain([injected, owned]).aclose()

    assert not http_client.is_closed
    assert owned._client.is_closed()
