"""What every provider does the same way: model choice, timeouts, retries, usage accounting,
validation of the answer and the single stricter retry when it is invalid."""

from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import structlog

from app.ai.errors import ErrorCode, ProviderError
from app.ai.providers.sdk_errors import map_sdk_error
from app.ai.resilience import RetryPolicy
from app.ai.schema import InvalidOutput, parse_structured, validate
from app.ai.types import StructuredRequest, StructuredResponse, Usage

if TYPE_CHECKING:
    import httpx2

log = structlog.get_logger("app.ai")


@dataclass(frozen=True, slots=True)
class RawAnswer:
    """One HTTP call's answer, before validation. Either `text` to parse, or `data` that the
    API already structured (a tool call's input). `problem` marks an answer that is unusable
    whatever it contains (refusal, truncation); it is phrased for the model and safe to log."""

    text: str | None = None
    data: object | None = None
    structured: bool = False
    input_tokens: int = 0
    output_tokens: int = 0
    request_id: str | None = None
    model: str | None = None
    problem: str | None = None


class BaseProvider(ABC):
    def __init__(self, *, name: str, default_model: str, retry_policy: RetryPolicy | None) -> None:
        self._name = name
        self.default_model = default_model
        # Models configured as served by this provider (TAILOR_OPENAI_MODELS ...): taken as
        # asked even when the name does not look like this vendor's (fine-tunes, aliases).
        self.served_models: frozenset[str] = frozenset()
        self._retry = retry_policy or RetryPolicy()

    @property
    def name(self) -> str:
        return self._name

    @abstractmethod
    def owns_model(self, model: str) -> bool:
        """Whether `model` names one of this provider's models."""

    def resolve_model(self, request: StructuredRequest) -> str:
        """The request's model if it is ours, else our default: after a fallback, a request
        written for another vendor must not send that vendor's model name here."""
        if request.model and (
            request.model in self.served_models or self.owns_model(request.model)
        ):
            return request.model
        return self.default_model

    @abstractmethod
    async def _send(
        self, request: StructuredRequest, model: str, correction: str | None, mode: str | None
    ) -> RawAnswer:
        """One HTTP call. `correction` is set on the stricter retry. SDK exceptions propagate."""

    @abstractmethod
    async def aclose(self) -> None: ...

    async def complete(self, request: StructuredRequest) -> StructuredResponse:
        return await self._complete(request, self.resolve_model(request), [], None)

    async def _complete(
        self,
        request: StructuredRequest,
        model: str,
        attempts: list[Usage],
        mode: str | None,
    ) -> StructuredResponse:
        correction: str | None = None
        for round_number in (1, 2):
            answer = await self._call(request, model, correction, mode, attempts)
            try:
                data = self._validated(answer, request)
            except InvalidOutput as invalid:
                attempts[-1] = replace(
                    attempts[-1],
                    outcome="invalid_output",
                    error_code=ErrorCode.SCHEMA_VALIDATION_FAILED.value,
                )
                log.warning(
                    "ai.invalid_output",
                    provider=self.name,
                    model=model,
                    operation=request.operation,
                    round=round_number,
                    reason=invalid.log_reason,
                )
                if round_number == 2:
                    raise ProviderError(
                        ErrorCode.SCHEMA_VALIDATION_FAILED,
                        f"{self.name}: invalid output after a stricter retry "
                        f"({invalid.log_reason})",
                        provider=self.name,
                        attempts=attempts,
                    ) from invalid
                correction = invalid.reason
                continue
            return StructuredResponse(
                data=data,
                usage=attempts[-1],
                provider=self.name,
                model=attempts[-1].model,
                attempts=list(attempts),
            )
        raise AssertionError("unreachable: the second round returns or raises")

    def _validated(self, answer: RawAnswer, request: StructuredRequest) -> dict[str, object]:
        if answer.problem is not None:
            raise InvalidOutput(answer.problem, answer.problem)
        if answer.structured:
            return validate(answer.data, request.json_schema)
        return parse_structured(answer.text, request.json_schema)

    async def _call(
        self,
        request: StructuredRequest,
        model: str,
        correction: str | None,
        mode: str | None,
        attempts: list[Usage],
    ) -> RawAnswer:
        """`_send` under the per-call timeout and the retry policy; each try becomes a Usage."""

        async def once() -> RawAnswer:
            return await self._attempt(request, model, correction, mode, attempts)

        def on_retry(error: ProviderError, delay_s: float) -> None:
            attempts[-1] = replace(attempts[-1], outcome="retry")
            log.info(
                "ai.retry",
                provider=self.name,
                operation=request.operation,
                error_code=error.code,
                delay_s=round(delay_s, 3),
            )

        try:
            return await self._retry.run(once, on_retry)
        except ProviderError as error:
            error.attempts = list(attempts)
            raise

    async def _attempt(
        self,
        request: StructuredRequest,
        model: str,
        correction: str | None,
        mode: str | None,
        attempts: list[Usage],
    ) -> RawAnswer:
        """One try: its answer, or its failure as a ProviderError; either way one Usage."""
        started = time.perf_counter()
        try:
            # The SDK timeout bounds each network phase; this bounds the whole call, so a
            # server trickling bytes cannot hold a job past its budget.
            async with asyncio.timeout(request.timeout_s):
                answer = await self._send(request, model, correction, mode)
        except Exception as exc:
            failure = self._as_provider_error(exc, request)
        else:
            usage = Usage(
                provider=self.name,
                model=answer.model or model,
                input_tokens=answer.input_tokens,
                output_tokens=answer.output_tokens,
                latency_ms=_elapsed_ms(started),
                request_id=answer.request_id,
                outcome="ok",
            )
            attempts.append(usage)
            self._log_call(request, usage)
            return answer
        failure.provider = self.name
        usage = Usage(
            provider=self.name,
            model=model,
            latency_ms=_elapsed_ms(started),
            request_id=failure.request_id,
            outcome="error",
            error_code=failure.code,
        )
        attempts.append(usage)
        self._log_call(request, usage)
        raise failure

    def _as_provider_error(self, exc: Exception, request: StructuredRequest) -> ProviderError:
        """`exc` as our error (the SDK's cause kept); anything else (a bug) is re-raised."""
        if isinstance(exc, ProviderError):
            return exc
        if isinstance(exc, TimeoutError):
            failure = ProviderError(
                ErrorCode.PROVIDER_TIMEOUT,
                f"{self.name}: no answer within {request.timeout_s:g}s",
                retryable=True,
            )
        else:
            mapped = self._map_error(exc)
            if mapped is None:
                raise exc
            failure = mapped
        failure.__cause__ = exc
        return failure

    def _map_error(self, exc: Exception) -> ProviderError | None:
        """Our error for an SDK exception; None for anything else (a bug, to re-raise)."""
        return map_sdk_error(exc, self.name)

    def _log_call(self, request: StructuredRequest, usage: Usage) -> None:
        # Metadata only: prompts, resume text and answers never reach the logs.
        log.info(
            "ai.call",
            provider=usage.provider,
            model=usage.model,
            operation=request.operation,
            outcome=usage.outcome,
            error_code=usage.error_code,
            latency_ms=usage.latency_ms,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            request_id=usage.request_id,
        )


