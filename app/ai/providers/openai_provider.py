"""OpenAI chat completions with JSON-schema structured outputs, through the official SDK."""

from __future__ import annotations

import re

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat
from openai.types.shared import ReasoningEffort

from app.ai.prompting import correction_instruction, schema_instruction
from app.ai.providers.base import RawAnswer, SdkProvider, Vendor
from app.ai.schema import strict_compatible
from app.ai.types import StructuredRequest, ThinkingTime

OPENAI_BASE_URL = "https://api.openai.com/v1"
OPENAI = Vendor(
    name="openai",
    default_model="gpt-4.1-mini",
    base_url=OPENAI_BASE_URL,
    client=openai.AsyncOpenAI,
    http_client=openai.DefaultAsyncHttpxClient,
)

# Model families served by OpenAI's API (fine-tunes are "ft:<base>:..."). Used to decide
# whether a request's model preference applies to this provider.
OPENAI_MODEL = re.compile(r"^(?:ft:)?(?:gpt-\d|o\d|chatgpt-|codex-)", re.IGNORECASE)
# Reasoning models take `reasoning_effort`; others reject it with a 400. "-chat" variants of
# the gpt-5 family are the non-reasoning ones.
_REASONING_MODEL = re.compile(r"^(?:ft:)?(?:o\d|gpt-[5-9])(?!.*-chat)", re.IGNORECASE)

_EFFORT: dict[ThinkingTime, ReasoningEffort] = {
    ThinkingTime.LOW: "low",
    ThinkingTime.MEDIUM: "medium",
    ThinkingTime.HIGH: "high",
}
# Reasoning tokens count against max_completion_tokens: without headroom a long deliberation
# would leave no room for the answer itself (finish_reason "length", empty content).
_REASONING_HEADROOM: dict[ThinkingTime, int] = {
    ThinkingTime.LOW: 2048,
    ThinkingTime.MEDIUM: 8192,
    ThinkingTime.HIGH: 16384,
}

JSON_SCHEMA_MODE = "json_schema"


def is_openai_model(model: str) -> bool:
    return bool(OPENAI_MODEL.match(model))


def is_reasoning_model(model: str) -> bool:
    return bool(_REASONING_MODEL.match(model))


class OpenAIProvider(SdkProvider[openai.AsyncOpenAI]):
    vendor = OPENAI

    def owns_model(self, model: str) -> bool:
        return is_openai_model(model)

    async def _send(
        self, request: StructuredRequest, model: str, correction: str | None, mode: str | None
    ) -> RawAnswer:
        mode = mode or JSON_SCHEMA_MODE
        reasoning = is_reasoning_model(model) and self._supports_reasoning_effort
        limit = request.max_output_tokens
        if reasoning:
            limit += _REASONING_HEADROOM[request.thinking_time]
        completion = await self._client.chat.completions.create(
            model=model,
            messages=self._messages(request, correction, mode),
            response_format=self._response_format(request, mode),
            reasoning_effort=_EFFORT[request.thinking_time] if reasoning else openai.omit,
            max_completion_tokens=limit if self._uses_completion_tokens else openai.omit,
            max_tokens=openai.omit if self._uses_completion_tokens else limit,
            timeout=request.timeout_s,
        )
        return self._answer(completion)

    # OpenAI proper: `max_completion_tokens` (required by reasoning models, `max_tokens` is
    # deprecated) and `reasoning_effort`. Subclasses for other servers override these.
    _uses_completion_tokens = True
    _supports_reasoning_effort = True

    def _messages(
        self, request: StructuredRequest, correction: str | None, mode: str
    ) -> list[ChatCompletionMessageParam]:
        system = request.system
        if mode != JSON_SCHEMA_MODE:
            # No native schema support: the schema has to travel in the prompt. It is ours,
            # so it belongs with the system prompt, never with the user's documents.
            system = f"{system}\n\n{schema_instruction(request.schema_name, request.json_schema)}"
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {"role": "user", "content": request.user},
        ]
        if correction is not None:
            messages.append(
                {"role": "user", "content": correction_instruction(request.schema_name, correction)}
            )
        return messages

    def _response_format(
        self, request: StructuredRequest, mode: str
    ) -> ResponseFormat | openai.Omit:
        if mode == JSON_SCHEMA_MODE:
            return {
                "type": "json_schema",
                "json_schema": {
                    "name": request.schema_name,
                    "schema": dict(request.json_schema),
                    "strict": strict_compatible(request.json_schema),
                },
            }
        if mode == "json_object":
            return {"type": "json_object"}
        return openai.omit

    def _answer(self, completion: ChatCompletion) -> RawAnswer:
        usage = completion.usage
        choice = completion.choices[0] if completion.choices else None
        text: str | None = None
        problem: str | None = None
        if choice is None:
            problem = "the answer contained no choices"
        else:
            text = self._clean_text(choice.message.content)
            if choice.message.refusal:
                problem = "the model refused to answer"
            elif choice.finish_reason == "length":
                problem = "the answer was cut off at the output token limit; answer more concisely"
            elif choice.finish_reason == "content_filter":
                problem = "the answer was blocked by the content filter"
        return RawAnswer(
            text=text,
            input_tokens=usage.prompt_tokens if usage else 0,
            output_tokens=usage.completion_tokens if usage else 0,
            request_id=completion._request_id,
            model=completion.model or None,
            problem=problem,
        )

    def _clean_text(self, text: str | None) -> str | None:
        return text
