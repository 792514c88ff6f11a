"""Sign-in sessions: access + refresh tokens, rotation with reuse detection, revocation.

- `start_session` (signUp/signIn): a new session and its first refresh token.
- `refresh` (refreshToken): the presented token is spent and a new one issued in the same
  session. Presenting a spent token again means it was copied: the whole session is
  revoked, so both the thief's and the owner's tokens stop working.
- `revoke_session` (signOut) and `revoke_all_sessions` (signOut(allSessions), and
  deleteAccount): revoked sessions' access tokens fail at once (they carry `sid`).

Functions take the caller's session (its transaction: app.db.unit_of_work) and never
commit it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from app.auth.tokens import (
    AccessClaims,
    TokenConfig,
    issue_access_token,
    new_refresh_secret,
    refresh_token_hash,
)
from app.db.driver_read import DriverRead
from app.db.models import AuthSession, RefreshToken, User
from app.errors import Unauthenticated

REUSE_MESSAGE = "this refresh token was already used; the session is revoked, sign in again"
INVALID_MESSAGE = "invalid or expired refresh token"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    access_expires_in: int
    refresh_token: str
    refresh_expires_in: int
    user_id: uuid.UUID
    session_id: uuid.UUID


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _issue(
    session: AsyncSession,
    config: TokenConfig,
    refresh_ttl_s: int,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
) -> IssuedTokens:
    secret = new_refresh_secret()
    session.add(
        RefreshToken(
            session_id=session_id,
            token_hash=refresh_token_hash(secret),
            expires_at=_now() + dt.timedelta(seconds=refresh_ttl_s),
        )
    )
    return IssuedTokens(
        access_token=issue_access_token(config, user_id, session_id=session_id),
        access_expires_in=config.ttl_s,
        refresh_token=secret,
        refresh_expires_in=refresh_ttl_s,
        user_id=user_id,
        session_id=session_id,
    )


async def start_session(
    session: AsyncSession, config: TokenConfig, refresh_ttl_s: int, user_id: uuid.UUID
) -> IssuedTokens:
    auth_session = AuthSession(id=uuid.uuid4(), user_id=user_id)
    session.add(auth_session)
    await session.flush()
    return await _issue(session, config, refresh_ttl_s, user_id, auth_session.id)


async def refresh(
    session: AsyncSession, config: TokenConfig, refresh_ttl_s: int, secret: str
) -> IssuedTokens | Unauthenticated:
    """New tokens for a live refresh token. A spent one revokes its session and the
    refusal is returned, not raised: the revocation must commit, so the caller raises it
    once the transaction has ended."""
    row = (
        await session.execute(
            select(RefreshToken, AuthSession, User)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .join(User, User.id == AuthSession.user_id)
            .where(RefreshToken.token_hash == refresh_token_hash(secret))
            # Two concurrent uses of one token: the second waits, then sees it spent.
            .with_for_update(of=[RefreshToken, AuthSession])
        )
    ).one_or_none()
    if row is None:
        raise Unauthenticated(INVALID_MESSAGE)
    token, auth_session, user = row
    if auth_session.revoked_at is not None or user.deleted_at is not None:
        raise Unauthenticated(INVALID_MESSAGE)
    if token.used_at is not None:
        auth_session.revoked_at = _now()
        auth_session.revoked_reason = "reuse_detected"
        return Unauthenticated(REUSE_MESSAGE)
    if token.expires_at <= _now():
        raise Unauthenticated(INVALID_MESSAGE)
    token.used_at = _now()
    return await _issue(session, config, refresh_ttl_s, user.id, auth_session.id)


async def session_of_refresh_token(session: AsyncSession, secret: str) -> AuthSession | None:
    return (
        await session.execute(
            select(AuthSession)
            .join(RefreshToken, RefreshToken.session_id == AuthSession.id)
            .where(RefreshToken.token_hash == refresh_token_hash(secret))
        )
    ).scalar_one_or_none()


async def revoke_session(
    session: AsyncSession, user_id: uuid.UUID, session_id: uuid.UUID, reason: str = "sign_out"
) -> int:
    """Revoke one of the user's sessions; returns 1 if it was live, else 0."""
    result = await session.execute(
        update(AuthSession)
        .where(
            AuthSession.id == session_id,
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=_now(), revoked_reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def revoke_all_sessions(
    session: AsyncSession, user_id: uuid.UUID, reason: str = "all_sessions"
) -> int:
    """Every refresh token and access token of the user stops working. Returns how many
    sessions were live. For deleteAccount, password changes and signOut(allSessions)."""
    result = await session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=_now(), revoked_reason=reason)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


_LIVE_USER = DriverRead(
    select(User.id).where(User.id == bindparam("user_id"), User.deleted_at.is_(None))
)
_LIVE_SESSION = DriverRead(
    select(User.id)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        User.id == bindparam("user_id"),
        User.deleted_at.is_(None),
        AuthSession.id == bindparam("session_id"),
        AuthSession.revoked_at.is_(None),
    )
)


async def access_is_live(source: AsyncEngine | AsyncSession, claims: AccessClaims) -> bool:
    """One statement, no transaction around it: the user exists and is not deleted, and
    the token's session is live. Read from Postgres on every request, never cached, so
    a signOut or deleteAccount made through any API process holds on the next request."""
    if claims.session_id is None:
        row = await _LIVE_USER.first(source, user_id=claims.user_id)
    else:
        row = await _LIVE_SESSION.first(
            source, user_id=claims.user_id, session_id=claims.session_id
        )
    return row is not None
