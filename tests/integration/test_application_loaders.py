"""Application.version / history / emails / job load through per-operation DataLoaders:
a page of applications costs the same number of SQL statements whatever its size."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from app.runtime import Runtime
from tests.integration.apps_support import accepted_version, new_application
from tests.integration.conftest import GraphQLClient

PAGE = """{ applications(first: 20) { edges { node {
  id version { id } job { id } history { kind toStatus } emails { id }
} } } }"""


async def _statements_for_page(client: GraphQLClient, runtime: Runtime) -> tuple[int, Any]:
    executed: list[str] = []

    def count(*args: Any) -> None:
        executed.append(str(args[2]))

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    try:
        data = await client.ok(PAGE)
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
    return len(executed), data["applications"]["edges"]


async def test_a_page_of_applications_costs_the_same_queries_for_one_or_five(
    client: GraphQLClient, runtime: Runtime, user: tuple[str, str]
) -> None:
    accepted = await accepted_version(client, runtime)
    await new_application(client, versionId=accepted.version_id)
    one, edges = await _statements_for_page(client, runtime)
    assert [e["node"]["version"]["id"] for e in edges] == [accepted.version_id]
    assert edges[0]["node"]["history"] == [{"kind": "created", "toStatus": "PENDING"}]
    for _ in range(4):
        await new_application(client, versionId=accepted.version_id)
    five, edges = await _statements_for_page(client, runtime)
    assert len(edges) == 5
    assert {e["node"]["job"]["id"] for e in edges} == {accepted.job_id}
    assert all(e["node"]["emails"] == [] for e in edges)
    assert five == one  # batched per field, not one query per application
