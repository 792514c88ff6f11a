"""JWT access tokens (HS256 only, exp/iat/iss/aud/sub required on the way in) and the
opaque refresh-token secrets that renew them.

Lifetimes: access tokens live TAILOR_JWT_TTL_S (15 minutes by default), refresh tokens
TAILOR_REFRESH_TOKEN_TTL_S (30 days), and every refresh token works once (rotation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import jwt

from app.errors import Unauthenticated

ALGORITHM = "HS256"
REFRESH_PREFIX = "rt_"


@dataclass(frozen=True)
class TokenConfig:
    secret: str
    issuer: str
    audience: str
    ttl_s: int


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    # The sign-in session (refresh-token family); None for tokens issued without one.
    session_id: uuid.UUID | None


def issue_access_token(
    config: TokenConfig,
    user_id: uuid.UUID,
    *,
    session_id: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> str:
    issued = now or dt.datetime.now(dt.UTC)
    claims: dict[str, object] = {
        "sub": str(user_id),
        "iss": config.issuer,
        "aud": config.audience,
        "iat": issued,
        "exp": issued + dt.timedelta(seconds=config.ttl_s),
        "jti": uuid.uuid4().hex,
    }
    if session_id is not None:
        claims["sid"] = str(session_id)
    return jwt.encode(claims, config.secret, algorithm=ALGORITHM)


def decode_access_token(config: TokenConfig, token: str) -> uuid.UUID:
    """User id from a valid token; every failure is the same UNAUTHENTICATED to the client."""
    return decode_access_claims(config, token).user_id


def decode_access_claims(config: TokenConfig, token: str) -> AccessClaims:
    """The user and session of a valid token (signature, expiry, issuer, audience)."""
    return decode_access_claims_until(config, token)[0]


def decode_access_claims_until(config: TokenConfig, token: str) -> tuple[AccessClaims, float]:
    """`decode_access_claims` and the token's expiry (epoch seconds)."""
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],  # one algorithm: "none" and key-confusion are refused
            audience=config.audience,
            issuer=config.issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        sid = claims.get("sid")
        access = AccessClaims(
            user_id=uuid.UUID(str(claims["sub"])),
            session_id=uuid.UUID(str(sid)) if sid is not None else None,
        )
        return access, float(claims["exp"])
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthenticated("invalid or expired access token") from exc


def new_refresh_secret() -> str:
    return REFRESH_PREFIX + secrets.token_urlsafe(32)


def refresh_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
