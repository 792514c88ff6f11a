"""Sign-in sessions and their rotating refresh tokens.

A session is one sign-in (one refresh-token family). Every access token names its session
(`sid`), so revoking a session (signOut, refresh-token reuse, deleteAccount) ends its
access tokens at once, not when they expire.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, created_at, uuid_pk


class AuthSession(Base):
    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = created_at()
    revoked_at: Mapped[dt.datetime | None]
    # Why it ended: "sign_out", "reuse_detected", "all_sessions", "account_deleted".
    revoked_reason: Mapped[str | None] = mapped_column(String(32))


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = uuid_pk()
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the secret: 256 random bits need no slow hash, and the lookup is one index.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = created_at()
    expires_at: Mapped[dt.datetime]
    # Set when exchanged: a second use of the same token is a theft signal.
    used_at: Mapped[dt.datetime | None]
