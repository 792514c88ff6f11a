"""Which provider serves a requested model, decided from settings before a job exists.

A provider serves its default model plus the models configured for it
(`TAILOR_OPENAI_MODELS`, ...). A model no configured provider serves is refused instead of
being silently replaced by some provider's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings
from app.errors import InvalidInput


@dataclass(frozen=True)
class Route:
    provider: str
    model: str


def configured_providers(settings: Settings) -> list[str]:
    """The chain's providers that have what they need to run, in chain order (the same
    rule as `build_chain`)."""
    ready = {
        "openai": settings.openai_api_key is not None,
        "anthropic": settings.anthropic_api_key is not None,
        "compatible": bool(settings.compatible_base_url and settings.compatible_model),
    }
    return [name for name in dict.fromkeys(settings.ai_provider_chain) if ready.get(name)]


def served_models(settings: Settings, provider: str) -> list[str]:
    default, extra = {
        "openai": (settings.openai_model, settings.openai_models),
        "anthropic": (settings.anthropic_model, settings.anthropic_models),
        "compatible": (settings.compatible_model, settings.compatible_models),
    }[provider]
    return list(dict.fromkeys([default, *extra]))


def providers_serving(settings: Settings, model: str) -> list[str]:
    return [p for p in configured_providers(settings) if model in served_models(settings, p)]


def route_model(settings: Settings, model: str | None) -> Route | None:
    """The provider (and model) a job will run on; None when no provider is configured.
    INVALID_INPUT when `model` is named but no configured provider serves it."""
    providers = configured_providers(settings)
    if not providers:
        return None
    if model is None:
        first = providers[0]
        return Route(first, served_models(settings, first)[0])
    serving = providers_serving(settings, model)
    if not serving:
        available = sorted({m for p in providers for m in served_models(settings, p)})
        raise InvalidInput(
            f"no configured provider serves model '{model}'; available: {', '.join(available)}",
            field="model",
        )
    return Route(serving[0], model)


def is_substitution(route: Route, provider_used: str | None, model_used: str | None) -> bool:
    """Whether a job ran elsewhere than routed. Providers may answer with a dated snapshot
    of the model asked for ("gpt-4.1-mini-2025-04-14"): that is the same model."""
    if provider_used is None or model_used is None:
        return False
    return provider_used != route.provider or not model_used.startswith(route.model)
