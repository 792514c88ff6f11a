"""The README's first GraphQL session works as written: its operations and variables,
run in order, tailor the sample resume to the sample posting with a real score."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

from app.runtime import Runtime
from app.services.pipeline import run_job
from tests.integration.conftest import GraphQLClient

README = Path(__file__).resolve().parents[2] / "README.md"


def session_blocks() -> list[tuple[str, str]]:
    """(language, body) of the code blocks of the 'A first GraphQL session' section."""
    text = README.read_text()
    section = text.split("## A first GraphQL session", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(graphql|json)\n(.*?)```", section, flags=re.S)


async def _run(
    client: GraphQLClient, document: str, variables: dict[str, Any], operation: str
) -> Any:
    response = await client.http.post(
        "/graphql",
        json={"query": document, "variables": variables, "operationName": operation},
        headers={"Authorization": f"Bearer {client.token}"},
    )
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


def _fill(variables: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    raw = json.dumps(variables)
    for placeholder, value in ids.items():
        raw = raw.replace(f"<{placeholder}>", value)
    assert "<" not in raw, raw
    filled: dict[str, Any] = json.loads(raw)
    return filled


async def test_readme_first_session(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    blocks = session_blocks()
    graphql = [body for lang, body in blocks if lang == "graphql"]
    variables = [json.loads(body) for lang, body in blocks if lang == "json"]
    upload_doc = next(d for d in graphql if "mutation Upload" in d)
    tailor_doc = next(d for d in graphql if "mutation Tailor" in d)
    result_doc = next(d for d in graphql if "query Result" in d)

    uploaded = await _run(client, upload_doc, variables[0], "Upload")
    parsed = uploaded["uploadResume"]["parsed"]
    assert uploaded["uploadResume"]["parseStatus"] == "PARSED"
    assert len(parsed["experience"]) >= 2 and len(parsed["skills"]) >= 5
    ids = {
        "uploadResume.id": uploaded["uploadResume"]["id"],
        "createJobDescription.id": uploaded["createJobDescription"]["id"],
    }
    tailored = await _run(client, tailor_doc, _fill(variables[1], ids), "Tailor")
    ids["tailor.job.id"] = tailored["tailor"]["job"]["id"]
    assert await run_job(runtime, uuid.UUID(ids["tailor.job.id"])) is not None

    job = (await _run(client, result_doc, _fill(variables[2], ids), "Result"))["job"]
    result = job["result"]
    assert job["status"] == "COMPLETED"
    assert result["atsBefore"]["score"] >= 50 and result["atsAfter"]["score"] > 0
    assert {d["section"] for d in result["diff"]} >= {"summary", "experience", "skills"}
    assert "Larkspur Health" in result["tailoredResume"]["markdown"]
    codes = {w["code"] for w in result["warnings"]}
    assert not codes & {"NO_EXPERIENCE_FOUND", "NO_SKILLS_FOUND"}, result["warnings"]
