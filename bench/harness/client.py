"""GraphQL over HTTP and graphql-transport-ws for the benches, with receive timestamps.

The client shares the machine with the stack it measures, so it is kept cheap: aiohttp for
HTTP (httpx's connection pool scans every connection per request, quadratic in a burst of
hundreds of concurrent requests: ~6 ms of client CPU per job), websockets without proxy
discovery (it reads the environment on every connect)."""

from __future__ import annotations

import base64
import json
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import websockets

SIGN_UP = (
    'mutation($e: String!) { signUp(email: $e, password: "bench password 1") { accessToken } }'
)
UPLOAD = "mutation($i: UploadResumeInput!) { uploadResume(input: $i) { id } }"
CREATE_JD = "mutation($i: CreateJobDescriptionInput!) { createJobDescription(input: $i) { id } }"
TAILOR = "mutation($i: TailorInput!) { tailor(input: $i) { job { id } } }"
PROGRESS = (
    "subscription($id: ID!) { jobProgress(jobId: $id, afterSeq: 0) { seq status createdAt } }"
)

Received = list[tuple[dict[str, Any], float]]  # (event, time.time() at receipt)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def http_client(base_url: str) -> aiohttp.ClientSession:
    """A keep-alive HTTP client for one API (use as `async with`)."""
    # A burst opens as many connections as it needs; idle ones are dropped before uvicorn's
    # 5 s keep-alive timeout closes them under a request (ServerDisconnectedError).
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=2.0)
    return aiohttp.ClientSession(
        base_url, connector=connector, timeout=aiohttp.ClientTimeout(total=120)
    )


async def gql(http: aiohttp.ClientSession, token: str | None, query: str, variables: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    ) as response:
        body = await response.json(content_type=None)
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def sign_up(http: aiohttp.ClientSession) -> str:
    data = await gql(http, None, SIGN_UP, {"e": f"b{uuid.uuid4().hex[:10]}@example.com"})
    token: str = data["signUp"]["accessToken"]
    return token


async def inputs(
    http: aiohttp.ClientSession, token: str, samples: Path, jobs: int
) -> tuple[str, list[str]]:
    """One resume and `jobs` job descriptions (one active job per pair is allowed)."""
    resume = (samples / "resumes" / "jonah-brandt-backend.md").read_bytes()
    content = {"contentBase64": base64.b64encode(resume).decode(), "filename": "r.md"}
    resume_id = (await gql(http, token, UPLOAD, {"i": content}))["uploadResume"]["id"]
    text = (samples / "jobs" / "infrastructure-engineer-keelson.txt").read_text()
    jd_ids = [
        (await gql(http, token, CREATE_JD, {"i": {"text": text}}))["createJobDescription"]["id"]
        for _ in range(jobs)
    ]
    return resume_id, jd_ids


async def tailor(http: aiohttp.ClientSession, token: str, resume_id: str, jd_id: str) -> str:
    data = await gql(http, token, TAILOR, {"i": {"resumeId": resume_id, "jobDescriptionId": jd_id}})
    job_id: str = data["tailor"]["job"]["id"]
    return job_id


async def follow(ws_url: str, token: str, job_id: str) -> Received:
    """Every event of the job with its local receive time, until the server completes."""
    received: Received = []
    protocols = [websockets.Subprotocol("graphql-transport-ws")]
    async with websockets.connect(ws_url, subprotocols=protocols, max_queue=None, proxy=None) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        await ws.recv()
        payload = {"query": PROGRESS, "variables": {"id": job_id}}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "next":
                if message["payload"].get("errors"):
                    raise RuntimeError(message["payload"]["errors"])
                received.append((message["payload"]["data"]["jobProgress"], time.time()))
            elif message["type"] == "complete":
                return received
            else:
                raise RuntimeError(message)
