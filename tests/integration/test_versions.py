"""Accept (in part or whole), version history with DataLoaders, exports and downloads."""

from __future__ import annotations

import base64
import io
import uuid
from pathlib import Path
from typing import Any

import docx
import pypdf
from sqlalchemy import event

from app.runtime import Runtime
from app.services.exports import run_export
from app.services.pipeline import run_job
from tests.integration.conftest import GraphQLClient, error_codes, sign_up
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

ACCEPT = """
mutation($jobId: ID!, $input: AcceptInput!) {
  accept(jobId: $jobId, input: $input) {
    id number markdown atsScore notes template warnings { code message text section }
    sections { section kind heading lines { text } }
    diff { section kind change }
    downloadLinks { exportId document format template status url errorCode }
  }
}
"""


async def _completed_job(
    client: GraphQLClient,
    runtime: Runtime,
    samples: Path,
    *,
    strategy: str = "DEFAULT",
    job: str = "infrastructure-engineer-keelson.txt",
    resume_id: str | None = None,
) -> tuple[str, str]:
    if resume_id is None:
        data = (samples / "resumes" / "jonah-brandt-backend.md").read_bytes()
        up = await client.ok(
            UPLOAD_RESUME, {"input": {"contentBase64": base64.b64encode(data).decode()}}
        )
        resume_id = up["uploadResume"]["id"]
    jd = await client.ok(CREATE_JD, {"input": {"text": (samples / "jobs" / job).read_text()}})
    tailored = await client.ok(
        TAILOR,
        {
            "input": {
                "resumeId": resume_id,
                "jobDescriptionId": jd["createJobDescription"]["id"],
                "strategy": strategy,
            }
        },
    )
    job_id = tailored["tailor"]["job"]["id"]
    # The pipeline in-process (the worker's code path without the worker process).
    assert (await run_job(runtime, uuid.UUID(job_id))) is not None
    return job_id, resume_id


