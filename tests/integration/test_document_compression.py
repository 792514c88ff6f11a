"""What a job costs Postgres: large JSON documents are stored lz4-compressed (migration
0008: the artifacts a job stores, the parsed inputs it reads; pglz cost about 0.7 ms of
Postgres CPU per job), and the job path's statements need no type lookups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from app.db.unit_of_work import reading
from app.events.job_feed import _read_starts
from app.runtime import Runtime
from app.services.pipeline import run_job
from tests.integration.services.conftest import add_inputs, request_job

# Values under TOAST_TUPLE_THRESHOLD (~2 KB) are stored inline, never compressed.
_STORED = text(
    "SELECT kind, pg_column_compression(content) AS method, octet_length(content::text) AS size"
    " FROM artifacts WHERE job_id = :job"
)
_COLUMN_METHODS = text(
    "SELECT c.relname || '.' || a.attname, a.attcompression::text FROM pg_attribute a"
    " JOIN pg_class c ON c.oid = a.attrelid"
    " WHERE (c.relname, a.attname) IN (('artifacts', 'content'), ('resumes', 'parsed'),"
    " ('job_descriptions', 'parsed'), ('versions', 'content'))"
)


async def test_the_test_server_supports_lz4(runtime: Runtime) -> None:
    # Otherwise 0008 is a no-op by design, and the tests below would say nothing.
    async with reading(runtime.db) as session:
        methods = await session.scalar(
            text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        )
    assert "lz4" in methods


async def test_document_columns_compress_with_lz4(runtime: Runtime) -> None:
    async with reading(runtime.db) as session:
        rows = await session.execute(_COLUMN_METHODS)
        methods = {str(column): str(method) for column, method in rows}
    assert methods == {
        "artifacts.content": "l",
        "resumes.parsed": "l",
        "job_descriptions.parsed": "l",
        "versions.content": "l",
    }


async def test_a_jobs_large_artifacts_and_parsed_resume_are_stored_lz4(
    runtime: Runtime, samples_dir: Path
) -> None:
    inputs = await add_inputs(runtime, samples_dir)
    job_id = await request_job(runtime, inputs)
    assert await run_job(runtime, job_id) is not None
    async with reading(runtime.db) as session:
        stored = (await session.execute(_STORED, {"job": job_id})).all()
        resume_method = await session.scalar(
            text("SELECT pg_column_compression(parsed) FROM resumes WHERE id = :id"),
            {"id": inputs.resume_id},
        )
    large = {row.kind: row.method for row in stored if row.size > 8192}
    assert large, "the local engine stores several artifacts over 8 KB"
    assert set(large.values()) == {"lz4"}
    assert resume_method == "lz4"


async def test_a_job_needs_no_type_lookups_on_fresh_connections(
    runtime: Runtime, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The job path's statements (request, worker, a follower's first read) take only types asyncpg knows without asking the server
    (text[] arrays, not varchar[] or int[]): each lookup is a heavy catalog query
    (~8 ms of Postgres planning), paid once per pooled connection and statement type."""
    looked_up: list[int] = []
    introspect = asyncpg.Connection._introspect_types

    async def counting(self: asyncpg.Connection, oids: Any, *rest: Any) -> Any:
        looked_up.extend(oids)
        return await introspect(self, oids, *rest)

    monkeypatch.setattr(asyncpg.Connection, "_introspect_types", counting)
    await runtime.engine.dispose()  # fresh connections: no type cached yet
    inputs = await add_inputs(runtime, samples_dir)
    job_id = await request_job(runtime, inputs)
    assert await run_job(runtime, job_id) is not None
    started = await _read_starts(runtime.db, {job_id: 0})  # a jobProgress's first read
    assert [e.seq for e in started[job_id].events] == list(range(1, 8))
    assert looked_up == []
