"""Cost estimates from the price table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.ai import Usage, estimate_cost
from app.ai.pricing import price_for


@pytest.mark.parametrize(
    ("model", "input_tokens", "output_tokens", "expected"),
    [
        ("gpt-4.1-mini", 1_000_000, 1_000_000, "2.00"),
        ("gpt-4o", 1000, 500, "0.0075"),
        ("claude-sonnet-4-5", 10_000, 2_000, "0.06"),
        ("claude-opus-4-5-20251101", 1_000_000, 0, "5"),
        ("claude-3-5-haiku-latest", 0, 1_000_000, "4"),
        ("o3-mini-2025-01-31", 2_000_000, 0, "2.2"),
    ],
)
def test_known_models(model: str, input_tokens: int, output_tokens: int, expected: str) -> None:
    assert estimate_cost(model, input_tokens, output_tokens) == Decimal(expected)


def test_dated_names_resolve_to_the_longest_matching_family() -> None:
    assert price_for("gpt-4.1-mini-2025-04-14") == price_for("gpt-4.1-mini")
    assert price_for("gpt-4.1-mini") != price_for("gpt-4.1")
    assert price_for("gpt-4o-mini-2024-07-18") == price_for("gpt-4o-mini")
    assert price_for("claude-opus-4-1-20250805") == price_for("claude-opus-4-1")
    assert price_for("GPT-4O") == price_for("gpt-4o")


@pytest.mark.parametrize("model", ["llama3.1:8b", "qwen2.5:14b", "gpt-4oz", "o3x", "", "mystery"])
def test_unknown_and_local_models_cost_nothing(model: str) -> None:
    assert estimate_cost(model, 50_000, 50_000) == Decimal(0)


def test_costs_are_exact_decimals_that_sum_exactly() -> None:
    # 0.1 + 0.4 micro-dollars: a float sum of many such rows drifts, a Decimal one does not.
    assert estimate_cost("gpt-4.1-nano", 1, 1) == Decimal("0.0000005")
    rows = [Usage("openai", "gpt-4.1-nano", 1, 1) for _ in range(1000)]
    assert sum((row.cost_usd for row in rows), Decimal(0)) == Decimal("0.0005")


def test_negative_token_counts_are_treated_as_zero() -> None:
    assert estimate_cost("gpt-4o", -5, -5) == 0
