"""AI usage: one row per AI call (retries included), and the per-user usage report.
Functions take the caller's session (its transaction: app.db.unit_of_work)."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, Select, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from app.db.models import ApiUsage, TailoringJob
from app.errors import InvalidInput
from app.runtime import Runtime
from app.services.paging import Listing

MAX_RANGE = dt.timedelta(days=366)
MAX_GROUP_KEYS = 2


class UsageGroupBy(str, enum.Enum):
    OPERATION = "OPERATION"
    MODEL = "MODEL"
    PROVIDER = "PROVIDER"
    JOB = "JOB"
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
    """Sums over a group; `keys` holds the group's value per grouping key (none: all)."""

    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: decimal.Decimal
    keys: dict[UsageGroupBy, str | None] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return "|".join(v or "" for v in self.keys.values())


async def record_calls(session: AsyncSession, calls: list[UsageCall]) -> None:
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


async def record_model_used(
    session: AsyncSession, job_id: uuid.UUID, provider: str, model: str
) -> None:
    """The provider and model that last answered for the job (what it really ran on)."""
    await session.execute(
        update(TailoringJob)
        .where(TailoringJob.id == job_id)
        .values(provider_used=provider, model_used=model[:100])
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


def check_group_by(group_by: list[UsageGroupBy]) -> list[UsageGroupBy]:
    keys = list(dict.fromkeys(group_by))
    if len(keys) > MAX_GROUP_KEYS:
        raise InvalidInput(f"group by at most {MAX_GROUP_KEYS} keys at once", field="groupBy")
    return keys


def _in_range(user_id: uuid.UUID, start: dt.datetime, end: dt.datetime) -> list[Any]:
    return [ApiUsage.user_id == user_id, ApiUsage.created_at >= start, ApiUsage.created_at < end]


def list_calls(
    runtime: Runtime, user_id: uuid.UUID, start: dt.datetime, end: dt.datetime
) -> Listing[ApiUsage]:
    query = select(ApiUsage).where(*_in_range(user_id, start, end))
    return Listing(runtime.db, query, ApiUsage)


def _group_column(key: UsageGroupBy) -> ColumnElement[Any]:
    columns: dict[UsageGroupBy, Any] = {
        UsageGroupBy.OPERATION: ApiUsage.operation,
        UsageGroupBy.MODEL: ApiUsage.model,
        UsageGroupBy.PROVIDER: ApiUsage.provider,
        UsageGroupBy.JOB: ApiUsage.job_id,
        UsageGroupBy.DAY: cast(func.timezone("UTC", ApiUsage.created_at), Date),
    }
    column: ColumnElement[Any] = columns[key].label(key.value.lower())
    return column


def _sums() -> list[Any]:
    return [
        func.count().label("calls"),
        func.coalesce(func.sum(ApiUsage.input_tokens), 0),
        func.coalesce(func.sum(ApiUsage.output_tokens), 0),
        func.coalesce(func.sum(ApiUsage.cost_usd), 0),
    ]


def _aggregate(row: Any, keys: list[UsageGroupBy]) -> UsageAggregate:
    values = list(row)
    labels = [None if v is None else str(v) for v in values[: len(keys)]]
    calls, tokens_in, tokens_out, cost = values[len(keys) :]
    return UsageAggregate(
        calls=int(calls),
        input_tokens=int(tokens_in),
        output_tokens=int(tokens_out),
        cost_usd=decimal.Decimal(cost),
        keys=dict(zip(keys, labels, strict=True)),
    )


async def aggregate(
    session: AsyncSession,
    user_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    group_by: list[UsageGroupBy],
) -> list[UsageAggregate]:
    """Sums per combination of the grouping keys (e.g. day x model), in key order."""
    keys = check_group_by(group_by)
    columns = [_group_column(k) for k in keys]
    query: Select[Any] = select(*columns, *_sums()).where(*_in_range(user_id, start, end))
    if columns:
        query = query.group_by(*columns).order_by(*columns)
    rows = (await session.execute(query)).all()
    return [_aggregate(r, keys) for r in rows]


async def grand_total(
    session: AsyncSession, user_id: uuid.UUID, start: dt.datetime, end: dt.datetime
) -> UsageAggregate:
    totals = await aggregate(session, user_id, start, end, [])
    return totals[0]
