"""Input too thin to tailor is refused with RESUME_TOO_THIN before a job exists; what a
parse could not find is said on the job's result instead of a silent ATS 0."""

from __future__ import annotations

from pathlib import Path

from app.runtime import Runtime
from tests.integration.conftest import GraphQLClient, error_codes
from tests.integration.gql_ops import CREATE_JD, UPLOAD_RESUME
from tests.integration.shape_helpers import POSTING, tailor

NO_SKILLS = """# Maya Okafor
maya.okafor@example.com | Leeds, UK

## Experience

**Logistics Coordinator**, Harbour Freight Ltd | Mar 2019 - Present
- Scheduled 40 weekly shipments across three depots for retail customers
- Cut late deliveries by 18% by re-planning routes with the drivers

**Warehouse Assistant**, Northgate Stores | Jun 2016 - Feb 2019
- Picked and packed orders, trained four new starters
"""

WARNINGS = "query($id: ID!) { job(id: $id) { result { warnings { code message section } } } }"


async def _upload(client: GraphQLClient, text: str) -> str:
    data = await client.ok(UPLOAD_RESUME, {"input": {"text": text}})
    resume_id: str = data["uploadResume"]["id"]
    return resume_id


async def _posting(client: GraphQLClient, samples: Path) -> str:
    text = (samples / "jobs" / POSTING).read_text()
    jd_id: str = (await client.ok(CREATE_JD, {"input": {"text": text}}))["createJobDescription"][
        "id"
    ]
    return jd_id


async def test_a_name_and_an_ellipsis_is_refused(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    jd_id = await _posting(client, samples_dir)
    for thin in ("# Ada Lovelace\n...", "Ada Lovelace\nada@example.com\n\nHello there."):
        body = await tailor(client, await _upload(client, thin), jd_id)
        assert error_codes(body) == ["RESUME_TOO_THIN"]
        assert "too little content" in body["errors"][0]["message"]
    jobs = await client.ok("{ jobs { totalCount } }")
    assert jobs["jobs"]["totalCount"] == 0
    assert await runtime.redis.zcard("arq:queue") == 0


async def test_missing_skills_are_a_warning_on_the_result(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path
) -> None:
    jd_id = await _posting(client, samples_dir)
    body = await tailor(client, await _upload(client, NO_SKILLS), jd_id)
    assert not body.get("errors"), body
    job_id = body["data"]["tailor"]["job"]["id"]
    warnings = (await client.ok(WARNINGS, {"id": job_id}))["job"]["result"]["warnings"]
    codes = [w["code"] for w in warnings]
    assert "NO_SKILLS_FOUND" in codes and "NO_EXPERIENCE_FOUND" not in codes
    skills = next(w for w in warnings if w["code"] == "NO_SKILLS_FOUND")
    assert skills["section"] == "skills" and "Skills heading" in skills["message"]
