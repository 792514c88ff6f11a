"""Rate limits on everything that costs something, each refusal RATE_LIMITED with
retryAfter: sign-in per account and per IP (HTTP and WebSocket), uploads and job
descriptions, share links, tailoring."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
import websockets

from app.main import create_app
from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.apps_support import POSTINGS, RESUMES, accepted_version, count_rows
from tests.integration.conftest import GraphQLClient, LiveServer, error_codes, make_settings
from tests.integration.gql_ops import CREATE_JD, TAILOR, UPLOAD_RESUME

SIGN_IN = """mutation($e: String!, $p: String!) { signIn(email: $e, password: $p)
  { accessToken } }"""
SIGN_UP = """mutation($e: String!) { signUp(email: $e, password: "correct horse battery")
  { accessToken } }"""
PASSWORD = "correct horse battery"


@pytest_asyncio.fixture
async def limited(
    servers: Servers, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    settings = make_settings(servers, tmp_path, **getattr(request, "param", {}))
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application, client=("203.0.113.7", 5555))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield GraphQLClient(http), application.state.runtime


def _retry_after(body: dict[str, Any]) -> int:
    assert error_codes(body) == ["RATE_LIMITED"], body
    value = body["errors"][0]["extensions"]["retryAfter"]
    assert isinstance(value, int) and value >= 1
    return value


async def _account(gql: GraphQLClient) -> str:
    email = f"acct-{uuid.uuid4().hex[:8]}@example.org"
    await gql.ok(SIGN_UP, {"e": email})
    return email


@pytest.mark.parametrize(
    "limited", [{"sign_in_limit_per_account": 3, "sign_in_limit_per_ip": 100}], indirect=True
)
async def test_sign_in_locks_an_account_after_failures(
    limited: tuple[GraphQLClient, Runtime],
) -> None:
    gql, _ = limited
    victim, bystander = await _account(gql), await _account(gql)
    for _ in range(3):
        assert error_codes(await gql.run(SIGN_IN, {"e": victim, "p": "guess guess"})) == [
            "UNAUTHENTICATED"
        ]
    locked = await gql.run(SIGN_IN, {"e": victim.upper(), "p": PASSWORD})  # even the right one
    assert _retry_after(locked) <= 901
    assert (await gql.ok(SIGN_IN, {"e": bystander, "p": PASSWORD}))["signIn"]["accessToken"]
    # Successful sign-ins do not count against an account.
    for _ in range(4):
        await gql.ok(SIGN_IN, {"e": bystander, "p": PASSWORD})


@pytest.mark.parametrize(
    "limited", [{"sign_in_limit_per_ip": 5, "sign_in_limit_per_account": 100}], indirect=True
)
async def test_sign_in_attempts_per_ip(limited: tuple[GraphQLClient, Runtime]) -> None:
    gql, _ = limited
    codes = [
        error_codes(await gql.run(SIGN_IN, {"e": f"n{i}@example.org", "p": "whatever!"}))
        for i in range(6)
    ]
    assert codes == [["UNAUTHENTICATED"]] * 5 + [["RATE_LIMITED"]]


async def _ws_sign_ins(ws_url: str, token: str, attempts: list[tuple[str, str]]) -> list[list[str]]:
    """signIn mutations over one graphql-transport-ws connection (opened by any account)."""
    codes: list[list[str]] = []
    init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for n, (email, password) in enumerate(attempts):
            payload = {"query": SIGN_IN, "variables": {"e": email, "p": password}}
            await ws.send(json.dumps({"id": str(n), "type": "subscribe", "payload": payload}))
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "next":
                    codes.append(error_codes(message["payload"]))
                elif message["type"] == "complete":
                    break
    return codes


async def test_sign_in_limits_hold_over_websocket(live_server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=live_server.base_url) as http:
        live = GraphQLClient(http)
        email = await _account(live)
        attacker = await live.ok(SIGN_UP, {"e": f"x-{uuid.uuid4().hex[:8]}@example.org"})
        token = attacker["signUp"]["accessToken"]
        # Per account (default: 10 failures in the window).
        codes = await _ws_sign_ins(live_server.ws_url, token, [(email, "wrong guess")] * 11)
        assert codes == [["UNAUTHENTICATED"]] * 10 + [["RATE_LIMITED"]]
        # Per IP (default: 20 attempts a minute, 11 used above), whichever accounts.
        spray = [(f"spray{i}@example.org", "wrong guess") for i in range(10)]
        codes = await _ws_sign_ins(live_server.ws_url, token, spray)
        assert codes == [["UNAUTHENTICATED"]] * 9 + [["RATE_LIMITED"]]


@pytest.mark.parametrize("limited", [{"upload_rate_limit_per_minute": 2}], indirect=True)
async def test_uploads_and_job_descriptions_share_a_budget(
    limited: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = limited
    gql.token = (await gql.ok(SIGN_UP, {"e": "up@example.org"}))["signUp"]["accessToken"]
    await gql.ok(UPLOAD_RESUME, {"input": {"text": RESUMES["data"]}})
    await gql.ok(CREATE_JD, {"input": {"text": POSTINGS["analytics"]}})
    _retry_after(await gql.run(UPLOAD_RESUME, {"input": {"text": RESUMES["backend"]}}))
    _retry_after(await gql.run(CREATE_JD, {"input": {"text": POSTINGS["platform"]}}))
    assert await count_rows(runtime, "resumes") == 1
    assert await count_rows(runtime, "job_descriptions") == 1


@pytest.mark.parametrize(
    "limited",
    [{"share_link_rate_limit_per_minute": 1, "tailor_rate_limit_per_minute": 1}],
    indirect=True,
)
async def test_share_links_and_tailoring(limited: tuple[GraphQLClient, Runtime]) -> None:
    gql, runtime = limited
    gql.token = (await gql.ok(SIGN_UP, {"e": "sh@example.org"}))["signUp"]["accessToken"]
    made = await accepted_version(gql, runtime)
    share = "mutation($v: ID!) { createShareLink(versionId: $v) { url } }"
    await gql.ok(share, {"v": made.version_id})
    _retry_after(await gql.run(share, {"v": made.version_id}))
    assert await count_rows(runtime, "share_links") == 1
    jd = await gql.ok(CREATE_JD, {"input": {"text": POSTINGS["analytics"]}})
    again = await gql.run(
        TAILOR,
        {
            "input": {
                "resumeId": made.resume_id,
                "jobDescriptionId": jd["createJobDescription"]["id"],
            }
        },
    )
    _retry_after(again)
