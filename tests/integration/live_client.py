"""A small client for the live server: GraphQL over HTTP and graphql-transport-ws."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import websockets

from tests.integration.gql_ops import CREATE_JD, JOB_PROGRESS, UPLOAD_RESUME


class LiveClient:
    def __init__(self, base_url: str, ws_url: str) -> None:
        self.base_url = base_url
        self.ws_url = ws_url
        self.http = httpx.AsyncClient(base_url=base_url, timeout=30)
        self.token: str | None = None

    async def aclose(self) -> None:
        await self.http.aclose()

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        body: dict[str, Any] = response.json()
        return body

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        body = await self.run(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def sign_up(self) -> str:
        data = await self.ok(
            'mutation($e: String!) { signUp(email: $e, password: "live password 1") '
            "{ accessToken user { id } } }",
            {"e": f"live-{uuid.uuid4().hex[:10]}@example.com"},
        )
        self.token = data["signUp"]["accessToken"]
        user_id: str = data["signUp"]["user"]["id"]
        return user_id

    async def add_pair(self, samples: Path, resume: str, job: str) -> tuple[str, str]:
        data = (samples / "resumes" / resume).read_bytes()
        up = await self.ok(
            UPLOAD_RESUME,
            {"input": {"contentBase64": base64.b64encode(data).decode(), "filename": resume}},
        )
        jd = await self.ok(CREATE_JD, {"input": {"text": (samples / "jobs" / job).read_text()}})
        return up["uploadResume"]["id"], jd["createJobDescription"]["id"]

    async def subscribe(
        self, job_id: str, after_seq: int = 0, *, timeout_s: float = 60
    ) -> list[dict[str, Any]]:
        """All events until the server completes the subscription."""
        events: list[dict[str, Any]] = []
        async with websockets.connect(self.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"Authorization": f"Bearer {self.token}"},
                    }
                )
            )
            assert json.loads(await ws.recv())["type"] == "connection_ack"
            await ws.send(
                json.dumps(
                    {
                        "id": "1",
                        "type": "subscribe",
                        "payload": {
                            "query": JOB_PROGRESS,
                            "variables": {"jobId": job_id, "afterSeq": after_seq},
                        },
                    }
                )
            )
            async with asyncio.timeout(timeout_s):
                while True:
                    message = json.loads(await ws.recv())
                    if message["type"] == "next":
                        assert not message["payload"].get("errors"), message
                        events.append(message["payload"]["data"]["jobProgress"])
                    elif message["type"] == "complete":
                        return events
                    elif message["type"] == "error":
                        raise AssertionError(message)


async def collect_my_jobs(
    client: LiveClient, until_status: str, started: asyncio.Event, timeout_s: float = 60
) -> list[dict[str, Any]]:
    """Events from the myJobs subscription until one with `until_status` arrives."""
    events: list[dict[str, Any]] = []
    query = "subscription { myJobs { jobId seq status phase } }"
    async with websockets.connect(client.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {client.token}"}}
            )
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "m", "type": "subscribe", "payload": {"query": query}}))
        await asyncio.sleep(0.3)  # let the server register the listener
        started.set()
        async with asyncio.timeout(timeout_s):
            while True:
                message = json.loads(await ws.recv())
                assert message["type"] == "next", message
                event = message["payload"]["data"]["myJobs"]
                events.append(event)
                if event["status"] == until_status:
                    return events
