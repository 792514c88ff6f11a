"""Four hand-built resumes (parser output) for engine tests: a backend engineer, a data
analyst, a marketer and a two-column designer. Built in parts so each reads as one role."""

from __future__ import annotations

from collections.abc import Callable

from app.documents.models import ResumeDocument, SectionKind

from .builder_kit import ResumeBuilder


def _build(source_format: str, *parts: Callable[[ResumeBuilder], None]) -> ResumeDocument:
    """A resume built part by part (each part one stretch of the document)."""
    builder = ResumeBuilder(source_format)
    for part in parts:
        part(builder)
    return builder.build()


def _summary_then_experience(
    builder: ResumeBuilder, headings: tuple[str, str], summary: str
) -> None:
    """The opening the single-column resumes share: a summary paragraph under its heading,
    then the experience heading (`headings` is each resume's own wording of the two)."""
    summary_heading, experience_heading = headings
    builder.section(SectionKind.SUMMARY, summary_heading)
    builder.text(summary)
    builder.section(SectionKind.EXPERIENCE, experience_heading)


def alex_rivera() -> ResumeDocument:
    return _build("markdown", _alex_rivera_part1, _alex_rivera_part2, _alex_rivera_part3)


def _alex_rivera_part1(builder: ResumeBuilder) -> None:
    builder.contact(
        "Alex Rivera",
        "alex.rivera@example.com | +1 (555) 014-2231 | Austin, TX | github.com/arivera-dev"
        " | linkedin.com/in/alexrivera",
        email="alex.rivera@example.com",
        phone="+1 (555) 014-2231",
        location="Austin, TX",
        links=("github.com/arivera-dev", "linkedin.com/in/alexrivera"),
    )
    _summary_then_experience(
        builder,
        ("Summary", "Experience"),
        "Backend engineer with 7 years of experience building APIs and data pipelines in "
        "Python and Go.",
    )
    builder.dated_entry(
        "Senior Software Engineer — Lumen Freight, Austin, TX",
        ("Senior Software Engineer", "Lumen Freight", "Austin, TX"),
        ("Mar 2021 – Present", "2021-03", "present"),
        (
            "Designed a shipment-tracking API in Python (FastAPI) serving 12k requests/s at "
            "p99 under 40 ms",
            "Migrated 40 cron jobs to a Celery + Redis task queue, cutting failed nightly "
            "runs from 9% to 0.4%",
            "Led the move from a monolith to 6 services on k8s, with Helm charts and Argo CD",
            "Mentored 4 engineers; introduced design reviews and on-call runbooks",
        ),
    )


def _alex_rivera_part2(builder: ResumeBuilder) -> None:
    builder.dated_entry(
        "Software Engineer — Brightwell Health, Remote",
        ("Software Engineer", "Brightwell Health", "Remote"),
        ("Jun 2018 – Feb 2021", "2018-06", "2021-02"),
        (
            "Built HL7/FHIR ingestion in Go handling 3M messages/day into Postgres",
            "Cut report generation time from 20 min to 90 s by rewriting SQL and adding "
            "materialized views",
            "Added contract tests with Pact between 5 teams' services",
        ),
    )
    builder.dated_entry(
        "Junior Developer — Ninefold Studio, Dallas, TX",
        ("Junior Developer", "Ninefold Studio", "Dallas, TX"),
        ("Jul 2016 – May 2018", "2016-07", "2018-05"),
        (
            "Shipped Django features for 3 client e-commerce sites",
            "Wrote the first automated test suite (pytest), reaching 70% coverage",
        ),
    )
    builder.section(SectionKind.EDUCATION, "Education")
    builder.education(
        "B.S. Computer Science, University of North Texas, 2016",
        school="University of North Texas",
        degree="B.S.",
        field_of_study="Computer Science",
        year="2016",
    )
    builder.section(SectionKind.SKILLS, "Skills")


def _alex_rivera_part3(builder: ResumeBuilder) -> None:
    builder.skills(
        "Python, Go, SQL, FastAPI, Django, Celery, Redis, Postgres, Kafka, Docker, k8s, "
        "Terraform, AWS (ECS, RDS, S3), GitHub Actions, gRPC",
        [
            "Python",
            "Go",
            "SQL",
            "FastAPI",
            "Django",
            "Celery",
            "Redis",
            "Postgres",
            "Kafka",
            "Docker",
            "k8s",
            "Terraform",
            "AWS (ECS, RDS, S3)",
            "GitHub Actions",
            "gRPC",
        ],
    )
    builder.section(SectionKind.CERTIFICATIONS, "Certifications")
    builder.text("AWS Certified Developer – Associate (2022)")


