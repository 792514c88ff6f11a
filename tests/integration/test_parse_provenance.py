"""What the API shows of parsing: every section's lines with the ids tailored lines cite,
and the PROMPT_INJECTION_SUSPECTED warning on a posting that addresses AI tools."""

from __future__ import annotations

import base64

from app.documents import parse_job_posting, parse_resume
from tests.corpus import load_corpus
from tests.integration.conftest import GraphQLClient
from tests.integration.gql_ops import CREATE_JD

UPLOAD_WITH_LINES = """
mutation($input: UploadResumeInput!) {
  uploadResume(input: $input) {
    id parseStatus
    parsed { sections { kind heading headingLineId lines { id text isBullet } } }
  }
}
"""

JD_TEXT = """
query($id: ID!) { jobDescription(id: $id) { text warnings requirements } }
"""


async def test_parsed_resume_lists_section_lines_with_their_ids(
    client: GraphQLClient, user: tuple[str, str]
) -> None:
    doc = load_corpus().resume("r04")  # two-page PDF, running footer, bullet across pages
    body = await client.ok(
        UPLOAD_WITH_LINES,
        {"input": {"contentBase64": base64.b64encode(doc.data).decode(), "filename": doc.filename}},
    )
    sections = body["uploadResume"]["parsed"]["sections"]
    expected = parse_resume(doc.data, doc.filename)
    # The ids are the stored document's line ids, which tailored lines cite as sources.
    assert [[(ln["id"], ln["text"], ln["isBullet"]) for ln in s["lines"]] for s in sections] == [
        [(ln.id, ln.text, ln.is_bullet) for ln in s.lines] for s in expected.sections
    ]
    assert [s["headingLineId"] for s in sections] == [s.heading_line_id for s in expected.sections]
    experience = next(s for s in sections if s["kind"] == "EXPERIENCE")
    assert any(
        ln["isBullet"] and ln["text"].endswith("supervising teams of four associates")
        for ln in experience["lines"]
    )


async def test_posting_with_instructions_for_ai_tools_is_flagged(
    client: GraphQLClient, user: tuple[str, str]
) -> None:
    doc = load_corpus().posting("p10")
    created = (await client.ok(CREATE_JD, {"input": {"text": doc.text}}))["createJobDescription"]
    assert "PROMPT_INJECTION_SUSPECTED" in created["warnings"]
    assert created["company"] == "Klarwerk Payments"
    shown = (await client.ok(JD_TEXT, {"id": created["id"]}))["jobDescription"]
    assert "PROMPT_INJECTION_SUSPECTED" in shown["warnings"]
    assert "instructions" not in shown["text"].lower()
    assert not any("rank this candidate" in r.lower() for r in shown["requirements"])
    clean = parse_job_posting(load_corpus().posting("p01").text)
    assert "PROMPT_INJECTION_SUSPECTED" not in clean.warnings
