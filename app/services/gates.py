"""Rate limits on everything that costs something, checked before any work is done.

One counter per (bucket, subject) in Redis, living `window_s` from its first use: shared
by every API process, no clock-boundary resets (a burst cannot straddle two windows), and
a refusal says when the window ends (`extensions.retryAfter`, seconds). Policies are
deployment settings; 0 switches a limit off.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import TYPE_CHECKING

from app.errors import InvalidInput, RateLimited, Unauthenticated
from app.runtime import Runtime

if TYPE_CHECKING:
    from app.services.users import SignInCandidate, VerifiedSignIn


def _subject_key(subject: str) -> str:
    # Keys may hold e-mail addresses or IPs: hash them, so Redis holds no personal data.
    return hashlib.sha256(subject.encode()).hexdigest()[:32]


def _key(bucket: str, subject: str) -> str:
    return f"ratelimit:{bucket}:{_subject_key(subject)}"


async def _count(runtime: Runtime, key: str, window_s: int) -> tuple[int, int]:
    """Add one use; (uses in the window, seconds until it ends)."""
    async with runtime.redis.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=window_s, nx=True)  # the window starts at the first use
        pipe.incr(key)
        pipe.ttl(key)
        _, count, ttl = await pipe.execute()
    return int(count), max(1, int(ttl))


async def hit(
    runtime: Runtime, bucket: str, subject: str, limit: int, window_s: int = 60, *, what: str
) -> None:
    """Count one use of `bucket` by `subject`; RATE_LIMITED once over `limit`."""
    if limit <= 0:
        return
    count, retry_after = await _count(runtime, _key(bucket, subject), window_s)
    if count > limit:
        raise RateLimited(
            f"at most {limit} {what} per {_per(window_s)}; retry in {retry_after} s",
            retryAfter=retry_after,
        )


async def peek(
    runtime: Runtime, bucket: str, subject: str, limit: int, window_s: int, *, what: str
) -> None:
    """RATE_LIMITED if `subject` already used up `bucket`, without counting a use."""
    if limit <= 0:
        return
    async with runtime.redis.pipeline(transaction=False) as pipe:
        pipe.get(_key(bucket, subject))
        pipe.ttl(_key(bucket, subject))
        raw, ttl = await pipe.execute()
    if raw is not None and int(raw) >= limit:
        retry_after = max(1, int(ttl))
        raise RateLimited(f"too many {what}; retry in {retry_after} s", retryAfter=retry_after)


async def window_use(
    runtime: Runtime, bucket: str, subject: str, window_s: int = 60
) -> tuple[int, int]:
    """(uses counted so far, epoch second the window ends) for `bucket` by `subject`:
    what the rateLimit query and the RateLimit-* headers report. Counts nothing."""
    async with runtime.redis.pipeline(transaction=False) as pipe:
        pipe.get(_key(bucket, subject))
        pipe.ttl(_key(bucket, subject))
        raw, ttl = await pipe.execute()
    remaining = int(ttl) if raw is not None and int(ttl) > 0 else window_s
    return int(raw or 0), int(time.time()) + remaining


def _per(window_s: int) -> str:
    return "minute" if window_s == 60 else f"{window_s} s"


async def check_rate_limit(runtime: Runtime, user_id: uuid.UUID) -> None:
    """`tailor` requests per user a minute."""
    limit = runtime.settings.tailor_rate_limit_per_minute
    await hit(runtime, "tailor", str(user_id), limit, what="tailoring requests")


async def check_upload(runtime: Runtime, user_id: uuid.UUID) -> None:
    """Resume uploads and job descriptions share one budget: both parse a document."""
    limit = runtime.settings.upload_rate_limit_per_minute
    await hit(runtime, "upload", str(user_id), limit, what="uploads")


async def check_share_link(runtime: Runtime, user_id: uuid.UUID) -> None:
    limit = runtime.settings.share_link_rate_limit_per_minute
    await hit(runtime, "share", str(user_id), limit, what="share links")


async def check_apply_email(runtime: Runtime, user_id: uuid.UUID) -> None:
    limit = runtime.settings.apply_email_rate_limit_per_minute
    await hit(runtime, "apply-email", str(user_id), limit, what="application e-mails")


async def check_analytics(runtime: Runtime, user_id: uuid.UUID) -> None:
    limit = runtime.settings.analytics_rate_limit_per_minute
    await hit(runtime, "analytics", str(user_id), limit, what="analytics events")


def _account_subject(email: str) -> str:
    """One counter per account, however the address is spelled (case, IDN forms)."""
    from app.services.users import normalise_email

    try:
        return normalise_email(email)
    except InvalidInput:
        return email.strip().lower()


async def check_sign_in(runtime: Runtime, email: str, client_ip: str | None) -> None:
    """Before a password is checked: attempts per IP a minute, and an account that had
    too many failures in its window stays closed until the window ends."""
    s = runtime.settings
    if client_ip:
        await hit(runtime, "signin-ip", client_ip, s.sign_in_limit_per_ip, what="sign-in attempts")
    await _refuse_if_locked(runtime, email)


async def _refuse_if_locked(runtime: Runtime, email: str) -> None:
    s = runtime.settings
    await peek(
        runtime,
        "signin-account",
        _account_subject(email),
        s.sign_in_limit_per_account,
        s.sign_in_account_window_s,
        what="failed sign-ins for this account",
    )


async def record_sign_in_failure(runtime: Runtime, email: str) -> None:
    s = runtime.settings
    if s.sign_in_limit_per_account > 0:
        key = _key("signin-account", _account_subject(email))
        await _count(runtime, key, s.sign_in_account_window_s)


async def check_sign_in_password(
    runtime: Runtime, email: str, candidate: SignInCandidate, password: str
) -> VerifiedSignIn:
    """The password checked, after `check_sign_in` and with no connection or transaction
    held (argon2 costs tens of ms of CPU: a burst of sign-ins must not drain the pool).

    A wrong one counts against the account: one INCR, atomic in Redis, so concurrent
    wrong guesses are all counted. A right one is refused all the same if the account
    locked while it was being checked (by guesses counted meanwhile)."""
    from app.services.users import check_password

    try:
        verified = await check_password(candidate, password)
    except Unauthenticated:
        await record_sign_in_failure(runtime, email)
        raise
    await _refuse_if_locked(runtime, email)
    return verified
