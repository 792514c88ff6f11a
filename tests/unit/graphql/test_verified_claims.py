"""Verified access-token claims are remembered per token, never past the token's expiry,
and never across signing configurations."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from app.auth.tokens import (
    AccessClaims,
    TokenConfig,
    decode_access_claims_until,
    issue_access_token,
)
from app.errors import Unauthenticated
from graphql_schema import auth
from graphql_schema.auth import verified_claims

CONFIG = TokenConfig(secret="s" * 40, issuer="tailor", audience="tailor-api", ttl_s=900)


def test_a_token_is_checked_once_then_remembered_with_its_claims() -> None:
    user, session = uuid.uuid4(), uuid.uuid4()
    token = issue_access_token(CONFIG, user, session_id=session)
    first = verified_claims(CONFIG, token)
    assert (first.user_id, first.session_id) == (user, session)
    assert verified_claims(CONFIG, token) is first  # no second decode
    assert auth._VERIFIED[(CONFIG, token)][1] == pytest.approx(time.time() + 900, abs=60)


def test_a_remembered_token_is_checked_again_once_expired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoded: list[str] = []

    def counting(config: TokenConfig, token: str) -> tuple[AccessClaims, float]:
        decoded.append(token)
        return decode_access_claims_until(config, token)

    monkeypatch.setattr(auth, "decode_access_claims_until", counting)
    token = issue_access_token(CONFIG, uuid.uuid4())
    verified_claims(CONFIG, token)
    verified_claims(CONFIG, token)
    assert len(decoded) == 1
    expiry = auth._VERIFIED[(CONFIG, token)][1]
    verified_claims(CONFIG, token, now=expiry)  # at its exp it is no longer remembered
    assert len(decoded) == 2


def test_an_expired_token_is_refused() -> None:
    past = int(time.time()) - 60
    claims = {"sub": str(uuid.uuid4()), "iss": "tailor", "aud": "tailor-api"}
    token = jwt.encode({**claims, "iat": past - 900, "exp": past}, CONFIG.secret, "HS256")
    with pytest.raises(Unauthenticated):
        verified_claims(CONFIG, token)


def test_another_signing_secret_does_not_reuse_the_verdict() -> None:
    token = issue_access_token(CONFIG, uuid.uuid4())
    verified_claims(CONFIG, token)
    other = TokenConfig(secret="t" * 40, issuer="tailor", audience="tailor-api", ttl_s=900)
    with pytest.raises(Unauthenticated):
        verified_claims(other, token)


def test_bad_tokens_are_refused_and_not_remembered() -> None:
    token = issue_access_token(CONFIG, uuid.uuid4())
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    for bad in (tampered, "not-a-jwt", ""):
        with pytest.raises(Unauthenticated):
            verified_claims(CONFIG, bad)
        assert (CONFIG, bad) not in auth._VERIFIED


def test_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever earlier tests in this process left behind counts against the bound too.
    for _ in range(10):
        verified_claims(CONFIG, issue_access_token(CONFIG, uuid.uuid4()))
    monkeypatch.setattr(auth, "VERIFIED_MAX", 3)
    tokens = [issue_access_token(CONFIG, uuid.uuid4()) for _ in range(5)]
    for token in tokens:
        verified_claims(CONFIG, token)
    assert len(auth._VERIFIED) <= 3
    assert (CONFIG, tokens[-1]) in auth._VERIFIED
