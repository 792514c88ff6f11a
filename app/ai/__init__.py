"""The provider layer of the LLM engine: structured JSON from OpenAI, Anthropic or any
OpenAI-compatible server, with retries, fallback, a circuit breaker per provider, usage and
cost accounting, prompt-injection-safe delimiting and audit redaction.

    chain = build_chain(["openai", "anthropic"], openai_api_key=..., anthropic_api_key=...)
    response = await chain.complete(StructuredRequest(
        operation="plan",
        system=SYSTEM_PROMPT,                    # ours only, never user text
        user=build_user_content({"resume": resume, "job_description": jd}),
        json_schema=PLAN_SCHEMA,
        schema_name="plan",
    ))
    response.data, response.usage, response.attempts   # attempts: every HTTP call made

Failures raise ProviderError (`.code`, `.attempts`); the chain raises ALL_PROVIDERS_FAILED.
"""

from app.ai.audit import redact_for_audit
from app.ai.chain import ProviderChain
from app.ai.errors import ErrorCode, ProviderError
from app.ai.factory import build_chain
from app.ai.pricing import estimate_cost
from app.ai.prompting import UNTRUSTED_DATA_NOTICE, build_user_content, delimit
from app.ai.providers import AnthropicProvider, OpenAICompatibleProvider, OpenAIProvider
from app.ai.resilience import CircuitBreaker, CircuitState, RetryPolicy
from app.ai.types import (
    Provider,
    StructuredRequest,
    StructuredResponse,
    ThinkingTime,
    Usage,
)

__all__ = [
    "UNTRUSTED_DATA_NOTICE",
    "AnthropicProvider",
    "CircuitBreaker",
    "CircuitState",
    "ErrorCode",
    "OpenAICompatibleProvider",
    "OpenAIProvider",
    "Provider",
    "ProviderChain",
    "ProviderError",
    "RetryPolicy",
    "StructuredRequest",
    "StructuredResponse",
    "ThinkingTime",
    "Usage",
    "build_chain",
    "build_user_content",
    "delimit",
    "estimate_cost",
    "redact_for_audit",
]
