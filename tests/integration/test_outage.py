"""A database outage is transient: SERVICE_UNAVAILABLE with retryAfter, never UNAUTHENTICATED,
and WebSocket connections are not closed as if the credential were bad.

The database is stopped for real, so these tests run against a Postgres of their own: the
rest of the suite keeps its server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import websockets

from app.local_services import LocalPostgres, free_port, wait_for_port
from app.migrate import upgrade_head
from tests.conftest import Servers
from tests.integration.hardening_support import CREATE_JD, JOB_TEXT, RESUME_TEXT, UPLOAD

ME = "{ me { id email } }"
PROGRESS = "subscription($j: ID!) { jobProgress(jobId: $j, afterSeq: 0) { seq status } }"
TAILOR = "mutation($i: TailorInput!) { tailor(input: $i) { job { id } } }"


@pytest.fixture(scope="module")
def own_postgres(servers: Servers) -> Iterator[LocalPostgres]:
    postgres = LocalPostgres(servers.work_dir / "pg-outage", free_port(), fsync=False)
    postgres.start()
    try:
        postgres.create_database("outage")
        upgrade_head(postgres.database_url("outage"))
        yield postgres
    finally:
        postgres.stop()


@pytest.fixture(scope="module")
def outage_server(servers: Servers, own_postgres: LocalPostgres) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "TAILOR_ENV": "test",
        "TAILOR_DATABASE_URL": own_postgres.database_url("outage"),
        "TAILOR_REDIS_URL": servers.redis_url,
        "TAILOR_PORT": str(port),
        "TAILOR_STORAGE_ROOT": str(servers.work_dir / "outage-files"),
        "TAILOR_JWT_SECRET": "test-secret-" + "x" * 40,
        "TAILOR_STORAGE_SIGNING_SECRET": "test-signing-" + "y" * 40,
        "TAILOR_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen([sys.executable, "-m", "app.cli", "serve"], env=env)
    try:
        wait_for_port(port, timeout_s=120)  # slow to start on a loaded machine
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


async def _post(http: httpx.AsyncClient, query: str, token: str) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _credentials(http: httpx.AsyncClient) -> tuple[str, str]:
    """An access token and an API key of a fresh user."""
    email = f"outage-{uuid.uuid4().hex[:8]}@example.com"
    signed = await http.post(
        "/graphql",
        json={
            "query": 'mutation($e: String!) { signUp(email: $e, password: "outage pass 1") '
            "{ accessToken } }",
            "variables": {"e": email},
        },
    )
    token = signed.json()["data"]["signUp"]["accessToken"]
    created = await _post(
        http, 'mutation { createApiKey(name: "o", scopes: [PROFILE_READ]) { secret } }', token
    )
    return token, created["data"]["createApiKey"]["secret"]


async def _queued_job(http: httpx.AsyncClient, token: str) -> str:
    """A job (no worker runs here, so it stays queued) to subscribe to."""
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for document, text in ((UPLOAD, RESUME_TEXT), (CREATE_JD, JOB_TEXT)):
        response = await http.post(
            "/graphql",
            json={"query": document, "variables": {"i": {"text": text}}},
            headers=headers,
        )
        ids.append(next(iter(response.json()["data"].values()))["id"])
    response = await http.post(
        "/graphql",
        json={
            "query": TAILOR,
            "variables": {"i": {"resumeId": ids[0], "jobDescriptionId": ids[1]}},
        },
        headers=headers,
    )
    job_id: str = response.json()["data"]["tailor"]["job"]["id"]
    return job_id


def _assert_unavailable(body: dict[str, Any]) -> None:
    codes = [e["extensions"]["code"] for e in body["errors"]]
    assert codes == ["SERVICE_UNAVAILABLE"], body
    assert body["errors"][0]["extensions"]["retryAfter"] > 0


async def _ws_init(url: str, protocol: str, token: str) -> tuple[Any, dict[str, Any]]:
    ws = await websockets.connect(f"ws://{url}/graphql", subprotocols=[protocol])  # type: ignore[list-item]
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
    )
    reply: dict[str, Any] = json.loads(await ws.recv())
    return ws, reply


@pytest.mark.timeout(180)
async def test_database_outage_is_service_unavailable(
    outage_server: str, own_postgres: LocalPostgres
) -> None:
    async with httpx.AsyncClient(base_url=f"http://{outage_server}", timeout=60) as http:
        token, api_key = await _credentials(http)
        assert (await _post(http, ME, token))["data"]["me"]["email"].startswith("outage-")
        job_id = await _queued_job(http, token)
        own_postgres.stop()
        try:
            for credential in (token, api_key):
                _assert_unavailable(await _post(http, ME, credential))
            for protocol in ("graphql-transport-ws", "graphql-ws"):
                for credential in (token, api_key):
                    ws, reply = await _ws_init(outage_server, protocol, credential)
                    # Acknowledged: neither closed (4403) nor refused as a bad credential.
                    assert reply["type"] == "connection_ack", (protocol, reply)
                    await ws.close()
            ws, _ = await _ws_init(outage_server, "graphql-transport-ws", token)
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": ME}}))
            message = json.loads(await ws.recv())
            _assert_unavailable(message["payload"])
            # A subscription started during the outage ends with the transient code too.
            progress = {"query": PROGRESS, "variables": {"j": job_id}}
            await ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": progress}))
            message = json.loads(await ws.recv())
            while message.get("id") != "2":  # the query's `complete` may come first
                message = json.loads(await ws.recv())
            assert "payload" in message, message
            payload = message["payload"]
            _assert_unavailable(payload if isinstance(payload, dict) else {"errors": payload})
            await ws.close()
        finally:
            own_postgres.start()
        # Back to normal as soon as the database is: same credentials, no re-login.
        assert (await _post(http, ME, token))["data"]["me"]["email"].startswith("outage-")
        assert (await _post(http, ME, api_key))["data"]["me"]["email"].startswith("outage-")


def test_outage_classifier_follows_the_cause_chain() -> None:
    from sqlalchemy.exc import OperationalError

    from app.db.outage import is_outage

    refused = ConnectionRefusedError(111, "Connect call failed")
    wrapped = OperationalError("SELECT 1", {}, refused)
    assert is_outage(wrapped)
    try:
        try:
            raise refused
        except ConnectionRefusedError as exc:
            raise RuntimeError("while loading the user") from exc
    except RuntimeError as outer:
        assert is_outage(outer)
    assert not is_outage(ValueError("a real bug"))
