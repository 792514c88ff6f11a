"""WebSocket connections authenticate through the connection_init payload."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import websockets

from tests.integration.conftest import LiveServer


async def _token(live: LiveServer, email: str) -> str:
    async with httpx.AsyncClient(base_url=live.base_url) as http:
        response = await http.post(
            "/graphql",
            json={
                "query": 'mutation($e: String!) { signUp(email: $e, password: "ws password 1") '
                "{ accessToken } }",
                "variables": {"e": email},
            },
        )
    token: str = response.json()["data"]["signUp"]["accessToken"]
    return token


async def _init(ws: Any, payload: dict[str, Any] | None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "connection_init"}
    if payload is not None:
        message["payload"] = payload
    await ws.send(json.dumps(message))
    reply: dict[str, Any] = json.loads(await ws.recv())
    return reply


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
async def test_valid_token_is_accepted(live_server: LiveServer, protocol: str) -> None:
    token = await _token(live_server, f"ws-ok-{protocol}@example.com")
    async with websockets.connect(live_server.ws_url, subprotocols=[protocol]) as ws:  # type: ignore[list-item]
        ack = await _init(ws, {"Authorization": f"Bearer {token}"})
        assert ack["type"] == "connection_ack"
        if protocol == "graphql-transport-ws":  # legacy graphql-ws carries subscriptions only
            query = {"query": "{ me { email } }"}
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
            data = json.loads(await ws.recv())
            assert data["payload"]["data"]["me"]["email"] == f"ws-ok-{protocol}@example.com"


async def test_missing_token_is_rejected(live_server: LiveServer) -> None:
    async with websockets.connect(live_server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_forged_token_is_rejected(live_server: LiveServer) -> None:
    async with websockets.connect(live_server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": "Bearer x.y.z"}})
        )
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_legacy_protocol_rejects_missing_token(live_server: LiveServer) -> None:
    async with websockets.connect(live_server.ws_url, subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        reply = json.loads(await ws.recv())
        assert reply["type"] == "connection_error"
        with pytest.raises(websockets.ConnectionClosed):
            await ws.recv()
