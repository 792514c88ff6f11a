"""versionUpdates' and applicationChanges' shared recheck (app.events.key_watch): many idle
subscribers cost ONE query per recheck interval per API process, not one each, and a
change whose Redis ring was lost still reaches every subscriber through that recheck."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, update

from app.db.models import ApplicationEvent, Export
from app.db.models.enums import ExportStatus
from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services import applications as application_service
from app.services.application_stream import application_watch, follow_applications
from app.services.version_events import follow_exports, version_watch
from tests.integration.apps_support import accepted_version, new_application
from tests.integration.conftest import GraphQLClient

IDLE_SUBSCRIBERS = 25
ROUNDS = 3


# Set on every statement and every item a stream yields: conditions are re-checked then.
PROGRESS = asyncio.Event()


@pytest.fixture
def statements(runtime: Runtime) -> Iterator[list[str]]:
    """Every statement the in-process API sends to Postgres while the test is on."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)
        PROGRESS.set()

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", note)
    yield seen
    event.remove(runtime.engine.sync_engine, "before_cursor_execute", note)


async def _until(condition: Callable[[], bool], timeout_s: float = 20) -> None:
    async with asyncio.timeout(timeout_s):
        while not condition():
            PROGRESS.clear()
            await PROGRESS.wait()


def _count(statements: list[str], *parts: str) -> int:
    return sum(all(p in s for p in parts) for s in statements)


async def _drain(stream: AsyncIterator[Any], into: list[Any]) -> None:
    async for item in stream:
        into.append(item)
        PROGRESS.set()


async def test_idle_application_subscribers_cost_one_recheck_per_interval(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    statements: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runtime.settings, "application_recheck_s", 0.1)
    made = await accepted_version(client, runtime)
    owner = uuid.UUID(user[1])
    users = [owner] * 5 + [uuid.uuid4() for _ in range(IDLE_SUBSCRIBERS - 5)]
    got: list[list[ApplicationEvent]] = [[] for _ in users]
    tasks = [
        asyncio.create_task(_drain(follow_applications(runtime, u), got[i]))
        for i, u in enumerate(users)
    ]
    recheck = ("application_events", "GROUP BY")
    # Each start: its marker read (grouped, as the recheck) and a first read of new events.
    await _until(lambda: _count(statements, "application_events") >= 2 * len(users))
    await _until(lambda: _count(statements, *recheck) > len(users) + 1)  # rechecks running
    idle_from = len(statements)
    rechecks_before = _count(statements, *recheck)
    await _until(lambda: _count(statements, *recheck) >= rechecks_before + ROUNDS)
    idle = statements[idle_from:]
    # Only the shared rechecks ran: one statement per round for all the subscribers.
    assert len(idle) == _count(idle, *recheck) >= ROUNDS
    assert sum(len(w.bells[k]) for w in [application_watch(runtime)] for k in w.bells) == len(users)

    async def lost(_runtime: Runtime, _event: ApplicationEvent) -> None:
        return None  # the change commits, its ring never goes out

    monkeypatch.setattr(application_service, "publish_change", lost)
    app_id = (await new_application(client, versionId=made.version_id))["id"]
    await _until(lambda: all(len(g) == 1 for g in got[:5]))  # found by the recheck
    assert {str(g[0].application_id) for g in got[:5]} == {app_id}
    assert all(g == [] for g in got[5:])  # other users see nothing of it
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert application_watch(runtime).bells == {}  # the last one left: nothing followed


async def test_idle_version_subscribers_share_the_recheck_and_catch_a_lost_ring(
    client: GraphQLClient,
    user: tuple[str, str],
    runtime: Runtime,
    statements: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runtime.settings, "version_recheck_s", 0.1)
    made = await accepted_version(client, runtime, export_formats=["MARKDOWN", "TEXT"])
    version_id = uuid.UUID(made.version_id)
    got: list[list[list[Export]]] = [[] for _ in range(IDLE_SUBSCRIBERS)]
    tasks = [asyncio.create_task(_drain(follow_exports(runtime, version_id), g)) for g in got]
    await _until(lambda: all(len(g) == 1 for g in got))  # each one's first read
    assert got[0][0] and all(e.status is ExportStatus.PENDING for e in got[0][0])
    idle_from = len(statements)
    await _until(lambda: _count(statements[idle_from:], "FROM exports") >= ROUNDS)
    idle = statements[idle_from:]
    assert len(idle) == _count(idle, "FROM exports")  # nothing but the shared rechecks
    assert len(idle) < IDLE_SUBSCRIBERS  # not one query per subscriber

    async with transaction(runtime.db) as session:  # READY without a ring: a lost publish
        await session.execute(
            update(Export).where(Export.version_id == version_id).values(status=ExportStatus.READY)
        )
    await asyncio.wait_for(asyncio.gather(*tasks), 20)  # the recheck woke them; all ended
    assert all([e.status for e in g[-1]] == [ExportStatus.READY] * len(g[-1]) for g in got)
    assert version_watch(runtime).bells == {}
