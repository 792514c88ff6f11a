"""Try providers in order, each behind its own circuit breaker, until one answers."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

import structlog

from app.ai.errors import ErrorCode, ProviderError
from app.ai.resilience import CircuitBreaker, CircuitState, Clock
from app.ai.types import Provider, StructuredRequest, StructuredResponse, Usage

log = structlog.get_logger("app.ai")


class ProviderChain:
    """A Provider made of providers: the first success wins; a provider whose breaker is open
    is skipped without a call; when all fail, ALL_PROVIDERS_FAILED carries every attempt's
    Usage (so failed work is billed and logged) and each provider's last error."""

    name = "chain"

    def __init__(
        self,
        providers: Sequence[Provider],
        *,
        failure_threshold: int = 5,
        cooldown_s: float = 30.0,
        clock: Clock = time.monotonic,
    ) -> None:
        names = [provider.name for provider in providers]
        if len(set(names)) != len(names):
            raise ValueError(f"provider names must be unique, got {names}")
        self._providers = list(providers)
        self._breakers = {
            name: CircuitBreaker(failure_threshold, cooldown_s, clock) for name in names
        }

    @property
    def providers(self) -> list[Provider]:
        return list(self._providers)

    def restricted(self, names: Sequence[str]) -> ProviderChain:
        """The same chain limited to `names` (e.g. the providers serving a requested model),
        in this chain's order, sharing its circuit breakers."""
        chain = ProviderChain([p for p in self._providers if p.name in names])
        chain._breakers = {name: self._breakers[name] for name in chain._breakers}
        return chain

    def breaker(self, provider_name: str) -> CircuitBreaker:
        return self._breakers[provider_name]

    def __len__(self) -> int:
        return len(self._providers)

    async def complete(self, request: StructuredRequest) -> StructuredResponse:
        attempts: list[Usage] = []
        causes: list[ProviderError] = []
        for provider in self._providers:
            breaker = self._breakers[provider.name]
            if not breaker.allow():
                skipped = ProviderError(
                    ErrorCode.PROVIDER_UNAVAILABLE,
                    f"{provider.name}: circuit open, next trial in {breaker.retry_in_s():.0f}s",
                    provider=provider.name,
                )
                causes.append(skipped)
                log.info("ai.provider_skipped", provider=provider.name, reason="circuit_open")
                continue
            try:
                response = await provider.complete(request)
            except ProviderError as error:
                attempts.extend(error.attempts)
                causes.append(error)
                self._record_failure(provider.name, breaker, error)
                log.warning(
                    "ai.provider_failed",
                    provider=provider.name,
                    operation=request.operation,
                    error_code=error.code,
                    attempts=len(error.attempts),
                )
                continue
            except BaseException:
                # A bug or a cancellation says nothing about the provider's health; just give
                # back the half-open trial slot if this call held it.
                breaker.release()
                raise
            breaker.record_success()
            return replace(response, attempts=[*attempts, *response.attempts])
        summary = ", ".join(f"{cause.provider}={cause.code}" for cause in causes) or "none"
        raise ProviderError(
            ErrorCode.ALL_PROVIDERS_FAILED,
            f"all providers failed ({summary})",
            attempts=attempts,
            causes=causes,
        )

    def _record_failure(self, name: str, breaker: CircuitBreaker, error: ProviderError) -> None:
        if not error.counts_against_circuit:
            # The provider answered (invalid output, a rejected payload): it is up.
            breaker.record_success()
            return
        before = breaker.state
        breaker.record_failure()
        if before is not CircuitState.OPEN and breaker.state is CircuitState.OPEN:
            log.warning(
                "ai.circuit_opened",
                provider=name,
                consecutive_failures=breaker.consecutive_failures,
                cooldown_s=breaker.cooldown_s,
            )

    async def aclose(self) -> None:
        for provider in self._providers:
            close = getattr(provider, "aclose", None)
            if close is not None:
                await close()
