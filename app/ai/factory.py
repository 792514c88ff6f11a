"""Build the provider chain from plain settings values."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypedDict

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

    options = _options_for(retry_policy, http_client_factory)
    served = served_models or {}
    chain: list[Provider] = []
    for name in dict.fromkeys(providers):  # de-duplicated, order kept
        provider: BaseProvider | None = None
        if name == "openai" and openai_api_key:
            provider = OpenAIProvider(
                openai_api_key, openai_base_url, openai_model, **options(timeout_s)
            )
        elif name == "anthropic" and anthropic_api_key:
            provider = AnthropicProvider(
                anthropic_api_key, anthropic_base_url, anthropic_model, **options(timeout_s)
            )
        elif name == "compatible" and compatible_base_url and compatible_model:
            provider = OpenAICompatibleProvider(
                compatible_base_url,
                compatible_api_key or "not-needed",
                default_model=compatible_model,
                # Local models on modest hardware are slow; give them more time.
                **options(max(timeout_s, 120.0)),
            )
        if provider is None:
            log.info("ai.provider_not_configured", provider=name)
            continue
        provider.served_models = frozenset(served.get(provider.name, ()))
        chain.append(provider)
    return ProviderChain(
        chain, failure_threshold=failure_threshold, cooldown_s=cooldown_s, clock=clock
    )


class _ProviderOptions(TypedDict):
    retry_policy: RetryPolicy | None
    http_client: httpx2.AsyncClient | None
    timeout_s: float


def _options_for(
    retry_policy: RetryPolicy | None,
    http_client_factory: Callable[[], httpx2.AsyncClient] | None,
) -> Callable[[float], _ProviderOptions]:
    """The keyword arguments every provider takes; a fresh HTTP client from the factory for
    each provider built (none is made for a provider left out)."""

    def options(timeout_s: float) -> _ProviderOptions:
        http_client = http_client_factory() if http_client_factory is not None else None
        return _ProviderOptions(
            retry_policy=retry_policy, http_client=http_client, timeout_s=timeout_s
        )

    return options
