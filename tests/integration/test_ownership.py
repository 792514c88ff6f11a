"""`owned()`: the one owner check, against real Postgres rows in one session per test."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Resume, User
from app.db.models.enums import ParseStatus
from app.errors import ErrorCode, NotFound
from app.runtime import Runtime
from app.services.ownership import owned


@pytest_asyncio.fixture
async def session(runtime: Runtime) -> AsyncIterator[AsyncSession]:
    """A session whose transaction is rolled back after the test: nothing is left behind."""
    async with runtime.db() as db_session, db_session.begin():
        yield db_session
        await db_session.rollback()


async def _user(session: AsyncSession) -> User:
    user = User(email=f"{uuid.uuid4().hex}@example.com", password_hash="x")
    session.add(user)
    await session.flush()
    return user


async def _resume(session: AsyncSession, owner: User, *, deleted: bool = False) -> Resume:
    row = Resume(
        user_id=owner.id,
        size_bytes=10,
        sha256="0" * 64,
        parse_status=ParseStatus.PARSED,
        deleted_at=dt.datetime.now(dt.UTC) if deleted else None,
    )
    session.add(row)
    await session.flush()
    return row


async def test_the_owner_gets_the_row(session: AsyncSession) -> None:
    owner = await _user(session)
    resume = await _resume(session, owner)
    got = await owned(session, Resume, resume.id, owner.id, what="resume")
    assert got.id == resume.id
    locked = await owned(session, Resume, resume.id, owner.id, what="resume", for_update=True)
    assert locked.id == resume.id


async def test_stranger_missing_and_deleted_look_the_same(session: AsyncSession) -> None:
    owner, stranger = await _user(session), await _user(session)
    live = await _resume(session, owner)
    deleted = await _resume(session, owner, deleted=True)
    cases = [(live.id, stranger.id), (uuid.uuid4(), owner.id), (deleted.id, owner.id)]
    messages = set()
    for row_id, user_id in cases:
        with pytest.raises(NotFound) as caught:
            await owned(session, Resume, row_id, user_id, what="resume")
        assert caught.value.code is ErrorCode.NOT_FOUND
        messages.add(caught.value.message)
    assert messages == {"resume not found"}  # no existence oracle
    kept = await owned(session, Resume, deleted.id, owner.id, what="resume", include_deleted=True)
    assert kept.deleted_at is not None
