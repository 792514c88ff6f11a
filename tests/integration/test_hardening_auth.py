"""Credentials: a deleted account's API keys die with it; password hashing stays off the
event loop, in a bounded pool."""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from typing import Any, Literal

import httpx
import pytest
import websockets
from argon2 import PasswordHasher
from sqlalchemy import text

from app.auth import passwords
from app.runtime import Runtime
from tests.integration.conftest import GraphQLClient, LiveServer, error_codes, sign_up

CREATE_KEY = 'mutation { createApiKey(name: "partner", scopes: [PROFILE_READ]) { secret } }'
SIGN_IN = (
    """mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }"""
)


async def _soft_delete(runtime: Runtime, user_id: str) -> None:
    async with runtime.db() as session, session.begin():
        await session.execute(
            text("UPDATE users SET deleted_at = now() WHERE id = :id"), {"id": uuid.UUID(user_id)}
        )


async def _ws_init(ws_url: str, secret: str) -> Any:
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps(
                {"type": "connection_init", "payload": {"Authorization": f"Bearer {secret}"}}
            )
        )
        try:
            return json.loads(await ws.recv())
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None


async def test_soft_deleted_users_api_keys_stop_working(
    client: GraphQLClient, runtime: Runtime, live_server: LiveServer
) -> None:
    token, user_id = await sign_up(client)
    secret = (await client.ok(CREATE_KEY, token=token))["createApiKey"]["secret"]
    assert (await client.ok("{ me { id } }", token=secret))["me"]["id"] == user_id
    assert (await _ws_init(live_server.ws_url, secret))["type"] == "connection_ack"

    await _soft_delete(runtime, user_id)

    body = await client.run("{ me { id } }", token=secret)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await _ws_init(live_server.ws_url, secret) == 4403
    async with httpx.AsyncClient(base_url=live_server.base_url) as http:
        response = await http.post(
            "/graphql",
            json={"query": "{ me { id } }"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


class RecordingHasher(PasswordHasher):
    """Real argon2, noting which thread ran each verification and how many overlapped."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        with self._lock:
            self.threads.add(threading.get_ident())
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            return super().verify(hash, password)
        finally:
            with self._lock:
                self.running -= 1


async def test_password_checks_run_in_a_bounded_pool_off_the_loop(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = f"pool-{uuid.uuid4().hex[:8]}@example.com"
    await sign_up(client, email)
    recorder = RecordingHasher()
    monkeypatch.setattr(passwords, "_hasher", recorder)
    attempts = [
        client.run(SIGN_IN, {"e": email, "p": "correct horse battery" if i % 2 else "wrong!!!!"})
        for i in range(8)
    ]
    bodies = await asyncio.gather(*attempts)
    assert sum(1 for b in bodies if not b.get("errors")) == 4
    assert threading.get_ident() not in recorder.threads
    assert recorder.threads, "no password was verified"
    assert recorder.most_at_once <= passwords.HASHING_THREADS
