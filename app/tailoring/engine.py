"""The one engine protocol, and the local (deterministic) engine behind it.

`TailoringEngine` is async: a job's steps take and return typed objects (Plan,
TailoredResume, ...), and only the pipeline turns them into stored JSON. Two engines
implement it:

* `OffloadedLocalEngine` wraps `LocalEngine` once. The local engine is pure CPU work (20-80
  ms a job), so its calls run on one engine thread, off the event loop: a worker running
  several jobs keeps committing, publishing and reading while one job computes.
* `app.ai.engine.LlmEngine` awaits a provider chain and composes an offloaded local engine
  for the facts (scores, gaps, `evaluate` as the one yardstick) and as its fallback, which
  is why every local method returns non-empty output, even for a one-line resume.

`LocalEngine` itself stays synchronous, for callers that are not on an event loop (the
accept path's rebuild, benches, unit tests).

Determinism: the only input besides the documents is "today" (to count "Mar 2021 –
Present"), used at month granularity. Pass `as_of=` for reproducible results; by default the
current month is read per call, so a long-running worker stays correct and identical input
gives identical output within a month.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar, runtime_checkable

from app.documents.models import JobPosting, ResumeDocument
from app.tailoring.cover_letter import write_cover_letter
from app.tailoring.diff import diff_sections
from app.tailoring.form_data import build_form_data
from app.tailoring.guard import clear_facts_cache, guard
from app.tailoring.interview import interview_questions
from app.tailoring.job_analysis import analyse_job
from app.tailoring.matcher import get_matcher
from app.tailoring.memo import BoundedCache
from app.tailoring.plan import build_plan
from app.tailoring.resume_analysis import (
    DocLine,
    YearMonth,
    analyse_resume,
    analyse_tailored,
    document_lines,
    tailored_lines,
)
from app.tailoring.scoring import ats_report
from app.tailoring.strategies import draft_resume
from app.tailoring.text import clear_line_cache
from app.tailoring.types import (
    AtsReport,
    CoverLetter,
    Evaluation,
    GuardWarning,
    InterviewPrep,
    JobAnalysis,
    Plan,
    ResumeAnalysis,
    Strategy,
    TailoredResume,
)

T = TypeVar("T")


@runtime_checkable
class TailoringEngine(Protocol):
    """What the pipeline runs a job with: async steps on typed objects."""

    name: str
    warnings: list[str]  # job-level notes, e.g. an LLM step that fell back to local

    async def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan: ...

    async def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume: ...

    async def cover_letter(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> CoverLetter: ...

    async def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: TailoredResume
    ) -> Evaluation: ...

    async def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> InterviewPrep: ...

    async def form_data(self, resume: ResumeDocument) -> dict[str, Any]: ...


@dataclass
class _Analysed:
    job: JobAnalysis
    resume: ResumeAnalysis
    lines: list[DocLine]
    document: ResumeDocument
    as_of: YearMonth

    def report(self) -> AtsReport:
        # Built on demand and never cached: it is embedded in returned results, which the
        # caller owns and may change.
        return ats_report(self.job, self.resume, self.lines, self.document, self.as_of)

    def describes(self, plan: Plan) -> bool:
        """Whether the plan's scoring is about this same posting (it may come from another
        engine): same requirements, in the order scoring lists them."""
        return [(r.requirement_id, r.label) for r in plan.ats.requirements] == [
            (r.id, r.label) for r in self.job.requirements
        ]


def _doc_key(doc: ResumeDocument | JobPosting) -> tuple[int, int, int]:
    """The per-engine caches' key: the object and its text (a str caches its hash), where a
    full repr cost 0.7 ms a call for a two-page resume. The cached value keeps the object,
    so its id cannot be reused while the entry lives."""
    return (id(doc), hash(doc.text), len(doc.text))


class LocalEngine:
    """The default engine: taxonomy matching, rule-based plan, guarded rewriting."""

    name = "local"

    def __init__(self, *, as_of: date | None = None) -> None:
        self._fixed: YearMonth | None = (as_of.year, as_of.month) if as_of else None
        self._jobs: BoundedCache[tuple[JobPosting, JobAnalysis]] = BoundedCache()
        self._resumes: BoundedCache[tuple[ResumeDocument, ResumeAnalysis, list[DocLine]]] = (
            BoundedCache()
        )

    @property
    def as_of(self) -> YearMonth:
        if self._fixed is not None:
            return self._fixed
        today = date.today()
        return (today.year, today.month)

    def clear_cache(self) -> None:
        """Forget per-document work (this engine's and the shared line caches)."""
        self._jobs.clear()
        self._resumes.clear()
        clear_facts_cache()
        clear_line_cache()
        get_matcher().clear_cache()

    # -- analysis (public: useful to callers that only want scores) ------------------------

    def analyse_job(self, job: JobPosting) -> JobAnalysis:
        return analyse_job(job)

    def analyse_resume(self, resume: ResumeDocument) -> ResumeAnalysis:
        return analyse_resume(resume, self.as_of)

    def score(self, resume: ResumeDocument, job: JobPosting) -> AtsReport:
        return self._analyse(resume, job).report()

    def _analyse(self, resume: ResumeDocument, job: JobPosting) -> _Analysed:
        as_of = self.as_of
        _, job_analysis = self._jobs.get_or_create(_doc_key(job), lambda: (job, analyse_job(job)))
        resume_analysis, lines = self._resume_analysis(resume, as_of)
        return _Analysed(job_analysis, resume_analysis, lines, resume, as_of)

    def _resume_analysis(
        self, resume: ResumeDocument, as_of: YearMonth
    ) -> tuple[ResumeAnalysis, list[DocLine]]:
        _, analysis, lines = self._resumes.get_or_create(
            (_doc_key(resume), as_of),
            lambda: (resume, analyse_resume(resume, as_of), document_lines(resume)),
        )
        return analysis, lines

    def _plan_for(self, a: _Analysed, resume: ResumeDocument, plan: Plan) -> Plan:
        """The given plan when it describes this posting, else our own."""
        if a.describes(plan):
            return plan
        return build_plan(resume, a.job, a.resume, a.report(), a.lines)

    # -- protocol --------------------------------------------------------------------------

    def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan:
        a = self._analyse(resume, job)
        return build_plan(resume, a.job, a.resume, a.report(), a.lines)

    def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume:
        a = self._analyse(resume, job)
        # The plan's scoring drives what gets emphasised when it describes this same
        # posting; otherwise use our own analysis.
        report = plan.ats if a.describes(plan) else a.report()
        raw = draft_resume(resume, a.job, a.resume, report, a.lines, Strategy(strategy))
        raw.engine = self.name
        return guard(resume, raw).resume

    def cover_letter(self, resume: ResumeDocument, job: JobPosting, plan: Plan) -> CoverLetter:
        a = self._analyse(resume, job)
        use = self._plan_for(a, resume, plan)
        return write_cover_letter(resume, a.job, a.resume, use, a.lines, posting=job)

    def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: TailoredResume
    ) -> Evaluation:
        a = self._analyse(resume, job)
        checked = guard(resume, tailored)
        after_analysis = analyse_tailored(resume, checked.resume, self.as_of)
        after_lines = tailored_lines(resume, checked.resume)
        after = ats_report(a.job, after_analysis, after_lines, resume, self.as_of)
        warnings = _merge(tailored.warnings, checked.warnings)
        return Evaluation(
            before=a.report(),
            after=after,
            diff=diff_sections(resume, checked.resume, warnings),
            warnings=warnings,
            resume=checked.resume,
        )

    def interview_prep(self, resume: ResumeDocument, job: JobPosting, plan: Plan) -> InterviewPrep:
        a = self._analyse(resume, job)
        return interview_questions(a.job, a.resume, self._plan_for(a, resume, plan))

    def form_data(self, resume: ResumeDocument) -> dict[str, Any]:
        return build_form_data(resume, self._resume_analysis(resume, self.as_of)[0])


