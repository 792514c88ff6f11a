"""Refresh tokens rotate, a reused one revokes its session, signOut revokes at once, and
WebSocket auth failures say why (both protocols)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services.sessions import revoke_all_sessions
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, LiveServer, error_codes
from tests.integration.edge_support import live_api

SIGN_UP = """
mutation($email: String!) {
  signUp(email: $email, password: "rotation password 1") {
    accessToken refreshToken expiresIn refreshExpiresIn user { id }
  }
}
"""
SIGN_IN = """
mutation($email: String!) {
  signIn(email: $email, password: "rotation password 1") { accessToken refreshToken }
}
"""
REFRESH = """
mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id } } }
"""
SIGN_OUT = """
mutation($t: String, $all: Boolean! = false) {
  signOut(refreshToken: $t, allSessions: $all) { revokedSessions }
}
"""
ME = "{ me { id } }"


async def new_account(client: GraphQLClient) -> tuple[str, dict[str, Any]]:
    email = f"rot-{uuid.uuid4().hex[:10]}@example.com"
    data = await client.ok(SIGN_UP, {"email": email})
    return email, data["signUp"]


async def me_codes(client: GraphQLClient, access: str) -> list[str]:
    return error_codes(await client.run(ME, token=access))


async def test_sign_up_returns_both_tokens_with_lifetimes(client: GraphQLClient) -> None:
    _, auth = await new_account(client)
    assert auth["refreshToken"].startswith("rt_") and auth["accessToken"]
    assert auth["expiresIn"] == 900 and auth["refreshExpiresIn"] == 30 * 24 * 3600
    assert await me_codes(client, auth["accessToken"]) == []


async def test_refresh_rotates_and_reuse_revokes_the_session(client: GraphQLClient) -> None:
    _, auth = await new_account(client)
    first = (await client.ok(REFRESH, {"t": auth["refreshToken"]}))["refreshToken"]
    rotated = first["refreshToken"]
    assert rotated != auth["refreshToken"]
    assert first["user"]["id"] == auth["user"]["id"]
    assert await me_codes(client, first["accessToken"]) == []

    # The spent token comes back (a thief replaying it): the whole session dies.
    replay = await client.run(REFRESH, {"t": auth["refreshToken"]})
    assert error_codes(replay) == ["UNAUTHENTICATED"]
    assert "already used" in replay["errors"][0]["message"]
    assert error_codes(await client.run(REFRESH, {"t": rotated})) == ["UNAUTHENTICATED"]
    assert await me_codes(client, first["accessToken"]) == ["UNAUTHENTICATED"]
    assert await me_codes(client, auth["accessToken"]) == ["UNAUTHENTICATED"]


async def test_unknown_refresh_token_is_unauthenticated(client: GraphQLClient) -> None:
    body = await client.run(REFRESH, {"t": "rt_" + "x" * 43})
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_sign_out_by_refresh_token_ends_only_that_session(client: GraphQLClient) -> None:
    email, first = await new_account(client)
    second = (await client.ok(SIGN_IN, {"email": email}))["signIn"]
    out = await client.ok(SIGN_OUT, {"t": first["refreshToken"]})
    assert out["signOut"]["revokedSessions"] == 1
    assert await me_codes(client, first["accessToken"]) == ["UNAUTHENTICATED"]
    assert error_codes(await client.run(REFRESH, {"t": first["refreshToken"]})) == [
        "UNAUTHENTICATED"
    ]
    # The other sign-in is untouched.
    assert await me_codes(client, second["accessToken"]) == []
    again = await client.ok(SIGN_OUT, {"t": first["refreshToken"]})
    assert again["signOut"]["revokedSessions"] == 0


async def test_sign_out_with_the_access_token_alone(client: GraphQLClient) -> None:
    _, auth = await new_account(client)
    out = await client.ok(SIGN_OUT, {}, token=auth["accessToken"])
    assert out["signOut"]["revokedSessions"] == 1
    assert await me_codes(client, auth["accessToken"]) == ["UNAUTHENTICATED"]


async def test_sign_out_everywhere_and_the_revoke_all_function(
    client: GraphQLClient, runtime: Runtime
) -> None:
    email, first = await new_account(client)
    second = (await client.ok(SIGN_IN, {"email": email}))["signIn"]
    out = await client.ok(SIGN_OUT, {"all": True}, token=second["accessToken"])
    assert out["signOut"]["revokedSessions"] == 2
    for auth in (first, second):
        assert await me_codes(client, auth["accessToken"]) == ["UNAUTHENTICATED"]

    third = (await client.ok(SIGN_IN, {"email": email}))["signIn"]
    assert await me_codes(client, third["accessToken"]) == []
    # What deleteAccount calls: every token of the user stops working.
    async with transaction(runtime.db) as session:
        assert await revoke_all_sessions(session, uuid.UUID(first["user"]["id"])) == 1
    assert await me_codes(client, third["accessToken"]) == ["UNAUTHENTICATED"]
    assert error_codes(await client.run(REFRESH, {"t": third["refreshToken"]})) == [
        "UNAUTHENTICATED"
    ]


@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"Authorization": "Bearer not-a-jwt"}, "UNAUTHENTICATED: invalid or expired"),
        ({}, "UNAUTHENTICATED: send a token"),
    ],
)
async def test_websocket_refusals_carry_a_reason(
    live_server: LiveServer, protocol: str, payload: dict[str, str], expected: str
) -> None:
    async with websockets.connect(live_server.ws_url, subprotocols=[protocol]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        messages: list[dict[str, Any]] = []
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                messages.append(json.loads(await ws.recv()))
    frame = closed.value.rcvd
    assert frame is not None
    assert frame.reason.startswith(expected), frame
    if protocol == "graphql-transport-ws":
        assert frame.code == 4403
    else:
        # The legacy protocol also sends the reason as a message before closing.
        assert messages and messages[0]["type"] == "connection_error"
        assert messages[0]["payload"]["code"] == "UNAUTHENTICATED"


async def test_oversized_websocket_messages_close_the_connection(
    servers: Servers, tmp_path: Path
) -> None:
    with live_api(servers, tmp_path, ws_max_message_bytes="4096") as server:
        async with websockets.connect(server.ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            payload = {"Authorization": "Bearer " + "x" * 10_000}
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009
