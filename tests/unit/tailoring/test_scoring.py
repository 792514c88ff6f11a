from __future__ import annotations

import pytest

from app.documents.models import JobPosting, ResumeDocument
from app.tailoring import LocalEngine
from app.tailoring.scoring import WEIGHTS
from app.tailoring.types import Fit

from .builders import JOBS, RESUMES, alex_rivera, icu_job, job_from_text, platform_job, sam_okafor
from .conftest import truth_pairs


def score(engine: LocalEngine, resume: ResumeDocument, job: JobPosting) -> int:
    return engine.score(resume, job).score


def test_truth_pairs_get_the_expected_fit(
    engine: LocalEngine, truth: dict[str, dict[str, object]]
) -> None:
    pairs = truth_pairs(truth)
    assert len(pairs) == 7
    for resume, job, expected in pairs:
        report = engine.score(RESUMES[resume](), JOBS[job]())
        assert report.fit.value == expected, (resume, job, report.score)


def test_strong_beats_partial_beats_poor_for_each_posting(
    engine: LocalEngine, truth: dict[str, dict[str, object]]
) -> None:
    rank = {"strong": 2, "partial": 1, "poor": 0}
    by_job: dict[str, list[tuple[int, int]]] = {}
    for resume, job, expected in truth_pairs(truth):
        by_job.setdefault(job, []).append(
            (rank[expected], score(engine, RESUMES[resume](), JOBS[job]()))
        )
    for job, results in by_job.items():
        for fit_a, score_a in results:
            for fit_b, score_b in results:
                if fit_a > fit_b:
                    assert score_a > score_b, (job, results)


def test_unrelated_resumes_score_low_and_strong_fits_high(engine: LocalEngine) -> None:
    assert score(engine, alex_rivera(), icu_job()) < 35
    assert score(engine, sam_okafor(), icu_job()) < 35
    assert score(engine, alex_rivera(), platform_job()) > 70


def test_breakdown_is_consistent_and_actionable(engine: LocalEngine) -> None:
    report = engine.score(alex_rivera(), platform_job())
    assert sum(WEIGHTS.values()) == 100
    assert {c.key for c in report.components} == set(WEIGHTS)
    total = sum(c.points for c in report.components)
    assert abs(total - report.score) <= 1
    required = report.component("required")
    assert required is not None and required.value > 0.75  # two written as aliases
    assert "Helm" in report.implied  # only in a bullet, not the skills section
    assert "Kubernetes" in report.matched  # stated as "k8s" in the skills section
    assert "Payments or fintech" in report.missing
    assert report.missing_required == []
    assert report.years_required == 5 and report.years_relevant >= 5
    assert report.missing_sections == []
    kubernetes = next(r for r in report.requirements if r.label == "Kubernetes")
    assert kubernetes.via == "alias" and kubernetes.credit < 1.0
    assert [e.line_id for e in kubernetes.evidence][:1] == ["L9"]


def test_gaps_and_missing_sections_are_reported(engine: LocalEngine) -> None:
    report = engine.score(sam_okafor(), icu_job())
    assert report.fit is Fit.POOR
    assert "BLS" in report.missing_required
    assert report.years_relevant == 0


@pytest.mark.parametrize("text", ["", "Great team, great snacks."])
def test_postings_without_requirements_still_score(engine: LocalEngine, text: str) -> None:
    report = engine.score(alex_rivera(), job_from_text(text, title=None))
    required = report.component("required")
    assert required is not None and not required.applicable
    assert 0 <= report.score <= 100
    assert report.components
