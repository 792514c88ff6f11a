"""Limits, masking, request ids and transport rules of the /graphql endpoint."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

import app.services.users as user_service
from app.main import create_app
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings


async def test_every_response_has_a_request_id(client: GraphQLClient) -> None:
    response = await client.post("{ __typename }")
    assert len(response.headers["x-request-id"]) >= 8
    echoed = await client.post("{ __typename }", headers={"X-Request-ID": "abc12345-trace"})
    assert echoed.headers["x-request-id"] == "abc12345-trace"
    hostile = await client.post("{ __typename }", headers={"X-Request-ID": "x\nforged log"})
    assert hostile.headers["x-request-id"] != "x\nforged log"


async def test_depth_limit(servers: Servers, tmp_path: Path) -> None:
    application = create_app(make_settings(servers, tmp_path, query_max_depth=1))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            gql = GraphQLClient(http)
            token = await _token(gql)
            shallow = await gql.run("{ me { id } }", token=token)
            deep = await gql.run(
                'mutation { signIn(email: "a@b.co", password: "xxxxxxxx") { user { id } } }'
            )
    assert error_codes(shallow) == []
    assert error_codes(deep) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "depth" in deep["errors"][0]["message"]


async def test_alias_limit(client: GraphQLClient, user: tuple[str, str]) -> None:
    aliases = " ".join(f"a{i}: me {{ id }}" for i in range(40))
    body = await client.run("{ " + aliases + " }")
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert body.get("data") is None


async def test_token_limit(client: GraphQLClient) -> None:
    huge = "{ " + " ".join("__typename" for _ in range(5000)) + " }"
    body = await client.run(huge)
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_unexpected_errors_are_masked_with_request_id(
    client: GraphQLClient,
    user: tuple[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    async def explode(*_: object) -> None:
        raise RuntimeError("db password is hunter2")

    # Only the `me` resolver goes through the module attribute; the token check does not.
    monkeypatch.setattr(user_service, "get_user", explode)
    response = await client.post("{ me { id } }")
    error = response.json()["errors"][0]
    request_id = response.headers["x-request-id"]
    assert "hunter2" not in response.text
    assert error["extensions"] == {"code": "INTERNAL_ERROR", "requestId": request_id}
    logged = capfd.readouterr().err
    assert "unhandled_error" in logged and request_id in logged


async def test_mutations_are_refused_over_get(client: GraphQLClient) -> None:
    response = await client.http.get(
        "/graphql",
        params={
            "query": 'mutation { signIn(email: "a@b.co", password: "xxxxxxxx") { accessToken } }'
        },
    )
    assert response.status_code in {400, 405}
    query = await client.http.get("/graphql", params={"query": "{ __typename }"})
    assert query.status_code == 200 and query.json()["data"] == {"__typename": "Query"}


async def test_health(client: GraphQLClient) -> None:
    response = await client.http.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"postgres": "ok", "redis": "ok"}}


async def _token(gql: GraphQLClient) -> str:
    # signUp { accessToken user { ... } } is deeper than 2: sign up with a shallow selection.
    body = await gql.ok(
        'mutation { signUp(email: "deep@example.com", password: "long enough 1") { accessToken } }'
    )
    token: str = body["signUp"]["accessToken"]
    return token
