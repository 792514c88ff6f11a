"""Transport errors are GraphQL-over-HTTP JSON with a code; bodies and documents are bounded
before they are read or parsed; sensitive operations never travel in URLs or logs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.db.models import User
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.conftest import GraphQLClient, error_codes, make_settings
from tests.integration.edge_support import app_client

SIGN_UP_TEXT = (
    'mutation { signUp(email: "get@example.com", password: "s3cret-Passw0rd-xyz") { accessToken } }'
)


def assert_coded(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert error_codes(body) == [code], body
    assert body["errors"][0]["extensions"]["requestId"] == response.headers["x-request-id"]
    return body


async def users_count(runtime: Runtime) -> int:
    async with runtime.db() as session:
        return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


async def test_malformed_json_is_bad_request(client: GraphQLClient) -> None:
    response = await client.http.post(
        "/graphql",
        content=b'{"query": "{ __typename }"',
        headers={"content-type": "application/json"},
    )
    assert_coded(response, 400, "BAD_REQUEST")


async def test_deeply_nested_json_is_bad_request_not_500(client: GraphQLClient) -> None:
    depth = 100_000
    body = b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * depth + b"]" * depth + b"}}"
    response = await client.http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert_coded(response, 400, "BAD_REQUEST")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
async def test_wrong_content_type_is_415(client: GraphQLClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.http.post(
        "/graphql", content=b'{"query": "{ __typename }"}', headers=headers
    )
    assert_coded(response, 415, "UNSUPPORTED_MEDIA_TYPE")


async def test_other_methods_are_405_with_allow(client: GraphQLClient) -> None:
    response = await client.http.put("/graphql", json={"query": "{ __typename }"})
    assert_coded(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["allow"]


async def test_mutation_over_get_is_refused_and_creates_nothing(
    client: GraphQLClient, runtime: Runtime
) -> None:
    response = await client.http.get("/graphql", params={"query": SIGN_UP_TEXT})
    assert_coded(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "POST"
    assert await users_count(runtime) == 0


async def test_query_over_get_still_works(client: GraphQLClient) -> None:
    response = await client.http.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_access_log_redacts_query_strings(
    client: GraphQLClient, capsys: pytest.CaptureFixture[str]
) -> None:
    await client.http.get("/graphql", params={"query": SIGN_UP_TEXT, "operationName": "Sneaky"})
    await client.http.get("/files/users/x/y", params={"exp": "1", "sig": "deadbeefcafe"})
    logged = capsys.readouterr().err
    assert "http_request" in logged
    assert "Sneaky" in logged  # harmless names are kept for debugging
    for secret in ("s3cret-Passw0rd-xyz", "signUp", "deadbeefcafe"):
        assert secret not in logged


async def test_json_body_over_the_cap_is_refused_before_reading(
    servers: Servers, tmp_path: Path
) -> None:
    app = create_app(make_settings(servers, tmp_path, max_json_body_bytes=2048))
    async with app_client(app) as http:
        big = json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * 5000}})
        response = await http.post(
            "/graphql", content=big, headers={"content-type": "application/json"}
        )
        assert_coded(response, 413, "SIZE_EXCEEDED")

        async def chunks() -> AsyncIterator[bytes]:
            # No Content-Length: the cap must hold while the body streams in.
            for _ in range(10):
                yield b" " * 1024

        response = await http.post(
            "/graphql", content=chunks(), headers={"content-type": "application/json"}
        )
        assert_coded(response, 413, "SIZE_EXCEEDED")
        small = await http.post("/graphql", json={"query": "{ __typename }"})
        assert small.json() == {"data": {"__typename": "Query"}}


async def test_long_document_is_refused_before_parsing(client: GraphQLClient) -> None:
    # Comments are lexed but never counted as tokens: only a length cap stops them.
    document = "#" + "x" * 150_000 + "\n{ __typename }"
    body = await client.run(document)
    assert error_codes(body) == ["SIZE_EXCEEDED"]
    assert body["errors"][0]["extensions"]["requestId"]


def multipart_upload(headers: dict[str, str]) -> dict[str, Any]:
    operations = {
        "query": "mutation($input: UploadResumeInput!) { uploadResume(input: $input) { id } }",
        "variables": {"input": {"file": None, "filename": "cv.txt"}},
    }
    return {
        "data": {
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        "files": {"0": ("cv.txt", b"Ada Lovelace\nEngineer\n", "text/plain")},
        "headers": headers,
    }


async def test_multipart_needs_a_csrf_preflight_header(
    client: GraphQLClient, user: tuple[str, str]
) -> None:
    auth = {"Authorization": f"Bearer {client.token}"}
    refused = await client.http.post("/graphql", **multipart_upload(auth))
    assert_coded(refused, 400, "CSRF_PREFLIGHT_REQUIRED")
    empty = await client.http.post(
        "/graphql", **multipart_upload({**auth, "Apollo-Require-Preflight": ""})
    )
    assert_coded(empty, 400, "CSRF_PREFLIGHT_REQUIRED")
    for header in ("Apollo-Require-Preflight", "X-Apollo-Operation-Name"):
        accepted = await client.http.post("/graphql", **multipart_upload({**auth, header: "true"}))
        body = accepted.json()
        assert accepted.status_code == 200 and not body.get("errors"), body


async def test_multipart_body_is_capped_by_the_upload_limit(
    servers: Servers, tmp_path: Path
) -> None:
    app = create_app(make_settings(servers, tmp_path, max_resume_bytes=1024))
    async with app_client(app) as http:
        request = multipart_upload({"Apollo-Require-Preflight": "true"})
        request["files"] = {"0": ("cv.txt", b"x" * (2 * 1024 * 1024), "text/plain")}
        response = await http.post("/graphql", **request)
        assert_coded(response, 413, "SIZE_EXCEEDED")


async def test_production_hides_introspection_and_suggestions(
    servers: Servers, tmp_path: Path
) -> None:
    settings = make_settings(servers, tmp_path, env="production")
    async with app_client(create_app(settings)) as http:
        schema = await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        refused = schema.json()
        assert refused.get("data") is None
        assert set(error_codes(refused)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert "introspection" in refused["errors"][0]["message"].lower()
        typo = (await http.post("/graphql", json={"query": "{ mee { id } }"})).json()
        assert error_codes(typo) == ["GRAPHQL_VALIDATION_FAILED"]
        assert "Did you mean" not in typo["errors"][0]["message"]
        ide = await http.get("/graphql", headers={"accept": "text/html"})
        assert ide.status_code == 404
    # Outside production, both stay on for developers.
    async with app_client(create_app(make_settings(servers, tmp_path))) as http:
        typo = (await http.post("/graphql", json={"query": "{ mee { id } }"})).json()
        assert "Did you mean" in typo["errors"][0]["message"]


async def test_metrics_need_an_allowed_address_or_the_token(
    servers: Servers, tmp_path: Path
) -> None:
    # httpx's ASGI transport calls from 127.0.0.1: allowed by default.
    async with app_client(create_app(make_settings(servers, tmp_path))) as http:
        assert (await http.get("/metrics")).status_code == 200
    closed = make_settings(servers, tmp_path, metrics_allowed_ips=[])
    async with app_client(create_app(closed)) as http:
        assert (await http.get("/metrics")).status_code == 403
    # An empty token (compose's default) is no token at all, never "any token".
    empty = make_settings(servers, tmp_path, metrics_token="", metrics_allowed_ips=[])
    async with app_client(create_app(empty)) as http:
        blank = await http.get("/metrics", headers={"Authorization": "Bearer "})
        assert blank.status_code == 403
    token = make_settings(servers, tmp_path, metrics_token="scrape-" + "z" * 30)
    async with app_client(create_app(token)) as http:
        assert (await http.get("/metrics")).status_code == 403
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        right = await http.get("/metrics", headers={"Authorization": "Bearer scrape-" + "z" * 30})
        assert right.status_code == 200 and b"tailor_http_requests_total" in right.content
