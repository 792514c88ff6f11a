"""List prices of hosted models, for cost estimates on usage rows (not for invoicing).

Prices are USD per one million tokens, as published by the vendors (checked 2025). Dated
snapshots ("gpt-4.1-mini-2025-04-14", "claude-sonnet-4-5-20250929") resolve to their family
by longest-prefix match. Unknown and self-hosted models cost 0: we cannot know, and a local
Ollama really is free per token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

_PER_TOKEN_DIVISOR = Decimal(1_000_000)


@dataclass(frozen=True, slots=True)
class Price:
    input_per_mtok: Decimal
    output_per_mtok: Decimal


def _p(input_usd: str, output_usd: str) -> Price:
    return Price(Decimal(input_usd), Decimal(output_usd))


PRICES: Mapping[str, Price] = {
    # OpenAI
    "gpt-5": _p("1.25", "10.00"),
    "gpt-5-mini": _p("0.25", "2.00"),
    "gpt-5-nano": _p("0.05", "0.40"),
    "gpt-4.1": _p("2.00", "8.00"),
    "gpt-4.1-mini": _p("0.40", "1.60"),
    "gpt-4.1-nano": _p("0.10", "0.40"),
    "gpt-4o": _p("2.50", "10.00"),
    "gpt-4o-mini": _p("0.15", "0.60"),
    "gpt-4-turbo": _p("10.00", "30.00"),
    "gpt-3.5-turbo": _p("0.50", "1.50"),
    "o1": _p("15.00", "60.00"),
    "o1-mini": _p("1.10", "4.40"),
    "o3": _p("2.00", "8.00"),
    "o3-pro": _p("20.00", "80.00"),
    "o3-mini": _p("1.10", "4.40"),
    "o4-mini": _p("1.10", "4.40"),
    # Anthropic
    "claude-opus-4-5": _p("5.00", "25.00"),
    "claude-opus-4-1": _p("15.00", "75.00"),
    "claude-opus-4": _p("15.00", "75.00"),
    "claude-sonnet-4-5": _p("3.00", "15.00"),
    "claude-sonnet-4": _p("3.00", "15.00"),
    "claude-haiku-4-5": _p("1.00", "5.00"),
    "claude-3-7-sonnet": _p("3.00", "15.00"),
    "claude-3-5-sonnet": _p("3.00", "15.00"),
    "claude-3-5-haiku": _p("0.80", "4.00"),
    "claude-3-opus": _p("15.00", "75.00"),
    "claude-3-haiku": _p("0.25", "1.25"),
}


def price_for(model: str, table: Mapping[str, Price] = PRICES) -> Price | None:
    """The longest table key that is the model name or a dash-separated prefix of it.

    The dash boundary keeps "gpt-4o" from pricing "gpt-4o-mini" (which has its own, longer
    key) and "o3" from pricing an unrelated "o3x"; "-latest" and date suffixes still match.
    """
    name = model.strip().lower()
    best: str | None = None
    for key in table:
        if (name == key or name.startswith(key + "-")) and (best is None or len(key) > len(best)):
            best = key
    return table[best] if best is not None else None


def estimate_cost(
    model: str,
    input_tokens: int,
    output_tokens: int,
    table: Mapping[str, Price] = PRICES,
) -> Decimal:
    """USD cost of one call, exact (prices have cents, token counts are integers): Decimal so
    that sums over many usage rows do not drift the way floats would."""
    price = price_for(model, table)
    if price is None:
        return Decimal(0)
    return (
        Decimal(max(input_tokens, 0)) * price.input_per_mtok
        + Decimal(max(output_tokens, 0)) * price.output_per_mtok
    ) / _PER_TOKEN_DIVISOR
