"""Helpers of the API-shape tests: a resume and a posting from the project's samples."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from tests.integration.conftest import GraphQLClient
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

RESUME = "jonah-brandt-backend.md"
POSTING = "infrastructure-engineer-keelson.txt"


async def add_pair(
    client: GraphQLClient, samples: Path, resume: str = RESUME, job: str = POSTING
) -> tuple[str, str]:
    data = (samples / "resumes" / resume).read_bytes()
    up = await client.ok(
        UPLOAD_RESUME,
        {"input": {"contentBase64": base64.b64encode(data).decode(), "filename": resume}},
    )
    jd = await client.ok(CREATE_JD, {"input": {"text": (samples / "jobs" / job).read_text()}})
    return up["uploadResume"]["id"], jd["createJobDescription"]["id"]


async def tailor(client: GraphQLClient, resume_id: str, jd_id: str, **extra: Any) -> Any:
    body = await client.run(
        TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, **extra}}
    )
    return body