def _entry_dated_inline(
    builder: ResumeBuilder,
    header: str,
    role: tuple[str, str],
    when: tuple[str, str, str, str],
    bullets: tuple[str, ...],
) -> None:
    """An entry whose dates stand on its header line: (title, employer) and
    (start and end as written, start and end as parsed)."""
    title, employer = role
    start_text, end_text, start, end = when
    builder.entry(
        header,
        title=title,
        employer=employer,
        start=start,
        end=end,
        start_text=start_text,
        end_text=end_text,
        bullets=bullets,
    )


def priya_nair() -> ResumeDocument:
    return _build("text", _priya_nair_part1, _priya_nair_part2)


def _priya_nair_part1(builder: ResumeBuilder) -> None:
    builder.contact(
        "PRIYA NAIR",
        "Seattle, WA  ·  priya.nair@example.org  ·  206-555-0188  ·  linkedin.com/in/priyanair",
        email="priya.nair@example.org",
        phone="206-555-0188",
        location="Seattle, WA",
        links=("linkedin.com/in/priyanair",),
    )
    builder.section(SectionKind.EXPERIENCE, "PROFESSIONAL EXPERIENCE")
    _entry_dated_inline(
        builder,
        "Data Scientist, Cascade Outdoor Co.                                   2020 – present",
        ("Data Scientist", "Cascade Outdoor Co."),
        ("2020", "present", "2020", "present"),
        (
            "Built a demand-forecasting model (LightGBM) for 4,000 SKUs that lowered "
            "stock-outs by 18%",
            "Designed A/B tests for pricing pages; analysis led to a 6% lift in conversion",
            "Productionised models with MLflow and Airflow on AWS SageMaker",
            "Presented monthly insights to the VP of Merchandising",
        ),
    )
    _entry_dated_inline(
        builder,
        "Data Analyst, Harborview Credit Union                                 06/2017 - 12/2019",
        ("Data Analyst", "Harborview Credit Union"),
        ("06/2017", "12/2019", "2017-06", "2019-12"),
        (
            "Automated 25 weekly Excel reports into Tableau dashboards, saving 30 hours a month",
            "Wrote SQL (Snowflake) models for member churn; flagged 1,200 at-risk accounts "
            "per quarter",
        ),
    )


def _priya_nair_part2(builder: ResumeBuilder) -> None:
    _entry_dated_inline(
        builder,
        "Research Assistant, University of Washington                           Summer 2016",
        ("Research Assistant", "University of Washington"),
        ("Summer 2016", "Summer 2016", "2016", "2016"),
        ("Cleaned and analysed survey data in R for a public-health study",),
    )
    builder.section(SectionKind.EDUCATION, "EDUCATION")
    builder.education(
        "M.S. Statistics, University of Washington, 2017",
        school="University of Washington",
        degree="M.S.",
        field_of_study="Statistics",
        year="2017",
    )
    builder.education(
        "B.A. Economics, Reed College, 2015",
        school="Reed College",
        degree="B.A.",
        field_of_study="Economics",
        year="2015",
    )
    builder.section(SectionKind.SKILLS, "SKILLS")
    builder.skills("Languages: Python, R, SQL", ["Python", "R", "SQL"], name="Languages")
    builder.skills(
        "ML: scikit-learn, LightGBM, XGBoost, PyTorch, time-series forecasting, causal inference",
        [
            "scikit-learn",
            "LightGBM",
            "XGBoost",
            "PyTorch",
            "time-series forecasting",
            "causal inference",
        ],
        name="ML",
    )
    builder.skills(
        "Tools: Airflow, MLflow, dbt, Snowflake, Tableau, Git",
        ["Airflow", "MLflow", "dbt", "Snowflake", "Tableau", "Git"],
        name="Tools",
    )


def morgan_lee() -> ResumeDocument:
    return _build("docx", _morgan_lee_part1, _morgan_lee_part2)


