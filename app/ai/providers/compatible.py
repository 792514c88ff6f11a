"""Any server speaking the OpenAI chat API: Ollama, vLLM, llama.cpp, LM Studio...

Their support for structured output varies, so the JSON mode is negotiated: JSON schema,
then JSON object mode (schema described in the prompt), then plain text with JSON extraction.
The first mode a server accepts is remembered, so later calls skip the ones it rejects.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import openai
import structlog

from app.ai.errors import ErrorCode, ProviderError
from app.ai.providers.anthropic_provider import is_anthropic_model
from app.ai.providers.base import RawAnswer
from app.ai.providers.openai_provider import OpenAIProvider, is_openai_model
from app.ai.providers.sdk_errors import error_text
from app.ai.resilience import RetryPolicy
from app.ai.types import StructuredRequest, StructuredResponse, Usage

if TYPE_CHECKING:
    import httpx2

log = structlog.get_logger("app.ai")

MODES = ("json_schema", "json_object", "text")

# How servers word "I do not support that response_format" (vLLM, llama.cpp, LM Studio and
# older Ollama all differ); any of these in a 400/422 means: try the next mode.
_FORMAT_REJECTION = re.compile(
    r"response_format|response format|json_schema|json schema|json_object|unsupported"
    r"|not supported",
    re.IGNORECASE,
)
# Reasoning models served locally (DeepSeek-R1, Qwen3...) may prefix their answer with their
# chain of thought; braces in it must not be mistaken for the answer.
_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.IGNORECASE | re.DOTALL)


class _FormatRejected(ProviderError):
    """The server refused the response_format of the current mode."""


class OpenAICompatibleProvider(OpenAIProvider):
    # Local servers know `max_tokens`; `max_completion_tokens` and `reasoning_effort` are
    # OpenAI-only and are ignored or rejected elsewhere. Thinking time has no portable knob.
    _uses_completion_tokens = False
    _supports_reasoning_effort = False

    def __init__(
        self,
        base_url: str,
        api_key: str = "not-needed",
        *,
        default_model: str,
        name: str = "compatible",
        retry_policy: RetryPolicy | None = None,
        http_client: httpx2.AsyncClient | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        super().__init__(
            api_key=api_key,
            base_url=base_url,
            default_model=default_model,
            name=name,
            retry_policy=retry_policy,
            http_client=http_client,
            timeout_s=timeout_s,
        )
        self._mode_index = 0

    @property
    def mode(self) -> str:
        """The JSON mode the next call starts with."""
        return MODES[self._mode_index]

    def owns_model(self, model: str) -> bool:
        # Local servers host arbitrary names; only the hosted vendors' names are not ours.
        return not (is_openai_model(model) or is_anthropic_model(model))

    async def complete(self, request: StructuredRequest) -> StructuredResponse:
        model = self.resolve_model(request)
        attempts: list[Usage] = []
        index = self._mode_index
        while True:
            try:
                return await self._complete(request, model, attempts, MODES[index])
            except _FormatRejected as rejected:
                if index + 1 >= len(MODES):
                    raise
                # The rejected call is followed by another try: it is a retry, not the end.
                attempts[-1] = replace(attempts[-1], outcome="retry")
                log.info(
                    "ai.json_mode_fallback",
                    provider=self.name,
                    rejected=MODES[index],
                    next=MODES[index + 1],
                    status_code=rejected.status_code,
                )
                index += 1

    async def _send(
        self, request: StructuredRequest, model: str, correction: str | None, mode: str | None
    ) -> RawAnswer:
        mode = mode or self.mode
        try:
            answer = await super()._send(request, model, correction, mode)
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            if mode != "text" and _FORMAT_REJECTION.search(f"{exc.message} {exc.body}"):
                raise _FormatRejected(
                    ErrorCode.PROVIDER_ERROR,
                    f"{self.name}: response_format {mode} rejected: {error_text(exc)}",
                    provider=self.name,
                    request_id=exc.request_id,
                    status_code=exc.status_code,
                ) from exc
            raise
        # The server accepted this mode: start there next time.
        self._mode_index = MODES.index(mode)
        return answer

    def _clean_text(self, text: str | None) -> str | None:
        return _THINK_BLOCK.sub("", text) if text is not None else None
