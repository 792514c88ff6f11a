"""Applications tracker over GraphQL: create from a version or a job, validated status
changes with history, Relay paging, scopes, and the live subscription over WebSocket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets

from app.runtime import Runtime
from tests.integration.apps_support import accepted_version, new_application
from tests.integration.conftest import GraphQLClient, LiveServer, error_codes, sign_up

SET_STATUS = """
mutation($id: ID!, $status: ApplicationStatus!, $note: String) {
  updateApplicationStatus(id: $id, status: $status, note: $note) {
    id status appliedAt history { kind actor fromStatus toStatus note createdAt }
  }
}
"""
LIST = """
query($first: Int, $after: String, $status: ApplicationStatus) {
  applications(first: $first, after: $after, status: $status) {
    totalCount edges { cursor node { id status company } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_create_from_version_ties_posting_version_and_form_data(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    app = await new_application(
        client,
        versionId=made.version_id,
        notes="ask about on-call",
        followUpAt="2030-01-15T09:00:00Z",
    )
    assert app["status"] == "PENDING" and app["appliedAt"] is None
    assert app["company"] == "Northwind Payments" and "Platform Engineer" in app["roleTitle"]
    assert app["postingUrl"] == "https://jobs.northwind.example/platform-42"
    assert app["version"]["id"] == made.version_id and app["job"]["id"] == made.job_id
    assert app["formData"]["email"] == "marta.kowalczyk@example.org"
    assert "Vistula Pay" in [w["employer"] for w in app["formData"]["workHistory"]]
    assert app["followUpAt"].startswith("2030-01-15")
    assert [(h["kind"], h["actor"], h["toStatus"]) for h in app["history"]] == [
        ("created", "user", "PENDING")
    ]
    # form_data.json next to the exports: the signed link serves the same data.
    async with httpx.AsyncClient(
        transport=client.http._transport, base_url="http://testserver"
    ) as raw:
        url = app["formDataDownload"]["url"].replace("http://testserver", "")
        downloaded = await raw.get(url)
    assert downloaded.status_code == 200
    assert json.loads(downloaded.content)["email"] == "marta.kowalczyk@example.org"


async def test_create_from_job_takes_its_newest_version(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime, resume="data", posting="analytics")
    app = await new_application(client, jobId=made.job_id, company="Greenfield")
    assert app["version"]["id"] == made.version_id and app["company"] == "Greenfield"
    assert app["postingUrl"] is None
    both = await client.run(
        "mutation($i: CreateApplicationInput!) { createApplication(input: $i) { id } }",
        {"i": {"jobId": made.job_id, "versionId": made.version_id}},
    )
    assert error_codes(both) == ["INVALID_INPUT"]


async def test_transitions_are_validated_and_recorded(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    app_id = (await new_application(client, versionId=made.version_id))["id"]
    skip = await client.run(SET_STATUS, {"id": app_id, "status": "OFFER"})
    assert error_codes(skip) == ["INVALID_TRANSITION"]
    assert skip["errors"][0]["extensions"]["allowed"] == ["APPLIED", "WITHDRAWN"]
    for status, note in (("APPLIED", "via careers page"), ("INTERVIEW", None), ("OFFER", "120k")):
        data = await client.ok(SET_STATUS, {"id": app_id, "status": status, "note": note})
    final = data["updateApplicationStatus"]
    assert final["status"] == "OFFER" and final["appliedAt"] is not None
    assert [(h["fromStatus"], h["toStatus"], h["note"]) for h in final["history"][1:]] == [
        ("PENDING", "APPLIED", "via careers page"),
        ("APPLIED", "INTERVIEW", None),
        ("INTERVIEW", "OFFER", "120k"),
    ]
    back = await client.run(SET_STATUS, {"id": app_id, "status": "APPLIED"})
    assert error_codes(back) == ["INVALID_TRANSITION"]
    await client.ok(SET_STATUS, {"id": app_id, "status": "WITHDRAWN"})
    final_state = await client.run(SET_STATUS, {"id": app_id, "status": "APPLIED"})
    assert error_codes(final_state) == ["INVALID_TRANSITION"]


async def test_relay_paging_and_status_filter(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    ids = [(await new_application(client, versionId=made.version_id))["id"] for _ in range(5)]
    await client.ok(SET_STATUS, {"id": ids[0], "status": "APPLIED"})
    first = (await client.ok(LIST, {"first": 2}))["applications"]
    assert first["totalCount"] == 5 and first["pageInfo"]["hasNextPage"]
    seen = [e["node"]["id"] for e in first["edges"]]
    cursor = first["pageInfo"]["endCursor"]
    while cursor:
        page = (await client.ok(LIST, {"first": 2, "after": cursor}))["applications"]
        seen += [e["node"]["id"] for e in page["edges"]]
        cursor = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    assert seen == list(reversed(ids))  # newest first, each once
    applied = (await client.ok(LIST, {"status": "APPLIED"}))["applications"]
    assert [e["node"]["id"] for e in applied["edges"]] == [ids[0]]
    assert error_codes(await client.run(LIST, {"first": 0})) == ["INVALID_INPUT"]


async def test_partner_scope_and_tenancy(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime
) -> None:
    made = await accepted_version(client, runtime)
    app_id = (await new_application(client, versionId=made.version_id))["id"]
    create_key = 'mutation($s: [ApiScope!]!) { createApiKey(name: "crm", scopes: $s) { secret } }'
    with_scope = (await client.ok(create_key, {"s": ["APPLICATIONS_READ"]}))["createApiKey"]
    without = (await client.ok(create_key, {"s": ["VERSIONS_READ"]}))["createApiKey"]
    one = "query($id: ID!) { application(id: $id) { id status history { kind } } }"
    partner = await client.ok(one, {"id": app_id}, token=with_scope["secret"])
    assert partner["application"]["id"] == app_id
    assert error_codes(await client.run(one, {"id": app_id}, token=without["secret"])) == [
        "FORBIDDEN"
    ]
    write = await client.run(
        SET_STATUS, {"id": app_id, "status": "APPLIED"}, token=with_scope["secret"]
    )
    assert error_codes(write) == ["FORBIDDEN"]
    stranger, _ = await sign_up(client)
    assert error_codes(await client.run(one, {"id": app_id}, token=stranger)) == ["NOT_FOUND"]
    listed = await client.ok(LIST, {}, token=stranger)
    assert listed["applications"]["edges"] == []


async def _next_change(ws: Any) -> dict[str, Any]:
    message = json.loads(await ws.recv())
    assert message["type"] == "next", message
    change: dict[str, Any] = message["payload"]["data"]["applicationChanges"]
    return change


async def test_subscription_streams_changes_over_websocket(
    client: GraphQLClient, user: tuple[str, str], runtime: Runtime, live_server: LiveServer
) -> None:
    token, _ = user
    made = await accepted_version(client, runtime)
    query = "subscription { applicationChanges { applicationId kind actor fromStatus toStatus } }"
    async with websockets.connect(
        live_server.ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "a", "type": "subscribe", "payload": {"query": query}}))
        await asyncio.sleep(0.5)  # let the server subscribe before the first change
        async with asyncio.timeout(30):
            app_id = (await new_application(client, versionId=made.version_id))["id"]
            created = await _next_change(ws)
            await client.ok(SET_STATUS, {"id": app_id, "status": "APPLIED"})
            applied = await _next_change(ws)
    assert (created["applicationId"], created["kind"]) == (app_id, "created")
    assert (applied["fromStatus"], applied["toStatus"], applied["actor"]) == (
        "PENDING",
        "APPLIED",
        "user",
    )


def test_readme_apply_flow_validates_against_the_schema(settings: Any) -> None:
    """The README's apply-flow example stays true to the schema (every operation)."""
    import re
    from pathlib import Path

    from graphql import parse, validate

    from graphql_schema.schema import build_schema

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Applying: track, auto-fill", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```graphql\n(.*?)```", section, flags=re.S)[0]
    pieces = re.split(r"\n(?=(?:mutation|query|subscription) )", block)
    operations = [p for p in pieces if re.match(r"(mutation|query|subscription) ", p)]
    assert len(operations) >= 8
    schema = build_schema(settings)._schema
    for operation in operations:
        document = re.sub(r"<[A-Za-z]+>", "00000000-0000-0000-0000-000000000000", operation)
        errors = validate(schema, parse(document))
        assert errors == [], (operation, errors)
