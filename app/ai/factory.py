"""Build the provider chain from plain settings values."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import structlog

from app.ai.chain import ProviderChain
from app.ai.providers import AnthropicProvider, OpenAICompatibleProvider, OpenAIProvider
from app.ai.providers.base import BaseProvider
from app.ai.resilience import Clock, RetryPolicy
from app.ai.types import Provider

if TYPE_CHECKING:
    import httpx2

log = structlog.get_logger("app.ai")

KNOWN_PROVIDERS = ("openai", "anthropic", "compatible")


def build_chain(
    providers: Sequence[str] = ("openai", "anthropic"),
    *,
    openai_api_key: str | None = None,
    openai_base_url: str | None = None,
    openai_model: str | None = None,
    anthropic_api_key: str | None = None,
    anthropic_base_url: str | None = None,
    anthropic_model: str | None = None,
    compatible_base_url: str | None = None,
    compatible_api_key: str | None = None,
    compatible_model: str | None = None,
    timeout_s: float = 60.0,
    retry_policy: RetryPolicy | None = None,
    failure_threshold: int = 5,
    cooldown_s: float = 30.0,
    clock: Clock = time.monotonic,
    http_client_factory: Callable[[], httpx2.AsyncClient] | None = None,
    served_models: Mapping[str, Sequence[str]] | None = None,
) -> ProviderChain:
    """A ProviderChain in the order of `providers`, leaving out any provider without the
    credentials it needs (an API key; a base URL and model for "compatible"). The result may
    be empty: its `complete` then raises ALL_PROVIDERS_FAILED and the engine falls back to
    local. Unknown names are a configuration error and raise ValueError."""
    unknown = [name for name in providers if name not in KNOWN_PROVIDERS]
    if unknown:
        raise ValueError(f"unknown AI providers {unknown}; known: {list(KNOWN_PROVIDERS)}")

    def client() -> httpx2.AsyncClient | None:
        return http_client_factory() if http_client_factory is not None else None

    chain: list[Provider] = []
    for name in dict.fromkeys(providers):  # de-duplicated, order kept
        if name == "openai" and openai_api_key:
            chain.append(
                OpenAIProvider(
                    openai_api_key,
                    openai_base_url,
                    openai_model or "gpt-4.1-mini",
                    retry_policy=retry_policy,
                    http_client=client(),
                    timeout_s=timeout_s,
                )
            )
        elif name == "anthropic" and anthropic_api_key:
            chain.append(
                AnthropicProvider(
                    anthropic_api_key,
                    anthropic_base_url,
                    anthropic_model or "claude-sonnet-4-5",
                    retry_policy=retry_policy,
                    http_client=client(),
                    timeout_s=timeout_s,
                )
            )
        elif name == "compatible" and compatible_base_url and compatible_model:
            chain.append(
                OpenAICompatibleProvider(
                    compatible_base_url,
                    compatible_api_key or "not-needed",
                    default_model=compatible_model,
                    retry_policy=retry_policy,
                    http_client=client(),
                    # Local models on modest hardware are slow; give them more time.
                    timeout_s=max(timeout_s, 120.0),
                )
            )
        else:
            log.info("ai.provider_not_configured", provider=name)
    for provider in chain:
        if isinstance(provider, BaseProvider):
            provider.served_models = frozenset((served_models or {}).get(provider.name, ()))
    return ProviderChain(
        chain, failure_threshold=failure_threshold, cooldown_s=cooldown_s, clock=clock
    )
