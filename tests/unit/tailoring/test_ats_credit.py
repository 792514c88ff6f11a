"""The ATS score reads what a screen reads: the posting's words (qualifiers aside), where they
stand (skills section, recent roles), the posting's title where the person's titles back it.
Tailoring moves the score only through evidence: never down, and not for poor fits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.documents import parse_job_posting, parse_resume
from app.documents.models import JobPosting, ResumeDocument
from app.tailoring import LocalEngine, Strategy
from app.tailoring.types import AtsReport

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"
ALL_PAIRS = [
    (p["resume"], p["job"], p["fit"]) for p in json.loads((PAIRS / "pairs.json").read_text())
]

POSTING = """\
Senior Accountant
Northwind Foods

Requirements
- 3+ years of accounting experience
- Advanced Excel
- NetSuite
"""


def _resume(
    summary: str,
    skills: str,
    recent: str,
    older: str,
    title: str,
    older_title: str = "Staff Accountant",
) -> ResumeDocument:
    text = f"""\
Jo Park
jo@example.com | 555-123-4567

Summary
{summary}

Experience
{title} | Acme Corp | Jan 2021 - Present
- {recent}
{older_title} | Birch LLP | Jan 2012 - Dec 2016
- {older}

Education
BS Accounting, Ohio State University, 2011

Skills
{skills}
"""
    return parse_resume(text.encode(), "r.txt")


def _report(engine: LocalEngine, resume: ResumeDocument) -> AtsReport:
    return engine.score(resume, parse_job_posting(POSTING))


def _credit(report: AtsReport, label: str) -> tuple[float, str]:
    result = next(r for r in report.requirements if r.label == label)
    return result.credit, result.via


def test_a_qualified_term_is_found_without_its_qualifier(engine: LocalEngine) -> None:
    listed = _resume(
        "Accountant.", "Excel, NetSuite", "Closed the books monthly", "Reconciled", "Accountant"
    )
    credit, via = _credit(_report(engine, listed), "Advanced Excel")
    assert credit >= 0.9 and via.startswith("skills"), (credit, via)


def test_a_listed_skill_counts_most_when_a_recent_role_uses_it(engine: LocalEngine) -> None:
    def credit(recent: str, older: str) -> float:
        resume = _resume("Accountant.", "NetSuite, Excel", recent, older, "Senior Accountant")
        return _credit(_report(engine, resume), "NetSuite")[0]

    in_recent = credit("Closed the books in NetSuite", "Reconciled accounts")
    in_older = credit("Closed the books", "Reconciled accounts in NetSuite")
    listed_only = credit("Closed the books", "Reconciled accounts")
    assert in_recent > in_older > listed_only


def test_the_postings_title_counts_where_the_persons_titles_back_it(
    engine: LocalEngine,
) -> None:
    def report(summary: str, title: str, older_title: str = "Staff Accountant") -> AtsReport:
        resume = _resume(
            summary, "NetSuite, Excel", "Closed the books", "Reconciled", title, older_title
        )
        return _report(engine, resume)

    def title_value(r: AtsReport) -> float:
        return next(c.value for c in r.components if c.key == "title")

    backed_plain = report("Accounting specialist for food companies.", "Accounting Specialist")
    backed_stated = report("Senior Accountant for food companies.", "Accounting Specialist")
    assert title_value(backed_stated) > title_value(backed_plain)
    assert backed_stated.fit is backed_plain.fit  # the band reads the titles held
    assert backed_stated.title_similarity == backed_plain.title_similarity
    unbacked_plain = report("Barista for food companies.", "Barista", "Line Cook")
    unbacked_stated = report("Senior Accountant for food companies.", "Barista", "Line Cook")
    assert title_value(unbacked_stated) == title_value(unbacked_plain)


def _pair(resume: str, job: str) -> tuple[ResumeDocument, JobPosting]:
    path = PAIRS / "resumes" / resume
    posting = parse_job_posting((PAIRS / "jobs" / job).read_text())
    return parse_resume(path.read_bytes(), path.name), posting


@pytest.mark.parametrize(("resume_name", "job_name", "fit"), ALL_PAIRS)
def test_tailoring_never_lowers_the_score_nor_lifts_a_poor_fit(
    engine: LocalEngine, resume_name: str, job_name: str, fit: str
) -> None:
    resume, job = _pair(resume_name, job_name)
    plan = engine.plan(resume, job)
    for strategy in Strategy:
        evaluation = engine.evaluate(resume, job, engine.draft(resume, job, plan, strategy))
        before, after = evaluation.before.score, evaluation.after.score
        assert after >= before, (strategy, before, after)
        if fit == "poor":  # nothing to state in the posting's words: nothing to gain
            assert after - before <= 1, (strategy, before, after)
