"""Anthropic Messages API, structured output through one tool whose input is the answer.

Extended thinking and a forced tool choice are mutually exclusive: the API answers 400
("Thinking may not be enabled when tool_choice forces tool use"). So:
* LOW thinking time: no thinking, `tool_choice={"type": "tool"}`, the answer is always a
  tool call;
* MEDIUM / HIGH: thinking with a token budget and `tool_choice={"type": "auto"}`, with the
  system prompt telling the model to answer through the tool (if it answers in text instead,
  the text is parsed as JSON);
* the stricter retry after an invalid answer drops thinking and forces the tool again:
  reliability beats depth on the second try.
"""

from __future__ import annotations

import anthropic
from anthropic.types import (
    Message,
    MessageParam,
    TextBlockParam,
    ThinkingConfigParam,
    ToolChoiceParam,
    ToolParam,
)

from app.ai.prompting import correction_instruction
from app.ai.providers.base import RawAnswer, SdkProvider, Vendor
from app.ai.types import StructuredRequest, ThinkingTime

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC = Vendor(
    name="anthropic",
    default_model="claude-sonnet-4-5",
    base_url=ANTHROPIC_BASE_URL,
    client=anthropic.AsyncAnthropic,
    http_client=anthropic.DefaultAsyncHttpxClient,
)

# Thinking budgets: at least 1024 (API minimum); max_tokens = answer budget + thinking budget.
THINKING_BUDGET: dict[ThinkingTime, int | None] = {
    ThinkingTime.LOW: None,
    ThinkingTime.MEDIUM: 4096,
    ThinkingTime.HIGH: 12288,
}
# Models that predate extended thinking reject the parameter.
_NO_THINKING_PREFIXES = (
    "claude-3-5",
    "claude-3-haiku",
    "claude-3-opus",
    "claude-3-sonnet",
    "claude-2",
    "claude-instant",
)


def is_anthropic_model(model: str) -> bool:
    return model.lower().startswith("claude-")


def supports_thinking(model: str) -> bool:
    return is_anthropic_model(model) and not model.lower().startswith(_NO_THINKING_PREFIXES)


class AnthropicProvider(SdkProvider[anthropic.AsyncAnthropic]):
    vendor = ANTHROPIC

    def owns_model(self, model: str) -> bool:
        return is_anthropic_model(model)

    async def _send(
        self, request: StructuredRequest, model: str, correction: str | None, mode: str | None
    ) -> RawAnswer:
        tool_name = request.schema_name
        tool: ToolParam = {
            "name": tool_name,
            "description": f"Record the {request.operation} result. The input is the answer.",
            "input_schema": dict(request.json_schema),
        }
        content: list[TextBlockParam] = [{"type": "text", "text": request.user}]
        if correction is not None:
            content.append(
                {"type": "text", "text": correction_instruction(request.schema_name, correction)}
            )
        messages: list[MessageParam] = [{"role": "user", "content": content}]
        budget = THINKING_BUDGET[request.thinking_time] if supports_thinking(model) else None
        if correction is not None:
            budget = None
        system = request.system
        thinking: ThinkingConfigParam | anthropic.Omit = anthropic.omit
        tool_choice: ToolChoiceParam
        if budget is None:
            tool_choice = {"type": "tool", "name": tool_name, "disable_parallel_tool_use": True}
            max_tokens = request.max_output_tokens
        else:
            tool_choice = {"type": "auto", "disable_parallel_tool_use": True}
            thinking = {"type": "enabled", "budget_tokens": budget}
            max_tokens = request.max_output_tokens + budget
            system = (
                f"{system}\n\nGive your final answer by calling the `{tool_name}` tool exactly "
                f"once; its input is the answer. Do not answer in plain text."
            )
        message = await self._client.messages.create(
            model=model,
            max_tokens=max_tokens,
            system=system,
            messages=messages,
            tools=[tool],
            tool_choice=tool_choice,
            thinking=thinking,
            timeout=request.timeout_s,
        )
        return _answer(message, tool_name)


def _answer(message: Message, tool_name: str) -> RawAnswer:
    usage = message.usage
    # Cache reads and writes are input too, just billed differently; count them all.
    input_tokens = (
        usage.input_tokens
        + (usage.cache_creation_input_tokens or 0)
        + (usage.cache_read_input_tokens or 0)
    )
    data: object | None = None
    structured = False
    text: str | None = None
    problem: str | None = None
    for block in message.content:
        if block.type == "tool_use" and block.name == tool_name:
            data, structured = block.input, True
            break
    else:
        # No tool call (possible with tool_choice auto): any text may still hold the JSON.
        text = "".join(block.text for block in message.content if block.type == "text")
        if message.stop_reason == "max_tokens":
            problem = "the answer was cut off at the output token limit; answer more concisely"
        elif message.stop_reason == "refusal":
            problem = "the model refused to answer"
    return RawAnswer(
        text=text,
        data=data,
        structured=structured,
        input_tokens=input_tokens,
        output_tokens=usage.output_tokens,
        request_id=message._request_id,
        model=message.model or None,
        problem=problem,
    )
