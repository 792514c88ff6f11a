"""Sign up, sign in, `me`, tokens and API keys through GraphQL over HTTP."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import jwt
from sqlalchemy import func, select

from app.auth.tokens import TokenConfig, issue_access_token
from app.db.models import ApiKey, User
from app.runtime import Runtime
from tests.integration.conftest import SIGN_UP, GraphQLClient, error_codes, sign_up

ME = "{ me { id email } }"
SIGN_IN = """
mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) { accessToken user { id } }
}
"""


async def _user_count(runtime: Runtime) -> int:
    async with runtime.db() as session:
        return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


async def test_sign_up_sign_in_and_me(client: GraphQLClient) -> None:
    token, user_id = await sign_up(client, "Ada@Example.com")
    me = await client.ok(ME, token=token)
    assert me["me"] == {"id": user_id, "email": "ada@example.com"}

    signed_in = await client.ok(
        SIGN_IN, {"email": "ada@example.com", "password": "correct horse battery"}
    )
    assert signed_in["signIn"]["user"]["id"] == user_id
    again = await client.ok(ME, token=signed_in["signIn"]["accessToken"])
    assert again["me"]["id"] == user_id


async def test_wrong_password_and_unknown_email_are_the_same_error(client: GraphQLClient) -> None:
    await sign_up(client, "bob@example.com")
    wrong = await client.run(SIGN_IN, {"email": "bob@example.com", "password": "nope-nope-nope"})
    unknown = await client.run(SIGN_IN, {"email": "who@example.com", "password": "nope-nope-nope"})
    assert error_codes(wrong) == ["UNAUTHENTICATED"]
    assert error_codes(unknown) == ["UNAUTHENTICATED"]
    assert wrong["errors"][0]["message"] == unknown["errors"][0]["message"]


async def test_duplicate_email_is_invalid_input_and_writes_nothing(
    client: GraphQLClient, runtime: Runtime
) -> None:
    await sign_up(client, "carol@example.com")
    before = await _user_count(runtime)
    body = await client.run(SIGN_UP, {"email": "CAROL@example.com", "password": "another pass 1"})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "email"
    assert await _user_count(runtime) == before


async def test_bad_input_on_sign_up(client: GraphQLClient, runtime: Runtime) -> None:
    short = await client.run(SIGN_UP, {"email": "dan@example.com", "password": "short"})
    bad_mail = await client.run(SIGN_UP, {"email": "not-an-email", "password": "long enough 1"})
    assert error_codes(short) == ["INVALID_INPUT"]
    assert error_codes(bad_mail) == ["INVALID_INPUT"]
    assert await _user_count(runtime) == 0


async def test_me_without_token(client: GraphQLClient) -> None:
    body = await client.run(ME)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["extensions"]["requestId"]


def _config(runtime: Runtime, **changes: object) -> TokenConfig:
    base = runtime.tokens
    values = {
        "secret": base.secret,
        "issuer": base.issuer,
        "audience": base.audience,
        "ttl_s": base.ttl_s,
    }
    values.update(changes)
    return TokenConfig(**values)  # type: ignore[arg-type]


async def test_rejected_tokens(client: GraphQLClient, runtime: Runtime) -> None:
    _, user_id = await sign_up(client)
    uid = uuid.UUID(user_id)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    expired = issue_access_token(runtime.tokens, uid, now=long_ago)
    forged = issue_access_token(_config(runtime, secret="another-secret-" + "z" * 40), uid)
    wrong_audience = issue_access_token(_config(runtime, audience="someone-else"), uid)
    wrong_issuer = issue_access_token(_config(runtime, issuer="evil"), uid)
    now = dt.datetime.now(dt.UTC)
    alg_none = jwt.encode(
        {
            "sub": user_id,
            "iss": runtime.tokens.issuer,
            "aud": runtime.tokens.audience,
            "iat": now,
            "exp": now + dt.timedelta(hours=1),
        },
        None,
        algorithm="none",
    )
    no_exp = jwt.encode(
        {"sub": user_id, "iss": runtime.tokens.issuer, "aud": runtime.tokens.audience, "iat": now},
        runtime.tokens.secret,
        algorithm="HS256",
    )
    for token in (expired, forged, wrong_audience, wrong_issuer, alg_none, no_exp, "garbage"):
        body = await client.run(ME, token=token)
        assert error_codes(body) == ["UNAUTHENTICATED"], token


CREATE_KEY = """
mutation($name: String!, $scopes: [ApiScope!]!) {
  createApiKey(name: $name, scopes: $scopes) { secret apiKey { id prefix scopes } }
}
"""
REVOKE_KEY = "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }"


async def test_api_key_create_use_revoke(
    client: GraphQLClient, runtime: Runtime, user: tuple[str, str]
) -> None:
    data = await client.ok(CREATE_KEY, {"name": "partner", "scopes": ["PROFILE_READ"]})
    secret = data["createApiKey"]["secret"]
    key_id = data["createApiKey"]["apiKey"]["id"]
    assert secret.startswith("tk_") and secret.startswith(data["createApiKey"]["apiKey"]["prefix"])

    async with runtime.db() as session:
        stored = await session.get(ApiKey, uuid.UUID(key_id))
    assert stored is not None and secret not in stored.key_hash and len(stored.key_hash) == 64

    me = await client.ok(ME, token=secret)
    assert me["me"]["id"] == user[1]

    # Keys are for reads: a mutation with a key is refused.
    body = await client.run(CREATE_KEY, {"name": "x", "scopes": ["USAGE_READ"]}, token=secret)
    assert error_codes(body) == ["FORBIDDEN"]

    await client.ok(REVOKE_KEY, {"id": key_id})
    assert error_codes(await client.run(ME, token=secret)) == ["UNAUTHENTICATED"]


async def test_api_key_scope_enforced(client: GraphQLClient, user: tuple[str, str]) -> None:
    data = await client.ok(CREATE_KEY, {"name": "usage only", "scopes": ["USAGE_READ"]})
    body = await client.run(ME, token=data["createApiKey"]["secret"])
    assert error_codes(body) == ["FORBIDDEN"]


async def test_api_key_bad_scope_and_foreign_revoke(
    client: GraphQLClient, user: tuple[str, str]
) -> None:
    body = await client.run(CREATE_KEY, {"name": "bad", "scopes": ["ADMIN_ALL"]})
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    body = await client.run(CREATE_KEY, {"name": "none", "scopes": []})
    assert error_codes(body) == ["INVALID_INPUT"]
    data = await client.ok(CREATE_KEY, {"name": "mine", "scopes": ["PROFILE_READ"]})
    other_token, _ = await sign_up(client)
    body = await client.run(
        REVOKE_KEY, {"id": data["createApiKey"]["apiKey"]["id"]}, token=other_token
    )
    assert error_codes(body) == ["NOT_FOUND"]
    missing = await client.run(REVOKE_KEY, {"id": str(uuid.uuid4())}, token=other_token)
    assert missing["errors"][0]["message"] == body["errors"][0]["message"]


async def test_dev_bypass_header(servers: Any, tmp_path: Any) -> None:
    from app.main import create_app
    from tests.integration.conftest import make_settings

    for allowed in (True, False):
        application = create_app(make_settings(servers, tmp_path, allow_dev_no_auth=allowed))
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                gql = GraphQLClient(http)
                _, user_id = await sign_up(gql)
                response = await http.post(
                    "/graphql", json={"query": ME}, headers={"X-Dev-User-Id": user_id}
                )
        body = response.json()
        if allowed:
            assert body["data"]["me"]["id"] == user_id
        else:
            assert error_codes(body) == ["UNAUTHENTICATED"]
