"""Resume and job description ingestion through GraphQL, with real storage on disk."""

from __future__ import annotations

import base64
import io
import uuid
from pathlib import Path

from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from app.db.models import JobDescription, Resume
from app.runtime import Runtime
from tests.integration.conftest import GraphQLClient, error_codes, sign_up
from tests.integration.gql_ops import CREATE_JD, UPLOAD_RESUME


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.db() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


def _stored_files(runtime: Runtime) -> list[Path]:
    root = Path(runtime.settings.storage_root) / "data"  # the store keeps metadata beside
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def test_upload_markdown_resume(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path, runtime: Runtime
) -> None:
    data = (samples_dir / "resumes" / "jonah-brandt-backend.md").read_bytes()
    body = await client.ok(
        UPLOAD_RESUME,
        {"input": {"contentBase64": _b64(data), "filename": "jonah-brandt-backend.md"}},
    )
    resume = body["uploadResume"]
    assert resume["parseStatus"] == "PARSED" and resume["sourceFormat"] == "MARKDOWN"
    assert resume["parsed"]["contact"]["name"] == "Jonah Brandt"
    employers = [e["employer"] for e in resume["parsed"]["experience"]]
    assert employers == ["Quarry Logistics", "Fernhill Insurance", "Pixelmoor Games"]
    stored = _stored_files(runtime)
    assert any(p.read_bytes() == data for p in stored)
    assert all(f"users/{user[1]}/" in str(p) for p in stored)


async def test_upload_docx_multipart(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path
) -> None:
    data = (samples_dir / "resumes" / "rosa-delgado-marketing.docx").read_bytes()
    operations = {
        "query": UPLOAD_RESUME,
        "variables": {"input": {"file": None, "filename": "rosa.docx"}},
    }
    import json

    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": ("rosa.docx", data, "application/octet-stream")},
        # The CSRF preflight header every multipart request needs (Apollo's upload link).
        headers={"Authorization": f"Bearer {client.token}", "Apollo-Require-Preflight": "true"},
    )
    body = response.json()
    assert not body.get("errors"), body
    resume = body["data"]["uploadResume"]
    assert resume["parseStatus"] == "PARSED" and resume["sourceFormat"] == "DOCX"
    assert resume["parsed"]["contact"]["email"] == "rosa.delgado@example.net"


async def test_text_resume(client: GraphQLClient, user: tuple[str, str], samples_dir: Path) -> None:
    text = (samples_dir / "resumes" / "ines-carvalho-data.txt").read_text()
    body = await client.ok(UPLOAD_RESUME, {"input": {"text": text}})
    assert body["uploadResume"]["parsed"]["contact"]["name"].lower() == "ines carvalho"


async def test_unsupported_and_oversize_write_nothing(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    body = await client.run(
        UPLOAD_RESUME, {"input": {"contentBase64": _b64(png), "filename": "cv.pdf"}}
    )
    assert error_codes(body) == ["UNSUPPORTED_FORMAT"]
    huge = b"Experience\n" + b"a" * (5 * 1024 * 1024 + 10)
    body = await client.run(UPLOAD_RESUME, {"input": {"contentBase64": _b64(huge)}})
    assert error_codes(body) == ["SIZE_EXCEEDED"]
    both = await client.run(UPLOAD_RESUME, {"input": {"text": "x", "contentBase64": "eA=="}})
    assert error_codes(both) == ["INVALID_INPUT"]
    bad64 = await client.run(UPLOAD_RESUME, {"input": {"contentBase64": "!!!not base64!!!"}})
    assert error_codes(bad64) == ["INVALID_INPUT"]
    assert await _count(runtime, Resume) == 0
    assert _stored_files(runtime) == []


def _scanned_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(50, 50, 400, 600, fill=1)  # an "image" of a page: no text layer at all
    page.showPage()
    page.save()
    return buffer.getvalue()


async def test_scanned_pdf_is_kept_as_failed(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    body = await client.ok(
        UPLOAD_RESUME, {"input": {"contentBase64": _b64(_scanned_pdf()), "filename": "scan.pdf"}}
    )
    resume = body["uploadResume"]
    assert resume["parseStatus"] == "FAILED"
    assert resume["parseError"]["code"] == "PARSE_FAILED"
    assert "scan" in resume["parseError"]["message"].lower()
    assert resume["parsed"] is None
    assert await _count(runtime, Resume) == 1 and len(_stored_files(runtime)) == 1


async def test_job_description_from_text(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path
) -> None:
    text = (samples_dir / "jobs" / "infrastructure-engineer-keelson.txt").read_text()
    jd = (await client.ok(CREATE_JD, {"input": {"text": text}}))["createJobDescription"]
    assert jd["title"] == "Senior Infrastructure Engineer"
    assert jd["company"] == "Keelson Bank"
    assert jd["remote"] == "HYBRID"
    assert any("Kubernetes" in line for line in jd["requirements"])
    assert any("Kafka" in line for line in jd["preferred"])


async def test_job_description_without_title_is_invalid(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    body = await client.run(CREATE_JD, {"input": {"text": "   "}})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert await _count(runtime, JobDescription) == 0


async def test_tenancy_not_found_like_missing(
    client: GraphQLClient, user: tuple[str, str], samples_dir: Path
) -> None:
    text = (samples_dir / "resumes" / "ines-carvalho-data.txt").read_text()
    resume_id = (await client.ok(UPLOAD_RESUME, {"input": {"text": text}}))["uploadResume"]["id"]
    jd_text = (samples_dir / "jobs" / "data-scientist-fernway.txt").read_text()
    jd_id = (await client.ok(CREATE_JD, {"input": {"text": jd_text}}))["createJobDescription"]["id"]
    other, _ = await sign_up(client)
    for query, ident in (
        ("query($id: ID!) { resume(id: $id) { id } }", resume_id),
        ("query($id: ID!) { jobDescription(id: $id) { id } }", jd_id),
    ):
        foreign = await client.run(query, {"id": ident}, token=other)
        missing = await client.run(query, {"id": str(uuid.uuid4())}, token=other)
        assert error_codes(foreign) == error_codes(missing) == ["NOT_FOUND"]
        assert foreign["errors"][0]["message"] == missing["errors"][0]["message"]
    listing = await client.ok("{ resumes { edges { node { id } } } }", token=other)
    assert listing["resumes"]["edges"] == []
