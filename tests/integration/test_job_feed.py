"""jobProgress on shared per-job feeds: subscriptions starting together share one query,
a stranger's start is NOT_FOUND, live events reach every follower without a query, and a
lost publish or a gap costs one shared read (not one per follower). Over WebSocket, live
events reach both protocols once and in order, and an API key's scope is still checked on
every live event, not only on the first."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from sqlalchemy import event

from app.db.models import TailoringJob
from app.db.models.enums import JobPhase, JobStatus
from app.errors import NotFound
from app.events.job_events import EventView, publish_all, record_event
from app.events.job_feed import job_feeds
from app.runtime import Runtime
from app.services.job_stream import follow_job_progress
from tests.integration.conftest import GraphQLClient, LiveServer
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def reads(runtime: Runtime) -> Iterator[list[str]]:
    """Every SELECT the in-process API runs while the test is on."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", note)
    yield seen
    event.remove(runtime.engine.sync_engine, "before_cursor_execute", note)


async def _queued_job(client: GraphQLClient, samples_dir: Path) -> uuid.UUID:
    """A job with its QUEUED event (seq 1); no worker runs it."""
    resume = (samples_dir / "resumes" / "jonah-brandt-backend.md").read_text()
    posting = (samples_dir / "jobs" / "infrastructure-engineer-keelson.txt").read_text()
    resume_id = (await client.ok(UPLOAD_RESUME, {"input": {"text": resume}}))["uploadResume"]["id"]
    jd_id = (await client.ok(CREATE_JD, {"input": {"text": posting}}))["createJobDescription"]["id"]
    data = await client.ok(TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    return uuid.UUID(data["tailor"]["job"]["id"])


async def _append(runtime: Runtime, job_id: uuid.UUID, *, publish: bool, end: bool = False) -> int:
    """The job's next event, written as a transition writes it; published unless told not
    to (a lost publish). `end`: the terminal CANCELLED event."""
    async with runtime.db() as session, session.begin():
        job = await session.get(TailoringJob, job_id, with_for_update=True)
        assert job is not None
        job.status = JobStatus.CANCELLED if end else JobStatus.RUNNING
        job.phase = JobPhase.ANALYZING
        row = record_event(session, job)
        await session.flush()
        view = EventView.from_row(row)
    if publish:
        await publish_all(runtime.redis, [view])
    return view.seq


class Streams:
    """Followers' seqs as they arrive, with a way to wait for a count."""

    def __init__(self, count: int) -> None:
        self.seqs: list[list[int]] = [[] for _ in range(count)]
        self.changed = asyncio.Condition()

    async def collect(
        self, runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID, i: int
    ) -> None:
        async for item in follow_job_progress(runtime, user_id, job_id, 0):
            async with self.changed:
                self.seqs[i].append(item.seq)
                self.changed.notify_all()

    async def until(self, count: int) -> None:
        async with asyncio.timeout(20), self.changed:
            await self.changed.wait_for(lambda: all(len(s) >= count for s in self.seqs))


def _event_reads(reads: list[str]) -> int:
    return sum("job_events" in r for r in reads)


async def test_starts_share_a_query_and_a_stranger_gets_not_found(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    reads: list[str],
) -> None:
    job_id = await _queued_job(client, samples_dir)
    before = _event_reads(reads)
    streams = Streams(30)
    user_id = uuid.UUID(user[1])
    tasks = [asyncio.create_task(streams.collect(runtime, user_id, job_id, i)) for i in range(30)]
    stranger = follow_job_progress(runtime, uuid.uuid4(), job_id, 0)
    with pytest.raises(NotFound):
        await anext(stranger)
    await streams.until(1)
    assert streams.seqs == [[1]] * 30  # every start replayed the QUEUED event
    assert _event_reads(reads) - before <= 2  # 31 starts, one shared query (two at worst)

    seq = await _append(runtime, job_id, publish=True)
    await streams.until(2)
    assert _event_reads(reads) - before <= 2  # the live event came from pub/sub: no query
    assert all(s == [1, seq] for s in streams.seqs)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert job_id not in job_feeds(runtime.db, runtime.hub).feeds  # the last one left


async def test_lost_publish_and_gap_cost_one_shared_read(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    reads: list[str],
) -> None:
    job_id = await _queued_job(client, samples_dir)
    job_feeds(runtime.db, runtime.hub).quiet_recheck_s = 0.2
    streams = Streams(3)
    user_id = uuid.UUID(user[1])
    tasks = [asyncio.create_task(streams.collect(runtime, user_id, job_id, i)) for i in range(3)]
    await streams.until(1)

    before = _event_reads(reads)
    lost = await _append(runtime, job_id, publish=False)  # committed, publish lost
    await streams.until(2)  # the recheck found the job behind: one read for all three
    assert _event_reads(reads) - before == 1
    assert all(s == [1, lost] for s in streams.seqs)

    before = _event_reads(reads)
    await _append(runtime, job_id, publish=False)
    last = await _append(runtime, job_id, publish=True, end=True)  # a gap: seq 3 missing
    await asyncio.wait_for(asyncio.gather(*tasks), 20)  # the terminal event ends each one
    assert all(s == list(range(1, last + 1)) for s in streams.seqs)
    assert _event_reads(reads) - before <= 2  # one shared read (a recheck may add one)


async def _subscribe(url: str, protocol: str, secret: str, query: str, job_id: str) -> Any:
    ws = await websockets.connect(url, subprotocols=[protocol])  # type: ignore[list-item]
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {secret}"}})
    )
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    kind = "subscribe" if protocol == "graphql-transport-ws" else "start"
    payload = {"query": query, "variables": {"id": job_id}}
    await ws.send(json.dumps({"id": "op", "type": kind, "payload": payload}))
    return ws


