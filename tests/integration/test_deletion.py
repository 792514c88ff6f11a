"""Deletion cascades as people expect, and deleteAccount leaves nothing of the user in
Postgres or the object store (S3 through a moto server)."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text

from app.db.base import Base
from app.local_services import free_port
from app.main import create_app
from app.runtime import Runtime
from app.services.exports import run_export
from app.storage.s3 import S3Store
from tests.conftest import Servers
from tests.integration.apps_support import Accepted, accepted_version, new_application
from tests.integration.conftest import GraphQLClient, error_codes, make_settings

LINKS = """query($id: ID!) { version(id: $id) { downloadLinks { exportId status url } } }"""
SHARE = "mutation($v: ID!) { createShareLink(versionId: $v) { url } }"
SIGN_UP = """mutation($e: String!) { signUp(email: $e, password: "correct horse battery",
  displayName: "Zofia Nowak") { accessToken refreshToken user { id } } }"""
REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }"


async def _exports_ready(client: GraphQLClient, runtime: Runtime, version_id: str) -> list[str]:
    links = (await client.ok(LINKS, {"id": version_id}))["version"]["downloadLinks"]
    for link in links:
        await run_export(runtime, uuid.UUID(link["exportId"]))  # the worker's code path
    links = (await client.ok(LINKS, {"id": version_id}))["version"]["downloadLinks"]
    assert links and all(link["status"] == "READY" for link in links)
    return [link["url"] for link in links]


async def test_deleting_a_resume_takes_versions_files_and_links(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime, export_formats=["PDF"])
    urls = await _exports_ready(client, runtime, made.version_id)
    assert (
        await client.http.get(urlparse(urls[0]).path + "?" + urlparse(urls[0]).query)
    ).status_code == 200
    share = (await client.ok(SHARE, {"v": made.version_id}))["createShareLink"]["url"]
    app = await new_application(client, versionId=made.version_id)

    await client.ok("mutation($id: ID!) { deleteResume(id: $id) { id } }", {"id": made.resume_id})

    listed = await client.ok(
        "{ versions { edges { node { id } } } jobs { edges { node { id } } } }"
    )
    assert listed["versions"]["edges"] == [] and listed["jobs"]["edges"] == []
    one = await client.run("query($id: ID!) { version(id: $id) { id } }", {"id": made.version_id})
    assert error_codes(one) == ["NOT_FOUND"]
    for url in urls:
        parsed = urlparse(url)
        assert (await client.http.get(parsed.path + "?" + parsed.query)).status_code == 404
    assert (await client.http.get(urlparse(share).path)).status_code == 404
    share_again = await client.run(SHARE, {"v": made.version_id})
    assert error_codes(share_again) == ["NOT_FOUND"]
    # The application stays (the person did apply) but no longer points at the version.
    kept = await client.ok(
        "query($id: ID!) { application(id: $id) { id version { id } } }", {"id": app["id"]}
    )
    assert kept["application"]["version"] is None
    assert await runtime.store.list_keys(f"users/{user[1]}/resumes/") == []


async def test_deleting_a_job_description_version_and_application(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    first = await accepted_version(client, runtime)
    second = await accepted_version(client, runtime, resume="data", posting="analytics")
    app = await new_application(client, versionId=second.version_id)

    await client.ok("mutation($id: ID!) { deleteJobDescription(id: $id) }", {"id": first.jd_id})
    jds = await client.ok("{ jobDescriptions { edges { node { id } } } }")
    assert [e["node"]["id"] for e in jds["jobDescriptions"]["edges"]] == [second.jd_id]
    gone = await client.run("query($id: ID!) { job(id: $id) { id } }", {"id": first.job_id})
    assert error_codes(gone) == ["NOT_FOUND"]

    await client.ok("mutation($id: ID!) { deleteVersion(id: $id) }", {"id": second.version_id})
    versions = await client.ok("{ versions { edges { node { id } } } }")
    assert versions["versions"]["edges"] == []

    await client.ok("mutation($id: ID!) { deleteApplication(id: $id) }", {"id": app["id"]})
    missing = await client.run("query($id: ID!) { application(id: $id) { id } }", {"id": app["id"]})
    assert error_codes(missing) == ["NOT_FOUND"]
    async with runtime.db() as session:
        left = await session.execute(
            text("SELECT count(*) FROM application_events WHERE application_id = :i"),
            {"i": uuid.UUID(app["id"])},
        )
    assert left.scalar_one() == 0
    again = await client.run(
        "mutation($id: ID!) { deleteVersion(id: $id) }", {"id": second.version_id}
    )
    assert error_codes(again) == ["NOT_FOUND"]


# --- deleteAccount on S3 -------------------------------------------------------------


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # wait on the condition: moto answering
            try:
                if httpx.get(endpoint + "/", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest_asyncio.fixture
async def s3_app(
    servers: Servers, tmp_path: Path, moto_endpoint: str
) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    settings = make_settings(
        servers,
        tmp_path,
        storage_backend="s3",
        s3_bucket=f"tailor-del-{uuid.uuid4().hex[:10]}",
        s3_endpoint_url=moto_endpoint,
        s3_access_key="testing",
        s3_secret_key="testing",
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        runtime: Runtime = application.state.runtime
        assert isinstance(runtime.store, S3Store)
        await runtime.store.ensure_bucket()
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield GraphQLClient(http), runtime


async def _full_user(gql: GraphQLClient, runtime: Runtime) -> tuple[str, str, str, str, Accepted]:
    email = f"zofia-{uuid.uuid4().hex[:8]}@example.org"
    data = await gql.ok(SIGN_UP, {"e": email})
    gql.token = data["signUp"]["accessToken"]
    made = await accepted_version(gql, runtime, export_formats=["PDF", "MARKDOWN"])
    await _exports_ready(gql, runtime, made.version_id)
    app = await new_application(gql, versionId=made.version_id, notes="Zofia's notes")
    await gql.ok(
        "mutation($a: ID!) { trackEvent(applicationId: $a, kind: APPLICATION_STARTED) { id } }",
        {"a": app["id"]},
    )
    await gql.ok(SHARE, {"v": made.version_id})
    refresh = data["signUp"]["refreshToken"]
    return email, data["signUp"]["user"]["id"], str(gql.token), refresh, made


async def _rows_mentioning(runtime: Runtime, needles: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    async with runtime.db() as session:
        for table in Base.metadata.sorted_tables:
            for needle in needles:
                count = (
                    await session.execute(
                        text(f'SELECT count(*) FROM "{table.name}" t WHERE t::text ILIKE :n'),
                        {"n": f"%{needle}%"},
                    )
                ).scalar_one()
                if count:
                    found[f"{table.name}:{needle}"] = int(count)
    return found


async def test_delete_account_leaves_nothing_in_postgres_or_s3(
    s3_app: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = s3_app
    email, user_id, token, refresh, _ = await _full_user(gql, runtime)
    key = await gql.ok(
        'mutation { createApiKey(name: "crm", scopes: [APPLICATIONS_READ]) { secret } }'
    )
    secret = key["createApiKey"]["secret"]
    other = GraphQLClient(gql.http)
    other_email, other_id, _, _, _ = await _full_user(other, runtime)
    assert len(await runtime.store.list_keys(f"users/{user_id}/")) >= 4
    assert await _rows_mentioning(runtime, [user_id, email])

    wrong = await gql.run('mutation { deleteAccount(password: "not my password") }')
    assert error_codes(wrong) == ["UNAUTHENTICATED"]
    assert (await gql.ok("{ me { id } }"))["me"]["id"] == user_id

    assert (await gql.ok('mutation { deleteAccount(password: "correct horse battery") }')) == {
        "deleteAccount": True
    }
    assert await runtime.store.list_keys(f"users/{user_id}/") == []
    assert await _rows_mentioning(runtime, [user_id, email]) == {}
    for credential in (token, secret):
        body = await gql.run("{ me { id } }", token=credential)
        assert error_codes(body) == ["UNAUTHENTICATED"]
    assert error_codes(await gql.run(REFRESH, {"r": refresh}, token="")) == ["UNAUTHENTICATED"]
    # The other user is untouched.
    assert await runtime.store.list_keys(f"users/{other_id}/")
    assert (await other.ok("{ me { email } }"))["me"]["email"] == other_email
    mine: dict[str, Any] = await other.ok("{ applications { totalCount } versions { totalCount } }")
    assert mine["applications"]["totalCount"] == 1 and mine["versions"]["totalCount"] == 1
