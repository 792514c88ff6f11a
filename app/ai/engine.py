"""The LLM engine: plan, draft and cover letter from a provider chain; everything else,
and every fact check, from the local engine.

What comes back from a model is never trusted: it must match a JSON schema, line ids are
checked against the resume, and the truth guard removes anything the resume does not
support. If every provider fails, or the answer is unusable, the step falls back to the
local engine and says so in `warnings` (AI_FALLBACK_LOCAL), so the person still gets a
full result.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import structlog

from app.ai.errors import ProviderError
from app.ai.prompting import build_user_content
from app.ai.prompts import COVER_LETTER, PLAN, PROMPT_VERSION, draft_prompt
from app.ai.prompts.results import left_out_lines, letter_allowed, uncertain_warnings
from app.ai.prompts.schemas import COVER_LETTER_SCHEMA, DRAFT_SCHEMA, PLAN_SCHEMA
from app.ai.types import StructuredRequest, StructuredResponse, ThinkingTime, Usage
from app.documents.models import JobPosting, ResumeDocument, SectionKind
from app.tailoring.engine import OffloadedLocalEngine, TailoringEngine
from app.tailoring.guard import guard, guard_text
from app.tailoring.render import paragraphs_to_html, paragraphs_to_markdown, paragraphs_to_text
from app.tailoring.types import (
    CoverLetter,
    Evaluation,
    Evidence,
    GuardWarning,
    InterviewPrep,
    LineRole,
    NextStep,
    Plan,
    Strategy,
    Strength,
    TailoredLine,
    TailoredResume,
    TailoredSection,
)

log = structlog.get_logger("ai.engine")

FALLBACK = "AI_FALLBACK_LOCAL"


class Completer(Protocol):
    """What the engine needs from the provider layer (a ProviderChain fits)."""

    async def complete(self, request: StructuredRequest) -> StructuredResponse: ...


@dataclass(frozen=True)
class AiCall:
    """One step's AI traffic, for usage accounting and the audit trail."""

    operation: str
    attempts: list[Usage]
    request: StructuredRequest
    response: dict[str, Any] | None
    error_code: str | None
    prompt_version: str = PROMPT_VERSION


CallSink = Callable[[AiCall], Awaitable[None]]


def numbered_resume(resume: ResumeDocument) -> str:
    """The resume as the model sees it: section headings and `L12: text` lines, so every
    output line can cite the lines it comes from."""
    parts: list[str] = []
    for section in resume.sections:
        parts.append(f"## {section.heading or section.kind.value} [{section.kind.value}]")
        parts.extend(
            f"{line.id}: {'- ' if line.is_bullet else ''}{line.text}" for line in section.lines
        )
    return "\n".join(parts)


