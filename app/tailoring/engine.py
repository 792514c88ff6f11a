"""Engine facade: the TailoringEngine protocols and the local (deterministic) engine.

Protocol design
---------------
There are two protocols with the same methods:

* `TailoringEngine` — synchronous. `LocalEngine` implements it: pure CPU work, no I/O,
  well under 50 ms per resume, so making it `async` would only add ceremony (and an
  `await` on pure functions cannot yield anyway).
* `AsyncTailoringEngine` — asynchronous. An LLM-backed engine implements this one because
  it awaits network calls. Workers code against this protocol; `as_async(LocalEngine())`
  adapts the local engine without a thread hop (its calls are short enough to run inline
  on the event loop).

An LLM engine is expected to *compose* a LocalEngine rather than replace it: the local
engine scores (`evaluate` must be the same yardstick for every engine), guards the LLM's
TailoredResume with `guard()`, and is the fallback whenever the provider fails — which is
why every local method returns non-empty output, even for a one-line resume or an
empty posting.

Determinism: the only input besides the documents is "today" (to count "Mar 2021 –
Present"), used at month granularity. Pass `as_of=` for reproducible results; by default the
current month is read per call, so a long-running worker stays correct and identical input
gives identical output within a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, runtime_checkable

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


@runtime_checkable
class TailoringEngine(Protocol):
    """Synchronous engine (the local engine; also any engine usable from sync code)."""

    name: str

    def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan: ...

    def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume: ...

    def cover_letter(self, resume: ResumeDocument, job: JobPosting, plan: Plan) -> CoverLetter: ...

    def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: TailoredResume
    ) -> Evaluation: ...

    def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> InterviewPrep: ...

    def form_data(self, resume: ResumeDocument) -> dict[str, Any]: ...


@runtime_checkable
class AsyncTailoringEngine(Protocol):
    """Asynchronous engine (LLM engines; workers code against this one)."""

    name: str

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
    report: AtsReport


class LocalEngine:
    """The default engine: taxonomy matching, rule-based plan, guarded rewriting."""

    name = "local"

    def __init__(self, *, as_of: date | None = None) -> None:
        self._fixed: YearMonth | None = (as_of.year, as_of.month) if as_of else None
        self._jobs: BoundedCache[JobAnalysis] = BoundedCache()
        self._resumes: BoundedCache[tuple[ResumeAnalysis, list[DocLine]]] = BoundedCache()

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
        return self._analyse(resume, job).report

    def _analyse(self, resume: ResumeDocument, job: JobPosting) -> _Analysed:
        as_of = self.as_of
        job_analysis = self._jobs.get_or_create(repr(job), lambda: analyse_job(job))
        resume_analysis, lines = self._resumes.get_or_create(
            (repr(resume), as_of),
            lambda: (analyse_resume(resume, as_of), document_lines(resume)),
        )
        # The report is rebuilt each time: it is embedded in returned results, which the
        # caller owns and may change.
        report = ats_report(job_analysis, resume_analysis, lines, resume, as_of)
        return _Analysed(job_analysis, resume_analysis, lines, report)

    # -- protocol --------------------------------------------------------------------------

    def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan:
        a = self._analyse(resume, job)
        return build_plan(resume, a.job, a.resume, a.report, a.lines)

    def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume:
        a = self._analyse(resume, job)
        # The plan's scoring drives what gets emphasised when it describes this same
        # posting (it may come from another engine); otherwise use our own analysis.
        report = plan.ats if _same_requirements(plan.ats, a.report) else a.report
        raw = draft_resume(resume, a.job, a.resume, report, a.lines, Strategy(strategy))
        raw.engine = self.name
        return guard(resume, raw).resume

    def cover_letter(self, resume: ResumeDocument, job: JobPosting, plan: Plan) -> CoverLetter:
        a = self._analyse(resume, job)
        use = (
            plan
            if _same_requirements(plan.ats, a.report)
            else build_plan(resume, a.job, a.resume, a.report, a.lines)
        )
        return write_cover_letter(resume, a.job, a.resume, use, a.lines)

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
            before=a.report,
            after=after,
            diff=diff_sections(resume, checked.resume, warnings),
            warnings=warnings,
            resume=checked.resume,
        )

    def interview_prep(self, resume: ResumeDocument, job: JobPosting, plan: Plan) -> InterviewPrep:
        a = self._analyse(resume, job)
        use = (
            plan
            if _same_requirements(plan.ats, a.report)
            else build_plan(resume, a.job, a.resume, a.report, a.lines)
        )
        return interview_questions(a.job, a.resume, use)

    def form_data(self, resume: ResumeDocument) -> dict[str, Any]:
        return build_form_data(resume, analyse_resume(resume, self.as_of))


class _AsyncAdapter:
    """Runs a synchronous engine behind the async protocol (inline; the work is tiny)."""

    def __init__(self, engine: TailoringEngine) -> None:
        self.engine = engine
        self.name = engine.name

    async def plan(self, resume: ResumeDocument, job: JobPosting) -> Plan:
        return self.engine.plan(resume, job)

    async def draft(
        self,
        resume: ResumeDocument,
        job: JobPosting,
        plan: Plan,
        strategy: Strategy = Strategy.DEFAULT,
    ) -> TailoredResume:
        return self.engine.draft(resume, job, plan, strategy)

    async def cover_letter(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> CoverLetter:
        return self.engine.cover_letter(resume, job, plan)

    async def evaluate(
        self, resume: ResumeDocument, job: JobPosting, tailored: TailoredResume
    ) -> Evaluation:
        return self.engine.evaluate(resume, job, tailored)

    async def interview_prep(
        self, resume: ResumeDocument, job: JobPosting, plan: Plan
    ) -> InterviewPrep:
        return self.engine.interview_prep(resume, job, plan)

    async def form_data(self, resume: ResumeDocument) -> dict[str, Any]:
        return self.engine.form_data(resume)


def as_async(engine: TailoringEngine) -> AsyncTailoringEngine:
    return _AsyncAdapter(engine)


def _same_requirements(a: AtsReport, b: AtsReport) -> bool:
    return [(r.requirement_id, r.label) for r in a.requirements] == [
        (r.requirement_id, r.label) for r in b.requirements
    ]


def _merge(first: list[GuardWarning], second: list[GuardWarning]) -> list[GuardWarning]:
    out: list[GuardWarning] = []
    seen: set[tuple[str, str, str, str]] = set()
    for w in [*first, *second]:
        key = (w.code, w.section, w.text, w.action)
        if key not in seen:
            seen.add(key)
            out.append(w)
    return out