# One thread for every local engine of the process: the GIL would serialise the work
# anyway, and one thread keeps the module-level caches (facts, lines, matcher) single-
# threaded. Created on first use so importing the engine starts nothing.
@functools.cache
def engine_thread() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="local-engine")


async def offload(fn: Callable[..., T], *args: Any) -> T:
    """Run CPU-bound work (an engine step, rebuilding or serialising a document) on the
    engine thread, so the event loop stays free for other jobs' I/O."""
    return await asyncio.get_running_loop().run_in_executor(engine_thread(), fn, *args)


class OffloadedLocalEngine:
    """`LocalEngine` behind the async protocol, each call on the engine thread."""

    name = LocalEngine.name

    def __init__(self, local: LocalEngine | None = None) -> None:
        self.local = local or LocalEngine()
        self.warnings: list[str] = []

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Any CPU-bound call (e.g. the guard on an LLM's answer) on the engine thread."""
        return await offload(fn, *args)

    async def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan:
        return await self.run(self.local.plan, resume, job)

    async def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume:
        return await self.run(self.local.draft, resume, job, plan, strategy)

    async def cover_letter(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> CoverLetter:
        return await self.run(self.local.cover_letter, resume, job, plan)

    async def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: TailoredResume
    ) -> Evaluation:
        return await self.run(self.local.evaluate, resume, job, tailored)

    async def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> InterviewPrep:
        return await self.run(self.local.interview_prep, resume, job, plan)

    async def form_data(self, resume: ResumeDocument) -> dict[str, Any]:
        return await self.run(self.local.form_data, resume)


def _merge(first: list[GuardWarning], second: list[GuardWarning]) -> list[GuardWarning]:
    out: list[GuardWarning] = []
    seen: set[tuple[str, str, str, str]] = set()
    for w in [*first, *second]:
        key = (w.code, w.section, w.text, w.action)
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out