async def _statements_and_data(
    client: GraphQLClient, runtime: Runtime, query: str, variables: dict[str, Any]
) -> tuple[int, Any]:
    """How many SQL statements one request ran, and the data it returned."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", record)
    try:
        data = await client.ok(query, variables)
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", record)
    return len(statements), data


async def test_apply_all_and_idempotent(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, _ = await _completed_job(client, runtime, samples_dir)
    first = (await client.ok(ACCEPT, {"jobId": job_id, "input": {"applyAll": True}}))["accept"]
    again = (await client.ok(ACCEPT, {"jobId": job_id, "input": {"applyAll": True}}))["accept"]
    assert first["id"] == again["id"] and first["number"] == 1
    assert "Quarry Logistics" in first["markdown"] and first["atsScore"] > 0
    kinds = [s["kind"] for s in first["sections"]]
    assert "EXPERIENCE" in kinds and "SUMMARY" in kinds
    assert all(s["section"].split(":")[0] == s["kind"].lower() for s in first["sections"])


async def test_partial_accept_keeps_original_sections(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, _ = await _completed_job(client, runtime, samples_dir)
    tailored_md = (await client.ok(ACCEPT, {"jobId": job_id, "input": {"applyAll": True}}))[
        "accept"
    ]["markdown"]
    original = (samples_dir / "resumes" / "jonah-brandt-backend.md").read_text()
    original_summary = "Backend engineer with 9 years of experience building payment and logistics services in Go and Python."
    partial = (
        await client.ok(
            ACCEPT,
            {
                "jobId": job_id,
                "input": {
                    "sections": [
                        {"section": "summary", "accept": False},
                        {"section": "experience", "accept": True},
                    ]
                },
            },
        )
    )["accept"]
    assert partial["number"] == 2
    summary = next(s for s in partial["sections"] if s["section"] == "summary")
    assert [ln["text"] for ln in summary["lines"]] == [original_summary]
    assert original_summary in original
    # Experience took the tailored order: its first bullet is the tailored one.
    assert _first_bullet(partial["markdown"]) == _first_bullet(tailored_md)


def _first_bullet(markdown: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith("- "))


async def test_edited_text_with_fabricated_employer_is_reverted(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, _ = await _completed_job(client, runtime, samples_dir)
    edited = "Platform engineer with 7 years in Python and Go, formerly at Google."
    version = (
        await client.ok(
            ACCEPT,
            {
                "jobId": job_id,
                "input": {
                    "sections": [{"section": "summary", "accept": True, "editedText": edited}]
                },
            },
        )
    )["accept"]
    assert "Google" not in version["markdown"]
    assert any(
        w["code"] == "NEW_EMPLOYER" and "Google" in f"{w['text']} {w['message']}"
        for w in version["warnings"]
    )


async def test_accept_rules(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, resume_id = await _completed_job(client, runtime, samples_dir)
    both = await client.run(
        ACCEPT,
        {
            "jobId": job_id,
            "input": {"applyAll": True, "sections": [{"section": "summary", "accept": True}]},
        },
    )
    unknown = await client.run(
        ACCEPT, {"jobId": job_id, "input": {"sections": [{"section": "hobbies", "accept": True}]}}
    )
    template = await client.run(
        ACCEPT, {"jobId": job_id, "input": {"applyAll": True, "template": "FANCY"}}
    )
    assert error_codes(both) == error_codes(unknown) == ["INVALID_INPUT"]
    assert error_codes(template) == ["GRAPHQL_VALIDATION_FAILED"]  # Template is an enum
    jd = await client.ok(
        CREATE_JD,
        {"input": {"text": (samples_dir / "jobs" / "data-scientist-fernway.txt").read_text()}},
    )
    queued = await client.ok(
        TAILOR,
        {"input": {"resumeId": resume_id, "jobDescriptionId": jd["createJobDescription"]["id"]}},
    )
    not_done = await client.run(
        ACCEPT, {"jobId": queued["tailor"]["job"]["id"], "input": {"applyAll": True}}
    )
    assert error_codes(not_done) == ["JOB_NOT_COMPLETED"]
    other, _ = await sign_up(client)
    foreign = await client.run(ACCEPT, {"jobId": job_id, "input": {"applyAll": True}}, token=other)
    assert error_codes(foreign) == ["NOT_FOUND"]
    listing = await client.ok("{ versions { edges { node { id } } } }")
    assert listing["versions"]["edges"] == []  # nothing was created by the bad calls


async def test_exports_every_format_and_download(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, _ = await _completed_job(client, runtime, samples_dir)
    for template in ("CLASSIC", "MODERN", "COMPACT"):
        version = (
            await client.ok(
                ACCEPT,
                {
                    "jobId": job_id,
                    "input": {
                        "applyAll": True,
                        "template": template,
                        "exportFormats": ["PDF", "DOCX", "MARKDOWN", "TEXT"],
                    },
                },
            )
        )["accept"]
        links = version["downloadLinks"]
        assert {(link["document"], link["format"]) for link in links} == {
            (d, f) for d in ("RESUME", "COVER_LETTER") for f in ("PDF", "DOCX", "MARKDOWN", "TEXT")
        }
        assert all(link["status"] == "PENDING" and link["url"] is None for link in links)
        for link in links:  # the worker's code path, in-process
            await run_export(runtime, uuid.UUID(link["exportId"]))
        fresh = await client.ok(
            "mutation($id: ID!) { refreshDownloadLinks(versionId: $id) "
            "{ document format status url } }",
            {"id": version["id"]},
        )
        for link in fresh["refreshDownloadLinks"]:
            assert link["status"] == "READY", link
            response = await client.http.get(link["url"].replace("http://testserver", ""))
            assert response.status_code == 200
            assert "attachment" in response.headers["content-disposition"]
            text = _text_of(link["format"], response.content)
            if link["document"] == "RESUME":
                # Roles in their original order (the summary may name employers too).
                assert (
                    text.index("Staff Software Engineer — Quarry Logistics")
                    < text.index("Backend Engineer — Fernhill Insurance")
                    < text.index("Software Developer — Pixelmoor Games")
                )
            else:
                assert "Keelson Bank" in text


def _text_of(fmt: str, data: bytes) -> str:
    if fmt == "PDF":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if fmt == "DOCX":
        document = docx.Document(io.BytesIO(data))
        assert not document.tables  # ATS-safe: no tables
        return "\n".join(p.text for p in document.paragraphs)
    return data.decode()


async def test_download_links_are_owner_scoped_and_expire(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, _ = await _completed_job(client, runtime, samples_dir)
    version = (
        await client.ok(
            ACCEPT, {"jobId": job_id, "input": {"applyAll": True, "exportFormats": ["TEXT"]}}
        )
    )["accept"]
    for link in version["downloadLinks"]:
        await run_export(runtime, uuid.UUID(link["exportId"]))
    other, _ = await sign_up(client)
    foreign = await client.run(
        "query($id: ID!) { version(id: $id) { downloadLinks { url } } }",
        {"id": version["id"]},
        token=other,
    )
    assert error_codes(foreign) == ["NOT_FOUND"]
    links = await client.ok(
        "query($id: ID!) { version(id: $id) { downloadLinks { url } } }", {"id": version["id"]}
    )
    url: str = links["version"]["downloadLinks"][0]["url"].replace("http://testserver", "")
    # Pointing the signed URL at another user's namespace breaks the signature.
    hijacked = url.replace(f"users/{user[1]}", f"users/{uuid.uuid4()}")
    assert (await client.http.get(hijacked)).status_code == 403
    expired = _with_query(url, exp="1000")
    assert (await client.http.get(expired)).status_code == 403


def _with_query(url: str, **changes: str) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


async def test_versions_page_uses_constant_queries(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    resume_id = None
    jobs = []
    for strategy in ("DEFAULT", "CONSERVATIVE", "AGGRESSIVE_KEYWORDS"):
        job_id, resume_id = await _completed_job(
            client, runtime, samples_dir, strategy=strategy, resume_id=resume_id
        )
        jobs.append(job_id)
    for i in range(50):
        await client.ok(
            ACCEPT, {"jobId": jobs[i % 3], "input": {"applyAll": True, "notes": f"v{i}"}}
        )
    page = """query($n: Int!) { versions(first: $n) { edges { node {
        id number job { id status strategy } resume { id title } downloadLinks { status } } } } }"""
    small, _ = await _statements_and_data(client, runtime, page, {"n": 5})
    large, data = await _statements_and_data(client, runtime, page, {"n": 50})
    assert len(data["versions"]["edges"]) == 50
    assert {e["node"]["job"]["id"] for e in data["versions"]["edges"]} == set(jobs)
    assert large == small, (small, large)


async def test_failed_export_is_retried_without_touching_the_version(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    monkeypatch: Any,
) -> None:
    import app.services.exports as export_service
    from app.exports import ExportError

    job_id, _ = await _completed_job(client, runtime, samples_dir)
    version = (
        await client.ok(
            ACCEPT, {"jobId": job_id, "input": {"applyAll": True, "exportFormats": ["PDF"]}}
        )
    )["accept"]
    resume_pdf = next(link for link in version["downloadLinks"] if link["document"] == "RESUME")
    real_export = export_service.export

    def too_slow(*args: Any, **kwargs: Any) -> Any:
        raise ExportError("EXPORT_TIMEOUT", "took too long")

    monkeypatch.setattr(export_service, "export", too_slow)
    await run_export(runtime, uuid.UUID(resume_pdf["exportId"]))
    query = "query($id: ID!) { version(id: $id) { number markdown downloadLinks { exportId document status errorCode url } } }"
    failed = (await client.ok(query, {"id": version["id"]}))["version"]
    link = next(x for x in failed["downloadLinks"] if x["exportId"] == resume_pdf["exportId"])
    assert (link["status"], link["errorCode"], link["url"]) == ("FAILED", "EXPORT_TIMEOUT", None)

    retry = "mutation($id: ID!) { retryExport(exportId: $id) }"
    assert (await client.ok(retry, {"id": resume_pdf["exportId"]}))["retryExport"] is True
    again = await client.run(retry, {"id": resume_pdf["exportId"]})
    assert error_codes(again) == ["EXPORT_NOT_RETRYABLE"]  # it is PENDING now
    monkeypatch.setattr(export_service, "export", real_export)
    await run_export(runtime, uuid.UUID(resume_pdf["exportId"]))
    done = (await client.ok(query, {"id": version["id"]}))["version"]
    link = next(x for x in done["downloadLinks"] if x["exportId"] == resume_pdf["exportId"])
    assert link["status"] == "READY" and link["url"]
    assert (done["number"], done["markdown"]) == (failed["number"], failed["markdown"])


async def test_jobs_page_with_results_uses_constant_queries(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    resume_id = None
    for strategy in ("DEFAULT", "CONSERVATIVE", "AGGRESSIVE_KEYWORDS"):
        _, resume_id = await _completed_job(
            client, runtime, samples_dir, strategy=strategy, resume_id=resume_id
        )
    page = """query($n: Int!) { jobs(first: $n) { edges { node {
        id status result { plan { score } atsAfter { score } tailoredResume { markdown } } } } } }"""
    one, _ = await _statements_and_data(client, runtime, page, {"n": 1})
    three, data = await _statements_and_data(client, runtime, page, {"n": 3})
    assert len(data["jobs"]["edges"]) == 3
    assert all(e["node"]["result"]["tailoredResume"]["markdown"] for e in data["jobs"]["edges"])
    assert one == three


async def test_lists_filter_jobs_by_status_and_versions_by_resume(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, samples_dir: Path
) -> None:
    job_id, resume_id = await _completed_job(client, runtime, samples_dir)
    await client.ok(ACCEPT, {"jobId": job_id, "input": {"applyAll": True}})
    text = (samples_dir / "resumes" / "ines-carvalho-data.txt").read_text()
    other = (await client.ok(UPLOAD_RESUME, {"input": {"text": text}}))["uploadResume"]["id"]

    jobs = "query($s: JobStatus) { jobs(status: $s) { totalCount edges { node { id } } } }"
    done = (await client.ok(jobs, {"s": "COMPLETED"}))["jobs"]
    assert [e["node"]["id"] for e in done["edges"]] == [job_id] and done["totalCount"] == 1
    assert (await client.ok(jobs, {"s": "FAILED"}))["jobs"] == {"totalCount": 0, "edges": []}

    versions = "query($r: ID) { versions(resumeId: $r) { totalCount edges { node { id } } } }"
    assert (await client.ok(versions, {"r": resume_id}))["versions"]["totalCount"] == 1
    assert (await client.ok(versions, {"r": other}))["versions"]["totalCount"] == 0
    assert error_codes(await client.run(versions, {"r": "not-an-id"})) == ["INVALID_INPUT"]
