"""Gates checked before a job is created: rate limit and credits.

The policies (how many per minute, how many credits) are deployment settings; with the
defaults a self-hosted instance is effectively unlimited.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CreditLedgerEntry, TailoringJob
from app.errors import InsufficientCredits, RateLimited
from app.runtime import Runtime

CHARGE_REASON = "tailoring_job"


async def check_rate_limit(runtime: Runtime, user_id: uuid.UUID) -> None:
    """Fixed one-minute window per user, counted in Redis."""
    limit = runtime.settings.tailor_rate_limit_per_minute
    if limit <= 0:
        return
    window = int(time.time() // 60)
    key = f"ratelimit:tailor:{user_id}:{window}"
    async with runtime.redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, 120)
        count, _ = await pipe.execute()
    if int(count) > limit:
        raise RateLimited(f"at most {limit} tailoring requests a minute; try again shortly")


async def credit_balance(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.coalesce(func.sum(CreditLedgerEntry.delta), 0)).where(
            CreditLedgerEntry.user_id == user_id
        )
    )
    return int(result.scalar_one())


async def check_credits(runtime: Runtime, session: AsyncSession, user_id: uuid.UUID) -> None:
    cost = runtime.settings.credits_per_job
    if cost <= 0:
        return
    if await credit_balance(session, user_id) < cost:
        raise InsufficientCredits("not enough credits for a tailoring job")


def charge_for_job(cost: int) -> Callable[[AsyncSession, TailoringJob], None]:
    """An `on_locked` hook for job completion: one ledger row per job (a unique index
    makes a second charge impossible even if completion is retried)."""

    def charge(session: AsyncSession, job: TailoringJob) -> None:
        if cost > 0:
            session.add(
                CreditLedgerEntry(
                    user_id=job.user_id, job_id=job.id, delta=-cost, reason=CHARGE_REASON
                )
            )

    return charge
