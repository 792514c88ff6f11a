from __future__ import annotations

from app.documents.models import SectionKind
from app.tailoring.resume_analysis import analyse_resume

from .builders import ResumeBuilder, alex_rivera, morgan_lee, priya_nair
from .conftest import AS_OF

NOW = (AS_OF.year, AS_OF.month)


def test_skills_found_anywhere_with_evidence_line_ids() -> None:
    analysis = analyse_resume(alex_rivera(), NOW)
    helm = analysis.skill("Helm")
    assert helm is not None
    assert helm.mentioned and not helm.explicit  # only in a bullet: "implied" for ATS
    assert [e.line_id for e in helm.evidence] == ["L9"]
    k8s = analysis.skill("Kubernetes")
    assert k8s is not None and k8s.explicit
    assert k8s.surfaces == ["k8s"]
    python = analysis.skill("Python")
    assert python is not None
    assert {"L3", "L7", "L23"} <= {e.line_id for e in python.evidence}


def test_current_title_and_years() -> None:
    analysis = analyse_resume(alex_rivera(), NOW)
    assert analysis.current_title == "Senior Software Engineer"
    assert analysis.current_employer == "Lumen Freight"
    # Jul 2016 - Nov 2025, gap-free: 9 years 5 months
    assert analysis.total_years == 9.4
    assert analysis.stated_years == 7
    assert analysis.has_email and analysis.has_phone


def test_overlapping_jobs_are_not_double_counted() -> None:
    resume = (
        ResumeBuilder()
        .contact("Dana Example", "dana@example.com", email="dana@example.com")
        .section(SectionKind.EXPERIENCE, "Experience")
        .entry("Engineer — One", title="Engineer", employer="One", start="2020-01", end="2021-12")
        .entry(
            "Consultant — Two", title="Consultant", employer="Two", start="2021-01", end="2022-12"
        )
        .entry("Intern — Three", title="Intern", employer="Three", start="2018-06", end="2018-08")
        .build()
    )
    analysis = analyse_resume(resume, NOW)
    assert analysis.total_years == 3.2  # 36 months + a 3-month internship


def test_related_skills_imply_but_do_not_mention() -> None:
    resume = (
        ResumeBuilder()
        .contact("Dana Example")
        .section(SectionKind.EXPERIENCE, "Experience")
        .entry(
            "Developer — Shop", title="Developer", employer="Shop", bullets=("Built Django views",)
        )
        .build()
    )
    python = analyse_resume(resume, NOW).skill("Python")
    assert python is not None
    assert not python.mentioned
    assert python.implied_by == ["Django"]


def test_skill_named_inside_a_longer_name_counts_as_written() -> None:
    aws = analyse_resume(priya_nair(), NOW).skill("AWS")
    assert aws is not None and aws.mentioned  # "on AWS SageMaker"
    assert aws.surfaces == ["AWS SageMaker"]


def test_soft_skills_are_demonstrated_by_bullets() -> None:
    analysis = analyse_resume(priya_nair(), NOW)
    stakeholder = analysis.skill("Stakeholder communication")
    assert stakeholder is not None
    assert not stakeholder.mentioned
    assert stakeholder.implied_by == ["demonstrated"]
    assert stakeholder.evidence[0].line_id == "L7"  # "Presented monthly insights to the VP"


def test_employer_names_are_not_skills() -> None:
    analysis = analyse_resume(morgan_lee(), NOW)  # "Tallgrass Analytics"
    assert analysis.skill("Data analytics") is None
    assert analysis.skill("Banking") is None


def test_year_only_and_season_dates() -> None:
    analysis = analyse_resume(priya_nair(), NOW)
    # 2020-01..2025-11 (71 months) + 06/2017..12/2019 (31) + summer 2016 (3)
    assert analysis.total_years == round((71 + 31 + 3) / 12, 1)
    assert analysis.current_title == "Data Scientist"


def test_resume_without_sections_still_yields_skills() -> None:
    resume = ResumeBuilder().section(SectionKind.OTHER, "").text("Python and SQL developer").build()
    resume.sections = []  # a parser that found no structure at all
    analysis = analyse_resume(resume, NOW)
    assert {s.skill for s in analysis.skills} >= {"Python", "SQL"}
    assert analysis.total_years == 0.0
