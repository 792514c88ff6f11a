"""Which engine runs a job, adapted to the pipeline: async steps that take and return
JSON-ready dicts (the artifacts), so a rerun can resume from stored artifacts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr

from app.ai.audit import redact_for_audit
from app.ai.chain import ProviderChain
from app.ai.engine import AiCall, CallSink, LlmEngine
from app.ai.factory import build_chain
from app.ai.pricing import estimate_cost
from app.ai.types import ThinkingTime
from app.config import Settings
from app.db.models import TailoringJob
from app.documents.models import JobPosting, ResumeDocument
from app.runtime import Runtime
from app.services.usage import UsageCall, record_calls
from app.storage.keys import user_key
from app.tailoring.engine import LocalEngine
from app.tailoring.types import Plan, Strategy, TailoredResume

# One chain per process: circuit breakers must remember failures across jobs.
_chains: dict[int, ProviderChain] = {}
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
    )


def install_provider_chain(runtime: Runtime, chain: ProviderChain) -> None:
    """Use this chain for the runtime's LLM jobs (tests; embedding applications)."""
    _chains[id(runtime)] = chain


def provider_chain(runtime: Runtime, factory: ChainFactory = chain_from_settings) -> ProviderChain:
    key = id(runtime)
    if key not in _chains:
        _chains[key] = factory(runtime.settings)
    return _chains[key]


@dataclass
class EngineRun:
    """One job's engine: local, or LLM steps with the local engine underneath."""

    name: str
    strategy: Strategy
    local: LocalEngine = field(default_factory=LocalEngine)
    llm: LlmEngine | None = None

    @property
    def warnings(self) -> list[str]:
        return list(self.llm.warnings) if self.llm else []

    async def plan(self, resume: ResumeDocument, job: JobPosting) -> dict[str, Any]:
        if self.llm:
            return (await self.llm.plan(resume, job)).to_dict()
        return self.local.plan(resume, job).to_dict()

    async def draft(
        self, resume: ResumeDocument, job: JobPosting, plan: dict[str, Any]
    ) -> dict[str, Any]:
        parsed = Plan.from_dict(plan)
        if self.llm:
            return rendered(await self.llm.draft(resume, job, parsed, self.strategy))
        return rendered(self.local.draft(resume, job, parsed, self.strategy))

    async def cover_letter(
        self, resume: ResumeDocument, job: JobPosting, plan: dict[str, Any]
    ) -> dict[str, Any]:
        parsed = Plan.from_dict(plan)
        if self.llm:
            return (await self.llm.cover_letter(resume, job, parsed)).to_dict()
        return self.local.cover_letter(resume, job, parsed).to_dict()

    async def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: dict[str, Any]
    ) -> dict[str, Any]:
        return self.local.interview_prep(resume, job, Plan.from_dict(plan)).to_dict()

    async def form_data(self, resume: ResumeDocument, job: JobPosting) -> dict[str, Any]:
        return dict(self.local.form_data(resume))

    async def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: dict[str, Any]
    ) -> dict[str, Any]:
        evaluation = self.local.evaluate(resume, job, TailoredResume.from_dict(tailored))
        return evaluation.to_dict()


def rendered(tailored: TailoredResume) -> dict[str, Any]:
    """The structured resume plus its three renderings, as one artifact."""
    return {
        **tailored.to_dict(),
        "markdown": tailored.to_markdown(),
        "html": tailored.to_html(),
        "text": tailored.to_text(),
    }


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
        await runtime.store.put(key, json.dumps(audit).encode(), "application/json")
        await record_calls(
            runtime,
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

    return sink


def engine_for(runtime: Runtime, job: TailoringJob, resume: ResumeDocument) -> EngineRun:
    strategy = Strategy(job.strategy)
    if job.engine != "llm":
        return EngineRun(name="local", strategy=strategy)
    llm = LlmEngine(
        completer=provider_chain(runtime),
        model=job.model,
        thinking_time=ThinkingTime(job.thinking_time) if job.thinking_time else ThinkingTime.LOW,
        timeout_s=runtime.settings.ai_timeout_s,
        sink=usage_sink(runtime, job, resume.contact.name),
    )
    return EngineRun(name="llm", strategy=strategy, llm=llm)