@dataclass
class LlmEngine:
    completer: Completer
    local: TailoringEngine = field(default_factory=OffloadedLocalEngine)
    model: str | None = None
    thinking_time: ThinkingTime = ThinkingTime.LOW
    timeout_s: float = 60.0
    sink: CallSink | None = None
    warnings: list[str] = field(default_factory=list)
    name: str = "llm"

    async def _ask(
        self,
        operation: str,
        system: str,
        resume: ResumeDocument,
        job: JobPosting,
        schema: dict[str, Any],
        task: str,
    ) -> dict[str, Any] | None:
        request = StructuredRequest(
            operation=operation,
            system=system,
            user=build_user_content(
                {"resume": numbered_resume(resume), "job_description": job.text}, task=task
            ),
            json_schema=schema,
            schema_name=f"tailor_{operation}",
            model=self.model,
            thinking_time=self.thinking_time,
            max_output_tokens=4096,
            timeout_s=self.timeout_s,
        )
        try:
            response = await self.completer.complete(request)
        except ProviderError as exc:
            await self._record(AiCall(operation, list(exc.attempts), request, None, exc.code))
            self.warnings.append(f"{FALLBACK}: {operation} used the local engine ({exc.code})")
            log.warning("ai_fallback_local", operation=operation, error_code=exc.code)
            return None
        await self._record(AiCall(operation, list(response.attempts), request, response.data, None))
        data: dict[str, Any] = response.data
        return data

    async def _record(self, call: AiCall) -> None:
        if self.sink is not None:
            await self.sink(call)

    def _uncertain(self, data: dict[str, Any], operation: str, section: str) -> list[GuardWarning]:
        """The model's uncertain ideas: not applied, but shown (result and job warnings)."""
        found = uncertain_warnings(data, section)
        self.warnings.extend(f"{w.code} ({operation}): {w.text}" for w in found)
        return found

    def _fallback(self, operation: str, reason: str) -> None:
        self.warnings.append(f"{FALLBACK}: {operation} used the local engine ({reason})")

    # -- plan --------------------------------------------------------------------------

    async def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan:
        base = await self.local.plan(resume, job)  # scores and gaps are facts: always local
        data = await self._ask(
            "plan", PLAN, resume, job, PLAN_SCHEMA, "Write the tailoring plan for this job."
        )
        if data is None:
            return base
        self._uncertain(data, "plan", "plan")
        allowed = [a for a in (base.job_title, base.company) if a]
        summary = guard_text(resume, str(data.get("summary", "")), allowed=allowed).text
        by_id = {ln.id: ln for ln in resume.lines}
        strengths = []
        for item in data.get("strengths", []):
            evidence = [
                Evidence(line_id=i, text=by_id[i].text)
                for i in item.get("evidence_line_ids", [])
                if i in by_id
            ]
            detail = guard_text(resume, str(item.get("detail", "")), allowed=allowed).text
            if evidence and detail:  # a strength must point at the resume
                strengths.append(Strength(str(item.get("label", ""))[:200], detail, evidence))
        steps = [NextStep(kind="ai", text=str(s)[:500]) for s in data.get("next_steps", [])][:8]
        return Plan(
            job_title=base.job_title,
            company=base.company,
            fit=base.fit,
            score=base.score,
            summary=summary or base.summary,
            strengths=strengths or base.strengths,
            gaps=base.gaps,
            next_steps=steps + base.next_steps,
            ats=base.ats,
            keywords=base.keywords,
            engine=self.name,
        )

    # -- draft -------------------------------------------------------------------------

    async def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume:
        data = await self._ask(
            "draft",
            draft_prompt(strategy.value),
            resume,
            job,
            DRAFT_SCHEMA,
            "Rewrite the resume for this job.",
        )
        if data is None:
            return await self.local.draft(resume, job, plan, strategy)
        known = {ln.id for ln in resume.lines}
        sections = []
        for raw in data.get("sections", []):
            lines = [
                TailoredLine(
                    text=str(line.get("text", "")).strip(),
                    source_line_ids=[i for i in line.get("source_line_ids", []) if i in known],
                    role=LineRole(line.get("role", "text")),
                )
                for line in raw.get("lines", [])
                if str(line.get("text", "")).strip()
            ]
            if lines:
                sections.append(
                    TailoredSection(
                        kind=SectionKind(raw.get("kind", "other")),
                        heading=str(raw.get("heading", ""))[:100],
                        lines=lines,
                    )
                )
        raw_resume = TailoredResume(
            strategy=strategy,
            sections=sections,
            engine=self.name,
            job_title=plan.job_title,
            company=plan.company,
            left_out=left_out_lines(resume, sections),
        )
        checked = guard(resume, raw_resume)  # the truth guard, then the structural gate
        result = checked.resume
        result.warnings = [*result.warnings, *self._uncertain(data, "draft", "resume")]
        if not any(s.kind is SectionKind.EXPERIENCE and s.lines for s in result.sections):
            # The model lost the work history (or the guard had to remove it): unusable.
            self._fallback("draft", "AI_OUTPUT_REJECTED")
            return await self.local.draft(resume, job, plan, strategy)
        return result

    # -- cover letter ------------------------------------------------------------------

    async def cover_letter(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> CoverLetter:
        data = await self._ask(
            "cover_letter",
            COVER_LETTER,
            resume,
            job,
            COVER_LETTER_SCHEMA,
            f"Write the cover letter for {plan.job_title or 'this job'}"
            + (f" at {plan.company}." if plan.company else "."),
        )
        if data is None:
            return await self.local.cover_letter(resume, job, plan)
        allowed = letter_allowed(job, plan.job_title, plan.company)
        text = "\n\n".join(str(p).strip() for p in data.get("paragraphs", []) if str(p).strip())
        checked = guard_text(resume, text, allowed=allowed)
        paragraphs = [p for p in checked.text.split("\n\n") if p.strip()]
        if len(paragraphs) < 2:
            self._fallback("cover_letter", "AI_OUTPUT_REJECTED")
            return await self.local.cover_letter(resume, job, plan)
        return CoverLetter(
            markdown=paragraphs_to_markdown(paragraphs),
            html=paragraphs_to_html(paragraphs),
            text=paragraphs_to_text(paragraphs),
            paragraphs=paragraphs,
            warnings=[*checked.warnings, *self._uncertain(data, "cover_letter", "cover_letter")],
            job_title=plan.job_title,
            company=plan.company,
        )

    # -- local steps -------------------------------------------------------------------

    async def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> InterviewPrep:
        return await self.local.interview_prep(resume, job, plan)

    async def form_data(self, resume: ResumeDocument) -> dict[str, Any]:
        return await self.local.form_data(resume)

    async def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: TailoredResume
    ) -> Evaluation:
        return await self.local.evaluate(resume, job, tailored)
