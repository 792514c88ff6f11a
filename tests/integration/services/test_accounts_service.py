"""users, sessions and api_keys in the caller's transaction: sign-up races end in one
account, a reused refresh token's revocation commits although the request is refused, and
API keys are owner-scoped."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from app.auth.tokens import decode_access_claims
from app.db.models import ApiKey, AuthSession, User
from app.db.unit_of_work import reading, transaction
from app.errors import AppError, ErrorCode, Unauthenticated
from app.runtime import Runtime
from app.services import api_keys, sessions, users
from tests.integration.services.conftest import PASSWORD, count, until_a_lock_is_awaited


def _address() -> str:
    return f"u-{uuid.uuid4().hex[:12]}@example.com"


async def _sign_up(runtime: Runtime, email: str) -> User:
    async with transaction(runtime.db) as session:
        return await users.sign_up(session, email, PASSWORD, None)


async def test_sign_up_then_sign_in_and_a_taken_address_is_refused(runtime: Runtime) -> None:
    email = _address()
    created = await _sign_up(runtime, email.upper())
    assert created.email == email  # normalised
    async with reading(runtime.db) as session:
        candidate = await users.find_sign_in_candidate(session, email.upper())
        unknown = await users.find_sign_in_candidate(session, "nobody@example.com")
    with pytest.raises(Unauthenticated):
        await users.check_password(candidate, PASSWORD + "!")
    with pytest.raises(Unauthenticated):  # checked against the dummy hash, same refusal
        await users.check_password(unknown, PASSWORD)
    verified = await users.check_password(candidate, PASSWORD)
    async with transaction(runtime.db) as session:
        assert (await users.confirm_sign_in(session, verified)).id == created.id
    with pytest.raises(AppError) as refused:
        await _sign_up(runtime, email)
    assert refused.value.code is ErrorCode.INVALID_INPUT
    assert await count(runtime, User) == 1


async def test_racing_sign_ups_for_one_address_make_one_account(runtime: Runtime) -> None:
    """The second waits on the unique index inside its flush, then is refused there
    (INVALID_INPUT from the service, not an IntegrityError at the caller's commit)."""
    email = _address()
    async with transaction(runtime.db) as first:
        await users.sign_up(first, email, PASSWORD, None)
        second = asyncio.create_task(_sign_up(runtime, email))
        await until_a_lock_is_awaited(runtime)
    with pytest.raises(AppError) as refused:
        await second
    assert refused.value.code is ErrorCode.INVALID_INPUT
    async with reading(runtime.db) as session:
        rows = await session.execute(select(func.count()).where(func.lower(User.email) == email))
        assert rows.scalar_one() == 1


async def test_a_sign_up_that_rolls_back_leaves_no_account_and_no_session(
    runtime: Runtime,
) -> None:
    with pytest.raises(RuntimeError):
        async with transaction(runtime.db) as session:
            user = await users.sign_up(session, _address(), PASSWORD, None)
            await sessions.start_session(session, runtime.tokens, 3600, user.id)
            raise RuntimeError("rolled back")
    assert await count(runtime, User) == 0
    assert await count(runtime, AuthSession) == 0


async def test_a_reused_refresh_token_revokes_its_session_and_the_revocation_commits(
    runtime: Runtime,
) -> None:
    user = await _sign_up(runtime, _address())
    async with transaction(runtime.db) as session:
        first = await sessions.start_session(session, runtime.tokens, 3600, user.id)
    async with transaction(runtime.db) as session:
        second = await sessions.refresh(session, runtime.tokens, 3600, first.refresh_token)
    assert not isinstance(second, Unauthenticated)
    claims = decode_access_claims(runtime.tokens, second.access_token)
    async with reading(runtime.db) as session:
        assert await sessions.access_is_live(session, claims)

    async with transaction(runtime.db) as session:  # the spent token, presented again
        refused = await sessions.refresh(session, runtime.tokens, 3600, first.refresh_token)
    assert isinstance(refused, Unauthenticated)
    assert refused.message == sessions.REUSE_MESSAGE
    async with reading(runtime.db) as session:  # committed: every token of it is dead
        assert not await sessions.access_is_live(session, claims)
        row = await session.get(AuthSession, first.session_id)
        assert row is not None and row.revoked_reason == "reuse_detected"
    with pytest.raises(Unauthenticated):
        async with transaction(runtime.db) as session:
            await sessions.refresh(session, runtime.tokens, 3600, second.refresh_token)


async def test_revoking_all_sessions_is_per_user(runtime: Runtime) -> None:
    mine, theirs = await _sign_up(runtime, _address()), await _sign_up(runtime, _address())
    async with transaction(runtime.db) as session:
        for user in (mine, mine, theirs):
            await sessions.start_session(session, runtime.tokens, 3600, user.id)
    async with transaction(runtime.db) as session:
        assert await sessions.revoke_all_sessions(session, mine.id) == 2
        assert await sessions.revoke_all_sessions(session, mine.id) == 0
    async with reading(runtime.db) as session:
        live = await session.execute(
            select(AuthSession.user_id).where(AuthSession.revoked_at.is_(None))
        )
        assert list(live.scalars()) == [theirs.id]


async def test_api_keys_are_owner_scoped_and_a_revoked_key_stops_working(
    runtime: Runtime,
) -> None:
    mine, theirs = await _sign_up(runtime, _address()), await _sign_up(runtime, _address())
    async with transaction(runtime.db) as session:
        created = await api_keys.create_api_key(session, mine.id, "  ci  ", ["resumes:read"])
    assert created.key.name == "ci" and created.secret not in created.key.prefix
    async with transaction(runtime.db) as session:
        principal = await api_keys.authenticate_api_key(session, created.secret)
    assert principal.user_id == mine.id and principal.api_key_id == created.key.id
    async with reading(runtime.db) as session:
        used = await session.get(ApiKey, created.key.id)
        assert used is not None and used.last_used_at is not None  # committed with the check
        assert await api_keys.list_api_keys(session, theirs.id) == []

    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await api_keys.revoke_api_key(session, theirs.id, created.key.id)
    assert refused.value.code is ErrorCode.NOT_FOUND
    async with transaction(runtime.db) as session:
        await api_keys.revoke_api_key(session, mine.id, created.key.id)
    with pytest.raises(Unauthenticated):
        async with transaction(runtime.db) as session:
            await api_keys.authenticate_api_key(session, created.secret)


async def test_a_refused_api_key_creates_nothing(runtime: Runtime) -> None:
    mine = await _sign_up(runtime, _address())
    for name, scopes in (("", ["resumes:read"]), ("ok", []), ("ok", ["everything:write"])):
        with pytest.raises(AppError) as refused:
            async with transaction(runtime.db) as session:
                await api_keys.create_api_key(session, mine.id, name, scopes)
        assert refused.value.code is ErrorCode.INVALID_INPUT
    assert await count(runtime, ApiKey) == 0
