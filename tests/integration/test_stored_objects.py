"""Objects stored before their rows commit are deleted again when the rows do not commit
(app.services.stored_objects), on the real database, the filesystem store and S3 (moto).

The database refuses the rows at the COMMIT itself: a deferred constraint trigger, added
for one test, raises (or drops the connection) for a row carrying a marker value. Every
path that stores before its commit is driven through its real entry point: the GraphQL
mutations for uploads and applications, the worker's export task, the AI audit sink.
"""

from __future__ import annotations

import base64
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select, text
from structlog.testing import capture_logs

from app.ai.engine import AiCall
from app.ai.types import StructuredRequest, Usage
from app.db.models import Export, Resume, TailoringJob
from app.db.models.enums import ExportDocument
from app.db.unit_of_work import reading, transaction
from app.local_services import free_port
from app.main import create_app
from app.runtime import Runtime
from app.services.engines import usage_sink
from app.services.exports import run_export
from app.services.stored_objects import store_for_rows
from app.storage.protocol import StorageError
from app.storage.s3 import S3Store
from tests.conftest import Servers
from tests.integration.apps_support import CREATE_APPLICATION, RESUMES, accepted_version
from tests.integration.conftest import GraphQLClient, error_codes, make_settings, sign_up
from tests.integration.gql_ops import CREATE_JD, UPLOAD_RESUME
from tests.integration.services.conftest import add_inputs

REFUSE = """
CREATE OR REPLACE FUNCTION tailor_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_ARGV[0] = 'lost' THEN
    PERFORM pg_terminate_backend(pg_backend_pid());
    PERFORM pg_sleep(60);  -- the termination interrupts this at once
  END IF;
  RAISE EXCEPTION 'refused at commit' USING ERRCODE = TG_ARGV[0];
END $$
"""
# How the database refuses, and the code the GraphQL client gets for it either way.
REFUSALS = {
    "check_violation": "INTERNAL_ERROR",
    "lost": "SERVICE_UNAVAILABLE",  # the connection drops during the COMMIT
}


@asynccontextmanager
async def refused_at_commit(
    runtime: Runtime, table: str, column: str, marker: str, how: str = "check_violation"
) -> AsyncIterator[None]:
    """Until the block ends, a row of `table` whose `column` is `marker` fails its COMMIT."""
    name = f"tailor_test_refuse_{table}"
    async with runtime.engine.begin() as conn:
        await conn.execute(text(REFUSE))
        await conn.execute(
            text(
                f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR UPDATE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"WHEN (CAST(NEW.{column} AS text) = '{marker}') "
                f"EXECUTE FUNCTION tailor_test_refuse('{how}')"
            )
        )
    try:
        yield
    finally:
        async with runtime.engine.begin() as conn:
            await conn.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))


async def stored(runtime: Runtime, user_id: str | uuid.UUID, kind: str) -> list[str]:
    return await runtime.store.list_keys(f"users/{user_id}/{kind}/")


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    endpoint = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", endpoint.rsplit(":", 1)[1]],
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


@dataclass
class Stack:
    gql: GraphQLClient
    runtime: Runtime
    user_id: str


@pytest_asyncio.fixture(params=["filesystem", "s3"])
async def stack(
    request: pytest.FixtureRequest, servers: Servers, tmp_path: Path
) -> AsyncIterator[Stack]:
    """The app on either store, with a signed-in user."""
    overrides: dict[str, str] = {}
    if request.param == "s3":
        overrides = {
            "storage_backend": "s3",
            "s3_bucket": f"tailor-undo-{uuid.uuid4().hex[:10]}",
            "s3_endpoint_url": request.getfixturevalue("moto_endpoint"),
            "s3_access_key": "testing",
            "s3_secret_key": "testing",
        }
    application = create_app(make_settings(servers, tmp_path, **overrides))
    async with application.router.lifespan_context(application):
        runtime: Runtime = application.state.runtime
        if isinstance(runtime.store, S3Store):
            await runtime.store.ensure_bucket()
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            gql = GraphQLClient(http)
            gql.token, user_id = await sign_up(gql)
            yield Stack(gql, runtime, user_id)


def _resume(title: str) -> dict[str, object]:
    return {"input": {"text": RESUMES["backend"], "filename": "cv.md", "title": title}}


def _posting_file(title: str) -> dict[str, object]:
    data = b"Platform Engineer at Keelson\n\nRequirements:\n- Python\n- PostgreSQL\n"
    return {"input": {"contentBase64": base64.b64encode(data).decode(), "title": title}}


UPLOADS = {  # mutation, variables for a title, stored kind, table
    "resume": (UPLOAD_RESUME, _resume, "resumes", "resumes"),
    "job description": (CREATE_JD, _posting_file, "job-descriptions", "job_descriptions"),
}


