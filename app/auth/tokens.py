"""JWT access tokens: HS256 only, with exp/iat/iss/aud/sub all required on the way in."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import jwt

from app.errors import Unauthenticated

ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenConfig:
    secret: str
    issuer: str
    audience: str
    ttl_s: int


def issue_access_token(
    config: TokenConfig, user_id: uuid.UUID, *, now: dt.datetime | None = None
) -> str:
    issued = now or dt.datetime.now(dt.UTC)
    claims = {
        "sub": str(user_id),
        "iss": config.issuer,
        "aud": config.audience,
        "iat": issued,
        "exp": issued + dt.timedelta(seconds=config.ttl_s),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, config.secret, algorithm=ALGORITHM)


def decode_access_token(config: TokenConfig, token: str) -> uuid.UUID:
    """User id from a valid token; every failure is the same UNAUTHENTICATED to the client."""
    try:
        claims = jwt.decode(
            token,
            config.secret,
            algorithms=[ALGORITHM],  # one algorithm: "none" and key-confusion are refused
            audience=config.audience,
            issuer=config.issuer,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        return uuid.UUID(str(claims["sub"]))
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthenticated("invalid or expired access token") from exc
