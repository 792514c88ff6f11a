"""Which engine runs a job: the offloaded local engine, or the LLM engine on the runtime's
provider chain with every AI call recorded as usage."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from pydantic import SecretStr
from sqlalchemy import select

from app.ai.audit import redact_for_audit
from app.ai.chain import ProviderChain
from app.ai.engine import AiCall, CallSink, LlmEngine
from app.ai.factory import build_chain
from app.ai.pricing import estimate_cost
from app.ai.routing import providers_serving
from app.ai.types import ThinkingTime
from app.config import Settings
from app.db.models import ApiUsage, TailoringJob
from app.db.unit_of_work import transaction
from app.documents.models import ResumeDocument
from app.runtime import Runtime
from app.services.stored_objects import store_for_rows
from app.services.usage import UsageCall, record_calls, record_model_used
from app.storage.keys import user_key

ChainFactory = Callable[[Settings], ProviderChain]


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def chain_from_settings(settings: Settings) -> ProviderChain:
    return build_chain(
        settings.ai_provider_chain,
        openai_api_key=_secret(settings.openai_api_key),
        openai_base_url=settings.openai_base_url,
        openai_model=settings.openai_model,
        anthropic_api_key=_secret(settings.anthropic_api_key),
        anthropic_base_url=settings.anthropic_base_url,
        anthropic_model=settings.anthropic_model,
        compatible_base_url=settings.compatible_base_url,
        compatible_api_key=_secret(settings.compatible_api_key),
        compatible_model=settings.compatible_model,
        timeout_s=settings.ai_timeout_s,
        served_models={
            "openai": settings.openai_models,
            "anthropic": settings.anthropic_models,
            "compatible": settings.compatible_models,
        },
    )


def install_provider_chain(runtime: Runtime, chain: ProviderChain) -> None:
    """Use this chain for the runtime's LLM jobs (tests; embedding applications)."""
    runtime.ai_chain = chain


def provider_chain(runtime: Runtime, factory: ChainFactory = chain_from_settings) -> ProviderChain:
    """The runtime's one chain, built on first use: circuit breakers must remember
    failures across jobs."""
    if runtime.ai_chain is None:
        runtime.ai_chain = factory(runtime.settings)
    return runtime.ai_chain


def usage_sink(runtime: Runtime, job: TailoringJob, person_name: str | None) -> CallSink:
    """Records every AI call (retries and failures included) as usage rows, with the
    redacted prompt and answer kept in the object store for audit."""
    names = [person_name] if person_name else []

    async def sink(call: AiCall) -> None:
        audit = {
            "operation": call.operation,
            "prompt_version": call.prompt_version,
            "system": call.request.system,
            "user": redact_for_audit(call.request.user, names),
            "response": redact_for_audit(json.dumps(call.response), names)
            if call.response is not None
            else None,
            "error_code": call.error_code,
        }
        key = user_key(
            job.user_id, "audit", str(job.id), f"{call.operation}-{uuid.uuid4().hex}.json"
        )
        answered = [u for u in call.attempts if u.outcome == "ok"]
        in_use = select(ApiUsage.id).where(ApiUsage.job_id == job.id, ApiUsage.audit_key == key)
        async with transaction(runtime.db) as session:  # the calls and what answered, together
            # Kept only with the usage rows that point at it.
            await store_for_rows(
                session, runtime, key, json.dumps(audit).encode(), "application/json", in_use=in_use
            )
            await record_calls(
                session,
                [
                    UsageCall(
                        user_id=job.user_id,
                        job_id=job.id,
                        operation=call.operation,
                        provider=u.provider,
                        model=u.model,
                        input_tokens=u.input_tokens,
                        output_tokens=u.output_tokens,
                        latency_ms=u.latency_ms,
                        cost_usd=estimate_cost(u.model, u.input_tokens, u.output_tokens),
                        outcome=u.outcome,
                        provider_request_id=u.request_id,
                        audit_key=key,
                    )
                    for u in call.attempts
                ],
            )
            if answered and call.error_code is None:
                last = answered[-1]
                await record_model_used(session, job.id, last.provider, last.model)

    return sink


def runs_locally(job: TailoringJob) -> bool:
    """Whether the job runs on the local engine (in its own process:
    `app.tailoring.engine_process`)."""
    return job.engine != "llm"


def llm_engine_for(runtime: Runtime, job: TailoringJob, resume: ResumeDocument) -> LlmEngine:
    """The LLM engine for a job that does not run locally (local jobs go to the engine
    process: `runs_locally`)."""
    chain = provider_chain(runtime)
    if job.model:  # only providers serving the requested model (checked at request time)
        chain = chain.restricted(providers_serving(runtime.settings, job.model))
    return LlmEngine(
        completer=chain,
        model=job.model,
        thinking_time=ThinkingTime(job.thinking_time) if job.thinking_time else ThinkingTime.LOW,
        timeout_s=runtime.settings.ai_timeout_s,
        sink=usage_sink(runtime, job, resume.contact.name),
    )
