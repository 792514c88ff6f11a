"""AI usage: one row per AI call (retries included), and the per-user usage report."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, cast, func, select

from app.db.models import ApiUsage
from app.errors import InvalidInput
from app.runtime import Runtime
from app.services.paging import Keyset, newest_first

MAX_RANGE = dt.timedelta(days=366)


class UsageGroupBy(str, enum.Enum):
    OPERATION = "OPERATION"
    MODEL = "MODEL"
    DAY = "DAY"


@dataclass(frozen=True)
class UsageCall:
    """One AI call to record (the LLM engine produces these)."""

    user_id: uuid.UUID
    job_id: uuid.UUID | None
    operation: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: int
    cost_usd: decimal.Decimal
    outcome: str
    provider_request_id: str | None = None
    audit_key: str | None = None


@dataclass(frozen=True)
class UsageAggregate:
    key: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: decimal.Decimal


async def record_calls(runtime: Runtime, calls: list[UsageCall]) -> None:
    if not calls:
        return
    async with runtime.db() as session, session.begin():
        session.add_all(
            ApiUsage(
                user_id=c.user_id,
                job_id=c.job_id,
                operation=c.operation,
                provider=c.provider,
                model=c.model,
                input_tokens=c.input_tokens,
                output_tokens=c.output_tokens,
                latency_ms=c.latency_ms,
                cost_usd=c.cost_usd,
                outcome=c.outcome,
                provider_request_id=c.provider_request_id,
                audit_key=c.audit_key,
            )
            for c in calls
        )


def check_range(
    start: dt.datetime | None, end: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    end = end or dt.datetime.now(dt.UTC)
    start = start or end - dt.timedelta(days=30)
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("give times with a time zone (e.g. 2026-01-01T00:00:00Z)", field="from")
    if start >= end:
        raise InvalidInput("'from' must be before 'to'", field="from")
    if end - start > MAX_RANGE:
        raise InvalidInput("ask for at most one year at a time", field="from")
    return start, end


async def list_calls(
    runtime: Runtime,
    user_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    *,
    limit: int,
    after: Keyset | None = None,
) -> list[ApiUsage]:
    query = select(ApiUsage).where(
        ApiUsage.user_id == user_id, ApiUsage.created_at >= start, ApiUsage.created_at < end
    )
    async with runtime.db() as session:
        result = await session.execute(newest_first(query, ApiUsage, after, limit))
        return list(result.scalars())


async def aggregate(
    runtime: Runtime,
    user_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    group_by: UsageGroupBy,
) -> list[UsageAggregate]:
    key: Any = {
        UsageGroupBy.OPERATION: ApiUsage.operation,
        UsageGroupBy.MODEL: ApiUsage.model,
        UsageGroupBy.DAY: cast(func.timezone("UTC", ApiUsage.created_at), Date),
    }[group_by].label("key")
    query = (
        select(
            key,
            func.count().label("calls"),
            func.coalesce(func.sum(ApiUsage.input_tokens), 0),
            func.coalesce(func.sum(ApiUsage.output_tokens), 0),
            func.coalesce(func.sum(ApiUsage.cost_usd), 0),
        )
        .where(
            ApiUsage.user_id == user_id,
            ApiUsage.created_at >= start,
            ApiUsage.created_at < end,
        )
        .group_by(key)
        .order_by(key)
    )
    async with runtime.db() as session:
        rows = (await session.execute(query)).all()
    return [
        UsageAggregate(
            key=str(r[0]),
            calls=int(r[1]),
            input_tokens=int(r[2]),
            output_tokens=int(r[3]),
            cost_usd=decimal.Decimal(r[4]),
        )
        for r in rows
    ]
