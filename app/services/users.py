"""Accounts: sign up, sign in, look up. Functions take the caller's session (its
transaction: app.db.unit_of_work) and never commit it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.password_policy import check_new_password
from app.auth.passwords import (
    hash_password_async,
    verify_password_async,
)
from app.db.models import User
from app.errors import InvalidInput, NotFound, Unauthenticated


def normalise_email(email: str) -> str:
    try:
        # No DNS lookups: sign-up must work offline and fast.
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(f"not a valid e-mail address: {exc}", field="email") from exc


async def _find_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(
        select(User).where(func.lower(User.email) == email, User.deleted_at.is_(None))
    )
    return result.scalar_one_or_none()


# Never "this e-mail already exists": signUp is not an account directory.
SIGN_UP_REFUSED = "could not create an account with these details; if you have one, sign in"


async def sign_up(
    session: AsyncSession, email: str, password: str, display_name: str | None
) -> User:
    address = normalise_email(email)
    await check_new_password(password, [address, address.split("@")[0], display_name or ""])
    # Hashed before looking (and before the transaction takes a connection): a taken
    # address costs the same argon2 run as a new one.
    hashed = await hash_password_async(password)
    if await _find_by_email(session, address) is not None:
        # No password check here: that would be a sign-in without sign-in's limits.
        raise InvalidInput(SIGN_UP_REFUSED, field="email")
    user = User(email=address, password_hash=hashed, display_name=display_name)
    session.add(user)
    try:
        await session.flush()  # the unique index speaks now, not at the caller's commit
    except IntegrityError as exc:  # lost a race with a concurrent sign-up
        raise InvalidInput(SIGN_UP_REFUSED, field="email") from exc
    return user


# One message for an unknown e-mail and a wrong password: sign-in is not an account directory.
WRONG_CREDENTIALS = "wrong e-mail or password"


@dataclass(frozen=True)
class SignInCandidate:
    """What a sign-in's password is checked against, read in its own short statement:
    argon2 then runs with no connection checked out (`check_password`). No account (or an
    unusable address) is `None`s, checked against the dummy hash at the same cost."""

    user_id: uuid.UUID | None
    password_hash: str | None


@dataclass(frozen=True)
class VerifiedSignIn:
    """A candidate whose password matched: the only thing `confirm_sign_in` accepts."""

    user_id: uuid.UUID
    password_hash: str


async def find_sign_in_candidate(session: AsyncSession, email: str) -> SignInCandidate:
    try:
        address = normalise_email(email)
    except InvalidInput:
        return SignInCandidate(None, None)
    found = await session.execute(
        select(User.id, User.password_hash).where(
            func.lower(User.email) == address, User.deleted_at.is_(None)
        )
    )
    row = found.one_or_none()
    return SignInCandidate(row.id, row.password_hash) if row else SignInCandidate(None, None)


async def check_password(candidate: SignInCandidate, password: str) -> VerifiedSignIn:
    """argon2 in its thread pool; takes no session, so call it outside any transaction."""
    verified = await verify_password_async(candidate.password_hash, password)
    if not verified or candidate.user_id is None or candidate.password_hash is None:
        raise Unauthenticated(WRONG_CREDENTIALS)
    return VerifiedSignIn(candidate.user_id, candidate.password_hash)


async def confirm_sign_in(session: AsyncSession, verified: VerifiedSignIn) -> User:
    """In the transaction that starts the session: the account is still live and still has
    the password that was verified (both could change while argon2 ran with no lock held).
    FOR SHARE keeps it so until that transaction commits; other sign-ins share the lock."""
    found = await session.execute(
        select(User)
        .where(User.id == verified.user_id, User.deleted_at.is_(None))
        .with_for_update(read=True)
    )
    user = found.scalar_one_or_none()
    if user is None or user.password_hash != verified.password_hash:
        raise Unauthenticated(WRONG_CREDENTIALS)
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("user")
    return user
