"""Fragment fan-out (each fragment spreads the next one twice) is refused at every entry point.

Before the fix, k=20 froze the whole API for 18 s and k=25 for more than 10 minutes. The
tests use k=30: if any entry point walked the expansion, the pytest timeout would end it.
No timing is asserted; the refusal and a working API afterwards are.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets

from tests.integration.conftest import GraphQLClient, LiveServer, error_codes

pytestmark = pytest.mark.timeout(60)


def fan_out_document(levels: int = 30, root: str = "Query") -> str:
    operation = root.lower()
    fragments = " ".join(
        f"fragment F{i} on {root} {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    return f"{operation} {{ ...F0 }} {fragments} fragment F{levels} on {root} {{ __typename }}"


def wide_spread_document(spreads: int = 500) -> str:
    """Many spreads of one small fragment: linear, but past the per-document spread cap."""
    return "query { " + "...A " * spreads + "} fragment A on Query { __typename }"


FAN_OUT = fan_out_document()
# Over WebSocket as a subscription: graphql-ws refuses queries before validating them.
FAN_OUT_SUBSCRIPTION = fan_out_document(root="Subscription")


def assert_too_complex(body: dict[str, Any]) -> None:
    assert body.get("data") is None, body
    assert error_codes(body) == ["QUERY_TOO_COMPLEX"], body


async def test_post_refuses_fan_out(client: GraphQLClient) -> None:
    assert_too_complex(await client.run(FAN_OUT))
    assert_too_complex(await client.run(wide_spread_document()))
    # The API is still answering.
    assert (await client.ok("{ __typename }")) == {"__typename": "Query"}


async def test_get_refuses_fan_out(client: GraphQLClient) -> None:
    response = await client.http.get("/graphql", params={"query": FAN_OUT})
    assert_too_complex(response.json())


async def test_multipart_refuses_fan_out(client: GraphQLClient) -> None:
    response = await client.http.post(
        "/graphql",
        data={"operations": json.dumps({"query": FAN_OUT, "variables": {}}), "map": "{}"},
        files={"unused": ("x.txt", b"x", "text/plain")},
        headers={"Apollo-Require-Preflight": "true"},
    )
    assert_too_complex(response.json())


async def _signed_up_token(live_server: LiveServer) -> str:
    async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as http:
        response = await http.post(
            "/graphql",
            json={
                "query": "mutation($e: String!) { signUp(email: $e, password: "
                '"fan out password 1") { accessToken } }',
                "variables": {"e": f"fanout-{id(http)}@example.com"},
            },
        )
        token: str = response.json()["data"]["signUp"]["accessToken"]
        return token


async def test_graphql_transport_ws_refuses_fan_out(live_server: LiveServer) -> None:
    token = await _signed_up_token(live_server)
    async with websockets.connect(
        live_server.ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": FAN_OUT_SUBSCRIPTION}})
        )
        message = json.loads(await asyncio.wait_for(ws.recv(), 30))
        # Errors before execution come as an `error` message (a list of errors).
        assert message["type"] == "error" and message["id"] == "1", message
        assert [e["extensions"]["code"] for e in message["payload"]] == ["QUERY_TOO_COMPLEX"]


async def test_graphql_ws_refuses_fan_out(live_server: LiveServer) -> None:
    token = await _signed_up_token(live_server)
    async with websockets.connect(
        live_server.ws_url,
        subprotocols=["graphql-ws"],  # type: ignore[list-item]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await ws.recv())
        assert ack["type"] == "connection_ack", ack
        await ws.send(
            json.dumps({"id": "1", "type": "start", "payload": {"query": FAN_OUT_SUBSCRIPTION}})
        )
        message = await _next_non_keepalive(ws)
        assert message["type"] in ("error", "data"), message
        errors = (
            message["payload"].get("errors", [message["payload"]])
            if isinstance(message["payload"], dict)
            else message["payload"]
        )
        assert [e["extensions"]["code"] for e in errors] == ["QUERY_TOO_COMPLEX"], message


async def _next_non_keepalive(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if message["type"] != "ka":
            return message
