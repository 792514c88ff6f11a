"""Share links: an unguessable URL shows one version read-only (HTML + PDF) without an
account; views counted; revoke and expiry enforced; nothing else reachable; text escaped."""

from __future__ import annotations

import hashlib
import uuid
from html.parser import HTMLParser
from urllib.parse import urlparse

import httpx
from sqlalchemy import text

from app.runtime import Runtime
from tests.integration.apps_support import accepted_version
from tests.integration.conftest import GraphQLClient, error_codes, sign_up
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

CREATE = """
mutation($v: ID!, $e: Int) { createShareLink(versionId: $v, expiresIn: $e) {
  url shareLink { id versionId expiresAt viewCount active } } }
"""
LINKS = "query($v: ID!) { shareLinks(versionId: $v) { id viewCount active revokedAt } }"
REVOKE = "mutation($id: ID!) { revokeShareLink(id: $id) { id active revokedAt } }"


class _Tags(HTMLParser):
    """Every element and attribute the browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "href" and value:
                self.hrefs.append(value)


def _path(url: str) -> str:
    return urlparse(url).path


async def _get(client: GraphQLClient, path: str) -> httpx.Response:
    # No Authorization header: a share link needs no account.
    return await client.http.get(path)


async def test_page_shows_the_version_and_counts_views(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    created = (await client.ok(CREATE, {"v": made.version_id}))["createShareLink"]
    token = _path(created["url"]).rsplit("/", 1)[1]
    assert len(token) >= 40 and created["shareLink"]["active"]
    page = await _get(client, _path(created["url"]))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Marta Kowalczyk" in page.text and "Vistula Pay" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none'
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-robots-tag"].startswith("noindex")
    assert "<script" not in page.text.lower() and made.version_id not in page.text
    await _get(client, _path(created["url"]))
    links = (await client.ok(LINKS, {"v": made.version_id}))["shareLinks"]
    assert links[0]["viewCount"] == 2
    pdf = await _get(client, _path(created["url"]) + "/resume.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("attachment")
    letter = await _get(client, _path(created["url"]) + "/cover-letter.pdf")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    # Only the token is stored, hashed.
    async with runtime.db() as session:
        stored = (await session.execute(text("SELECT token_hash FROM share_links"))).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored


async def test_nothing_else_is_reachable(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    url = (await client.ok(CREATE, {"v": made.version_id}))["createShareLink"]["url"]
    base = _path(url)
    for path in (
        base + "/../files",
        base + "/other.pdf",
        base + "/resume.docx",
        "/share/" + "A" * 43,
        "/share/short",
        base[:-1] + ("x" if base[-1] != "x" else "y"),
    ):
        response = await _get(client, path)
        assert response.status_code == 404, path
        assert "Marta" not in response.text
    # The token is not an API credential.
    token = base.rsplit("/", 1)[1]
    body = await client.run("{ versions { edges { node { id } } } }", token=token)
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_revoke_and_expiry(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    first = (await client.ok(CREATE, {"v": made.version_id}))["createShareLink"]
    second = (await client.ok(CREATE, {"v": made.version_id, "e": 60}))["createShareLink"]
    revoked = (await client.ok(REVOKE, {"id": first["shareLink"]["id"]}))["revokeShareLink"]
    assert not revoked["active"] and revoked["revokedAt"]
    assert (await _get(client, _path(first["url"]))).status_code == 404
    assert (await _get(client, _path(first["url"]) + "/resume.pdf")).status_code == 404
    assert (await _get(client, _path(second["url"]))).status_code == 200
    async with runtime.db() as session, session.begin():  # the clock moves on
        await session.execute(
            text("UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = :i"),
            {"i": uuid.UUID(second["shareLink"]["id"])},
        )
    assert (await _get(client, _path(second["url"]))).status_code == 404
    for bad in (0, 59, 10**9):
        assert error_codes(await client.run(CREATE, {"v": made.version_id, "e": bad})) == [
            "INVALID_INPUT"
        ]


async def test_shared_html_is_escaped(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    hostile = (
        "# Eve <script>alert(1)</script>\neve@example.com\n\n## Summary\n"
        'Engineer <img src=x onerror="alert(2)"> with Python and Kubernetes experience.\n\n'
        "## Experience\n### Engineer - <b>Acme</b>, Remote\n2019 - Present\n"
        "- Built <iframe src=//evil.example></iframe> APIs in Python on Kubernetes\n\n"
        "## Skills\nPython, Kubernetes, Go\n"
    )
    up = await client.ok(UPLOAD_RESUME, {"input": {"text": hostile, "filename": "eve.md"}})
    jd = await client.ok(
        CREATE_JD, {"input": {"text": "Platform Engineer\nAcme\n\nRequirements\n- Python\n- Go"}}
    )
    job = await client.ok(
        TAILOR,
        {
            "input": {
                "resumeId": up["uploadResume"]["id"],
                "jobDescriptionId": jd["createJobDescription"]["id"],
            }
        },
    )
    from app.services.pipeline import run_job

    job_id = job["tailor"]["job"]["id"]
    assert await run_job(runtime, uuid.UUID(job_id)) is not None
    version = await client.ok(
        "mutation($j: ID!) { accept(jobId: $j, input: {applyAll: true}) { id } }", {"j": job_id}
    )
    version_id = version["accept"]["id"]
    # Upload already strips markup; the page must be safe on its own, so put hostile
    # text straight into the stored version, as a bug upstream might.
    async with runtime.db() as session, session.begin():
        await session.execute(
            text("UPDATE versions SET markdown = :m WHERE id = :i"),
            {"m": hostile, "i": uuid.UUID(version_id)},
        )
    url = (await client.ok(CREATE, {"v": version_id}))["createShareLink"]["url"]
    response = await _get(client, _path(url))
    assert response.status_code == 200
    page = response.text.lower()
    assert "kubernetes" in page and "&lt;" in page  # the text is there, inert
    tags = _Tags()
    tags.feed(response.text)
    assert tags.names <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "nav",
        "a",
        "article",
        "header",
        "main",
        "section",
        "div",
        "h1",
        "h2",
        "h3",
        "p",
        "ul",
        "li",
        "span",
        "hr",
    }, tags.names
    assert not [a for a in tags.attributes if a.startswith("on")]
    assert all(not h.startswith(("javascript:", "//", "http:")) for h in tags.hrefs)


async def test_only_the_owner_shares_and_deleted_versions_stop(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    stranger, _ = await sign_up(client)
    body = await client.run(CREATE, {"v": made.version_id}, token=stranger)
    assert error_codes(body) == ["NOT_FOUND"]
    url = (await client.ok(CREATE, {"v": made.version_id}))["createShareLink"]["url"]
    await client.ok("mutation($id: ID!) { deleteVersion(id: $id) }", {"id": made.version_id})
    assert (await _get(client, _path(url))).status_code == 404
