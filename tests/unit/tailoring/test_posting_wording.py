"""Resumes that write their own words for what a posting asks (A/P, RN, k8s, GA4, JS):
tailoring states the evidenced requirements in the posting's wording, and only those."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.documents import parse_job_posting, parse_resume
from app.documents.models import JobPosting, ResumeDocument, SectionKind
from app.tailoring import LocalEngine, Strategy
from app.tailoring.guard import build_facts, find_violations
from app.tailoring.posting_terms import (
    contains_term,
    coverage,
    evidenced_requirements,
    named_part,
    posting_terms,
)
from app.tailoring.skills_curation import abbreviates
from app.tailoring.types import TailoredResume

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"
ALIAS_PAIRS = [
    (p["resume"], p["job"], p["fit"])
    for p in json.loads((PAIRS / "pairs.json").read_text())
    if "aliases" in p["resume"]
]


def _pair(resume: str, job: str) -> tuple[ResumeDocument, JobPosting]:
    path = PAIRS / "resumes" / resume
    posting = parse_job_posting((PAIRS / "jobs" / job).read_text())
    return parse_resume(path.read_bytes(), path.name), posting


def _text(resume: TailoredResume) -> str:
    return "\n".join(ln.text for s in resume.sections for ln in s.lines)


@pytest.fixture(scope="module")
def engine() -> LocalEngine:
    return LocalEngine(as_of=date(2025, 11, 15))


@pytest.mark.parametrize(("resume_name", "job_name", "fit"), ALIAS_PAIRS)
def test_default_states_evidenced_requirements_in_the_postings_words(
    engine: LocalEngine, resume_name: str, job_name: str, fit: str
) -> None:
    resume, job = _pair(resume_name, job_name)
    analysis = engine.analyse_job(job)
    evidenced = evidenced_requirements(
        analysis, engine.score(resume, job), posting_terms(analysis, job.text)
    )
    original = "\n".join(ln.text for ln in resume.lines)
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    after = _text(engine.evaluate(resume, job, tailored).resume)
    if fit == "poor":
        assert coverage(after, evidenced) <= coverage(original, evidenced) or not evidenced
        return
    assert coverage(after, evidenced) >= coverage(original, evidenced)
    missing_before = [e for e in evidenced if not contains_term(original, e.term)]
    stated = [e for e in missing_before if contains_term(after, e.term)]
    if fit == "strong":  # most of what was written the resume's own way now reads the posting's
        assert len(stated) >= len(missing_before) * 0.6, [e.term for e in missing_before]
    facts = build_facts(resume, [])
    for line in after.split("\n"):
        assert not find_violations(line, facts, source_ids=None), line


def test_abbreviations_are_written_out_as_the_posting_does(engine: LocalEngine) -> None:
    resume, job = _pair("ap-accountant-aliases.txt", "ap-lead-harborview.txt")
    plan = engine.plan(resume, job)
    default = engine.draft(resume, job, plan, Strategy.DEFAULT)
    skills = next(s for s in default.sections if s.kind is SectionKind.SKILLS)
    line = " ".join(ln.text for ln in skills.lines)
    assert "accounts payable" in line and "A/P" not in line.replace("(A/P)", "")
    aggressive = engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    skills = next(s for s in aggressive.sections if s.kind is SectionKind.SKILLS)
    assert "accounts payable (A/P)" in " ".join(ln.text for ln in skills.lines)
    summary = next(s for s in default.sections if s.kind is SectionKind.SUMMARY)
    assert summary.lines[0].text.startswith("Senior A/P Specialist with 6 years")


def test_a_role_written_as_an_abbreviation_is_named_as_the_posting_names_it(
    engine: LocalEngine,
) -> None:
    resume, job = _pair("icu-nurse-aliases.md", "icu-nurse-bayview.txt")
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    summary = next(s for s in tailored.sections if s.kind is SectionKind.SUMMARY)
    assert summary.lines[0].text.startswith("Registered Nurse with 7 years of experience")
    assert not tailored.warnings  # the guard knows RN is a Registered Nurse
    skills = [ln.text for s in tailored.sections if s.kind is SectionKind.SKILLS for ln in s.lines]
    assert skills and not any("Bachelor" in text for text in skills)  # degrees stay in Education


def test_the_guard_still_refuses_roles_and_degrees_the_resume_lacks() -> None:
    resume, _ = _pair("ap-accountant-aliases.txt", "ap-lead-harborview.txt")
    facts = build_facts(resume, [])
    codes = {
        v.code for v in find_violations("Registered Nurse with 6 years", facts, source_ids=None)
    }
    assert codes & {"NEW_TITLE", "NEW_SKILL"}  # flagged, whichever way it is read
    nurse, _ = _pair("icu-nurse-aliases.md", "icu-nurse-bayview.txt")
    nurse_facts = build_facts(nurse, [])
    assert not find_violations(
        "Registered Nurse with a Bachelor of Science", nurse_facts, source_ids=None
    )
    assert find_violations(
        "Registered Nurse with a Master of Science", nurse_facts, source_ids=None
    )


def test_the_postings_word_is_the_part_that_names_the_skill() -> None:
    assert named_part("Figma designs", "Figma") == "Figma"
    assert named_part("Kubernetes clusters", "Kubernetes") == "Kubernetes"
    assert named_part("k8s", "Kubernetes") == "k8s"
    assert named_part("Primavera P6", "Oracle Primavera") == "Primavera P6"
    assert abbreviates("A/P", "accounts payable") and abbreviates(
        "EHR", "electronic health records"
    )
    assert not abbreviates("budget", "budgeting") and not abbreviates("A/P", "accounting")


COMPANIES: dict[str, str | None] = json.loads((PAIRS / "companies.json").read_text())


@pytest.mark.parametrize("job_name", sorted(j for j, c in COMPANIES.items() if c))
def test_every_fixture_letter_names_the_postings_company(
    engine: LocalEngine, job_name: str
) -> None:
    resume, job = _pair("sre-aliases.md", job_name)
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    company = COMPANIES[job_name]
    assert company and company.casefold() in letter.text.casefold()
