"""Which engine runs a job, adapted to the pipeline's needs: async steps that take and
return JSON-ready dicts (the artifacts), so a rerun can resume from stored artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.db.models import TailoringJob
from app.documents.models import JobPosting, ResumeDocument
from app.runtime import Runtime
from app.tailoring.engine import LocalEngine
from app.tailoring.types import Plan, Strategy, TailoredResume


@dataclass
class EngineRun:
    """One job's engine: the local engine today; the LLM engine plugs in here."""

    name: str
    strategy: Strategy
    engine: LocalEngine = field(default_factory=LocalEngine)
    warnings: list[str] = field(default_factory=list)

    async def plan(self, resume: ResumeDocument, job: JobPosting) -> dict[str, Any]:
        return self.engine.plan(resume, job).to_dict()

    async def draft(
        self, resume: ResumeDocument, job: JobPosting, plan: dict[str, Any]
    ) -> dict[str, Any]:
        tailored = self.engine.draft(resume, job, Plan.from_dict(plan), self.strategy)
        return rendered(tailored)

    async def cover_letter(
        self, resume: ResumeDocument, job: JobPosting, plan: dict[str, Any]
    ) -> dict[str, Any]:
        return self.engine.cover_letter(resume, job, Plan.from_dict(plan)).to_dict()

    async def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: dict[str, Any]
    ) -> dict[str, Any]:
        return self.engine.interview_prep(resume, job, Plan.from_dict(plan)).to_dict()

    async def form_data(self, resume: ResumeDocument, job: JobPosting) -> dict[str, Any]:
        return dict(self.engine.form_data(resume))

    async def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: dict[str, Any]
    ) -> dict[str, Any]:
        evaluation = self.engine.evaluate(resume, job, TailoredResume.from_dict(tailored))
        return evaluation.to_dict()


def rendered(tailored: TailoredResume) -> dict[str, Any]:
    """The structured resume plus its three renderings, as one artifact."""
    return {
        **tailored.to_dict(),
        "markdown": tailored.to_markdown(),
        "html": tailored.to_html(),
        "text": tailored.to_text(),
    }


def engine_for(runtime: Runtime, job: TailoringJob) -> EngineRun:
    return EngineRun(name="local", strategy=Strategy(job.strategy))
