"""API keys: created by a signed-in user, shown once, used for scoped read access.
Functions take the caller's session (its transaction: app.db.unit_of_work)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.api_keys import Scope, display_prefix, generate_secret, hash_secret
from app.auth.principal import Principal
from app.db.models import ApiKey, User
from app.errors import InvalidInput, Unauthenticated
from app.services.ownership import owned

MAX_KEYS_PER_USER = 50


@dataclass(frozen=True)
class CreatedApiKey:
    key: ApiKey
    secret: str


def parse_scopes(scopes: list[str]) -> list[str]:
    valid = {s.value for s in Scope}
    unknown = sorted(set(scopes) - valid)
    if unknown:
        raise InvalidInput(f"unknown scopes: {', '.join(unknown)}", field="scopes")
    if not scopes:
        raise InvalidInput("give at least one scope", field="scopes")
    return sorted(set(scopes))


async def create_api_key(
    session: AsyncSession, user_id: uuid.UUID, name: str, scopes: list[str]
) -> CreatedApiKey:
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput("name must be 1 to 100 characters", field="name")
    checked = parse_scopes(scopes)
    secret = generate_secret()
    # Lock the user row so concurrent creations cannot pass the cap together.
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())
    live = await session.execute(
        select(ApiKey.id).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
    )
    if len(live.all()) >= MAX_KEYS_PER_USER:
        raise InvalidInput(f"at most {MAX_KEYS_PER_USER} active API keys", field="name")
    key = ApiKey(
        user_id=user_id,
        name=name,
        prefix=display_prefix(secret),
        key_hash=hash_secret(secret),
        scopes=checked,
    )
    session.add(key)
    await session.flush()  # id and created_at for the answer
    return CreatedApiKey(key=key, secret=secret)


async def list_api_keys(session: AsyncSession, user_id: uuid.UUID) -> list[ApiKey]:
    result = await session.execute(
        select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.created_at.desc())
    )
    return list(result.scalars())


async def revoke_api_key(session: AsyncSession, user_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    key = await owned(session, ApiKey, key_id, user_id, what="API key", for_update=True)
    if key.revoked_at is None:
        key.revoked_at = dt.datetime.now(dt.UTC)
    return key


async def authenticate_api_key(session: AsyncSession, secret: str) -> Principal:
    # A soft-deleted account's keys die with it, exactly like its access tokens.
    result = await session.execute(
        select(ApiKey)
        .join(User, User.id == ApiKey.user_id)
        .where(ApiKey.key_hash == hash_secret(secret), User.deleted_at.is_(None))
    )
    key = result.scalar_one_or_none()
    if key is None or key.revoked_at is not None:
        raise Unauthenticated("invalid or revoked API key")
    await session.execute(
        update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=dt.datetime.now(dt.UTC))
    )
    return Principal(user_id=key.user_id, api_key_id=key.id, scopes=frozenset(key.scopes))
