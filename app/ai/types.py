"""Value types shared by the provider layer: what callers ask for and what they get back."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol, runtime_checkable

from app.ai.pricing import estimate_cost


class ThinkingTime(str, enum.Enum):
    """How long the model may deliberate. Providers map it to their own knob (or ignore it)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


Outcome = Literal["ok", "retry", "error", "invalid_output"]

# OpenAI json_schema names and Anthropic tool names share this alphabet; checking it up front
# turns a provider-side 400 (which would trip retries and the breaker) into a local bug report.
_SCHEMA_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class StructuredRequest:
    """One structured-output call. `system` is ours; `user` carries the delimited untrusted text.

    `model` is a preference, not an order: a provider uses it only when it names one of that
    provider's models (see `Provider.resolve_model`), so a fallback to another vendor never
    sends it a foreign model name.
    """

    operation: str
    system: str
    user: str
    json_schema: Mapping[str, Any]
    schema_name: str
    model: str | None = None
    thinking_time: ThinkingTime = ThinkingTime.LOW
    max_output_tokens: int = 4096
    timeout_s: float = 60.0

    def __post_init__(self) -> None:
        if not self.operation:
            raise ValueError("operation is required")
        if not _SCHEMA_NAME.match(self.schema_name):
            raise ValueError("schema_name must match ^[A-Za-z0-9_-]{1,64}$")
        if self.json_schema.get("type") != "object":
            # Both tool input schemas and strict response formats must describe an object.
            raise ValueError("json_schema must describe an object (type: object)")
        if self.max_output_tokens <= 0:
            raise ValueError("max_output_tokens must be positive")
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")


@dataclass(frozen=True, slots=True)
class Usage:
    """One HTTP call to a provider, successful or not: a row of the usage/billing log."""

    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    latency_ms: int = 0
    request_id: str | None = None
    outcome: Outcome = "ok"
    error_code: str | None = None

    @property
    def cost_usd(self) -> Decimal:
        return estimate_cost(self.model, self.input_tokens, self.output_tokens)


@dataclass(frozen=True, slots=True)
class StructuredResponse:
    """Validated output. `usage` is the call that produced `data`; `attempts` is every HTTP
    call made for this request (retries, fallbacks, invalid answers), in order."""

    data: dict[str, Any]
    usage: Usage
    provider: str
    model: str
    attempts: list[Usage] = field(default_factory=list)

    @property
    def input_tokens(self) -> int:
        return sum(a.input_tokens for a in self.attempts)

    @property
    def output_tokens(self) -> int:
        return sum(a.output_tokens for a in self.attempts)

    @property
    def cost_usd(self) -> Decimal:
        return sum((a.cost_usd for a in self.attempts), Decimal(0))


@runtime_checkable
class Provider(Protocol):
    """Anything that turns a StructuredRequest into validated JSON (a provider or a chain)."""

    @property
    def name(self) -> str: ...

    async def complete(self, request: StructuredRequest) -> StructuredResponse: ...
