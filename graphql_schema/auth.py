"""Turn a bearer credential (JWT or `tk_` API key) into a Principal."""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict

from app.auth.api_keys import looks_like_api_key
from app.auth.principal import Principal
from app.auth.tokens import (
    AccessClaims,
    TokenConfig,
    decode_access_claims_until,
    decode_access_token,
)
from app.db.outage import outage_as_unavailable
from app.db.unit_of_work import reading, transaction
from app.errors import Unauthenticated
from app.runtime import Runtime
from app.services.api_keys import authenticate_api_key
from app.services.sessions import access_is_live
from app.services.users import get_user

DEV_USER_HEADER = "x-dev-user-id"


def bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("use 'Authorization: Bearer <token>'")
    return token.strip()


async def principal_from_token(runtime: Runtime, token: str) -> Principal:
    """The caller behind a token. A database outage is SERVICE_UNAVAILABLE, never
    UNAUTHENTICATED: clients log people out on the latter."""
    with outage_as_unavailable():
        if looks_like_api_key(token):
            async with transaction(runtime.db) as session:  # records the key's last use
                return await authenticate_api_key(session, token)
        claims = verified_claims(runtime.tokens, token)
        # A deleted account's tokens, and those of a signed-out session, stop working.
        if not await access_is_live(runtime.engine, claims):
            raise Unauthenticated("invalid or expired access token")
        return Principal(user_id=claims.user_id, session_id=claims.session_id)


# Access tokens whose signature and claims were checked: (config, token) -> (claims, exp).
# A request and its WebSocket follow-up carry the same token; checking the HMAC and the
# claims again cost about 70 us of API CPU each. The expiry is still checked on every use,
# and liveness (signOut, deleteAccount) is read from Postgres every time, as before.
_VERIFIED: OrderedDict[tuple[TokenConfig, str], tuple[AccessClaims, float]] = OrderedDict()
VERIFIED_MAX = 4096


def verified_claims(config: TokenConfig, token: str, *, now: float | None = None) -> AccessClaims:
    """`decode_access_claims`, remembered per token until the token expires."""
    key = (config, token)
    now = time.time() if now is None else now
    hit = _VERIFIED.get(key)
    if hit is not None:
        if now < hit[1]:
            return hit[0]
        del _VERIFIED[key]
    claims, expiry = decode_access_claims_until(config, token)  # raises: bad or expired
    _VERIFIED[key] = (claims, expiry)
    while len(_VERIFIED) > VERIFIED_MAX:  # oldest first
        _VERIFIED.popitem(last=False)
    return claims


def offline_principal(runtime: Runtime, token: str) -> Principal | None:
    """An access token checked by its signature alone, for when the database is down: a
    WebSocket stays open through an outage (every operation still needs the database
    and answers SERVICE_UNAVAILABLE until it is back). API keys need the database."""
    if looks_like_api_key(token):
        return None
    return Principal(user_id=decode_access_token(runtime.tokens, token))


async def dev_principal(runtime: Runtime, raw_user_id: str | None) -> Principal | None:
    """TAILOR_ALLOW_DEV_NO_AUTH (never in production): act as the user named in a header."""
    if not runtime.settings.dev_no_auth or not raw_user_id:
        return None
    try:
        user_id = uuid.UUID(raw_user_id)
    except ValueError as exc:
        raise Unauthenticated("X-Dev-User-Id must be a user id") from exc
    with outage_as_unavailable():
        async with reading(runtime.db) as session:
            await get_user(session, user_id)
    return Principal(user_id=user_id)