class SdkClient(Protocol):
    async def close(self) -> None: ...


ClientT = TypeVar("ClientT", bound=SdkClient)


@dataclass(frozen=True, slots=True)
class Vendor(Generic[ClientT]):
    """A vendor's SDK as a provider uses it: its client class and default HTTP client, and
    the provider's defaults (name, model, API address)."""

    name: str
    default_model: str
    base_url: str
    client: Callable[..., ClientT]
    http_client: Callable[..., httpx2.AsyncClient]


class SdkProvider(BaseProvider, Generic[ClientT]):
    """A provider that talks through its vendor's SDK client (OpenAI, Anthropic): one client
    per provider, closed with the provider if its HTTP client is ours."""

    vendor: Vendor[ClientT]

    def __init__(
        self,
        api_key: str,
        base_url: str | None = None,
        default_model: str | None = None,
        *,
        name: str | None = None,
        retry_policy: RetryPolicy | None = None,
        http_client: httpx2.AsyncClient | None = None,
        timeout_s: float = 60.0,
    ) -> None:
        vendor = self.vendor
        super().__init__(
            name=name or vendor.name,
            default_model=default_model or vendor.default_model,
            retry_policy=retry_policy,
        )
        # Closing the SDK client closes its HTTP client: only do it when that client is ours.
        self._owns_http_client = http_client is None
        self._client = vendor.client(
            api_key=api_key,
            # Explicit, so the SDK's *_BASE_URL variable cannot silently redirect traffic.
            base_url=base_url or vendor.base_url,
            # Retries are ours (RetryPolicy): SDK retries would multiply them and hide attempts.
            max_retries=0,
            # Explicit for Anthropic too: it skips the SDK's "use streaming for long
            # requests" guess, which raises ValueError from max_tokens alone.
            timeout=timeout_s,
            http_client=http_client or vendor.http_client(timeout=timeout_s),
        )

    async def aclose(self) -> None:
        if self._owns_http_client:
            await self._client.close()


def _elapsed_ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
