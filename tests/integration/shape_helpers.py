"""Helpers of the API-shape tests: a resume and a posting from the project's samples."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from tests.integration.conftest import GraphQLClient
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

RESUME = "jonah-brandt-backend.md"
POSTING = "infrastructure-engineer-keelson.txt"


async def add_pair(
    client: GraphQLClient, samples: Path, resume: str = RESUME, job: str = POSTING
) -> tuple[str, str]:
    data = (samples / "resumes" / resume).read_bytes()
    up = await client.ok(
        UPLOAD_RESUME,
        {"input": {"contentBase64": base64.b64encode(data).decode(), "filename": resume}},
    )
    jd = await client.ok(CREATE_JD, {"input": {"text": (samples / "jobs" / job).read_text()}})
    return up["uploadResume"]["id"], jd["createJobDescription"]["id"]


async def tailor(client: GraphQLClient, resume_id: str, jd_id: str, **extra: Any) -> Any:
    body = await client.run(
        TAILOR, {"input": {"resumeId": resume_id, "jobDescriptionId": jd_id, **extra}}
    )
    return body


async def ws_collect(
    ws_url: str, token: str | None, query: str, variables: dict[str, Any], *, timeout_s: float = 60
) -> list[dict[str, Any]]:
    """Every `next` payload's data of one graphql-transport-ws subscription until the server
    completes it."""
    import asyncio
    import json

    import websockets

    payloads: list[dict[str, Any]] = []
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        subscribe = {"query": query, "variables": variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
        async with asyncio.timeout(timeout_s):
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "next":
                    assert not message["payload"].get("errors"), message
                    payloads.append(message["payload"]["data"])
                elif message["type"] == "complete":
                    return payloads
                else:
                    raise AssertionError(message)
