"""Small builders for ResumeDocument / JobPosting test inputs.

The named builders below (four resumes, three postings) are hand-built parser output, so the
engine can be tested without depending on the parsers; `EXPECTED_FIT` says how well each
resume fits each posting. The file samples that go through the real parsers are a separate
set (tests/fixtures/samples, see test_samples_parsed.py).
"""

from __future__ import annotations

from typing import Self

from app.documents.models import (
    Contact,
    EducationEntry,
    ExperienceEntry,
    JobPosting,
    JobSection,
    JobSectionKind,
    Line,
    ResumeDocument,
    Section,
    SectionKind,
    SkillGroup,
    SourceSpan,
)


class _Lines:
    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._offset = 0

    def add(self, text: str, *, is_bullet: bool = False) -> Line:
        number = len(self.lines)
        line = Line(
            id=f"L{number}",
            text=text,
            span=SourceSpan(number, self._offset, self._offset + len(text)),
            is_bullet=is_bullet,
        )
        self._offset += len(text) + 1
        self.lines.append(line)
        return line

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class ResumeBuilder:
    def __init__(self, source_format: str = "markdown") -> None:
        self._lines = _Lines()
        self._sections: list[Section] = []
        self._contact = Contact()
        self._format = source_format

    def contact(
        self,
        name: str | None,
        *details: str,
        email: str | None = None,
        phone: str | None = None,
        location: str | None = None,
        links: tuple[str, ...] = (),
    ) -> Self:
        section = Section(SectionKind.CONTACT, "")
        for text in ([name] if name else []) + list(details):
            line = self._lines.add(text)
            section.lines.append(line)
            self._contact.line_ids.append(line.id)
        self._contact.name = name
        self._contact.email = email
        self._contact.phone = phone
        self._contact.location = location
        self._contact.links = list(links)
        self._sections.append(section)
        return self

    def section(self, kind: SectionKind, heading: str) -> Self:
        line = self._lines.add(heading)
        self._sections.append(Section(kind, heading, heading_line_id=line.id))
        return self

    @property
    def _current(self) -> Section:
        return self._sections[-1]

    def text(self, text: str, *, bullet: bool = False) -> Self:
        self._current.lines.append(self._lines.add(text, is_bullet=bullet))
        return self

    def entry(
        self,
        header: str,
        *,
        title: str | None,
        employer: str | None,
        dates: str | None = None,
        start: str | None = None,
        end: str | None = None,
        start_text: str | None = None,
        end_text: str | None = None,
        location: str | None = None,
        bullets: tuple[str, ...] = (),
    ) -> Self:
        entry = ExperienceEntry(
            employer=employer,
            title=title,
            location=location,
            start_text=start_text,
            end_text=end_text,
            start=start,
            end=end,
        )
        head = self._lines.add(header)
        self._current.lines.append(head)
        entry.header_line_ids.append(head.id)
        if dates is not None:
            date_line = self._lines.add(dates)
            self._current.lines.append(date_line)
            entry.header_line_ids.append(date_line.id)
        for text in bullets:
            bullet = self._lines.add(text, is_bullet=True)
            self._current.lines.append(bullet)
            entry.bullets.append(bullet)
        self._current.experience.append(entry)
        return self

    def education(
        self,
        text: str,
        *,
        school: str | None,
        degree: str | None = None,
        field_of_study: str | None = None,
        year: str | None = None,
    ) -> Self:
        line = self._lines.add(text)
        self._current.lines.append(line)
        self._current.education.append(
            EducationEntry(school, degree, field_of_study, year, line_ids=[line.id])
        )
        return self

    def skills(self, text: str, skills: list[str], *, name: str | None = None) -> Self:
        line = self._lines.add(text)
        self._current.lines.append(line)
        self._current.skill_groups.append(SkillGroup(name, skills, line.id))
        return self

    def build(self) -> ResumeDocument:
        return ResumeDocument(
            text=self._lines.text,
            lines=list(self._lines.lines),
            contact=self._contact,
            sections=self._sections,
            source_format=self._format,
        )


def job_from_text(
    text: str,
    *,
    title: str | None,
    company: str | None = None,
    headings: dict[str, JobSectionKind] | None = None,
    location: str | None = None,
) -> JobPosting:
    """A posting whose sections start at the given heading lines (as a parser would)."""
    lines = _Lines()
    sections: list[JobSection] = []
    current: JobSection | None = None
    for raw in text.splitlines():
        if not raw.strip():
            continue
        bullet = raw.lstrip().startswith(("-", "*", "•"))
        clean = raw.strip().lstrip("-*• ").strip() if bullet else raw.strip()
        line = lines.add(clean, is_bullet=bullet)
        kind = (headings or {}).get(clean)
        if kind is not None:
            current = JobSection(kind, clean)
            sections.append(current)
            continue
        if current is None:
            current = JobSection(JobSectionKind.ABOUT, "")
            sections.append(current)
        current.lines.append(line)
    return JobPosting(
        text=lines.text,
        lines=list(lines.lines),
        title=title,
        company=company,
        location=location,
        sections=sections,
    )


# -- the builder documents -----------------------------------------------------------------


