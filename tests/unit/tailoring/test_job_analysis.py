from __future__ import annotations

from app.documents.models import JobPosting, JobSectionKind
from app.tailoring.job_analysis import analyse_job
from app.tailoring.types import Importance, JobAnalysis, Requirement, Seniority

from .builders import analytics_job, icu_job, job_from_text, platform_job


def by_skill(analysis: JobAnalysis, skill: str) -> Requirement:
    found = [r for r in analysis.requirements if skill in r.skills]
    assert len(found) == 1, (skill, [r.label for r in analysis.requirements])
    return found[0]


def importance(analysis: JobAnalysis, skill: str) -> Importance:
    return by_skill(analysis, skill).importance


def test_platform_posting_required_and_preferred() -> None:
    job = analyse_job(platform_job())
    for skill in ("Python", "Kubernetes", "Helm", "PostgreSQL", "Terraform", "AWS"):
        assert importance(job, skill) is Importance.REQUIRED, skill
    for skill in ("Apache Kafka", "Argo CD", "Payments", "On-call", "Incident management"):
        assert importance(job, skill) is Importance.PREFERRED, skill
    assert job.years_required == 5
    assert job.seniority is Seniority.SENIOR
    assert job.title_keywords == ["platform", "engineer"]


def test_or_makes_one_requirement_satisfied_by_either() -> None:
    job = analyse_job(platform_job())
    python = by_skill(job, "Python")
    assert python.skills == ["Python", "Go"]
    assert python.label == "Python or Go"
    gitops = by_skill(job, "Argo CD")
    assert set(gitops.skills) == {"Argo CD", "Flux", "GitOps"}


def test_or_another_accepts_the_family() -> None:
    kafka = by_skill(analyse_job(platform_job()), "Apache Kafka")
    assert kafka.accepts_family
    assert {"Amazon Kinesis", "Apache Pulsar", "Cloud Pub/Sub"} <= set(kafka.related)
    assert "Python" not in kafka.related


def test_tool_named_with_its_practice_is_one_requirement() -> None:
    job = analyse_job(platform_job())
    terraform = by_skill(job, "Terraform")
    assert terraform.label == "Infrastructure as code with Terraform"
    assert not [r for r in job.requirements if r.skills == ["Infrastructure as code"]]
    postgres = by_skill(job, "PostgreSQL")
    assert postgres.related == ["Performance tuning"]


def test_analytics_posting() -> None:
    job = analyse_job(analytics_job())
    for skill in ("Python", "SQL", "Machine learning", "Experimental design", "Statistics"):
        assert importance(job, skill) is Importance.REQUIRED, skill
    assert importance(job, "Stakeholder communication") is Importance.REQUIRED
    for skill in ("dbt", "Snowflake", "Retail", "Apache Airflow"):
        assert importance(job, skill) is Importance.PREFERRED, skill
    ml = by_skill(job, "Machine learning")
    assert {"Gradient boosting", "Time series analysis"} <= set(ml.skills)  # the examples
    assert by_skill(job, "Snowflake").skills == ["Data warehousing", "Snowflake", "BigQuery"]
    assert job.years_required == 4
    assert job.seniority is Seniority.LEAD
    # "Build dashboards leaders actually use (Looker or Tableau)"
    assert job.keyword_alternatives["Data visualization"] == ["Looker", "Tableau"]


def test_low_quality_posting_uses_inline_phrasing() -> None:
    job = analyse_job(icu_job())
    required = {
        "Registered Nurse",
        "Basic Life Support",
        "Advanced Cardiovascular Life Support",
        "Acute care",
        "Ventilator management",
        "Epic",
    }
    for skill in required:
        assert importance(job, skill) is Importance.REQUIRED, skill
    assert importance(job, "Critical Care Registered Nurse") is Importance.PREFERRED
    assert by_skill(job, "Epic").skills == ["Electronic health records", "Epic"]
    assert job.years_required == 2
    assert "Acute care" in job.field_skills


def test_phrasing_overrides_the_section_in_one_paragraph() -> None:
    text = (
        "Backend Developer\n"
        "We need Python and Docker. Kubernetes is a plus. Terraform preferred; AWS required.\n"
        "Must have: SQL\n"
        "Bonus: Tableau or Looker\n"
    )
    job = analyse_job(job_from_text(text, title="Backend Developer"))
    assert importance(job, "Kubernetes") is Importance.PREFERRED
    assert importance(job, "Terraform") is Importance.PREFERRED
    assert importance(job, "AWS") is Importance.REQUIRED
    assert importance(job, "SQL") is Importance.REQUIRED
    assert importance(job, "Tableau") is Importance.PREFERRED


def test_without_any_cue_every_skill_asked_for_is_required() -> None:
    job = analyse_job(job_from_text("Looking for someone who knows React and GraphQL.", title=None))
    assert {r.importance for r in job.requirements} == {Importance.REQUIRED}
    assert {s for r in job.requirements for s in r.skills} == {"React", "GraphQL"}


def test_headings_the_parser_missed_are_detected() -> None:
    text = "About the job\nRequirements\n- Figma\nNice to have\n- Webflow\n"
    job = analyse_job(job_from_text(text, title="Designer"))  # everything lands in ABOUT
    assert importance(job, "Figma") is Importance.REQUIRED
    assert importance(job, "Webflow") is Importance.PREFERRED


def test_company_name_is_not_read_as_a_skill() -> None:
    text = "Acme Payments is hiring.\nRequirements\n- Python\n"
    posting = job_from_text(
        text,
        title="Engineer",
        company="Acme Payments",
        headings={"Requirements": JobSectionKind.REQUIREMENTS},
    )
    job = analyse_job(posting)
    assert "Payments" not in job.keywords
    assert all("Payments" not in r.skills for r in job.requirements)


def test_empty_posting_is_analysed_without_requirements() -> None:
    job = analyse_job(JobPosting(text="", lines=[], title=None))
    assert job.requirements == []
    assert job.years_required is None
    assert job.seniority is Seniority.MID


def test_salient_terms_are_specific_phrases() -> None:
    # Every phrase of this posting worth a keyword is a taxonomy skill: what is left
    # ("handle millions", "production") is prose (tests/unit/tailoring/test_salient_keywords.py
    # covers postings whose own terms the taxonomy lacks).
    job = analyse_job(platform_job())
    terms = [t.term for t in job.salient_terms]
    assert not {"production", "handle millions"} & set(terms), terms
    for term in terms:
        assert term.split()[0] not in {"the", "and", "with", "our", "you"}
    assert "orbital" not in " ".join(terms)
