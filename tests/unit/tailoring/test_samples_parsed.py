"""The sample files (tests/fixtures/samples) through the real parsers and the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.documents import parse_job_posting, parse_resume
from app.documents.models import JobPosting, ResumeDocument
from app.tailoring import LocalEngine, Strategy

from .conftest import truth_pairs


@pytest.fixture(scope="module")
def parsed_resumes(samples_dir: Path) -> dict[str, ResumeDocument]:
    folder = samples_dir / "resumes"
    return {p.stem: parse_resume(p.read_bytes(), p.name) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def parsed_jobs(samples_dir: Path) -> dict[str, JobPosting]:
    folder = samples_dir / "jobs"
    return {
        p.stem: parse_job_posting(p.read_text(encoding="utf-8")) for p in sorted(folder.iterdir())
    }


def test_parsed_samples_score_as_the_truth_file_expects(
    engine: LocalEngine,
    samples_truth: dict[str, dict[str, object]],
    parsed_resumes: dict[str, ResumeDocument],
    parsed_jobs: dict[str, JobPosting],
) -> None:
    rank = {"strong": 2, "partial": 1, "poor": 0}
    scored = []
    for resume, job, expected in truth_pairs(samples_truth):
        report = engine.score(parsed_resumes[resume], parsed_jobs[job])
        assert report.fit.value == expected, (resume, job, report.score)
        scored.append((job, rank[expected], report.score))
    for job, fit_a, score_a in scored:
        for other_job, fit_b, score_b in scored:
            if job == other_job and fit_a > fit_b:
                assert score_a > score_b


def test_parsed_samples_tailor_cleanly_under_every_strategy(
    engine: LocalEngine,
    parsed_resumes: dict[str, ResumeDocument],
    parsed_jobs: dict[str, JobPosting],
) -> None:
    for resume in parsed_resumes.values():
        for job in parsed_jobs.values():
            plan = engine.plan(resume, job)
            for strategy in Strategy:
                tailored = engine.draft(resume, job, plan, strategy)
                truth = [w for w in tailored.warnings if not w.code.startswith("STRUCTURE_")]
                assert truth == [], (resume.contact.name, job.title, strategy)
                evaluation = engine.evaluate(resume, job, tailored)
                before = evaluation.before.component("required")
                after = evaluation.after.component("required")
                assert before is not None and after is not None
                assert after.value >= before.value
            letter = engine.cover_letter(resume, job, plan)
            assert letter.warnings == [] and len(letter.paragraphs) >= 4


def test_parsed_two_column_pdf_keeps_name_and_contact_in_the_header(
    engine: LocalEngine,
    parsed_resumes: dict[str, ResumeDocument],
    parsed_jobs: dict[str, JobPosting],
) -> None:
    resume = parsed_resumes["maya-ferreira-design-2col"]
    job = parsed_jobs["infrastructure-engineer-keelson"]
    markdown = engine.draft(resume, job, engine.plan(resume, job)).to_markdown()
    assert markdown.startswith("# Maya Ferreira\n")
    assert "## Contact" not in markdown  # the sidebar block joins the header
    assert markdown.index("## Experience") < markdown.index("## Education")
