"""deleteAccount holds no database connection while argon2 checks the password (as signIn:
tests/integration/test_sign_in_connections.py, whose one-connection API and gated argon2
this reuses). While a deletion is held inside its password check, the pool's only
connection serves other requests; a wrong password deletes nothing; and an account whose
password changed during the check is not deleted, even for the password that was right."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.auth import passwords
from app.db.models import User
from app.db.unit_of_work import reading, transaction
from app.services.deletion import WRONG_PASSWORD
from tests.integration import test_sign_in_connections as sign_in_connections
from tests.integration.conftest import error_codes, sign_up
from tests.integration.test_sign_in_connections import WAIT_S, GatedHasher, OneConnection

one_connection = sign_in_connections.one_connection  # the API on a pool of ONE connection

DELETE_ACCOUNT = "mutation($p: String!) { deleteAccount(password: $p) }"
SIGN_IN = "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { accessToken } }"
PASSWORD = "correct horse battery"  # what tests.integration.conftest.sign_up gives everyone
ME = "{ me { id } }"


async def _delete_held_in_its_check(
    stack: OneConnection, monkeypatch: pytest.MonkeyPatch, token: str, password: str, meanwhile: Any
) -> dict[str, Any]:
    """Run `meanwhile()` while deleteAccount waits inside argon2; its response body."""
    hasher = GatedHasher(asyncio.get_running_loop())
    monkeypatch.setattr(passwords, "_hasher", hasher)
    deleting = asyncio.create_task(stack.client.run(DELETE_ACCOUNT, {"p": password}, token=token))
    try:
        async with asyncio.timeout(WAIT_S):
            await hasher.entered.wait()
        await meanwhile()
    finally:
        hasher.release.set()
    return await deleting


async def _served_by_the_one_connection(stack: OneConnection, other_token: str) -> None:
    assert stack.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # With the pool's only connection held, these would wait for it (and time out).
    assert (await stack.client.ok(ME, token=other_token))["me"]["id"]
    async with transaction(stack.runtime.db) as session:
        assert (await session.execute(select(func.count(User.id)))).scalar_one() >= 2


async def _user_with_a_file(stack: OneConnection) -> tuple[str, str, str]:
    """A signed-up user (e-mail, token, id) who has an object in the store."""
    email = f"leaver-{uuid.uuid4().hex[:8]}@example.org"
    token, user_id = await sign_up(stack.client, email)
    await stack.runtime.store.put(f"users/{user_id}/notes/kept.txt", b"mine", "text/plain")
    return email, token, user_id


async def _still_there(stack: OneConnection, token: str, user_id: str) -> None:
    assert (await stack.client.ok(ME, token=token))["me"]["id"] == user_id
    async with reading(stack.runtime.db) as session:
        assert await session.get(User, uuid.UUID(user_id)) is not None
    assert await stack.runtime.store.list_keys(f"users/{user_id}/")


@pytest.mark.parametrize("password", [PASSWORD, "not my password"], ids=["right", "wrong"])
async def test_no_connection_is_held_while_a_deletion_checks_the_password(
    one_connection: OneConnection, monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    stack = one_connection
    _, token, user_id = await _user_with_a_file(stack)
    other_token, _ = await sign_up(stack.client)

    body = await _delete_held_in_its_check(
        stack,
        monkeypatch,
        token,
        password,
        lambda: _served_by_the_one_connection(stack, other_token),
    )

    if password == PASSWORD:
        assert body == {"data": {"deleteAccount": True}}
        async with reading(stack.runtime.db) as session:
            assert await session.get(User, uuid.UUID(user_id)) is None
        assert await stack.runtime.store.list_keys(f"users/{user_id}/") == []
        assert error_codes(await stack.client.run(ME, token=token)) == ["UNAUTHENTICATED"]
    else:
        assert error_codes(body) == ["UNAUTHENTICATED"]
        assert body["errors"][0]["message"] == WRONG_PASSWORD
        await _still_there(stack, token, user_id)
    assert (await stack.client.ok(ME, token=other_token))["me"]["id"]


async def test_an_account_whose_password_changed_during_the_check_is_not_deleted(
    one_connection: OneConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The password was right when it was checked, but the account took a new one before
    the deletion could lock it: refused as a wrong password, and nothing is deleted."""
    stack = one_connection
    email, token, user_id = await _user_with_a_file(stack)
    new_hash = passwords.hash_password("a brand new passphrase")

    async def change_the_password() -> None:
        async with transaction(stack.runtime.db) as session:
            await session.execute(
                text("UPDATE users SET password_hash = :h WHERE id = :id"),
                {"h": new_hash, "id": uuid.UUID(user_id)},
            )

    body = await _delete_held_in_its_check(stack, monkeypatch, token, PASSWORD, change_the_password)

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["errors"][0]["message"] == WRONG_PASSWORD
    await _still_there(stack, token, user_id)
    signed_in = await stack.client.ok(SIGN_IN, {"e": email, "p": "a brand new passphrase"})
    assert signed_in["signIn"]["accessToken"]
