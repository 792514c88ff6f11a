"""Small builders for ResumeDocument / JobPosting test inputs.

The named builders (four resumes in builder_resumes.py, three postings below) are
hand-built parser output, so the engine can be tested without depending on the parsers;
`EXPECTED_FIT` says how well each resume fits each posting. The file samples that go
through the real parsers are a separate set (tests/fixtures/samples, see
test_samples_parsed.py).
"""

from __future__ import annotations

from app.documents.models import JobPosting, JobSectionKind

from .builder_kit import ResumeBuilder, job_from_text
from .builder_resumes import alex_rivera, morgan_lee, priya_nair, sam_okafor

__all__ = [
    "EXPECTED_FIT",
    "JOBS",
    "RESUMES",
    "ResumeBuilder",
    "alex_rivera",
    "analytics_job",
    "icu_job",
    "job_from_text",
    "morgan_lee",
    "platform_job",
    "priya_nair",
    "sam_okafor",
]

PLATFORM_TEXT = """\
Senior Platform Engineer
Orbital Payments — Denver, CO (Hybrid, 2 days in office)

About us
Orbital Payments moves money for 9,000 small businesses. Our platform team owns the
infrastructure and the shared services that every product team builds on.

What you'll do
- Build and run the Kubernetes platform our 30 services deploy to
- Own our CI/CD pipelines and make deploys boring
- Design internal APIs in Python and Go for payments reconciliation
- Improve observability: metrics, tracing and alerting with Prometheus and Grafana
- Partner with security on secrets management and least-privilege IAM

Requirements
- 5+ years of backend or infrastructure engineering experience
- Strong Python or Go
- Production experience with Kubernetes and Helm
- PostgreSQL performance tuning
- Infrastructure as code with Terraform
- Experience with AWS

Nice to have
- Kafka or another event-streaming system
- Argo CD or Flux (GitOps)
- Payments or fintech experience
- On-call leadership and incident reviews

Salary: $165,000 – $190,000 + equity
"""

ANALYTICS_TEXT = """\
Analytics Lead — Greenleaf Grocers (Portland, OR or remote, US)

Greenleaf is a regional grocery chain with 140 stores. We are hiring an Analytics Lead to
build our forecasting and experimentation practice.

Responsibilities
* Own demand forecasting for fresh categories and measure forecast accuracy
* Run experimentation (A/B testing) for our e-commerce site and loyalty app
* Build dashboards leaders actually use (Looker or Tableau)
* Coach two analysts; set standards for SQL and Python code review

Must have
* 4+ years in data science or analytics
* Python and SQL
* Machine learning for forecasting (gradient boosting, time series)
* Experimental design and statistics
* Stakeholder communication

Preferred
* dbt and a cloud warehouse (Snowflake or BigQuery)
* Retail or CPG experience
* Airflow or another orchestrator
"""

ICU_TEXT = """\
Registered Nurse – Intensive Care Unit (Nights)
St. Brigid Medical Center, Boston, MA

Requirements: active Massachusetts RN license, BLS and ACLS, 2+ years of acute care
experience, ventilator management, EHR documentation (Epic). CCRN preferred.
"""


def _join_wrapped(text: str) -> str:
    # The samples hard-wrap paragraphs; a parser joins wrapped lines into one logical line.
    out: list[str] = []
    for raw in text.splitlines():
        starts_new = (
            not raw.strip()
            or not out
            or not out[-1].strip()
            or raw.lstrip().startswith(("-", "*", "•"))
            or len(out[-1]) < 40
            or out[-1].rstrip().endswith((".", ":"))
        )
        if starts_new:
            out.append(raw)
        else:
            out[-1] = out[-1].rstrip() + " " + raw.strip()
    return "\n".join(out)


def platform_job() -> JobPosting:
    return job_from_text(
        _join_wrapped(PLATFORM_TEXT),
        title="Senior Platform Engineer",
        company="Orbital Payments",
        location="Denver, CO",
        headings={
            "About us": JobSectionKind.ABOUT,
            "What you'll do": JobSectionKind.RESPONSIBILITIES,
            "Requirements": JobSectionKind.REQUIREMENTS,
            "Nice to have": JobSectionKind.PREFERRED,
        },
    )


def analytics_job() -> JobPosting:
    return job_from_text(
        _join_wrapped(ANALYTICS_TEXT),
        title="Analytics Lead",
        company="Greenleaf Grocers",
        location="Portland, OR",
        headings={
            "Responsibilities": JobSectionKind.RESPONSIBILITIES,
            "Must have": JobSectionKind.REQUIREMENTS,
            "Preferred": JobSectionKind.PREFERRED,
        },
    )


def icu_job() -> JobPosting:
    # The sample is "low quality": no headings, requirements inline in one paragraph.
    return job_from_text(
        _join_wrapped(ICU_TEXT),
        title="Registered Nurse – Intensive Care Unit (Nights)",
        company="St. Brigid Medical Center",
        location="Boston, MA",
    )


RESUMES = {
    "alex-rivera-backend": alex_rivera,
    "priya-nair-data": priya_nair,
    "morgan-lee-marketing": morgan_lee,
    "sam-okafor-design-2col": sam_okafor,
}
JOBS = {
    "platform-engineer-orbital": platform_job,
    "analytics-lead-greenleaf": analytics_job,
    "icu-nurse-st-brigid": icu_job,
}
# The fit band the engine should give each (resume, posting) pair above.
EXPECTED_FIT: dict[str, dict[str, str]] = {
    "platform-engineer-orbital": {"alex-rivera-backend": "strong", "priya-nair-data": "poor"},
    "analytics-lead-greenleaf": {
        "priya-nair-data": "strong",
        "alex-rivera-backend": "partial",
        "morgan-lee-marketing": "poor",
    },
    "icu-nurse-st-brigid": {"alex-rivera-backend": "poor", "sam-okafor-design-2col": "poor"},
}