async def _messages(ws: Any) -> list[dict[str, Any]]:
    """Every message of the operation up to and including `complete`."""
    out: list[dict[str, Any]] = []
    async with asyncio.timeout(30):
        while not out or out[-1]["type"] != "complete":
            message = json.loads(await ws.recv())
            if message["type"] != "ka":  # graphql-ws keep-alives
                out.append(message)
    await ws.close()
    return out


PROGRESS = "subscription($id: ID!) { jobProgress(jobId: $id) { seq status job { id } } }"


async def _key(client: GraphQLClient, scope: str) -> str:
    created = await client.ok(
        'mutation($s: [ApiScope!]!) { createApiKey(name: "feed", scopes: $s) { secret } }',
        {"s": [scope]},
    )
    secret: str = created["createApiKey"]["secret"]
    return secret


async def _first(ws: Any) -> dict[str, Any]:
    """The operation's next message (graphql-ws keep-alives skipped)."""
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if message["type"] != "ka":
            return message


async def test_live_events_reach_both_protocols_and_api_keys_once_in_order(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    live_server: LiveServer,
) -> None:
    job_id = await _queued_job(client, samples_dir)
    key, wrong_key = await _key(client, "JOBS_READ"), await _key(client, "VERSIONS_READ")
    token, url, job = user[0], live_server.ws_url, str(job_id)
    sockets = [
        await _subscribe(url, "graphql-transport-ws", token, PROGRESS, job),
        await _subscribe(url, "graphql-transport-ws", token, PROGRESS, job),
        await _subscribe(url, "graphql-ws", token, PROGRESS, job),
        await _subscribe(url, "graphql-transport-ws", key, PROGRESS, job),
    ]
    for ws in sockets:  # every socket has its replayed QUEUED event: it is live
        first = await _first(ws)
        assert first["payload"]["data"]["jobProgress"]["seq"] == 1, first
    refused = await _subscribe(url, "graphql-transport-ws", wrong_key, PROGRESS, job)
    assert "FORBIDDEN" in json.dumps(await _first(refused))  # the field's scope, declared
    await refused.close()

    for _ in range(3):
        await _append(runtime, job_id, publish=True)
    last = await _append(runtime, job_id, publish=True, end=True)
    streams = await asyncio.gather(*(_messages(ws) for ws in sockets))
    for stream, kind in zip(streams, ("next", "next", "data", "next"), strict=True):
        assert [m["type"] for m in stream] == [kind] * (last - 1) + ["complete"]
        assert all(m["payload"].keys() == {"data"} for m in stream[:-1])
        events = [m["payload"]["data"]["jobProgress"] for m in stream[:-1]]
        assert [e["seq"] for e in events] == list(range(2, last + 1))
        assert events[-1]["status"] == "CANCELLED"
        assert all(e["job"]["id"] == job for e in events)


async def test_a_live_event_whose_selection_fails_carries_its_error_code(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    samples_dir: Path,
    live_server: LiveServer,
) -> None:
    job_id = await _queued_job(client, samples_dir)
    token, url, job = user[0], live_server.ws_url, str(job_id)
    sockets = [
        await _subscribe(url, "graphql-transport-ws", token, PROGRESS, job),
        await _subscribe(url, "graphql-ws", token, PROGRESS, job),
    ]
    for ws in sockets:
        assert (await _first(ws))["payload"]["data"]["jobProgress"]["seq"] == 1
    async with runtime.db() as session, session.begin():
        job_row = await session.get(TailoringJob, job_id)
        assert job_row is not None
        final = EventView(
            id=0,
            job_id=job,
            user_id=user[1],
            seq=2,
            status=JobStatus.CANCELLED,
            phase=JobPhase.QUEUED,
            progress=0,
            message=None,
            error_code=None,
            created_at="2026-01-01T00:00:00+00:00",
        )
        await session.delete(job_row)  # JobEvent.job now fails for this event
    await publish_all(runtime.redis, [final])
    for ws in sockets:
        message = await _first(ws)
        assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["NOT_FOUND"]
        assert message["payload"]["errors"][0]["extensions"]["requestId"]
        await ws.close()
