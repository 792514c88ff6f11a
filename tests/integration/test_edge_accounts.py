"""signUp: weak passwords refused; an existing address is never announced as such."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.db.models import User
from app.runtime import Runtime
from tests.integration.conftest import GraphQLClient, error_codes

SIGN_UP = """
mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { accessToken user { id } } }
"""


async def count_users(runtime: Runtime) -> int:
    async with runtime.db() as session:
        return int((await session.execute(select(func.count()).select_from(User))).scalar_one())


@pytest.mark.parametrize("password", ["password", " " * 8, " " * 12, "password123", "qwertyuiop"])
async def test_weak_passwords_create_nothing(
    client: GraphQLClient, runtime: Runtime, password: str
) -> None:
    body = await client.run(SIGN_UP, {"e": "weak@example.com", "p": password})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert body["errors"][0]["extensions"]["field"] == "password"
    assert await count_users(runtime) == 0


async def test_existing_address_is_not_announced(client: GraphQLClient, runtime: Runtime) -> None:
    first = await client.ok(SIGN_UP, {"e": "grace@example.com", "p": "correct horse battery"})
    # Someone else tries the address: a generic refusal that says nothing about it existing.
    other = await client.run(SIGN_UP, {"e": "Grace@Example.com", "p": "mango telescope ribbon"})
    assert error_codes(other) == ["INVALID_INPUT"]
    message = other["errors"][0]["message"].lower()
    assert "exist" not in message and "taken" not in message and "registered" not in message
    # Not even the right password turns signUp into a sign-in (that would dodge sign-in's
    # rate limits): the same refusal, and still one account.
    same = await client.run(SIGN_UP, {"e": "grace@example.com", "p": "correct horse battery"})
    assert same["errors"][0]["message"] == other["errors"][0]["message"]
    assert first["signUp"]["user"]["id"]
    assert await count_users(runtime) == 1