def alex_rivera() -> ResumeDocument:
    return (
        ResumeBuilder("markdown")
        .contact(
            "Alex Rivera",
            "alex.rivera@example.com | +1 (555) 014-2231 | Austin, TX | github.com/arivera-dev"
            " | linkedin.com/in/alexrivera",
            email="alex.rivera@example.com",
            phone="+1 (555) 014-2231",
            location="Austin, TX",
            links=("github.com/arivera-dev", "linkedin.com/in/alexrivera"),
        )
        .section(SectionKind.SUMMARY, "Summary")
        .text(
            "Backend engineer with 7 years of experience building APIs and data pipelines in "
            "Python and Go."
        )
        .section(SectionKind.EXPERIENCE, "Experience")
        .entry(
            "Senior Software Engineer — Lumen Freight, Austin, TX",
            title="Senior Software Engineer",
            employer="Lumen Freight",
            location="Austin, TX",
            dates="Mar 2021 – Present",
            start="2021-03",
            end="present",
            start_text="Mar 2021",
            end_text="Present",
            bullets=(
                "Designed a shipment-tracking API in Python (FastAPI) serving 12k requests/s at "
                "p99 under 40 ms",
                "Migrated 40 cron jobs to a Celery + Redis task queue, cutting failed nightly "
                "runs from 9% to 0.4%",
                "Led the move from a monolith to 6 services on k8s, with Helm charts and Argo CD",
                "Mentored 4 engineers; introduced design reviews and on-call runbooks",
            ),
        )
        .entry(
            "Software Engineer — Brightwell Health, Remote",
            title="Software Engineer",
            employer="Brightwell Health",
            location="Remote",
            dates="Jun 2018 – Feb 2021",
            start="2018-06",
            end="2021-02",
            start_text="Jun 2018",
            end_text="Feb 2021",
            bullets=(
                "Built HL7/FHIR ingestion in Go handling 3M messages/day into Postgres",
                "Cut report generation time from 20 min to 90 s by rewriting SQL and adding "
                "materialized views",
                "Added contract tests with Pact between 5 teams' services",
            ),
        )
        .entry(
            "Junior Developer — Ninefold Studio, Dallas, TX",
            title="Junior Developer",
            employer="Ninefold Studio",
            location="Dallas, TX",
            dates="Jul 2016 – May 2018",
            start="2016-07",
            end="2018-05",
            start_text="Jul 2016",
            end_text="May 2018",
            bullets=(
                "Shipped Django features for 3 client e-commerce sites",
                "Wrote the first automated test suite (pytest), reaching 70% coverage",
            ),
        )
        .section(SectionKind.EDUCATION, "Education")
        .education(
            "B.S. Computer Science, University of North Texas, 2016",
            school="University of North Texas",
            degree="B.S.",
            field_of_study="Computer Science",
            year="2016",
        )
        .section(SectionKind.SKILLS, "Skills")
        .skills(
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
        .section(SectionKind.CERTIFICATIONS, "Certifications")
        .text("AWS Certified Developer – Associate (2022)")
        .build()
    )


def priya_nair() -> ResumeDocument:
    return (
        ResumeBuilder("text")
        .contact(
            "PRIYA NAIR",
            "Seattle, WA  ·  priya.nair@example.org  ·  206-555-0188  ·  linkedin.com/in/priyanair",
            email="priya.nair@example.org",
            phone="206-555-0188",
            location="Seattle, WA",
            links=("linkedin.com/in/priyanair",),
        )
        .section(SectionKind.EXPERIENCE, "PROFESSIONAL EXPERIENCE")
        .entry(
            "Data Scientist, Cascade Outdoor Co.                                   2020 – present",
            title="Data Scientist",
            employer="Cascade Outdoor Co.",
            start="2020",
            end="present",
            start_text="2020",
            end_text="present",
            bullets=(
                "Built a demand-forecasting model (LightGBM) for 4,000 SKUs that lowered "
                "stock-outs by 18%",
                "Designed A/B tests for pricing pages; analysis led to a 6% lift in conversion",
                "Productionised models with MLflow and Airflow on AWS SageMaker",
                "Presented monthly insights to the VP of Merchandising",
            ),
        )
        .entry(
            "Data Analyst, Harborview Credit Union                                 06/2017 - "
            "12/2019",
            title="Data Analyst",
            employer="Harborview Credit Union",
            start="2017-06",
            end="2019-12",
            start_text="06/2017",
            end_text="12/2019",
            bullets=(
                "Automated 25 weekly Excel reports into Tableau dashboards, saving 30 hours a "
                "month",
                "Wrote SQL (Snowflake) models for member churn; flagged 1,200 at-risk accounts "
                "per quarter",
            ),
        )
        .entry(
            "Research Assistant, University of Washington                           Summer 2016",
            title="Research Assistant",
            employer="University of Washington",
            start="2016",
            end="2016",
            start_text="Summer 2016",
            end_text="Summer 2016",
            bullets=("Cleaned and analysed survey data in R for a public-health study",),
        )
        .section(SectionKind.EDUCATION, "EDUCATION")
        .education(
            "M.S. Statistics, University of Washington, 2017",
            school="University of Washington",
            degree="M.S.",
            field_of_study="Statistics",
            year="2017",
        )
        .education(
            "B.A. Economics, Reed College, 2015",
            school="Reed College",
            degree="B.A.",
            field_of_study="Economics",
            year="2015",
        )
        .section(SectionKind.SKILLS, "SKILLS")
        .skills("Languages: Python, R, SQL", ["Python", "R", "SQL"], name="Languages")
        .skills(
            "ML: scikit-learn, LightGBM, XGBoost, PyTorch, time-series forecasting, causal "
            "inference",
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
        .skills(
            "Tools: Airflow, MLflow, dbt, Snowflake, Tableau, Git",
            ["Airflow", "MLflow", "dbt", "Snowflake", "Tableau", "Git"],
            name="Tools",
        )
        .build()
    )


def morgan_lee() -> ResumeDocument:
    return (
        ResumeBuilder("docx")
        .contact(
            "Morgan Lee",
            "morgan.lee@example.net | (312) 555-0147 | Chicago, IL",
            email="morgan.lee@example.net",
            phone="(312) 555-0147",
            location="Chicago, IL",
        )
        .section(SectionKind.SUMMARY, "Professional Summary")
        .text(
            "Marketing manager with 8 years in B2B SaaS demand generation, lifecycle e-mail and "
            "paid acquisition."
        )
        .section(SectionKind.EXPERIENCE, "Professional Experience")
        .entry(
            "Marketing Manager, Tallgrass Analytics — Chicago, IL",
            title="Marketing Manager",
            employer="Tallgrass Analytics",
            location="Chicago, IL",
            dates="April 2020 – Present",
            start="2020-04",
            end="present",
            start_text="April 2020",
            end_text="Present",
            bullets=(
                "Ran paid search and LinkedIn campaigns on a $1.2M annual budget, lowering cost "
                "per lead by 27%",
                "Built lifecycle e-mail programs in HubSpot that raised trial-to-paid conversion "
                "from 11% to 15%",
                "Managed a team of 3 and two agencies; owned the quarterly pipeline target",
            ),
        )
        .entry(
            "Demand Generation Specialist, Northwind Software — Evanston, IL",
            title="Demand Generation Specialist",
            employer="Northwind Software",
            location="Evanston, IL",
            dates="09/2016 – 03/2020",
            start="2016-09",
            end="2020-03",
            start_text="09/2016",
            end_text="03/2020",
            bullets=(
                "Launched 40+ webinars generating 6,500 marketing-qualified leads",
                "Set up Salesforce lead scoring with sales operations",
                "Wrote SEO content that grew organic traffic 3x in 18 months",
            ),
        )
        .section(SectionKind.EDUCATION, "Education")
        .education(
            "B.A. Communications, Loyola University Chicago, 2016",
            school="Loyola University Chicago",
            degree="B.A.",
            field_of_study="Communications",
            year="2016",
        )
        .section(SectionKind.SKILLS, "Core Competencies")
        .skills(
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
        .build()
    )


def sam_okafor() -> ResumeDocument:
    return (
        ResumeBuilder("pdf")
        .contact(
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
        .section(SectionKind.EXPERIENCE, "Experience")
        .entry(
            "Senior Product Designer — Parcelly, London",
            title="Senior Product Designer",
            employer="Parcelly",
            location="London",
            dates="Feb 2021 – Present",
            start="2021-02",
            end="present",
            start_text="Feb 2021",
            end_text="Present",
            bullets=(
                "Led redesign of the checkout flow; completion rate rose from 61% to 74%",
                "Built and maintained the Figma design system used by 5 squads",
                "Ran 30+ usability sessions per quarter with customers",
            ),
        )
        .entry(
            "Product Designer — Kiteworks Media, Manchester",
            title="Product Designer",
            employer="Kiteworks Media",
            location="Manchester",
            dates="2017–2021",
            start="2017",
            end="2021",
            start_text="2017",
            end_text="2021",
            bullets=(
                "Designed the iOS and Android news apps (1.2M monthly users)",
                "Introduced accessibility audits; fixed 120 WCAG issues",
            ),
        )
        .entry(
            "Junior Designer — Studio Nine, London",
            title="Junior Designer",
            employer="Studio Nine",
            location="London",
            dates="2015–2017",
            start="2015",
            end="2017",
            start_text="2015",
            end_text="2017",
            bullets=("Produced marketing sites and brand assets for 20 clients",),
        )
        .section(SectionKind.SKILLS, "Skills")
        .skills("Figma", ["Figma"])
        .skills("User research", ["User research"])
        .skills("Prototyping", ["Prototyping"])
        .skills("Design systems", ["Design systems"])
        .skills("Accessibility (WCAG 2.1)", ["Accessibility (WCAG 2.1)"])
        .skills("HTML/CSS", ["HTML/CSS"])
        .section(SectionKind.EDUCATION, "Education")
        .education("BA Graphic Design", school=None, degree="BA", field_of_study="Graphic Design")
        .education("Kingston University, 2015", school="Kingston University", year="2015")
        .build()
    )


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
