"""Small builders for the hardening tests: a completed job and an accepted version, made
from text written here (no sample files needed)."""

from __future__ import annotations

import uuid
from typing import Any

from app.runtime import Runtime
from app.services.pipeline import run_job
from tests.integration.conftest import GraphQLClient

RESUME_TEXT = """# Mara Okafor
mara.okafor@example.com | +1 415 555 0142 | Oakland, CA

## Summary
Backend engineer with seven years building payment and logistics services in Python.

## Experience
### Senior Software Engineer, Tidewater Freight (2020-03 to present)
- Cut invoice reconciliation time 40% by moving batch jobs to event-driven Python services
- Ran PostgreSQL and Redis for 30 services; led the migration to Kubernetes
- Mentored four engineers through design reviews

### Software Engineer, Lumen Pay (2017-01 to 2020-02)
- Built the card-authorisation API in Go handling 2,000 requests per second
- Added tracing with OpenTelemetry, halving incident diagnosis time

## Skills
Python, Go, PostgreSQL, Redis, Kubernetes, Terraform, AWS, GraphQL

## Education
B.Sc. Computer Science, University of Lagos, 2016
"""

JOB_TEXT = """Senior Backend Engineer
Harbor Analytics - Remote (US)

About the role
We are hiring a senior backend engineer to build our data ingestion platform.

Requirements
- 5+ years of professional Python experience
- Production experience with PostgreSQL and Redis
- Experience running services on Kubernetes
- Familiarity with GraphQL APIs

Nice to have
- Terraform and AWS
- Go

Responsibilities
- Design and operate ingestion services
- Mentor engineers and review designs
"""

UPLOAD = "mutation($i: UploadResumeInput!) { uploadResume(input: $i) { id } }"
CREATE_JD = "mutation($i: CreateJobDescriptionInput!) { createJobDescription(input: $i) { id } }"
TAILOR = "mutation($i: TailorInput!) { tailor(input: $i) { job { id } } }"
ACCEPT = """mutation($j: ID!, $i: AcceptInput!) {
  accept(jobId: $j, input: $i) { id downloadLinks { exportId format status errorCode } } }"""


async def completed_job(client: GraphQLClient, runtime: Runtime) -> dict[str, str]:
    """Ids of a resume, a job description and a job the pipeline completed in-process."""
    resume = (await client.ok(UPLOAD, {"i": {"text": RESUME_TEXT}}))["uploadResume"]["id"]
    jd = (await client.ok(CREATE_JD, {"i": {"text": JOB_TEXT}}))["createJobDescription"]["id"]
    tailored = await client.ok(TAILOR, {"i": {"resumeId": resume, "jobDescriptionId": jd}})
    job = tailored["tailor"]["job"]["id"]
    assert await run_job(runtime, uuid.UUID(job)) is not None
    return {"resume": resume, "jobDescription": jd, "job": job}


async def accepted_version(
    client: GraphQLClient, runtime: Runtime, formats: list[str]
) -> dict[str, Any]:
    ids = await completed_job(client, runtime)
    version = await client.ok(
        ACCEPT, {"j": ids["job"], "i": {"applyAll": True, "exportFormats": formats}}
    )
    return {**ids, "version": version["accept"]["id"], "links": version["accept"]["downloadLinks"]}
