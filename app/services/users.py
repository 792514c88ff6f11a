"""Accounts: sign up, sign in, look up. Functions take the caller's session (its
transaction: app.db.unit_of_work) and never commit it."""

from __future__ import annotations

import uuid

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


async def sign_in(session: AsyncSession, email: str, password: str) -> User:
    try:
        address = normalise_email(email)
    except InvalidInput:
        address = ""
    user = await _find_by_email(session, address) if address else None
    verified = await verify_password_async(user.password_hash if user else None, password)
    if not verified or user is None:
        raise Unauthenticated("wrong e-mail or password")
    return user


async def get_user(session: AsyncSession, user_id: uuid.UUID) -> User:
    user = await session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound("user")
    return user
