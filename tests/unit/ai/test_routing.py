"""Routing a requested model to the provider that serves it, from settings alone."""

from __future__ import annotations

from typing import Any

import pytest

from app.ai.routing import Route, configured_providers, is_substitution, route_model
from app.config import Settings
from app.errors import InvalidInput


def _settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "openai_api_key": "sk-x",
        "openai_models": ["gpt-4.1", "o4-mini"],
        "compatible_base_url": "http://127.0.0.1:11434/v1",
        "compatible_model": "llama3.1",
        "compatible_models": ["qwen3:8b"],
        "ai_provider_chain": ["openai", "anthropic", "compatible"],
    }
    values.update(overrides)
    return Settings(**values)


def test_only_providers_with_credentials_count_in_chain_order() -> None:
    assert configured_providers(_settings()) == ["openai", "compatible"]
    assert configured_providers(_settings(ai_provider_chain=["compatible", "openai"])) == [
        "compatible",
        "openai",
    ]
    assert route_model(_settings(openai_api_key=None, compatible_base_url=None), None) is None


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (None, Route("openai", "gpt-4.1-mini")),  # the first provider's default
        ("gpt-4.1", Route("openai", "gpt-4.1")),
        ("llama3.1", Route("compatible", "llama3.1")),  # a default model is served too
        ("qwen3:8b", Route("compatible", "qwen3:8b")),
    ],
)
def test_a_model_goes_to_the_provider_that_serves_it(model: str | None, expected: Route) -> None:
    assert route_model(_settings(), model) == expected


def test_the_first_serving_provider_wins() -> None:
    both = _settings(compatible_models=["gpt-4.1"], ai_provider_chain=["compatible", "openai"])
    assert route_model(both, "gpt-4.1") == Route("compatible", "gpt-4.1")


def test_an_unserved_model_is_refused_naming_what_is_available() -> None:
    with pytest.raises(InvalidInput) as refused:
        route_model(_settings(), "claude-opus-4")  # anthropic has no key here
    assert refused.value.field == "model"
    assert "llama3.1" in refused.value.message and "gpt-4.1-mini" in refused.value.message


def test_substitution_ignores_dated_snapshots_of_the_same_model() -> None:
    route = Route("openai", "gpt-4.1-mini")
    assert not is_substitution(route, "openai", "gpt-4.1-mini-2025-04-14")
    assert not is_substitution(route, None, None)  # nothing answered yet
    assert is_substitution(route, "compatible", "llama3.1")
    assert is_substitution(route, "openai", "gpt-4.1")