def _morgan_lee_part1(builder: ResumeBuilder) -> None:
    builder.contact(
        "Morgan Lee",
        "morgan.lee@example.net | (312) 555-0147 | Chicago, IL",
        email="morgan.lee@example.net",
        phone="(312) 555-0147",
        location="Chicago, IL",
    )
    _summary_then_experience(
        builder,
        ("Professional Summary", "Professional Experience"),
        "Marketing manager with 8 years in B2B SaaS demand generation, lifecycle e-mail and "
        "paid acquisition.",
    )
    builder.dated_entry(
        "Marketing Manager, Tallgrass Analytics — Chicago, IL",
        ("Marketing Manager", "Tallgrass Analytics", "Chicago, IL"),
        ("April 2020 – Present", "2020-04", "present"),
        (
            "Ran paid search and LinkedIn campaigns on a $1.2M annual budget, lowering cost "
            "per lead by 27%",
            "Built lifecycle e-mail programs in HubSpot that raised trial-to-paid conversion "
            "from 11% to 15%",
            "Managed a team of 3 and two agencies; owned the quarterly pipeline target",
        ),
    )


def _morgan_lee_part2(builder: ResumeBuilder) -> None:
    builder.dated_entry(
        "Demand Generation Specialist, Northwind Software — Evanston, IL",
        ("Demand Generation Specialist", "Northwind Software", "Evanston, IL"),
        ("09/2016 – 03/2020", "2016-09", "2020-03"),
        (
            "Launched 40+ webinars generating 6,500 marketing-qualified leads",
            "Set up Salesforce lead scoring with sales operations",
            "Wrote SEO content that grew organic traffic 3x in 18 months",
        ),
    )
    builder.section(SectionKind.EDUCATION, "Education")
    builder.education(
        "B.A. Communications, Loyola University Chicago, 2016",
        school="Loyola University Chicago",
        degree="B.A.",
        field_of_study="Communications",
        year="2016",
    )
    builder.section(SectionKind.SKILLS, "Core Competencies")
    builder.skills(
        "Demand generation | HubSpot | Salesforce | Google Ads | SEO | Marketing analytics",
        [
            "Demand generation",
            "HubSpot",
            "Salesforce",
            "Google Ads",
            "SEO",
            "Marketing analytics",
        ],
    )


def sam_okafor() -> ResumeDocument:
    return _build("pdf", _sam_okafor_part1, _sam_okafor_part2)


def _sam_okafor_part1(builder: ResumeBuilder) -> None:
    builder.contact(
        "Sam Okafor",
        "Product Designer",
        "sam.okafor@example.com",
        "+44 20 7946 0321",
        "London, UK",
        "samokafor.design",
        email="sam.okafor@example.com",
        phone="+44 20 7946 0321",
        location="London, UK",
        links=("samokafor.design",),
    )
    builder.section(SectionKind.EXPERIENCE, "Experience")
    builder.dated_entry(
        "Senior Product Designer — Parcelly, London",
        ("Senior Product Designer", "Parcelly", "London"),
        ("Feb 2021 – Present", "2021-02", "present"),
        (
            "Led redesign of the checkout flow; completion rate rose from 61% to 74%",
            "Built and maintained the Figma design system used by 5 squads",
            "Ran 30+ usability sessions per quarter with customers",
        ),
    )
    builder.dated_entry(
        "Product Designer — Kiteworks Media, Manchester",
        ("Product Designer", "Kiteworks Media", "Manchester"),
        ("2017–2021", "2017", "2021"),
        (
            "Designed the iOS and Android news apps (1.2M monthly users)",
            "Introduced accessibility audits; fixed 120 WCAG issues",
        ),
    )


def _sam_okafor_part2(builder: ResumeBuilder) -> None:
    builder.dated_entry(
        "Junior Designer — Studio Nine, London",
        ("Junior Designer", "Studio Nine", "London"),
        ("2015–2017", "2015", "2017"),
        ("Produced marketing sites and brand assets for 20 clients",),
    )
    builder.section(SectionKind.SKILLS, "Skills")
    builder.skills("Figma", ["Figma"])
    builder.skills("User research", ["User research"])
    builder.skills("Prototyping", ["Prototyping"])
    builder.skills("Design systems", ["Design systems"])
    builder.skills("Accessibility (WCAG 2.1)", ["Accessibility (WCAG 2.1)"])
    builder.skills("HTML/CSS", ["HTML/CSS"])
    builder.section(SectionKind.EDUCATION, "Education")
    builder.education(
        "BA Graphic Design", school=None, degree="BA", field_of_study="Graphic Design"
    )
    builder.education("Kingston University, 2015", school="Kingston University", year="2015")
