"""Map openai / anthropic SDK exceptions onto our error codes.

Both SDKs share one exception design (APITimeoutError < APIConnectionError, APIStatusError with
`status_code`, `response`, `request_id`), so one mapping serves the two.
"""

from __future__ import annotations

import anthropic
import openai

from app.ai.audit import redact_for_audit
from app.ai.errors import ErrorCode, ProviderError
from app.ai.resilience import parse_retry_after

_TIMEOUT = (openai.APITimeoutError, anthropic.APITimeoutError)
_CONNECTION = (openai.APIConnectionError, anthropic.APIConnectionError)
_STATUS = (openai.APIStatusError, anthropic.APIStatusError)
_ANY_SDK = (openai.OpenAIError, anthropic.AnthropicError)
# 408 and 409 are transient per both SDKs' own retry rules; 529 is Anthropic "overloaded".
_TRANSIENT_4XX = frozenset({408, 409})
_OVERLOADED = 529
_MAX_MESSAGE_CHARS = 240


def map_sdk_error(exc: BaseException, provider: str) -> ProviderError | None:
    """The ProviderError for an SDK exception, or None if `exc` is not one (a bug: re-raise)."""
    if isinstance(exc, _TIMEOUT):
        return ProviderError(
            ErrorCode.PROVIDER_TIMEOUT,
            f"{provider}: request timed out",
            retryable=True,
            provider=provider,
        )
    if isinstance(exc, _CONNECTION):
        return ProviderError(
            ErrorCode.PROVIDER_ERROR,
            f"{provider}: connection failed",
            retryable=True,
            provider=provider,
        )
    if isinstance(exc, _STATUS):
        return _from_status(exc, provider)
    if isinstance(exc, _ANY_SDK):
        # Response validation and similar client-side failures: retrying will not help.
        return ProviderError(
            ErrorCode.PROVIDER_ERROR, f"{provider}: {type(exc).__name__}", provider=provider
        )
    return None


def error_text(exc: openai.APIStatusError | anthropic.APIStatusError) -> str:
    """The provider's error message, short and scrubbed: it may echo parts of the request."""
    return redact_for_audit(str(exc.message))[:_MAX_MESSAGE_CHARS]


def _from_status(
    exc: openai.APIStatusError | anthropic.APIStatusError, provider: str
) -> ProviderError:
    status = exc.status_code
    headers = exc.response.headers
    retry_after = parse_retry_after(headers)
    message = f"{provider}: HTTP {status}: {error_text(exc)}"
    if status == 429 or status == _OVERLOADED:
        # OpenAI answers 429 for an exhausted quota too; no amount of waiting fixes that.
        retryable = _error_code(exc.body) != "insufficient_quota"
        code = ErrorCode.PROVIDER_THROTTLED
    else:
        retryable = status >= 500 or status in _TRANSIENT_4XX
        code = ErrorCode.PROVIDER_ERROR
    # Both vendors may tell clients explicitly whether a retry is worthwhile.
    should_retry = headers.get("x-should-retry")
    if should_retry in ("true", "false"):
        retryable = should_retry == "true"
    return ProviderError(
        code,
        message,
        retryable=retryable,
        retry_after_s=retry_after,
        provider=provider,
        request_id=exc.request_id,
        status_code=status,
    )


def _error_code(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    error = body.get("error", body)
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else None
