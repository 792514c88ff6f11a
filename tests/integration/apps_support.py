"""Own fixtures for the applications tests: resumes and postings written for them (varied
layouts, one posting with a recruiter address and a URL), and a helper that takes a user
from upload to an accepted version through the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from app.runtime import Runtime
from app.services.pipeline import run_job
from tests.integration.conftest import GraphQLClient
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

RESUMES = {
    "backend": """# Marta Kowalczyk
marta.kowalczyk@example.org | +48 600 100 200 | Krakow, Poland | github.com/mkowalczyk

## Summary
Backend engineer with 6 years of experience building payment APIs in Python and Go.

## Experience

### Senior Backend Engineer - Vistula Pay, Krakow
Jan 2021 - Present
- Built a settlement API in Python (FastAPI) handling 4k requests/s
- Moved 25 batch jobs to Kubernetes CronJobs with Helm, cutting failures by 80%
- Tuned PostgreSQL queries, reducing reconciliation time from 2 h to 15 min

### Software Engineer - Baltic Logistics, Gdansk
Mar 2018 - Dec 2020
- Wrote Go services for parcel tracking on AWS
- Introduced Terraform for 40 AWS resources

## Education
M.Sc. Computer Science, AGH University of Krakow, 2018

## Skills
Python, Go, PostgreSQL, Kubernetes, Helm, Terraform, AWS, Redis
""",
    "data": """Tomas Okafor
tomas.okafor@example.net
Leeds, UK

PROFILE
Data analyst with five years of experience in SQL, Python and dashboarding.

WORK EXPERIENCE
Data Analyst, Harbour Retail, Leeds - 2020 to present
* Built weekly sales dashboards in Tableau used by 60 store managers
* Automated inventory forecasts in Python (pandas), saving 10 hours a week
Junior Analyst, Pennine Energy, Bradford - 2018 to 2020
* Cleaned meter data with SQL and documented the data model

EDUCATION
BSc Mathematics, University of Leeds, 2018

SKILLS
SQL, Python, pandas, Tableau, Excel, statistics
""",
}

POSTINGS = {
    "platform": """Senior Platform Engineer
Northwind Payments - Remote (EU)

About the role
Northwind moves money for 4,000 merchants. Full posting: https://jobs.northwind.example/platform-42

What you will do
- Run the Kubernetes platform our services deploy to
- Design internal APIs in Python and Go
- Improve observability with Prometheus

Requirements
- 5+ years of backend engineering
- Strong Python or Go
- Kubernetes and Helm in production
- PostgreSQL performance tuning

How to apply
Send your resume and cover letter to careers@northwind.example
""",
    "analytics": """Analytics Lead
Greenfield Foods, Manchester (hybrid)

We are looking for an analytics lead to own reporting for our stores.

Responsibilities
- Own the sales and inventory dashboards
- Mentor two analysts
- Work with finance on forecasting

Requirements
- 4+ years in analytics
- Excellent SQL and Python
- Tableau or Power BI
""",
}


@dataclass
class Accepted:
    resume_id: str
    jd_id: str
    job_id: str
    version_id: str


ACCEPT = """
mutation($jobId: ID!, $input: AcceptInput!) { accept(jobId: $jobId, input: $input) { id } }
"""

CREATE_APPLICATION = """
mutation($input: CreateApplicationInput!) {
  createApplication(input: $input) {
    id status company roleTitle postingUrl contactEmail appliedAt followUpAt notes
    formData { name email links { github } skills workHistory { employer title } }
    formDataDownload { url }
    version { id }
    job { id }
    history { kind actor fromStatus toStatus note }
  }
}
"""


async def accepted_version(
    client: GraphQLClient,
    runtime: Runtime,
    *,
    resume: str = "backend",
    posting: str = "platform",
    export_formats: list[str] | None = None,
) -> Accepted:
    """Upload, describe, tailor (pipeline in-process), accept: an accepted version."""
    up = await client.ok(UPLOAD_RESUME, {"input": {"text": RESUMES[resume], "filename": "cv.md"}})
    resume_id = up["uploadResume"]["id"]
    jd = await client.ok(CREATE_JD, {"input": {"text": POSTINGS[posting]}})
    jd_id = jd["createJobDescription"]["id"]
    data = await client.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    job_id = data["tailor"]["job"]["id"]
    assert (await run_job(runtime, uuid.UUID(job_id))) is not None
    accepted = await client.ok(
        ACCEPT,
        {"jobId": job_id, "input": {"applyAll": True, "exportFormats": export_formats or []}},
    )
    return Accepted(resume_id, jd_id, job_id, accepted["accept"]["id"])


async def new_application(client: GraphQLClient, **input_: Any) -> dict[str, Any]:
    data = await client.ok(CREATE_APPLICATION, {"input": input_})
    result: dict[str, Any] = data["createApplication"]
    return result


async def count_rows(runtime: Runtime, table: str) -> int:
    async with runtime.db() as session:
        return int((await session.execute(text(f'SELECT count(*) FROM "{table}"'))).scalar_one())
