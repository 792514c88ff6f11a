from __future__ import annotations

from collections import Counter

import pytest

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring import LocalEngine, Strategy, TailoredResume
from app.tailoring.layout import original_as_tailored
from app.tailoring.types import LineRole

from .builders import JOBS, RESUMES, alex_rivera, analytics_job, platform_job, priya_nair
from .conftest import truth_pairs


def headers(tailored: TailoredResume) -> list[str]:
    return [ln.text for ln in tailored.all_lines() if ln.role is LineRole.HEADER]


def bullets_by_entry(tailored: TailoredResume) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    current = ""
    for line in tailored.all_lines():
        if line.role is LineRole.HEADER:
            current = line.text
        elif line.role is LineRole.BULLET:
            out.setdefault(current, set()).add(line.text)
    return out


def texts(resume: ResumeDocument) -> Counter[str]:
    return Counter(ln.text for ln in original_as_tailored(resume).all_lines())


def test_conservative_only_reorders(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.CONSERVATIVE)
    original = original_as_tailored(resume)
    assert Counter(ln.text for ln in tailored.all_lines()) == texts(resume)
    assert headers(tailored) == headers(original)  # entries keep their (chronological) order
    assert bullets_by_entry(tailored) == bullets_by_entry(original)  # bullets stay in entry
    lumen = [ln.text for ln in tailored.all_lines() if ln.role is LineRole.BULLET][:4]
    assert lumen[0].startswith("Led the move")  # k8s + Helm + Argo CD bullet first
    kinds = [s.kind for s in tailored.sections]
    assert kinds[:2] == [SectionKind.CONTACT, SectionKind.SUMMARY]
    assert kinds.index(SectionKind.SKILLS) < kinds.index(SectionKind.EDUCATION)


def test_default_adds_a_truthful_summary_and_leads_with_matched_skills(
    engine: LocalEngine,
) -> None:
    resume, job = alex_rivera(), platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    summary = tailored.section(SectionKind.SUMMARY)
    assert summary is not None
    line = summary.lines[0]
    assert "7 years of experience" in line.text
    assert "Highlight: Led the move from a monolith to 6 services" in line.text
    assert set(line.source_line_ids) <= {ln.id for ln in resume.lines}
    skills = tailored.section(SectionKind.SKILLS)
    assert skills is not None
    key = skills.lines[0].text
    assert key.startswith("Key skills: Python, Go, k8s, Helm, Postgres, Terraform")
    assert "Helm" in key and "L9" in skills.lines[0].source_line_ids  # Helm came from a bullet
    rest = " ".join(ln.text for ln in skills.lines[1:])
    assert "Django" in rest and "Python" not in rest  # nothing lost, nothing repeated
    assert tailored.warnings == []


def test_default_summary_for_a_resume_without_one(engine: LocalEngine) -> None:
    resume, job = priya_nair(), analytics_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    summary = tailored.section(SectionKind.SUMMARY)
    assert summary is not None
    text = summary.lines[0].text
    assert text.startswith("Data Scientist with experience since 2016.")
    assert "Relevant skills: Python, SQL" in text
    assert tailored.warnings == []


def test_aggressive_uses_the_postings_wording(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.AGGRESSIVE_KEYWORDS)
    skills = tailored.section(SectionKind.SKILLS)
    assert skills is not None
    assert "Kubernetes (k8s)" in skills.lines[0].text
    assert "PostgreSQL (Postgres)" in skills.lines[0].text
    experience = tailored.section(SectionKind.EXPERIENCE)
    assert experience is not None
    renamed = [ln.text for ln in experience.lines if "Kubernetes (k8s)" in ln.text]
    assert len(renamed) == 1  # only the first bullet occurrence, not every mention
    assert tailored.warnings == []


@pytest.mark.parametrize("strategy", list(Strategy))
def test_required_coverage_never_falls_for_strong_fits(
    engine: LocalEngine, truth: dict[str, dict[str, object]], strategy: Strategy
) -> None:
    for resume_name, job_name, fit in truth_pairs(truth):
        if fit != "strong":
            continue
        resume, job = RESUMES[resume_name](), JOBS[job_name]()
        tailored = engine.draft(resume, job, engine.plan(resume, job), strategy)
        evaluation = engine.evaluate(resume, job, tailored)
        before = evaluation.before.component("required")
        after = evaluation.after.component("required")
        assert before is not None and after is not None
        assert after.value >= before.value, (resume_name, job_name)
        assert evaluation.after.score >= evaluation.before.score


def test_aggressive_raises_coverage_when_aliases_are_involved(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()  # k8s, Postgres
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.AGGRESSIVE_KEYWORDS)
    evaluation = engine.evaluate(resume, job, tailored)
    before = evaluation.before.component("required")
    after = evaluation.after.component("required")
    assert before is not None and after is not None
    assert after.value > before.value
    kubernetes = next(r for r in evaluation.after.requirements if r.label == "Kubernetes")
    assert kubernetes.credit == 1.0


@pytest.mark.parametrize("strategy", list(Strategy))
def test_drafts_are_deterministic(engine: LocalEngine, strategy: Strategy) -> None:
    first = engine.draft(
        alex_rivera(), analytics_job(), engine.plan(alex_rivera(), analytics_job()), strategy
    )
    again = engine.draft(
        alex_rivera(), analytics_job(), engine.plan(alex_rivera(), analytics_job()), strategy
    )
    assert first.to_dict() == again.to_dict()
    assert first.to_markdown() == again.to_markdown()


def test_local_drafts_pass_their_own_guard_for_every_pair(engine: LocalEngine) -> None:
    for resume_factory in RESUMES.values():
        for job_factory in JOBS.values():
            resume, job = resume_factory(), job_factory()
            plan = engine.plan(resume, job)
            for strategy in Strategy:
                tailored = engine.draft(resume, job, plan, strategy)
                assert tailored.warnings == [], (resume.contact.name, job.title, strategy)
                assert any(s.lines for s in tailored.sections)