@pytest.mark.parametrize("how", list(REFUSALS))
@pytest.mark.parametrize("upload", list(UPLOADS))
async def test_an_upload_whose_commit_fails_leaves_no_object(
    stack: Stack, upload: str, how: str
) -> None:
    mutation, variables, kind, table = UPLOADS[upload]
    async with refused_at_commit(stack.runtime, table, "title", "refused", how):
        body = await stack.gql.run(mutation, variables("refused"))
        assert error_codes(body) == [REFUSALS[how]]  # the refusal's own code, unchanged
        assert await stored(stack.runtime, stack.user_id, kind) == []
        kept = await stack.gql.ok(mutation, variables("Kept"))  # another row commits
    assert len(await stored(stack.runtime, stack.user_id, kind)) == 1
    assert kept  # and its object stays


async def test_an_application_whose_commit_fails_leaves_no_form_data(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    async with refused_at_commit(runtime, "applications", "notes", "refused"):
        body = await client.run(
            CREATE_APPLICATION, {"input": {"versionId": made.version_id, "notes": "refused"}}
        )
        assert error_codes(body) == ["INTERNAL_ERROR"]
        assert await stored(runtime, user[1], "applications") == []
        data = await client.ok(CREATE_APPLICATION, {"input": {"versionId": made.version_id}})
    [key] = await stored(runtime, user[1], "applications")
    assert data["createApplication"]["id"] in key


async def test_an_undo_that_fails_is_logged_and_the_client_sees_the_original_error(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The store is down when the file should go: the warning names the owner, never the
    file's content, and the client still gets the error that undid the upload."""

    async def unreachable(key: str) -> None:
        raise StorageError("the store is unreachable")

    monkeypatch.setattr(runtime.store, "delete", unreachable)
    with capture_logs() as logs:
        async with refused_at_commit(runtime, "resumes", "title", "refused"):
            body = await client.run(UPLOAD_RESUME, _resume("refused"))
    assert error_codes(body) == ["INTERNAL_ERROR"]
    warned = [e for e in logs if e["event"] == "stored_object_not_discarded"]
    assert warned == [
        {
            "event": "stored_object_not_discarded",
            "key_owner": user[1],
            "kind": "resumes",
            "error_type": "StorageError",
            "log_level": "warning",
        }
    ]
    first_line = RESUMES["backend"].strip().splitlines()[0]
    assert not any(first_line in str(entry) for entry in logs)


async def test_an_export_whose_ready_state_fails_to_commit_leaves_no_file(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime, export_formats=["MARKDOWN"])
    async with reading(runtime.db) as session:
        export_id = (
            await session.execute(
                select(Export.id).where(
                    Export.user_id == uuid.UUID(user[1]),
                    Export.document == ExportDocument.RESUME,
                )
            )
        ).scalar_one()
    async with refused_at_commit(runtime, "exports", "status", "READY"):
        with pytest.raises(Exception, match="refused at commit"):
            await run_export(runtime, export_id)
    assert await stored(runtime, user[1], "versions") == []
    assert (await run_export(runtime, export_id)).value == "READY"  # type: ignore[union-attr]
    [key] = await stored(runtime, user[1], "versions")
    assert made.version_id in key


async def test_an_audit_record_whose_usage_rows_fail_to_commit_is_deleted(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    async with reading(runtime.db) as session:
        job = await session.get(TailoringJob, uuid.UUID(made.job_id))
    assert job is not None
    sink = usage_sink(runtime, job, "Jonah Brandt")

    def call(operation: str) -> AiCall:
        schema = {"type": "object", "properties": {}}
        request = StructuredRequest(operation, "system", "user", schema, "plan")
        return AiCall(operation, [Usage("openai", "gpt-4o-mini")], request, {"ok": 1}, None)

    async with refused_at_commit(runtime, "api_usage", "operation", "refused"):
        with pytest.raises(Exception, match="refused at commit"):
            await sink(call("refused"))
        assert await stored(runtime, user[1], "audit") == []
        await sink(call("plan"))
    assert len(await stored(runtime, user[1], "audit")) == 1


async def test_an_object_a_committed_row_already_points_at_is_kept(
    runtime: Runtime, samples_dir: Path
) -> None:
    """Stored again under the same key (an export rendered twice) by a transaction that
    then fails: the committed row still needs the object."""
    owner = (await add_inputs(runtime, samples_dir)).user_id
    async with reading(runtime.db) as session:
        row = (await session.execute(select(Resume).where(Resume.user_id == owner))).scalar_one()
    key = str(row.storage_key)
    with pytest.raises(RuntimeError, match="later step"):
        async with transaction(runtime.db) as session:
            in_use = select(Resume.id).where(Resume.storage_key == key)
            await store_for_rows(session, runtime, key, b"again", "text/plain", in_use=in_use)
            raise RuntimeError("a later step of the use case failed")
    assert await runtime.store.get(key) == b"again"  # replaced, but not deleted
